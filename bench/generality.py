"""What the generality of 0.4.0 (any data, any model family, hyperparameter axes) costs and buys, side by side in one run.

1. **The default command, then and now.** `dlproto_sweep` with no flags but `--no_progress` (the original article's grid on
   the full Fashion-MNIST), run by the last release before it (0.3.0, from a `git worktree` of `--before`) and by this
   checkout, alternately, `--repeats` times each; the target is "within 10% of 0.3.0's wall time". The two draw a
   net's initial weights differently (0.4.0 seeds every layer independently), so their epochs may differ by a few;
   the seconds per net-epoch are compared too.
2. **A learning-rate axis in one program.** A grid of dense widths x 2 learning rates x 10 seeds, every net trained for
   `--epochs` epochs (a threshold of 1.0 is never reached): one command with `--learning_rate "0.001 0.003"` (the fused
   engine puts both rates in one program) against one command per learning rate, one after the other (one program
   each, as 0.3.0 had to), alternately.

Usage: .venv/bin/python bench/generality.py [--repeats 3] [--epochs 5] [--subset N] [--before 6daa34a]
Prints a table and writes bench/results/generality.json. About 15 minutes on 2 cores.
"""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path
import pandas as pd
from common import write

ROOT = Path(__file__).resolve().parent.parent

def command(code:Path, args:list) -> dict:
    "`python -m dlproto.cli` of the checkout `code`, in a fresh output folder: its wall seconds and its tidy table."
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, PYTHONPATH=str(code), TF_CPP_MIN_LOG_LEVEL='3', MPLBACKEND='Agg')
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, '-m', 'dlproto.cli', '--out', out, '--no_progress', *args],
                              capture_output=True, text=True, env=env, cwd=out)
        seconds = time.perf_counter() - t0
        if proc.returncode: raise RuntimeError(f'{code}: {args} failed:\n{proc.stderr[-3000:]}')
        results = pd.read_csv(Path(out)/'results.csv', dtype={'architecture': str})
    net_epochs = int(results.drop_duplicates('run_key').epochs_run.sum())
    print(f'{code.name:10} {" ".join(args) or "(defaults)":60} {seconds:7.1f} s  {net_epochs:4} net-epochs', flush=True)
    return dict(seconds=seconds, net_epochs=net_epochs)

def default_command(before:Path, repeats:int, data:list) -> dict:
    "The default command by 0.3.0 and by this checkout, alternately."
    then, now = [], []
    for _ in range(repeats):
        then.append(command(before, data))
        now.append(command(ROOT, data))
    median = lambda runs, key: float(pd.Series([r[key] for r in runs]).median())
    per_epoch = lambda runs: float(pd.Series([r['seconds'] / r['net_epochs'] for r in runs]).median())
    return dict(then=then, now=now, then_s=median(then, 'seconds'), now_s=median(now, 'seconds'),
                then_s_per_net_epoch=per_epoch(then), now_s_per_net_epoch=per_epoch(now))

def learning_rates(repeats:int, epochs:int, data:list) -> dict:
    "A width x learning-rate grid: one command (one program) against one command per learning rate."
    grid = ['--archs', '16 32 64 128', '--seeds', ' '.join(map(str, range(10))), '--thresholds', '1.0', '--max_epochs', str(epochs), *data]
    one, each = [], []
    for _ in range(repeats):
        one.append(command(ROOT, grid + ['--learning_rate', '0.001 0.003']))
        each.append(sum(command(ROOT, grid + ['--learning_rate', lr])['seconds'] for lr in ('0.001', '0.003')))
    return dict(one_program_s=float(pd.Series([r['seconds'] for r in one]).median()), one_per_rate_s=float(pd.Series(each).median()),
                one_program=one, one_per_rate=each, epochs=epochs, nets=4 * 10 * 2)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--epochs', type=int, default=5)
    ap.add_argument('--subset', type=int, default=None)
    ap.add_argument('--before', default='6daa34a', help='the commit of 0.3.0 to compare the default command with')
    a = ap.parse_args()
    data = [] if a.subset is None else ['--subset', str(a.subset)]
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp)/'v0.3.0'
        subprocess.run(['git', '-C', str(ROOT), 'worktree', 'add', '--detach', str(before), a.before], check=True, capture_output=True)
        try: default = default_command(before, a.repeats, data)
        finally: subprocess.run(['git', '-C', str(ROOT), 'worktree', 'remove', '--force', str(before)], capture_output=True)
    rates = learning_rates(a.repeats, a.epochs, data)
    print(f"\ndefault command: 0.3.0 {default['then_s']:.1f} s, now {default['now_s']:.1f} s ({default['now_s'] / default['then_s'] - 1:+.0%}); "
          f"per net-epoch {default['then_s_per_net_epoch']:.3f} s, now {default['now_s_per_net_epoch']:.3f} s")
    print(f"learning-rate axis, {rates['nets']} nets x {a.epochs} epochs: one program {rates['one_program_s']:.1f} s, "
          f"one per rate {rates['one_per_rate_s']:.1f} s ({rates['one_per_rate_s'] / rates['one_program_s']:.2f}x)")
    write('generality', dict(subset=a.subset, before=a.before, repeats=a.repeats, default_command=default, learning_rate_axis=rates))

if __name__ == '__main__':
    main()
