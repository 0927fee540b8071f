"""Which engine trains a CNN grid faster: fused against per-run, through the `dlproto_sweep` command, side by side in one run.

For each backend: a grid of 3 convolutional architectures (`--model cnn --archs "8 16 16x32"`) x 10 seeds on
Fashion-MNIST (a `--subset` of the training images, the whole test set evaluated each epoch), thresholds 0.80 and
0.85 within `--epochs` epochs, with `--engine fused` and `--engine per-run`, each a fresh command in a fresh output
folder, timing its wall clock. Epochs to each threshold of the two engines are compared case by case.

Then how the fused engine should compile a CNN group: the 16-filter net x `--step_seeds` seeds trained by
`train_fused` in a fresh worker-like process per backend and variant: a whole epoch in one compiled call (`lax.scan` on
JAX, an XLA loop on TensorFlow) or one call per batch, and on JAX the seeds called one by one or `vmap`ped
(`vectorize`), and on TensorFlow the program compiled by XLA or not (`jit_compile`); the second epoch is timed (the first compiles). And whether the dense fast path still pays: the
default grid's 4 dense widths x `--step_seeds` seeds as stacked layers (`FusedClassifiers`) against the same nets
as the family's own Keras models (`FusedModels`, through a builder that returns `dense_classifier`). `--steps_only` measures this part alone and updates
the rows of an earlier run's json.

Usage: .venv/bin/python bench/cnn_engines.py [--backends "tensorflow jax"] [--subset 12000] [--epochs 3] [--steps_only]
Prints a table and writes bench/results/cnn_engines.json. About 35 minutes on 2 cores.
"""
import argparse, os, sys, tempfile
from pathlib import Path
from common import run_in_worker, write
from engines import epochs_by_case, run_cli

ARCHS, SEEDS = '8 16 16x32', ' '.join(map(str, range(10)))

VARIANTS = {'epoch_in_one_call_s': dict(batches_per_call=None), 'one_call_per_batch_s': dict(batches_per_call=1),
            'vmap_epoch_in_one_call_s': dict(batches_per_call=None, vectorize=True), 'vmap_one_call_per_batch_s': dict(batches_per_call=1, vectorize=True),
            'xla_epoch_in_one_call_s': dict(batches_per_call=None, jit_compile=True), 'xla_one_call_per_batch_s': dict(batches_per_call=1, jit_compile=True)}

def epoch_seconds(backend:str, subset:int, seeds:int, batches_per_call=1, vectorize=False, jit_compile='auto') -> float:
    "Seconds of a fused group's second epoch (the first compiles), in this process: 16 filters x `seeds` seeds."
    import time
    from dlproto.data import load_fashion_mnist
    from dlproto.fused import train_fused
    data = load_fashion_mnist(subset=subset, seed=0)
    ends = []
    train_fused([(16,)], list(range(seeds)), data.x_train, data.y_train, thresholds=1.0, epochs=2, model='cnn',
                batches_per_call=batches_per_call, vectorize=vectorize, jit_compile=jit_compile, on_epoch=lambda epoch, runs: ends.append(time.perf_counter()))
    return ends[1] - ends[0]

def dense_builder(hidden, activation='relu', input_shape=(28, 28), n_classes=10, seed=0):
    "`dense_classifier` as your own builder would call it: its nets then train as `FusedModels`, not as stacked layers."
    from dlproto.model import dense_classifier
    return dense_classifier(hidden, activation, input_shape, n_classes, seed)

def dense_epoch_seconds(backend:str, subset:int, seeds:int, stacked:bool) -> float:
    "Seconds of the second epoch of the default grid's 4 widths x `seeds` seeds, fused as stacked layers or as separate Keras models."
    import time
    from dlproto.data import load_fashion_mnist
    from dlproto.fused import train_fused
    data = load_fashion_mnist(subset=subset, seed=0)
    ends = []
    train_fused([{'hidden': (w,)} for w in (16, 32, 64, 128)], list(range(seeds)), data.x_train, data.y_train, thresholds=1.0, epochs=2,
                model='dense' if stacked else dense_builder, batches_per_call=None,
                on_epoch=lambda epoch, runs: ends.append(time.perf_counter()))
    return ends[1] - ends[0]

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--backends', default='tensorflow jax')
    ap.add_argument('--subset', type=int, default=12000)
    ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--step_seeds', type=int, default=10)
    ap.add_argument('--steps_only', action='store_true')
    a = ap.parse_args()
    if a.steps_only:
        from common import RESULTS
        import json
        old = json.loads((RESULTS/'cnn_engines.json').read_text())
        for row in old['rows']: row.update(steps(row['backend'], a))
        write('cnn_engines', dict(grid=old['grid'], step_seeds=a.step_seeds, engines_measured=old['finished'], rows=old['rows']))
        return
    os.environ['JAX_COMPILATION_CACHE_DIR'] = tempfile.mkdtemp(prefix='dlproto-bench-jax-cache-')  # cold, as a first sweep
    args = ['--model', 'cnn', '--archs', ARCHS, '--seeds', SEEDS, '--thresholds', '0.80 0.85',
            '--max_epochs', str(a.epochs), '--subset', str(a.subset)]
    rows = []
    for backend in a.backends.split():
        by_engine = {e: run_cli(e, backend, args) for e in ('fused', 'per-run')}
        same = epochs_by_case(by_engine['fused']['results']) == epochs_by_case(by_engine['per-run']['results'])
        row = dict(backend=backend, fused_s=by_engine['fused']['seconds'], per_run_s=by_engine['per-run']['seconds'],
                   same_epochs_case_by_case=same, **steps(backend, a))
        print(f"{backend:10} fused {row['fused_s']:6.1f} s  per-run {row['per_run_s']:6.1f} s  "
              f"(per-run/fused {row['per_run_s'] / row['fused_s']:.2f}x)  same epochs case by case: {same}", flush=True)
        rows.append(row)
    write('cnn_engines', dict(grid=dict(archs=ARCHS, seeds=10, subset=a.subset, epochs=a.epochs), step_seeds=a.step_seeds, rows=rows))

def steps(backend:str, a) -> dict:
    "One fused epoch of a CNN group per way of compiling it (`VARIANTS`; vmap on JAX only), each in a fresh process."
    found = {}
    for name, variant in VARIANTS.items():
        if (variant.get('vectorize') and backend != 'jax') or ('jit_compile' in variant and backend != 'tensorflow'): continue
        found[name] = run_in_worker('cnn_engines', 'epoch_seconds', dict(backend=backend, subset=a.subset, seeds=a.step_seeds, **variant),
                                    backend=backend, threads=os.cpu_count())
        print(f'{backend:10} one fused epoch, 16 filters x {a.step_seeds} seeds, {name}: {found[name]:.1f} s', flush=True)
    for name, stacked in (('dense_stacked_s', True), ('dense_as_models_s', False)):
        found[name] = run_in_worker('cnn_engines', 'dense_epoch_seconds', dict(backend=backend, subset=a.subset, seeds=a.step_seeds,
                                    stacked=stacked), backend=backend, threads=os.cpu_count())
        print(f'{backend:10} one fused epoch, 4 dense widths x {a.step_seeds} seeds, {name}: {found[name]:.1f} s', flush=True)
    return found

if __name__ == '__main__':
    sys.path.insert(0, str(Path(__file__).parent))
    main()
