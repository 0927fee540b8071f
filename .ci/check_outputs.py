"""Run a notebook as its tests and check that its saved outputs are what its code prints today.

Usage: .venv/bin/python .ci/check_outputs.py [--no-outputs] [--flags full] nbs/NN_name.ipynb ...
Each notebook is run top to bottom in a fresh shell as `nbdev_test` runs it (cells flagged `eval: false` or
with a test flag from settings.ini, `notest full`, are skipped unless `--flags` names the flag), in memory:
the file is not touched. A cell that raises fails the notebook, as under `nbdev_test`. Then, unless
`--no-outputs`, its text outputs (printed lines, reprs, tables, markdown) are compared cell by cell with the
saved ones, and any difference fails it.

What may differ, and how much:
- Text that legitimately changes from run to run is replaced first: durations (`3.2 s`, `12 seconds`,
  `seconds=1.24`), temporary paths, memory addresses, dates, process ids, the line numbers of
  `show_doc`'s source links, software versions in a run's record (`'keras': '3.15.1'`: a fresh machine
  installs the newest release); runs of spaces count as one (a table's columns widen with its longest repr).
- Numbers are then compared as numbers. Whole numbers written without a point or an exponent (epoch
  counts, parameter counts, run counts) must be equal. Other numbers may differ by
  `ATOL + RTOL * max(|saved|, |today|)`, with RTOL = 1e-5 and ATOL = 1e-6: two CPUs that sum float32s in
  another order differ in the last bits (a loss of 22871067852800.0 against 22871076241408.0 is
  3.7e-7 apart relative to its size; a difference of 1.2e-07 against 1.8e-07 between two nets' losses is
  below ATOL), while an accuracy that changes in its 4th digit (0.8512 against 0.8513) is 1.2e-4 apart
  and fails.
- Figures are compared by their presence only (their bytes change with the fonts and matplotlib).
On a difference it prints the cell and a diff: run `.ci/execute_notebooks.py` on the notebook,
`nbdev_clean`, and commit the outputs it now shows. Exits 1 if any notebook failed.
"""
import argparse, difflib, math, re, sys, traceback
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from execute_notebooks import run_notebook
from execnb.nbio import read_nb

RTOL, ATOL = 1e-5, 1e-6

_NORMALISE = [
    (re.compile(r'/tmp/[\w.\-/]+'), '<tmp path>'),
    (re.compile(r'0x[0-9a-fA-F]{6,}'), '<address>'),
    (re.compile(r'\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2})?'), '<date>'),
    (re.compile(r'\b\d+(\.\d+)?(e[+-]?\d+)?\s?(s|ms|seconds|minutes|min)\b'), '<duration>'),
    (re.compile(r'''(seconds['"]?\s*[=:]\s*)-?\d+(\.\d+)?(e[+-]?\d+)?'''), r'\1<duration>'),  # seconds=1.24, 'train_seconds': 1.24
    (re.compile(r'\b(pid|process) \d+\b'), r'\1 <pid>'),
    (re.compile(r'(\.py)#L\d+'), r'\1#L<line>'),  # show_doc's source links: the docs build makes them afresh
    (re.compile(r'''(["'](?:dlproto|keras|tensorflow|jax|jaxlib|numpy|python)["']\s*:\s*)["'][\w.+-]*["']'''), r'\1<version>'),  # software versions
    (re.compile(r'[ \t]+'), ' '),
]

def normalise(text:str) -> str:
    "`text` with what changes from run to run replaced, and runs of spaces as one."
    for pattern, replacement in _NORMALISE: text = pattern.sub(replacement, text)
    return text

_re_number = re.compile(r'(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])|\b(?:nan|inf)\b')

def _close(a:str, b:str) -> bool:
    "Whether two numbers, as printed, are the same up to the stated tolerance (whole numbers exactly)."
    if a == b: return True
    whole = lambda s: re.fullmatch(r'[-+]?\d+', s) is not None
    if whole(a) and whole(b): return False
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y) or math.isinf(x) or math.isinf(y): return False
    return abs(x - y) <= ATOL + RTOL * max(abs(x), abs(y))

def same_text(saved:str, today:str) -> bool:
    "Whether two outputs say the same: equal text between the numbers, and numbers equal within the tolerance."
    a, b = normalise(saved), normalise(today)
    if a == b: return True
    if _re_number.split(a) != _re_number.split(b): return False
    na, nb = _re_number.findall(a), _re_number.findall(b)
    return len(na) == len(nb) and all(map(_close, na, nb))

def outputs(cell) -> list:
    "A code cell's outputs as comparable text: streams and text reprs, figures as a marker."
    shown = []
    for o in cell.get('outputs', []):
        kind = o.get('output_type')
        if kind == 'stream' and o.get('name') == 'stdout': shown.append(''.join(o['text']))
        elif kind in ('execute_result', 'display_data'):
            data = o.get('data', {})
            if 'image/png' in data or 'image/svg+xml' in data: shown.append('<figure>')
            elif 'text/markdown' in data: shown.append(''.join(data['text/markdown']))
            elif 'text/plain' in data: shown.append(''.join(data['text/plain']))
        elif kind == 'error': shown.append(f"error: {o.get('ename')}: {o.get('evalue')}")
    return shown

def differences(saved, fresh, name:str) -> list:
    "The code cells whose saved outputs (`saved` notebook) differ from today's (`fresh`), as printable diffs."
    found = []
    for i, (a, b) in enumerate(zip(saved.cells, fresh.cells)):
        if a.cell_type != 'code': continue
        old, new = outputs(a), outputs(b)
        if len(old) == len(new) and all(map(same_text, old, new)): continue
        diff = difflib.unified_diff(normalise('\n'.join(old)).splitlines(), normalise('\n'.join(new)).splitlines(),
                                    'saved', 'today', lineterm='', n=1)
        found.append(f'{name}, cell {i}:\n  ' + a.source.splitlines()[0][:100] + '\n' + '\n'.join(list(diff)[:40]))
    return found

def check(path:Path, compare:bool=True, flags:tuple=()) -> list:
    "Run `path` as its tests; the problems found (a traceback, or cells whose outputs changed), none if it passed."
    try: fresh = run_notebook(path, force_flags=flags)
    except Exception as e: return [f'{path.name}: a cell raised\n{getattr(e, "tb", None) or traceback.format_exc()}']
    return differences(read_nb(path), fresh, path.name) if compare else []

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='+')
    p.add_argument('--no-outputs', action='store_true', help='run the tests only (e.g. on another Keras backend)')
    p.add_argument('--flags', nargs='*', default=[], help='test flags whose cells run too, e.g. full')
    args = p.parse_args()
    problems = [d for nb in args.notebooks for d in check(Path(nb).resolve(), not args.no_outputs, tuple(args.flags))]
    for d in problems: print(d, '\n')
    what = 'tests' if args.no_outputs else 'tests and saved outputs'
    print(f'{len(args.notebooks)} notebooks, {what}: ' + (f'{len(problems)} problems; for changed outputs run '
          '.ci/execute_notebooks.py on the notebook, then nbdev_clean' if problems else 'pass'))
    sys.exit(1 if problems else 0)
