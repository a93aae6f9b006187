"""Sphinx extension of sim's documentation: pages generated from the code at build time.

* ``api/``: one page per public module (:mod:`simdocs.api`), written when the builder starts;
  then, once every page is read, a check that every public name has a docstring and appears in
  the reference (a warning each: ``-W`` makes it fail the build).
* ``_generated/scenario_tables.rst``: the scenario file reference from the pydantic schema
  (:mod:`simdocs.schema_ref`), included by ``scenario-reference.rst``.
* ``.. validation-table::``: the comparisons the reference tests recorded (:mod:`simdocs.validation`).
* ``.. module-summary:: sim.x``: the public names of a module with their first docstring line,
  linked to the API page; a short note instead when the module does not exist (yet).
* Type hints in signatures name numpy, astropy, pydantic... objects; without intersphinx (the
  build is offline) those links cannot resolve, so their warnings are dropped in signatures
  only. A bare name of sim's own (``Orbit`` from a ``TYPE_CHECKING`` import) is resolved to the
  one documented object of that name. Every cross-reference written in a docstring or page is
  checked (``nitpicky``).
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import api, schema_ref, validation

logger = logging.getLogger(__name__)


def _ref(app) -> api.Reference:
    if getattr(app, "_simdocs_ref", None) is None:
        app._simdocs_ref = api.build_reference(app.config.simdocs_package, app.config.simdocs_skip)
    return app._simdocs_ref


def generate_pages(app) -> None:
    """The API pages (``api/``) and the scenario tables (``_generated/scenario_tables.rst``,
    included by ``scenario-reference.rst``): written only when their text changes."""
    ref = _ref(app)
    api.write_pages(ref, Path(app.srcdir) / "api", app.config.simdocs_skip)
    if app.config.simdocs_scenario_model:
        modname, _, attr = app.config.simdocs_scenario_model.partition(":")
        model = getattr(importlib.import_module(modname), attr)
        text = f".. currentmodule:: {modname}\n\n" + schema_ref.render(model)
        api.write_if_changed(Path(app.srcdir) / "_generated" / "scenario_tables.rst", text)


def check_api(app, env) -> None:
    py = env.get_domain("py")
    documented = set(py.objects) | set(py.modules)
    for problem in api.problems(_ref(app), documented):
        logger.warning(problem, type="simdocs", subtype="api")


class ValidationTable(SphinxDirective):
    """``.. validation-table::`` -- the recorded comparisons (re-read on every build)."""

    def run(self):
        self.env.simdocs_always_read = getattr(self.env, "simdocs_always_read", set()) | {self.env.docname}
        cfg = self.config
        records = validation.load(Path(cfg.simdocs_records))
        wired = validation.wired_tests(Path(cfg.simdocs_tests))
        return self.parse_text_to_nodes(validation.render(records, wired))


class ModuleSummary(SphinxDirective):
    """``.. module-summary:: sim.x`` -- public names, first docstring lines, links to the API page."""

    required_arguments = 1
    option_spec = {"missing": directives.unchanged}

    def run(self):
        modname = self.arguments[0]
        ref = _ref(self.env.app)
        if modname not in ref.entries:
            text = self.options.get("missing") or f"``{modname}`` is not part of this version of sim yet."
            return self.parse_text_to_nodes(f".. note::\n\n   {text}\n")
        # the docstrings' relative references (:func:`passes`) are relative to their module
        lines = [f".. currentmodule:: {modname}", "", f"API: :mod:`{modname}`", ""]
        for e in ref.entries[modname]:
            obj = getattr(importlib.import_module(e.module), e.name, None)
            kind = api.object_kind(obj)
            doc = inspect.getdoc(obj) if kind in ("class", "function", "module") else ""
            first = _BARS.sub(r"\\|\1\\|", (doc or "").strip().split("\n\n")[0].replace("\n", " "))
            role = "mod" if kind == "module" else "obj"
            lines.append(f"* :{role}:`~{e.target}` -- {first}" if first else f"* :{role}:`~{e.target}`")
        return self.parse_text_to_nodes("\n".join(lines) + "\n")


def always_read(app, env, added, changed, removed):
    return sorted(getattr(env, "simdocs_always_read", set()))


def _in_signature(node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.desc_signature):
            return True
        parent = parent.parent
    return False


def _aliases(app) -> dict[str, str]:
    """``module.name`` of every export -> the documented target (``sim.Orbit`` -> ``sim.orbits.Orbit``)."""
    if getattr(app, "_simdocs_aliases", None) is None:
        ref = _ref(app)
        app._simdocs_aliases = {f"{e.module}.{e.name}": e.target for m in ref.modules for e in ref.entries[m]}
    return app._simdocs_aliases


def _canonical(app, target: str) -> str | None:
    """``target`` with its longest aliased prefix replaced by the documented name, or None."""
    aliases = _aliases(app)
    parts = target.split(".")
    for n in range(len(parts), 0, -1):
        head = ".".join(parts[:n])
        if head in aliases and aliases[head] != head:
            return ".".join([aliases[head], *parts[n:]])
    return None


def _by_identity(app, dotted: str) -> str | None:
    """The documented name of the object Python finds at ``dotted`` (``sim.sweep.execution.SweepSpec``
    imported there from ``sim.sweep.spec``), attributes after it kept."""
    if getattr(app, "_simdocs_ids", None) is None:
        ids = {}
        ref = _ref(app)
        for m in ref.modules:
            for e in ref.entries[m]:
                if e.home_name:
                    obj = getattr(importlib.import_module(e.home), e.home_name, None)
                    if inspect.isclass(obj) or inspect.isfunction(obj):
                        ids.setdefault(id(obj), e.target)
        app._simdocs_ids = ids
    parts = dotted.split(".")
    for n in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:n]))
        except ImportError:
            continue
        for k, attr in enumerate(parts[n:]):
            obj = getattr(obj, attr, None)
            if obj is None:
                return None
            if id(obj) in app._simdocs_ids:
                return ".".join([app._simdocs_ids[id(obj)], *parts[n + k + 1 :]])
        return None
    return None


def resolve_sim_aliases(app, env, node, contnode):
    """Resolve what Python would: a re-export (``sim.Orbit``, ``sim.sweep.SweepSpec``), a name
    relative to the current module or package, or (in a signature) a bare name of sim's own."""
    if node.get("refdomain") != "py":
        return None
    py = env.get_domain("py")
    target = node.get("reftarget", "").lstrip("~.")
    candidates = [target]
    modname = node.get("py:module")
    if modname:
        candidates.append(f"{modname}.{target}")
    for cand in candidates:
        canon = _canonical(app, cand) or _by_identity(app, cand)
        if canon:
            hit = py.resolve_any_xref(env, node.get("refdoc", ""), app.builder, canon, node, contnode)
            if hit:
                return hit[0][1]
    if _in_signature(node) and "." not in target:
        pkg = app.config.simdocs_package + "."
        hits = [n for n in py.objects if n.startswith(pkg) and n.endswith("." + target)]
        if len(hits) == 1:
            return py.resolve_xref(env, node.get("refdoc", ""), app.builder, "obj", hits[0], node, contnode)
    return None


