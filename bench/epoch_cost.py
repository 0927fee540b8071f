"""What one epoch of the original article's network (1x128, batch 32, Adam 1e-3) costs on the full
Fashion-MNIST training set: plain `model.fit` with Keras's default compile settings vs dlproto's `train`
(with a `ThresholdStopping` that records but never stops), with and without XLA.

Usage: .venv/bin/python bench/epoch_cost.py [--epochs N]    (prints a table, writes bench/results/epoch_cost.json)
Each configuration trains a fresh model for N epochs; the first epoch (tracing, compilation) is reported
apart, the rest by their median. Run it on a quiet machine: the numbers are wall-clock seconds.
"""
import os
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import argparse, json, platform, statistics, time
from pathlib import Path
import keras
from dlproto.data import load_fashion_mnist
from dlproto.model import dense_classifier
from dlproto.training import train
from dlproto.stopping import ThresholdStopping

class EpochTimes(keras.callbacks.Callback):
    "Wall-clock seconds of each epoch."
    def on_train_begin(self, logs=None): self.seconds = []
    def on_epoch_begin(self, epoch, logs=None): self._t = time.perf_counter()
    def on_epoch_end(self, epoch, logs=None): self.seconds.append(time.perf_counter() - self._t)

def plain_fit(data, epochs, timer):
    keras.utils.set_random_seed(0)
    model = dense_classifier((128,), seed=0)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    return model.fit(data.x_train, data.y_train, batch_size=32, epochs=epochs, verbose=0, callbacks=[timer])

def dlproto_train(data, epochs, timer, **kwargs):
    return train(dense_classifier((128,), seed=0), data.x_train, data.y_train, epochs=epochs, seed=0,
                 callbacks=[ThresholdStopping(1.0), timer], **kwargs)

CONFIGS = {
    'model.fit, Keras defaults': plain_fit,
    'dlproto train (steps_per_execution=32)': dlproto_train,
    'dlproto train + jit_compile=True': lambda d, e, t: dlproto_train(d, e, t, jit_compile=True),
}

def main(epochs:int):
    data = load_fashion_mnist()
    rows = []
    for name, run in CONFIGS.items():
        timer = EpochTimes()
        history = run(data, epochs, timer)
        rows.append(dict(config=name, first_epoch_s=round(timer.seconds[0], 3),
                         median_epoch_s=round(statistics.median(timer.seconds[1:]), 3),
                         epoch_s=[round(s, 3) for s in timer.seconds],
                         final_accuracy=history.history['accuracy'][-1]))
        print(f"{name:42} first {rows[-1]['first_epoch_s']:6.2f} s   then {rows[-1]['median_epoch_s']:6.2f} s/epoch   "
              f"accuracy after {epochs}: {rows[-1]['final_accuracy']:.6f}", flush=True)
    base = rows[0]['median_epoch_s']
    for r in rows: r['speedup_vs_fit'] = round(base / r['median_epoch_s'], 2)
    print('\nspeed-up vs model.fit defaults: ' + ', '.join(f"{r['config']}: {r['speedup_vs_fit']}x" for r in rows))
    machine = dict(processor=platform.machine(), cpus=os.cpu_count(), python=platform.python_version(),
                   keras=keras.__version__, backend=keras.config.backend())
    out = Path(__file__).parent/'results'/'epoch_cost.json'
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(dict(machine=machine, epochs=epochs, rows=rows), indent=2) + '\n')
    print(f'wrote {out}')

if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--epochs', type=int, default=5, help='epochs per configuration (default 5)')
    main(parser.parse_args().epochs)
