"""Run the default sweep from the shell and open its report.html in headless Chromium, from the file itself (no server).

Usage: .venv/bin/python .ci/test_report.py [folder]     (needs Debian's chromium and chromium-driver; see .ci/docs)
`dlproto_sweep --out <folder>/default` with no other flag (the original article's grid on the full Fashion-MNIST;
about 2 minutes on 2 cores), then checks its report as a reader opening the file would: under 2 MB; the sections, in
order; every image loaded and carried by the page (a data URI); nothing fetched from anywhere else; no console error;
a row per run; and every link opens, offline, an image beside the report (each run's figure).
Ends with 'N passed, N failed'.
"""
import re, shutil, subprocess, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from test_docs import browser

SECTIONS = ['Settings', 'Summary', 'Time to target', 'A law of epochs and size', 'Compute to target', 'Learning curves', 'Runs']
MAX_BYTES = 2_000_000

def sweep(folder:Path) -> Path:
    "The default sweep's output folder, written by the command line."
    out = folder/'default'
    start = time.monotonic()
    proc = subprocess.run([str(Path(sys.executable).parent/'dlproto_sweep'), '--out', str(out), '--no_progress'],
                          capture_output=True, text=True, timeout=1800)
    if proc.returncode: sys.exit(f'dlproto_sweep failed ({proc.returncode}):\n{proc.stderr[-3000:]}')
    print(f'default sweep: {time.monotonic() - start:.0f} s; report.html {(out/"report.html").stat().st_size / 1e6:.2f} MB')
    return out

def checks(out:Path) -> list:
    "`(check, problem or '')` for the report in `out`."
    report, driver, found = out/'report.html', browser(), []
    try:
        found.append(('under 2 MB', '' if report.stat().st_size < MAX_BYTES else f'{report.stat().st_size:,} bytes'))
        driver.get(report.as_uri())
        js = driver.execute_script
        sections = js('return Array.from(document.querySelectorAll("h2")).map(h => h.textContent)')
        found.append(('its sections', '' if sections == SECTIONS else f'{sections}, not {SECTIONS}'))
        images = js('return Array.from(document.images).map(i => [i.src.slice(0, 22), i.complete && i.naturalWidth > 0])')
        bad = [src for src, ok in images if not ok or src != 'data:image/png;base64,']
        found.append(('images carried and loaded', '' if images and not bad else f'{len(images)} images, not loaded or not carried: {bad}'))
        fetched = js('return performance.getEntriesByType("resource").map(e => e.name)')
        found.append(('nothing fetched', '' if not fetched else f'fetched {fetched}'))
        errors = [e['message'] for e in driver.get_log('browser') if e['level'] == 'SEVERE']
        found.append(('no console errors', '' if not errors else f'{errors}'))
        runs = js('return document.querySelectorAll("#runs + div tbody tr").length')
        pngs = sorted(p.relative_to(out).as_posix() for p in (out/'runs').glob('*.png'))
        found.append(('a row per run', '' if runs == len(pngs) > 0 else f'{runs} rows for {len(pngs)} runs'))
        links = js('return Array.from(document.querySelectorAll("a[href]")).map(a => [a.getAttribute("href"), a.href])')
        found.append(('every run linked', '' if sorted(h for h, _ in links) == pngs else f'links {sorted(h for h, _ in links)}, figures {pngs}'))
        for href, url in links:
            driver.get(url)
            shown = driver.execute_script('return document.images.length === 1 && document.images[0].naturalWidth > 0')
            found.append((f'link {href} opens', '' if url.startswith(out.as_uri()) and shown else f'{url}: no image'))
    finally: driver.quit()
    return found

if __name__ == '__main__':
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    results = checks(sweep(folder))
    for name, problem in results:
        if problem: print(f'FAIL {name}: {problem}')
    failed = sum(bool(p) for _, p in results)
    print(f'{len(results) - failed} passed, {failed} failed')
    if len(sys.argv) == 1: shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if failed else 0)
