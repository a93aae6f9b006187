"""The package's shape: layers (lint-imports, run by make test), no import cycles, no private
names imported across modules, type annotations on every public function. These hold for
every module of ``sim``, present and future."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

SIM = Path(__file__).resolve().parents[1] / "sim"


def _graph():
    return grimp.build_graph("sim", exclude_type_checking_imports=True)  # as lint-imports


def test_no_import_cycle_anywhere_in_sim():
    # Tarjan's strongly connected components over module-level and function-level imports
    # (grimp records both): any component of more than one module is a cycle.
    g = _graph()
    mods = sorted(m for m in g.modules if m.startswith("sim"))
    edges = {
        m: sorted(i for i in g.find_modules_directly_imported_by(m) if i.startswith("sim") and i != "sim") for m in mods
    }
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            comps.append(comp)

    for m in mods:
        if m not in index:
            visit(m)
    cycles = [sorted(c) for c in comps if len(c) > 1]
    assert not cycles, f"import cycles in sim: {cycles}"


def test_cycle_check_detects_a_cycle(tmp_path, monkeypatch):
    # the check above must be able to fail: a two-module package importing itself round
    pkg = tmp_path / "cyc_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("def f():\n    from . import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    g = grimp.build_graph("cyc_pkg")
    assert g.chain_exists(importer="cyc_pkg.a", imported="cyc_pkg.b")
    assert g.chain_exists(importer="cyc_pkg.b", imported="cyc_pkg.a")


def _private_cross_imports(root: Path) -> list[str]:
    bad = []
    for path in root.rglob("*.py"):
        mod = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(root.name)):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        bad.append(f"{mod}: from {'.' * node.level}{node.module or ''} import {alias.name}")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and node.value.id in {"cowell", "j2", "kernels", "frames", "atmosphere", "coverage", "launch"}
            ):
                bad.append(f"{mod}: {node.value.id}.{node.attr}")
    return bad


def test_no_private_name_imported_across_modules():
    assert _private_cross_imports(SIM) == []


def test_private_import_check_can_fail(tmp_path):
    pkg = tmp_path / "sim"
    pkg.mkdir()
    (pkg / "x.py").write_text("from .y import _hidden\n")
    assert _private_cross_imports(pkg) == ["sim.x: from .y import _hidden"]


def _is_numba_kernel(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``@njit``, ``@numba.njit``, ``@njit(...)``, ``@jit(...)``: compiled kernels on plain floats."""
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
        if name in ("njit", "jit"):
            return True
    return False


def _unannotated_public_functions(root: Path) -> list[str]:
    """``path:line qualname missing`` for each public function or method (module level or in a
    public class; ``__init__``/``__call__`` count as public) lacking a parameter annotation
    (``self``/``cls`` excepted) or a return annotation (``__init__`` excepted)."""
    bad = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def visit(node: ast.AST, cls: str | None, path: Path = path) -> None:
            for n in ast.iter_child_nodes(node):
                if isinstance(n, ast.ClassDef):
                    if not n.name.startswith("_"):
                        visit(n, f"{cls}.{n.name}" if cls else n.name)
                elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    if n.name.startswith("_") and n.name not in ("__init__", "__call__"):
                        continue
                    if _is_numba_kernel(n):
                        continue
                    params = n.args.posonlyargs + n.args.args + n.args.kwonlyargs
                    missing = [a.arg for a in params if a.arg not in ("self", "cls") and a.annotation is None]
                    missing += [f"*{a.arg}" for a in (n.args.vararg, n.args.kwarg) if a and a.annotation is None]
                    if n.returns is None and n.name != "__init__":
                        missing.append("return")
                    if missing:
                        name = f"{cls}.{n.name}" if cls else n.name
                        bad.append(f"{path.relative_to(root.parent)}:{n.lineno} {name} {missing}")

        visit(tree, None)
    return bad


def test_every_public_function_in_sim_is_annotated():
    # issue 12: every public function and method of sim has parameter and return annotations
    # (numba kernels excepted: they are typed by their signatures at compile time)
    assert _unannotated_public_functions(SIM) == []


def test_annotation_check_can_fail(tmp_path):
    pkg = tmp_path / "sim"
    pkg.mkdir()
    (pkg / "x.py").write_text(
        "from numba import njit\n"
        "def typed(a: int, *b: int, **c: int) -> int:\n    return a\n"
        "def untyped(a, b: int = 1):\n    return a\n"
        "def no_return(a: int):\n    return a\n"
        "def loose(*args, **kwargs) -> None:\n    pass\n"
        "def _private(a):\n    return a\n"
        "@njit(cache=True)\ndef kernel(a):\n    return a\n"
        "class Thing:\n"
        "    def __init__(self, a: int):\n        self.a = a\n"
        "    def method(self, b):\n        return b\n"
        "    def _helper(self, c):\n        return c\n"
        "class _Hidden:\n    def method(self, b):\n        return b\n"
    )
    assert _unannotated_public_functions(pkg) == [
        "sim/x.py:4 untyped ['a', 'return']",
        "sim/x.py:6 no_return ['return']",
        "sim/x.py:8 loose ['*args', '*kwargs']",
        "sim/x.py:18 Thing.method ['b', 'return']",
    ]
