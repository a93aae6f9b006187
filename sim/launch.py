"""Launch windows: when, at what azimuth and at what cost a launch site reaches an orbit.

For a target orbit (a preset, elements, or a real TLE/OMM element set) and a launch site
this module finds every instant the site crosses the target's orbital plane, with J2
nodal regression honoured, and for each opportunity gives the liftoff time, the launch
azimuth (inertial and ground-relative), whether the site allows it, the target's phase
angle at orbit insertion and which rendezvous profiles that phase allows, and, when the
site cannot reach the plane directly, the minimum plane-change delta-v and the payload it
costs.

Geometry
--------
The orbit plane is the **mean** plane by default (``plane="mean"``): the orbit normal
built from the mean inclination and the mean RAAN advanced at the secular J2 rate
(:func:`sim.propagation.j2.secular_rates`) -- the plane a launch targets. With
``plane="osculating"`` the normal is ``r x v`` of ``orbit.propagate`` (SGP4 for element
sets, J2 otherwise); it wobbles around the mean plane by the short-period J2 terms
(about 0.02 deg in node and inclination for the ISS; at Baikonur the crossing time moves
by 14 s per 0.02 deg of inclination, so the two differ by up to ~20 s in window time).

The site is fixed in ITRS (:func:`sim.frames.geodetic_to_itrs`) and rotated into TEME
with GMST-1982 and polar motion (:func:`sim.frames.teme_to_itrs_matrix`). With ``psi``
the angle from the target's ascending node to the site's meridian (sidereal angle of the
site minus RAAN) and ``phi`` the site's geocentric latitude, the site is in the plane
when ``sin(psi) = tan(phi) / tan(i)``: two solutions per sidereal day. The solution with
``cos(psi) > 0`` is the *ascending* (northbound) one -- a north-east launch for a prograde
target, north-west for a retrograde one -- the other the *descending* (southbound) one.
``psi`` is evaluated on a coarse grid (600 s) and the mean plane's crossings bracketed on
it analytically; for the osculating plane the sign changes of ``site . normal`` on the
same grid bracket them. Either is refined on the exact dot product ``site . normal = 0``
(including polar motion, and the osculating normal if asked) by quasi-Newton iteration
until the step is below 1 ms. ``tests/test_launch.py`` checks the instants against
``scipy.optimize.brentq`` on the same function and against a brute-force Skyfield
computation.

When ``|tan(phi) / tan(i)| > 1`` (site latitude above the inclination) there is no
crossing; one row per sidereal day is returned at the closest approach (``direction =
"closest"``, ``in_plane = False``) with the plane change a due-east (or due-west) launch
leaves: ``|phi - i|``.

Liftoff lead (``lead_s``)
-------------------------
Real launches to the ISS lift off before the pad reaches the plane: the rocket inherits
the pad's velocity across the plane (``v_E cos(Az)``, ~150 m/s at Baikonur) and yaw
steering removes it during ascent, so the vehicle drifts into the plane. If the
cross-plane velocity were removed at a uniform rate the lead would be half the ascent
time (~265 s of 529 s). A chaser in its low insertion orbit regresses faster than the
station (J2 rate ~ a^-3.5), so for a long profile it is launched into a plane slightly east
of the station's and lifts off later: with the differential regression averaged over the
profile (half the initial difference, as the altitude gap closes) the shift is 8 s for the
2-orbit, 15 s for the 4-orbit and ~130 s for the 2-day profile
(:meth:`RendezvousProfile.liftoff_shift_s`). ``lead_s`` is the lead of a same-day profile;
each row's ``liftoff_utc`` is ``in_plane_utc - lead_s`` and ``profile_liftoff_utc`` adds each
profile's shift.

The lead is calibrated on 12 Soyuz/Progress launches from Baikonur to the ISS, 2018-2025
(``sim/data/liftoff_sample.csv``: liftoff to the second from public records, each with its
source, the rendezvous profile flown and the real ISS element set used, 0.1-38 days from the
launch; :func:`lead_calibration` recomputes it, reference_facts.md lists it). For each launch
the lead it implies is the mean-plane in-plane instant minus the real liftoff plus the shift
of the profile flown. Leads: 118.0-216.4 s, mean 188.9 s, standard deviation 29.1 s, median
196.5 s; the six same-day (2-orbit/4-orbit) launches agree to 202.8 +- 7.3 s (196.4-216.4 s),
the six 2-day launches scatter (175.0 +- 36.7 s, 118.0-215.7 s: their insertion plane is
chosen per mission, which the fixed shift does not model). ``DEFAULT_LEAD_S`` (196.5 s, 0.37
of the ascent) is the median; ``LEAD_SAMPLE_RANGE_S`` (118.0-216.5 s) its range: every row
gives ``liftoff_earliest_utc``/``liftoff_latest_utc`` (JSON ``liftoff_window_utc``, and
``profile_liftoff_window_utc`` per profile), the liftoff shifted by the sample's scatter
around the median (20.0 s earlier to 78.5 s later), which holds every launch of the sample.
Element-set age: a set 32 days old moves the mean-plane instant by 10.7 s (Progress MS-32,
2025-08-10 set against one 4 h after launch) but the osculating SGP4 plane by 69 s, so the
mean plane (the default) is the one calibrated; on the osculating plane the leads are
128.2-233.9 s, median 211.3 s.

Windows that need a dog-leg
---------------------------
``window`` is "in-plane" when the site crosses the plane with an allowed azimuth and an
inclination in the site's range: the launch flies straight into the plane. Otherwise it is
"dog-leg": the launch goes to the closest plane it can reach and ``plane_change_deg`` (the one
penalty definition, below) is the plane change left. For a site above the inclination the row
is the closest approach (``direction = "closest"``, ``in_plane = False``); for a forbidden
azimuth or inclination the row keeps its crossing (``in_plane = True``: the pad is in the
plane, but no allowed launch flies in it) and is costed along the nearest allowed azimuth.

Phase angle and rendezvous profiles
-----------------------------------
``phase_deg`` follows the definition of RSC Energia's ballistics chief R. Murtazin (TASS
2022-09-01): the angular distance from the chaser to the station *after insertion into
orbit*, positive when the station is ahead, in [0, 360). The chaser is inserted
``ascent_s`` (529 s) after liftoff, ``insertion_downrange_deg`` (16.7 deg, inertial)
along the plane from the pad's projection; both come from the nominal separation state
vector of Progress M-37 published by V. Agapov (Keldysh Institute ballistic centre,
SeeSat-L 1997-12-17: EFG (355.203, 4117.639, 5092.747) km at 00:08:49.04 after liftoff
from Baikonur site 1).

A profile allows a phase if it lies within a band centred on the phase the chaser
makes up during the profile (simple model: it starts in the insertion orbit, 197 x 255 km
for Soyuz MS-06, and its altitude deficit closes linearly, so it gains half the initial
mean-motion difference times the profile duration) and as wide as published: "two-day
... 150 degrees, a four-lap ... 22, and a two-lap ... 6" (Rossiyskaya Gazeta 2024). The
durations are liftoff to docking: 2-orbit 3 h 24 min (Progress MS-07 plan,
spaceflight101), 4-orbit 6 h (reference_facts.md), 2-day 50 h 34 min (Rossiyskaya
Gazeta 2024). For the ISS at 415 km this gives 2-orbit 13.4-19.4 deg, 4-orbit 18.4-40.4
deg and 2-day 178.5-328.5 deg. Cross-check: for Progress MS-07 the ISS was 165 km
south-west of the pad at liftoff (spaceflight101), which in this geometry is a phase of
16.0 deg, inside the 2-orbit band; Soyuz MS-21 (flew 2-orbit) gets 16.3 deg and Progress
MS-29 (flew 2-day) 250 deg from their element sets. All of these are parameters (:class:`RendezvousProfile`).

Cost when the plane cannot be reached
-------------------------------------
``plane_change_deg`` is the angle between the target plane and the best plane the site
can launch into at that instant: for a site above the inclination, a due-east (west)
launch at closest approach; for a forbidden azimuth, a launch along the nearest allowed
azimuth at the in-plane instant (an upper bound of the minimum: a different liftoff time
may do slightly better); for an allowed azimuth but an inclination outside the site's
range, the distance to that range. The delta-v is a single impulsive plane change at the
target's circular speed, ``2 V sin(d/2)``. ``payload_penalty_kg`` is what that delta-v
costs the launcher's last stage in the rocket equation (:class:`LauncherModel`; default
an approximate Soyuz-2.1a third stage with a 7,080 kg Soyuz MS), capped at the whole
payload (then the target is out of reach for that launcher).

Sites and their limits are in ``sim/data/launch_sites.csv`` and
``sim/data/launch_site_limits.csv`` (each limit with its source or marked an
assumption); users add their own with :meth:`LaunchSite.custom`.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike

from . import constants as C
from .errors import (
    ElementError,
    PresetError,
    SimError,
    TimeInputError,
    as_float,
    broadcast,
    check_choice,
    check_range,
    describe,
)

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    import datetime as _dt
    import os

    from .orbits import Orbit

__all__ = [
    "LaunchSite",
    "LauncherModel",
    "RendezvousProfile",
    "LaunchWindow",
    "WindowTable",
    "sites",
    "site",
    "windows",
    "windows_per_day",
    "plane_change_dv_m_s",
    "DEFAULT_LEAD_S",
    "DEFAULT_ASCENT_S",
    "DEFAULT_INSERTION_DOWNRANGE_DEG",
    "DEFAULT_PROFILES",
    "DEFAULT_LAUNCHER",
    "INSERTION_PERIGEE_KM",
    "INSERTION_APOGEE_KM",
    "LEAD_S_RANGE",
    "LEAD_SAMPLE_RANGE_S",
    "liftoff_interval_s",
    "DEFAULT_SITES",
    "opportunities_per_day",
    "LeadCalibration",
    "lead_calibration",
    "liftoff_sample",
]

_DEG = math.pi / 180.0
#: Liftoff lead before the in-plane instant for same-day profiles, s: the median of the leads of
#: the 12 Soyuz/Progress launches in ``sim/data/liftoff_sample.csv`` (see "Liftoff lead" in the
#: module docstring; :func:`lead_calibration` recomputes it, ``tests/test_liftoff_calibration.py``
#: checks this value against it).
DEFAULT_LEAD_S = 196.5
#: The smallest and largest lead of that sample, s: each window's ``liftoff_window_utc`` spans the
#: sample's scatter around ``DEFAULT_LEAD_S`` (118.0 s - 216.4 s, rounded outwards to 0.5 s).
LEAD_SAMPLE_RANGE_S = (118.0, 216.5)


def liftoff_interval_s() -> tuple[float, float]:
    """``(before, after)``, s: how far before and after a window's listed liftoff (lead
    ``DEFAULT_LEAD_S``) the liftoffs of the calibration sample lie (``LEAD_SAMPLE_RANGE_S``)."""
    return LEAD_SAMPLE_RANGE_S[1] - DEFAULT_LEAD_S, DEFAULT_LEAD_S - LEAD_SAMPLE_RANGE_S[0]


#: Liftoff to orbit insertion, s: Progress M-37 separation at 00:08:49.04 (Agapov, SeeSat-L 1997-12-17).
DEFAULT_ASCENT_S = 529.0
#: Inertial angle from the pad at liftoff to the insertion point, deg, from the same state vector
#: (``tests/test_launch.py`` recomputes it from the published EFG vector).
DEFAULT_INSERTION_DOWNRANGE_DEG = 16.66
#: Soyuz insertion orbit used by the phasing model: Soyuz MS-06, 197 x 255 km (der-orion.com launch log 2017).
INSERTION_PERIGEE_KM = 197.0
#: Apogee of that insertion orbit, km (same source)
INSERTION_APOGEE_KM = 255.0
#: Allowed liftoff lead before the in-plane instant, s (``windows(lead_s=)``, a scenario's
#: ``liftoff_lead_s``).
LEAD_S_RANGE = (-3600.0, 3600.0)
_GRID_STEP_S = 600.0


class SiteError(PresetError):
    """An unknown launch site or a bad site definition."""


# ============================================================== sites


@dataclass(frozen=True)
class LaunchSite:
    """A launch site: WGS84 geodetic position and the limits of its launch corridors.

    ``azimuth_min_deg``/``azimuth_max_deg``: allowed ground-relative launch azimuths, the
    arc clockwise from min to max (e.g. 345 -> 72 through north); ``None`` = no limit.
    ``inclination_min_deg``/``inclination_max_deg``: allowed target inclinations.
    """

    key: str
    name: str
    latitude_deg: float
    longitude_deg: float
    altitude_m: float = 0.0
    azimuth_min_deg: float | None = None
    azimuth_max_deg: float | None = None
    inclination_min_deg: float | None = None
    inclination_max_deg: float | None = None
    limits_basis: str = "none given"
    source: str = ""

    #: Allowed range of each numeric field, (low, high, unit); the scenario schema checks its
    #: ``[[launch.custom_sites]]`` tables with these too (:meth:`check_field`).
    LIMITS: ClassVar[dict[str, tuple]] = {
        "latitude_deg": (-90.0, 90.0, "deg"),
        "longitude_deg": (-180.0, 360.0, "deg"),
        "altitude_m": (-500.0, 9000.0, "m"),
        "azimuth_min_deg": (0.0, 360.0, "deg"),
        "azimuth_max_deg": (0.0, 360.0, "deg"),
        "inclination_min_deg": (0.0, 180.0, "deg"),
        "inclination_max_deg": (0.0, 180.0, "deg"),
    }

    def __post_init__(self):
        for nm in self.LIMITS:
            val = getattr(self, nm)
            if val is not None:
                self.check_field(nm, val, label=f"site {self.key!r} {nm}")
        if (self.azimuth_min_deg is None) != (self.azimuth_max_deg is None):
            raise SiteError(f"site {self.key!r}: give both azimuth_min_deg and azimuth_max_deg or neither")

    @classmethod
    def check_field(cls, name: str, value: float, *, label: str | None = None) -> None:
        """Raise :class:`SiteError` naming ``label`` (default ``name``) unless ``value`` is allowed for ``name``."""
        low, high, unit = cls.LIMITS[name]
        check_range(label or name, value, low, high, unit=unit, error=SiteError)

    @classmethod
    def custom(
        cls,
        latitude_deg: float,
        longitude_deg: float,
        altitude_m: float = 0.0,
        *,
        key: str = "user",
        name: str | None = None,
        azimuth_range_deg: tuple[float, float] | None = None,
        inclination_range_deg: tuple[float, float] | None = None,
    ) -> LaunchSite:
        """A user's site from latitude/longitude (deg) and optional limits (no limit by default)."""
        lat = as_float(latitude_deg, "latitude_deg", "deg", scalar=True, error=SiteError)
        lon = as_float(longitude_deg, "longitude_deg", "deg", scalar=True, error=SiteError)
        alt = as_float(altitude_m, "altitude_m", "m", scalar=True, error=SiteError)
        az = azimuth_range_deg or (None, None)
        inc = inclination_range_deg or (None, None)
        return cls(
            key=key,
            name=name or f"site at {lat:.4f}, {lon:.4f}",
            latitude_deg=lat,
            longitude_deg=lon,
            altitude_m=alt,
            azimuth_min_deg=az[0],
            azimuth_max_deg=az[1],
            inclination_min_deg=inc[0],
            inclination_max_deg=inc[1],
            limits_basis="user",
            source="user input",
        )

    @property
    def itrs_m(self) -> np.ndarray:
        """ITRS position, m, shape (3,)."""
        from .frames import geodetic_to_itrs

        return geodetic_to_itrs(self.latitude_deg * _DEG, self.longitude_deg * _DEG, self.altitude_m)

    @property
    def geocentric_latitude_deg(self) -> float:
        r = self.itrs_m
        return math.degrees(math.atan2(r[2], math.hypot(r[0], r[1])))

    def azimuth_allowed(self, azimuth_deg: ArrayLike) -> np.ndarray:
        """True where a ground-relative azimuth (deg) lies on the allowed arc."""
        az = np.asarray(azimuth_deg, dtype=float)
        if self.azimuth_min_deg is None:
            return np.ones(az.shape, dtype=bool)
        width = (self.azimuth_max_deg - self.azimuth_min_deg) % 360.0
        return ((az - self.azimuth_min_deg) % 360.0) <= width + 1e-9

    def inclination_allowed(self, inclination_deg: ArrayLike) -> np.ndarray:
        inc = np.asarray(inclination_deg, dtype=float)
        ok = np.ones(inc.shape, dtype=bool)
        if self.inclination_min_deg is not None:
            ok &= inc >= self.inclination_min_deg - 1e-9
        if self.inclination_max_deg is not None:
            ok &= inc <= self.inclination_max_deg + 1e-9
        return ok


