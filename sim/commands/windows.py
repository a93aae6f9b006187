"""``sim windows``: launch windows from a launch site to an orbit (see :mod:`sim.launch`).

sim windows --site baikonur_31 (--tle-file F | --omm-file F | --preset NAME) --start ISO --days N [--json]
"""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser(
        "windows",
        help="launch windows from a launch site to a station orbit",
        description="In-plane launch windows (ascending/descending), launch azimuth, phase angle "
        "and rendezvous profiles, plane-change cost when the site cannot reach the plane.",
    )
    p.add_argument(
        "--site",
        required=True,
        help="launch site key (baikonur_31, baikonur_1, vostochny_1s, plesetsk_43, ksc_39a) or 'LAT,LON' in degrees",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "--tle-file", metavar="F", help="file holding a two-line element set (optionally with a name line)"
    )
    src.add_argument("--omm-file", metavar="F", help="file holding one CelesTrak OMM JSON record")
    src.add_argument("--preset", metavar="NAME", help="a preset orbit (see `sim presets`)")
    p.add_argument("--start", required=True, help="start time, ISO 8601 UTC (e.g. 2027-01-01T00:00)")
    p.add_argument("--days", type=float, required=True, help="number of days to search (at most 731)")
    p.add_argument("--json", action="store_true", help="print a JSON list of windows instead of a table")
    p.add_argument(
        "--lead-s",
        type=float,
        default=None,
        help="liftoff lead before the in-plane instant, s (default 210, from Soyuz MS-21 and Progress MS-29)",
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


def load_target(args):
    """The target Orbit from --tle-file, --omm-file or --preset; file problems raise SimError."""
    from ..errors import SimError, TLEError
    from ..orbits import Orbit

    if args.preset:
        from .. import presets

        return presets.get(args.preset)
    path = args.tle_file or args.omm_file
    flag = "--tle-file" if args.tle_file else "--omm-file"
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise SimError(f"{flag}: cannot read {path!r}: {exc}") from None
    if args.tle_file:
        lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
        for i in range(len(lines) - 1):
            if lines[i].startswith("1 ") and lines[i + 1].startswith("2 "):
                name = lines[i - 1].strip() if i > 0 and not lines[i - 1].startswith(("1 ", "2 ")) else None
                return Orbit.from_tle(lines[i], lines[i + 1], name=name)
        raise TLEError(
            f"{flag}: {path!r} holds no two-line element set (a line starting '1 ' followed by one starting '2 ')"
        )
    try:
        rec = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TLEError(f"{flag}: {path!r} is not valid JSON: {exc}") from None
    if isinstance(rec, list):
        if len(rec) != 1:
            raise TLEError(f"{flag}: {path!r} must hold one OMM record, got a list of {len(rec)}")
        rec = rec[0]
    if not isinstance(rec, dict):
        raise TLEError(f"{flag}: {path!r} must hold one OMM JSON object")
    return Orbit.from_omm(rec)


def format_table(tab) -> str:
    """A plain-text table of the windows."""
    head = (
        f"{'liftoff UTC':<21}{'in-plane UTC':<21}{'direction':<12}{'az deg':>7}{'ok':>4}{'phase':>7}"
        f"  {'profiles':<20}{'dplane':>7}{'dv m/s':>8}{'payload kg':>11}"
    )
    lines = [
        f"{tab.target_name} from {tab.site.name} ({tab.site.key}), inclination {tab.inclination_deg:.2f} deg, "
        f"lead {tab.options.get('lead_s', 0):g} s, {tab.options.get('plane')} plane",
        head,
        "-" * len(head),
    ]
    for r in tab.to_rows():
        lines.append(
            f"{r['liftoff_utc'][:19]:<21}{r['in_plane_utc'][:19]:<21}{r['direction']:<12}"
            f"{r['azimuth_deg']:7.1f}{'yes' if r['azimuth_allowed'] else 'no':>4}{r['phase_deg']:7.1f}"
            f"  {','.join(r['profiles']) or '-':<20}{r['plane_change_deg']:7.2f}"
            f"{r['plane_change_dv_m_s']:8.0f}{r['payload_penalty_kg']:11.0f}"
        )
    if not len(tab):
        lines.append("(no windows in the span)")
    return "\n".join(lines)


def run(args) -> int:
    import math

    from .. import launch
    from ..errors import TimeInputError

    if not (math.isfinite(args.days) and 0 < args.days <= launch.MAX_SPAN_DAYS):  # blamed on the option
        raise TimeInputError(f"--days must be in (0, {launch.MAX_SPAN_DAYS:g}] days, got {args.days:g}")
    site = launch.site(args.site)
    target = load_target(args)
    directions = ("ascending", "descending") if args.direction == "both" else (args.direction,)
    kw = {}
    if args.lead_s is not None:
        kw["lead_s"] = args.lead_s
    tab = launch.windows(target, site, args.start, days=args.days, plane=args.plane, directions=directions, **kw)
    if args.json:
        print(json.dumps(tab.to_rows(), indent=1))
    else:
        print(format_table(tab))
    return 0
