"""The validation page: the comparisons the reference tests recorded in this build's test run.

A reference test calls ``record(...)`` (``tests/validation.py``) next to its assertion, with the
same variables the assertion uses; each call appends one JSON line to
``docs/_build/validation/records-<xdist worker>.jsonl``. This module merges those files (the
latest record per test and quantity wins) and renders them as a table. Nothing is retyped:
when the tests did not run, the page says so, and a wired test that did not record (a slow one
under ``make test``) is listed as not recorded.
"""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

#: The ``record`` helper the tests import (its calls are found by reading the test files).
RECORD_FUNCTION = "record"


def load(record_dir: Path) -> list[dict]:
    """The records of every worker file: for each test, those of its latest run (a test run
    again, or with a quantity renamed, leaves no stale row), the latest per (quantity, source)."""
    records = []
    for path in sorted(Path(record_dir).glob("records-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut by a killed worker: skip it
    last_run: dict[str, tuple] = {}
    for rec in records:
        stamp = (rec.get("time", ""), rec.get("run", ""))
        if stamp > last_run.get(rec.get("test", ""), ("", "")):
            last_run[rec.get("test", "")] = stamp
    latest: dict[tuple, dict] = {}
    for rec in records:
        test = rec.get("test", "")
        if rec.get("run", "") != last_run[test][1]:
            continue
        key = (test, rec.get("quantity", ""), rec.get("source", ""))
        if key not in latest or rec.get("order", 0) >= latest[key].get("order", 0):
            latest[key] = rec
    return sorted(latest.values(), key=lambda r: (r.get("test", ""), r.get("order", 0)))


def wired_tests(tests_dir: Path) -> list[str]:
    """``file::function`` of every test function that calls ``record(...)``."""
    out = []
    for path in sorted(Path(tests_dir).glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
                calls = [
                    n
                    for n in ast.walk(node)
                    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == RECORD_FUNCTION
                ]
                if calls:
                    out.append(f"tests/{path.name}::{node.name}")
    return out


def _fmt(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        if isinstance(v, float) and not math.isfinite(v):
            return str(v)
        return f"{v:.6g}"
    return str(v)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def tolerance_text(rec: dict) -> str:
    tol = rec.get("tolerance")
    if tol is None:
        return ""
    if rec.get("rel"):
        return f"{tol * 100:.3g} % (relative)"
    bound = "<= " if rec.get("reference") is None else "+- "
    return bound + _fmt(tol)


def render(records: list[dict], wired: list[str]) -> str:
    """reStructuredText of the validation tables."""
    lines: list[str] = []
    if wired:  # a test that no longer records (removed, renamed) leaves no row behind
        records = [r for r in records if r.get("test", "").split("[")[0] in wired]
    if not records:
        lines += [
            ".. note::",
            "",
            "   Not recorded in this build: the reference tests did not run before the documentation",
            "   was built. ``make test`` (tests, then the docs) or ``make docs`` fills this page.",
            "",
        ]
    else:
        n_ok = sum(1 for r in records if r.get("passed"))
        times = sorted(r.get("time", "") for r in records)
        lines += [
            f"{len(records)} comparisons recorded by {len({r.get('test') for r in records})} tests, "
            f"{n_ok} within tolerance (test runs {times[0][:16]} .. {times[-1][:16]} UTC).",
            "",
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 30 12 12 12 7 27",
            "",
            "   * - quantity",
            "     - measured",
            "     - reference",
            "     - tolerance",
            "     - unit",
            "     - reference source (test)",
        ]
        for r in records:
            ref = r.get("reference")
            ref_text = _fmt(ref) if ref is not None else "(difference)"
            mark = "" if r.get("passed") else " **(outside tolerance)**"
            lines += [
                f"   * - {_cell(r.get('quantity', ''))}{mark}",
                f"     - {_cell(_fmt(r.get('measured')))}",
                f"     - {_cell(ref_text)}",
                f"     - {_cell(tolerance_text(r))}",
                f"     - {_cell(r.get('unit', ''))}",
                f"     - {_cell(r.get('source', ''))} (``{_cell(r.get('test', '').split('[')[0])}``)",
            ]
        lines += [""]
    recorded = {r.get("test", "").split("[")[0] for r in records}
    missing = [t for t in wired if t not in recorded]
    if missing:
        lines += [
            "Reference tests that record a comparison but did not run in this build (slow tests run",
            "with ``make test-slow``; a validation dependency missing skips others):",
            "",
        ]
        lines += [f"* ``{t}``" for t in missing]
        lines += [""]
    return "\n".join(lines)
