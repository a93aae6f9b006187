"""``sim coorbital``: two stations together (see :mod:`sim.coorbital`).

sim coorbital --from iss_nominal --to ros_51 --start 2027-01-01 --days 365 [--json]
              [--max-plane-angle DEG] [--threshold-km KM] [--max-flight-h H] [--min-flight-h H] [--model NAME]
              [--out FOLDER]

Prints, for the pair: the differential nodal rate and the realignment period (360 deg over it),
the alignment windows (intervals when the orbit planes are within ``--max-plane-angle``), the
cheapest transfers from ``--from`` to ``--to`` (two-impulse, departures inside the windows) and
the close approaches (range under ``--threshold-km``). ``--json`` prints one object with the
stable keys ``from``, ``to``, ``start_utc``, ``days``, ``model``, ``options``, ``alignment``
(``realignment_period_days``, ``differential_nodal_rate_deg_per_day``, ``threshold_deg``,
``min_possible_plane_angle_deg``, ``windows``), ``transfers``, ``transfers_aligned`` (false when no
window exists and the day around the smallest plane angle was searched instead) and
``close_approaches`` (rows as :mod:`sim.coorbital` gives them). A pair whose inclinations differ by
more than the threshold never aligns: its "realignment period" is then only the period of the
node difference, and the text says so.

Every default (plane-angle threshold, range threshold, flight-time limit, model) is the
library's: an option left out is not passed, so the command and :mod:`sim.coorbital` cannot
disagree. The library checks the values (one rule, there); a value it refuses is blamed on the
option that gave it (``--threshold-km must be ...``). ``--out FOLDER`` writes
``alignment_windows.csv``, ``transfers.csv``, ``close_approaches.csv`` (through
:func:`sim.outputs.write_csv`) and ``geometry.png`` / ``porkchop.png`` into FOLDER (other files in
it are left alone); the folder is checked before anything is computed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # type-only: never imported at run time
    import argparse

#: Library argument -> the option that sets it (a library error naming the argument is blamed on the option).
OPTIONS = {
    "max_plane_angle_deg": "--max-plane-angle",
    "threshold_km": "--threshold-km",
    "max_flight_h": "--max-flight-h",
    "min_flight_h": "--min-flight-h",
    "model": "--model",
    "days": "--days",
    "start": "--start",
}
#: Most close approaches listed in the text output (``--json`` and ``--out`` give them all).
SHOWN_ROWS = 20
#: Files ``--out`` writes (CSV tables, PNG figures).
OUT_FILES = ("alignment_windows.csv", "transfers.csv", "close_approaches.csv", "geometry.png", "porkchop.png")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sim coorbital`` and its options to the ``sim`` sub-command parsers ``sub``."""
    p = sub.add_parser(
        "coorbital",
        help="two stations together: plane alignment windows, transfers, close approaches",
        description="When the orbit planes of two stations line up (realignment period, alignment windows), "
        "the cheapest two-impulse transfers from one to the other, and their close approaches (sim.coorbital).",
    )
    p.add_argument(
        "--from", dest="from_", required=True, metavar="PRESET", help="departure station (see `sim presets`)"
    )
    p.add_argument("--to", required=True, metavar="PRESET", help="arrival station (see `sim presets`)")
    p.add_argument("--start", required=True, help="start time, ISO 8601 UTC (e.g. 2027-01-01T00:00)")
    p.add_argument("--days", type=float, required=True, help="number of days to analyse")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument(
        "--max-plane-angle",
        type=float,
        default=None,
        metavar="DEG",
        help="plane angle at or under which the planes count as aligned, deg "
        "(default: sim.coorbital's max_plane_angle_deg)",
    )
    p.add_argument(
        "--threshold-km",
        type=float,
        default=None,
        metavar="KM",
        help="range under which the stations count as close, km (default: sim.coorbital's threshold_km)",
    )
    p.add_argument(
        "--max-flight-h",
        type=float,
        default=None,
        metavar="H",
        help="longest transfer flight time searched, h (default: sim.coorbital's max_flight_h)",
    )
    p.add_argument(
        "--min-flight-h",
        type=float,
        default=None,
        metavar="H",
        help="shortest transfer flight time searched, h (default: sim.coorbital's min_flight_h)",
    )
    p.add_argument(
        "--model", default=None, help="propagation model (default: sim.coorbital's, j2; sgp4 for element sets)"
    )
    p.add_argument(
        "--out",
        default=None,
        metavar="FOLDER",
        help=f"folder for the tables and figures ({', '.join(OUT_FILES)}; other files in it are left alone)",
    )
    p.set_defaults(func=run)


def _blame(exc: Exception) -> str:
    """The library's message with each argument name it contains replaced by the option that set it."""
    text = str(exc)
    for name, option in OPTIONS.items():
        text = re.sub(rf"(?<![\w-]){name}(?![\w])", option, text)
    return text


