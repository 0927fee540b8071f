"""The latest benchmark figures as one Markdown summary, with the machine they came from:
bench/results/summary.md (shown in the README), also printed.

Usage: .venv/bin/python bench/report.py   (after the other benchmarks; bash bench/run runs them all)
"""
import json
from common import RESULTS

def _load(name):
    path = RESULTS/f'{name}.json'
    return json.loads(path.read_text()) if path.exists() else None

def _machine(r) -> str:
    m = r['machine']
    return (f"{m['cores']} cores of an {m['cpu']} ({m['memory_gib']} GiB), Python {m['python']}, Keras {m['keras']}, "
            f"TensorFlow {m.get('tensorflow', '-')}, JAX {m.get('jax', '-')}")

def _data(subset) -> str: return 'all 60,000 training images' if subset is None else f'a {subset:,}-image subset'

def summary() -> str:
    "Markdown: the targets and what was measured against them."
    engines, versus, epoch = (_load(n) for n in ('engines', 'original_vs_sweep', 'epoch_cost'))
    if not (engines and versus and epoch): raise SystemExit(f'missing results in {RESULTS}: run bash bench/run')
    lines = [f"**The two engines**, measured side by side on {engines['finished']}, {_machine(engines)}; {_data(engines['subset'])}. "
             "Wall time of the dlproto_sweep command, start-up included, and (in a separate run, as sampling can slow what it samples) the peak memory (PSS) of its whole process tree. "
             f"Default grid: 4 nets x 3 thresholds, seed 0, up to 30 epochs. 10 seeds: the same grid with seeds 0-9, "
             f"{engines['rows'][0]['ten_seeds']['max_epochs']} epochs each (the per-epoch throughput).", '',
             '| backend | default grid: fused | per-run | faster | epochs agree | peak PSS, fused (per-run) | 10 seeds: fused | per-run | faster | fused arithmetic rate: command | while training |',
             '|---|---|---|---|---|---|---|---|---|---|---|']
    for r in engines['rows']:
        d, t = r['default_grid'], r['ten_seeds']
        lines.append(f"| {r['backend']} | {d['fused_s']:.0f} s | {d['per_run_s']:.0f} s | **{d['speedup']:.1f}x** | "
                     f"{d['epochs_agree']} of {d['cases']} | **{d['fused_peak_pss_mib'] / 1024:.2f} GiB** ({d['per_run_peak_pss_mib'] / 1024:.2f} GiB) | "
                     f"{t['fused_s']:.0f} s | {t['per_run_s']:.0f} s | **{t['speedup']:.1f}x** | "
                     f"{t['fused_gflop_per_s']:.0f} GFLOP/s ({t['fused_share_of_peak']:.0%} of the peak) | "
                     f"{t['fused_training_gflop_per_s']:.0f} GFLOP/s (**{t['fused_training_share_of_peak']:.0%}**) |")
    lines.append(f"\nThe machine's float32 matrix-multiply peak (numpy, 2048 x 2048 matrices), measured in the same run: "
                 f"{engines['matmul_peak_gflop_per_s']:.0f} GFLOP/s. The arithmetic rate counts 6 FLOPs per weight per training "
                 "image and 2 per test image, per epoch: over the whole command's wall time, and over the fused program's training time "
                 "(its epochs, the first one's compilation included; without the process start-up and the data loading).")
    again = [r for r in engines['rows'] if 'again_fused_s' in r['default_grid']]
    for r in again:
        d = r['default_grid']
        lines.append(f"\nThe same default-grid commands run again on {r['backend']}, with JAX's compiled programs from its on-disk cache "
                     f"(filled by the first run): fused {d['again_fused_s']:.0f} s, per-run {d['again_per_run_s']:.0f} s "
                     f"(**{d['again_speedup']:.1f}x**).")
    stopped = ', '.join(f"{r['backend']} {r['default_grid']['share_spent_after_stop']:.0%} (epochs run: "
                        + ', '.join(f'{a}: {e}' for a, e in r['default_grid']['epochs_run'].items()) + ')' for r in engines['rows'])
    lines.append(f"\nArithmetic the fused program spends on nets that have already stopped (the program runs until its last net "
                 f"stops), default grid: {stopped}.")
    lines += ['', f"**The original article's procedure** (a fresh model per threshold and architecture, Keras's default compile) "
              f"against the default sweep, in one run on {versus['finished']}, {_machine(versus)}; {_data(versus['subset'])}, "
              f"seeds {', '.join(map(str, versus['seeds']))}.", '',
              '| default grid (4 nets x 3 thresholds) | backend | original procedure | dlproto sweep | faster | epochs agree |',
              '|---|---|---|---|---|---|']
    for r in versus['runs']:
        lines.append(f"| article's procedure vs the default sweep | {r['backend']} | {r['original_seconds']:.0f} s | "
                     f"{r['sweep_seconds']:.0f} s | **{r['ratio']:.1f}x** | {r['agree']} of {r['cases']} |")
    lines.append("\nThe article's procedure lets Keras shuffle; dlproto draws every epoch's batch order from the seed "
                 "(dlproto.training.batch_order), so the two train on different batch orders: two samples of the same experiment, whose "
                 "epochs agree where the outcome is robust. Case by case equality is between the two engines, which share "
                 "the batch order (first table).")
    lines += ['', f"**One epoch of the per-run engine's trainer**, measured on {epoch['finished']}, {_machine(epoch)}.", '',
              '| one epoch, 1x128 net, batch 32, 60,000 images | backend | threads | seconds per epoch |', '|---|---|---|---|']
    for r in epoch['rows']:
        lines.append(f"| {r['config']} | {r['backend']} | {r['threads']} | {r['median_epoch_s']:.2f} |")
    over = ', '.join(f'{b} {v:.3%}' for b, v in epoch['trainer_overhead'].items())
    held = ', '.join(f'{b} {v:+.0%}' for b, v in epoch['heldout_evaluation_cost'].items())
    lines.append(f"\nTrainer overhead (time inside the per-run sweep's callbacks over a plain model.fit epoch): {over} "
                 f"(target: under 3%). The held-out evaluation of every epoch on the 10,000 test images adds {held} to an epoch.")
    pair = _load('two_sweeps')
    if pair:
        lines += ['', f"**Two sweeps on one folder** share its runs (claims in the store), measured on {pair['finished']}, "
                  f"{_machine(pair)}: 4 nets x 2 seeds, {_data(pair['subset'])}, 5 epochs, the per-run engine, one worker of one "
                  f"thread per command. One command alone: {pair['alone_s']:.0f} s; two started together on one folder: "
                  f"{pair['together_s']:.0f} s (**{pair['speedup']:.1f}x**), {pair['runs']} runs stored once, "
                  f"{' and '.join(map(str, pair['runs_per_sweep']))} trained by each."]
    lines += _generality()
    lines += _cnn_engines()
    lines += _threads()
    lines += _gpu()
    return '\n'.join(lines) + '\n'

