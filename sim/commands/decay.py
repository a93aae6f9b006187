"""``sim decay``: orbit decay and yearly reboost budget of presets or a custom orbit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # type-only: never imported at run time
    import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sim decay`` and its options to the ``sim`` sub-command parsers ``sub``."""
    p = sub.add_parser(
        "decay",
        help="decay rate and yearly reboost delta-v / propellant at low, moderate, "
        "high solar activity (NRLMSIS 2.1; orbit-averaged or Cowell propagation, --method)",
    )
    p.add_argument("presets", nargs="*", help="preset names (default: the four compared stations)")
    p.add_argument(
        "--altitude",
        type=float,
        help="custom circular orbit: altitude in km (with --inclination; mean a - 6378.137 km unless --geodetic)",
    )
    p.add_argument(
        "--geodetic",
        action="store_true",
        help="--altitude is the orbit-averaged geodetic altitude (Orbit.circular altitude_kind='geodetic')",
    )
    p.add_argument("--inclination", type=float, help="custom circular orbit: inclination in deg")
    p.add_argument(
        "--spacecraft",
        default=None,
        help="iss, ros_stage1, ros_stage2 or MASS_KG,AREA_M2[,CD] (default: ISS for ISS orbits, ROS stage 2 otherwise)",
    )
    p.add_argument(
        "--solar",
        nargs="+",
        default=["low", "moderate", "high"],
        help="solar activity levels: low, moderate, high, iss_2024 or F107,F107A,AP (default: low moderate high)",
    )
    p.add_argument(
        "--band",
        type=float,
        nargs=2,
        metavar=("LOW_KM", "HIGH_KM"),
        help="orbit-mean altitude band held by reboosts (default: sim.lifetime.default_band_km, "
        "each orbit's altitude_km -5/+5 km)",
    )
    p.add_argument("--years", type=float, default=1.0, help="years simulated (default 1)")
    p.add_argument(
        "--method",
        default="auto",
        help="propagator: auto (orbit-averaged for spans over 30 days, else Cowell), averaged or cowell "
        "(default auto; sim.lifetime.resolve_method)",
    )
    p.add_argument("--isp", type=float, default=300.0, help="specific impulse of the reboost engine, s (default 300)")
    p.add_argument(
        "--out",
        default=None,
        help="folder for altitude-versus-time figures (PNG), one per level "
        "(lifetime_<level>.png; other files in it are left alone)",
    )
    p.set_defaults(func=run)


def _spacecraft(text):
    from ..errors import SimError
    from ..spacecraft import Spacecraft, spacecraft

    if text is None:
        return None
    if "," in text:
        try:
            vals = [float(x) for x in text.split(",")]
        except ValueError:
            raise SimError(f"--spacecraft must be a name or MASS_KG,AREA_M2[,CD], got {text!r}") from None
        if len(vals) not in (2, 3):
            raise SimError(f"--spacecraft must be a name or MASS_KG,AREA_M2[,CD], got {text!r}")
        return Spacecraft(*vals)
    return spacecraft(text)


def _activity(text):
    from ..atmosphere import solar_activity

    if "," in text:
        parts = text.split(",")
        try:
            return solar_activity(tuple(float(x) for x in parts))
        except ValueError:
            pass
        return solar_activity(text)
    return solar_activity(text)


def _figure_name(level) -> str:
    return f"lifetime_{level.name}.png"


def _check_out(out, levels) -> Path | None:
    """The --out folder, checked before any computation (None when not given)."""
    if out is None:
        return None
    from ..outputs import OutputError, check_output_folder

    folder = check_output_folder(out, option="--out", replace=False)
    for level in levels:
        target = folder / _figure_name(level)
        if target.is_dir():
            raise OutputError(f"--out {out}: {target.name} in it is a folder, where the figure would be written")
    return folder


def run(args: argparse.Namespace) -> int:
    """Run ``sim decay`` with the parsed ``args``; return the exit status."""
    from .. import lifetime, presets
    from ..errors import SimError
    from ..orbits import Orbit

    if (args.altitude is None) != (args.inclination is None):
        raise SimError("give both --altitude and --inclination for a custom orbit, or neither")
    if args.geodetic and args.altitude is None:
        raise SimError("--geodetic applies to a custom orbit's --altitude; give --altitude and --inclination")
    if args.altitude is not None:
        kind = "geodetic" if args.geodetic else "mean"
        orb = Orbit.circular(
            args.altitude,
            args.inclination,
            altitude_kind=kind,
            names=[f"{args.altitude:g} km{' geod' if args.geodetic else ''} {args.inclination:g} deg"],
        )
        if args.presets:
            orb = Orbit.concat([presets.get(args.presets), orb])
    else:
        orb = presets.get(args.presets or list(presets.COMPARISON))
    sc = _spacecraft(args.spacecraft)
    levels = [_activity(s) for s in args.solar]
    lifetime.resolve_method(args.method, args.years * 365.25)  # a bad --method fails before any computation
    out = _check_out(args.out, levels)
    band = tuple(args.band) if args.band is not None else None  # None: lifetime.default_band_km per orbit
    for level in levels:
        b = lifetime.reboost_budget(orb, sc, band, level, years=args.years, isp_s=args.isp, method=args.method)
        print(b.table())
        print()
        if out is not None:
            import io

            from ..outputs import write_bytes_atomic
            from ..plots import lifetime_figure

            out.mkdir(parents=True, exist_ok=True)
            path = out / _figure_name(level)
            buf = io.BytesIO()
            lifetime_figure(b).savefig(buf, format="png", dpi=110)
            write_bytes_atomic(path, buf.getvalue())
            print(f"figure: {path}\n")
    return 0
