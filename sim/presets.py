"""Named orbits: the ISS and the candidate orbits of the Russian Orbital Station (ROS).

Every number here has a source in ``sim/data/reference_facts.md`` (a copy of the
project's sourced facts):

``iss``
    The newest real ISS element set shipped with sim (TLE epoch 2025-08-10, NORAD 25544,
    ``sim/data/iss_tle_validated.txt``). Use ``model="sgp4"`` for it near its epoch.
``iss_omm``
    The newest CelesTrak OMM record shipped (2025-03-09, ``iss_omm_2024-09_2025-03.json``).
``iss_nominal``
    Circular 415 km, 51.64 deg, epoch 2027-01-01: the ISS inclination (Wikipedia
    infobox, 51.64 deg) at the middle of the 412-421 km mean altitude of the CelesTrak
    sets of 2024-09..2025-03.
``ros_polar``
    The ROS polar plan of 2022-2025: 96.8 deg at ~400 km (Interfax 2022-06-06; RIA 2025-12-05).
``ros_polar_98``
    The 2021 Energia plan: 97-98 deg ("98" in Energia materials) at 400 km (RIA/TASS 2021).
``ros_sso``
    A sun-synchronous ROS at 400 km (inclination 97.03 deg from the J2 condition).
    *Assumption*: no local time of the node was published; noon/midnight (LTAN 12:00)
    is used. Build others with ``Orbit.sun_synchronous(400, ltan_hours)``.
``ros_51``
    The ISS-like plan decided on 2025-12-05: 51.6 deg at 415 km (ISS-like, ~410-420 km;
    RIA 2025-12-05, RIA 2026-01-06). *Its node is unpublished; this preset flies the ISS's
    plane* (RAAN 0 like ``iss_nominal``, plane angle 0.04 deg from the inclinations
    51.6/51.64): an offset would be a number invented for the purpose, and the ISS plane is
    the one case that needs no assumption beyond "ISS-like" (RIA: the first modules and the
    crewed Soyuz launch from Baikonur, as to the ISS). The two planes regress nearly
    together (-4.959 and -4.964 deg/day: 1.6 deg apart after a year), so the ground tracks,
    launch windows, beta angles and eclipses of ``iss_nominal`` and ``ros_51`` coincide; the
    figures say "ROS 51.6 flies the ISS's plane" (``sim.plots.same_orbit_pairs``) and draw
    the ISS wider underneath. For another node build ``Orbit.circular(415, 51.6,
    raan_deg=...)``; statistics over days (coverage, revisit, passes, decay) do not depend
    on it, the beta angle and the eclipse season do. The ISS plane is also what the plan
    announced on 2025-12-18 implies: ROS is to be assembled as part of the ISS's Russian
    segment and separated into free flight when the ISS ends (Orlov, IBMP director, after
    Roscosmos's scientific-technical council; TASS/Interfax 2025-12-18).
``ros_51_low``
    The same plane as ``ros_51`` (51.6 deg, RAAN 0 at 2027-01-01: as if just separated from
    the ISS) but at 370 km. *Assumption*: no source published an altitude for ROS 51.6 other
    than "ISS-like"; 370 km is the lower altitude users ask about and lies in the range where
    51.6 deg stations have flown (Mir ~350-390 km, the ISS ~354 km in June 2010: RIA via
    Trend 2010-06-08). Lower means a faster node regression (-5.08 vs -4.96 deg/day), so its
    plane leaves the ISS's by ~0.12 deg/day: ``sim coorbital --from iss_nominal --to
    ros_51_low`` shows the alignment windows and transfers this leaves.

Nominal presets have RAAN 0 and argument of latitude 0 at 2027-01-01T00:00 UTC.

Their altitudes are ``altitude_km`` (mean semi-major axis minus 6378.137 km), the
convention of the published "400 km" and "415 km". Orbit-averaged geodetic altitudes
(``Orbit.mean_geodetic_altitude_km``, what the atmosphere sees): iss_nominal 420.8 km,
ros_polar 415.2 km, ros_sso 415.2 km, ros_51 420.8 km -- the polar candidates fly 5.6 km
(not 15 km) lower above the ellipsoid than the ISS. ``sim presets`` lists both.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from .errors import PresetError
from .errors import describe as _describe_value
from .orbits import DEFAULT_EPOCH, Orbit

__all__ = ["get", "names", "describe", "iss_element_sets", "iss_omm_records", "COMPARISON"]

#: The four stations of the flagship comparison, in display order.
COMPARISON = ("iss_nominal", "ros_polar", "ros_sso", "ros_51")


def _data_path(name: str):
    return resources.files("sim") / "data" / name


@lru_cache(maxsize=1)
def iss_element_sets() -> tuple[tuple[str, str, str], ...]:
    """The real ISS TLEs shipped with sim as ``(comment, line1, line2)``, oldest first."""
    out, comment = [], ""
    lines = _data_path("iss_tle_validated.txt").read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            comment = line.lstrip("# ").strip()
        elif line.startswith("1 ") and i + 1 < len(lines) and lines[i + 1].startswith("2 "):
            out.append((comment, line.rstrip(), lines[i + 1].rstrip()))
            i += 1
        i += 1
    return tuple(sorted(out, key=lambda x: x[1][18:32]))


@lru_cache(maxsize=1)
def iss_omm_records() -> tuple[dict, ...]:
    """The CelesTrak ISS OMM records (2024-09..2025-03) shipped with sim, oldest first."""
    recs = json.loads(_data_path("iss_omm_2024-09_2025-03.json").read_text())
    return tuple(sorted(recs, key=lambda r: r["EPOCH"]))


def _iss():
    _, l1, l2 = iss_element_sets()[-1]
    return Orbit.from_tle(l1, l2, name="ISS")


def _iss_omm():
    return Orbit.from_omm(iss_omm_records()[-1]).with_names(["ISS (OMM)"])


_BUILDERS = {
    "iss": (_iss, "ISS, real element set (TLE 2025-08-10)"),
    "iss_omm": (_iss_omm, "ISS, real CelesTrak OMM record (2025-03-09)"),
    "iss_nominal": (
        lambda: Orbit.circular(415.0, 51.64, epoch=DEFAULT_EPOCH, names=["ISS"]),
        "ISS nominal: 415 km circular, 51.64 deg",
    ),
    "ros_polar": (
        lambda: Orbit.circular(400.0, 96.8, epoch=DEFAULT_EPOCH, names=["ROS 96.8"]),
        "ROS polar plan: 400 km, 96.8 deg (2022-2025)",
    ),
    "ros_polar_98": (
        lambda: Orbit.circular(400.0, 98.0, epoch=DEFAULT_EPOCH, names=["ROS 98"]),
        "ROS 2021 Energia plan: 400 km, 98 deg",
    ),
    "ros_sso": (
        lambda: Orbit.sun_synchronous(400.0, 12.0, epoch=DEFAULT_EPOCH, names=["ROS SSO"]),
        "ROS sun-synchronous: 400 km, LTAN 12:00 (assumed)",
    ),
    "ros_51": (
        lambda: Orbit.circular(415.0, 51.6, epoch=DEFAULT_EPOCH, names=["ROS 51.6"]),
        "ROS ISS-like plan (decided 2025-12-05): 415 km, 51.6 deg, same plane as the ISS (node unpublished)",
    ),
    "ros_51_low": (
        lambda: Orbit.circular(370.0, 51.6, epoch=DEFAULT_EPOCH, names=["ROS 51.6 low"]),
        "ROS 51.6 lower (altitude assumed, none published): 370 km, 51.6 deg, the ISS plane at 2027-01-01",
    ),
}


def names() -> list[str]:
    """Names accepted by :func:`get`."""
    return list(_BUILDERS)


def describe(name: str) -> str:
    """One-line description of a preset."""
    _check(name)
    return _BUILDERS[name][1]


def get(name: str | list[str] | tuple[str, ...]) -> Orbit:
    """The preset orbit called ``name`` (or several, batched in order)."""
    if isinstance(name, (list, tuple)):
        return Orbit.concat([get(n) for n in name])
    _check(name)
    return _BUILDERS[name][0]()


def _check(name) -> None:
    if not isinstance(name, str) or name not in _BUILDERS:
        raise PresetError(f"unknown preset {_describe_value(name)}; choose one of: {', '.join(_BUILDERS)}")
