"""What one epoch of the original article's network (1x128, batch 32, Adam 1e-3) costs on the full
Fashion-MNIST training set, and what dlproto's trainer adds to it.

Each configuration trains a fresh model in a fresh process set up like a sweep worker (Keras backend and
thread count fixed before Keras is imported), for 1 + N epochs: the first (tracing, compilation) is
reported apart, the rest by their median.

- `model.fit, Keras defaults`: the original article's compile settings (`steps_per_execution=1`, XLA as
  Keras's 'auto' decides: off for TensorFlow on a CPU, on for JAX), with the backend's own thread pools
  and with one thread (as the benchmark against the original procedure runs it);
- `model.fit, dlproto compile`: plain `fit` with dlproto's compile settings (`steps_per_execution=32`);
- `dlproto train, recording`: `train` with the same compile settings and the callbacks of every sweep
  run, a `ThresholdStopping` that records but never stops and the once-an-epoch divergence check;
- `dlproto train, recording + held-out`: what each sweep run does per epoch: the same, plus the held-out
  evaluation on the 10,000 test images (a measurement the sweep adds, reported apart).

Epoch times on this shared machine vary by 10-20% between processes and between epochs, more than the
trainer adds, so the overhead is measured directly: one compiled model trains one epoch at a time in one
process per backend, alternating plain `fit` with `fit` plus the sweep's callbacks (in both orders), and the
time spent inside those callbacks' hooks is counted; the overhead is its median over a plain epoch's median.
The median ratio of the paired epoch times is recorded too, as a cross-check that shows the noise.

Usage: .venv/bin/python bench/epoch_cost.py [--epochs N]   (prints a table, writes bench/results/epoch_cost.json)
"""
import argparse, json, statistics, time
from common import run_in_worker, write

def sweep_callbacks(model) -> list:
    "The callbacks of every sweep run, with a threshold never reached, so they record and never stop."
    from dlproto.runs import SweepSettings, run_callbacks
    return run_callbacks(model, SweepSettings(thresholds=1.0))