def _generality() -> list:
    "What 0.4.0's generality costs and buys (bench/generality.py), if measured."
    g = _load('generality')
    if not g: return []
    d, r = g['default_command'], g['learning_rate_axis']
    return ['', f"**Any data, any model, hyperparameter axes: the cost and the gain** (bench/generality.py on {g['finished']}, "
            f"{_machine(g)}; {_data(g['subset'])}; medians of {g['repeats']} runs each, alternated). The default command "
            f"(dlproto_sweep with no flags): 0.3.0 {d['then_s']:.1f} s, now {d['now_s']:.1f} s (**{d['now_s'] / d['then_s'] - 1:+.0%}**; "
            f"target: within 10%); per net-epoch {d['then_s_per_net_epoch']:.3f} s and {d['now_s_per_net_epoch']:.3f} s (0.4.0 seeds every "
            f"layer independently, so its nets train other epochs). A learning-rate axis, 4 widths x 2 learning rates x 10 seeds = "
            f"{r['nets']} nets, {r['epochs']} epochs each: one command, one program, {r['one_program_s']:.1f} s; one command per learning "
            f"rate, {r['one_per_rate_s']:.1f} s (**{r['one_per_rate_s'] / r['one_program_s']:.2f}x**)."]

def _cnn_engines() -> list:
    "The engines on a CNN grid (bench/cnn_engines.py), if measured: the measurement behind engine='auto' for convolutional nets."
    c = _load('cnn_engines')
    if not c: return []
    g, rows = c['grid'], c['rows']
    lines = ['', f"**A CNN grid: fused against per-run** (bench/cnn_engines.py on {c['finished']}, {_machine(c)}; `--model cnn --archs "
             f"\"{g['archs']}\"`, {g['seeds']} seeds, {_data(g['subset'])}, thresholds 0.80/0.85 within {g['epochs']} epochs; wall time of "
             "the dlproto_sweep command, start-up included; the fused commands compiled a call per batch, the default then).", '',
             '| backend | fused | per-run | per-run / fused | same epochs case by case |', '|---|---|---|---|---|']
    for r in rows:
        lines.append(f"| {r['backend']} | {r['fused_s']:.1f} s | {r['per_run_s']:.1f} s | **{r['per_run_s'] / r['fused_s']:.2f}x** | "
                     f"{'yes' if r['same_epochs_case_by_case'] else 'no'} |")
    names = {'epoch_in_one_call_s': 'CNN, an epoch per call', 'one_call_per_batch_s': 'CNN, a call per batch',
             'vmap_epoch_in_one_call_s': 'CNN, seeds vmapped, an epoch per call', 'vmap_one_call_per_batch_s': 'CNN, seeds vmapped, a call per batch',
             'xla_epoch_in_one_call_s': 'CNN, XLA, an epoch per call', 'xla_one_call_per_batch_s': 'CNN, XLA, a call per batch',
             'dense_stacked_s': 'dense grid, stacked layers', 'dense_as_models_s': 'dense grid, one Keras model per net'}
    lines += ['', f"How a fused group is compiled: seconds of one epoch (the second; the first compiles) of the 16-filter CNN x "
              f"{c.get('step_seeds', 2)} seeds, and of the default dense grid (4 widths) x {c.get('step_seeds', 2)} seeds, in one worker "
              "with every core; on TensorFlow the CNN program runs TensorFlow's own kernels unless it says XLA.", '',
              '| program | ' + ' | '.join(r['backend'] for r in rows) + ' |', '|---|' + '---|' * len(rows)]
    for key, name in names.items():
        if any(key in r for r in rows):
            lines.append(f'| {name} | ' + ' | '.join(f"{r[key]:.2f} s" if key in r else '' for r in rows) + ' |')
    return lines

