"""The original article's procedure against dlproto's sweep, on the same grid and seeds, in one invocation.

The original procedure answers "how many epochs does each architecture need to reach each threshold?" by
training from scratch for every (threshold, architecture, seed) case, one after another: training
accuracy, batch 32, Adam 1e-3, a 30-epoch cap, Keras's default compile settings, and a callback that
stops once `accuracy` reaches the threshold. Both sides start each case from the same initial weights
(`dense_classifier` with the case's seed) on the same Keras backend. The original procedure lets Keras
shuffle (seeded with the case's seed), while dlproto draws each epoch's batch order from the seed itself
(`batch_order`), so the two are different samples of the same experiment: their epochs-to-threshold agree
where the outcome is robust, not case by case (the fused and per-run engines, which share the batch
order, agree case by case: engines.py).

For each backend asked for, this runs the original procedure in a fresh process, then `sweep()` with its
defaults (one worker process per core) while sampling the memory of the sweep's whole process tree, and
records wall times, their ratio, the case-by-case epochs, the sweep's arithmetic (forward + backward per
training image, forward per test image, per epoch) and peak memory.

Usage: .venv/bin/python bench/original_vs_sweep.py [--backends "tensorflow jax"] [--seeds "0"] [--subset N] [--reuse-original]
Prints a table and writes bench/results/original_vs_sweep.json. The full default grid on both backends
takes about 30 minutes on 2 cores.
"""
import argparse, json, tempfile, time
from pathlib import Path
from common import RESULTS, TreeMemory, run_in_worker, write

