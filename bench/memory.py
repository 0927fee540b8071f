"""Peak memory of the default sweep: `dlproto_sweep` with no flags (the original article's grid on the full
Fashion-MNIST, one worker process per core), as a user runs it, sampled every half second over its whole
process tree (the command and its workers). Reports the summed RSS (shared libraries counted once per
process), the summed PSS (shared pages split among the processes that share them: what the tree really
occupies), the command's own RSS and the largest worker's.

Usage: .venv/bin/python bench/memory.py [--backend jax] [--subset N]   (writes bench/results/memory.json)
"""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path
from common import TreeMemory, write

def main(backend:list|None, subset:int|None):
    command = Path(sys.executable).parent/'dlproto_sweep'
    results = {}
    for b in backend or ('tensorflow', 'jax'):
        with tempfile.TemporaryDirectory() as out:
            args = [str(command), '--out', out, '--no_progress', '--backend', b] + (['--subset', str(subset)] if subset else [])
            t0 = time.perf_counter()
            proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL='3'))
            with TreeMemory(proc.pid) as memory: proc.wait()
            if proc.returncode: raise SystemExit(f'{" ".join(args)} failed with exit code {proc.returncode}')
            results[b] = dict(command=' '.join(['dlproto_sweep', '--backend', b]), seconds=time.perf_counter() - t0, **memory.as_dict())
        m = results[b]
        print(f"default sweep on {b}: {m['seconds']:.0f} s; peak PSS of the whole tree {m['peak_pss_mib'] / 1024:.2f} GiB, "
              f"summed RSS {m['peak_rss_mib'] / 1024:.2f} GiB; the command {m['peak_root_rss_mib']:.0f} MiB, "
              f"largest worker {m['peak_child_rss_mib']:.0f} MiB", flush=True)
    write('memory', dict(subset=subset, sweeps=results))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--backend', action='append', choices=('tensorflow', 'jax'), help='measure this backend only (default: both)')
    p.add_argument('--subset', type=int, default=None, help='train on this many images (default: all 60,000)')
    a = p.parse_args()
    main(a.backend, a.subset)
