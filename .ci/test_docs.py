"""Open the built docs site (_docs/) in headless Chromium and check every page, as a reader would.

Usage: .venv/bin/python .ci/test_docs.py [site folder]     (needs Debian's chromium and chromium-driver)
For every page: reachable from the navigation, no broken internal links (files and #anchors), every
image loaded (natural width > 0), no console errors, nothing fetched from outside the site, no raw markdown in
what it shows (a `[text](url)` link or a pair of backticks in prose, tables or show_doc's signatures' comments),
and, in windows 1280 and 800 px wide (WIDTHS): nothing wider than the window (Furo hides the page's own sideways
overflow, so it would be cut), no element that cuts its content (overflow hidden or clip), nothing that spills out
of the article over the table of contents (wide tables, outputs and code scroll in their own box instead);
across the site: every exported name of dlproto has its API heading, and the search finds one. Saves screenshots of the home page and of an API page in <site>/_screenshots/.
Ends with 'N passed, N failed' (one check per page, plus the search and the API checks).
"""
import functools, http.server, importlib, re, sys, threading
from pathlib import Path
from urllib.parse import urljoin, urlparse, unquote
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

SKIP = {'genindex.html', 'search.html', 'py-modindex.html'}  # Sphinx's generated index pages
WIDTHS = (1280, 800)  # window widths the layout is checked at: a laptop, and a narrow window (Furo's sidebar folds away)

# Text a reader sees that is still markdown: a link `[text](url)` or `code` in backticks that was not rendered.
# Prose, tables and outputs are checked, not code (pre, code); show_doc's signatures are code whose comments are
# the parameters' docs (docments), so their comments are checked too: a signature is a `pre` right after an API heading
# that starts with `def`/`class` (or the build's `.doc-signature`).
RAW_MARKDOWN_JS = r"""
const link = /\[[^\]\n]*\]\([^()\s]*\)/, ticks = /`[^`\n]+`/;
const isSig = pre => pre.closest('.doc-signature') !== null || (/^\s*(async\s+def|def|class)\s/.test(pre.textContent) &&
  /^H[1-6]$/.test((pre.closest('div.highlight-python, div[class^="highlight-"]') || pre).previousElementSibling?.tagName || ''));
const blocks = new Map();
const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walk.nextNode(); n; n = walk.nextNode()) {
  const e = n.parentElement;
  if (!e || e.closest('script,style,noscript,template,textarea,kbd,samp,.headerlink')) continue;
  const pre = e.closest('pre');
  if (pre ? !(isSig(pre) && e.closest('.c1,.c,.ch,.cm') && !e.closest('code')) : e.closest('code')) continue;
  const b = e.closest('.c1,.c,.ch,.cm,p,li,td,th,dt,dd,h1,h2,h3,h4,h5,h6,caption,figcaption,blockquote,div') || document.body;
  blocks.set(b, (blocks.get(b) || '') + n.data);
}
const bad = [];
for (const [b, text] of blocks) {
  const m = text.match(link) || text.match(ticks);
  if (m) bad.push(`${b.tagName.toLowerCase()}${b.className ? '.' + b.className.split(' ')[0] : ''}: ...${
    text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 20).replace(/\s+/g, ' ')}...`);
}
return bad;
"""

# Layout at the window's present width: what is wider than the window, cut, or spilling out of the article.
LAYOUT_JS = r"""
const bad = [], W = window.innerWidth, de = document.documentElement;
const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ?
  '.' + e.className.trim().split(/\s+/).join('.') : '') + ` "${(e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50)}"`;
if (de.scrollWidth > W) bad.push(`the page is ${de.scrollWidth}px wide in a ${W}px window: its right side is cut off`);
const scrolls = s => s.overflowX === 'auto' || s.overflowX === 'scroll';
for (const e of document.body.querySelectorAll('*')) {  // content cut by its own box (overflow hidden or clip)
  if (e.clientWidth === 0 || e.scrollWidth <= e.clientWidth + 1 || e.closest('.visually-hidden')) continue;
  const s = getComputedStyle(e);
  if ((s.overflowX === 'hidden' || s.overflowX === 'clip') && s.textOverflow !== 'ellipsis')
    bad.push(`${name(e)} shows ${e.clientWidth}px of its ${e.scrollWidth}px wide content (overflow-x: ${s.overflowX})`);
}
const article = document.querySelector('article');  // content that spills out of the article (over the contents, or cut)
if (article) {
  const right = article.getBoundingClientRect().right, spilled = new Set();
  for (const e of article.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= right + 1 || e.closest('h1,h2,h3,h4,h5,h6')) continue;  // Furo's headings reach into the margin
    let a = e.parentElement, inside = false;  // in a box that scrolls (within the article), or below one already reported
    for (; a && a !== article; a = a.parentElement) if (spilled.has(a) || scrolls(getComputedStyle(a))) { inside = true; break; }
    if (inside) continue;
    spilled.add(e);
    bad.push(`${name(e)} spills ${Math.round(r.right - right)}px out of the article's right edge (no scroll bar)`);
  }
}
return bad;
"""

def serve(folder:Path):
    "Serve `folder` on a free localhost port in a background thread; return its base URL."
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f'http://127.0.0.1:{server.server_address[1]}/'

def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = '/usr/bin/chromium'
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
              '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1280,900'):
        opts.add_argument(a)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=opts)

def exported_names() -> list:
    "Every name in the `__all__` of dlproto's modules, as `(module, name)`."
    import dlproto._modidx as idx
    names = []
    for mod in sorted(idx.d['syms']):
        names += [(mod, n) for n in getattr(importlib.import_module(mod), '__all__', [])]
    return names

