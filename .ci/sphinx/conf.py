# Sphinx configuration for dlproto's offline documentation site (see .ci/build_docs.py).
# The pages are nbdev's processed notebooks, rendered by myst-nb with their saved outputs.
from configparser import ConfigParser
from pathlib import Path

_cfg = ConfigParser(delimiters=['=']); _cfg.read(Path(__file__).parents[2]/'settings.ini')
_cfg = _cfg['DEFAULT']

project = _cfg['title']
author = _cfg['author']
copyright = _cfg['copyright']
release = version = _cfg['version']

extensions = ['myst_nb']
source_suffix = {'.ipynb': 'myst-nb', '.md': 'myst-nb'}
exclude_patterns = ['_build', '**.ipynb_checkpoints']

nb_execution_mode = 'off'          # the notebooks' saved outputs are the docs; tests run them
nb_merge_streams = True
nb_ipywidgets_js = {}              # no widget scripts from a CDN
myst_enable_extensions = ['colon_fence', 'deflist', 'html_image']
myst_heading_anchors = 4
suppress_warnings = ['myst.header', 'mystnb.unknown_mime_type']

html_theme = 'furo'                # self-contained: no web fonts, scripts or styles from the internet
html_title = f"{project} {version}"
html_favicon = 'favicon.svg'     # a local icon, so browsers do not ask the server for /favicon.ico
html_copy_source = False
html_show_sourcelink = False
html_static_path = ['dlproto.css']  # wide tables and code scroll; show_doc's signatures; test-flag captions
html_css_files = ['dlproto.css']
