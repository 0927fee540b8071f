"""Run notebooks top to bottom and save their outputs (plots, tables) in place, as the docs show them.

Usage: .venv/bin/python .ci/execute_notebooks.py [nbs/NN_name.ipynb ...]   (default: every notebook)
Cells that nbdev_test skips (`#| eval: false`, `nbdev_export()`, the test flags of settings.ini) are
skipped here too, and stderr output (TensorFlow's and Python's warnings) is dropped: it is noise, not
teaching. The same run is what `.ci/check_outputs.py` compares against. Run `nbdev_clean` after.
"""
import os, sys, time
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
os.environ.setdefault('MPLBACKEND', 'Agg')
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory
from nbdev.config import get_config
from nbdev.process import NBProcessor
import dlproto  # notebooks run in this process: TensorFlow's first import, even a notebook's own `import keras`, is quiet

def _skipped(cell, flags:set) -> bool:
    "Whether nbdev_test would skip `cell` (directives parsed by `NBProcessor`), given the test `flags` it skips."
    if cell.cell_type != 'code' or 'nbdev_export(' in cell.source: return True
    directives = getattr(cell, 'directives_', None) or {}
    return directives.get('eval:', [''])[0].lower() == 'false' or bool(flags & directives.keys())

def _drop_stderr(cell):
    if cell.cell_type == 'code' and 'outputs' in cell:
        cell.outputs = [o for o in cell.outputs if not (o.get('output_type') == 'stream' and o.get('name') == 'stderr')]

def run_notebook(path:Path, force_flags:tuple=()):
    """`path` run top to bottom in a fresh shell, in its folder: the notebook with today's outputs (the file is untouched).
    A cell that raises ends the run: the exception is raised with the shell's traceback in its `tb`."""
    print(f'running {path}', flush=True)
    os.environ['IN_TEST'] = '1'  # as nbdev_test sets it
    flags = set(get_config().tst_flags.split()) - set(force_flags)
    # NBProcessor strips the `#|` lines it parses, so it only tells which cells to skip; we run the raw notebook.
    skip = {i for i, c in enumerate(NBProcessor(path, process=True).nb.cells) if _skipped(c, flags)}
    nb = read_nb(path)
    import pandas as pd  # tables as wide as they are, whatever terminal (or none) runs this: the same text every time
    pd.set_option('display.width', 250, 'display.max_columns', 40)
    shell = CaptureShell(path, mpl_format='png')
    with working_directory(path.parent):
        try: shell.run_all(nb, exc_stop=True, preproc=lambda c: c.idx_ in skip)
        except Exception as e:
            e.tb = shell.prettytb(fname=path)
            raise
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
