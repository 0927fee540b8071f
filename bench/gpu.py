"""The GPU check: the commands a user types, each timed as a fresh process, on whatever this
machine has (a GPU where one is visible), with the GPU's memory and load sampled by `nvidia-smi` meanwhile.

1. `dlproto_sweep`, no flags: the default grid (4 architectures, seed 0) on the fused engine;
2. `dlproto_sweep --seeds "0 1 ... 99"`: the grid x 100 seeds (the issue's target: under 60 s on an H100);
3. the same again into a new folder: what a second sweep costs once JAX's compiled programs are on disk;
4. `dlproto_sweep --engine per-run --max_epochs 2`: 0.2.0's engine, which crashed on a GPU (every worker took
   75% of its memory); now one worker uses it;
5. the default grid again on the CPU cores alone (`JAX_PLATFORMS=cpu`), for comparison;
6. and 7. a CNN grid (`--model cnn --archs "8 16 16x32"`, 10 seeds, 3 epochs, bench/cnn_engines.py's grid on all the
   images) with `--engine fused` and with `--engine per-run`: the measurement engine='auto' needs for CNNs on a GPU
   (the issue's target: fused at least 3x faster), on 12,000 images like bench/cnn_engines.py unless --cnn-subset says.

Prepared for a lent GPU machine without network access: first, here, build the `.gpu` folder that ../shared/GPU.md
describes (the wheels the machine lacks, and the data), then run there, carrying `.gpu`:

    python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .gpu/whl/*.whl || exit 1
    export PYTHONPATH=/tmp/site:$PWD KERAS_HOME=$PWD/.gpu/keras KERAS_BACKEND=jax PYTHONUNBUFFERED=1 MPLBACKEND=Agg
    python3 bench/gpu.py --runs default seeds seeds_again; python3 bench/startup.py --seeds 100
    python3 bench/threads.py --backends jax --threads 16 4 2 1 --no-default --max-epochs 8 --name threads_16_cores  # its CPU cores

The CLI runs as `python3 -m dlproto.cli`, which needs no installed console script. Writes gpu.json and gpu.log to $OUT
when that is set (the device tool's output folder), else to bench/results/; bench/report.py reads gpu.json (and
gpu_startup.json, startup.py's output renamed) from bench/results/. About 3 minutes on an H200 (and the CNN grid: not yet measured there).
Usage: python3 bench/gpu.py [--seeds 100] [--subset N] [--max-epochs 30] [--runs ...] [--budget SECONDS]
"""
import argparse, json, os, platform, shlex, subprocess, sys, tempfile, threading, time
from pathlib import Path

def nvidia_smi(*query:str) -> list:
    "One row of `nvidia-smi --query-gpu` per GPU, or [] without one."
    try: out = subprocess.run(['nvidia-smi', f'--query-gpu={",".join(query)}', '--format=csv,noheader,nounits'],
                              capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError): return []
    return [[v.strip() for v in line.split(',')] for line in out.splitlines() if line.strip()]

class GpuSampler:
    "Samples the GPU's memory in use (MiB) and utilisation (%) every `every` seconds while the block runs."
    def __init__(self, every:float=0.5): self.every, self.samples = every, []
    def __enter__(self):
        self.stop = threading.Event()
        def sample():
            while not self.stop.wait(self.every):
                rows = nvidia_smi('memory.used', 'utilization.gpu')
                if rows and all(v.isdigit() for v in rows[0]): self.samples.append(tuple(map(int, rows[0])))
        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()
        return self
    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
    def facts(self) -> dict:
        if not self.samples: return {}
        busy = [u for _, u in self.samples if u > 0]
        return dict(peak_gpu_memory_mib=max(m for m, _ in self.samples),
                    mean_gpu_utilisation=round(sum(u for _, u in self.samples) / len(self.samples), 1),
                    share_of_samples_busy=round(len(busy) / len(self.samples), 2))

