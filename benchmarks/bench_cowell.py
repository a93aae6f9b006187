"""Cowell (numerical) propagation speed: sim's batched numba DOP853 vs boinor's Cowell.

* 100 orbits x 1 day, J2 only (420 km, 51.64 deg, spread in RAAN and argument of latitude),
  pole along GCRS z for both, same tolerance (rtol 1e-11; boinor's atol 1e-12 km = 1e-9 m):
  sim in ONE batched call of ``sim.propagation.cowell.integrate`` vs boinor's
  ``CowellPropagator`` + ``J2_perturbation`` called once per orbit (after a warm-up call so
  its numba JIT is not timed; boinor's time is measured on ``--boinor-orbits`` orbits and
  scaled to 100, its cost being exactly per orbit). The final positions are compared.
  sim at 1 numba thread (per core) and at all cores; boinor runs single-threaded.
* The same 100 orbits x 1 day with zonal harmonics J2-J6 and the true pole (precession,
  nutation, polar motion), rtol 1e-11 / atol 1e-9 m: sim's batched call vs brahe's
  ``NumericalOrbitPropagator`` (the ``validation`` extra; ``GravityConfiguration.earth_zonal(J6)``,
  full Earth rotation, its fastest integrator at this tolerance, RKN1210; Earth orientation
  from its bundled file), one orbit after another for per core, ``par_propagate_to`` for all
  cores; timed on ``--brahe-orbits`` orbits and scaled. Final positions compared.
* One ISS-year with drag (NRLMSIS 2.1, moderate activity) and reboosts (band 410-420 km):
  wall-clock seconds for ``sim.lifetime.reboost_budget(..., method="cowell")`` (the
  orbit-averaged default is timed against it in ``bench_lifetime.py``).

Target (issue 3): >= 20x boinor.

Usage: python benchmarks/bench_cowell.py [--orbits 100] [--boinor-orbits 10] [--brahe-orbits 20] [--smoke]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _boinor_one(r0, v0, tof_s, rtol):
    import astropy.units as u
    from boinor.bodies import Earth
    from boinor.core.perturbations import J2_perturbation
    from boinor.core.propagation import func_twobody
    from boinor.twobody import Orbit as BOrbit
    from boinor.twobody.propagation import CowellPropagator

    from sim import constants as C

    def f(t0, u_, k):
        du = func_twobody(t0, u_, k)
        ax, ay, az = J2_perturbation(t0, u_, k, J2=C.J2, R=C.R_EARTH / 1e3)
        return du + np.array([0.0, 0.0, 0.0, ax, ay, az])

    b = BOrbit.from_vectors(Earth, r0 / 1e3 * u.km, v0 / 1e3 * u.km / u.s)
    rr, _ = CowellPropagator(rtol=rtol, f=f).propagate_many(b.state, np.array([tof_s]) * u.s)
    return rr.to_value(u.m)[-1]


def _best(fn, repeat: int) -> float:
    """Best wall-clock seconds of ``repeat`` calls of ``fn()``."""
    best = np.inf
    for _ in range(repeat):
        t1 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t1)
    return best


def _one_thread(fn, repeat: int) -> float:
    """Best seconds of ``fn()`` with numba limited to one thread."""
    import numba

    n = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        return _best(fn, repeat)
    finally:
        numba.set_num_threads(n)


def _brahe(epoch, r0, v0, days: float, rtol: float, nb: int, repeat: int):
    """(orbits, s on 1 thread, s on all cores, final GCRF positions) of brahe J2-J6, or None."""
    try:
        import brahe as bh
    except ImportError:
        return None
    bh.set_global_eop_provider_from_file_provider(bh.FileEOPProvider.from_default_standard(True, "Hold"))
    ep = bh.Epoch.from_jd(float(epoch.utc.jd1 + epoch.utc.jd2), bh.TimeSystem.UTC)
    cfg = bh.NumericalPropagationConfig.with_method(bh.IntegrationMethod.RKN1210).with_rel_tol(rtol).with_abs_tol(1e-9)
    fm = bh.ForceModelConfig(gravity=bh.GravityConfiguration.earth_zonal(bh.ZonalHarmonicsDegree.J6))

    def make():
        return [bh.NumericalOrbitPropagator(ep, np.r_[r0[i], v0[i]], cfg, fm, None) for i in range(nb)]

    def serial():
        props = make()
        for q in props:
            q.propagate_to(ep + days * 86400.0)
        return props

    def parallel():
        props = make()
        bh.par_propagate_to(props, ep + days * 86400.0)
        return props

    s1 = _best(serial, repeat)
    s_all = _best(parallel, repeat)
    return nb, s1, s_all, np.array([q.current_state()[:3] for q in serial()])


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--orbits", type=int, default=100)
    p.add_argument("--days", type=float, default=1.0)
    p.add_argument("--boinor-orbits", type=int, default=10, help="orbits actually run through boinor")
    p.add_argument("--brahe-orbits", type=int, default=20, help="orbits actually run through brahe")
    p.add_argument("--repeat", type=int, default=3, help="timed repetitions of sim and brahe (best is reported)")
    p.add_argument("--rtol", type=float, default=1e-11)
    p.add_argument("--year-days", type=float, default=365.25, help="length of the ISS decay + reboost run")
    p.add_argument("--smoke", action="store_true", help="tiny sizes for CI (< 15 s after compilation)")
    a = p.parse_args(argv)
    if a.smoke:
        a.orbits, a.days, a.boinor_orbits, a.brahe_orbits, a.year_days, a.repeat = 4, 0.05, 1, 2, 5.0, 1

    import sim
    from sim import lifetime, presets
    from sim.propagation import cowell
    from sim.timeutil import time_range

    n = a.orbits
    orb = sim.Orbit.circular(
        np.full(n, 420.0),
        51.64,
        np.linspace(0, 360, n, endpoint=False),
        np.linspace(0, 720, n, endpoint=False) % 360,
        epoch="2025-01-01T00:00:00",
    )
    t = time_range(orb.epoch[0], step_s=a.days * 86400.0, days=a.days)
    r0, v0, _ = cowell.propagate(orb, orb.epoch[:1], zonal_degree=0)
    r0, v0 = r0[:, 0], v0[:, 0]
    kw = dict(zonal_degree=2, true_pole=False, rtol=a.rtol, atol=1e-9, state=(r0, v0))
    cowell.integrate(orb[:1], t, **{**kw, "state": (r0[:1], v0[:1])})  # compile / load the cache
    res = cowell.integrate(orb, t, **kw)
    sim_s = _best(lambda: cowell.integrate(orb, t, **kw), a.repeat)
    sim_1_s = _one_thread(lambda: cowell.integrate(orb, t, **kw), a.repeat)
    kw6 = {**kw, "zonal_degree": 6, "true_pole": True}
    cowell.integrate(orb[:1], t, **{**kw6, "state": (r0[:1], v0[:1])})  # compile / load the cache
    res6 = cowell.integrate(orb, t, **kw6)
    sim6_s = _best(lambda: cowell.integrate(orb, t, **kw6), a.repeat)
    sim6_1_s = _one_thread(lambda: cowell.integrate(orb, t, **kw6), a.repeat)
    brahe = _brahe(orb.epoch[0], r0, v0, a.days, a.rtol, max(1, min(a.brahe_orbits, n)), a.repeat)

    nb = max(1, min(a.boinor_orbits, n))
    _boinor_one(r0[0], v0[0], 60.0, a.rtol)  # boinor JIT warm-up
    t1 = time.perf_counter()
    ends = [_boinor_one(r0[i], v0[i], a.days * 86400.0, a.rtol) for i in range(nb)]
    boinor_s = (time.perf_counter() - t1) * n / nb
    diff_m = float(np.max(np.linalg.norm(np.array(ends) - res.r[:nb, -1], axis=-1)))

    iss = presets.get("iss_nominal")
    kw = dict(band_km=(410.0, 420.0), solar_activity="moderate", method="cowell")
    lifetime.reboost_budget(iss, years=2.0 / 365.25, **kw)  # warm
    t1 = time.perf_counter()
    b = lifetime.reboost_budget(iss, years=a.year_days / 365.25, **kw)
    year_s = time.perf_counter() - t1

    out = {
        "orbits": n,
        "days": a.days,
        "sim_s": sim_s,
        "sim_s_1_thread": sim_1_s,
        "boinor_s": boinor_s,
        "ratio": boinor_s / sim_s,
        "ratio_boinor_per_core": boinor_s / sim_1_s,
        "ratio_boinor_all_cores": boinor_s / sim_s,
        "sim_j6_s": sim6_s,
        "sim_j6_s_1_thread": sim6_1_s,
        "max_diff_m": diff_m,
        "sim_steps_per_orbit": float(np.mean(res.steps)),
        "iss_year_days": a.year_days,
        "iss_year_s": year_s,
        "iss_dv_per_year_m_s": float(b.dv_per_year_m_s[0]),
        "iss_burns": int(b.burns[0]),
    }
    if brahe is not None:
        nb6, b1, ball, ends6 = brahe
        out.update(
            {
                "brahe_j6_s_1_thread": b1 * n / nb6,
                "brahe_j6_s_all_cores": ball * n / nb6,
                "ratio_brahe_per_core": b1 * n / nb6 / sim6_1_s,
                "ratio_brahe_all_cores": ball * n / nb6 / sim6_s,
                "max_diff_brahe_m": float(np.max(np.linalg.norm(ends6 - res6.r[:nb6, -1], axis=-1))),
            }
        )
    print(f"Cowell J2, {n} orbits x {a.days:g} day, rtol {a.rtol:g}:")
    print(f"  sim (one batched call)     {sim_s:8.3f} s  ({out['sim_steps_per_orbit']:.0f} steps per orbit)")
    print(f"  boinor (one call per orbit) {boinor_s:8.3f} s  (measured on {nb} orbit(s), scaled to {n})")
    print(
        f"  ratio                      {out['ratio']:8.1f} x   (target >= 20x); "
        f"max position difference {diff_m * 1e3:.3f} mm"
    )
    print(f"  sim on 1 thread            {sim_1_s:8.3f} s  ({out['ratio_boinor_per_core']:.1f}x boinor per core)")
    print(
        f"Cowell J2-J6, true pole, {n} orbits x {a.days:g} day: "
        f"sim {sim6_1_s:.3f} s on 1 thread, {sim6_s:.3f} s all cores"
    )
    if brahe is not None:
        print(
            f"  brahe RKN1210 {out['brahe_j6_s_1_thread']:.2f} s on 1 thread, "
            f"{out['brahe_j6_s_all_cores']:.2f} s all cores "
            f"(measured on {nb6} orbits): {out['ratio_brahe_per_core']:.1f}x per core, "
            f"{out['ratio_brahe_all_cores']:.1f}x all cores; final positions within {out['max_diff_brahe_m']:.3f} m"
        )
    print(
        f"ISS {a.year_days:g} days with NRLMSIS drag (moderate) and reboosts 410-420 km: {year_s:.2f} s "
        f"({out['iss_burns']} reboosts, {out['iss_dv_per_year_m_s']:.1f} m/s per year)"
    )
    return out


if __name__ == "__main__":
    main()
