"""Build dlproto's documentation site offline: nbdev's processed notebooks rendered by Sphinx + myst-nb.

Usage: .venv/bin/python .ci/build_docs.py      (writes the site to _docs/; open _docs/index.html)

Quarto (what `nbdev_docs` uses, and what the GitHub Pages workflow runs) cannot be installed on these
machines. This builds the same pages from the same processing: nbdev's `proc_nbs` runs its docs
processors on every notebook (hidden cells dropped, `show_doc` rendered, links to the API added), then
each processed notebook is handed to Sphinx with Quarto's cell options turned into myst-nb's cell tags,
in notebook order, with Furo's navigation and Sphinx's search. Nothing is fetched from the internet.
"""
import json, re, shutil, subprocess, sys
from pathlib import Path
import yaml
from nbdev.config import get_config
from nbdev.serve import proc_nbs

_re_directive = re.compile(r'^\s*#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')

def _split_directives(src:str) -> tuple:
    "Quarto's `#| key: value` options at the top of a cell, and the rest of its source."
    lines, opts = src.splitlines(), {}
    while lines and _re_directive.match(lines[0]):
        k, v = _re_directive.match(lines.pop(0)).groups()
        opts[k] = v.strip('"\'').lower()
    return opts, '\n'.join(lines)

_re_page_link = re.compile(r'\]\(([\w-]+)\.html(#[\w.-]+)?\)')
_re_quarto_attrs = re.compile(r'\{target="_blank"[^}]*\}|\{target=[^}]*\}')

def _site_links(text:str, base:str) -> str:
    "Links to pages of the site (nbdev writes them to `doc_host` or as `page.html#name`) as links between this build's documents."
    if base: text = text.replace(base, '')
    return _re_quarto_attrs.sub('', _re_page_link.sub(lambda m: f'](/{m[1]}.ipynb{m[2] or ""})', text))

def _markdown_of(cell) -> str|None:
    "The markdown that a `show_doc`-style cell (no input shown, one markdown output) displays, if that is all it does."
    outs = cell.get('outputs', [])
    if len(outs) != 1 or 'text/markdown' not in outs[0].get('data', {}): return None
    md = outs[0]['data']['text/markdown']
    return (''.join(md) if isinstance(md, list) else md).strip().removeprefix('---').strip()  # no rule above the heading

def _md_cell(source:str, i:int) -> dict: return dict(cell_type='markdown', id=f'docs-{i}', metadata={}, source=source)

def to_sphinx(nb:dict, base:str) -> dict:
    "A processed notebook with Quarto's frontmatter and cell options translated for myst-nb."
    cells = []
    for cell in nb['cells']:
        src = cell.get('source', '')
        src = ''.join(src) if isinstance(src, list) else (src or '')
        if cell['cell_type'] == 'raw' and src.startswith('---'):
            fm = yaml.safe_load(src.strip().strip('-')) or {}
            md = f"# {fm.get('title', '')}\n" + (f"\n> {fm['description']}\n" if fm.get('description') else '')
            cells.append(_md_cell(md, len(cells)))
            continue
        if cell['cell_type'] == 'markdown': src = _site_links(src, base)
        if cell['cell_type'] == 'code':
            opts, src = _split_directives(src)
            if opts.get('include') == 'false' or (not src.strip() and not cell.get('outputs')): continue
            if opts.get('echo') == 'false' and opts.get('output') == 'asis' and _markdown_of(cell) is not None:
                # API docs (`show_doc`): their markdown becomes part of the page, so names get real headings and anchors
                cells.append(_md_cell(_site_links(_markdown_of(cell), base), len(cells)))
                continue
            tags = (['remove-input'] if opts.get('echo') == 'false' or not src.strip() else []) + \
                   (['remove-output'] if opts.get('output') == 'false' else [])
            cell = {**cell, 'metadata': {**cell.get('metadata', {}), 'tags': tags}}
            for o in cell.get('outputs', []):
                if 'text/markdown' in o.get('data', {}):
                    md = o['data']['text/markdown']
                    o['data']['text/markdown'] = _site_links(''.join(md) if isinstance(md, list) else md, base)
        cells.append({**cell, 'source': src})
    return {**nb, 'cells': cells}

def _page_name(path:Path) -> str:
    "Quarto's page name for a notebook: the file name without its numeric prefix (`00_data` -> `data`)."
    return re.sub(r'^\d+[a-z]?_', '', path.stem)

def build(out:Path=None) -> Path:
    cfg = get_config()
    root, out = cfg.config_path, Path(out or cfg.config_path/cfg.doc_path)
    base = f"{cfg.doc_host.rstrip('/')}{cfg.doc_baseurl.rstrip('/')}/" if cfg.get('doc_host') else ''
    proc = proc_nbs(n_workers=1, force=True)  # no stale pages from an earlier build
    src = root/'_build'/'sphinx-src'
    shutil.rmtree(src, ignore_errors=True); src.mkdir(parents=True)
    nbs = sorted(p for p in proc.glob('*.ipynb') if p.name != cfg.readme_nb)
    pages = [_page_name(p) for p in nbs]
    for p, name in zip([proc/cfg.readme_nb] + nbs, ['index'] + pages):
        nb = to_sphinx(json.loads(p.read_text()), base)
        if name == 'index':  # the toctree gives Sphinx the navigation, in notebook order
            toc = '```{toctree}\n:hidden:\n:maxdepth: 1\n\n' + '\n'.join(pages) + '\n```\n'
            nb['cells'].append(_md_cell(toc, len(nb['cells'])))
        (src/f'{name}.ipynb').write_text(json.dumps(nb))
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, '-m', 'sphinx', '-b', 'html', '-q', '-c', str(root/'.ci'/'sphinx'), str(src), str(out)]
    subprocess.run(cmd, check=True)
    print(f'built the docs site in {out}: open {out/"index.html"}')
    return out

if __name__ == '__main__': build()
