"""Ground-station passes: sim vs brahe, per core and on all cores, with the passes compared.

The workload of issue 17: the ISS (the newest shipped element set, SGP4 on both sides) over
Moscow (55.76 N, 37.62 E, 150 m), 7 days from the element set's epoch, 10 deg mask.

* sim: ``sim.coverage.passes(iss, station, start, stop, 10.0, model="sgp4")`` -- one SGP4
  call (``SatrecArray``) on the ~60 s grid of :func:`sim.coverage.pass_step_s`, the fast
  TEME -> ITRS rotation, then the compiled pass kernel (Hermite interpolation, roots of the
  mask crossings and of the elevation rate); ``Pass`` objects with astropy times out.
* brahe (Rust; ``pip install brahe``, in the ``validation`` extra): ``location_accesses`` with
  an ``SGPPropagator`` from the same two lines and ``ElevationConstraint(10)``, its default
  search (60 s grid, bisection to 1 ms). Earth orientation from the file shipped in the brahe
  wheel (``FileEOPProvider.from_default_standard``: no download, nothing cached).

* Skyfield: ``EarthSatellite(l1, l2).find_events(wgs84.latlon(...), t0, t1, 10)`` (its SGP4,
  a coarse search and root refinement in numpy; single-threaded as it runs).

Per core: ``numba.set_num_threads(1)`` and brahe's ``AccessSearchConfig(parallel=False)``; all
cores: both at their defaults. Best of ``--repeat`` runs each. Both lists are matched pass by
pass (AOS/LOS differences printed: SGP4 implementations and Earth-orientation details differ
at the 0.1 s level).

Target (issue 17): sim >= 1x brahe per core.

Usage: python benchmarks/bench_passes.py [--days 7] [--repeat 7] [--smoke]
"""

from __future__ import annotations

import argparse
import time

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
    p.add_argument("--days", type=float, default=7.0)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--smoke", action="store_true", help="1 day, 2 repeats (CI)")
    a = p.parse_args(argv)
    if a.smoke:
        a.days, a.repeat = 1.0, 2

    import numba
    from astropy.time import TimeDelta

    from sim import presets
    from sim.coverage import Station, pass_step_s, passes

    _, l1, l2 = presets.iss_element_sets()[-1]
    iss = presets.get("iss")
    st = Station("Moscow", 55.76, 37.62, 150.0, 10.0)
    start = iss.epoch[0]
    stop = start + TimeDelta(a.days * 86400.0, format="sec")

    def run_sim():
        return passes(iss, st, start, stop, 10.0, model="sgp4")

    run_sim()  # compile (cached on disk)
    n_threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        t_sim_1, ours = _best(run_sim, a.repeat)
    finally:
        numba.set_num_threads(n_threads)
    t_sim_all, _ = _best(run_sim, a.repeat)
    out = {
        "days": a.days,
        "passes_sim": len(ours),
        "step_s": pass_step_s(iss),
        "sim_s_1_thread": t_sim_1,
        "sim_s_all_cores": t_sim_all,
    }
    print(
        f"ISS (SGP4) over Moscow, {a.days:g} days, 10 deg mask: sim finds {len(ours)} passes "
        f"(search step {out['step_s']:.1f} s)"
    )
    print(f"sim   1 thread  : {t_sim_1 * 1e3:8.2f} ms    all cores: {t_sim_all * 1e3:8.2f} ms")
    from skyfield.api import EarthSatellite, load, wgs84

    ts = load.timescale(builtin=True)
    sat = EarthSatellite(l1, l2, ts=ts)
    here = wgs84.latlon(st.lat_deg, st.lon_deg, st.height_m)
    t0_sf, t1_sf = ts.from_astropy(start), ts.from_astropy(stop)
    t_sky, (_, ev) = _best(lambda: sat.find_events(here, t0_sf, t1_sf, altitude_degrees=10.0), a.repeat)
    out.update(
        {
            "passes_skyfield": int((ev == 0).sum()),
            "skyfield_s": t_sky,
            "ratio_skyfield_per_core": t_sky / t_sim_1,
            "ratio_skyfield_all_cores": t_sky / t_sim_all,
        }
    )
    print(f"Skyfield find_events: {t_sky * 1e3:8.2f} ms ({out['passes_skyfield']} rises)")
    try:
        import brahe as bh
    except ImportError:
        print("brahe is not installed (pip install -e '.[validation]'): no comparison")
        return out

    bh.set_global_eop_provider_from_file_provider(bh.FileEOPProvider.from_default_standard(True, "Hold"))
    loc = bh.PointLocation(st.lon_deg, st.lat_deg, st.height_m)
    con = bh.ElevationConstraint(min_elevation_deg=10.0)
    prop0 = bh.SGPPropagator.from_tle(l1, l2, 60.0)
    ep = prop0.epoch
    # brahe searches from the element set's epoch, sim from the same instant (astropy's jd of it)
    offset_s = float(((start.utc.jd1 - ep.jd()) + start.utc.jd2) * 86400.0)

    def run_brahe(parallel: bool):
        prop = bh.SGPPropagator.from_tle(l1, l2, 60.0)
        cfg = bh.AccessSearchConfig(parallel=parallel)
        return bh.location_accesses(loc, prop, ep, ep + a.days * 86400.0, con, config=cfg)

    run_brahe(False)
    t_b_1, theirs = _best(lambda: run_brahe(False), a.repeat)
    t_b_all, _ = _best(lambda: run_brahe(True), a.repeat)
    rise_b = np.array([(w.window_open - ep) for w in theirs]) - offset_s
    set_b = np.array([(w.window_close - ep) for w in theirs]) - offset_s
    full = [q for q in ours if not q.partial]
    matched = [(q, i) for q in full for i in np.nonzero(np.abs(rise_b - q.rise_s) < 30.0)[0][:1]]
    d_rise = max((abs(q.rise_s - rise_b[i]) for q, i in matched), default=0.0)
    d_set = max((abs(q.set_s - set_b[i]) for q, i in matched), default=0.0)
    out.update(
        {
            "passes_brahe": len(theirs),
            "passes_matched": len(matched),
            "max_rise_difference_s": d_rise,
            "max_set_difference_s": d_set,
            "brahe_s_1_thread": t_b_1,
            "brahe_s_all_cores": t_b_all,
            "ratio_per_core": t_b_1 / t_sim_1,
            "ratio_all_cores": t_b_all / t_sim_all,
        }
    )
    print(f"brahe 1 thread  : {t_b_1 * 1e3:8.2f} ms    all cores: {t_b_all * 1e3:8.2f} ms   ({len(theirs)} passes)")
    print(
        f"ratio brahe/sim : {out['ratio_per_core']:8.2f}x per core, {out['ratio_all_cores']:.2f}x all cores "
        "(target >= 1x per core)"
    )
    print(f"passes matched: {len(matched)} of {len(full)}; AOS within {d_rise:.3f} s, LOS within {d_set:.3f} s")
    return out


if __name__ == "__main__":
    main()
