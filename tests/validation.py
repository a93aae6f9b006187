"""Record a reference comparison for the documentation's validation page.

A reference test calls :func:`record` next to its assertion, with the same variables::

    assert worst_r < 1e-3, worst_r
    record("SGP4 position vs Vallado tcppver.out, worst", worst_r, None, 1e-3, "m", "Vallado et al. 2006")

Each call appends one JSON line to ``docs/_build/validation/records-<worker>.jsonl`` (one file
per pytest-xdist worker, so parallel workers never write the same file); the docs build
(``docs/_ext/simdocs/validation.py``) merges them into the validation page. Recording never
changes a test's outcome: the test's own assertion decides.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from itertools import count
from pathlib import Path

#: Where the records go (the docs build reads them from here).
RECORD_DIR = Path(__file__).resolve().parent.parent / "docs" / "_build" / "validation"
_order = count()
# One id per test run (pytest-xdist gives its workers a shared one): the page keeps, for each
# test, the records of its latest run only, so a renamed quantity leaves no stale row behind.
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"{os.getpid()}-{_dt.datetime.now(_dt.UTC):%Y%m%dT%H%M%S%f}"


def _plain(value: object) -> object:
    if value is None or isinstance(value, str | bool):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def within(measured: float, reference: float | None, tolerance: float, rel: bool = False) -> bool:
    """The display rule: ``|measured - reference| <= tolerance`` (``rel``: relative to
    ``|reference|``), or ``measured <= tolerance`` when the measured figure is itself the
    difference to the reference (``reference=None``)."""
    if reference is None:
        return bool(measured <= tolerance)
    diff = abs(measured - reference)
    return bool(diff <= (tolerance * abs(reference) if rel else tolerance))


def record(
    quantity: str,
    measured: float,
    reference: float | None,
    tolerance: float,
    unit: str,
    source: str,
    *,
    rel: bool = False,
) -> None:
    """Append one comparison: ``quantity`` (what is compared), ``measured`` (sim's figure),
    ``reference`` (the independent value; None when ``measured`` is already the difference to
    it), ``tolerance`` (absolute in ``unit``, or relative when ``rel``), ``source`` (where the
    reference comes from)."""
    measured_f = _plain(measured)
    reference_f = _plain(reference)
    tolerance_f = _plain(tolerance)
    ok = (
        within(measured_f, reference_f, tolerance_f, rel)
        if isinstance(measured_f, float) and isinstance(tolerance_f, float) and math.isfinite(measured_f)
        else False
    )
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    rec = {
        "quantity": quantity,
        "measured": measured_f,
        "reference": reference_f,
        "tolerance": tolerance_f,
        "rel": bool(rel),
        "unit": unit,
        "source": source,
        "passed": ok,
        "test": test,
        "order": next(_order),
        "run": _RUN,
        "time": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }
    RECORD_DIR.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(RECORD_DIR / f"records-{worker}.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(rec) + "\n")
