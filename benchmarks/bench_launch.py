"""A year of launch windows for one site and one station (issue 5 target: under 2 s).

Times ``sim.launch.windows`` for the ISS (nominal) from Baikonur Site 31 and ROS 96.8 deg
from Vostochny over 365 days (mean plane, the default), warm (imports and numba compiled
before timing), best of ``--repeat``. Also times the osculating-plane variant with the real
ISS element set (SGP4 from its 2025-08-10 epoch; a year of SGP4 is far past its
useful accuracy, this only measures speed).

Usage: python benchmarks/bench_launch.py [--days 365] [--repeat 3] [--smoke]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _best_of(fn, repeat):
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--days", type=float, default=365.0)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--smoke", action="store_true", help="30 days, one repeat (a few seconds)")
    a, _ = p.parse_known_args(argv)  # run_all.py passes every benchmark the same arguments
    if a.smoke:
        a.days, a.repeat = 30.0, 1

    from sim import launch

    launch.windows("iss_nominal", "baikonur_31", "2027-01-01", days=2)  # warm-up
    res = {"days": a.days}
    cases = (
        ("iss_nominal", "baikonur_31", "mean", "2027-01-01"),
        ("ros_polar", "vostochny_1s", "mean", "2027-01-01"),
        ("iss", "baikonur_31", "osculating", "2025-08-10"),
    )
    for preset, key, plane, start in cases:
        days = a.days
        t, tab = _best_of(
            lambda p=preset, k=key, s=start, d=days, pl=plane: launch.windows(p, k, s, days=d, plane=pl), a.repeat
        )
        name = f"{preset}_{key}_{plane}"
        res[f"{name}_s"] = t
        res[f"{name}_windows"] = len(tab)
        res[f"{name}_days"] = days
        print(
            f"{preset:12s} from {key:13s} {plane:10s}: {len(tab):4d} windows in {days:g} days, {t:.3f} s "
            f"(target: a year < 2 s)"
        )
    return res


if __name__ == "__main__":
    main()
