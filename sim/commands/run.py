"""``sim run SCENARIO [--out DIR]`` and ``sim validate SCENARIO``.

``sim validate`` reads a scenario file and lists every problem in it at once (field path
and line number), exit status 2 when there is any, 0 when the file is good; never a
traceback. It takes the same ``--out`` and ``--days`` as ``sim run`` and checks them the
same way, so a file and command line that validate do not fail later for their output path.
``sim run`` validates the same way, checks the output folder before any computation (see
:mod:`sim.outputs`: never a file sim did not write is deleted, one run per folder at a time),
runs every analysis the file asks for with a progress bar, writes DIR/report.html,
DIR/figures/*.png, DIR/tables/*.csv and DIR/summary.json atomically, and prints where the
report is. A command-line value that is wrong is blamed on its option (``--days``), not on a
line of the file. Files the scenario names must lie in its folder unless
``--allow-outside-paths`` is given. Both commands print one ``warning:`` line on stderr per
station whose element set is more than ``sim.scenario.MAX_ELEMENT_AGE_DAYS`` (14) days from the
analysis start.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..text import plural

if TYPE_CHECKING:  # type-only: never imported at run time
    import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sim run`` and ``sim validate`` and their options to the ``sim`` sub-command parsers ``sub``."""
    p = sub.add_parser(
        "run",
        help="run a scenario file and write its report",
        description="Run every analysis a scenario file asks for and write report.html, "
        "figures/, tables/ and summary.json into the output folder.",
    )
    p.add_argument("scenario", metavar="FILE", help="scenario TOML file (see scenarios/)")
    _common(p)
    p.add_argument("--no-progress", action="store_true", help="do not show the progress bar")
    p.set_defaults(func=run)

    v = sub.add_parser(
        "validate",
        help="check a scenario file and list every problem in it",
        description="Check a scenario file (and the --out folder and --days that `sim run` would "
        "use); list every problem with its field and line. "
        "Exit status 0 when the file is good, 2 otherwise.",
    )
    v.add_argument("scenario", metavar="FILE", help="scenario TOML file")
    _common(v)
    v.set_defaults(func=validate)


def _common(p) -> None:
    p.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help="output folder (default: out/<scenario file name without .toml>); replaced atomically, "
        "only when it is new, empty or written by sim (never deletes files sim did not write)",
    )
    p.add_argument(
        "--days",
        type=float,
        default=None,
        metavar="N",
        help="override [time] days, and [environment] days when the file sets it (e.g. 365 for a full year)",
    )
    p.add_argument(
        "--allow-outside-paths",
        action="store_true",
        help="let the scenario read files (tle_file, omm_file, geojson) outside its own folder "
        "(refused by default: a scenario from someone else cannot read other files of this machine)",
    )


def _out_dir(args) -> Path:
    return Path(args.out) if args.out is not None else Path("out") / Path(args.scenario).stem


def _check_command_line(args) -> Path:
    """Problems of the command line itself, blamed on the option, before anything is read or computed."""
    import math

    from ..errors import SimError
    from ..outputs import check_output_folder
    from ..report import generated_at
    from ..scenario import MAX_DAYS

    if args.days is not None and not (math.isfinite(args.days) and 0 < args.days <= MAX_DAYS):
        raise SimError(f"--days must be in (0, {MAX_DAYS:g}] days, got {args.days:g}")
    generated_at()  # a malformed SOURCE_DATE_EPOCH is reported now, not after the run
    return check_output_folder(_out_dir(args), option="--out", inputs=[args.scenario])


def _load(args):
    from ..scenario import ScenarioError, load_scenario

    overrides = {}
    if getattr(args, "days", None) is not None:
        overrides["time.days"] = args.days
    try:
        sc = load_scenario(
            args.scenario,
            overrides=overrides or None,
            blame={"time.days": "--days"},
            allow_outside_paths=bool(getattr(args, "allow_outside_paths", False)),
        )
    except ScenarioError as exc:
        return None, exc
    for line in sc.stale_element_sets():  # one line per station, on stderr
        print(line, file=sys.stderr)
    return sc, None


def _print_problems(exc) -> None:
    n = len(exc.problems)
    print(f"sim: error: {exc.source}: {plural(n, 'problem')}", file=sys.stderr)
    for p in exc.problems:
        if p.path.startswith("--"):  # a command-line value: no line of the file to point at
            print(f"  {p.path}: {p.message}", file=sys.stderr)
        else:
            print(f"  {exc.source}:{p.line or '?'}: {p.path + ': ' if p.path else ''}{p.message}", file=sys.stderr)


def validate(args: argparse.Namespace) -> int:
    """Run ``sim validate`` with the parsed ``args`` (every problem of the scenario); return the exit status."""
    out = _check_command_line(args)
    sc, err = _load(args)
    if err is not None:
        _print_problems(err)
        return 2
    from ..runner import wanted_analyses

    wanted = wanted_analyses(sc)
    print(
        f"{args.scenario}: OK: {plural(len(sc.stations), 'station')} ({', '.join(sc.station_names)}), "
        f"{plural(sc.time.span_days, 'day')} from {sc.time.start.isoformat()} UTC; analyses: {', '.join(wanted)}; "
        f"output folder {out}"
    )
    return 0


#: Printed (on stderr) before a run whose numba kernels are not compiled and cached yet.
COMPILING_NOTE = "compiling numba kernels (once, about 30 s; cached afterwards)"


def kernels_need_compiling() -> bool:
    """True when sim's numba kernels have no up-to-date on-disk cache (a fresh clone or edited kernels).

    Numba caches each ``cache=True`` kernel in ``sim/kernels/__pycache__`` as an index file
    ``<module>.<function>-<line>.py311.nbi`` plus the compiled code; an index older than its
    module's source is stale. A kernel module with no fresh index means compiling on first use.
    Unknown (False) when ``NUMBA_CACHE_DIR`` moves the cache or the folder is not writable (numba
    then caches elsewhere)."""
    import os
    import re

    from .. import kernels

    folder = Path(kernels.__file__).parent
    cache = folder / "__pycache__"
    if os.environ.get("NUMBA_CACHE_DIR") or not os.access(cache if cache.is_dir() else folder, os.W_OK):
        return False
    tag = f"py{sys.version_info.major}{sys.version_info.minor}"
    for src in sorted(folder.glob("*.py")):
        if not re.search(r"^@.*cache=True", src.read_text(encoding="utf-8", errors="replace"), re.M):
            continue  # no cached kernel defined here
        stamp = src.stat().st_mtime
        if not any(nbi.stat().st_mtime >= stamp for nbi in cache.glob(f"{src.stem}.*.{tag}.nbi")):
            return True
    return False


def run(args: argparse.Namespace) -> int:
    """Run ``sim run`` with the parsed ``args``: the scenario's analyses and report; return the exit status."""
    from ..outputs import reserve_folder
    from ..report import write_outputs
    from ..runner import run_scenario

    _check_command_line(args)
    sc, err = _load(args)
    if err is not None:
        _print_problems(err)
        return 2
    with reserve_folder(_out_dir(args), option="--out", inputs=[args.scenario]) as dest:
        for m in dest.recovered:
            print(f"note: {m}", file=sys.stderr)
        if kernels_need_compiling():
            print(COMPILING_NOTE, file=sys.stderr, flush=True)
        results = run_scenario(sc, progress=not args.no_progress)
        report = write_outputs(results, dest)
    print(f"{sc.scenario.name}: {plural(len(results.analyses), 'analysis')} in {results.seconds:.1f} s")
    print(f"report:  {report}")
    print(f"summary: {report.parent / 'summary.json'}")
    return 0