def _opt_float(x: str | None):
    x = (x or "").strip()
    return float(x) if x else None


@lru_cache(maxsize=1)
def _load_sites() -> dict:
    base = resources.files("sim") / "data"
    limits = {}
    with (base / "launch_site_limits.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            limits[row["key"]] = row
    out = {}
    with (base / "launch_sites.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lim = limits.get(row["key"], {})
            out[row["key"]] = LaunchSite(
                key=row["key"],
                name=row["name"],
                latitude_deg=float(row["latitude_deg"]),
                longitude_deg=float(row["longitude_deg"]),
                altitude_m=_opt_float(row.get("altitude_m")) or 0.0,
                azimuth_min_deg=_opt_float(lim.get("azimuth_min_deg")),
                azimuth_max_deg=_opt_float(lim.get("azimuth_max_deg")),
                inclination_min_deg=_opt_float(lim.get("inclination_min_deg")),
                inclination_max_deg=_opt_float(lim.get("inclination_max_deg")),
                limits_basis=lim.get("basis", "none given"),
                source=f"position: {row.get('source', '')}; limits: {lim.get('source', 'none')}",
            )
    return out


def sites() -> dict[str, LaunchSite]:
    """The shipped launch sites by key (Baikonur 31/6 and 1/5, Vostochny 1S, Plesetsk 43/4, KSC 39A)."""
    return dict(_load_sites())


def site(key: str | LaunchSite) -> LaunchSite:
    """A shipped site by key, a :class:`LaunchSite` (returned as is) or ``"lat,lon"`` (deg) for a user site."""
    if isinstance(key, LaunchSite):
        return key
    all_sites = _load_sites()
    if isinstance(key, str) and key in all_sites:
        return all_sites[key]
    if isinstance(key, str) and "," in key:
        parts = key.split(",")
        try:
            vals = [float(p) for p in parts]
        except ValueError:
            vals = []
        if len(vals) in (2, 3):
            return LaunchSite.custom(*vals, key="user")
    raise SiteError(
        f"unknown launch site {describe(key)}; choose one of: {', '.join(all_sites)} (or give 'LAT,LON' in degrees)"
    )


_get_site = site  # ``windows`` has a parameter called ``site``


# ============================================================== launcher and profiles


@dataclass(frozen=True)
class LauncherModel:
    """The last stage of a launcher, for the payload cost of extra delta-v (rocket equation).

    Holding the stage's propellant fixed, extra delta-v ``dv`` lowers the payload from
    ``payload_kg`` to ``Mp / (exp((dv_nom + dv) / c) - 1) - Ms`` with ``c = g0 * isp_s`` and
    ``dv_nom = c ln((Ms + Mp + Mpl) / (Ms + Mpl))``.
    """

    name: str = "Soyuz-2.1a third stage (Block I, RD-0110), Soyuz MS payload"
    payload_kg: float = 7080.0
    stage_dry_kg: float = 2410.0
    stage_propellant_kg: float = 25300.0
    isp_s: float = 326.0
    source: str = (
        "Soyuz MS launch mass 7,080 kg (Wikipedia 'Soyuz MS'); third-stage masses and RD-0110 "
        "vacuum Isp are approximate public values (Wikipedia 'Soyuz-2'), not verified offline"
    )

    def payload_penalty_kg(self, dv_m_s: ArrayLike) -> np.ndarray:
        """Payload lost (kg) for extra delta-v (m/s), between 0 and ``payload_kg``."""
        dv = np.maximum(np.asarray(dv_m_s, dtype=float), 0.0)
        c = C.G0 * self.isp_s
        ms, mp, mpl = self.stage_dry_kg, self.stage_propellant_kg, self.payload_kg
        dv_nom = c * math.log((ms + mp + mpl) / (ms + mpl))
        with np.errstate(over="ignore", divide="ignore"):
            new = mp / np.expm1((dv_nom + dv) / c) - ms
        return np.where(dv > 0, np.clip(mpl - new, 0.0, mpl), 0.0)


#: The launcher model :func:`windows` uses by default (Soyuz-2.1a to the insertion orbit above).
DEFAULT_LAUNCHER = LauncherModel()


@dataclass(frozen=True)
class RendezvousProfile:
    """A rendezvous profile: liftoff-to-docking duration and the published width of its phase band."""

    name: str
    duration_s: float
    width_deg: float
    source: str = ""

    def phasing_s(self, ascent_s: float = DEFAULT_ASCENT_S) -> float:
        return self.duration_s - ascent_s

    def centre_deg(self, target_a_m: ArrayLike, insertion_a_m: float, ascent_s: float = DEFAULT_ASCENT_S) -> np.ndarray:
        """Phase (deg) the chaser makes up: half the initial mean-motion difference times the phasing time."""
        n_t = np.sqrt(C.MU_EARTH / np.asarray(target_a_m, float) ** 3)
        n_c = math.sqrt(C.MU_EARTH / insertion_a_m**3)
        return np.degrees(0.5 * (n_c - n_t) * self.phasing_s(ascent_s))

    def liftoff_shift_s(
        self,
        target_a_m: ArrayLike,
        target_ecc: ArrayLike,
        target_inc: ArrayLike,
        insertion_a_m: float,
        psi_rate: ArrayLike,
        ascent_s: float = DEFAULT_ASCENT_S,
    ) -> np.ndarray:
        """Delay of liftoff (s) that pre-compensates the chaser's faster J2 regression during phasing."""
        from .propagation.j2 import secular_rates

        w_t = secular_rates(target_a_m, target_ecc, target_inc)[0]
        w_c = secular_rates(insertion_a_m, 0.0, target_inc)[0]
        return 0.5 * (w_t - w_c) * self.phasing_s(ascent_s) / psi_rate


#: The rendezvous profiles :func:`windows` considers by default, fastest first.
DEFAULT_PROFILES = (
    RendezvousProfile(
        "2-orbit",
        3 * 3600 + 24 * 60,
        6.0,
        "3 h 24 min liftoff to docking (Progress MS-07 plan, spaceflight101); band width 6 deg "
        "(Rossiyskaya Gazeta 2024)",
    ),
    RendezvousProfile(
        "4-orbit", 6 * 3600.0, 22.0, "~6 h (reference_facts.md); band width 22 deg (Rossiyskaya Gazeta 2024)"
    ),
    RendezvousProfile(
        "2-day",
        50 * 3600 + 34 * 60,
        150.0,
        "50 h 34 min, 34 orbits (Rossiyskaya Gazeta 2024); band width 150 deg (same)",
    ),
)


def plane_change_dv_m_s(angle_deg: ArrayLike, speed_m_s: ArrayLike) -> np.ndarray:
    """Delta-v (m/s) of a single impulsive plane change by ``angle_deg`` at ``speed_m_s``."""
    angle, speed = broadcast(
        error=SimError,
        angle_deg=as_float(angle_deg, "angle_deg", "deg", finite=False, error=SimError),
        speed_m_s=as_float(speed_m_s, "speed_m_s", "m/s", finite=False, error=SimError),
    )
    return 2.0 * speed * np.sin(np.radians(angle) / 2.0)


# ============================================================== results

_ROW_FIELDS = (
    "site",
    "target",
    "in_plane_utc",
    "liftoff_utc",
    "direction",
    "in_plane",
    "azimuth_deg",
    "azimuth_inertial_deg",
    "azimuth_allowed",
    "inclination_allowed",
    "phase_deg",
    "profiles",
    "profile_liftoff_utc",
    "plane_change_deg",
    "plane_change_dv_m_s",
    "payload_penalty_kg",
    "ground_speed_to_gain_m_s",
    "window",
)


@dataclass(frozen=True)
class LaunchWindow:
    """One launch opportunity (see :func:`windows` for the meaning of each field)."""

    site: str
    target: str
    in_plane_utc: object  # astropy Time (scalar)
    liftoff_utc: object
    direction: str
    in_plane: bool
    azimuth_deg: float
    azimuth_inertial_deg: float
    azimuth_allowed: bool
    inclination_allowed: bool
    phase_deg: float
    profiles: tuple
    profile_liftoff_utc: dict
    plane_change_deg: float
    plane_change_dv_m_s: float
    payload_penalty_kg: float
    ground_speed_to_gain_m_s: float
    window: str
    liftoff_earliest_utc: object
    liftoff_latest_utc: object
    profile_liftoff_window_utc: dict

    def to_dict(self) -> dict:
        """JSON/CSV-friendly dict: times as ISO 8601 UTC strings ending in 'Z' (as :meth:`WindowTable.to_rows`)."""
        d = {k: getattr(self, k) for k in _ROW_FIELDS}
        d["in_plane_utc"] = _iso(self.in_plane_utc)
        d["liftoff_utc"] = _iso(self.liftoff_utc)
        d["liftoff_window_utc"] = [_iso(self.liftoff_earliest_utc), _iso(self.liftoff_latest_utc)]
        d["profile_liftoff_window_utc"] = {
            k: [_iso(e), _iso(la)] for k, (e, la) in self.profile_liftoff_window_utc.items()
        }
        d["profile_liftoff_utc"] = {k: _iso(v) for k, v in self.profile_liftoff_utc.items()}
        d["profiles"] = list(self.profiles)
        for k in ("azimuth_deg", "azimuth_inertial_deg", "phase_deg", "plane_change_deg"):
            d[k] = round(float(d[k]), 4)
        for k in ("plane_change_dv_m_s", "payload_penalty_kg", "ground_speed_to_gain_m_s"):
            d[k] = round(float(d[k]), 2)
        for k in ("in_plane", "azimuth_allowed", "inclination_allowed"):
            d[k] = bool(d[k])
        return d


def _iso(t) -> str:
    from .timeutil import offline_iers

    with offline_iers():
        return t.utc.isot + "Z"


@dataclass(frozen=True)
class WindowTable:
    """Launch opportunities as columns (numpy arrays / astropy Time), one entry per window.

    Iterate for :class:`LaunchWindow` rows; :meth:`to_rows` gives JSON/CSV-friendly dicts;
    :meth:`to_csv` writes a CSV file; :func:`windows_per_day` counts them per UTC day.
    """

    site: LaunchSite
    target_name: str
    inclination_deg: float
    start: object
    stop: object
    in_plane_utc: object  # astropy Time, shape (n,)
    liftoff_utc: object
    direction: np.ndarray  # str
    in_plane: np.ndarray
    azimuth_deg: np.ndarray
    azimuth_inertial_deg: np.ndarray
    azimuth_allowed: np.ndarray
    inclination_allowed: np.ndarray
    phase_deg: np.ndarray
    profile_names: tuple
    profile_ok: np.ndarray  # (n, n_profiles) bool
    profile_liftoff_utc: tuple  # one astropy Time (n,) per profile
    plane_change_deg: np.ndarray
    plane_change_dv_m_s: np.ndarray
    payload_penalty_kg: np.ndarray
    ground_speed_to_gain_m_s: np.ndarray
    window: np.ndarray  # str: "in-plane" or "dog-leg"
    liftoff_earliest_utc: object  # astropy Time (n,): liftoff_utc minus the sample's spread before it
    liftoff_latest_utc: object  # astropy Time (n,): liftoff_utc plus the sample's spread after it
    profile_liftoff_window_utc: tuple  # one (earliest, latest) pair of astropy Time (n,) per profile
    options: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.direction)

    @property
    def reachable_in_plane(self) -> bool:
        """True if the site crosses the target plane at all (latitude not above the inclination)."""
        return bool(np.any(self.in_plane))

    @property
    def dog_leg(self) -> np.ndarray:
        """True where the launch cannot fly straight into the plane (``window == "dog-leg"``)."""
        return self.window == "dog-leg"

    @property
    def profiles(self) -> list[tuple[str, ...]]:
        return [tuple(p for p, ok in zip(self.profile_names, row) if ok) for row in self.profile_ok]

    def __getitem__(self, i) -> LaunchWindow:
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        i = i % n
        return LaunchWindow(
            site=self.site.key,
            target=self.target_name,
            in_plane_utc=self.in_plane_utc[i],
            liftoff_utc=self.liftoff_utc[i],
            direction=str(self.direction[i]),
            in_plane=bool(self.in_plane[i]),
            azimuth_deg=float(self.azimuth_deg[i]),
            azimuth_inertial_deg=float(self.azimuth_inertial_deg[i]),
            azimuth_allowed=bool(self.azimuth_allowed[i]),
            inclination_allowed=bool(self.inclination_allowed[i]),
            phase_deg=float(self.phase_deg[i]),
            profiles=self.profiles[i],
            profile_liftoff_utc={p: t[i] for p, t in zip(self.profile_names, self.profile_liftoff_utc)},
            plane_change_deg=float(self.plane_change_deg[i]),
            plane_change_dv_m_s=float(self.plane_change_dv_m_s[i]),
            payload_penalty_kg=float(self.payload_penalty_kg[i]),
            ground_speed_to_gain_m_s=float(self.ground_speed_to_gain_m_s[i]),
            window=str(self.window[i]),
            liftoff_earliest_utc=self.liftoff_earliest_utc[i],
            liftoff_latest_utc=self.liftoff_latest_utc[i],
            profile_liftoff_window_utc={
                p: (e[i], la[i]) for p, (e, la) in zip(self.profile_names, self.profile_liftoff_window_utc)
            },
        )

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    @property
    def rows(self) -> list[LaunchWindow]:
        return list(self)

    def to_rows(self) -> list[dict]:
        """Rows as dicts (ISO 8601 UTC strings for times), ready for ``json.dumps``."""
        from .timeutil import offline_iers

        if not len(self):
            return []
        with offline_iers():
            ip = [s + "Z" for s in self.in_plane_utc.utc.isot]
            lo = [s + "Z" for s in self.liftoff_utc.utc.isot]
            pl = [[s + "Z" for s in t.utc.isot] for t in self.profile_liftoff_utc]
            le = [s + "Z" for s in self.liftoff_earliest_utc.utc.isot]
            ll = [s + "Z" for s in self.liftoff_latest_utc.utc.isot]
            pw = [[[s + "Z" for s in t.utc.isot] for t in pair] for pair in self.profile_liftoff_window_utc]
        out = []
        profs = self.profiles
        for i in range(len(self)):
            out.append(
                {
                    "site": self.site.key,
                    "target": self.target_name,
                    "in_plane_utc": ip[i],
                    "liftoff_utc": lo[i],
                    "direction": str(self.direction[i]),
                    "in_plane": bool(self.in_plane[i]),
                    "azimuth_deg": round(float(self.azimuth_deg[i]), 4),
                    "azimuth_inertial_deg": round(float(self.azimuth_inertial_deg[i]), 4),
                    "azimuth_allowed": bool(self.azimuth_allowed[i]),
                    "inclination_allowed": bool(self.inclination_allowed[i]),
                    "phase_deg": round(float(self.phase_deg[i]), 4),
                    "profiles": list(profs[i]),
                    "profile_liftoff_utc": {p: pl[k][i] for k, p in enumerate(self.profile_names)},
                    "plane_change_deg": round(float(self.plane_change_deg[i]), 4),
                    "plane_change_dv_m_s": round(float(self.plane_change_dv_m_s[i]), 2),
                    "payload_penalty_kg": round(float(self.payload_penalty_kg[i]), 2),
                    "ground_speed_to_gain_m_s": round(float(self.ground_speed_to_gain_m_s[i]), 2),
                    "window": str(self.window[i]),
                    "liftoff_window_utc": [le[i], ll[i]],
                    "profile_liftoff_window_utc": {
                        p: [pw[k][0][i], pw[k][1][i]] for k, p in enumerate(self.profile_names)
                    },
                }
            )
        return out

    def to_csv(self, path: str | os.PathLike[str]) -> None:
        """Write the rows to a CSV file (profiles joined by '|'; profile liftoffs, liftoff interval as columns)."""
        from .outputs import write_csv  # the one CSV writer (spreadsheet formulas neutralised)

        cols = [c for c in _ROW_FIELDS if c != "profile_liftoff_utc"] + ["liftoff_earliest_utc", "liftoff_latest_utc"]
        cols += [f"liftoff_utc_{p}" for p in self.profile_names]
        out = []
        for r in self.to_rows():
            pl = r.pop("profile_liftoff_utc")
            r.pop("profile_liftoff_window_utc")
            r["liftoff_earliest_utc"], r["liftoff_latest_utc"] = r.pop("liftoff_window_utc")
            r["profiles"] = "|".join(r["profiles"])
            for p in self.profile_names:
                r[f"liftoff_utc_{p}"] = pl[p]
            out.append([r.get(c) for c in cols])
        write_csv(path, cols, out)

    def select(self, mask: ArrayLike) -> WindowTable:
        """The windows where ``mask`` (bool array) is true."""
        m = np.asarray(mask, dtype=bool)
        kw = {}
        for name in (
            "in_plane_utc",
            "liftoff_utc",
            "direction",
            "in_plane",
            "azimuth_deg",
            "azimuth_inertial_deg",
            "azimuth_allowed",
            "inclination_allowed",
            "phase_deg",
            "profile_ok",
            "plane_change_deg",
            "plane_change_dv_m_s",
            "payload_penalty_kg",
            "ground_speed_to_gain_m_s",
            "window",
            "liftoff_earliest_utc",
            "liftoff_latest_utc",
        ):
            kw[name] = getattr(self, name)[m]
        kw["profile_liftoff_utc"] = tuple(t[m] for t in self.profile_liftoff_utc)
        kw["profile_liftoff_window_utc"] = tuple((e[m], la[m]) for e, la in self.profile_liftoff_window_utc)
        return replace(self, **kw)


def windows_per_day(table: WindowTable, *, allowed_only: bool = False) -> tuple[list[_dt.date], np.ndarray]:
    """UTC dates (``datetime.date`` list) from start to stop and the number of windows on each.

    Windows are dated by ``liftoff_utc``. ``allowed_only``: count only free windows (in the
    plane, azimuth and inclination allowed by the site).
    """
    import datetime as dt

    from .timeutil import offline_iers

    with offline_iers():
        t_start = table.start.utc.to_datetime()
        t_stop = table.stop.utc.to_datetime()
    d0 = t_start.date()
    # days touched by [start, stop): a stop at 00:00 does not open a new day
    last = (t_stop - dt.timedelta(microseconds=1)).date()
    days = [d0 + dt.timedelta(days=k) for k in range((last - d0).days + 1)]
    counts = np.zeros(len(days), dtype=int)
    if len(table):
        mask = (table.azimuth_allowed & table.in_plane) if allowed_only else np.ones(len(table), bool)
        with offline_iers():
            stamps = table.liftoff_utc[mask].utc.to_datetime()
        for t in np.atleast_1d(stamps):
            k = (t.date() - d0).days
            if 0 <= k < len(days):
                counts[k] += 1
    return days, counts


# ============================================================== geometry


def _unit(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


class _Geometry:
    """Site and target-plane geometry on a time axis of seconds (TAI) since ``t0``."""

    def __init__(self, orbit, launch_site: LaunchSite, t0, span_s: float, plane: str, model: str):
        from .frames import gmst82
        from .propagation.j2 import secular_rates
        from .timeutil import offline_iers, seconds_between

        self.orbit, self.site, self.t0, self.plane, self.model = orbit, launch_site, t0, plane, model
        self.s_itrs = launch_site.itrs_m
        self.rho = float(np.linalg.norm(self.s_itrs))
        self.phi = math.atan2(self.s_itrs[2], math.hypot(self.s_itrs[0], self.s_itrs[1]))
        self.lon = math.atan2(self.s_itrs[1], self.s_itrs[0])
        self.inc = float(orbit.inc[0])
        self.a = float(orbit.a[0])
        self.ecc = float(orbit.ecc[0])
        self.raan_dot = float(secular_rates(self.a, self.ecc, self.inc)[0])
        self.dt_epoch = float(seconds_between(orbit.epoch[0], t0))  # epoch -> t0, s
        # coarse grid of psi = GMST + lon - RAAN (unwrapped), with a margin either side
        margin = 2 * _GRID_STEP_S
        n = int(math.ceil((span_s + 2 * margin) / _GRID_STEP_S)) + 1
        self.grid = -margin + np.arange(n) * _GRID_STEP_S
        with offline_iers():
            gm = gmst82(self._times(self.grid))
        self.gmst_grid = np.unwrap(gm)
        self.psi_grid = self.gmst_grid + self.lon - self.raan(self.grid)
        self.psi_rate = float((self.psi_grid[-1] - self.psi_grid[0]) / (self.grid[-1] - self.grid[0]))

    def _times(self, ts):
        from astropy.time import TimeDelta

        from .timeutil import offline_iers

        with offline_iers():
            return (self.t0.tai + TimeDelta(np.asarray(ts, float), format="sec")).utc

    def times(self, ts):
        return self._times(ts)

    def raan(self, ts):
        return float(self.orbit.raan[0]) + self.raan_dot * (self.dt_epoch + np.asarray(ts, float))

    def mean_normal(self, ts):
        om = self.raan(ts)
        si, ci = math.sin(self.inc), math.cos(self.inc)
        return np.stack([si * np.sin(om), -si * np.cos(om), np.full_like(om, ci)], axis=-1)

    def normal(self, ts):
        """Unit orbit normal in TEME, (n, 3)."""
        if self.plane == "mean" or len(np.atleast_1d(ts)) == 0:
            return self.mean_normal(np.atleast_1d(ts))
        r, v = self.orbit.propagate(self.times(ts), model=self.model, frame="TEME")
        return _unit(np.cross(r[0], v[0]))

    def site_teme(self, ts):
        """Unit site direction in TEME (GMST-1982 and polar motion), (n, 3)."""
        from .frames import teme_to_itrs_matrix

        ts = np.atleast_1d(np.asarray(ts, float))
        if not len(ts):
            return np.zeros((0, 3))
        M = teme_to_itrs_matrix(self.times(ts))
        return np.einsum("tji,j->ti", M, self.s_itrs / self.rho)

    def f(self, ts):
        """Sine of the site's angle out of the plane (the dot product site . normal), and both vectors."""
        n = self.normal(ts)
        s = self.site_teme(ts)
        return np.sum(n * s, axis=-1), n, s

    def psi_roots(self, psi_target: float, span_s: float):
        """All ts in [0, span] with psi(ts) = psi_target (mod 2 pi), from the grid (linear inside a step)."""
        p0 = np.interp(0.0, self.grid, self.psi_grid)
        p1 = np.interp(span_s, self.grid, self.psi_grid)
        k0 = math.ceil((p0 - psi_target) / (2 * math.pi))
        k1 = math.floor((p1 - psi_target) / (2 * math.pi))
        if k1 < k0:
            return np.zeros(0)
        vals = psi_target + 2 * math.pi * np.arange(k0, k1 + 1)
        return np.interp(vals, self.psi_grid, self.grid)

    def refine(self, ts, tol_s: float = 1e-3, max_iter: int = 12):
        """Quasi-Newton on f(ts) = 0 with the analytic mean-plane derivative; returns refined ts."""
        ts = np.asarray(ts, float).copy()
        if not len(ts):
            return ts
        for _ in range(max_iter):
            f, _, _ = self.f(ts)
            if not np.all(np.isfinite(f)):
                bad = self.times(ts[~np.isfinite(f)][:1])[0].isot
                raise SimError(
                    f"the target's {self.model!r} propagation failed near {bad} UTC (an element set "
                    f"propagated far from its epoch decays in SGP4); use plane='mean' or a fresher "
                    f"element set"
                )
            psi = np.interp(ts, self.grid, self.psi_grid)
            dfdt = -math.cos(self.phi) * math.sin(self.inc) * np.cos(psi) * self.psi_rate
            step = f / dfdt
            step = np.clip(step, -120.0, 120.0)
            ts -= step
            if np.max(np.abs(step)) < tol_s:
                break
        else:  # pragma: no cover - the iteration converges quadratically-to-linearly in a few steps
            raise SimError("launch window refinement did not converge")
        return ts

    def refine_bracketed(self, lo, hi, flo, fhi, tol_s: float = 1e-3, max_iter: int = 100):
        """Roots of f in the brackets [lo, hi] (f(lo), f(hi) of opposite signs), Illinois method.

        For the osculating plane: its node can be far from the mean plane's (an element set
        propagated a year from its epoch by SGP4 differs by ~17 deg of node), so Newton with
        the mean plane's derivative can cycle; a bracket always converges (the Illinois
        variant of regula falsi is superlinear and never leaves the bracket)."""
        lo, hi = np.asarray(lo, float).copy(), np.asarray(hi, float).copy()
        flo, fhi = np.asarray(flo, float).copy(), np.asarray(fhi, float).copy()
        if not len(lo):
            return lo
        x = 0.5 * (lo + hi)
        side = np.zeros(len(lo), int)
        for _ in range(max_iter):
            with np.errstate(divide="ignore", invalid="ignore"):
                xn = np.where(fhi != flo, hi - fhi * (hi - lo) / (fhi - flo), 0.5 * (lo + hi))
            xn = np.where((xn > lo) & (xn < hi), xn, 0.5 * (lo + hi))
            done = (np.abs(xn - x) < tol_s) | (hi - lo < tol_s)
            x = xn
            if np.all(done):
                return x
            f, _, _ = self.f(x)
            if not np.all(np.isfinite(f)):
                bad = self.times(x[~np.isfinite(f)][:1])[0].isot
                raise SimError(
                    f"the target's {self.model!r} propagation failed near {bad} UTC (an element set "
                    f"propagated far from its epoch decays in SGP4); use plane='mean' or a fresher "
                    f"element set"
                )
            left = np.sign(f) == np.sign(flo)  # the root is right of x: x becomes the new lo
            # Illinois: halve the stale end's value when the same end is kept twice in a row
            fhi = np.where(left & (side == 1), 0.5 * fhi, fhi)
            flo = np.where(~left & (side == -1), 0.5 * flo, flo)
            lo, flo = np.where(left, x, lo), np.where(left, f, flo)
            hi, fhi = np.where(left, hi, x), np.where(left, fhi, f)
            side = np.where(left, 1, -1)
        raise SimError("launch window refinement did not converge")  # pragma: no cover - bisection bound


def _resolve_target(target):
    from .orbits import Orbit

    if isinstance(target, str):
        from . import presets

        target = presets.get(target)
    if not isinstance(target, Orbit):
        raise ElementError(f"target must be an Orbit or a preset name, got {describe(target)}")
    if len(target) != 1:
        raise ElementError(f"target must hold exactly one orbit, got {len(target)} (index it: orbit[i])")
    return target


def windows(
    target: Orbit | str,
    site: str | LaunchSite,
    start: Any,
    stop: Any = None,
    *,
    days: float | None = None,
    lead_s: float = DEFAULT_LEAD_S,
    plane: str = "mean",
    model: str | None = None,
    ascent_s: float = DEFAULT_ASCENT_S,
    insertion_downrange_deg: float = DEFAULT_INSERTION_DOWNRANGE_DEG,
    profiles: Sequence[RendezvousProfile] = DEFAULT_PROFILES,
    launcher: LauncherModel = DEFAULT_LAUNCHER,
    insertion_perigee_km: float = INSERTION_PERIGEE_KM,
    insertion_apogee_km: float = INSERTION_APOGEE_KM,
    directions: Iterable[str] = ("ascending", "descending"),
) -> WindowTable:
    """Launch windows from ``site`` to ``target`` between ``start`` and ``stop`` (or ``start + days``).

    Parameters
    ----------
    target : Orbit (one orbit) or preset name. Element sets (TLE/OMM) keep their epoch;
        the plane is carried from it with J2 nodal regression.
    site : site key (:func:`sites`), :class:`LaunchSite`, or ``"LAT,LON"``.
    start, stop : one time each, anything :func:`sim.timeutil.to_time` accepts (ISO strings,
        datetime, astropy Time); the span is at most 2 years.
    lead_s : liftoff before the in-plane instant, s (default ``DEFAULT_LEAD_S``, 196.5, calibrated
        on 12 real launches: see the module docstring).
    plane : "mean" (default, mean elements + secular J2 node) or "osculating" (``r x v`` of
        ``model``: "sgp4" for element sets, "j2" otherwise).
    ascent_s, insertion_downrange_deg : liftoff-to-insertion time (s) and inertial arc (deg).
    profiles, launcher : rendezvous profiles and launcher model (see the classes).
    directions : which crossings to return ("ascending", "descending").

    Returns a :class:`WindowTable` sorted by time. Columns: ``in_plane_utc`` (site in the
    plane, solved to < 1 ms of the model; for ``direction="closest"`` rows the closest
    approach), ``liftoff_utc`` (= in_plane_utc - lead_s), ``direction`` ("ascending" =
    northbound, "descending" = southbound, "closest" = the plane is never reached),
    ``azimuth_deg`` (ground-relative launch azimuth, deg from north, corrected for the
    Earth's rotation), ``azimuth_inertial_deg``, ``azimuth_allowed`` (within the site's azimuth
    arc and inclination range; for "closest" rows: of the due-east/west launch), ``phase_deg``
    (station ahead of the chaser at insertion, deg),
    ``profiles`` (rendezvous profiles the phase allows), ``profile_liftoff_utc`` (liftoff
    per profile), ``plane_change_deg``/``plane_change_dv_m_s``/``payload_penalty_kg``
    (0 when the window is in-plane and allowed), ``ground_speed_to_gain_m_s`` (orbital
    speed relative to the rotating Earth at the site: what the Earth's rotation saves or costs),
    ``window`` ("in-plane", or "dog-leg" when a plane change is needed), ``liftoff_earliest_utc``/
    ``liftoff_latest_utc`` (the liftoff interval that holds the calibration sample's scatter, see
    the module docstring).
    """
    from .timeutil import seconds_between, to_time

    orbit = _resolve_target(target)
    st = _get_site(site)
    check_choice("plane", plane, ("mean", "osculating"), error=SimError)
    model = model or ("sgp4" if orbit.satrecs is not None else "j2")
    if isinstance(directions, str):
        directions = (directions,)
    if not isinstance(directions, (list, tuple)) or not directions:
        raise SimError(f"directions must be a list of 'ascending' and/or 'descending', got {describe(directions)}")
    directions = tuple(directions)
    for d in directions:
        if not isinstance(d, str) or d not in ("ascending", "descending"):
            raise SimError(f"directions must be 'ascending' and/or 'descending', got {describe(d)}")
    check_range("lead_s", lead_s, *LEAD_S_RANGE, unit="s", error=SimError, scalar=True)
    check_range("ascent_s", ascent_s, 0.0, 3600.0, unit="s", error=SimError, scalar=True)
    insertion_perigee_km = as_float(insertion_perigee_km, "insertion_perigee_km", "km", scalar=True, error=SimError)
    insertion_apogee_km = as_float(insertion_apogee_km, "insertion_apogee_km", "km", scalar=True, error=SimError)
    for name, value in (("insertion_perigee_km", insertion_perigee_km), ("insertion_apogee_km", insertion_apogee_km)):
        check_range(name, value, C.MIN_ALTITUDE_KM, 1e6, low_open=True, unit="km", error=SimError)
    t0 = to_time(start, name="start")[0]
    if stop is None and days is None:
        raise TimeInputError("give stop or days")
    if stop is not None and days is not None:
        raise TimeInputError("give stop or days, not both")
    if days is not None:
        span = as_float(days, "days", "day", finite=False, scalar=True, error=TimeInputError) * C.DAY_S
        if not np.isfinite(span):
            raise TimeInputError(f"days must be finite, got {describe(days)}")
        from astropy.time import TimeDelta

        from .timeutil import offline_iers

        with offline_iers():
            t1 = (t0.tai + TimeDelta(min(span, 1e9), format="sec")).utc
    else:
        t1 = to_time(stop, name="stop")[0]
        span = float(seconds_between(t0, t1))
    if span <= 0:
        raise TimeInputError(f"start must be before stop (start {t0.isot}, stop {t1.isot})")
    if span > C.MAX_SPAN_DAYS * C.DAY_S:
        raise TimeInputError(
            f"the span must be at most {C.MAX_SPAN_DAYS:g} days (2 years), got {span / C.DAY_S:.1f} days"
        )

    g = _Geometry(orbit, st, t0, span, plane, model)
    k = math.tan(g.phi) / math.tan(g.inc) if abs(math.cos(g.inc)) > 1e-12 else 0.0

    ts_list, dir_list, inplane_list = [], [], []
    if abs(k) <= 1.0:
        psi_asc = math.asin(k)
        if plane == "mean":
            # the mean plane's crossings from psi on the grid (analytic bracket), then refined
            guesses = [
                (name, g.psi_roots(psi_t, span))
                for name, psi_t in (("ascending", psi_asc), ("descending", math.pi - psi_asc))
            ]
        else:
            # osculating plane: sign changes of site . normal on the coarse grid, then refined
            grid = g.grid[(g.grid >= -_GRID_STEP_S) & (g.grid <= span + _GRID_STEP_S)]
            fg, ng, sg = g.f(grid)
            if not np.all(np.isfinite(fg)):
                raise SimError(
                    f"the target's {model!r} propagation failed in the span (an element set "
                    f"propagated far from its epoch decays in SGP4); use plane='mean'"
                )
            i = np.nonzero(np.sign(fg[:-1]) != np.sign(fg[1:]))[0]
            north = np.cross(ng[i], sg[i])[:, 2] > 0
            brackets = (grid[i], grid[i + 1], fg[i], fg[i + 1])
            guesses = [
                ("ascending", tuple(b[north] for b in brackets)),
                ("descending", tuple(b[~north] for b in brackets)),
            ]
        for name, guess in guesses:
            if name not in directions:
                continue
            ts = g.refine(guess) if plane == "mean" else g.refine_bracketed(*guess)
            keep = (ts >= 0.0) & (ts <= span)
            ts_list.append(ts[keep])
            dir_list.append(np.full(int(keep.sum()), name, dtype=object))
            inplane_list.append(np.ones(int(keep.sum()), bool))
    else:  # closest approach: sin(psi) = sign(k)
        ts = g.psi_roots(math.copysign(math.pi / 2, k), span)
        ts_list.append(ts)
        dir_list.append(np.full(len(ts), "closest", dtype=object))
        inplane_list.append(np.zeros(len(ts), bool))
    ts = np.concatenate(ts_list) if ts_list else np.zeros(0)
    direction = np.concatenate(dir_list) if dir_list else np.zeros(0, dtype=object)
    in_plane = np.concatenate(inplane_list) if inplane_list else np.zeros(0, bool)
    order = np.argsort(ts, kind="stable")
    ts, direction, in_plane = ts[order], direction[order], in_plane[order]

    return _evaluate(
        g,
        orbit,
        st,
        t0,
        t1,
        ts,
        direction,
        in_plane,
        lead_s=lead_s,
        ascent_s=ascent_s,
        downrange_deg=insertion_downrange_deg,
        profiles=tuple(profiles),
        launcher=launcher,
        ins_a=C.R_EARTH + 0.5 * (insertion_perigee_km + insertion_apogee_km) * 1e3,
        options=dict(
            lead_s=lead_s, plane=plane, model=model, ascent_s=ascent_s, insertion_downrange_deg=insertion_downrange_deg
        ),
    )


def _evaluate(
    g: _Geometry,
    orbit,
    st: LaunchSite,
    t0,
    t1,
    ts,
    direction,
    in_plane,
    *,
    lead_s,
    ascent_s,
    downrange_deg,
    profiles,
    launcher,
    ins_a,
    options,
) -> WindowTable:
    n_win = len(ts)
    f, nrm, s = g.f(ts) if n_win else (np.zeros(0), np.zeros((0, 3)), np.zeros((0, 3)))
    z = np.array([0.0, 0.0, 1.0])
    east = _unit(np.cross(z, s)) if n_win else np.zeros((0, 3))
    north = np.cross(s, east)
    speed = math.sqrt(C.MU_EARTH / g.a)  # circular speed at the mean semi-major axis
    v_e = C.OMEGA_EARTH * g.rho * math.cos(g.phi)  # pad's eastward speed
    # in-plane heading: projection of (n x s) on the horizontal; for closest rows: due east/west
    u = np.cross(nrm, s)
    closest = ~in_plane
    if np.any(closest):
        sign = 1.0 if math.cos(g.inc) >= 0 else -1.0
        u[closest] = sign * east[closest]
    u = _unit(u - np.sum(u * s, axis=-1, keepdims=True) * s) if n_win else u
    ue, un = np.sum(u * east, -1), np.sum(u * north, -1)
    az_i = np.degrees(np.arctan2(ue, un)) % 360.0
    az_g = np.degrees(np.arctan2(speed * ue - v_e, speed * un)) % 360.0
    ground_speed = np.hypot(speed * ue - v_e, speed * un)

    inc_deg = math.degrees(g.inc)
    az_ok = st.azimuth_allowed(az_g)
    inc_ok = np.broadcast_to(st.inclination_allowed(inc_deg), az_g.shape).copy()
    allowed = az_ok & inc_ok

    # plane change needed
    dplane = np.zeros(n_win)
    if np.any(closest):
        n_best = _unit(np.cross(s[closest], u[closest]))
        dplane[closest] = np.degrees(np.arccos(np.clip(np.sum(n_best * nrm[closest], -1), -1, 1)))
    bad_az = in_plane & ~az_ok
    if np.any(bad_az):
        lo, hi = st.azimuth_min_deg, st.azimuth_max_deg
        d_lo = np.abs((az_g[bad_az] - lo + 180.0) % 360.0 - 180.0)
        d_hi = np.abs((az_g[bad_az] - hi + 180.0) % 360.0 - 180.0)
        az_b = np.radians(np.where(d_lo <= d_hi, lo, hi))
        # inertial velocity of a launch along ground azimuth az_b reaching circular speed
        v_rel = -v_e * np.sin(az_b) + np.sqrt(speed**2 - (v_e * np.cos(az_b)) ** 2)
        vel = (v_rel * np.sin(az_b) + v_e)[:, None] * east[bad_az] + (v_rel * np.cos(az_b))[:, None] * north[bad_az]
        n_b = _unit(np.cross(s[bad_az], vel))
        dplane[bad_az] = np.degrees(np.arccos(np.clip(np.sum(n_b * nrm[bad_az], -1), -1, 1)))
    bad_inc = in_plane & az_ok & ~inc_ok
    if np.any(bad_inc):
        lo = st.inclination_min_deg if st.inclination_min_deg is not None else 0.0
        hi = st.inclination_max_deg if st.inclination_max_deg is not None else 180.0
        dplane[bad_inc] = max(lo - inc_deg, inc_deg - hi, 0.0)
    dv = plane_change_dv_m_s(dplane, speed)
    penalty = launcher.payload_penalty_kg(dv)

    # phase at insertion, for the base liftoff and for each profile's liftoff
    lift_ts = ts - lead_s
    phase = _phase_deg(g, lift_ts, ascent_s, downrange_deg)
    profile_ok = np.zeros((n_win, len(profiles)), bool)
    profile_times, profile_windows = [], []
    before, after = liftoff_interval_s()
    for j, prof in enumerate(profiles):
        shift = float(prof.liftoff_shift_s(g.a, g.ecc, g.inc, ins_a, g.psi_rate, ascent_s))
        ts_p = lift_ts + shift
        ph_p = phase if shift == 0.0 else _phase_deg(g, ts_p, ascent_s, downrange_deg)
        centre = float(prof.centre_deg(g.a, ins_a, ascent_s))
        dist = np.abs((ph_p - centre + 180.0) % 360.0 - 180.0)
        profile_ok[:, j] = dist <= prof.width_deg / 2.0
        profile_times.append(g.times(ts_p))
        profile_windows.append((g.times(ts_p - before), g.times(ts_p + after)))

    return WindowTable(
        site=st,
        target_name=orbit.names[0],
        inclination_deg=inc_deg,
        start=t0,
        stop=t1,
        in_plane_utc=g.times(ts),
        liftoff_utc=g.times(lift_ts),
        direction=direction.astype(str),
        in_plane=in_plane,
        azimuth_deg=az_g,
        azimuth_inertial_deg=az_i,
        azimuth_allowed=allowed,
        inclination_allowed=inc_ok,
        phase_deg=phase,
        profile_names=tuple(p.name for p in profiles),
        profile_ok=profile_ok,
        profile_liftoff_utc=tuple(profile_times),
        plane_change_deg=dplane,
        plane_change_dv_m_s=dv,
        payload_penalty_kg=penalty,
        ground_speed_to_gain_m_s=ground_speed,
        window=np.where(in_plane & allowed, "in-plane", "dog-leg").astype(str),
        liftoff_earliest_utc=g.times(lift_ts - before),
        liftoff_latest_utc=g.times(lift_ts + after),
        profile_liftoff_window_utc=tuple(profile_windows),
        options=options,
    )


def _phase_deg(g: _Geometry, lift_ts, ascent_s: float, downrange_deg: float) -> np.ndarray:
    """Station ahead of the insertion point at insertion (deg, [0, 360)) for liftoffs at ``lift_ts``."""
    lift_ts = np.asarray(lift_ts, float)
    if not len(lift_ts):
        return np.zeros(0)
    n = g.mean_normal(lift_ts)
    s = g.site_teme(lift_ts)
    p = _unit(s - np.sum(s * n, -1, keepdims=True) * n)  # pad projected on the plane
    q = np.cross(n, p)  # 90 deg ahead along the motion
    d = math.radians(downrange_deg)
    ins = math.cos(d) * p + math.sin(d) * q
    r, _ = g.orbit.propagate(g.times(lift_ts + ascent_s), model=g.model, frame="TEME")
    r = _unit(r[0])
    ang = np.arctan2(np.sum(np.cross(ins, r) * n, -1), np.sum(ins * r, -1))
    return np.degrees(ang) % 360.0


# ---------------------------------------------------------------- opportunity rate (closed form)

#: The Russian crewed/cargo pads scored by default (sweeps; keys of :func:`sites`).
DEFAULT_SITES = ("baikonur_31", "vostochny_1s", "plesetsk_43")


def opportunities_per_day(orbit: Orbit, sites: Sequence[str] = DEFAULT_SITES) -> np.ndarray:
    """In-plane launch opportunities per day from each site, ``(n_orbits, n_sites)``.

    Closed form of :func:`windows` for circular mean orbits (for a trade sweep, where
    listing every window of thousands of candidates is not needed): a site at geocentric
    latitude ``phi`` reaches the plane twice per revolution of the Earth relative to the
    precessing plane (period ``2 pi / (omega_E - dRAAN/dt)``) when
    ``|tan(phi) / tan(i)| <= 1``. The inertial azimuth of the in-plane heading is
    ``sin(Az_i) = cos(i) / cos(phi)`` (northbound; southbound ``180 - Az_i``); the
    ground-relative azimuth removes the pad's eastward speed ``omega_E rho cos(phi)`` from
    the circular speed (as ``windows`` does). An opportunity counts when that azimuth lies
    on the site's allowed arc and the inclination in its allowed range
    (``sim/data/launch_site_limits.csv``). ``tests/test_sweep.py`` checks the rate against
    the windows :func:`windows` lists over 20 days.
    """
    from .orbits import check_orbit
    from .propagation.j2 import secular_rates

    check_orbit(orbit)
    if isinstance(sites, str):
        sites = (sites,)
    if not isinstance(sites, (list, tuple)) or not sites:
        raise SiteError(f"sites must be a list of launch-site names, got {describe(sites)}")
    inc = np.asarray(orbit.inc, float)
    raan_dot, _, _ = secular_rates(orbit.a, orbit.ecc, inc)
    per_day = (C.OMEGA_EARTH - raan_dot) * C.DAY_S / (2.0 * np.pi)  # plane crossings per day per direction
    speed = np.sqrt(C.MU_EARTH / np.asarray(orbit.a, float))
    out = np.zeros((len(inc), len(sites)))
    for j, key in enumerate(sites):  # loop over sites only
        st = site(key)
        r = np.asarray(st.itrs_m, float).reshape(3)
        rho = float(np.linalg.norm(r))
        phi = math.atan2(r[2], math.hypot(r[0], r[1]))
        v_e = C.OMEGA_EARTH * rho * math.cos(phi)
        with np.errstate(divide="ignore", invalid="ignore"):
            k = math.tan(phi) / np.tan(inc)
        reach = np.abs(k) <= 1.0
        s = np.clip(np.cos(inc) / math.cos(phi), -1.0, 1.0)
        az_i = np.arcsin(s)  # northbound, cos(az) >= 0
        n_ok = np.zeros(len(inc))
        for az in (az_i, np.pi - az_i):
            az_g = np.degrees(np.arctan2(speed * np.sin(az) - v_e, speed * np.cos(az))) % 360.0
            n_ok += st.azimuth_allowed(az_g) & st.inclination_allowed(np.degrees(inc)) & reach
        out[:, j] = n_ok * per_day
    return out


# ---------------------------------------------------------------- liftoff-lead calibration

#: The calibration sample: real Soyuz/Progress launches from Baikonur to the ISS (liftoff to the
#: second, its source, the profile flown and the ISS element set used), with the model's values.
LIFTOFF_SAMPLE_FILE = "liftoff_sample.csv"
#: Real ISS element sets used by the sample beyond ``iss_tle_validated.txt`` and the OMM records.
LAUNCH_SAMPLE_TLE_FILE = "iss_tle_launch_sample.txt"


@dataclass(frozen=True)
class LeadCalibration:
    """The liftoff lead measured on real launches (:func:`lead_calibration`), one entry per launch.

    ``offset_s`` = in-plane instant minus the real liftoff (s); ``profile_shift_s`` = the model's
    liftoff delay for the profile flown (:meth:`RendezvousProfile.liftoff_shift_s`); ``lead_s`` =
    ``offset_s + profile_shift_s``, the same-day lead each launch implies (what ``lead_s`` of
    :func:`windows` means). ``element_age_days`` = liftoff minus the element set's epoch.
    """

    plane: str
    missions: tuple[str, ...]
    profiles: tuple[str, ...]
    sites: tuple[str, ...]
    element_sets: tuple[str, ...]
    liftoff_utc: object  # astropy Time (n,)
    in_plane_utc: object  # astropy Time (n,)
    element_age_days: np.ndarray
    offset_s: np.ndarray
    profile_shift_s: np.ndarray
    lead_s: np.ndarray

    def stats(self, mask: ArrayLike | None = None) -> dict[str, float]:
        """n, mean, std (sample, ddof=1), median, min and max of ``lead_s`` (s), over ``mask`` if given."""
        x = self.lead_s if mask is None else self.lead_s[np.asarray(mask, dtype=bool)]
        return {
            "n": int(len(x)),
            "mean_s": float(np.mean(x)),
            "std_s": float(np.std(x, ddof=1)) if len(x) > 1 else 0.0,
            "median_s": float(np.median(x)),
            "min_s": float(np.min(x)),
            "max_s": float(np.max(x)),
        }


def liftoff_sample() -> list[dict[str, str]]:
    """The rows of ``sim/data/liftoff_sample.csv`` (strings, as written; see reference_facts.md)."""
    with (resources.files("sim") / "data" / LIFTOFF_SAMPLE_FILE).open(newline="", encoding="utf-8") as fh:
        return [dict(row) for row in csv.DictReader(fh)]


def _sample_element_set(key: str) -> Orbit:
    """The ISS element set named ``"tle <epoch field>"`` or ``"omm <EPOCH>"`` from sim's data files."""
    from . import presets
    from .orbits import Orbit

    kind, _, ident = key.partition(" ")
    if kind == "omm":
        for rec in presets.iss_omm_records():
            if rec["EPOCH"] == ident:
                return Orbit.from_omm(rec).with_names(["ISS"])
    elif kind == "tle":
        pairs = [(l1, l2) for _, l1, l2 in presets.iss_element_sets()]
        lines = (resources.files("sim") / "data" / LAUNCH_SAMPLE_TLE_FILE).read_text(encoding="utf-8").splitlines()
        pairs += [
            (a.rstrip(), b.rstrip()) for a, b in zip(lines, lines[1:]) if a.startswith("1 ") and b.startswith("2 ")
        ]
        for l1, l2 in pairs:
            if l1[18:32].strip() == ident:
                return Orbit.from_tle(l1, l2, name="ISS")
    raise ElementError(f"element set {key!r} is not among sim's shipped ISS element sets")


def lead_calibration(plane: str = "mean", rows: Sequence[dict[str, str]] | None = None) -> LeadCalibration:
    """Recompute the liftoff lead of each launch of the sample from its ISS element set.

    For each row (default :func:`liftoff_sample`): the ascending in-plane instant nearest the
    real liftoff from the row's site and element set (``plane`` as in :func:`windows`), the
    offset of the liftoff from it and the lead it implies for a same-day profile. The default
    ``DEFAULT_LEAD_S`` is the median of ``lead_s`` on the mean plane, ``LEAD_SAMPLE_RANGE_S``
    its range.
    """
    from astropy.time import Time, TimeDelta

    from .timeutil import offline_iers, seconds_between, to_time

    check_choice("plane", plane, ("mean", "osculating"), error=SimError)
    rows = liftoff_sample() if rows is None else list(rows)
    lift = to_time([r["liftoff_utc"] for r in rows], name="liftoff_utc")
    in_plane, ages, offsets, shifts = [], [], [], []
    for r, t in zip(rows, lift):
        orbit = _sample_element_set(r["element_set"])
        with offline_iers():
            start = (t.tai - TimeDelta(3 * 3600.0, format="sec")).utc.isot
        tab = windows(orbit, r["site"], start, days=0.25, lead_s=0.0, plane=plane, directions=("ascending",))
        dt_s = np.asarray(seconds_between(t, tab.in_plane_utc), float)
        if not len(dt_s):  # pragma: no cover - a crossing every ~23.6 h: a 6 h span around liftoff holds one
            raise SimError(f"no ascending window within 3 h of {r['mission']}'s liftoff")
        k = int(np.argmin(np.abs(dt_s)))
        j = tab.profile_names.index(r["profile"])
        in_plane.append(tab.in_plane_utc[k])
        offsets.append(dt_s[k])
        shifts.append(float(seconds_between(tab.liftoff_utc[k], tab.profile_liftoff_utc[j][k])))
        ages.append(float(seconds_between(orbit.epoch[0], t)) / C.DAY_S)
    offsets, shifts = np.array(offsets), np.array(shifts)
    return LeadCalibration(
        plane=plane,
        missions=tuple(r["mission"] for r in rows),
        profiles=tuple(r["profile"] for r in rows),
        sites=tuple(r["site"] for r in rows),
        element_sets=tuple(r["element_set"] for r in rows),
        liftoff_utc=lift,
        in_plane_utc=Time(in_plane) if in_plane else lift,
        element_age_days=np.array(ages),
        offset_s=offsets,
        profile_shift_s=shifts,
        lead_s=offsets + shifts,
    )