def _threads() -> list:
    "Threads per fused worker against the number of workers (bench/threads.py), here and on a lent GPU machine's CPU cores."
    runs = [r for r in (_load('threads'), _load('threads_16_cores')) if r]
    if not runs: return []
    lines = ['', "**Threads per worker, and how many workers** (bench/threads.py: the fused engine through the command, `--threads T` "
             "and one worker per T cores, each worker pinned to cores of its own; a fresh process and an empty JAX cache each; "
             f"the CPU alone; up to {runs[0]['max_epochs']} epochs; side by side in one run per machine). Wall time, start-up included:", '',
             '| machine | grid | backend | ' + ' | '.join(f'T = {t}' for t in sorted({r['threads'] for b in runs for r in b['rows']}, reverse=True)) + ' | fastest |',
             '|---|---|---|' + '---|' * (len({r['threads'] for b in runs for r in b['rows']}) + 1)]
    every = sorted({r['threads'] for b in runs for r in b['rows']}, reverse=True)
    for b in runs:
        for grid in dict.fromkeys(r['grid'] for r in b['rows']):
            for backend in dict.fromkeys(r['backend'] for r in b['rows']):
                rows = {r['threads']: r for r in b['rows'] if r['grid'] == grid and r['backend'] == backend and r['threads_flag'] != 'default'}
                if not rows: continue
                best = min(rows.values(), key=lambda r: r['seconds'])
                lines.append(f"| {b['machine']['cores']} cores ({b['finished'][:10]}) | {grid} | {backend} | " +
                             ' | '.join(f"{rows[t]['seconds']:.1f} s ({rows[t]['workers']} worker{'s' * (rows[t]['workers'] > 1)})" if t in rows else '' for t in every) +
                             f" | **T = {best['threads']}** |")
    lines.append("\nOne thread per worker and a worker per core was fastest or as fast in every case, so it is the default for both "
                 "engines (the one worker that drives a GPU keeps every core). Workers are pinned because XLA's CPU client (JAX) sizes "
                 "its thread pool by the cores a process may use and ignores thread flags. TensorFlow was not measured on 16 cores: "
                 "it could not be taken to the lent machine (no registry there; its wheel is far over what may travel).")
    return lines

