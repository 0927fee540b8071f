"""dlproto: how much training does each network architecture need to reach a target accuracy, and what does that cost?

`from dlproto import sweep, summarize` (or any name below) works; each name is imported from its module on first
use, so `import dlproto` alone loads neither Keras nor TensorFlow (the sweep's parent process never needs them).
"""
__version__ = "0.7.0"
import contextlib as _contextlib, importlib.abc as _abc, importlib.util as _util, os as _os, sys as _sys, types as _types

@_contextlib.contextmanager
def _native_stderr_muted():
    "File descriptor 2 on /dev/null for the block (what C++ libraries write there); Python's own `sys.stderr` still shows."
    _sys.stderr.flush()
    saved = _os.dup(2)
    python_stderr = _sys.stderr
    try:
        if _fileno(python_stderr) == 2:  # a terminal or file: keep Python's writes on it
            _sys.stderr = open(_os.dup(saved), 'w', buffering=1, encoding=python_stderr.encoding, errors='backslashreplace')
        with open(_os.devnull, 'w') as null: _os.dup2(null.fileno(), 2)
        yield
    finally:
        if _sys.stderr is not python_stderr: _sys.stderr.close(); _sys.stderr = python_stderr
        _os.dup2(saved, 2); _os.close(saved)

def _fileno(stream) -> int|None:
    try: return stream.fileno()
    except (OSError, ValueError, AttributeError): return None

class _QuietTensorFlow(_abc.MetaPathFinder):
    """TensorFlow's first import, with its C++ start-up lines hidden: absl writes them before its log is set up, whatever
    TF_CPP_MIN_LOG_LEVEL says ('All log messages before absl::InitializeLog()...', 'Could not find cuda drivers')."""
    finding = False
    def find_spec(self, name, path=None, target=None):
        if name != 'tensorflow' or self.finding: return None
        self.finding = True
        try: spec = _util.find_spec(name)  # the real spec, from the finders after this one
        finally: self.finding = False
        if spec is not None and spec.loader is not None:  # found, perhaps only to check that it is installed
            run = spec.loader.exec_module
            def exec_module(module):
                if self in _sys.meta_path: _sys.meta_path.remove(self)  # imported now: once is enough
                with _native_stderr_muted(): run(module)
            spec.loader.exec_module = exec_module
        return spec

# Quiet by default: TensorFlow's C++ log (start-up lines, a failed cuInit on a machine without a GPU) is noise on a
# user's terminal. Level 3 is set unless the user chose one; at level 3 the lines absl prints before its log is set up
# are hidden too. Python warnings still show; TF_CPP_MIN_LOG_LEVEL=0 brings TensorFlow's own log back.
_os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
if _os.environ['TF_CPP_MIN_LOG_LEVEL'] == '3' and 'tensorflow' not in _sys.modules:
    _sys.meta_path.insert(0, _QuietTensorFlow())

_EXPORTS = {  # name: the module that defines it
    'InputError': 'checks',
    'load_fashion_mnist': 'data',
    'load_dataset': 'datasets', 'Dataset': 'datasets',
    'dense_classifier': 'model', 'cnn_classifier': 'model', 'ModelFamily': 'model', 'layer_seeds': 'model',
    'train': 'training', 'compile_classifier': 'training',
    'reaches': 'targets',
    'ThresholdStopping': 'stopping',
    'ResultsStore': 'store',
    'train_fused': 'fused',
    'SweepSettings': 'runs', 'train_group': 'runs',
    'LocalProcesses': 'executors', 'InProcess': 'executors',
    'RayCluster': 'cluster',
    'sweep': 'sweep', 'sweep_settings': 'sweep', 'plan_groups': 'sweep',
    'tidy': 'analysis', 'summarize': 'analysis', 'format_summary': 'analysis',
    'time_to_event': 'analysis', 'reached_by': 'survival', 'plot_time_to_target': 'survival',
    'fit_law': 'law', 'predict_epochs': 'law', 'check_law': 'law',
    'cost_to_target': 'compute', 'compute_to_target': 'compute',
    'plot_history': 'plots', 'plot_run': 'plots', 'plot_summary': 'plots', 'save_run_plots': 'plots',
    'accuracy_map': 'plots', 'plot_accuracy_map': 'plots',
    'write_report': 'report',
}
__all__ = list(_EXPORTS)

class _Package(_types.ModuleType):
    "The package's module object: a submodule named like the function it exports (`sweep`) does not hide the function."
    def __setattr__(self, name:str, value):
        if name in _EXPORTS and isinstance(value, _types.ModuleType): return  # the import system binding `dlproto.sweep`, the module
        super().__setattr__(name, value)

_sys.modules[__name__].__class__ = _Package

def __getattr__(name:str):
    "The exported `name`, imported from its module on first use."
    if name not in _EXPORTS: raise AttributeError(f"module 'dlproto' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(f'.{_EXPORTS[name]}', __name__), name)
    globals()[name] = value  # found directly from now on
    return value

def __dir__() -> list: return sorted(set(globals()) | set(__all__))
