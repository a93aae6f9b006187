"""Lifetime speed: the orbit-averaged decay propagator against Cowell (issue 17).

* One ISS-year with drag (NRLMSIS 2.1, moderate activity) and reboosts (band 410-420 km):
  ``sim.lifetime.reboost_budget`` with ``method="averaged"`` and ``method="cowell"``, wall-clock
  seconds and the delta-v per year of each.
* The flagship's lifetime stage (``scenarios/iss_vs_ros.toml``: 30-day decay and half a year
  of reboosts, 4 stations x 3 activity levels, with its figures) through
  ``sim.runner.run_scenario(..., only=["lifetime"])``, warm (best of ``--repeat``), with the
  scenario's ``method`` ("auto": averaged for the budgets, Cowell for the 30-day decay) and
  with ``method = "cowell"`` everywhere, at all cores and at 1 numba thread. Target: under
  3 s. Skipped by ``--smoke``.

Usage: python benchmarks/bench_lifetime.py [--year-days 365.25] [--repeat 3] [--smoke]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

FLAGSHIP = Path(__file__).resolve().parent.parent / "scenarios" / "iss_vs_ros.toml"


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t1 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t1)
    return best


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--year-days", type=float, default=365.25, help="length of the ISS decay + reboost run")
    p.add_argument("--repeat", type=int, default=3, help="timed repetitions (best is reported)")
    p.add_argument("--smoke", action="store_true", help="tiny sizes for CI, no flagship stage")
    a = p.parse_args(argv)
    if a.smoke:
        a.year_days, a.repeat = 5.0, 1

    from sim import lifetime, presets

    iss = presets.get("iss_nominal")
    kw = dict(band_km=(410.0, 420.0), solar_activity="moderate", years=a.year_days / 365.25)
    out: dict = {"iss_year_days": a.year_days}
    for method in ("averaged", "cowell"):
        lifetime.reboost_budget(iss, band_km=(410.0, 420.0), years=2.0 / 365.25, method=method)  # compile / warm
        b = lifetime.reboost_budget(iss, method=method, **kw)
        out[f"iss_year_{method}_s"] = _best(lambda m=method: lifetime.reboost_budget(iss, method=m, **kw), a.repeat)
        out[f"iss_dv_per_year_{method}_m_s"] = float(b.dv_per_year_m_s[0])
    out["iss_year_speedup"] = out["iss_year_cowell_s"] / out["iss_year_averaged_s"]
    print(f"ISS {a.year_days:g} days with NRLMSIS drag (moderate) and reboosts 410-420 km:")
    for method in ("averaged", "cowell"):
        print(
            f"  {method:<9} {out[f'iss_year_{method}_s']:7.3f} s   "
            f"{out[f'iss_dv_per_year_{method}_m_s']:.2f} m/s per year"
        )
    print(f"  averaged is {out['iss_year_speedup']:.1f}x faster")
    if a.smoke:
        return out

    from sim.runner import run_scenario
    from sim.scenario import load_scenario

    sc = load_scenario(FLAGSHIP)
    cowell_sc = sc.model_copy(update={"lifetime": sc.lifetime.model_copy(update={"method": "cowell"})})
    import numba

    n_threads = numba.get_num_threads()
    import matplotlib.pyplot as plt

    def stage(scen):
        run_scenario(scen, progress=False, only=["lifetime"])
        plt.close("all")

    for name, scen in (("auto", sc), ("cowell", cowell_sc)):
        stage(scen)  # warm (the NRLMSIS tables are then cached in this process)
        out[f"flagship_lifetime_{name}_s"] = _best(lambda s=scen: stage(s), a.repeat)
        numba.set_num_threads(1)
        try:
            out[f"flagship_lifetime_{name}_s_1_thread"] = _best(lambda s=scen: stage(s), a.repeat)
        finally:
            numba.set_num_threads(n_threads)
    out["ratio_cowell_per_core"] = out["flagship_lifetime_cowell_s_1_thread"] / out["flagship_lifetime_auto_s_1_thread"]
    out["ratio_cowell_all_cores"] = out["flagship_lifetime_cowell_s"] / out["flagship_lifetime_auto_s"]
    print(
        f"flagship lifetime stage, warm (best of {a.repeat}): method auto {out['flagship_lifetime_auto_s']:.2f} s, "
        f"cowell {out['flagship_lifetime_cowell_s']:.2f} s (target < 3 s); on 1 thread auto "
        f"{out['flagship_lifetime_auto_s_1_thread']:.2f} s, cowell {out['flagship_lifetime_cowell_s_1_thread']:.2f} s"
    )
    return out


if __name__ == "__main__":
    main()
