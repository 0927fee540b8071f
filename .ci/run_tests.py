"""dlproto's tests: every notebook run once as its tests with its saved outputs checked, the core notebooks again on
JAX, the README's examples and the output checker's own test. Ends with one line 'tests: N passed, N failed'.

Usage: .venv/bin/python .ci/run_tests.py [--quick] [--flags full] [--jobs N]
Each test is a fresh process (a notebook pays the import of Keras once, and nothing leaks between them), run
`--jobs` at a time (default: one per core), the slowest first. A test's output is shown only when it fails.
- every notebook in nbs/ on TensorFlow: `.ci/check_outputs.py` (its cells as `nbdev_test` runs them, and
  its saved outputs compared with today's at the tolerance stated there);
- the core notebooks (data to runs: `0[0-7]_*`) on Keras's JAX backend: their tests only (their saved
  outputs are TensorFlow's);
- the README's examples, as written, in a fresh folder (`.ci/test_readme.py`);
- the output checker's own test (`.ci/test_check_outputs.py`).
`--quick` leaves out the notebooks listed in .ci/slow_notebooks (those that start worker processes and train
sweeps through them) and the JAX pass: a few minutes, for while you work; CI runs everything.
"""
import argparse, os, re, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

root = Path(__file__).resolve().parent.parent
python = sys.executable

def tests(quick:bool, flags:list) -> list:
    "The tests to run, as (label, command, extra environment), the slowest first."
    slow = (root/'.ci'/'slow_notebooks').read_text().split()
    nbs = sorted(p.name for p in (root/'nbs').glob('*.ipynb'))
    order = sorted(nbs, key=lambda n: slow.index(n) if n in slow else len(slow))  # slow ones first, in their listed order
    flag = ['--flags', *flags] if flags else []
    found = [(f'{n} on TensorFlow: tests and saved outputs', [python, '.ci/check_outputs.py', *flag, f'nbs/{n}'],
              dict(KERAS_BACKEND='tensorflow')) for n in order if not (quick and n in slow)]
    if not quick:
        found += [(f'{n} on JAX: tests', [python, '.ci/check_outputs.py', '--no-outputs', *flag, f'nbs/{n}'],
                   dict(KERAS_BACKEND='jax')) for n in nbs if re.match(r'0[0-7]_', n)]
    found += [("the README's examples, run as written", [python, '.ci/test_readme.py'], {}),
              ('the output checker', [python, '.ci/test_check_outputs.py'], {})]
    return found

def run(test:tuple) -> tuple:
    "Run one test; its label, whether it passed, its seconds and its output."
    label, cmd, env = test
    start = time.monotonic()
    p = subprocess.run(cmd, cwd=root, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, text=True)
    return label, p.returncode == 0, time.monotonic() - start, p.stdout

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--quick', action='store_true', help='leave out the slow notebooks and the JAX pass')
    ap.add_argument('--flags', nargs='*', default=[], help='test flags whose cells run too (settings.ini: notest full)')
    ap.add_argument('--jobs', type=int, default=os.cpu_count(), help='tests run at once')
    args = ap.parse_args()
    todo, start, failed = tests(args.quick, args.flags), time.monotonic(), []
    print(f'{len(todo)} tests, {args.jobs} at a time' + (' (quick: no slow notebooks, no JAX pass)' if args.quick else ''), flush=True)
    with ThreadPoolExecutor(args.jobs) as pool:
        for done in as_completed([pool.submit(run, t) for t in todo]):
            label, ok, seconds, output = done.result()
            print(f"{'PASS' if ok else 'FAIL'} {label} ({seconds:.0f} s)", flush=True)
            if not ok: failed.append(label); print(output.rstrip() + '\n', flush=True)
    n_tf = sum('TensorFlow' in t[0] for t in todo)
    n_jax = sum(' JAX' in t[0] for t in todo)
    print(f'counted: {n_tf} notebooks on TensorFlow (tests and saved outputs)' + (f', {n_jax} core notebooks on JAX (tests)' if n_jax else '')
          + f", the README's examples and the output checker; {(time.monotonic() - start) / 60:.1f} minutes")
    for label in failed: print(f'failed: {label}')
    print(f'tests: {len(todo) - len(failed)} passed, {len(failed)} failed')
    sys.exit(1 if failed else 0)