def _gpu_cnn() -> list:
    "The CNN grid fused against per run on a GPU (bench/gpu.py --runs cnn_fused cnn_per_run; gpu_cnn.json), if measured."
    g = _load('gpu_cnn')
    if not g: return []
    r = {x['label']: x for x in g['runs']}
    fused, per_run = r.get('CNN grid x 10 seeds, fused'), r.get('CNN grid x 10 seeds, per run')
    if not (fused and per_run): return []
    same = fused.get('median_epochs') == per_run.get('median_epochs')
    return ['', f"**The CNN grid on a GPU** (bench/gpu.py on {g['finished']}, one {g['gpu'][0][0]}, JAX; `--model cnn --archs \"8 16 16x32\"`, "
            f"10 seeds, 3 epochs, 12,000 images, as bench/cnn_engines.py): fused **{fused['seconds']:.1f} s**, per run {per_run['seconds']:.1f} s, "
            f"start-up included: per-run/fused **{per_run['seconds'] / fused['seconds']:.1f}x** (the target was 3x; with only 3 epochs of "
            f"12,000 images, start-up and compilation weigh much; the per-run worker was pinned to one CPU core, its default then, "
            f"where it now gets every core: its time may be lower today, not measured), peak GPU memory {fused['peak_gpu_memory_mib'] / 1024:.1f} GiB fused. "
            f"Median epochs to each threshold {'the same' if same else 'NOT the same'} both ways. So `--engine auto` fuses every family on a GPU."] + (
            [f"In the same session the default grid, no flags, took {r['default grid, seed 0 (no flags)']['seconds']:.1f} s (dlproto 0.6)."]
            if 'default grid, seed 0 (no flags)' in r else [])

def _gpu() -> list:
    "The GPU check (bench/gpu.py, run on a lent GPU machine; its gpu.json copied here), if there is one."
    gpu, first, startup = (_load(n) for n in ('gpu', 'gpu_first', 'gpu_startup'))
    if not gpu: return []
    name, mib, _ = gpu['gpu'][0]
    jax, keras = gpu['jax_keras_devices'].split()[:2]
    lines = ['', f"**On a GPU** (bench/gpu.py on {gpu['finished']}: one {name}, {int(mib) / 1024:.0f} GiB, {gpu['cpu_cores']} CPU cores, "
             f"Python {gpu['python']}, JAX {jax}, Keras {keras}), the commands a user types, each in a fresh process (the first two with JAX's "
             "on-disk cache of compiled programs empty), with `KERAS_BACKEND=jax` and no other setting:", '',
             '| command | wall time, start-up included | runs | peak GPU memory | epochs to 0.90, median (32 / 64 / 128 units) |', '|---|---|---|---|---|']
    for r in gpu['runs'] + [r for r in (first or {}).get('runs', []) if 'per-run' in r['label'] or 'CPU' in r['label']]:
        medians = ' / '.join(str(r['median_epochs'][f'{a} @ 0.9'][0]) for a in (32, 64, 128)) if 'median_epochs' in r else ''
        earlier = ' (an earlier run of the check, before its last changes)' if r not in gpu['runs'] else ''
        lines.append(f"| {r['label']}{earlier} | **{r['seconds']:.1f} s** | {r.get('runs', '')} | {r.get('peak_gpu_memory_mib', 0) / 1024:.2f} GiB | {medians} |")
    default = [r['median_epochs']['32 @ 0.9'][0] for r in ((first or {}).get('runs', [])[:1] + gpu['runs'][:1]) if 'median_epochs' in r]
    if len(set(default)) > 1:
        lines.append(f"\nOn the GPU a run was not repeatable bit for bit (XLA on a GPU does not promise the same order of additions from run to run unless told to, with --xla_gpu_deterministic_ops, which was not tried): seed 0's 32-unit "
                     f"net reached 0.90 at epoch {default[0]} in the earlier run of the check and at {default[1]} in the latest.")
    if startup:
        ph, c = startup['phases'], startup['compiles']
        lines.append(f"\nWhere a 400-net group's start-up goes on that GPU (bench/startup.py, in one process): importing Keras and JAX "
                     f"{ph['import keras']:.1f} s, building the nets {ph['build 400 nets (first time: initialisers compiled)']:.1f} s "
                     f"(JAX compiles the seeded initialisers once per layer shape), the first epoch {ph['epoch 1 (build again, compile, run)']:.1f} s "
                     f"of which compiling the training program takes {c['jit(steps)']['seconds']:.1f} s and the held-out evaluation "
                     f"{c['jit(<lambda>)']['seconds']:.1f} s; then {ph['epoch 2']:.2f} s per epoch for all 400 nets.")
    return lines + _gpu_cnn()

if __name__ == '__main__':
    text = summary()
    (RESULTS/'summary.md').write_text(text)
    print(text)
    print(f"wrote {RESULTS/'summary.md'}")
