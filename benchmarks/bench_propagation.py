"""Batched J2 propagation + geodetic conversion vs the sgp4 package's SatrecArray.

Both produce the same number of states (orbits x steps) in one process, so the ratio
is a fair comparison on this machine whatever its speed:

* sim: ``sim.ground_track(orbits, times)`` -- secular J2 elements, Kepler's equation,
  TEME->ITRS rotation and WGS84 geodetic latitude/longitude/height (fused numba loop,
  all cores);
* anchor: ``SatrecArray.sgp4(jd, fr)`` -- the C++ SGP4 on the same number of
  satellites x times, TEME positions only (no frame or geodetic conversion at all).

Target (issue 2): sim >= 3x SatrecArray's states per second.

Usage: python benchmarks/bench_propagation.py [--orbits 10000] [--steps 1440] [--smoke]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _best_of(fn, repeat):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--orbits", type=int, default=10_000)
    p.add_argument("--steps", type=int, default=1_440)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--smoke", action="store_true", help="tiny sizes, a few seconds (CI)")
    a = p.parse_args(argv)
    if a.smoke:
        a.orbits, a.steps, a.repeat = 200, 144, 1

    from sgp4.api import SatrecArray

    import sim

    rng = np.random.default_rng(0)
    orb = sim.Orbit.circular(
        rng.uniform(300, 600, a.orbits),
        rng.uniform(0, 180, a.orbits),
        rng.uniform(0, 360, a.orbits),
        rng.uniform(0, 360, a.orbits),
        epoch="2027-01-01",
    )
    times = sim.time_range(orb.epoch[0], step_s=60.0, days=(a.steps - 1) / 1440.0)
    states = a.orbits * len(times)

    sim.ground_track(orb[:2], times[:4])  # compile (cached on disk after the first run)
    t_sim = _best_of(lambda: sim.ground_track(orb, times), a.repeat)

    sats = SatrecArray(list(orb.to_sgp4_satrecs()))
    jd, fr = np.asarray(times.utc.jd1), np.asarray(times.utc.jd2)
    t_sgp4 = _best_of(lambda: sats.sgp4(jd, fr), a.repeat)

    res = {
        "orbits": a.orbits,
        "steps": len(times),
        "states": states,
        "sim_j2_geodetic_states_per_s": states / t_sim,
        "sgp4_satrecarray_states_per_s": states / t_sgp4,
        "ratio": t_sgp4 / t_sim,
    }
    print(f"{a.orbits} orbits x {len(times)} steps = {states:,} states")
    print(f"sim J2 + geodetic      : {res['sim_j2_geodetic_states_per_s'] / 1e6:8.2f} M states/s ({t_sim:.3f} s)")
    print(f"sgp4 SatrecArray (TEME): {res['sgp4_satrecarray_states_per_s'] / 1e6:8.2f} M states/s ({t_sgp4:.3f} s)")
    print(f"ratio sim / sgp4       : {res['ratio']:8.2f}x  (target >= 3x)")
    return res


if __name__ == "__main__":
    main()
