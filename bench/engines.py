"""The fused engine against the per-run engine, through the `dlproto_sweep` command, side by side in one run.

For each backend: the default grid (1x16, 1x32, 1x64, 1x128 x thresholds 0.85/0.90/0.95, seed 0, all 60,000
images, up to 30 epochs) with `--engine fused` and `--engine per-run`, each a fresh command in a fresh
output folder (on JAX, with JAX's on-disk compilation cache empty at the start, then once more with it
filled, as a sweep run again finds it), timing its wall clock; the memory (PSS) of its whole process tree is sampled in a separate
run of each, because reading a process's /proc/PID/smaps_rollup takes its memory-map lock and so slows
the very command being timed (engines.json keeps the memory runs' wall times too); then the
same grid with 10 seeds, capped at `--epochs10` epochs (5 by default: no net reaches 0.95 that soon, so
every net trains exactly that many epochs on both engines and the ratio is the per-epoch throughput).
The machine's float32 matmul peak (numpy, 2048^3) is measured in the
same run, and the 10-seed runs' arithmetic rate is reported as a share of it. Epochs to each threshold
of the two engines are compared case by case.

Usage: .venv/bin/python bench/engines.py [--backends "tensorflow jax"] [--epochs10 5] [--subset N]
Prints a table and writes bench/results/engines.json. About 20 minutes on 2 cores.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path
import pandas as pd
from common import RESULTS, TreeMemory, matmul_gflops, write

CLI = str(Path(sys.executable).parent/'dlproto_sweep')

def flops(results:pd.DataFrame, n_train:int, n_test:int=10_000) -> float:
    "Arithmetic of the runs: 6 FLOPs per weight per training image (forward and backward), 2 per test image, per epoch."
    total = 0.0
    for r in results.drop_duplicates('run_key').itertuples():
        widths = [784, *map(int, r.architecture.split('x')), 10]
        total += r.epochs_run * sum(a * b for a, b in zip(widths, widths[1:])) * (6 * n_train + 2 * n_test)
    return total

def run_cli(engine:str, backend:str, args:list, memory:bool=False) -> dict:
    "One `dlproto_sweep` command in a fresh folder: wall seconds, its tidy table and, with `memory`, the peak memory of its process tree."
    with tempfile.TemporaryDirectory() as out:
        cmd = [CLI, '--engine', engine, '--backend', backend, '--out', out, '--no_progress', *args]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL='3', MPLBACKEND='Agg'))
        if memory:
            with TreeMemory(proc.pid) as sampled: out_text, err = proc.communicate()
        else: out_text, err = proc.communicate()
        seconds = time.perf_counter() - t0
        if proc.returncode: raise RuntimeError(f'{cmd} failed:\n{err[-3000:]}')
        results = pd.read_csv(Path(out)/'results.csv', dtype={'architecture': str})
    print(f'{backend:10} {engine:8} {" ".join(args) or "(defaults)":28} {seconds:7.1f} s' +
          (f'  peak PSS {sampled.peak_pss_mib:6.0f} MiB (memory run)' if memory else ''), flush=True)
    return dict(engine=engine, backend=backend, args=args, seconds=seconds, memory=sampled.as_dict() if memory else None, results=results)

def epochs_by_case(results:pd.DataFrame) -> dict:
    return {f'{r.threshold:g} {r.architecture} {r.seed}': (int(r.epochs) if r.reached else None) for r in results.itertuples()}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--backends', default='tensorflow jax')
    ap.add_argument('--epochs10', type=int, default=5)
    ap.add_argument('--subset', type=int, default=None)
    a = ap.parse_args()
    data = [] if a.subset is None else ['--subset', str(a.subset)]
    os.environ['JAX_COMPILATION_CACHE_DIR'] = tempfile.mkdtemp(prefix='dlproto-bench-jax-cache-')  # cold: a first run is a first run
    n_train = a.subset or 60_000
    peak = max(matmul_gflops(2048, 2048, 2048) for _ in range(2))
    print(f'numpy float32 matmul peak here: {peak:.0f} GFLOP/s', flush=True)
    rows = []
    for backend in a.backends.split():
        default = {e: run_cli(e, backend, data) for e in ('fused', 'per-run')}
        # JAX keeps compiled programs on disk (worker_env): the same command again starts faster; TensorFlow has no such cache
        again = {e: run_cli(e, backend, data) for e in ('fused', 'per-run')} if backend == 'jax' else None
        ten = {e: run_cli(e, backend, [*data, '--seeds', ' '.join(map(str, range(10))), '--max_epochs', str(a.epochs10)])
               for e in ('fused', 'per-run')}
        sampled = {e: run_cli(e, backend, data, memory=True) for e in ('fused', 'per-run')}
        memory = {e: r['memory'] for e, r in sampled.items()}
        fe, pe = epochs_by_case(default['fused']['results']), epochs_by_case(default['per-run']['results'])
        nets = default['fused']['results'].drop_duplicates('run_key')
        weights = nets.n_params.to_numpy(float)  # a net's arithmetic per epoch is proportional to its weights
        after_stop = float((weights * (nets.epochs_run.max() - nets.epochs_run)).sum() / (weights * nets.epochs_run.max()).sum())
        rate = {e: flops(r['results'], n_train) / r['seconds'] / 1e9 for e, r in ten.items()}
        # while training: the fused program's epochs (compilation included), without process start-up and data loading;
        # every net trains every epoch here, so the nets' shares of the program's time add up to its training time
        fused_train_s = ten['fused']['results'].drop_duplicates('run_key').train_seconds.sum()
        rows.append(dict(
            backend=backend,
            default_grid=dict(fused_s=default['fused']['seconds'], per_run_s=default['per-run']['seconds'],
                              speedup=default['per-run']['seconds'] / default['fused']['seconds'],
                              fused_peak_pss_mib=memory['fused']['peak_pss_mib'],
                              per_run_peak_pss_mib=memory['per-run']['peak_pss_mib'],
                              memory_runs_s={e: r['seconds'] for e, r in sampled.items()},
                              epochs_agree=sum(fe[c] == pe[c] for c in fe), cases=len(fe), fused_epochs=fe, per_run_epochs=pe,
                              epochs_run={a: int(e) for a, e in zip(nets.architecture, nets.epochs_run)},
                              share_spent_after_stop=after_stop,
                              **(dict(again_fused_s=again['fused']['seconds'], again_per_run_s=again['per-run']['seconds'],
                                      again_speedup=again['per-run']['seconds'] / again['fused']['seconds']) if again else {})),
            ten_seeds=dict(max_epochs=a.epochs10, fused_s=ten['fused']['seconds'], per_run_s=ten['per-run']['seconds'],
                           speedup=ten['per-run']['seconds'] / ten['fused']['seconds'],
                           fused_gflop_per_s=rate['fused'], per_run_gflop_per_s=rate['per-run'],
                           fused_share_of_peak=rate['fused'] / peak, fused_training_s=fused_train_s,
                           fused_training_gflop_per_s=flops(ten['fused']['results'], n_train) / fused_train_s / 1e9,
                           fused_training_share_of_peak=flops(ten['fused']['results'], n_train) / fused_train_s / 1e9 / peak)))
    print()
    print('| backend | default grid: fused | per-run | faster | epochs agree | peak PSS fused | 10 seeds: fused | per-run | faster | fused GFLOP/s (share of peak) | while training |')
    print('|---|---|---|---|---|---|---|---|---|---|---|')
    for r in rows:
        d, t = r['default_grid'], r['ten_seeds']
        print(f"| {r['backend']} | {d['fused_s']:.0f} s | {d['per_run_s']:.0f} s | {d['speedup']:.2f}x | {d['epochs_agree']} of {d['cases']} "
              f"| {d['fused_peak_pss_mib'] / 1024:.2f} GiB | {t['fused_s']:.0f} s | {t['per_run_s']:.0f} s | {t['speedup']:.2f}x "
              f"| {t['fused_gflop_per_s']:.0f} ({t['fused_share_of_peak']:.0%}) | {t['fused_training_gflop_per_s']:.0f} ({t['fused_training_share_of_peak']:.0%}) |")
    write('engines', dict(matmul_peak_gflop_per_s=peak, subset=a.subset, rows=rows))

if __name__ == '__main__': main()
