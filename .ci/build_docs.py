"""Build dlproto's documentation site offline: nbdev's processed notebooks rendered by Sphinx + myst-nb.

Usage: .venv/bin/python .ci/build_docs.py      (writes the site to _docs/; open _docs/index.html)

Quarto (what `nbdev_docs` uses, and what the GitHub Pages workflow runs) cannot be installed on these
machines. This builds the same pages from the same processing: nbdev's `proc_nbs` runs its docs
processors on every notebook (hidden cells dropped, `show_doc` rendered, links to the API added), then
each processed notebook is handed to Sphinx with Quarto's cell options turned into myst-nb's cell tags,
in notebook order, with Furo's navigation and Sphinx's search. Nothing is fetched from the internet.
Two additions: `show_doc`'s signatures are highlighted here with their parameters' comments rendered (code
and links, not raw markdown), and a cell with a test flag (settings.ini's `tst_flags`, e.g. `#| full`, which
nbdev's processing drops) gets a caption saying that `nbdev_test` skips it. Styles: .ci/sphinx/dlproto.css.
"""
import html, json, re, shutil, subprocess, sys
from pathlib import Path
import yaml
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
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

_re_md_inline = re.compile(r'\[((?:`[^`]*`|[^\]`])+)\]\(([^)\s]+)\)|`([^`]+)`')

def _href(url:str, base:str) -> str:
    "A link's address in the built site: nbdev's `doc_host` links and `/page.ipynb#name` links as `page.html#name`."
    if base and url.startswith(base): url = url[len(base):]
    return re.sub(r'^/?([\w-]+)\.(?:ipynb|html)(#|$)', r'\1.html\2', url)

def _inline_html(text:str, base:str) -> str:
    "Markdown's inline code and links in `text` (a docment: a parameter's comment) as HTML; the rest escaped."
    out, pos = [], 0
    for m in _re_md_inline.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False)); pos = m.end()
        if m[3] is not None: out.append(f'<code>{html.escape(m[3], quote=False)}</code>')
        else:
            href = _href(m[2], base)
            kind = 'external' if re.match(r'\w+:', href) else 'internal'
            out.append(f'<a class="reference {kind}" href="{html.escape(href)}">{_inline_html(m[1], base)}</a>')
    return ''.join(out) + html.escape(text[pos:], quote=False)

_re_sig = re.compile(r'^```python\n(.*?)\n```$', re.M | re.S)
_re_comment = re.compile(r'<span class="(c1?)">(.*?)</span>')

def _signature_html(code:str, base:str) -> str:
    """`show_doc`'s signature (a Python block whose comments are the docments, with markdown in them) as highlighted HTML
    whose comments show their code and links rendered (nbdev links names inside the block, which a code block would
    show as raw markdown: ``([`group_memory`](...))``)."""
    hl = highlight(code, PythonLexer(), HtmlFormatter(nowrap=True)).rstrip('\n')
    hl = _re_comment.sub(lambda m: f'<span class="{m[1]}">{_inline_html(html.unescape(m[2]), base)}</span>', hl)
    hl = re.sub(r'^$', '<span></span>', hl, flags=re.M)  # no blank line: it would end the HTML block in markdown
    return f'<div class="highlight-python notranslate doc-signature"><div class="highlight"><pre><span></span>{hl}</pre></div></div>'

def _api_markdown(md:str, base:str) -> str:
    "`show_doc`'s markdown for this build: its signature as HTML (`_signature_html`), links to the site's pages."
    return _site_links(_re_sig.sub(lambda m: _signature_html(m[1], base), md, count=1), base)

def _md_cell(source:str, i:int) -> dict: return dict(cell_type='markdown', id=f'docs-{i}', metadata={}, source=source)

def cell_test_flags(nb:dict, flags:set) -> dict:
    """The test flags (settings.ini's `tst_flags`, e.g. `full`) of a notebook's cells, by cell id: `#| full` lines at
    a cell's top. nbdev's processing drops those lines, so they are read from the notebook in nbs/, not the processed one."""
    found = {}
    for cell in nb['cells']:
        if cell['cell_type'] != 'code': continue
        src = cell.get('source', '')
        for line in (''.join(src) if isinstance(src, list) else src).splitlines():
            m = re.match(r'^\s*#\|\s*([\w-]+)\s*$', line)
            if not (m or re.match(r'^\s*#\|', line)): break
            if m and m[1] in flags: found.setdefault(cell.get('id'), []).append(m[1])
    return found

def _flag_note(flags:list, i:int) -> dict:
    "A caption above a cell that `nbdev_test` skips unless asked to run it (a test flag), so readers know which cells tests run."
    fl = ' '.join(flags)
    return _md_cell(f':::{{container}} cell-flag\nTest flag `{fl}`: `nbdev_test` skips the cell below; '
                    f'`nbdev_test --flags {fl}` runs it.\n:::\n', i)

def to_sphinx(nb:dict, base:str, flags:dict|None=None) -> dict:
    """A processed notebook with Quarto's frontmatter and cell options translated for myst-nb; `flags`: the test flags
    of its cells, by cell id (`cell_test_flags`), shown in a caption above each flagged cell."""
    cells, flags = [], flags or {}
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
                cells.append(_md_cell(_api_markdown(_markdown_of(cell), base), len(cells)))
                continue
            tags = (['remove-input'] if opts.get('echo') == 'false' or not src.strip() else []) + \
                   (['remove-output'] if opts.get('output') == 'false' else [])
            cell = {**cell, 'metadata': {**cell.get('metadata', {}), 'tags': tags}}
            for o in cell.get('outputs', []):
                if 'text/markdown' in o.get('data', {}):
                    md = o['data']['text/markdown']
                    o['data']['text/markdown'] = _site_links(''.join(md) if isinstance(md, list) else md, base)
        if cell.get('id') in flags: cells.append(_flag_note(flags[cell['id']], len(cells)))
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
    tst_flags = set(str(cfg.get('tst_flags', '')).split())
    for p, name in zip([proc/cfg.readme_nb] + nbs, ['index'] + pages):
        orig = cfg.nbs_path/p.relative_to(proc)
        flags = cell_test_flags(json.loads(orig.read_text()), tst_flags) if orig.is_file() else {}
        nb = to_sphinx(json.loads(p.read_text()), base, flags)
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