def _is_api_heading(heading:str, name:str) -> bool:
    "Whether `heading` documents `name`: `show_doc`'s heading starts with it; constants share a 'Constants:' heading."
    h = heading.strip().rstrip('#¶').strip()
    return re.match(rf'{re.escape(name)}\b', h) is not None or (h.startswith('Constants:') and re.search(rf'\b{re.escape(name)}\b', h) is not None)

def main(site:Path):
    pages = sorted(p.relative_to(site).as_posix() for p in site.glob('*.html') if p.name not in SKIP)
    base, driver = serve(site), browser()
    failed, passed, anchors, links, headings = [], 0, {}, {}, {}
    try:
        for page in pages:
            driver.get(base + page)
            WebDriverWait(driver, 30).until(lambda d: d.execute_script(
                'return document.readyState') == 'complete' and d.execute_script('return location.pathname') == '/' + page)
            problems = []
            anchors[page] = set(driver.execute_script('return Array.from(document.querySelectorAll("[id]")).map(e => e.id)'))
            links[page] = driver.execute_script('return Array.from(document.querySelectorAll("a[href]")).map(a => a.getAttribute("href"))')
            nav = driver.execute_script('return Array.from(document.querySelectorAll(".sidebar-tree a[href]")).map(a => a.href)')
            links[page + ' (navigation)'] = nav
            headings[page] = driver.execute_script(
                'return Array.from(document.querySelectorAll("h1,h2,h3,h4,h5,.doc-heading")).map(h => h.textContent)')
            bad_images = driver.execute_script('return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)')
            if bad_images: problems.append(f'images not loaded: {bad_images}')
            external = driver.execute_script('return performance.getEntriesByType("resource").map(e => e.name)'
                                             '.filter(u => !u.startsWith(location.origin) && !u.startsWith("data:"))')
            if external: problems.append(f'resources fetched from outside the site: {external}')
            errors = [e['message'] for e in driver.get_log('browser') if e['level'] == 'SEVERE']
            if errors: problems.append(f'console errors: {errors}')
            raw = driver.execute_script(RAW_MARKDOWN_JS)
            if raw: problems.append(f'raw markdown shown ({len(raw)}): {raw[:5]}')
            for width in WIDTHS:
                driver.set_window_size(width, 900)
                if driver.execute_script('return window.innerWidth') != width:
                    problems.append(f'the window is {driver.execute_script("return window.innerWidth")}px wide, not {width}px')
                layout = driver.execute_script(LAYOUT_JS)
                if layout: problems.append(f'at {width}px ({len(layout)}): {layout[:5]}')
            driver.set_window_size(WIDTHS[0], 900)
            if page in ('index.html', 'data.html'):
                shots = site/'_screenshots'; shots.mkdir(exist_ok=True)
                driver.save_screenshot(str(shots/('home.png' if page == 'index.html' else 'api-data.png')))
            if problems: failed.append((page, problems))
        # search: Sphinx's client-side index answers a query for an exported name
        driver.get(base + 'search.html?q=load_fashion_mnist')
        try:
            WebDriverWait(driver, 30).until(lambda d: d.execute_script(
                'return Array.from(document.querySelectorAll("#search-results a")).map(a => a.href)').__len__() > 0)
            hits = driver.execute_script('return Array.from(document.querySelectorAll("#search-results a")).map(a => a.href)')
            if not any('data.html' in h for h in hits): failed.append(('search.html', [f'search for load_fashion_mnist found {hits}']))
        except Exception as e: failed.append(('search.html', [f'search gave no results: {e!r}']))
        pages_checked = pages + ['search.html']
        # links and anchors, checked against the pages and ids collected above
        reachable = set()
        for page in pages:
            for href in links[page] + links[page + ' (navigation)']:
                url = urlparse(urljoin(base + page, href))
                if url.netloc != urlparse(base).netloc: continue  # outside the site (e.g. GitHub source links)
                target = unquote(url.path.lstrip('/')) or 'index.html'
                if href in links[page + ' (navigation)'] or href.startswith(base): reachable.add(target)
                if not (site/target).is_file():
                    failed.append((page, [f'broken link {href}: no {target}'])); continue
                if url.fragment and target in anchors and url.fragment not in anchors[target]:
                    failed.append((page, [f'broken anchor {href}: no id {url.fragment!r} in {target}']))
        # navigation: breadth-first from the home page over the sidebar links
        seen, todo = {'index.html'}, ['index.html']
        while todo:
            for href in links[todo.pop() + ' (navigation)']:
                t = unquote(urlparse(href).path.lstrip('/')) or 'index.html'
                if t in pages and t not in seen: seen.add(t); todo.append(t)
        for page in pages:
            if page not in seen: failed.append((page, ['not reachable from the navigation']))
        passed = len(pages_checked) - len({p for p, _ in failed})
        missing = [f'{m}.{n}' for m, n in exported_names() if not any(_is_api_heading(h, n) for hs in headings.values() for h in hs)]
        if missing: failed.append(('API', [f'no API heading for {", ".join(missing)}']))
        else: passed += 1
    finally:
        driver.quit()
    for page, problems in failed:
        for p in problems: print(f'FAIL {page}: {p}')
    print(f'checked {len(pages)} pages, the search and {len(exported_names())} exported names; screenshots in {site/"_screenshots"}')
    print(f'{passed} passed, {len({p for p, _ in failed})} failed')
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else '_docs').resolve()))
