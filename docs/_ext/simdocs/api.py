"""The API reference, discovered from the package: which modules are public, which names each
documents, where each name is documented ("home"), and the check that every public name has a
docstring and appears in the built reference.

Rules (no hand-kept list, so a new module gets its page the build after it lands):

* public modules: every module of the package found by :func:`pkgutil.walk_packages`, except
  those with a component starting with ``_`` and those under ``SKIP`` prefixes (the numba
  kernels: plain-float internals called through the public modules);
* public names of a module: its ``__all__``, or (no ``__all__``) the functions and classes
  defined in it whose names do not start with ``_``;
* a name is documented once, at its *home*: the module that defines it (followed through
  ``from .x import name`` chains in the source) when that module is public and lists the name
  as public too; otherwise the module that exports it. Other modules exporting it link there.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import types
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

#: Module prefixes left out of the reference, with the reason shown on the API index page.
SKIP = {
    "sim.kernels": "numba kernels on plain floats, internal to the analyses that call them",
}


def is_private(modname: str) -> bool:
    return any(_private_name(part) for part in modname.split("."))


def _private_name(name: str) -> bool:
    """``_x`` is private; a dunder such as ``__version__`` is not (``__all__`` and friends are machinery)."""
    if name.startswith("__") and name.endswith("__"):
        return name in ("__all__", "__doc__", "__path__", "__file__", "__name__", "__getattr__", "__dir__")
    return name.startswith("_")


def discover(package: str = "sim", skip: dict[str, str] | None = None) -> list[str]:
    """The public modules of ``package`` (the package itself first), sorted."""
    skip = SKIP if skip is None else skip
    pkg = importlib.import_module(package)
    names = [package]
    if hasattr(pkg, "__path__"):
        names += [m.name for m in pkgutil.walk_packages(pkg.__path__, package + ".")]
    out = []
    for name in names:
        if is_private(name) or any(name == s or name.startswith(s + ".") for s in skip):
            continue
        out.append(name)
    return sorted(out)


def public_names(module: types.ModuleType) -> list[str]:
    """``__all__``, or the non-underscore functions, classes and data defined in ``module``."""
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(dict.fromkeys(names))
    return defined_names(module)


def helper_names(module: types.ModuleType) -> list[str]:
    """Names defined in ``module`` without a leading underscore that its ``__all__`` leaves out
    (documented in a section of their own, so the docstrings that mention them can link)."""
    if getattr(module, "__all__", None) is None:
        return []
    public = set(module.__all__)
    return [n for n in defined_names(module) if n not in public]


def defined_names(module: types.ModuleType) -> list[str]:
    """The non-underscore functions, classes and data (module-level assignments) defined in ``module``."""
    out = []
    for name, obj in vars(module).items():
        if name.startswith("_"):
            continue
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and getattr(obj, "__module__", None) == module.__name__:
            out.append(name)
    tree = _source_tree(module.__name__)
    for node in tree.body if tree is not None else ():
        if isinstance(node, ast.FunctionDef) and not _private_name(node.name) and node.name not in out:
            if object_kind(getattr(module, node.name, None)) == "function":  # e.g. a numba kernel
                out.append(node.name)
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for t in targets:
            if isinstance(t, ast.Name) and not _private_name(t.id) and t.id not in out and hasattr(module, t.id):
                if object_kind(getattr(module, t.id)) == "data":
                    out.append(t.id)
    return out


@cache
def _source_tree(modname: str) -> ast.Module | None:
    module = importlib.import_module(modname)
    path = getattr(module, "__file__", None)
    if not path or not path.endswith(".py"):
        return None
    return ast.parse(Path(path).read_text(encoding="utf-8"))


def _absolute(modname: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = modname.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def origin(modname: str, name: str, _depth: int = 0) -> tuple[str, str]:
    """(module, name) where ``modname.name`` is defined, following ``from X import Y [as name]``
    in the source (``import``-ed submodules map to themselves)."""
    module = importlib.import_module(modname)
    obj = getattr(module, name, None)
    if isinstance(obj, types.ModuleType):
        return obj.__name__, ""
    tree = _source_tree(modname)
    if tree is None or _depth > 10:
        return modname, name
    is_pkg = hasattr(module, "__path__")
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    src = _absolute(modname, is_pkg, node)
                    try:
                        importlib.import_module(src)
                    except ImportError:
                        return modname, name
                    return origin(src, alias.name, _depth + 1)
    return modname, name


@dataclass
class Entry:
    """One public name of one module and where it is documented."""

    module: str
    name: str
    home: str  # the module whose page documents it ("" + module name for a submodule)
    home_name: str

    @property
    def target(self) -> str:
        return f"{self.home}.{self.home_name}" if self.home_name else self.home


@dataclass
class Reference:
    modules: list[str]
    entries: dict[str, list[Entry]] = field(default_factory=dict)  # per module, in __all__ order

    def documented_here(self, modname: str) -> list[Entry]:
        return [e for e in self.entries[modname] if e.home == modname and e.home_name]

    def exported_from_elsewhere(self, modname: str) -> list[Entry]:
        return [e for e in self.entries[modname] if not (e.home == modname and e.home_name)]


def build_reference(package: str = "sim", skip: dict[str, str] | None = None) -> Reference:
    modules = discover(package, skip)
    public = {m: public_names(importlib.import_module(m)) for m in modules}
    ref = Reference(modules)
    for m in modules:
        rows = []
        for name in public[m]:
            home, home_name = origin(m, name)
            if home_name == "":  # a submodule: its own page if public
                if home not in public:
                    home, home_name = m, name
            elif home not in public or _private_name(home_name):
                home, home_name = m, name
            rows.append(Entry(m, name, home, home_name))
        ref.entries[m] = rows
    return ref


def object_kind(obj: object) -> str:
    if inspect.isclass(obj):
        return "class"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "function"
    if callable(obj) and (hasattr(obj, "__wrapped__") or inspect.isfunction(getattr(obj, "py_func", None))):
        # functools wrappers (lru_cache) and numba dispatchers carry the function's docstring
        return "function"
    if isinstance(obj, types.ModuleType):
        return "module"
    return "data"


def has_docstring(modname: str, name: str) -> bool:
    """True when ``modname.name`` carries its own documentation: a class's or function's own
    docstring (not one inherited from a base class or the value's type), a module docstring,
    or for data a ``#:`` comment / string literal after the assignment."""
    from sphinx.pycode import ModuleAnalyzer

    module = importlib.import_module(modname)
    if not hasattr(module, name):
        return False
    obj = getattr(module, name)
    kind = object_kind(obj)
    if kind == "class":
        return bool((obj.__dict__.get("__doc__") or "").strip())
    if kind in ("function", "module"):
        return bool((getattr(obj, "__doc__", None) or "").strip())
    try:
        docs = ModuleAnalyzer.for_module(modname).find_attr_docs()
    except Exception:  # noqa: BLE001 (no source: nothing to read the comment from)
        return False
    return bool("".join(docs.get(("", name), [])).strip())


def problems(ref: Reference, documented: set[str] | None = None) -> list[str]:
    """Every public name that has no docstring at its home, or (``documented`` given: the
    object names of the built reference) that does not appear there. Empty = all good."""
    out = []
    seen = set()
    for m in ref.modules:
        for e in ref.entries[m]:
            if not hasattr(importlib.import_module(e.module), e.name):
                out.append(f"{e.module}.{e.name}: listed in __all__ but not defined")
                continue
            if e.target in seen:
                continue
            seen.add(e.target)
            if e.home_name and not has_docstring(e.home, e.home_name):
                out.append(f"{e.target}: public name without a docstring (add one, or a '#:' comment for data)")
            elif documented is not None and e.target not in documented:
                out.append(f"{e.target}: public name missing from the API reference")
    return out


def module_page(ref: Reference, modname: str) -> str:
    """The reStructuredText of one module's API page."""
    title = f"``{modname}``"
    lines = [title, "=" * len(title), ""]
    members = [e.home_name for e in ref.documented_here(modname)]
    lines += [f".. automodule:: {modname}"]
    if members:
        lines += [f"   :members: {', '.join(members)}", "   :undoc-members:"]
    else:
        lines += ["   :no-members:"]
    lines += [""]
    helpers = helper_names(importlib.import_module(modname))
    if helpers:
        lines += [
            "Other names defined here",
            "------------------------",
            "",
            "Not in the module's ``__all__`` (helpers and settings the public functions use).",
            "",
            f".. currentmodule:: {modname}",
            "",
        ]
        module = importlib.import_module(modname)
        for name in helpers:
            kind = object_kind(getattr(module, name))
            directive = {"class": "autoclass", "function": "autofunction"}.get(kind, "autodata")
            lines += [f".. {directive}:: {name}"] + (["   :members:"] if kind == "class" else []) + [""]
    subs = [m for m in ref.modules if m.rpartition(".")[0] == modname]
    if subs and "." in modname:  # the root package's modules are listed by the index page
        lines += ["Submodules", "----------", "", ".. toctree::", "   :maxdepth: 1", ""]
        lines += [f"   {s}" for s in subs]
        lines += [""]
    elsewhere = ref.exported_from_elsewhere(modname)
    if elsewhere:
        lines += ["Also exported here", "------------------", ""]
        for e in elsewhere:
            role = "mod" if not e.home_name else "obj"
            lines += [f"* ``{e.name}``: :{role}:`{e.target}`"]
        lines += [""]
    return "\n".join(lines)


_ROLE = re.compile(r":(\w+):`(~?)([A-Za-z_][\w.]*)`")


def qualify_roles(text: str, modname: str) -> str:
    """Roles relative to ``modname`` (``:class:`Orbit``` in its docstring) made absolute, for text
    shown outside the module's page; a target that is not an attribute of the module is kept."""
    module = importlib.import_module(modname)

    def sub(m: re.Match) -> str:
        role, tilde, target = m.groups()
        if hasattr(module, target.split(".")[0]) and not target.startswith(modname + "."):
            return f":{role}:`~{modname}.{target}`"
        return m.group(0)

    return _ROLE.sub(sub, text)


def index_page(ref: Reference, skip: dict[str, str] | None = None) -> str:
    skip = SKIP if skip is None else skip
    lines = [
        "API reference",
        "=============",
        "",
        "Generated from the docstrings of every public module of ``sim`` (found by walking the",
        "package at build time: a new module appears here without editing the docs). Each name is",
        "documented once, in the module that defines it; modules that re-export it link there.",
        "",
    ]
    if skip:
        lines += ["Not listed:", ""]
        lines += [f"* ``{k}``: {v}" for k, v in skip.items()]
        lines += [""]
    top = [m for m in ref.modules if m.count(".") <= 1]
    lines += [".. toctree::", "   :hidden:", ""]
    lines += [f"   {m}" for m in top]
    lines += ["", ".. list-table::", "   :header-rows: 1", "   :widths: 25 75", "", "   * - module", "     - summary"]
    for m in top:
        doc = inspect.getdoc(importlib.import_module(m)) or ""
        first = qualify_roles(" ".join(doc.strip().split("\n\n")[0].split()).replace("|", "\\|"), m)
        lines += [f"   * - :mod:`{m}`", f"     - {first}"]
    lines += [""]
    return "\n".join(lines)


def write_if_changed(path: Path, text: str) -> None:
    """Write only when the text differs (Sphinx re-reads a page whose file is newer)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_pages(ref: Reference, outdir: Path, skip: dict[str, str] | None = None) -> list[Path]:
    """Write ``index.rst`` and one page per module into ``outdir``; remove pages of modules
    that no longer exist. Returns the pages."""
    outdir.mkdir(parents=True, exist_ok=True)
    pages = {outdir / "index.rst": index_page(ref, skip)}
    for m in ref.modules:
        pages[outdir / f"{m}.rst"] = module_page(ref, m)
    for old in outdir.glob("*.rst"):
        if old not in pages:
            old.unlink()
    for path, text in pages.items():
        write_if_changed(path, text)
    return list(pages)
