"""The latest benchmark figures as one Markdown summary, with the machine they came from:
bench/results/summary.md (shown in the README), also printed.

Usage: .venv/bin/python bench/report.py   (after the other benchmarks; bash bench/run runs them all)
"""
import json
from common import RESULTS

def _load(name):
    path = RESULTS/f'{name}.json'
    return json.loads(path.read_text()) if path.exists() else None

def summary() -> str:
    "Markdown: the targets and what was measured against them."
    epoch, versus, limit, memory = (_load(n) for n in ('epoch_cost', 'original_vs_sweep', 'machine_limit', 'memory'))
    if not (epoch and versus and limit and memory): raise SystemExit(f'missing results in {RESULTS}: run bash bench/run')
    m = versus['machine']
    data = 'all 60,000 training images' if versus['subset'] is None else f"a {versus['subset']:,}-image subset"
    lines = [f"Measured {versus['finished']} on {m['cores']} cores of an {m['cpu']} ({m['memory_gib']} GiB), Python {m['python']}, "
             f"Keras {m['keras']}, TensorFlow {m.get('tensorflow', '-')}, JAX {m.get('jax', '-')}; "
             f"{data}, "
             f"seeds {', '.join(map(str, versus['seeds']))}.", '',
             '| default grid (4 nets x 3 thresholds) | backend | original procedure | dlproto sweep | faster | epochs agree |',
             '|---|---|---|---|---|---|']
    for r in versus['runs']:
        lines.append(f"| one run per case vs one run per net, {m['cores']} workers | {r['backend']} | {r['original_seconds']:.0f} s | "
                     f"{r['sweep_seconds']:.0f} s | **{r['ratio']:.1f}x** | {r['agree']} of {r['cases']} |")
    if 'jax_sweep_vs_tensorflow_original' in versus:
        lines.append(f"\nThe original procedure on TensorFlow (the article's set-up) against the sweep on JAX: "
                     f"**{versus['jax_sweep_vs_tensorflow_original']:.1f}x** faster (different backends draw different random "
                     "numbers, so these epochs are compared within each backend above).")
    lines += ['', '| the default sweep, the command line with no flags (target: under 2 GiB) | wall time | peak PSS, whole tree | peak RSS, summed | the command | largest worker |',
              '|---|---|---|---|---|---|']
    for b, r in memory['sweeps'].items():
        lines.append(f"| `{r['command']}` | {r['seconds']:.0f} s | **{r['peak_pss_mib'] / 1024:.2f} GiB** | {r['peak_rss_mib'] / 1024:.2f} GiB | "
                     f"{r['peak_root_rss_mib']:.0f} MiB | {r['peak_child_rss_mib']:.0f} MiB |")
    lines += ['', '| one epoch, 1x128 net, batch 32, 60,000 images | backend | threads | seconds per epoch |', '|---|---|---|---|']
    for r in epoch['rows']:
        lines.append(f"| {r['config']} | {r['backend']} | {r['threads']} | {r['median_epoch_s']:.2f} |")
    over = ', '.join(f'{b} {v:.3%}' for b, v in epoch['trainer_overhead'].items())
    noise = ', '.join(f"{b} {p['paired_ratio_median']:.2f}" for b, p in epoch['overhead_epochs'].items())
    held = ', '.join(f'{b} {v:+.0%}' for b, v in epoch['heldout_evaluation_cost'].items())
    lines.append(f"\nTrainer overhead (time inside the sweep's callbacks over a plain `model.fit` epoch, same compile settings): "
                 f"{over} (target: under 3%). Timing whole epochs cannot resolve it here: paired epochs with and without the "
                 f"callbacks differ by a median ratio of {noise}, the machine's noise. The sweep's held-out evaluation of every "
                 f"epoch on the 10,000 test images adds {held} to an epoch.")
    peak = limit['peak_gflop_per_s']
    step = max(r['step, forward: 32 x 784 @ 784 x 128'] for r in limit['matmul_gflop_per_s'].values())
    rates = ', '.join(f"{s['backend']} {s['sweep_gflop_per_s']:.1f} GFLOP/s ({s['share_of_peak']:.0%})" for s in limit['sweeps'])
    lines.append(f"\nMachine limit: numpy's float32 matrix multiply reaches {peak:.0f} GFLOP/s on large matrices and "
                 f"{step:.0f} GFLOP/s on one training step's shapes (32 x 784 @ 784 x 128); the sweep sustains {rates} of the large-matrix peak.")
    return '\n'.join(lines) + '\n'

if __name__ == '__main__':
    text = summary()
    (RESULTS/'summary.md').write_text(text)
    print(text)
    print(f"wrote {RESULTS/'summary.md'}")
