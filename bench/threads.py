"""Threads per fused worker and number of workers on a machine's CPU cores: the measurement behind the default of
`SweepSettings.threads`.

Each configuration is the command a user types, `python3 -m dlproto.cli --engine fused --threads T`, run as a fresh
process side by side in one run, with as many workers as the default makes of it (one per T cores), a JAX compilation
cache of its own (cold, like a first sweep) and the CPU alone (`JAX_PLATFORMS=cpu`). Each configuration trains the same
runs for the same epochs (checked), so its wall time, start-up included, is the whole comparison. Also the
configuration with no `--threads` at all: what the default does on this machine.

    python3 bench/threads.py                                   # here: both backends, the default grid and 4 seeds
    python3 bench/threads.py --backends jax --name threads_16_cores   # on a lent GPU machine's 16 cores (TensorFlow is not there)

Writes bench/results/<name>.json (or $OUT/<name>.json where the device tool sets OUT).
Usage: python3 bench/threads.py [--backends tensorflow jax] [--seeds 1 4] [--threads 16 4 1] [--max-epochs 10] [--subset N]
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import RESULTS, machine

def timed(backend:str, threads:int|None, seeds:int, a, out:Path) -> dict:
    "One configuration as a fresh `python3 -m dlproto.cli` process: its wall time and what it trained."
    args = [sys.executable, '-m', 'dlproto.cli', '--engine', 'fused', '--backend', backend, '--seeds', ' '.join(map(str, range(seeds))),
            '--max_epochs', str(a.max_epochs), '--no_progress', '--out', str(out), *(['--threads', str(threads)] if threads else []),
            *(['--subset', str(a.subset)] if a.subset else [])]
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, JAX_PLATFORMS='cpu', CUDA_VISIBLE_DEVICES='', JAX_COMPILATION_CACHE_DIR=cache, TF_CPP_MIN_LOG_LEVEL='3')
        t0 = time.perf_counter()
        proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=a.timeout)
        seconds = time.perf_counter() - t0
    if proc.returncode: raise RuntimeError(f'{" ".join(args)} failed:\n{proc.stderr[-2000:]}')
    import pandas as pd
    runs = pd.read_csv(out/'results.csv').drop_duplicates('run_key')
    return dict(backend=backend, runs=len(runs), threads=int(runs.threads.iloc[0]),  # the threads each run records
                seconds=round(seconds, 1), epochs_trained=int(runs.epochs_run.sum()))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--backends', nargs='+', default=['tensorflow', 'jax'])
    ap.add_argument('--seeds', nargs='+', type=int, default=[1, 4], help='grids: the default 4 architectures x this many seeds')
    cores = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()
    ap.add_argument('--threads', nargs='+', type=int, default=sorted({cores, max(1, cores // 4), 1} | ({cores // 2} if cores >= 8 else set()), reverse=True))
    ap.add_argument('--max-epochs', type=int, default=10, help='epochs per run (few: per-epoch cost is what differs)')
    ap.add_argument('--subset', type=int, default=None)
    ap.add_argument('--timeout', type=int, default=600)
    ap.add_argument('--name', default='threads')
    ap.add_argument('--no-default', action='store_true', help='skip the run without --threads (where the default is one of --threads)')
    a = ap.parse_args()
    folder = Path(os.environ['OUT']) if os.environ.get('OUT') else RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    rows, where = [], machine()
    print(f'{where["cores"]} cores ({where["cpu"]}); threads per worker {a.threads} and the default; workers: one per T cores', flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for seeds in a.seeds:
            for backend in a.backends:
                for threads in [*a.threads, *([] if a.no_default else [None])]:
                    row = dict(grid=f'4 architectures x {seeds} seed{"s" * (seeds > 1)}', threads_flag=threads or 'default',
                               **timed(backend, threads, seeds, a, Path(tmp)/f'{backend}-{seeds}-{threads}'))
                    row['workers'] = max(1, cores // row['threads']) if row.get('threads') else None
                    rows.append(row)
                    print(json.dumps(row), flush=True)
                    (folder/f'{a.name}.json').write_text(json.dumps(dict(machine=where, finished=time.strftime('%Y-%m-%d %H:%M'),
                        max_epochs=a.max_epochs, subset=a.subset, rows=rows), indent=2) + '\n')  # after each: kept if cut off
    for grid in dict.fromkeys(r['grid'] for r in rows):
        for backend in a.backends:
            mine = [r for r in rows if r['grid'] == grid and r['backend'] == backend]
            if not mine: continue
            same = len({r['epochs_trained'] for r in mine}) == 1
            print(f'{grid}, {backend}{"" if same else " (NOT the same epochs: compare with care)"}: ' +
                  ', '.join(f"threads {r['threads_flag']} ({r['workers']} workers) {r['seconds']} s" for r in mine))
    print(f'wrote {folder/f"{a.name}.json"}')

if __name__ == '__main__': main()