def original_procedure(subset, seeds, max_epochs=30) -> dict:
    "Every case of the original procedure, one after another in this process: {case: epochs or None}, seconds."
    import keras, numpy as np
    from dlproto.data import load_fashion_mnist
    from dlproto.model import architecture_name, dense_classifier
    from dlproto.runs import DEFAULT_ARCHITECTURES, DEFAULT_THRESHOLDS

    class StopAtAccuracy(keras.callbacks.Callback):
        "The original article's callback: stop once training accuracy reaches `threshold` (as logged: float32)."
        def __init__(self, threshold): super().__init__(); self.threshold = np.float32(threshold)
        def on_epoch_end(self, epoch, logs=None):
            if np.float32(logs['accuracy']) >= self.threshold: self.model.stop_training = True

    t0 = time.perf_counter()
    data, epochs = load_fashion_mnist(subset=subset), {}
    for t in DEFAULT_THRESHOLDS:
        for hidden in DEFAULT_ARCHITECTURES:
            for seed in seeds:
                model = dense_classifier(hidden, seed=seed)
                model.compile(optimizer=keras.optimizers.Adam(1e-3), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
                keras.utils.set_random_seed(seed)
                acc = model.fit(data.x_train, data.y_train, batch_size=32, epochs=max_epochs, verbose=0,
                                callbacks=[StopAtAccuracy(t)]).history['accuracy']
                case = f'{t:g} {architecture_name(hidden)} {seed}'
                epochs[case] = next((i for i, a in enumerate(acc, 1) if np.float32(a) >= np.float32(t)), None)
                print(f'original: threshold {t:g}, {architecture_name(hidden):>4}, seed {seed}: {epochs[case]} epochs '
                      f'({time.perf_counter() - t0:.0f} s so far)', flush=True)
    return dict(epochs=epochs, seconds=time.perf_counter() - t0, n_train=len(data.x_train), n_test=len(data.x_test))

def sweep_flops(results, n_train:int, n_test:int) -> float:
    "Floating-point operations of the sweep's runs: 6 per weight per training image (forward 2, backward 4), 2 per test image."
    total = 0.0
    for r in results.drop_duplicates('run_key').itertuples():
        widths = [784, *map(int, r.architecture.split('x')), 10]
        weights = sum(a * b for a, b in zip(widths, widths[1:]))
        total += r.epochs_run * weights * (6 * n_train + 2 * n_test)
    return total

def compare(backend:str, subset, seeds, reuse:dict|None=None) -> dict:
    from dlproto.sweep import sweep
    if reuse:
        print(f"== {backend}: the original procedure, as measured on {reuse['finished']} ==", flush=True)
        base = reuse
    else:
        print(f'== {backend}: the original procedure ==', flush=True)
        base = run_in_worker('original_vs_sweep', 'original_procedure', dict(subset=subset, seeds=seeds), backend, threads=1)
        base['finished'] = time.strftime('%Y-%m-%d %H:%M')
    print(f'== {backend}: the dlproto sweep ==', flush=True)
    with tempfile.TemporaryDirectory() as tmp, TreeMemory() as memory:
        t0 = time.perf_counter()
        results = sweep(seeds=seeds, store=Path(tmp)/'bench.sqlite', backend=backend, subset=subset, progress=False)
        sweep_s = time.perf_counter() - t0
    rows, agree = [], 0
    for r in results.itertuples():
        ours = int(r.epochs) if r.reached else None
        theirs = base['epochs'][f'{r.threshold:g} {r.architecture} {r.seed}']
        agree += ours == theirs
        rows.append(dict(threshold=r.threshold, architecture=r.architecture, seed=int(r.seed), original_epochs=theirs, sweep_epochs=ours))
        print(f'{r.threshold:>5g} {r.architecture:>5} seed {r.seed}: original {theirs}, sweep {ours}')
    flops = sweep_flops(results, base['n_train'], base['n_test'])
    out = dict(backend=backend, original=base, original_seconds=base['seconds'], sweep_seconds=sweep_s, ratio=base['seconds'] / sweep_s,
               agree=agree, cases=len(rows), original_epochs_trained=sum(e or 30 for e in base['epochs'].values()),
               sweep_epochs_trained=int(results.drop_duplicates('run_key').epochs_run.sum()),
               sweep_gflops=flops / 1e9, sweep_gflop_per_s=flops / 1e9 / sweep_s, memory=memory.as_dict(), rows=rows)
    print(f"{backend}: original procedure {base['seconds']:.0f} s, dlproto sweep {sweep_s:.0f} s: {out['ratio']:.2f}x faster; "
          f"epochs agree in {agree} of {len(rows)} cases; sweep peak memory {memory.as_dict()}", flush=True)
    return out

def main(backends, subset, seeds, reuse_original:bool=False):
    old = {}
    if reuse_original:  # the sweep changed but the original procedure did not: time the sweep again only
        prev = json.loads((RESULTS/'original_vs_sweep.json').read_text())
        if (prev['subset'], prev['seeds']) != (subset, seeds): raise SystemExit('--reuse-original needs the same --subset and --seeds')
        old = {r['backend']: dict(r['original'], finished=r['original'].get('finished', prev['finished'])) for r in prev['runs'] if 'original' in r}
        if set(backends) - set(old): raise SystemExit(f'no stored original procedure for {sorted(set(backends) - set(old))}')
    runs = [compare(b, subset, seeds, old.get(b)) for b in backends]
    by = {r['backend']: r for r in runs}
    extra = {}
    if {'tensorflow', 'jax'} <= set(by):
        extra['jax_sweep_vs_tensorflow_original'] = by['tensorflow']['original_seconds'] / by['jax']['sweep_seconds']
        print(f"the original procedure on TensorFlow vs the sweep on JAX: {extra['jax_sweep_vs_tensorflow_original']:.2f}x")
    write('original_vs_sweep', dict(subset=subset, seeds=seeds, runs=runs, **extra))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--backends', default='tensorflow jax', help='Keras backends to compare on (default: "tensorflow jax")')
    p.add_argument('--subset', type=int, default=None, help='train on this many images (default: all 60,000)')
    p.add_argument('--seeds', default='0', help='seeds, separated by spaces (default: "0")')
    p.add_argument('--reuse-original', action='store_true', help="time the sweep only; take the original procedure's epochs and time from the last run")
    a = p.parse_args()
    main(a.backends.split(), a.subset, [int(s) for s in a.seeds.split()], a.reuse_original)
