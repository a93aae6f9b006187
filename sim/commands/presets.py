"""``sim presets``: the named orbits and their key numbers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # type-only: never imported at run time
    import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sim presets`` and its options to the ``sim`` sub-command parsers ``sub``."""
    p = sub.add_parser("presets", help="list the ISS and ROS preset orbits with their key numbers")
    p.set_defaults(func=run)


def preset_table(names: Iterable[str] | None = None) -> str:
    """A plain-text table: altitude (mean and orbit-averaged geodetic), inclination, period and nodal rate."""
    from .. import presets

    names = list(names or presets.names())
    orb = presets.get(names)
    geod = orb.mean_geodetic_altitude_km
    head = (
        f"{'preset':<14}{'station':<12}{'alt km':>8}{'geod km':>9}{'incl deg':>10}{'period min':>12}"
        f"{'node deg/day':>14}  description"
    )
    rows = [head, "-" * len(head)]
    for k, name in enumerate(names):
        rows.append(
            f"{name:<14}{orb.names[k]:<12}{orb.altitude_km[k]:8.1f}{geod[k]:9.1f}{orb.inclination_deg[k]:10.2f}"
            f"{orb.nodal_period_s[k] / 60:12.2f}{orb.nodal_rate_deg_per_day[k]:14.3f}  {presets.describe(name)}"
        )
    rows.append(
        "alt: mean semi-major axis - 6378.137 km (Orbit.altitude_km); geod: height above the WGS84 "
        "ellipsoid averaged over one revolution (Orbit.mean_geodetic_altitude_km)"
    )
    return "\n".join(rows)


def run(args: argparse.Namespace) -> int:
    """Run ``sim presets`` with the parsed ``args``; return the exit status."""
    print(preset_table())
    return 0
