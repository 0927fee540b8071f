"""The GPU check: the default sweep, then the original article's grid x 100 seeds, each timed from a cold
start, on whatever this machine has (a GPU where one is visible). Prepared for a lent GPU machine without
network access (see ../shared/GPU.md for its set-up: wheels and data in a `.gpu` folder, KERAS_BACKEND=jax).

Usage: python3 bench/gpu.py [--seeds 100] [--subset N] [--max-epochs 30]
Prints each sweep's wall time and its epochs to each threshold (medians over seeds), and writes gpu.json to
$OUT when that is set (the device tool's output folder), else to bench/results/.
"""
import argparse, json, os, platform, subprocess, sys, tempfile, time
from pathlib import Path

def nvidia_smi() -> str:
    try: return subprocess.run(['nvidia-smi', '--query-gpu=name,memory.total,driver_version', '--format=csv,noheader'],
                               capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError: return 'no nvidia-smi'

def timed_sweep(label:str, seeds:list, store:Path, **settings) -> dict:
    from dlproto.analysis import summarize
    from dlproto.sweep import sweep
    t0 = time.perf_counter()
    results = sweep(seeds=seeds, store=store, progress=False, **settings)
    seconds = time.perf_counter() - t0
    summary = summarize(results)
    print(f'== {label}: {seconds:.1f} s wall, start-up included ==', flush=True)
    print(summary[['architecture', 'threshold', 'runs', 'reached', 'median_epochs', 'epochs_iqr']].to_string(index=False), flush=True)
    return dict(label=label, seeds=len(seeds), seconds=seconds, epochs_trained=int(results.drop_duplicates('run_key').epochs_run.sum()),
                summary=summary.to_dict('records'))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', type=int, default=100)
    ap.add_argument('--subset', type=int, default=None)
    ap.add_argument('--max-epochs', type=int, default=30)
    a = ap.parse_args()
    from dlproto.executors import gpu_memory
    print(f'GPU: {nvidia_smi()}; dlproto sees {gpu_memory() and gpu_memory() / 2**30:.0f} GiB' if gpu_memory() else
          f'no GPU visible: {nvidia_smi()}', flush=True)
    settings = dict(backend=os.environ.get('KERAS_BACKEND', 'jax'), subset=a.subset, max_epochs=a.max_epochs)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [timed_sweep('default grid, seed 0', [0], Path(tmp)/'default.sqlite', **settings),
                timed_sweep(f'grid x {a.seeds} seeds', list(range(a.seeds)), Path(tmp)/'seeds.sqlite', **settings)]
    out = Path(os.environ.get('OUT') or Path(__file__).parent/'results')
    out.mkdir(parents=True, exist_ok=True)
    (out/'gpu.json').write_text(json.dumps(dict(gpu=nvidia_smi(), python=platform.python_version(), settings=settings,
                                                finished=time.strftime('%Y-%m-%d %H:%M'), runs=runs), indent=2, default=str) + '\n')
    print(f"wrote {out/'gpu.json'}")

if __name__ == '__main__': main()  # the sweep's workers are spawned and re-import this file
