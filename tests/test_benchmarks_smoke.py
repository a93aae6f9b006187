"""Every benchmark runs in its smoke mode (tiny sizes): the scripts stay working.

Benchmarks are not timed tests: the ratios they print are meaningful only at full size
(``make bench``); here only that each runs and reports positive rates.
"""

from __future__ import annotations

from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.parametrize("path", sorted(BENCH.glob("bench_*.py")), ids=lambda p: p.stem)
def test_benchmark_smoke(path):
    import sys

    sys.path.insert(0, str(BENCH))
    try:
        from run_all import load
    finally:
        sys.path.pop(0)
    res = load(path).main(["--smoke"])
    assert isinstance(res, dict) and res
    numbers = [v for v in res.values() if isinstance(v, (int, float))]
    assert numbers and all(v == v and v >= 0 for v in numbers)  # no NaN, no negative rates


def test_run_all_table_has_every_workload_per_core_and_all_cores():
    """``make bench``'s one table: a row per workload at 1 thread and at all cores, a column per peer."""
    import sys

    sys.path.insert(0, str(BENCH))
    try:
        from run_all import PEERS, ROWS, table
    finally:
        sys.path.pop(0)
    out = table({"bench_propagation": {"ratio_sgp4_per_core": 5.84, "ratio_sgp4_all_cores": 11.2}})
    rows = [line for line in out.splitlines() if line.startswith("| ") and "workload" not in line]
    assert len(rows) == 2 * len(ROWS)
    assert all(line.count("|") == len(PEERS) + 3 for line in rows)
    assert "| 5.8x |" in rows[0] and "| 11x |" in rows[1]  # sgp4 column: per core, then all cores
    assert "1 thread" in rows[0] and "cores" in rows[1]
