"""``sim windows``: launch windows from a launch site to an orbit (see :mod:`sim.launch`).

sim windows --site baikonur_31 (--tle-file F | --omm-file F | --preset NAME | --circular ALT,INC --raan DEG
[--arglat DEG]) --start ISO --days N [--json]

``--site`` takes a site key or ``LAT,LON`` in degrees; negative coordinates work as written
(``--site -5.2,-52.8``) as well as ``--site=-5.2,-52.8``. Element-set files are read by
:func:`sim.inputs.read_text` (regular files up to 10 MiB). ``--circular ALT,INC`` builds any
circular target (:meth:`sim.Orbit.circular`: mean altitude km, inclination deg) with its node
``--raan`` (required: it sets the window times) and argument of latitude ``--arglat`` (default 0:
it sets the phase) at the epoch ``--start``. Every command-line value that is wrong is blamed on
its option (``--start``, ``--days``, ``--lead-s``, ``--circular``, ``--raan``, ``--arglat``).

The table and the JSON label each row ``window``: "in-plane" (the launch flies straight into the
plane) or "dog-leg" (the closest approach of a site above the inclination, or a crossing whose
azimuth or inclination the site forbids: the plane change and its cost are in the row). Each row
also gives the liftoff interval that holds the 12 real launches the lead is calibrated on
(``liftoff_window_utc``, ``profile_liftoff_window_utc``; see :mod:`sim.launch`).

Which propagation holds the plane: ``--plane mean`` (the default) takes the target's mean
elements at their epoch and moves the node with the secular J2 rate (no drag, no reboosts);
``--plane osculating`` propagates an element set with SGP4 (its drag term included). Near the
epoch they agree to a few seconds (13 s from Baikonur two days after the ``iss`` preset's
epoch); far from it they part: the shipped ``iss`` preset (epoch 2025-08-10) driving windows
from Baikonur on 2027-01-01 gives a mean plane whose node is 17.3 deg from SGP4's, 68.5 min
of window time. Neither is right that far out (SGP4 loses ~1-3 km per day, and drag and
reboosts change the real node rate), so sim warns on stderr when the start is more than
``sim.scenario.MAX_ELEMENT_AGE_DAYS`` (14) days from the element set's epoch: use a recent
element set for real planning.
"""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    import argparse
    import datetime

    from ..launch import WindowTable
    from ..orbits import Orbit