def one(config:str, epochs:int) -> dict:
    "Train the 1x128 net for `epochs` epochs as `config` says; per-epoch seconds and the last accuracy (run in a worker)."
    import keras
    from dlproto.data import load_fashion_mnist
    from dlproto.model import dense_classifier
    from dlproto.training import compile_classifier, train

    class EpochTimes(keras.callbacks.Callback):
        def on_train_begin(self, logs=None): self.seconds = []
        def on_epoch_begin(self, epoch, logs=None): self._t = time.perf_counter()
        def on_epoch_end(self, epoch, logs=None): self.seconds.append(time.perf_counter() - self._t)

    data, timer = load_fashion_mnist(), EpochTimes()
    model = dense_classifier((128,), seed=0)
    if config.startswith('train'):
        heldout = (data.x_test, data.y_test) if config == 'train-heldout' else None
        history = train(model, data.x_train, data.y_train, epochs=epochs, seed=0, validation_data=heldout,
                        callbacks=[*sweep_callbacks(model), timer])
    else:
        if config == 'fit-defaults':
            model.compile(optimizer=keras.optimizers.Adam(1e-3), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        else: compile_classifier(model, jit_compile=config == 'fit-xla' or 'auto')
        keras.utils.set_random_seed(0)
        history = model.fit(data.x_train, data.y_train, batch_size=32, epochs=epochs, verbose=0, callbacks=[timer])
    return dict(epoch_s=timer.seconds, final_accuracy=history.history['accuracy'][-1])

def overhead(rounds:int) -> dict:
    "Paired epochs, plain `fit` vs `fit` with the sweep's callbacks, on one compiled model (run in a worker)."
    import keras
    from dlproto.data import load_fashion_mnist
    from dlproto.model import dense_classifier
    from dlproto.training import compile_classifier
    data = load_fashion_mnist()
    model = compile_classifier(dense_classifier((128,), seed=0))
    keras.utils.set_random_seed(0)
    def epoch(callbacks):
        t0 = time.perf_counter()
        model.fit(data.x_train, data.y_train, batch_size=32, epochs=1, verbose=0, callbacks=callbacks)
        return time.perf_counter() - t0
    epoch([])  # tracing and compilation
    spent = []  # seconds inside the sweep's callbacks, per recording epoch
    def timed(callbacks):
        "The callbacks, each hook they define wrapped to add its time to `spent[-1]`."
        for cb in callbacks:
            for name in ('on_train_begin', 'on_epoch_begin', 'on_epoch_end', 'on_train_end', 'on_train_batch_end'):
                hook = getattr(cb, name)
                if getattr(hook, '__func__', None) is getattr(keras.callbacks.Callback, name): continue  # Keras's no-op
                def wrapped(*args, _hook=hook, **kwargs):
                    t0 = time.perf_counter()
                    try: return _hook(*args, **kwargs)
                    finally: spent[-1] += time.perf_counter() - t0
                setattr(cb, name, wrapped)
        return callbacks
    plain, recording = [], []
    for i in range(rounds):  # alternate which goes first, so that an order effect cancels
        for first in ((False, True) if i % 2 else (True, False)):
            if not first: spent.append(0.0)
            (plain if first else recording).append(epoch([] if first else timed(sweep_callbacks(model))))
    return dict(plain_s=plain, recording_s=recording, callback_s=spent)

CONFIGS = [  # (name, backend, threads (None: the backend's default), config)
    ('model.fit, Keras defaults', 'tensorflow', None, 'fit-defaults'),
    ('model.fit, Keras defaults', 'tensorflow', 1, 'fit-defaults'),
    ('model.fit, dlproto compile', 'tensorflow', 1, 'fit-dlproto'),
    ('dlproto train, recording', 'tensorflow', 1, 'train'),
    ('dlproto train, recording + held-out', 'tensorflow', 1, 'train-heldout'),
    ('model.fit, dlproto compile + XLA', 'tensorflow', 1, 'fit-xla'),
    ('model.fit, Keras defaults', 'jax', 1, 'fit-defaults'),
    ('model.fit, dlproto compile', 'jax', 1, 'fit-dlproto'),
    ('dlproto train, recording', 'jax', 1, 'train'),
    ('dlproto train, recording + held-out', 'jax', 1, 'train-heldout'),
]

def main(epochs:int, overhead_only:bool=False):
    rows = []
    if overhead_only:  # keep the table of the last run, measure the overhead again
        from common import RESULTS
        rows = json.loads((RESULTS/'epoch_cost.json').read_text())['rows']
    for name, backend, threads, config in ([] if overhead_only else CONFIGS):
        r = run_in_worker('epoch_cost', 'one', dict(config=config, epochs=epochs + 1), backend, threads)
        s = r['epoch_s']
        rows.append(dict(config=name, backend=backend, threads=threads or 'default', first_epoch_s=round(s[0], 3),
                         median_epoch_s=round(statistics.median(s[1:]), 3), epoch_s=[round(x, 3) for x in s],
                         final_accuracy=r['final_accuracy']))
        print(f"{name:<34} {backend:<10} threads {str(threads or 'default'):<7} first {s[0]:6.2f} s  "
              f"then {rows[-1]['median_epoch_s']:6.3f} s/epoch  accuracy {r['final_accuracy']:.4f}", flush=True)
    overhead, heldout, paired = {}, {}, {}
    for backend in ('tensorflow', 'jax'):
        by = {r['config']: r['median_epoch_s'] for r in rows if r['backend'] == backend and r['threads'] == 1}
        paired[backend] = p = run_in_worker('epoch_cost', 'overhead', dict(rounds=max(epochs, 4)), backend, 1)
        overhead[backend] = statistics.median(p['callback_s']) / statistics.median(p['plain_s'])
        p['paired_ratio_median'] = statistics.median(r / q for q, r in zip(p['plain_s'], p['recording_s']))
        heldout[backend] = by['dlproto train, recording + held-out'] / by['dlproto train, recording'] - 1
        print(f"{backend}: trainer overhead {overhead[backend]:.3%} of an epoch (paired epochs' median ratio {p['paired_ratio_median']:.3f}), "
              f'held-out evaluation {heldout[backend]:+.1%}; '
              f"dlproto train is {by['model.fit, Keras defaults'] / by['dlproto train, recording']:.2f}x faster than "
              'model.fit with Keras defaults')
    write('epoch_cost', dict(epochs=epochs, rows=rows, trainer_overhead=overhead, overhead_epochs=paired,
                             heldout_evaluation_cost=heldout))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--epochs', type=int, default=4, help='epochs timed after the first (default: 4)')
    p.add_argument('--overhead-only', action='store_true', help="measure the trainer's overhead only, keeping the last run's table")
    a = p.parse_args()
    main(a.epochs, a.overhead_only)
