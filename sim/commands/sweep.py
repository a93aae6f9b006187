"""``sim sweep``: a trade sweep over inclination x altitude x node local time, on Dask.

Examples::

    sim sweep --inclination 50:100:5 --altitude 300:500:25 --ltan 6,12 --out out/sweep.nc
    sim sweep --spec scenarios/ros_sweep.toml --scheduler tcp://10.0.0.5:8786 --out sweep.nc
    sim sweep --spec my.toml --section sweep --workers 2 --figures out/sweep_figures

A rerun with the same spec and ``--out`` resumes from ``OUT.parts/`` (finished chunks); a
chunk file that cannot be reused (another spec's, copied, corrupt, truncated) is named on a
``warning:`` line and recomputed. ``--out`` is checked before any computation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    import argparse

    from ..sweep import SweepSpec


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sim sweep`` and its options to the ``sim`` sub-command parsers ``sub``."""
    p = sub.add_parser(
        "sweep",
        help="sweep the orbit design space (inclination x altitude x node time) on Dask",
        description="Score every candidate of an inclination x altitude x node-time grid on "
        "coverage, contact, launch access and reboost cost; results to NetCDF.",
    )
    p.add_argument("--spec", metavar="TOML", help="TOML file with a [sweep] table (axes and options)")
    p.add_argument("--section", default="sweep", help="table of the TOML file holding the spec (default: sweep)")
    p.add_argument("--inclination", metavar="RANGE", help="inclinations, deg: 'start:stop:step' or 'a,b,c'")
    p.add_argument("--altitude", metavar="RANGE", help="altitudes, km: 'start:stop:step' or 'a,b,c'")
    node = p.add_mutually_exclusive_group()
    node.add_argument("--ltan", metavar="RANGE", help="local time of the ascending node at start, h (default 12)")
    node.add_argument("--raan", metavar="RANGE", help="RAAN at start, deg (instead of --ltan)")
    p.add_argument("--days", type=float, help="analysis span, days (default 3)")
    p.add_argument("--start", help="start and candidates' epoch, ISO UTC (default 2027-01-01T00:00:00)")
    p.add_argument(
        "--metrics",
        help="comma-separated metrics (default: all but radiation): "
        "coverage_russia, coverage_arctic, revolutions_russia, contact, launch, "
        "reboost, radiation",
    )
    p.add_argument("--chunk-size", type=int, help="candidates per Dask task (default 50)")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="existing dask.distributed scheduler (e.g. tcp://host:8786); 'sync' runs in this "
        "process; default: a local cluster sized to the machine",
    )
    p.add_argument("--workers", type=int, help="workers of the local cluster (default: one per core)")
    p.add_argument("--out", default="out/sweep.nc", help="NetCDF file to write (default out/sweep.nc)")
    p.add_argument("--figures", metavar="DIR", help="also draw the trade maps into DIR")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--allow-large", action="store_true", help="run a sweep of more than 1,000,000 candidates (refused without it)"
    )
    p.set_defaults(func=run)


def spec_from_args(args: argparse.Namespace) -> SweepSpec:
    """The :class:`~sim.sweep.SweepSpec` from ``--spec`` (TOML) overridden by command-line ranges."""
    import tomllib

    from ..inputs import MAX_SCENARIO_BYTES, read_text
    from ..sweep import SweepError, SweepSpec

    d: dict = {}
    if args.spec:
        path = Path(args.spec)
        text = read_text(path, limit=MAX_SCENARIO_BYTES, label=f"--spec {str(path)!r}")  # regular file, capped
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SweepError(f"{path}: not valid TOML: {exc}") from None
        except RecursionError:
            raise SweepError(f"{path}: not valid TOML: nested too deeply") from None
        if args.section not in data or not isinstance(data[args.section], dict):
            raise SweepError(f"{path} has no [{args.section}] table")
        d = dict(data[args.section])
        axes = d.get("axes", {})
        if not isinstance(axes, dict):
            raise SweepError(
                f"{path}: [{args.section}] axes must be a table such as "
                f'[{args.section}.axes] inclination_deg = "50:100:5", got {axes!r}'[:300]
            )
        d["axes"] = dict(axes)
    else:
        d["axes"] = {}
    axes = d["axes"]
    if args.inclination:
        axes["inclination_deg"] = args.inclination
    if args.altitude:
        axes["altitude_km"] = args.altitude
    if args.ltan:
        axes.pop("raan_deg", None)
        axes["ltan_hours"] = args.ltan
    if args.raan:
        axes.pop("ltan_hours", None)
        axes["raan_deg"] = args.raan
    for key, val in (("days", args.days), ("start", args.start), ("chunk_size", args.chunk_size)):
        if val is not None:
            d[key] = val
    if args.metrics:
        d["metrics"] = tuple(m.strip() for m in args.metrics.split(",") if m.strip())
    if "inclination_deg" not in axes or "altitude_km" not in axes:
        raise SweepError("give --inclination and --altitude (or a --spec file with [sweep.axes])")
    return SweepSpec.from_dict(d)


def run(args: argparse.Namespace) -> int:
    """Run ``sim sweep`` with the parsed ``args``; return the exit status."""
    import sys
    import warnings

    from .. import sweep

    if args.workers is not None and args.workers < 1:
        raise sweep.SweepError(f"--workers must be >= 1, got {args.workers}")
    spec = spec_from_args(args)
    sweep.check_size(spec, args.allow_large)
    sweep.check_out_path(args.out)  # before any computation

    def show(message, category, *_args, **_kw):
        print(f"warning: {message}", file=sys.stderr)

    with warnings.catch_warnings():
        warnings.simplefilter("always", sweep.ChunkWarning)
        warnings.showwarning = show
        return _run(args, spec)


def _run(args, spec) -> int:
    from .. import sweep

    print(
        f"sweep: {spec.n_candidates} candidates ({' x '.join(str(n) for n in spec.shape)}), "
        f"{spec.n_chunks} chunks of {spec.chunk_size}, {spec.days:g} days from {spec.start[:16]} UTC; "
        f"metrics: {', '.join(spec.metrics)}"
    )
    ds = sweep.run(
        spec,
        scheduler=args.scheduler,
        workers=args.workers,
        out=args.out,
        progress=not args.no_progress,
        allow_large=args.allow_large,
    )
    secs = ds.attrs["compute_seconds_this_run"]
    n_new = ds.attrs["chunks_computed_this_run"]
    resumed = spec.n_chunks - n_new
    print(f"computed {n_new} chunks in {secs:.1f} s" + (f" (resumed {resumed} finished chunks)" if resumed else ""))
    print(f"results: {Path(args.out).resolve()}")
    if args.figures:
        from ..plots.sweep import save_sweep_figures

        for p in save_sweep_figures(ds, args.figures):
            print(f"figure: {Path(p).resolve()}")
    return 0
