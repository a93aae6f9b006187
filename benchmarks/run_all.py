"""Run every benchmark in this folder and print ONE table of ratios (``make bench``).

Each ``bench_*.py`` exposes ``main(argv=None) -> dict`` and accepts ``--smoke`` for a
few-second run (what the test suite does, ``tests/test_benchmarks_smoke.py``). Their own
detailed output comes first; the table at the end gives, for each workload, how many times
faster sim is than each peer that can do it (peer seconds / sim seconds, best of N in this
one process), with sim on 1 numba thread ("per core") and on all cores; peers run as they
run (sgp4, boinor and Skyfield single-threaded, brahe's own parallel mode where it has one).

Usage: python benchmarks/run_all.py [--smoke] [--json]
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

PEERS = ("sgp4", "boinor", "brahe", "Skyfield", "sim Cowell")

# workload label, bench module, {peer: (result key per core, result key all cores, note)}
ROWS = (
    (
        "ground track: 2,000 orbits x 1,440 steps, J2 + geodetic",
        "bench_propagation",
        {
            "sgp4": ("ratio_sgp4_per_core", "ratio_sgp4_all_cores", "SatrecArray, TEME only"),
            "brahe": ("ratio_brahe_per_core", "ratio_brahe_all_cores", "SGP4 + geodetic"),
            "Skyfield": ("ratio_skyfield_per_core", "ratio_skyfield_all_cores", "subpoint loop"),
        },
    ),
    (
        "Cowell: 100 orbits x 1 day, rtol 1e-11",
        "bench_cowell",
        {
            "boinor": ("ratio_boinor_per_core", "ratio_boinor_all_cores", "J2, pole z"),
            "brahe": ("ratio_brahe_per_core", "ratio_brahe_all_cores", "J2-J6, true pole"),
        },
    ),
    (
        "passes: ISS over Moscow, 7 days, 10 deg",
        "bench_passes",
        {
            "brahe": ("ratio_per_core", "ratio_all_cores", "location_accesses"),
            "Skyfield": ("ratio_skyfield_per_core", "ratio_skyfield_all_cores", "find_events"),
        },
    ),
    (
        "coverage + revisit: Russia, 25 km cells, 7 days, 3 orbits",
        "bench_coverage",
        {"Skyfield": ("ratio_per_core", "ratio", "per-point loop, extrapolated")},
    ),
    (
        "transfer grid: ISS -> ROS 370 km, 1 year, 10 min x 2-48 h",
        "bench_coorbital",
        {"boinor": ("ratio_loop_per_core", "ratio_loop_all_cores", "per-point Python loop over izzo")},
    ),
    (
        "flagship lifetime stage, warm (orbit-averaged decay)",
        "bench_lifetime",
        {"sim Cowell": ("ratio_cowell_per_core", "ratio_cowell_all_cores", "method=cowell")},
    ),
)


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _cell(res: dict, key: str) -> str:
    v = res.get(key)
    return (
        "n/a"
        if not isinstance(v, (int, float))
        else (f"{v:,.0f}x" if v >= 100 else f"{v:.2g}x" if v < 10 else f"{v:.0f}x")
    )


def table(results: dict) -> str:
    """The Markdown table of ratios (sim faster by) from the benchmarks' result dicts."""
    import numba

    cores = numba.config.NUMBA_NUM_THREADS
    lines = [
        "| workload | sim on | " + " | ".join(PEERS) + " |",
        "|---|---|" + "---|" * len(PEERS),
    ]
    notes = []
    for label, bench, peers in ROWS:
        res = results.get(bench, {})
        for i, cores_label in enumerate(("1 thread", f"{cores} cores")):
            cells = []
            for peer in PEERS:
                if peer not in peers:
                    cells.append("--")
                    continue
                cells.append(_cell(res, peers[peer][i]))
            lines.append(f"| {label if i == 0 else ''} | {cores_label} | " + " | ".join(cells) + " |")
        notes.append(f"{label.split(':')[0]}: " + "; ".join(f"{p} = {v[2]}" for p, v in peers.items()))
    sweep = results.get("bench_sweep", {})
    if isinstance(sweep.get("parallel_efficiency"), (int, float)):
        notes.append(f"sweep: parallel efficiency {sweep['parallel_efficiency']:.0%} on {cores} workers")
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        "sim is N x faster (peer seconds / sim seconds, same work, best of N in one process); "
        f"-- the peer cannot do it; n/a not measured. {cores} cores, load average {load_avg}.\n\n"
        + "\n".join(lines)
        + "\n\n"
        + "\n".join(f"- {n}" for n in notes)
    )


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    argv = [a for a in argv if a != "--json"]
    results = {}
    for path in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {path.name}", flush=True)
        results[path.stem] = load(path).main(argv)
    if as_json:
        print("\n" + json.dumps(results, indent=2, default=float))
    print("\n" + table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
