"""What the benchmarks share: the machine they ran on, a sampler of a process tree's memory, and running a
function in a fresh Python process configured like a sweep worker (backend and threads fixed at start-up)."""
import json, os, platform, subprocess, sys, tempfile, threading, time
from pathlib import Path

RESULTS = Path(os.environ.get('DLPROTO_BENCH_RESULTS') or Path(__file__).parent/'results')

def machine() -> dict:
    "Where a benchmark ran: processor, cores, memory, Python and library versions."
    from importlib.metadata import version
    cpu = next((l.split(':', 1)[1].strip() for l in Path('/proc/cpuinfo').read_text().splitlines() if l.startswith('model name')), platform.processor())
    mem = int(next(l.split()[1] for l in Path('/proc/meminfo').read_text().splitlines() if l.startswith('MemTotal'))) / 2**20
    libs = {name: version(name) for name in ('keras', 'tensorflow', 'jax', 'numpy') if _installed(name)}
    return dict(cpu=cpu, cores=os.cpu_count(), memory_gib=round(mem, 1), python=platform.python_version(), **libs)

def _installed(name):
    from importlib.util import find_spec
    return find_spec(name) is not None

def write(name:str, data:dict) -> Path:
    "Save a benchmark's results as `bench/results/<name>.json`, with the machine and the time."
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS/f'{name}.json'
    path.write_text(json.dumps(dict(machine=machine(), finished=time.strftime('%Y-%m-%d %H:%M'), **data), indent=2) + '\n')
    print(f'wrote {path}')
    return path

def _tree(pid:int) -> list:
    "`pid` and all its descendants (Linux /proc)."
    parents = {}
    for stat in Path('/proc').glob('[0-9]*/stat'):
        try: parents[int(stat.parent.name)] = int(stat.read_text().rsplit(')', 1)[1].split()[1])
        except (OSError, ValueError, IndexError): pass
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [p for p, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree

def _kib(pid:int, field:str, file:str) -> int:
    try: text = Path(f'/proc/{pid}/{file}').read_text()
    except OSError: return 0
    return next((int(l.split()[1]) for l in text.splitlines() if l.startswith(field)), 0)

class TreeMemory:
    """Samples the memory of process `root` (default: this one) and all its descendants every `interval` s
    while in its `with` block.
    `peak_rss_mib`: the peak of the summed RSS (a process's shared libraries count once per process);
    `peak_pss_mib`: the peak of the summed PSS (each shared page split among its users: the tree's real footprint);
    `peak_root_rss_mib`: the largest RSS of `root` itself; `peak_child_rss_mib`: the largest RSS of any other process."""
    def __init__(self, root:int|None=None, interval:float=0.5): self.root, self.interval = root, interval
    def __enter__(self):
        self.peak_rss_mib = self.peak_pss_mib = self.peak_root_rss_mib = self.peak_child_rss_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self
    def _sample(self):
        root = self.root or os.getpid()
        while not self._stop.is_set():
            pids = _tree(root)
            rss = {p: _kib(p, 'VmRSS:', 'status') / 1024 for p in pids}
            pss = sum(_kib(p, 'Pss:', 'smaps_rollup') for p in pids) / 1024
            self.peak_rss_mib, self.peak_pss_mib = max(self.peak_rss_mib, sum(rss.values())), max(self.peak_pss_mib, pss)
            self.peak_root_rss_mib = max(self.peak_root_rss_mib, rss.get(root, 0))
            self.peak_child_rss_mib = max([self.peak_child_rss_mib] + [v for p, v in rss.items() if p != root])
            self._stop.wait(self.interval)
    def __exit__(self, *exc):
        self._stop.set(); self._thread.join()
    def as_dict(self) -> dict:
        return {k: round(getattr(self, k)) for k in ('peak_rss_mib', 'peak_pss_mib', 'peak_root_rss_mib', 'peak_child_rss_mib')}

def run_in_worker(module:str, function:str, kwargs:dict, backend:str='tensorflow', threads:int=1):
    """`module.function(**kwargs)` in a fresh Python process whose environment is a sweep worker's
    (`dlproto.sweep.worker_env`: Keras backend, threads capped); returns what it returns (JSON)."""
    from dlproto.runs import SweepSettings, worker_env
    env = dict(os.environ, **worker_env(SweepSettings(backend=backend, threads=threads or 1)), PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).parent), os.environ.get('PYTHONPATH')])))
    if threads is None:  # the backend's own default thread pools
        for var in ('TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS', 'OMP_NUM_THREADS', 'XLA_FLAGS'): env.pop(var, None)
    code = f'import json, sys, {module}; print("@@" + json.dumps({module}.{function}(**json.loads(sys.argv[1]))))'
    with tempfile.TemporaryFile('w+') as err:  # a file, not a pipe: a chatty stderr cannot block the child
        proc = subprocess.Popen([sys.executable, '-c', code, json.dumps(kwargs)], env=env, stdout=subprocess.PIPE, stderr=err, text=True)
        result = None
        for line in proc.stdout:  # its progress lines, as they come
            if line.startswith('@@'): result = json.loads(line[2:])
            else: print(line, end='', flush=True)
        if proc.wait() or result is None:
            err.seek(0)
            raise RuntimeError(f'{module}.{function}({kwargs}) failed:\n{err.read()[-3000:]}')
    return result

def matmul_gflops(m:int, k:int, n:int, seconds:float=2.0) -> float:
    "Best GFLOP/s of float32 (m x k) @ (k x n) with numpy, repeated for about `seconds`."
    import time, numpy as np
    a, b = np.random.rand(m, k).astype('float32'), np.random.rand(k, n).astype('float32')
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps): a @ b
        dt = time.perf_counter() - t0
        if dt > 0.2: break
        reps *= 2
    best = min(_timed(a, b, reps) for _ in range(max(1, int(seconds / dt))))
    return 2 * m * k * n * reps / best / 1e9

def _timed(a, b, reps):
    import time
    t0 = time.perf_counter()
    for _ in range(reps): a @ b
    return time.perf_counter() - t0
