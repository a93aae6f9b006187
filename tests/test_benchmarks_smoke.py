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
