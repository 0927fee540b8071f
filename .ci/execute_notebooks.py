"""Run notebooks top to bottom and save their outputs (plots, tables) in place, as the docs show them.

Usage: .venv/bin/python .ci/execute_notebooks.py [nbs/NN_name.ipynb ...]   (default: every notebook)
Cells that nbdev_test skips (`#| eval: false`, `nbdev_export()`) are skipped here too, and stderr
output (TensorFlow's and Python's warnings) is dropped: it is noise, not teaching. Run `nbdev_clean` after.
"""
import os, sys, time
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
os.environ.setdefault('MPLBACKEND', 'Agg')
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory
from nbdev.process import NBProcessor

def _skipped(cell) -> bool:
    "Whether nbdev_test would skip `cell` (directives parsed by `NBProcessor`)."
    if cell.cell_type != 'code' or 'nbdev_export(' in cell.source: return True
    return (getattr(cell, 'directives_', None) or {}).get('eval:', [''])[0].lower() == 'false'

def _drop_stderr(cell):
    if cell.cell_type == 'code' and 'outputs' in cell:
        cell.outputs = [o for o in cell.outputs if not (o.get('output_type') == 'stream' and o.get('name') == 'stderr')]

def run_notebook(path:Path):
    "`path` run top to bottom in a fresh shell, in its folder: the notebook with today's outputs (the file is untouched)."
    print(f'running {path}', flush=True)
    # NBProcessor strips the `#|` lines it parses, so it only tells which cells to skip; we run the raw notebook.
    skip = {i for i, c in enumerate(NBProcessor(path, process=True).nb.cells) if _skipped(c)}
    nb = read_nb(path)
    import pandas as pd  # tables as wide as they are, whatever terminal (or none) runs this: the same text every time
    pd.set_option('display.width', 250, 'display.max_columns', 40)
    with working_directory(path.parent):
        CaptureShell(path, mpl_format='png').run_all(nb, exc_stop=True, preproc=lambda c: c.idx_ in skip)
    for cell in nb.cells: _drop_stderr(cell)
    return nb

def execute(path:Path):
    "Run `path` and save its outputs in place."
    start = time.monotonic()
    write_nb(run_notebook(path), path)
    print(f'  {time.monotonic() - start:.0f} s', flush=True)

if __name__ == '__main__':
    root = Path(__file__).resolve().parent.parent
    paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted((root/'nbs').glob('*.ipynb'))
    for p in paths: execute(p)
