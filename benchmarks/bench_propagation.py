"""Ground track (J2 + geodetic) per core and on all cores vs sgp4, brahe and a Skyfield loop.

The same number of sub-satellite states (orbits x steps) from each, in one process, so the
ratios hold on this machine whatever its speed or load (best of ``--repeat`` each):

* sim: ``sim.ground_track(orbits, times)`` -- secular J2 elements, TEME->ITRS rotation and
  WGS84 geodetic latitude/longitude/height in one compiled loop; at 1 numba thread
  (``numba.set_num_threads(1)``) and at all cores;
* sgp4 ``SatrecArray.sgp4(jd, fr)``: the C++ SGP4 on the same satellites x times, TEME
  positions only (no frame or geodetic conversion at all); single-threaded as it runs;
* brahe (Rust, the ``validation`` extra): ``SGPPropagator.states_itrf`` + batched
  ``position_ecef_to_geodetic`` per orbit, timed on ``--peer-orbits`` orbits and scaled (its
  cost is per orbit); Earth orientation from its bundled file (no download);
* Skyfield: ``wgs84.subpoint_of(EarthSatellite.at(times))`` per orbit (vectorised over the
  times), on ``--peer-orbits`` orbits, scaled.

Ratios are peer seconds / sim seconds for the same states. Targets (issue 17): >= 5x sgp4
per core (1 thread vs 1 thread); the all-core figure beside it.

Usage: python benchmarks/bench_propagation.py [--orbits 2000] [--steps 1440] [--smoke]
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


def _brahe_s(sats, times, n_orbits: int, repeat: int) -> float | None:
    """Seconds for brahe SGP4 + geodetic of ``sats`` over ``times``, scaled to ``n_orbits``."""
    try:
        import brahe as bh
    except ImportError:
        return None
    bh.set_global_eop_provider_from_file_provider(bh.FileEOPProvider.from_default_standard(True, "Hold"))
    jd = np.asarray(times.utc.jd1) + np.asarray(times.utc.jd2)
    ep0 = bh.Epoch.from_jd(float(jd[0]), bh.TimeSystem.UTC)
    epochs = [ep0 + float(s) for s in (jd - jd[0]) * 86400.0]
    props = []
    for i, s in enumerate(sats):
        ep = bh.Epoch.from_jd(s.jdsatepoch + s.jdsatepochF, bh.TimeSystem.UTC)
        args = (s.no_kozai * 1440.0 / (2 * np.pi), s.ecco) + tuple(np.degrees([s.inclo, s.nodeo, s.argpo, s.mo]))
        props.append((ep, args, 10000 + i))

    def run():
        for ep, args, norad in props:
            p = bh.SGPPropagator.from_omm_elements(ep, *args, norad)
            x = np.asarray(p.states_itrf(epochs))
            bh.position_ecef_to_geodetic(x[:, :3], bh.AngleFormat.DEGREES)

    return _best_of(run, repeat) * n_orbits / len(sats)


def _skyfield_s(sats, times, n_orbits: int, repeat: int) -> float:
    """Seconds for Skyfield sub-points of ``sats`` over ``times``, scaled to ``n_orbits``."""
    from skyfield.api import EarthSatellite, load, wgs84

    ts = load.timescale(builtin=True)
    t = ts.from_astropy(times)
    objs = [EarthSatellite.from_satrec(s, ts) for s in sats]

    def run():
        for o in objs:
            g = wgs84.subpoint_of(o.at(t))
            _ = (g.latitude.degrees, g.longitude.degrees, g.elevation.km)

    return _best_of(run, repeat) * n_orbits / len(sats)


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--orbits", type=int, default=2_000)
    p.add_argument("--steps", type=int, default=1_440)
    p.add_argument("--peer-orbits", type=int, default=50, help="orbits run through brahe and Skyfield")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--smoke", action="store_true", help="tiny sizes, a few seconds (CI)")
    a = p.parse_args(argv)
    if a.smoke:
        a.orbits, a.steps, a.peer_orbits, a.repeat = 200, 144, 2, 1

    import numba
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
    n_threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        t_sim_1 = _best_of(lambda: sim.ground_track(orb, times), a.repeat)
    finally:
        numba.set_num_threads(n_threads)
    t_sim_all = _best_of(lambda: sim.ground_track(orb, times), a.repeat)

    satrecs = list(orb.to_sgp4_satrecs())
    sats = SatrecArray(satrecs)
    jd, fr = np.asarray(times.utc.jd1), np.asarray(times.utc.jd2)
    t_sgp4 = _best_of(lambda: sats.sgp4(jd, fr), a.repeat)
    sub = satrecs[: max(1, min(a.peer_orbits, a.orbits))]
    t_brahe = _brahe_s(sub, times, a.orbits, a.repeat)
    t_sky = _skyfield_s(sub, times, a.orbits, a.repeat)

    res = {
        "orbits": a.orbits,
        "steps": len(times),
        "states": states,
        "threads": n_threads,
        "sim_states_per_s_1_thread": states / t_sim_1,
        "sim_states_per_s_all_cores": states / t_sim_all,
        "sgp4_satrecarray_states_per_s": states / t_sgp4,
        "skyfield_states_per_s": states / t_sky,
        "ratio_sgp4_per_core": t_sgp4 / t_sim_1,
        "ratio_sgp4_all_cores": t_sgp4 / t_sim_all,
        "ratio_skyfield_per_core": t_sky / t_sim_1,
        "ratio_skyfield_all_cores": t_sky / t_sim_all,
    }
    if t_brahe is not None:
        res.update(
            {
                "brahe_states_per_s": states / t_brahe,
                "ratio_brahe_per_core": t_brahe / t_sim_1,
                "ratio_brahe_all_cores": t_brahe / t_sim_all,
            }
        )
    m = 1e6
    print(f"{a.orbits} orbits x {len(times)} steps = {states:,} states (peers on {len(sub)} orbits, scaled)")
    print(f"sim J2 + geodetic, 1 thread : {res['sim_states_per_s_1_thread'] / m:8.2f} M states/s ({t_sim_1:.3f} s)")
    print(f"sim J2 + geodetic, {n_threads} threads: {res['sim_states_per_s_all_cores'] / m:8.2f} M states/s")
    print(f"sgp4 SatrecArray (TEME only): {res['sgp4_satrecarray_states_per_s'] / m:8.2f} M states/s")
    if t_brahe is not None:
        print(f"brahe SGP4 + geodetic       : {res['brahe_states_per_s'] / m:8.2f} M states/s")
    print(f"Skyfield sub-points loop    : {res['skyfield_states_per_s'] / m:8.2f} M states/s")
    print(
        f"sim / sgp4: {res['ratio_sgp4_per_core']:.2f}x per core (target >= 5x), "
        f"{res['ratio_sgp4_all_cores']:.2f}x on {n_threads} cores"
    )
    return res


if __name__ == "__main__":
    main()