def timed_command(label:str, args:list, out:Path, log, timeout:int, env:dict|None=None) -> dict:
    "Run `python3 -m dlproto.cli *args --out out` as a fresh process; its wall time, exit code, GPU use and summary."
    cmd = [sys.executable, '-m', 'dlproto.cli', *args, '--out', str(out)]
    print(f'== {label}\n$ {shlex.join(cmd)}', file=log, flush=True)
    t0 = time.perf_counter()
    with GpuSampler() as gpu:
        try: rc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, timeout=timeout, env={**os.environ, **(env or {})}).returncode
        except subprocess.TimeoutExpired: rc = 'timed out'
    seconds = time.perf_counter() - t0
    fact = dict(label=label, command=shlex.join(args), env=env or {}, exit_code=rc, seconds=round(seconds, 1), **gpu.facts())
    if (out/'results.csv').exists():
        import pandas as pd
        runs = pd.read_csv(out/'results.csv').drop_duplicates('run_key')
        fact.update(runs=len(runs), epochs_trained=int(runs.epochs_run.sum()))
        from dlproto.analysis import format_summary  # summary.csv holds numbers; the facts keep the words the command printed
        summary = format_summary(pd.read_csv(out/'summary.csv'))
        fact['median_epochs'] = {f'{r.architecture} @ {r.threshold}': (r.median_epochs, f'{r.reached} of {r.runs}')
                                 for r in summary.itertuples()}
    print(f'== {label}: exit {rc}, {seconds:.1f} s wall, start-up included; {json.dumps({k: v for k, v in fact.items() if k != "median_epochs"})}',
          flush=True)
    by_threshold = {}
    for k, (median, reached) in fact.get('median_epochs', {}).items():
        arch, t = k.split(' @ ')
        by_threshold.setdefault(t, []).append(f'{arch}: {median} ({reached})')
    for t, cells in by_threshold.items(): print(f'   median epochs to {t}: ' + ', '.join(cells))
    return fact

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', type=int, default=100)
    ap.add_argument('--subset', type=int, default=None)
    ap.add_argument('--cnn-subset', type=int, default=12000, help="the CNN grid's images (bench/cnn_engines.py's 12,000; 0: all)")
    ap.add_argument('--max-epochs', type=int, default=None)
    ap.add_argument('--timeout', type=int, default=240, help='seconds each command may take')
    names = ['default', 'seeds', 'seeds_again', 'per_run', 'cpu', 'cnn_fused', 'cnn_per_run']
    ap.add_argument('--runs', nargs='+', default=names, choices=names, help='which commands, in this order')
    ap.add_argument('--budget', type=int, default=520, help='seconds all of them may take: a command gets what is left')
    a = ap.parse_args()
    extra = [*(['--subset', str(a.subset)] if a.subset else []), *(['--max_epochs', str(a.max_epochs)] if a.max_epochs else [])]
    results = Path(os.environ.get('OUT') or Path(__file__).parent/'results')
    results.mkdir(parents=True, exist_ok=True)
    gpu = nvidia_smi('name', 'memory.total', 'driver_version')
    print(f'GPU: {gpu or "none visible"}; backend {os.environ.get("KERAS_BACKEND", "tensorflow (default)")}', flush=True)
    versions = subprocess.run([sys.executable, '-c', 'import jax, keras; print(jax.__version__, keras.__version__, jax.devices())'],
                              capture_output=True, text=True).stdout.strip()
    print(f'jax, keras, devices: {versions}', flush=True)
    seeds = ' '.join(map(str, range(a.seeds)))
    commands = {'default': ('default grid, seed 0 (no flags)', extra, {}),
                'seeds': (f'grid x {a.seeds} seeds', ['--seeds', seeds, *extra], {}),
                'seeds_again': (f'grid x {a.seeds} seeds again, into a new folder (compiled programs from the cache)',
                                ['--seeds', seeds, *extra], {}),
                'per_run': ("per-run engine (0.2.0's), 2 epochs", ['--engine', 'per-run', '--max_epochs', '2',
                                                               *(['--subset', str(a.subset)] if a.subset else [])], {}),
                'cpu': ('default grid on the CPU cores alone', extra, dict(JAX_PLATFORMS='cpu'))}
    cnn = ['--model', 'cnn', '--archs', '8 16 16x32', '--seeds', ' '.join(map(str, range(10))), '--thresholds', '0.80 0.85',
           '--max_epochs', '3', *(['--subset', str(a.cnn_subset)] if a.cnn_subset else [])]
    commands.update(cnn_fused=('CNN grid x 10 seeds, fused', [*cnn, '--engine', 'fused'], {}),
                    cnn_per_run=('CNN grid x 10 seeds, per run', [*cnn, '--engine', 'per-run'], {}))
    commands = [commands[name] for name in a.runs]
    deadline, runs = time.monotonic() + a.budget, []
    with tempfile.TemporaryDirectory() as tmp, open(results/'gpu.log', 'w') as log:
        for i, (label, args, env) in enumerate(commands):
            left = int(deadline - time.monotonic())
            if left < 20: print(f'== {label}: skipped, {left} s of the budget left', flush=True); continue
            runs.append(timed_command(label, args, Path(tmp)/f'sweep{i}', log, min(a.timeout, left), env))
            (results/'gpu.json').write_text(json.dumps(dict(gpu=gpu, cpu_cores=os.cpu_count(), python=platform.python_version(),
                                                           jax_keras_devices=versions, finished=time.strftime('%Y-%m-%d %H:%M'),
                                                           runs=runs), indent=2, default=str) + '\n')  # after each: kept if cut off
    print(f"wrote {results/'gpu.json'} and gpu.log")

if __name__ == '__main__': main()
