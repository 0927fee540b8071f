"""The original article's procedure against dlproto's sweep, on the same grid and seeds, in one invocation.

The original procedure answers "how many epochs does each architecture need to reach each threshold?" by
training from scratch for every (threshold, architecture, seed) case: training accuracy, batch 32, Adam
1e-3, a 30-epoch cap, Keras's default compile settings, and a callback that stops once `accuracy`
reaches the threshold. Both sides start each case from the same initial weights (`dense_classifier` with
the case's seed) and the same shuffling seed, so their epochs-to-threshold should agree case by case.

Usage: .venv/bin/python bench/original_vs_sweep.py [--subset N] [--seeds "0"] [--workers N]
Prints a table and writes bench/results/original_vs_sweep.json (wall times, their ratio, agreement,
peak memory of the sweep's processes). The full default grid takes about an hour on 2 cores.
"""
import os
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import argparse, json, platform, resource, tempfile, time
from pathlib import Path
import keras
from dlproto.data import load_fashion_mnist
from dlproto.model import architecture_name, dense_classifier
from dlproto.sweep import DEFAULT_ARCHITECTURES, DEFAULT_THRESHOLDS, sweep

class StopAtAccuracy(keras.callbacks.Callback):
    "The original article's callback: stop once training accuracy reaches `threshold`."
    def __init__(self, threshold): super().__init__(); self.threshold = threshold
    def on_epoch_end(self, epoch, logs=None):
        if logs['accuracy'] >= self.threshold: self.model.stop_training = True

def original(data, hidden, seed, threshold, max_epochs):
    "One case of the original procedure: a fresh model, default compile, trained until `threshold` or the cap."
    model = dense_classifier(hidden, seed=seed)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    keras.utils.set_random_seed(seed)
    h = model.fit(data.x_train, data.y_train, batch_size=32, epochs=max_epochs, verbose=0,
                  callbacks=[StopAtAccuracy(threshold)])
    acc = h.history['accuracy']
    return next((i for i, a in enumerate(acc, 1) if a >= threshold), None)

def main(subset, seeds, workers, max_epochs=30):
    data = load_fashion_mnist(subset=subset)
    cases = [(t, a, s) for t in DEFAULT_THRESHOLDS for a in DEFAULT_ARCHITECTURES for s in seeds]
    t0 = time.perf_counter()
    baseline = {}
    for t, a, s in cases:
        baseline[(t, architecture_name(a), s)] = original(data, a, s, t, max_epochs)
        print(f'original: threshold {t:g}, {architecture_name(a):>4}, seed {s}: epochs {baseline[(t, architecture_name(a), s)]}', flush=True)
    original_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        results = sweep(DEFAULT_ARCHITECTURES, DEFAULT_THRESHOLDS, seeds, store=Path(tmp)/'bench.sqlite',
                        workers=workers, progress=False, max_epochs=max_epochs, subset=subset)
    sweep_s = time.perf_counter() - t0
    peak_children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peak_self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows, agree = [], 0
    for r in results.itertuples():
        ours = None if not r.reached else int(r.epochs)
        theirs = baseline[(r.threshold, r.architecture, r.seed)]
        agree += ours == theirs
        rows.append(dict(threshold=r.threshold, architecture=r.architecture, seed=int(r.seed), original_epochs=theirs, sweep_epochs=ours))
    for row in rows: print(f"{row['threshold']:>5g} {row['architecture']:>5} seed {row['seed']}: original {row['original_epochs']}, sweep {row['sweep_epochs']}")
    print(f'\noriginal procedure: {original_s:.1f} s for {len(cases)} trainings; dlproto sweep: {sweep_s:.1f} s '
          f'for {len(DEFAULT_ARCHITECTURES) * len(seeds)} runs; ratio {original_s / sweep_s:.2f}x; '
          f'epochs agree in {agree} of {len(rows)} cases')
    print(f'peak RSS: this process {peak_self_mb:.0f} MiB, largest child (sweep worker) {peak_children_mb:.0f} MiB')
    out = Path(__file__).parent/'results'/'original_vs_sweep.json'
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(dict(
        machine=dict(processor=platform.machine(), cpus=os.cpu_count(), keras=keras.__version__, backend=keras.config.backend()),
        subset=subset, seeds=list(seeds), workers=workers, original_seconds=original_s, sweep_seconds=sweep_s,
        ratio=original_s / sweep_s, agree=agree, cases=len(rows), peak_rss_mib=dict(parent=peak_self_mb, largest_child=peak_children_mb),
        rows=rows), indent=2) + '\n')
    print(f'wrote {out}')

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--subset', type=int, default=None, help='train on this many images (default: all 60,000)')
    p.add_argument('--seeds', default='0', help='seeds, separated by spaces (default: "0")')
    p.add_argument('--workers', type=int, default=None, help="the sweep's worker processes (default: one per core)")
    a = p.parse_args()
    main(a.subset, [int(s) for s in a.seeds.split()], a.workers)
