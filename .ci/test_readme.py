"""The README's examples, run as written by a new user: in a fresh folder, with the installed package.

Usage: .venv/bin/python .ci/test_readme.py
- The ```python blocks run in order as one script, in a fresh folder, with the environment's Python. What the
  script prints must be what the README shows under them (compared as `.ci/check_outputs.py` compares saved
  outputs: durations normalised, numbers at its tolerance), and it must print nothing on stderr (no
  TensorFlow start-up lines: dlproto is quiet by default).
- The ```sh blocks run line by line with bash in a fresh folder, where `.venv` is this clone's environment
  (so `source .venv/bin/activate` means what it means after `bash .ci/setup`). Left out, and said so: `pip
  install` of the published package (needs the internet; this clone's environment has it installed) and the
  repository's own jobs (`bash .ci/...`: this test is part of `.ci/test`, CI runs `.ci/docs --test` itself, and
  `.ci/main` is the full sweep). Each block must exit 0 with no TensorFlow start-up lines on stderr, and a
  `dlproto_sweep ... --out DIR` must leave its CSVs and figures in DIR.
- CHANGELOG.md's newest section is the version in settings.ini, which is `dlproto.__version__`.
Exits 1 on the first failure.
"""
import atexit, os, re, shutil, subprocess, sys, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from check_outputs import same_text

root = Path(__file__).resolve().parent.parent
venv = Path(sys.executable).parent.parent
NOISE = re.compile(r'absl::InitializeLog|cudart_stub|cuInit|cpu_feature_guard|^[IWE]\d{4} ', re.M)  # TensorFlow's C++ log lines

def blocks(text:str) -> list:
    "The README's fenced code blocks as (language, code, the indented output shown right after it)."
    found = []
    for m in re.finditer(r'^``` ?(\w+)\n(.*?)^```\n((?:\n|    [^\n]*\n)*)', text, re.M | re.S):  # [^\n]: with re.S a dot would run past the output
        shown = '\n'.join(l[4:] for l in m[3].splitlines() if l.startswith('    '))
        found.append((m[1], m[2], shown))
    return found

def skipped(line:str) -> str|None:
    "Why a shell line of the README is not run here, or None."
    if line.startswith('pip install'): return 'installs the published package from the internet; this clone has it installed'
    if line.startswith('bash .ci/'): return "the repository's own job (.ci/test runs this test; CI runs .ci/docs --test; .ci/main is the full sweep)"
    return None

def fresh_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix='dlproto-readme-'))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # the link to .venv goes, not what it points to
    (folder/'.venv').symlink_to(venv)
    return folder

def run(cmd:list, folder:Path, what:str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ('TF_CPP_MIN_LOG_LEVEL', 'PYTHONPATH')}  # as a new user's shell
    env['MPLBACKEND'] = 'Agg'
    p = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0: sys.exit(f'FAIL {what}: exit {p.returncode}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}')
    if NOISE.search(p.stderr): sys.exit(f'FAIL {what}: TensorFlow start-up lines on stderr\n{p.stderr[-3000:]}')
    return p

def check_python(found:list):
    code = '\n\n'.join(c for lang, c, _ in found if lang == 'python')
    shown = '\n'.join(s for lang, _, s in found if lang == 'python' and s)
    folder = fresh_folder()
    (folder/'example.py').write_text(code)
    p = run([sys.executable, 'example.py'], folder, "the README's Python example")
    if p.stderr.strip(): sys.exit(f"FAIL the README's Python example printed on stderr:\n{p.stderr[-3000:]}")
    if not same_text(shown.strip(), p.stdout.strip()):
        sys.exit(f"FAIL the README's Python example prints\n{p.stdout}\nwhere the README shows\n{shown}")
    print(f"pass: the README's Python example ({code.count(chr(10)) + 1} lines) prints what the README shows")

def check_shell(found:list):
    for _, code, _ in (b for b in found if b[0] == 'sh'):
        lines = [l.split('  #')[0].strip() for l in code.splitlines() if l.strip() and not l.strip().startswith('#')]
        for l in lines:
            if skipped(l): print(f'left out: {l}  ({skipped(l)})')
        todo = [l for l in lines if not skipped(l)]
        if not todo: continue
        folder = fresh_folder()
        run(['bash', '-e', '-c', '\n'.join(todo)], folder, 'the README block\n  ' + '\n  '.join(todo))
        for out in re.findall(r'dlproto_sweep .*--out (\S+)', '\n'.join(todo)):
            missing = [f for f in ('results.sqlite', 'results.csv', 'summary.csv', 'summary.png') if not (folder/out/f).is_file()]
            if missing or not list((folder/out/'runs').glob('*.png')): sys.exit(f'FAIL dlproto_sweep wrote no {missing or "runs/*.png"} in {out}')
        print('pass: ' + '; '.join(todo))

def check_version():
    version = re.search(r'^version\s*=\s*(\S+)', (root/'settings.ini').read_text(), re.M)[1]
    newest = re.search(r'^## (\S+)', (root/'CHANGELOG.md').read_text(), re.M)
    import dlproto
    if dlproto.__version__ != version: sys.exit(f'FAIL dlproto.__version__ is {dlproto.__version__}, settings.ini says {version}: run nbdev_export')
    if not newest or newest[1] != version:
        sys.exit(f'FAIL CHANGELOG.md has no section for {version} (settings.ini) at its top: say what this release changes for a user')
    print(f'pass: version {version} in settings.ini, dlproto.__version__ and at the top of CHANGELOG.md')

if __name__ == '__main__':
    found = blocks((root/'README.md').read_text())
    check_version()
    check_python(found)
    check_shell(found)
