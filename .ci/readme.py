"""Write README.md from nbs/index.ipynb, as `nbdev_readme` does with Quarto (which cannot be installed here).

Usage: .venv/bin/python .ci/readme.py [--check]
The notebook goes through nbdev's own docs processors (`#| hide` cells dropped, `show_doc` rendered,
directives stripped), then becomes GitHub-flavoured markdown: prose as is, code in fences, text outputs
in fences, images saved under index_files/ as Quarto would. `--check` exits 1 when README.md is stale.
"""
import base64, sys
from pathlib import Path
from nbdev.config import get_config
from nbdev.process import NBProcessor
from nbdev.processors import FilterDefaults

def _text(o) -> str:
    s = o.get('text') if o.get('output_type') == 'stream' else o.get('data', {}).get('text/plain', '')
    return ''.join(s) if isinstance(s, list) else (s or '')

def _outputs(cell, images:dict) -> list:
    parts = []
    for o in cell.get('outputs', []):
        data = o.get('data', {})
        if 'image/png' in data:
            name = f'index_files/figure-commonmark/cell-{cell.idx_}-output-{len(parts) + 1}.png'
            images[name] = base64.b64decode(''.join(data['image/png']))
            parts.append(f'![]({name})')
        elif 'text/markdown' in data: parts.append(''.join(data['text/markdown']).strip())
        elif o.get('output_type') in ('stream', 'execute_result', 'display_data') and _text(o).strip():
            parts.append('    ' + _text(o).rstrip().replace('\n', '\n    '))
    return parts

def render(nb_path:Path) -> tuple:
    "README text and the images it links, from the notebook at `nb_path`."
    proc = NBProcessor(nb_path, procs=FilterDefaults().procs())
    proc.process()
    nb = proc.nb
    fm = getattr(nb, 'frontmatter_', {})
    blocks, images = [f"# {fm.get('title', '')}"], {}
    if fm.get('description'): blocks.append(f"> {fm['description']}")
    for cell in nb.cells:
        src = cell.source.strip()
        if not src: continue
        if cell.cell_type == 'markdown': blocks.append(src)
        elif cell.cell_type == 'code':
            if not cell.get('directives_', {}).get('echo:', ['true'])[0].lower() == 'false':
                blocks.append(f'``` python\n{src}\n```')
            blocks += _outputs(cell, images)
    return '\n\n'.join(blocks) + '\n', images

if __name__ == '__main__':
    cfg = get_config()
    readme, images = render(cfg.nbs_path/cfg.readme_nb)
    out = cfg.config_path/'README.md'
    figures = cfg.config_path/'index_files'/'figure-commonmark'
    leftover = [p for p in figures.glob('*.png') if str(p.relative_to(cfg.config_path)) not in images]
    if '--check' in sys.argv:
        stale = out.read_text() != readme or bool(leftover) or any(
            not (cfg.config_path/n).exists() or (cfg.config_path/n).read_bytes() != b for n, b in images.items())
        if stale: sys.exit('README.md is out of date with nbs/index.ipynb: run `.venv/bin/python .ci/readme.py` and commit it')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        out.write_text(readme)
        for p in leftover: p.unlink()
        for n, b in images.items(): (cfg.config_path/n).parent.mkdir(parents=True, exist_ok=True); (cfg.config_path/n).write_bytes(b)
        print(f'wrote {out} and {len(images)} image(s)')
