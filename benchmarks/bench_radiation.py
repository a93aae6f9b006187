"""Trapped flux along orbits: sim's tabulated (L, B/B0) vs aep8's own per-point field-line tracing.

The workload of issue 18: AP8MIN protons above 10 MeV along the ISS and a 96.8 deg orbit at
400 km, every 60 s over ``--days`` (default 1 day: 2 x 1,440 points), and the orbit means.

* sim: :func:`sim.radiation.trapped_flux` -- trilinear interpolation of (L, log B/B0) in the
  shipped 2 x 3 deg x 50 km grid, then AP8 itself (``aep8``'s flux ufunc) at those coordinates.
* aep8: ``aep8.model("p", "min").integral_flux(EarthLocation, Time, 10 MeV)`` (the location from
  :func:`sim.radiation.aep8_location`, in IRBEM's Earth-radius unit), which computes
  McIlwain L and B/B0 of every point in the model's Jensen-Cain 1960 field (IRBEM) before AP8.

Both single-threaded. The orbit means are compared (what the dose estimate uses): measured
0.03-0.3 % apart on an ISS day (tests/test_radiation.py).

Usage: python benchmarks/bench_radiation.py [--days 1] [--repeat 5] [--smoke]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np


def _best(f, repeat: int) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--days", type=float, default=1.0)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--smoke", action="store_true", help="0.05 day, 1 repeat (CI)")
    a = p.parse_args(argv)
    if a.smoke:
        a.days, a.repeat = 0.05, 1

    import aep8
    import astropy.units as u
    from astropy.time import Time

    from sim import radiation
    from sim.groundtrack import ground_track
    from sim.orbits import Orbit
    from sim.timeutil import time_range

    orb = Orbit.circular([415.0, 400.0], [51.64, 96.8], epoch="2027-01-01", names=["ISS", "polar"])
    lat, lon, alt = ground_track(orb, time_range("2027-01-01", days=a.days, step_s=60.0))
    radiation.trapped_flux(lat[:, :2], lon[:, :2], alt[:, :2])  # load the table once (not timed)

    def with_sim():
        return radiation.trapped_flux(lat, lon, alt, particle="p", solar="min")

    def with_aep8():
        loc = radiation.aep8_location(lat, lon, alt)  # IRBEM's Earth-radius unit (see sim.radiation)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            f = aep8.model("p", "min").integral_flux(loc, Time("2000-01-01"), 10 * u.MeV).value
        return np.nan_to_num(f)

    t_sim, f_sim = _best(with_sim, a.repeat)
    t_ref, f_ref = _best(with_aep8, max(1, a.repeat // 2))
    n = lat.size
    mean_sim, mean_ref = f_sim.mean(axis=1), f_ref.mean(axis=1)
    print(f"{n} points: sim {t_sim * 1e6 / n:.2f} us/point, aep8 {t_ref * 1e6 / n:.1f} us/point")
    for name, ms, mr in zip(orb.names, mean_sim, mean_ref):
        diff = f"{(ms / mr - 1) * 100:+.2f} %" if mr > 0 else "no flux on this short track"
        print(f"  {name}: orbit-mean flux sim {ms:.3f}, aep8 {mr:.3f} cm^-2 s^-1 ({diff})")
    return {
        "points": n,
        "sim_us_per_point": t_sim * 1e6 / n,
        "aep8_us_per_point": t_ref * 1e6 / n,
        "ratio_aep8": t_ref / t_sim,
        "max_mean_difference_pct": float(
            max((abs(ms / mr - 1.0) * 100.0 for ms, mr in zip(mean_sim, mean_ref) if mr > 0), default=0.0)
        ),
    }


if __name__ == "__main__":
    print(main())
