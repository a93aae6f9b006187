"""The package's shape: layers (lint-imports, run by make test), no import cycles, no private
names imported across modules. These hold for every module of ``sim``, present and future."""

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
