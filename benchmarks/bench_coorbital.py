"""A year of ISS -> ROS transfers: alignment windows and the Lambert grid (issue 14 target: < 30 s on 2 cores).

ISS (preset ``iss_nominal``, 415 km) and a ROS at 51.6 deg / 370 km whose node is 20 deg east of
the ISS's at 2027-01-01 (``Orbit.circular(370, 51.6, raan_deg=20)``: the planes meet about 165 days
later, one 21-day alignment window of 1 deg in the year). ``sim.coorbital.alignment_windows`` and
``sim.coorbital.transfers`` over 365 days: departures every 10 min inside the window, flight times
2-48 h every 30 min, all feasible revolution counts, J2 drift refinement, warm (numba compiled
before timing), best of ``--repeat``, on all cores and on one numba thread.

The peer is a plain per-point Python loop with the same Lambert solver (boinor's compiled Izzo,
called once per revolution count and branch from Python, every feasible count, two-body arc, no
refinement -- less work than sim does per point) on a subsample of the grid, scaled to the full
grid. Only ratios are printed as results; nothing asserts on time.

Usage: python benchmarks/bench_coorbital.py [--days 365] [--repeat 3] [--subsample 400] [--smoke]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _best(fn, repeat):
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _one_thread(fn, repeat):
    import numba

    n = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        return _best(fn, repeat)
    finally:
        numba.set_num_threads(n)


def _python_loop(r1s, v1s, r2s, v2s, tofs):
    """Cheapest Lambert dv per point, one Python call of boinor's izzo per revolution count and branch."""
    from boinor.core.iod import izzo

    from sim.constants import MU_EARTH

    out = np.full(len(tofs), np.nan)
    for k in range(len(tofs)):
        best = np.inf
        m = 0
        while True:
            found = False
            for low in (True, False) if m > 0 else (True,):
                try:
                    w1, w2 = izzo(MU_EARTH, r1s[k], r2s[k], tofs[k], m, True, low, 35, 1e-8)
                except ValueError:  # no solution with m revolutions: done
                    continue
                found = True
                best = min(best, np.linalg.norm(w1 - v1s[k]) + np.linalg.norm(v2s[k] - w2))
            if not found:
                break
            m += 1
        out[k] = best
    return out


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--days", type=float, default=365.0)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--subsample", type=int, default=400, help="grid points timed with the Python loop")
    p.add_argument("--smoke", action="store_true", help="the window's 3 central days, 1 repeat, 40 loop points")
    a, _ = p.parse_known_args(argv)  # run_all.py passes every benchmark the same arguments

    import sim
    from sim import coorbital as co

    iss = sim.presets.get("iss_nominal")
    ros = sim.Orbit.circular(370, 51.6, raan_deg=20.0, names=["ROS 51.6 370 km"])
    start, days = "2027-01-01", a.days
    if a.smoke:
        start, days, a.repeat, a.subsample = "2027-06-13", 3.0, 1, 40

    def run():
        al = co.alignment_windows(iss, ros, start, days)
        return al, co.transfers(iss, ros, start, days)

    co.transfers(iss, ros, "2027-06-14", 0.05, max_flight_h=3.0)  # warm-up: compile / load the kernels
    t_all, (al, search) = _best(run, a.repeat)
    t_one, _ = _one_thread(run, a.repeat)
    n_windows = len(al.windows)
    window_days = sum(w.duration_days for w in al.windows)
    kw = co.transfers.__kwdefaults__  # the grid the library searches by default (steps not repeated here)
    per_day = 1440.0 / kw["departure_step_min"]
    n_dep = int(np.floor(window_days * per_day + 1e-9)) + n_windows if al.windows else int(days * per_day) + 1
    n_tof = int(np.floor((kw["max_flight_h"] - kw["min_flight_h"]) / kw["flight_step_h"] + 1e-9)) + 1
    n_points = n_dep * n_tof

    # the peer: a subsample of departure x flight-time points inside the window, two-body states
    rng = np.random.default_rng(1)
    w = al.windows[0] if al.windows else None
    t0 = w.start if w is not None else sim.to_time(start)[0]
    span_s = (w.duration_days if w is not None else days) * 86400.0
    step_s = kw["departure_step_min"] * 60.0
    dep_s = np.floor(rng.uniform(0, span_s, a.subsample) / step_s) * step_s
    tof_s = (kw["min_flight_h"] + kw["flight_step_h"] * rng.integers(0, n_tof, a.subsample)) * 3600.0
    from astropy.time import TimeDelta

    dep_t = t0 + TimeDelta(dep_s, format="sec")
    arr_t = t0 + TimeDelta(dep_s + tof_s, format="sec")
    r1, v1 = iss.propagate(dep_t)
    r2, v2 = ros.propagate(arr_t)
    args = (r1[0], v1[0], r2[0], v2[0], tof_s)
    _python_loop(*(x[:2] for x in args))  # warm-up
    t_loop, _ = _best(lambda: _python_loop(*args), 1)
    loop_full_s = t_loop / a.subsample * n_points

    best = search.best[0] if search.best else None
    res = {
        "days": days,
        "windows": n_windows,
        "grid_points": n_points,
        "sim_s": t_all,
        "sim_1_thread_s": t_one,
        "loop_s_per_point": t_loop / a.subsample,
        "ratio_loop_all_cores": loop_full_s / t_all,
        "ratio_loop_per_core": loop_full_s / t_one,
        "best_dv_m_s": best.dv_total_m_s if best else 0.0,
    }
    print(
        f"ISS -> ROS 370 km over {days:g} days: {n_windows} alignment window(s), {n_points:,} grid points "
        f"(x revolutions x branches)"
    )
    print(f"  sim, all cores      {t_all:8.2f} s  (target: a year < 30 s on 2 cores)")
    print(f"  sim, 1 thread       {t_one:8.2f} s")
    print(
        f"  Python loop, boinor izzo: {t_loop / a.subsample * 1e3:.2f} ms/point on {a.subsample} points -> "
        f"{loop_full_s:,.0f} s for the grid: sim {res['ratio_loop_all_cores']:.0f}x faster on all cores, "
        f"{res['ratio_loop_per_core']:.0f}x per core"
    )
    if best:
        print(
            f"  best: {best.departure.isot} +{best.flight_time_h:g} h, {best.dv_total_m_s:.1f} m/s "
            f"({best.revolutions} rev, plane angle {best.plane_angle_deg:.3f} deg)"
        )
    return res


if __name__ == "__main__":
    main()
