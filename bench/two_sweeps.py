"""Two sweeps on one folder against one sweep alone: the work shared through the store's claims.

The same grid (four architectures x two seeds, a 20,000-image subset, 5 epochs, the per-run engine so
that a group is one run, one worker process of one thread per command) is run by one `dlproto_sweep`
alone, then by two started together on one fresh folder. On a 2-core machine one command leaves a core
idle, two use both: if they share the work, together they finish in about half the time, each run
stored once. Records the wall times, their ratio, and how many runs each of the two trained.

Usage: .venv/bin/python bench/two_sweeps.py [--subset N]
Prints a line and writes bench/results/two_sweeps.json. About 3 minutes on 2 cores.
"""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path
from common import write

CLI = str(Path(sys.executable).parent/'dlproto_sweep')

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--subset', type=int, default=20_000)
    a = ap.parse_args()
    grid = ['--archs', '16 32 64 128', '--thresholds', '0.95', '--seeds', '0 1', '--max_epochs', '5', '--subset', str(a.subset),
            '--engine', 'per-run', '--workers', '1', '--threads', '1', '--no_progress']
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL='3', MPLBACKEND='Agg')
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([CLI, *grid, '--out', f'{tmp}/alone'], env=env, check=True, capture_output=True)
        alone = time.perf_counter() - start
        start = time.perf_counter()
        pair = [subprocess.Popen([CLI, *grid, '--out', f'{tmp}/shared'], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(2)]
        for p in pair:
            p.communicate()
            if p.returncode: raise RuntimeError(f'a sweep failed with exit status {p.returncode}')
        together = time.perf_counter() - start
        from dlproto.store import ResultsStore
        with ResultsStore(f'{tmp}/shared/results.sqlite') as store:
            by = list(store.saved_by().values())
            runs = len(store)
    share = sorted(by.count(o) for o in set(by))
    print(f'one sweep alone: {alone:.1f} s; two sweeps on one folder: {together:.1f} s ({alone / together:.2f}x faster); '
          f'{runs} runs stored, trained {share} by the two', flush=True)
    write('two_sweeps', dict(subset=a.subset, alone_s=alone, together_s=together, speedup=alone / together, runs=runs,
                             runs_per_sweep=share))

if __name__ == '__main__': main()