def _check_out(out: str | None) -> Path | None:
    """The ``--out`` folder, checked before any computation (None when not given)."""
    if out is None:
        return None
    from ..outputs import OutputError, check_output_folder

    folder = check_output_folder(out, option="--out", replace=False)
    for name in OUT_FILES:
        if (folder / name).is_dir():
            raise OutputError(f"--out {out}: {name} in it is a folder, where a file would be written")
    return folder


def _library_kwargs(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Keyword arguments per library function (:func:`sim.coorbital.options_by_function`): only the
    options the user gave, so the defaults stay the library's."""
    from .. import coorbital

    return coorbital.options_by_function(
        model=args.model,
        max_plane_angle_deg=args.max_plane_angle,
        max_flight_h=args.max_flight_h,
        min_flight_h=args.min_flight_h,
        threshold_km=args.threshold_km,
    )


def analyse(args: argparse.Namespace) -> dict[str, Any]:
    """Run the library for the parsed options: ``{"a", "b", "start", "alignment", "transfers", "close_approaches"}``.

    Library errors are re-raised with the option names (``_blame``)."""
    from .. import coorbital, presets
    from ..errors import SimError
    from .windows import parse_start

    start = parse_start(args.start).isoformat()
    try:
        a = presets.get(args.from_)
    except SimError as exc:
        raise type(exc)(f"--from: {exc}") from None
    try:
        b = presets.get(args.to)
    except SimError as exc:
        raise type(exc)(f"--to: {exc}") from None
    kw = _library_kwargs(args)
    try:
        alignment = coorbital.alignment_windows(a, b, start, args.days, **kw["alignment_windows"])
        close = coorbital.close_approaches(a, b, start, args.days, **kw["close_approaches"])
        search = coorbital.transfers(a, b, start, args.days, **kw["transfers"])
    except SimError as exc:
        raise SimError(_blame(exc)) from None
    return {"a": a, "b": b, "start": start, "alignment": alignment, "transfers": search, "close_approaches": close}


def _iso(t: Any) -> str:
    """An astropy Time as ``YYYY-MM-DDTHH:MM:SS.sssZ`` (UTC)."""
    from ..timeutil import offline_iers

    with offline_iers():
        return t.utc.isot[:23] + "Z"


def close_rows(close: Any) -> list[dict[str, Any]]:
    """Close approaches as plain rows ``{"time_utc", "range_km"}``."""
    return [{"time_utc": _iso(c.time), "range_km": float(c.range_km)} for c in close]


def result_dict(args: argparse.Namespace, res: dict[str, Any]) -> dict[str, Any]:
    """The ``--json`` object (stable keys; see the module docstring)."""
    al = res["alignment"]
    kw = _library_kwargs(args)
    return {
        "from": {"preset": args.from_, "name": str(res["a"].names[0])},
        "to": {"preset": args.to, "name": str(res["b"].names[0])},
        "start_utc": res["start"],
        "days": args.days,
        "model": args.model if args.model is not None else _library_default("model"),
        "options": {k: v for d in kw.values() for k, v in d.items()},
        "alignment": {
            "realignment_period_days": _finite(al.realignment_period_days),
            "differential_nodal_rate_deg_per_day": float(al.differential_nodal_rate_deg_per_day),
            "threshold_deg": float(al.threshold_deg),
            "min_possible_plane_angle_deg": float(al.min_possible_plane_angle_deg),
            "windows": _jsonable(al.to_rows()),
        },
        "transfers_aligned": bool(res["transfers"].aligned),
        "transfers": _jsonable(res["transfers"].to_rows()),
        "close_approaches": close_rows(res["close_approaches"]),
    }


def _library_default(name: str) -> Any:
    """The default of keyword ``name`` of :func:`sim.coorbital.transfers` (the model the command used when
    ``--model`` is not given: JSON says which, not null)."""
    from .. import coorbital

    return coorbital.transfers.__kwdefaults__[name]


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every non-finite float (an infinite realignment period) as None: JSON has no inf."""
    return [{k: (_finite(v) if isinstance(v, float) else v) for k, v in r.items()} for r in rows]


def _finite(v: float) -> float | None:
    """``v`` as a float, None when infinite (equal nodal rates: the planes never realign); JSON has no inf."""
    import math

    v = float(v)
    return v if math.isfinite(v) else None


def _period_text(days: float) -> str:
    import math

    if not math.isfinite(days):
        return "never (equal nodal rates)"
    return f"{days:,.1f} days ({days / 365.25:,.2f} years)"


def format_text(args: argparse.Namespace, res: dict[str, Any]) -> str:
    """Plain-text tables: realignment, alignment windows, best transfers, close approaches."""
    from .. import coorbital
    from ..text import plural

    al, search, close = res["alignment"], res["transfers"], res["close_approaches"]
    na, nb = res["a"].names[0], res["b"].names[0]
    lines = [
        f"{na} ({args.from_}) -> {nb} ({args.to}): {plural(args.days, 'day')} from {res['start']} UTC",
        f"differential nodal rate {al.differential_nodal_rate_deg_per_day:+.4f} deg/day; "
        + (
            f"realignment period {_period_text(al.realignment_period_days)}"
            if al.can_align
            else f"the planes never come within {al.threshold_deg:g} deg (inclinations "
            f"{al.min_possible_plane_angle_deg:.2f} deg apart); their nodes cycle every "
            f"{_period_text(al.realignment_period_days)}"
        ),
        "",
        f"Alignment windows (plane angle <= {al.threshold_deg:g} deg): {len(al.windows)}",
    ]
    head = f"{'start UTC':<22}{'end UTC':<22}{'days':>8}{'min angle deg':>15}  {'at UTC':<20}"
    lines += [head, "-" * len(head)]
    for w in al.windows:
        lines.append(
            f"{_iso(w.start)[:19]:<22}{_iso(w.end)[:19]:<22}{w.duration_days:8.2f}{w.min_plane_angle_deg:15.3f}  "
            f"{_iso(w.min_time)[:19]:<20}"
        )
    if not al.windows:
        lines.append("(the planes are never that close in the span)")
    lines += ["", f"Best transfers {na} -> {nb}: {len(search.best)}"]
    if not search.aligned:
        lines.append(
            f"(no alignment window: departures searched over {plural(coorbital.FALLBACK_SEARCH_DAYS, 'day')} "
            "around the smallest plane angle)"
        )
    head = (
        f"{'departure UTC':<22}{'arrival UTC':<22}{'flight h':>9}{'dv m/s':>9}{'in-plane':>10}{'plane chg':>10}"
        f"{'revs':>6}{'angle deg':>11}"
    )
    lines += [head, "-" * len(head)]
    for t in search.best:
        lines.append(
            f"{_iso(t.departure)[:19]:<22}{_iso(t.arrival)[:19]:<22}{t.flight_time_h:9.2f}{t.dv_total_m_s:9.1f}"
            f"{t.dv_in_plane_m_s:10.1f}{t.dv_plane_change_m_s:10.1f}{t.revolutions:6d}{t.plane_angle_deg:11.3f}"
        )
    if not search.best:
        lines.append("(no transfer found in the span)")
    lines += ["", f"Close approaches: {len(close)}"]
    head = f"{'time UTC':<22}{'range km':>10}"
    lines += [head, "-" * len(head)]
    for c in close[:SHOWN_ROWS]:
        lines.append(f"{_iso(c.time)[:19]:<22}{c.range_km:10.1f}")
    if len(close) > SHOWN_ROWS:
        lines.append(f"... {len(close) - SHOWN_ROWS} more (all of them: --json or --out)")
    if not close:
        lines.append("(none under the threshold)")
    return "\n".join(lines)


def _table(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Columns and rows of a list of dicts (columns of the first row; empty when there are no rows)."""
    cols = list(rows[0]) if rows else []
    return cols, [[r.get(c) for c in cols] for r in rows]


def write_files(folder: Path, args: argparse.Namespace, res: dict[str, Any]) -> list[Path]:
    """Write the CSV tables and PNG figures into ``folder`` (checked beforehand); return the paths."""
    import io

    from .. import coorbital
    from ..errors import SimError
    from ..outputs import write_bytes_atomic, write_csv
    from ..plots import geometry_figure, porkchop_figure
    from ..runner import coorbital_time_grid

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in (
        ("alignment_windows.csv", res["alignment"].to_rows()),
        ("transfers.csv", res["transfers"].to_rows()),
        ("close_approaches.csv", close_rows(res["close_approaches"])),
    ):
        cols, body = _table(rows)
        written.append(write_csv(folder / name, cols, body))
    try:
        geom = coorbital.geometry(
            res["a"], res["b"], coorbital_time_grid(res["start"], args.days), **_library_kwargs(args)["geometry"]
        )
    except SimError as exc:
        raise SimError(_blame(exc)) from None
    figures = [("geometry.png", geometry_figure(geom))]
    if res["transfers"].porkchop is not None:
        figures.append(("porkchop.png", porkchop_figure(res["transfers"])))
    import matplotlib.pyplot as plt

    for name, fig in figures:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
        plt.close(fig)
        written.append(write_bytes_atomic(folder / name, buf.getvalue()))
    return written


def run(args: argparse.Namespace) -> int:
    """Run ``sim coorbital`` with the parsed ``args``; return the exit status."""
    import sys

    from .windows import age_warnings, parse_start

    folder = _check_out(args.out)  # before any computation
    res = analyse(args)
    for orbit in (res["a"], res["b"]):  # an element set far from the start (the `iss` preset): say so
        for line in age_warnings(orbit, parse_start(args.start)):
            print(line, file=sys.stderr)
    if args.json:
        print(json.dumps(result_dict(args, res), indent=1))
    else:
        print(format_text(args, res))
    if folder is not None:
        for path in write_files(folder, args, res):  # stdout stays one JSON document with --json
            print(f"wrote {path}", file=sys.stderr if args.json else sys.stdout)
    return 0
