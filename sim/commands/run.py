"""``sim run SCENARIO [--out DIR]`` and ``sim validate SCENARIO``.

``sim validate`` reads a scenario file and lists every problem in it at once (field path
and line number), exit status 2 when there is any, 0 when the file is good; never a
traceback. ``sim run`` validates the same way, runs every analysis the file asks for
with a progress bar, writes DIR/report.html, DIR/figures/*.png, DIR/tables/*.csv and
DIR/summary.json atomically, and prints where the report is.
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("run", help="run a scenario file and write its report",
                       description="Run every analysis a scenario file asks for and write report.html, "
                                   "figures/, tables/ and summary.json into the output folder.")
    p.add_argument("scenario", metavar="FILE", help="scenario TOML file (see scenarios/)")
    p.add_argument("--out", metavar="DIR", default=None,
                   help="output folder (default: out/<scenario file name without .toml>); replaced atomically")
    p.add_argument("--days", type=float, default=None, metavar="N",
                   help="override [time] days, and [environment] days when the file sets it "
                        "(e.g. 365 for a full year)")
    p.add_argument("--no-progress", action="store_true", help="do not show the progress bar")
    p.set_defaults(func=run)

    v = sub.add_parser("validate", help="check a scenario file and list every problem in it",
                       description="Check a scenario file; list every problem with its field and line. "
                                   "Exit status 0 when the file is good, 2 otherwise.")
    v.add_argument("scenario", metavar="FILE", help="scenario TOML file")
    v.set_defaults(func=validate)


def _load(args):
    from ..scenario import ScenarioError, load_scenario

    overrides = {}
    if getattr(args, "days", None) is not None:
        overrides["time.days"] = args.days
    try:
        return load_scenario(args.scenario, overrides=overrides or None), None
    except ScenarioError as exc:
        return None, exc


def _print_problems(exc) -> None:
    n = len(exc.problems)
    print(f"sim: error: {exc.source}: {n} problem{'s' if n != 1 else ''}", file=sys.stderr)
    for p in exc.problems:
        print(f"  {exc.source}:{p.line or '?'}: {p.path + ': ' if p.path else ''}{p.message}", file=sys.stderr)


def validate(args) -> int:
    sc, err = _load(args)
    if err is not None:
        _print_problems(err)
        return 2
    wanted = ["orbit"] + [name for sec, name in (("coverage", "coverage"), ("ground_stations", "passes"),
                                                 ("launch", "launch"), ("environment", "environment"),
                                                 ("lifetime", "lifetime")) if getattr(sc, sec) is not None]
    print(f"{args.scenario}: OK: {len(sc.stations)} stations ({', '.join(sc.station_names)}), "
          f"{sc.time.span_days:g} days from {sc.time.start.isoformat()} UTC; analyses: {', '.join(wanted)}")
    return 0


def run(args) -> int:
    from ..report import write_outputs
    from ..runner import run_scenario

    sc, err = _load(args)
    if err is not None:
        _print_problems(err)
        return 2
    out = Path(args.out) if args.out else Path("out") / Path(args.scenario).stem
    results = run_scenario(sc, progress=not args.no_progress)
    report = write_outputs(results, out)
    na = [a for a in results.analyses if a.status != "ok"]
    for a in na:
        print(f"note: {a.title}: not available ({a.reason})", file=sys.stderr)
    print(f"{sc.scenario.name}: {len(results.analyses) - len(na)} analyses in {results.seconds:.1f} s")
    print(f"report:  {report}")
    print(f"summary: {report.parent / 'summary.json'}")
    return 0
