"""The output checker's own test: last-bit float noise between two CPUs passes, a real change fails.

Usage: .venv/bin/python .ci/test_check_outputs.py     (exits 1 on the first failed assertion)
The pairs below are what two machines printed (issue 16: 06_fused cell 35 and 07_runs cell 34), and
changes that must not pass: an epoch count, an accuracy in its 4th digit, a word, a number more or less.
Then a real notebook, written to a temporary folder, is run through `check` with its saved output as
printed, with last-bit noise, and with a changed accuracy.
"""
import sys, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from check_outputs import check, same_text
from execnb.nbio import dict2nb, new_nb, mk_cell, write_nb

noise = [  # (saved, today): the same output up to float noise
    ('max_loss_difference 1.19e-07', 'max_loss_difference 1.79e-07'),
    ("{'loss': [22871076241408.0], 'status': 'diverged'}", "{'loss': [22871067852800.0], 'status': 'diverged'}"),
    ('accuracy 0.85123456', 'accuracy 0.85123457'),
    ('   architecture  median\n0            16     7.0', '   architecture  median\n0            16  7.000001'),
    ('trained in 3.2 s (12 seconds in all)', 'trained in 4.9 s (15 seconds in all)'),  # durations are normalised
    ("{'dlproto': '0.2.0', 'keras': '3.15.1'}", "{'dlproto': '0.3.0', 'keras': '3.16.0'}"),    # and software versions
]
changes = [  # (saved, today): outputs that say something else
    ('90% reached at epoch 13', '90% reached at epoch 14'),           # an epoch count
    ('accuracy 0.8512', 'accuracy 0.8513'),                           # an accuracy in its 4th digit
    ('test accuracy 0.8512', 'val accuracy 0.8512'),                  # a word
    ('epochs [3, 5]', 'epochs [3, 5, 7]'),                            # a number more
    ('loss nan', 'loss 0.3'), ('median inf', 'median 30.0'),           # nan and inf are values too
    ('1x128 net: 101,770 parameters', '1x128 net: 101,771 parameters'),
    ('64x32', '64x33'),
]
for saved, today in noise: assert same_text(saved, today), f'float noise must pass: {saved!r} vs {today!r}'
for saved, today in changes: assert not same_text(saved, today), f'a real change must fail: {saved!r} vs {today!r}'

def notebook(folder:Path, saved:str) -> Path:
    "A notebook in `folder` whose one cell prints a held-out accuracy, with `saved` as its saved output."
    cell = mk_cell('print(f"held-out accuracy {0.1 + 0.7512:.6f}, epoch {2 + 3}")')
    cell['outputs'] = [dict(output_type='stream', name='stdout', text=[saved + '\n'])]
    path = folder/'probe.ipynb'
    nb = new_nb([cell]); write_nb(dict2nb(nb), path)
    return path

with tempfile.TemporaryDirectory() as tmp:
    folder = Path(tmp)
    assert check(notebook(folder, 'held-out accuracy 0.851200, epoch 5')) == []
    assert check(notebook(folder, 'held-out accuracy 0.851201, epoch 5')) == []     # noise in the 6th digit
    found = check(notebook(folder, 'held-out accuracy 0.851300, epoch 5'))          # the 4th digit
    assert len(found) == 1 and 'cell 0' in found[0] and '0.851300' in found[0], found
    assert len(check(notebook(folder, 'held-out accuracy 0.851200, epoch 6'))) == 1  # the epoch
print(f'output checker: {len(noise)} noisy outputs pass, {len(changes)} changed outputs fail, and a real notebook is checked both ways')
