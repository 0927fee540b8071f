"""Where a fused group's start-up goes, in one fresh process, as a sweep worker would spend it: importing Keras, reading
the data, building the stacked nets (their seeded initialisers), then the first epoch (compilation included) against
the second. With JAX, every compilation is logged (`jax_log_compiles`) and totalled by function.

Usage: python3 bench/startup.py [--seeds 1] [--subset N] [--epochs 2]   (backend from $KERAS_BACKEND)
Prints the phases; writes startup.json to $OUT when that is set (the device tool's output folder), else to bench/results/.
"""
import argparse, json, logging, os, re, sys, time
from collections import defaultdict
from pathlib import Path

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', type=int, default=1)
    ap.add_argument('--subset', type=int, default=None)
    ap.add_argument('--epochs', type=int, default=2)
    a = ap.parse_args()
    phases, t = {}, time.perf_counter()
    def phase(name):
        nonlocal t
        now = time.perf_counter()
        phases[name] = round(now - t, 2)
        print(f'{name}: {now - t:.2f} s', flush=True)
        t = now
    compiles = defaultdict(lambda: [0, 0.0])
    class Compiles(logging.Handler):  # JAX logs "Finished XLA compilation of jit(f) in 0.1 sec"
        def emit(self, record):
            m = re.search(r'Finished XLA compilation of (.+?) in ([\d.e-]+) sec', record.getMessage())
            if m: compiles[m[1]][0] += 1; compiles[m[1]][1] += float(m[2])
    import keras
    phase('import keras')
    if keras.config.backend() == 'jax':
        import jax
        jax.config.update('jax_log_compiles', True)
        logging.getLogger('jax').addHandler(Compiles())
        logging.getLogger('jax').propagate = False  # totalled below, not printed line by line
        print(f'devices: {jax.devices()}')
    from dlproto.data import load_fashion_mnist
    from dlproto.fused import FusedClassifiers, train_fused
    from dlproto.runs import DEFAULT_ARCHITECTURES, DEFAULT_THRESHOLDS
    phase('import dlproto')
    data = load_fashion_mnist(pixels=True, subset=a.subset)
    phase('read Fashion-MNIST')
    seeds = list(range(a.seeds))
    FusedClassifiers(DEFAULT_ARCHITECTURES, seeds)
    phase(f'build {len(DEFAULT_ARCHITECTURES) * a.seeds} nets (first time: initialisers compiled)')
    FusedClassifiers(DEFAULT_ARCHITECTURES, seeds)
    phase('build them again')
    def on_epoch(epoch, runs): phase(f'epoch {epoch}' + (' (build again, compile, run)' if epoch == 1 else ''))
    train_fused(DEFAULT_ARCHITECTURES, seeds, data.x_train, data.y_train, thresholds=DEFAULT_THRESHOLDS, epochs=a.epochs,
                validation_data=(data.x_test, data.y_test), on_epoch=on_epoch)
    top = sorted(compiles.items(), key=lambda kv: -kv[1][1])
    if compiles:
        print(f'JAX compilations: {sum(n for n, _ in compiles.values())}, {sum(s for _, s in compiles.values()):.1f} s in all; the longest:')
        for name, (n, s) in top[:8]: print(f'  {s:6.2f} s  {n:4d}x  {name}')
    out = Path(os.environ.get('OUT') or Path(__file__).parent/'results')
    out.mkdir(parents=True, exist_ok=True)
    path = out/f'startup_{keras.config.backend()}_{a.seeds}seeds.json'
    path.write_text(json.dumps(dict(backend=keras.config.backend(), seeds=a.seeds, subset=a.subset, phases=phases,
                                    compiles={k: dict(count=n, seconds=round(s, 2)) for k, (n, s) in top}), indent=2) + '\n')
    print(f'wrote {path}')

if __name__ == '__main__': main()