#: What argparse must take as a value, not an option, after ``--site``: a negative number or a
#: ``LAT,LON`` pair with a negative latitude (``-5.2,-52.8``). argparse (before Python 3.13)
#: treats any argument starting with '-' that is not a plain negative number as an option.
_NEGATIVE_VALUE = re.compile(r"^-\d+$|^-\d*\.\d+$|^-\d*\.?\d+(e-?\d+)?\s*,\s*[-+]?\d*\.?\d+(e-?\d+)?$")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sim windows`` and its options to the ``sim`` sub-command parsers ``sub``."""
    p = sub.add_parser(
        "windows",
        help="launch windows from a launch site to a station orbit",
        description="In-plane launch windows (ascending/descending), launch azimuth, phase angle "
        "and rendezvous profiles, plane-change cost when the site cannot reach the plane.",
    )
    p.add_argument(
        "--site",
        required=True,
        help="launch site key (baikonur_31, baikonur_1, vostochny_1s, plesetsk_43, ksc_39a) or 'LAT,LON' in "
        "degrees, north and east positive (e.g. --site -5.2,-52.8 or --site=-5.2,-52.8 for Kourou)",
    )
    add_orbit_source(p, circular=True)
    p.add_argument(
        "--raan",
        type=float,
        metavar="DEG",
        help="with --circular (required there): right ascension of the ascending node at --start, deg (TEME)",
    )
    p.add_argument(
        "--arglat",
        type=float,
        metavar="DEG",
        help="with --circular: argument of latitude at --start, deg (default 0; sets the phase)",
    )
    p.add_argument("--start", required=True, help="start time, ISO 8601 UTC (e.g. 2027-01-01T00:00)")
    p.add_argument("--days", type=float, required=True, help="number of days to search (at most 731)")
    p.add_argument("--json", action="store_true", help="print a JSON list of windows instead of a table")
    p.add_argument(
        "--lead-s",
        type=float,
        default=None,
        help="liftoff lead before the in-plane instant, s (default 196.5: the median of 12 Soyuz/Progress "
        "launches, sim/data/liftoff_sample.csv)",
    )
    p.add_argument(
        "--plane",
        choices=("mean", "osculating"),
        default="mean",
        help="target plane: mean elements + J2 regression (default) or osculating (SGP4 for element sets)",
    )
    p.add_argument(
        "--direction",
        choices=("both", "ascending", "descending"),
        default="both",
        help="which plane crossings to list (default both)",
    )
    p.set_defaults(func=run)
    if hasattr(p, "_negative_number_matcher"):  # --site -5.2,-52.8 is a value, not an unknown option
        p._negative_number_matcher = _NEGATIVE_VALUE


def add_orbit_source(p: argparse.ArgumentParser, *, circular: bool = False) -> None:
    """The one required choice of orbit: --tle-file F | --omm-file F | --preset NAME (| --circular ALT,INC),
    read by :func:`load_target` (shared by ``sim windows`` and ``sim ephemeris``)."""
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "--tle-file", metavar="F", help="file holding a two-line element set (optionally with a name line)"
    )
    src.add_argument("--omm-file", metavar="F", help="file holding one CelesTrak OMM JSON record")
    src.add_argument("--preset", metavar="NAME", help="a preset orbit (see `sim presets`)")
    if circular:
        src.add_argument(
            "--circular",
            metavar="ALT,INC",
            help="a circular orbit: mean altitude in km (a - 6378.137 km) and inclination in deg, e.g. 400,96.8",
        )


def load_target(args: argparse.Namespace) -> Orbit:
    """The target Orbit from --tle-file, --omm-file, --preset or --circular (:func:`add_orbit_source`);
    file problems raise SimError naming the option."""
    from ..errors import SimError, TLEError
    from ..inputs import MAX_ELEMENT_FILE_BYTES, clip_quoted, read_text
    from ..orbits import Orbit

    if getattr(args, "circular", None):
        return _circular(
            args.circular, getattr(args, "start", None), getattr(args, "raan", None), getattr(args, "arglat", None)
        )
    if args.preset:
        from .. import presets

        return presets.get(args.preset)
    path = args.tle_file or args.omm_file
    flag = "--tle-file" if args.tle_file else "--omm-file"
    text = read_text(path, limit=MAX_ELEMENT_FILE_BYTES, label=f"{flag} {path!r}")
    if args.tle_file:
        lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
        for i in range(len(lines) - 1):
            if lines[i].startswith("1 ") and lines[i + 1].startswith("2 "):
                name = lines[i - 1].strip()[:40] if i > 0 and not lines[i - 1].startswith(("1 ", "2 ")) else None
                try:
                    return Orbit.from_tle(lines[i], lines[i + 1], name=name)
                except SimError as exc:
                    raise TLEError(f"{flag}: {path!r}: {clip_quoted(str(exc))}") from None
        raise TLEError(
            f"{flag}: {path!r} holds no two-line element set (a line starting '1 ' followed by one starting '2 ')"
        )
    try:
        rec = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TLEError(
            f"{flag}: {path!r} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise TLEError(f"{flag}: {path!r} is not valid JSON: nested too deeply") from None
    if isinstance(rec, list):
        if len(rec) != 1:
            raise TLEError(f"{flag}: {path!r} must hold one OMM record, got a list of {len(rec)}")
        rec = rec[0]
    if not isinstance(rec, dict):
        raise TLEError(f"{flag}: {path!r} must hold one OMM JSON object")
    try:
        return Orbit.from_omm(rec)
    except SimError as exc:
        raise TLEError(f"{flag}: {path!r}: {clip_quoted(str(exc))}") from None


def _circular(text: str, start: str | None, raan: float | None = None, arglat: float | None = None) -> Orbit:
    """``--circular ALT,INC`` (with ``--raan``/``--arglat`` in deg, default 0) as an Orbit (epoch ``--start``
    when given), blamed on the option."""
    from ..errors import ElementError, SimError, check_range
    from ..inputs import snippet
    from ..orbits import Orbit

    parts = [x.strip() for x in str(text).split(",")]
    try:
        alt, inc = (float(x) for x in parts)
    except ValueError:
        raise ElementError(f"--circular must be ALT,INC (km, deg), e.g. 400,96.8, got {snippet(text)}") from None
    name = f"circular {alt:g} km {inc:g} deg" + (f" RAAN {raan:g}" if raan is not None else "")
    angles = {}
    for flag, value in (("--raan", raan), ("--arglat", arglat)):
        if value is not None:
            check_range(flag, value, -360.0, 360.0, unit="deg", error=ElementError, scalar=True)
            angles[flag] = value
    try:
        epoch = parse_start(start).isoformat() if start else None
        kw = {"epoch": epoch} if epoch else {}
        return Orbit.circular(alt, inc, angles.get("--raan", 0.0), angles.get("--arglat", 0.0), names=[name], **kw)
    except SimError as exc:
        raise ElementError(f"--circular: {exc}") from None


def format_table(tab: WindowTable) -> str:
    """A plain-text table of the windows: "in-plane" rows fly straight into the plane, "dog-leg" rows
    (the closest approach, or a crossing the site forbids) need the plane change in the last columns."""
    from ..launch import LIFTOFF_SAMPLE_FILE, liftoff_interval_s, liftoff_sample

    head = (
        f"{'liftoff UTC':<21}{'plane UTC':<21}{'direction':<12}{'window':<10}{'az deg':>7}{'ok':>4}{'phase':>7}"
        f"  {'profiles':<20}{'dplane':>7}{'dv m/s':>8}{'payload kg':>11}"
    )
    before, after = liftoff_interval_s()
    lines = [
        f"{tab.target_name} from {tab.site.name} ({tab.site.key}), inclination {tab.inclination_deg:.2f} deg, "
        f"lead {tab.options.get('lead_s', 0):g} s, {tab.options.get('plane')} plane",
        f"plane UTC: the in-plane instant; for dog-leg rows the closest approach ('closest') or the crossing "
        f"the site forbids. Liftoff interval: {before:.1f} s before to {after:.1f} s after the listed liftoff "
        f"({len(liftoff_sample())} real launches, sim/data/{LIFTOFF_SAMPLE_FILE})",
        head,
        "-" * len(head),
    ]
    for r in tab.to_rows():
        lines.append(
            f"{r['liftoff_utc'][:19]:<21}{r['in_plane_utc'][:19]:<21}{r['direction']:<12}{r['window']:<10}"
            f"{r['azimuth_deg']:7.1f}{'yes' if r['azimuth_allowed'] else 'no':>4}{r['phase_deg']:7.1f}"
            f"  {','.join(r['profiles']) or '-':<20}{r['plane_change_deg']:7.2f}"
            f"{r['plane_change_dv_m_s']:8.0f}{r['payload_penalty_kg']:11.0f}"
        )
    if not len(tab):
        lines.append("(no windows in the span)")
    return "\n".join(lines)


def parse_start(text: str) -> datetime.datetime:
    """``--start`` as a UTC datetime, by the one date rule (sim.schema.to_datetime), blamed on the option."""
    from ..errors import TimeInputError
    from ..inputs import snippet
    from ..schema import to_datetime

    try:
        return to_datetime(text)
    except ValueError as exc:
        msg = str(exc).replace(repr(text), snippet(text))
        raise TimeInputError(f"--start: {msg}") from None


def age_warnings(target: Orbit, start: datetime.datetime) -> list[str]:
    """One warning line per element set of ``target`` more than MAX_ELEMENT_AGE_DAYS from ``start``."""
    from ..scenario import element_age_warning

    out = []
    sats = target.satrecs or (None,) * len(target)
    for k, name in enumerate(target.names):
        if sats[k] is None:  # an analytic orbit: no fit to age
            continue
        epoch = target.epoch[k].utc.to_datetime()
        w = element_age_warning(str(name), target.epoch[k].utc.isot, (start - epoch).total_seconds() / 86400.0)
        if w:
            out.append(w)
    return out


def run(args: argparse.Namespace) -> int:
    """Run ``sim windows`` with the parsed ``args``; return the exit status."""
    import math

    from .. import constants as C
    from .. import launch
    from ..errors import SimError, TimeInputError

    if not (math.isfinite(args.days) and 0 < args.days <= C.MAX_SPAN_DAYS):  # blamed on the option
        raise TimeInputError(f"--days must be in (0, {C.MAX_SPAN_DAYS:g}] days, got {args.days:g}")
    start = parse_start(args.start)
    site = launch.site(args.site)
    if args.circular is None and (args.raan is not None or args.arglat is not None):
        raise SimError("--raan and --arglat go with --circular ALT,INC (a circular target orbit)")
    if args.circular is not None and args.raan is None:
        raise SimError("--raan DEG is required with --circular: the node of the plane at --start sets the window times")
    target = load_target(args)
    for line in age_warnings(target, start):
        print(line, file=sys.stderr)
    directions = ("ascending", "descending") if args.direction == "both" else (args.direction,)
    kw = {}
    if args.lead_s is not None:
        kw["lead_s"] = args.lead_s
    try:
        tab = launch.windows(
            target, site, start.isoformat(), days=args.days, plane=args.plane, directions=directions, **kw
        )
    except SimError as exc:  # the library checks lead_s (one rule, there): blame the option
        if str(exc).startswith("lead_s "):
            raise SimError("--lead-s" + str(exc)[len("lead_s") :]) from None
        raise
    if args.json:
        print(json.dumps(tab.to_rows(), indent=1))
    else:
        print(format_table(tab))
    return 0
