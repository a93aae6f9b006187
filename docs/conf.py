"""Sphinx configuration of sim's documentation site (``make docs``; ``make test`` checks it).

Offline by design: no intersphinx, no remote images or fonts; the theme's assets are bundled.
Notebooks (``notebooks/``, linked into this folder) are rendered by myst-nb without running them,
unless ``SIM_DOCS_EXECUTE=1`` (``make docs``), which executes them and caches the outputs in
``docs/_build/.jupyter_cache`` (a notebook runs again only when it changes).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

import sim  # noqa: E402

project = "sim"
author = "sim contributors"
copyright = "sim contributors"
release = version = sim.__version__

needs_sphinx = "7.4"
extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "simdocs",
]
exclude_patterns = ["_build", "_generated", "**.ipynb_checkpoints", "README.md"]
nitpicky = True  # every cross-reference must resolve (signature type hints: see simdocs)
suppress_warnings = ["myst.header"]

# ---------------------------------------------------------------- autodoc
autodoc_default_options = {"member-order": "bysource", "show-inheritance": True}
autodoc_typehints = "signature"
# numpy-style "Parameters / ----------" sections are converted by napoleon (simdocs calls it for
# the docstrings that have one): "target : Orbit (one orbit) or preset name" is prose, not a type
napoleon_use_param = False
napoleon_use_rtype = False
autodoc_class_signature = "mixed"
# pydantic models carry generated attributes (model_config, model_fields ...): keep them out
autodoc_inherit_docstrings = False

# ---------------------------------------------------------------- simdocs (generated pages)
simdocs_package = "sim"
simdocs_records = str(DOCS / "_build" / "validation")
simdocs_tests = str(ROOT / "tests")

# ---------------------------------------------------------------- notebooks (myst-nb)
EXECUTE = os.environ.get("SIM_DOCS_EXECUTE", "0") == "1"
nb_execution_mode = "cache" if EXECUTE else "off"
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache")
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_heading_anchors = 3

# ---------------------------------------------------------------- HTML
html_theme = "pydata_sphinx_theme"
html_title = f"sim {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright", "sphinx-version"],
    # the wide generated tables get the page's full width
    "secondary_sidebar_items": {"**": ["page-toc"], "scenario-reference": [], "validation": []},
}
# top-level pages without sub-pages need no navigation column
html_sidebars = {"getting-started": [], "scenario-reference": [], "validation": []}
html_static_path = ["_static"]
html_css_files = ["simdocs.css"]
html_show_sourcelink = False