def _skipped(app, dotted: str) -> bool:
    return bool(dotted) and any(dotted == s or dotted.startswith(s + ".") for s in app.config.simdocs_skip)


def _defined_in(modname: str, target: str) -> str:
    """Module of the object ``target`` names from ``modname`` (a numba kernel imported there), or ""."""
    try:
        obj = importlib.import_module(modname)
    except ImportError:
        return ""
    for part in target.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return ""
    return str(getattr(obj, "__module__", "") or getattr(getattr(obj, "py_func", None), "__module__", ""))


def quiet_external_signature_refs(app, domain, node):
    """True (no warning) for a type hint naming a non-sim object, in a signature or in the text
    autodoc writes itself ("alias of ...", no source line)."""
    if domain is None or domain.name != "py":
        return None
    target = node.get("reftarget", "").lstrip("~.")
    if _skipped(app, target) or (node.get("py:module") and _skipped(app, _defined_in(node["py:module"], target))):
        return True  # left out of the reference on purpose (simdocs_skip): shown as text
    if not node.source and any(part.startswith("_") for part in target.split(".")):
        return True  # autodoc's own text ("alias of Annotated[..., _validator]"): not written by anyone
    if not _in_signature(node) and node.source:
        return None
    if target == app.config.simdocs_package or target.startswith(app.config.simdocs_package + "."):
        return None
    return True


_BARS = re.compile(r"(?<![`\\|])\|(?=[^\s|`])([^|`\n]*?[^\s|`\\])\|(?![`_|])")


_NUMPY_SECTION = re.compile(r"^\s*(Parameters|Returns|Raises|Yields|Other Parameters)\s*$")


def prepare_docstring(app, what, name, obj, options, lines):
    """``|B|`` and ``|beta|`` in a docstring are absolute values, not reST substitutions (sim's
    docstrings define none): escape them so they print as written. A docstring with a numpy-style
    section (``Parameters`` underlined with dashes) goes through napoleon; the others are reST."""
    lines[:] = [_BARS.sub(r"\\|\1\\|", line) for line in lines]
    numpy_style = any(
        _NUMPY_SECTION.match(a) and b.strip() and set(b.strip()) == {"-"} for a, b in zip(lines, lines[1:])
    )
    if numpy_style:
        from sphinx.ext.napoleon import Config
        from sphinx.ext.napoleon.docstring import NumpyDocstring

        cfg = Config(napoleon_use_param=False, napoleon_use_rtype=False, napoleon_preprocess_types=False)
        lines[:] = NumpyDocstring(lines, cfg, app, what, name, obj, options).lines()


def setup(app):
    app.add_config_value("simdocs_package", "sim", "env")
    app.add_config_value("simdocs_skip", api.SKIP, "env")
    app.add_config_value("simdocs_records", "", "env")
    app.add_config_value("simdocs_scenario_model", "sim.scenario:Scenario", "env")
    app.add_config_value("simdocs_tests", "", "env")
    app.connect("builder-inited", generate_pages)
    app.connect("autodoc-process-docstring", prepare_docstring)
    app.connect("env-check-consistency", check_api)
    app.connect("env-get-outdated", always_read)
    app.connect("missing-reference", resolve_sim_aliases)
    app.connect("warn-missing-reference", quiet_external_signature_refs)
    app.add_directive("validation-table", ValidationTable)
    app.add_directive("module-summary", ModuleSummary)
    return {"version": "1", "parallel_read_safe": False, "parallel_write_safe": True}
