"""Fail when a notebook's saved outputs differ from what its code prints today.

Usage: .venv/bin/python .ci/check_outputs.py nbs/NN_name.ipynb ...
Each notebook is run top to bottom as `.ci/execute_notebooks.py` runs it (same skipped cells, stderr
dropped), in memory: the file is not touched. Its text outputs (printed lines, reprs, tables) are then
compared cell by cell with the saved ones, after replacing what legitimately changes from run to run:
durations (`3.2 s`, `12 seconds`, `seconds=1.24`), temporary paths, memory addresses, dates, process ids and the line
numbers of `show_doc`'s source links. Figures are
compared by their presence only (their bytes change with the fonts and matplotlib's version). On a
difference it prints the cell and a diff, and exits 1: run `.ci/execute_notebooks.py` on the notebook,
`nbdev_clean`, and commit the outputs it now shows.
"""
import difflib, re, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from execute_notebooks import run_notebook
from execnb.nbio import read_nb

_NORMALISE = [
    (re.compile(r'/tmp/[\w.\-/]+'), '<tmp path>'),
    (re.compile(r'0x[0-9a-fA-F]{6,}'), '<address>'),
    (re.compile(r'\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2})?'), '<date>'),
    (re.compile(r'\b\d+(\.\d+)?(e[+-]?\d+)?\s?(s|ms|seconds|minutes|min)\b'), '<duration>'),
    (re.compile(r'''(seconds['"]?\s*[=:]\s*)-?\d+(\.\d+)?(e[+-]?\d+)?'''), r'\1<duration>'),  # seconds=1.24, 'train_seconds': 1.24
    (re.compile(r'\b(pid|process) \d+\b'), r'\1 <pid>'),
    (re.compile(r'(\.py)#L\d+'), r'\1#L<line>'),  # show_doc's source links: the docs build makes them afresh
]

def normalise(text:str) -> str:
    for pattern, replacement in _NORMALISE: text = pattern.sub(replacement, text)
    return text

def outputs(cell) -> list:
    "A code cell's outputs as comparable text: streams and text reprs normalised, figures as a marker."
    shown = []
    for o in cell.get('outputs', []):
        kind = o.get('output_type')
        if kind == 'stream' and o.get('name') == 'stdout': shown.append(normalise(''.join(o['text'])))
        elif kind in ('execute_result', 'display_data'):
            data = o.get('data', {})
            if 'image/png' in data or 'image/svg+xml' in data: shown.append('<figure>')
            elif 'text/markdown' in data: shown.append(normalise(''.join(data['text/markdown'])))
            elif 'text/plain' in data: shown.append(normalise(''.join(data['text/plain'])))
        elif kind == 'error': shown.append(f"error: {o.get('ename')}: {o.get('evalue')}")
    return shown

def differences(path:Path) -> list:
    "The code cells of `path` whose saved outputs differ from today's, as printable diffs."
    saved, fresh = read_nb(path), run_notebook(path)
    found = []
    for i, (a, b) in enumerate(zip(saved.cells, fresh.cells)):
        if a.cell_type != 'code': continue
        old, new = outputs(a), outputs(b)
        if old != new:
            diff = difflib.unified_diff('\n'.join(old).splitlines(), '\n'.join(new).splitlines(), 'saved', 'today', lineterm='', n=1)
            found.append(f'{path.name}, cell {i}:\n  ' + a.source.splitlines()[0][:100] + '\n' + '\n'.join(list(diff)[:40]))
    return found

if __name__ == '__main__':
    problems = [d for p in sys.argv[1:] for d in differences(Path(p).resolve())]
    for d in problems: print(d, '\n')
    print(f'{len(sys.argv) - 1} notebooks checked: ' + (f'{len(problems)} cells show outputs that today\'s code does not print; '
          'run .ci/execute_notebooks.py on them, then nbdev_clean' if problems else 'saved outputs match today\'s'))
    sys.exit(1 if problems else 0)
