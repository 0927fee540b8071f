"""How close the sweep comes to this machine's limit: its floating-point rate (from original_vs_sweep.json)
next to this machine's single-precision matrix-multiply rate, measured here with numpy (OpenBLAS) on large
square matrices (the best case) and on the shapes of one training step of the 1x128 net at batch 32.

Usage: .venv/bin/python bench/machine_limit.py   (after original_vs_sweep.py; writes bench/results/machine_limit.json)
"""
import json, os, subprocess, sys
from common import RESULTS, write

def matmul_gflops(m:int, k:int, n:int, seconds:float=2.0) -> float:
    "Best GFLOP/s of float32 (m x k) @ (k x n) with numpy, repeated for about `seconds`."
    import time, numpy as np
    a, b = np.random.rand(m, k).astype('float32'), np.random.rand(k, n).astype('float32')
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps): a @ b
        dt = time.perf_counter() - t0
        if dt > 0.2: break
        reps *= 2
    best = min(_timed(a, b, reps) for _ in range(max(1, int(seconds / dt))))
    return 2 * m * k * n * reps / best / 1e9

def _timed(a, b, reps):
    import time
    t0 = time.perf_counter()
    for _ in range(reps): a @ b
    return time.perf_counter() - t0

SHAPES = {'2048 x 2048 @ 2048 x 2048': (2048, 2048, 2048), 'step, forward: 32 x 784 @ 784 x 128': (32, 784, 128)}

def rates(threads:int) -> dict:
    "Each shape's rate with OpenBLAS limited to `threads` threads (set before numpy loads, so in a fresh process)."
    code = f'import json, machine_limit; print(json.dumps({{k: machine_limit.matmul_gflops(*s) for k, s in machine_limit.SHAPES.items()}}))'
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads), PYTHONPATH=os.path.dirname(__file__))
    return json.loads(subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True, check=True).stdout)

def main():
    cores = os.cpu_count()
    measured = {f'{t} thread' + ('s' if t > 1 else ''): rates(t) for t in sorted({1, cores})}
    for threads, r in measured.items():
        for shape, g in r.items(): print(f'numpy float32 matmul, {threads}, {shape}: {g:.1f} GFLOP/s')
    peak = max(r['2048 x 2048 @ 2048 x 2048'] for r in measured.values())
    sweeps = []
    path = RESULTS/'original_vs_sweep.json'
    if path.exists():
        for run in json.loads(path.read_text())['runs']:
            share = run['sweep_gflop_per_s'] / peak
            sweeps.append(dict(backend=run['backend'], sweep_gflop_per_s=run['sweep_gflop_per_s'], share_of_peak=share))
            print(f"the sweep on {run['backend']}: {run['sweep_gflops']:.0f} GFLOP in {run['sweep_seconds']:.0f} s = "
                  f"{run['sweep_gflop_per_s']:.1f} GFLOP/s, {share:.1%} of the machine's {peak:.0f} GFLOP/s matmul peak")
    else: print(f'{path} not found: run original_vs_sweep.py first for the sweep side')
    write('machine_limit', dict(matmul_gflop_per_s=measured, peak_gflop_per_s=peak, sweeps=sweeps))

if __name__ == '__main__': main()
