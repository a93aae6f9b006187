"""Ground coverage, revisit and ground-station passes: what each orbit sees of a region.

Definitions (stated once, used everywhere)
------------------------------------------
* **Footprint**: the spherical cap around the sub-satellite point within which a ground
  point "sees" the station (or the station's sensor sees the point). Its radius is the
  Earth central angle ``lambda`` (:class:`Footprint`). Geometry is on a **spherical Earth**
  of the IUGG mean radius R1 = 6371.0088 km (``sim.constants.R_MEAN``), with the
  satellite at its WGS84 geodetic height and ground points placed at their geodetic
  latitude/longitude. Against the exact ellipsoidal elevation this moves a footprint edge
  by up to ~0.1 deg of central angle (~10 km; measured in ``tests/test_coverage.py``),
  far below a footprint radius of 500-1400 km.
* **Seen**: a grid point is seen at a time step when its angular distance from the
  sub-satellite point is at most ``lambda`` (unit-vector dot product >= cos lambda).
  Time is sampled every ``step_s`` (default 30 s: the sub-point moves ~210 km), refined
  automatically for narrow footprints so that consecutive sub-points are at most half a
  footprint radius apart (:func:`refined_step_s`; ``CoverageResult.step_s`` is the step used).
* **Region coverage**: area-weighted share of an equal-area grid (``cell_km``, default
  25 km; :meth:`sim.regions.Region.grid`) seen at least once.
* **Revisit** (the STK coverage figures of merit): per grid point, an *access* is a run of
  consecutive seen samples; each sample stands for ``step_s`` of time. *Gap* = time
  between two accesses. ``mean_gap_s`` is the mean of the gaps between consecutive
  accesses (STK "revisit time, average", end gaps excluded); ``max_gap_s`` is the
  longest time without access including the open gaps at the start and end of the
  analysis (STK "revisit time, maximum" with end gaps); ``time_covered`` is the share of
  time seen (STK "percent time covered").
* **Revolutions over a region**: a revolution runs from one ascending equator crossing of
  the sub-satellite point to the next; only complete revolutions count. It is "over" the
  region when the sub-point enters the region (``footprint=None``) or, with a footprint,
  when a grid point of the region falls inside the footprint.
* **Passes**: a station's elevation (geometric, WGS84 geodetic normal, no refraction) rises
  above and sets below a mask; rise, set and culmination solved on a cubic Hermite
  interpolation of positions and velocities sampled every ~60 s (:func:`pass_step_s`), with
  every maximum of elevation found from the sign of its rate so that passes shorter than the
  step are not missed (tested on passes peaking 0.05 deg above the mask against a 1 s scan:
  times within 0.01 s; against Skyfield's ``find_events``: < 0.25 s).

Everything is batched over the orbits of an :class:`~sim.orbits.Orbit`; the grid/time
loops run in one compiled (numba) kernel, parallel over orbits.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike

from .constants import DAY_S, R_MEAN
from .errors import SimError, as_float, check_range, describe
from .kernels.access import access_stats

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    from pathlib import Path

    from .orbits import Orbit
    from .regions import Region

__all__ = [
    "Footprint",
    "FootprintError",
    "CoverageResult",
    "Station",
    "Pass",
    "PassList",
    "coverage",
    "region_coverage",
    "revisit_statistics",
    "point_revisit",
    "city_revisit",
    "revolutions_over",
    "time_over_region",
    "passes",
    "pass_step_s",
    "PASS_INTERPOLATION_TOLERANCE_M",
    "contact_minutes_per_day",
    "ground_stations",
    "R_SPHERE_KM",
]

#: Radius of the spherical Earth used for footprint geometry, km (IUGG mean radius R1).
R_SPHERE_KM = R_MEAN / 1e3


class FootprintError(SimError, ValueError):
    """A footprint that cannot exist (mask outside 0-90 deg, sensor or swath beyond the horizon)."""


# ------------------------------------------------------------------ footprints


@dataclass(frozen=True)
class Footprint:
    """The area a station sees, by exactly one of three definitions.

    ``min_elevation_deg``
        Ground points from which the station is at least this high above the horizon
        (visibility / radio contact): ``lambda = arccos(R cos(eps) / (R + h)) - eps``.
    ``half_angle_deg``
        A nadir-pointing sensor's half cone angle ``eta``:
        ``lambda = arcsin((R + h) sin(eta) / R) - eta``; must not reach past the horizon.
    ``swath_km``
        A swath of this total width across the ground track: ``lambda = swath / (2 R)``
        (constant), at most the horizon's central angle ``arccos(R / (R + h))``.

    (Wertz & Larson, *Space Mission Analysis and Design*, 3rd ed., sec. 5.2, eqs. 5-17..5-26.)
    """

    min_elevation_deg: float | None = None
    half_angle_deg: float | None = None
    swath_km: float | None = None

    #: Allowed values of each definition, (low, high, low_open, high_open, unit); the scenario
    #: schema checks its ``footprint`` table with these too (:meth:`check_field`).
    LIMITS: ClassVar[dict[str, tuple]] = {
        "min_elevation_deg": (0.0, 90.0, False, True, "deg"),
        "half_angle_deg": (0.0, 90.0, True, True, "deg"),
        "swath_km": (0.0, float(np.pi * R_SPHERE_KM), True, False, "km"),
    }

    def __post_init__(self):
        given = [k for k in self.LIMITS if getattr(self, k) is not None]
        if len(given) != 1:
            raise FootprintError(
                "give exactly one of min_elevation_deg, half_angle_deg, swath_km; "
                f"got {', '.join(given) if given else 'none'}"
            )
        self.check_field(given[0], getattr(self, given[0]))

    @classmethod
    def check_field(cls, name: str, value: float) -> None:
        """Raise :class:`FootprintError` naming ``name`` unless ``value`` is allowed for that definition."""
        if name not in cls.LIMITS:
            raise FootprintError(
                f"unknown footprint definition {describe(name)}; choose one of: {', '.join(cls.LIMITS)}"
            )
        low, high, low_open, high_open, unit = cls.LIMITS[name]
        check_range(name, value, low, high, unit=unit, low_open=low_open, high_open=high_open, error=FootprintError)

    def describe(self) -> str:
        """The footprint in words (report notes)."""
        if self.min_elevation_deg is not None:
            return f"ground observer sees the station above {self.min_elevation_deg:g} deg elevation"
        if self.half_angle_deg is not None:
            return f"nadir sensor with half-angle {self.half_angle_deg:g} deg"
        return f"swath {self.swath_km:g} km wide centred on the ground track"

    def central_angle_rad(self, altitude_km: ArrayLike) -> np.ndarray:
        """Earth central angle ``lambda`` (rad) of the footprint's edge, for altitudes in km (any shape)."""
        h = np.asarray(altitude_km, float)
        if np.any(~np.isfinite(h)) or np.any(h <= 0):
            raise FootprintError(f"altitude_km must be > 0 km, got min {np.nanmin(h):g}")
        rho = R_SPHERE_KM / (R_SPHERE_KM + h)  # sin of the Earth's angular radius seen from orbit
        horizon = np.arccos(rho)
        if self.min_elevation_deg is not None:
            eps = np.radians(self.min_elevation_deg)
            return np.arccos(rho * np.cos(eps)) - eps
        if self.half_angle_deg is not None:
            eta = np.radians(self.half_angle_deg)
            s = np.sin(eta) / rho
            if np.any(s >= 1.0):
                max_eta = np.degrees(np.arcsin(rho)).min()
                raise FootprintError(
                    f"half_angle_deg {self.half_angle_deg:g} deg looks past the horizon at "
                    f"{h.min():g} km; it must be < {max_eta:.2f} deg"
                )
            return np.arcsin(s) - eta
        lam = np.full(h.shape, self.swath_km / (2.0 * R_SPHERE_KM))
        if np.any(lam > horizon):
            raise FootprintError(
                f"swath_km {self.swath_km:g} km is wider than the horizon at {h.min():g} km; "
                f"it must be <= {2 * R_SPHERE_KM * horizon.min():.0f} km"
            )
        return lam

    def radius_km(self, altitude_km: ArrayLike) -> np.ndarray:
        """Ground radius of the footprint (km, along the sphere)."""
        return R_SPHERE_KM * self.central_angle_rad(altitude_km)

    def __str__(self) -> str:
        if self.min_elevation_deg is not None:
            return f"min elevation {self.min_elevation_deg:g} deg"
        if self.half_angle_deg is not None:
            return f"sensor half-angle {self.half_angle_deg:g} deg"
        return f"swath {self.swath_km:g} km"


def _footprint(fp) -> Footprint:
    if isinstance(fp, Footprint):
        return fp
    if isinstance(fp, dict):
        return Footprint(**fp)
    if isinstance(fp, (int, float)):
        return Footprint(min_elevation_deg=float(fp))
    raise FootprintError(f"footprint must be a Footprint, a dict or a minimum elevation in deg, got {describe(fp)}")


def _unit(lat_deg, lon_deg):
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    cl = np.cos(lat)
    return np.stack([cl * np.cos(lon), cl * np.sin(lon), np.sin(lat)], axis=-1)


def _track(orbit, start, days, step_s, model):
    """Times, sub-point unit vectors (n, T, 3), latitudes (rad) and altitudes (km)."""
    from .groundtrack import ground_track
    from .timeutil import time_range

    check_range("days", days, 0.0, 3660.0, unit="days", low_open=True, error=SimError, scalar=True)
    check_range("step_s", step_s, 0.0, 86400.0, unit="s", low_open=True, error=SimError, scalar=True)
    times = time_range(start, days=days, step_s=step_s)
    lat, lon, alt = ground_track(orbit, times, model=model)
    return times, _unit(lat, lon), np.radians(lat), alt


# ------------------------------------------------------------------ coverage / revisit


@dataclass(frozen=True, eq=False)
class CoverageResult:
    """Per-orbit, per-point access statistics over a region's grid (or a list of points).

    Arrays are shaped (n_orbits, n_points); times in seconds from ``start``. See the module
    docstring for the definitions of access, gap and time covered.
    """

    names: tuple
    region: str
    footprint: Footprint
    start: object
    step_s: float
    duration_s: float
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    area_km2: np.ndarray
    first_seen_s: np.ndarray
    n_access: np.ndarray
    time_covered: np.ndarray
    max_gap_s: np.ndarray
    mean_gap_s: np.ndarray
    point_names: tuple = ()

    def share_seen_within(self, days: float) -> np.ndarray:
        """Area-weighted share (0..1) of the points seen at least once within ``days`` of the start."""
        seen = np.isfinite(self.first_seen_s) & (self.first_seen_s <= days * DAY_S + 1e-6)
        return (seen * self.area_km2).sum(axis=1) / self.area_km2.sum()

    @property
    def share_seen(self) -> np.ndarray:
        """Area-weighted share seen at least once over the whole analysis, (n_orbits,)."""
        return self.share_seen_within(self.duration_s / DAY_S)

    def _wmean(self, x, where=None):
        w = np.broadcast_to(self.area_km2, x.shape)
        ok = np.isfinite(x) if where is None else np.isfinite(x) & where
        wsum = (ok * w).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(wsum > 0, (np.where(ok, x, 0.0) * w).sum(axis=1) / wsum, np.nan)

    def summary(self) -> dict[str, np.ndarray]:
        """Area-weighted figures of merit per orbit (each (n_orbits,)).

        Revisit statistics describe the points an orbit sees; the points it never sees are
        their own share (``never_seen``), so a gap is never "the whole span" standing in for
        "never seen":

        ``share_seen`` and ``never_seen`` (0..1, adding up to 1 to round-off); ``time_covered`` (area-weighted
        mean share of time seen, over all points: a point never seen counts 0); ``mean_gap_h``
        (area-weighted mean, over points seen at least twice, of their mean gap between accesses);
        ``mean_max_gap_h`` (area-weighted mean, over points seen at least once, of each point's
        longest gap, gaps at the start and end of the span included); ``worst_gap_h`` (the longest
        such gap at any point seen); ``accesses_per_day`` (over all points). Statistics over no
        point are NaN.
        """
        days = self.duration_s / DAY_S
        seen = np.isfinite(self.first_seen_s)
        with np.errstate(invalid="ignore"):
            worst = np.where(seen.any(axis=1), np.where(seen, self.max_gap_s, -np.inf).max(axis=1), np.nan)
        share = self.share_seen
        return {
            "share_seen": share,
            "never_seen": ((~seen) * self.area_km2).sum(axis=1) / self.area_km2.sum(),
            "time_covered": self._wmean(self.time_covered),
            "mean_gap_h": self._wmean(self.mean_gap_s) / 3600.0,
            "mean_max_gap_h": self._wmean(self.max_gap_s, seen) / 3600.0,
            "worst_gap_h": worst / 3600.0,
            "accesses_per_day": self._wmean(self.n_access.astype(float)) / days,
        }


def refined_step_s(orbit: Orbit, footprint: Footprint | dict[str, float] | float, step_s: float) -> float:
    """The time step coverage actually samples: ``step_s``, divided until consecutive
    sub-satellite points are at most half the smallest footprint radius apart.

    A point is "seen" only at sampled instants, so with a narrow footprint (a 100 km
    swath: radius 50 km) and a coarse step (30 s: ~230 km along track) most of the strip
    the sensor sweeps would be missed. At half a radius spacing every point within
    sqrt(1 - 1/16) = 97 % of the half-width is caught on every pass. Wide footprints
    (10 deg elevation: radius ~1,340 km) keep the step asked for.
    """
    from .constants import MU_EARTH, R_EARTH
    from .orbits import check_orbit

    check_orbit(orbit)
    fp = _footprint(footprint)
    a_min = float(np.min(orbit.a * (1.0 - orbit.ecc)))
    v_ground_km_s = np.sqrt(MU_EARTH / a_min) * R_EARTH / a_min / 1e3  # fastest sub-point speed
    rho_km = float(np.min(fp.radius_km(np.asarray(orbit.perigee_altitude_km))))
    k = max(1, int(np.ceil(step_s * v_ground_km_s / (0.5 * rho_km) - 1e-9)))
    return float(step_s) / k


def _stats(orbit, lat_deg, lon_deg, area_km2, start, days, footprint, step_s, model, label, point_names=()):
    fp = _footprint(footprint)
    check_range("step_s", step_s, 0.0, 86400.0, unit="s", low_open=True, error=SimError, scalar=True)
    step_s = refined_step_s(orbit, fp, step_s)
    times, sat, slat, alt = _track(orbit, start, days, step_s, model)
    lam = fp.central_angle_rad(alt)
    order = np.argsort(lat_deg, kind="stable")
    pts = np.ascontiguousarray(_unit(lat_deg[order], lon_deg[order]))
    plat = np.ascontiguousarray(np.radians(lat_deg[order]))
    first, last, nacc, nvis, maxgap, sumgap = access_stats(
        pts,
        plat,
        np.ascontiguousarray(sat),
        np.ascontiguousarray(slat),
        np.ascontiguousarray(lam),
        np.ascontiguousarray(np.cos(lam)),
    )
    inv = np.empty_like(order)
    inv[order] = np.arange(order.size)
    first, last, nacc, nvis, maxgap, sumgap = (x[:, inv] for x in (first, last, nacc, nvis, maxgap, sumgap))
    T = len(times)
    seen = first >= 0
    lead = np.where(seen, first, T)
    trail = np.where(seen, T - 1 - last, 0)
    # never seen: the gap is the whole analysis span (T - 1 steps)
    max_gap = np.minimum(np.maximum(maxgap, np.maximum(lead, trail)), T - 1) * float(step_s)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_gap = np.where(nacc >= 2, sumgap / np.maximum(nacc - 1, 1), np.nan) * float(step_s)
    return CoverageResult(
        names=tuple(orbit.names),
        region=label,
        footprint=fp,
        start=times[0],
        step_s=float(step_s),
        duration_s=(T - 1) * float(step_s),
        lat_deg=np.asarray(lat_deg, float),
        lon_deg=np.asarray(lon_deg, float),
        area_km2=np.asarray(area_km2, float),
        first_seen_s=np.where(seen, first * float(step_s), np.nan),
        n_access=nacc,
        time_covered=nvis / T,
        max_gap_s=max_gap,
        mean_gap_s=mean_gap,
        point_names=tuple(point_names),
    )


def coverage(
    orbit: Orbit,
    region: str | Path | dict[str, Any] | Region,
    start: Any,
    days: float,
    footprint: Footprint | dict[str, float] | float,
    step_s: float = 30.0,
    *,
    cell_km: float = 25.0,
    model: str = "j2",
) -> CoverageResult:
    """Coverage and revisit statistics of ``orbit`` over ``region`` on an equal-area grid.

    ``region``: a name ("russia", "arctic", "northern_sea_route", "land"), a
    :class:`~sim.regions.Region` or GeoJSON; ``start``: one time, anything
    :func:`sim.timeutil.to_time` accepts (ISO string, datetime, Time);
    ``days``: length of the analysis; ``footprint``: a :class:`Footprint` (a number is read
    as a minimum elevation in deg); ``step_s``: time step (s); ``cell_km``: grid cell size
    (km); ``model``: propagation model for the ground track ("j2" default).
    """
    from . import regions

    reg = regions.get(region)
    g = reg.grid(cell_km)
    return _stats(orbit, g.lat_deg, g.lon_deg, g.area_km2, start, days, footprint, step_s, model, reg.name)


def region_coverage(
    orbit: Orbit,
    region: str | Path | dict[str, Any] | Region,
    start: Any,
    days: float,
    footprint: Footprint | dict[str, float] | float,
    step_s: float = 30.0,
    *,
    cell_km: float = 25.0,
    model: str = "j2",
) -> np.ndarray:
    """Share (0..1) of ``region``'s area seen at least once within ``days``, one value per orbit."""
    return coverage(orbit, region, start, days, footprint, step_s, cell_km=cell_km, model=model).share_seen


def revisit_statistics(
    orbit: Orbit,
    region: str | Path | dict[str, Any] | Region,
    start: Any,
    days: float,
    footprint: Footprint | dict[str, float] | float,
    step_s: float = 30.0,
    *,
    cell_km: float = 25.0,
    model: str = "j2",
) -> dict[str, np.ndarray]:
    """Area-weighted revisit figures of merit per orbit (see :meth:`CoverageResult.summary`)."""
    return coverage(orbit, region, start, days, footprint, step_s, cell_km=cell_km, model=model).summary()


def point_revisit(
    orbit: Orbit,
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    start: Any,
    days: float,
    footprint: Footprint | dict[str, float] | float,
    step_s: float = 30.0,
    *,
    names: Sequence[str] = (),
    model: str = "j2",
) -> CoverageResult:
    """Access and revisit statistics at individual points (deg), e.g. cities; each point weighs 1.

    ``start``: one time, anything :func:`sim.timeutil.to_time` accepts.
    """
    lat = np.atleast_1d(as_float(lat_deg, "lat_deg", "deg", error=SimError))
    lon = np.atleast_1d(as_float(lon_deg, "lon_deg", "deg", error=SimError))
    check_range("lat_deg", lat, -90.0, 90.0, unit="deg", error=SimError)
    if lat.ndim != 1 or lat.shape != lon.shape or lat.size == 0:
        raise SimError(
            f"lat_deg and lon_deg must be one value each or 1-D arrays of one length, got {lat.shape} and {lon.shape}"
        )
    return _stats(
        orbit, lat, lon, np.ones_like(lat), start, days, footprint, step_s, model, "points", point_names=names
    )


def city_revisit(
    orbit: Orbit,
    start: Any,
    days: float,
    footprint: Footprint | dict[str, float] | float,
    step_s: float = 30.0,
    *,
    cities: Sequence[str | tuple[str, float, float]] | None = None,
    model: str = "j2",
) -> CoverageResult:
    """:func:`point_revisit` at named places (default: ``sim/data/regions/cities.csv``).

    ``cities``: None, or a list of names from that file, or ``(name, lat_deg, lon_deg)`` tuples.
    """
    from .errors import PresetError
    from .regions import cities as _cities

    table = {c[0].lower(): c for c in _cities()}
    if cities is not None and not isinstance(cities, (list, tuple)):
        raise SimError(
            f"cities must be a list of city names or (name, lat_deg, lon_deg) tuples, got {describe(cities)}"
        )
    if cities is None:
        rows = list(_cities())
    else:
        rows = []
        for k, c in enumerate(cities):
            if isinstance(c, str):
                if c.lower() not in table:
                    raise PresetError(f"unknown city {c!r}; choose from: {', '.join(x[0] for x in _cities())}")
                rows.append(table[c.lower()])
            elif isinstance(c, (list, tuple)) and len(c) == 3:
                rows.append(tuple(c))
            else:
                raise SimError(f"cities[{k}] must be a city name or (name, lat_deg, lon_deg), got {describe(c)}")
    names = tuple(r[0] for r in rows)
    return point_revisit(
        orbit, [r[1] for r in rows], [r[2] for r in rows], start, days, footprint, step_s, names=names, model=model
    )


# ------------------------------------------------------------------ revolutions / time over region


def _over_mask(orbit, region, start, days, footprint, step_s, model, cell_km):
    """(times, lat_deg (n,T), over (n,T) bool): sub-point in region, or region inside footprint."""
    from scipy.spatial import cKDTree

    from . import regions

    reg = regions.get(region)
    times, sat, slat, alt = _track(orbit, start, days, step_s, model)
    lat_deg = np.degrees(slat)
    if footprint is None:
        lon_deg = np.degrees(np.arctan2(sat[..., 1], sat[..., 0]))
        return times, lat_deg, reg.contains(lat_deg, lon_deg)
    lam = _footprint(footprint).central_angle_rad(alt)
    g = reg.grid(cell_km)
    tree = cKDTree(g.unit_vectors())
    chord, _ = tree.query(sat.reshape(-1, 3), k=1)
    ang = 2.0 * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0)).reshape(lam.shape)
    return times, lat_deg, ang <= lam


def revolutions_over(
    orbit: Orbit,
    region: str | Path | dict[str, Any] | Region,
    start: Any,
    days: float,
    footprint: Footprint | dict[str, float] | float | None = None,
    step_s: float = 30.0,
    *,
    model: str = "j2",
    cell_km: float = 50.0,
) -> np.ndarray:
    """Share (0..1) of complete revolutions during which the orbit is over ``region``, per orbit.

    ``footprint=None``: the ground track itself enters the region. With a footprint (e.g.
    ``Footprint(min_elevation_deg=10)``): some point of the region (grid of ``cell_km``)
    sees the station. Revolutions are counted between ascending equator crossings.
    ``start``: one time, anything :func:`sim.timeutil.to_time` accepts.
    """
    times, lat, over = _over_mask(orbit, region, start, days, footprint, step_s, model, cell_km)
    asc = np.zeros(lat.shape, bool)
    asc[:, 1:] = (lat[:, :-1] < 0.0) & (lat[:, 1:] >= 0.0)
    rev = np.cumsum(asc, axis=1)  # 0 before the first ascending node
    nrev = rev[:, -1]  # complete revolutions: 1..nrev-1
    if np.any(nrev < 2):
        raise SimError(f"days={days} is too short: fewer than one complete revolution; use at least a day")
    out = np.empty(len(lat))
    for i in range(len(lat)):  # loop over orbits only
        hit = np.zeros(nrev[i] + 1, bool)
        np.logical_or.at(hit, rev[i][over[i]], True)
        out[i] = hit[1 : nrev[i]].mean()
    return out


def time_over_region(
    orbit: Orbit,
    region: str | Path | dict[str, Any] | Region,
    start: Any,
    days: float,
    footprint: Footprint | dict[str, float] | float | None = None,
    step_s: float = 30.0,
    *,
    model: str = "j2",
    cell_km: float = 50.0,
) -> np.ndarray:
    """Minutes per day the orbit is over ``region`` (same definition as :func:`revolutions_over`), (n_orbits,)."""
    times, _, over = _over_mask(orbit, region, start, days, footprint, step_s, model, cell_km)
    return over.mean(axis=1) * 1440.0


# ------------------------------------------------------------------ ground stations and passes


@dataclass(frozen=True)
class Station:
    """A ground station: WGS84 geodetic position and elevation mask."""

    name: str
    lat_deg: float
    lon_deg: float
    height_m: float = 0.0
    min_elevation_deg: float = 5.0
    role: str = ""
    source: str = ""

    def __post_init__(self):
        check_range(f"station {self.name!r} lat_deg", self.lat_deg, -90.0, 90.0, unit="deg", error=SimError)
        check_range(f"station {self.name!r} lon_deg", self.lon_deg, -180.0, 360.0, unit="deg", error=SimError)
        check_range(f"station {self.name!r} height_m", self.height_m, -500.0, 9000.0, unit="m", error=SimError)
        check_range(
            f"station {self.name!r} min_elevation_deg",
            self.min_elevation_deg,
            0.0,
            90.0,
            unit="deg",
            high_open=True,
            error=FootprintError,
        )

    def itrs_m(self) -> np.ndarray:
        from .frames import geodetic_to_itrs

        return np.asarray(
            geodetic_to_itrs(np.radians(self.lat_deg), np.radians(self.lon_deg), self.height_m), float
        ).reshape(3)

    def up(self) -> np.ndarray:
        return _unit(self.lat_deg, self.lon_deg)


@lru_cache(maxsize=1)
def _station_rows():
    from importlib import resources

    text = (resources.files("sim") / "data" / "regions" / "ground_stations_ru.csv").read_text()
    return tuple(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def ground_stations(name: str = "russia") -> list[Station]:
    """A ground-station network preset. ``"russia"``: public Roscosmos sites
    (``sim/data/regions/ground_stations_ru.csv``, coordinates and sources in the file)."""
    from .errors import PresetError

    if str(name).lower() not in ("russia", "ru", "roscosmos"):
        raise PresetError(f"unknown ground-station network {describe(name)}; choose one of: russia")
    return [
        Station(
            r["name"],
            float(r["lat_deg"]),
            float(r["lon_deg"]),
            float(r["height_m"]),
            float(r["min_elevation_deg"]),
            r["role"],
            r["source"],
        )
        for r in _station_rows()
    ]


def _stations(station, name: str = "station") -> list[Station]:
    """``station`` (see :func:`passes`) as a non-empty list of :class:`Station`, or a
    :class:`~sim.errors.SimError` naming ``name``."""
    if isinstance(station, Station):
        return [station]
    if isinstance(station, str):
        return ground_stations(station)
    if isinstance(station, dict):
        try:
            return [Station(**station)]
        except TypeError:
            raise SimError(
                f"{name}: a station dict needs name, lat_deg, lon_deg (optional height_m, min_elevation_deg, "
                f"role, source), got {describe(station)}"
            ) from None
    if isinstance(station, tuple) and len(station) in (2, 3, 4) and not isinstance(station[0], (Station, str, tuple)):
        return [Station("station", *station)]
    if isinstance(station, tuple) and len(station) in (3, 4) and isinstance(station[0], str):
        return [Station(*station)]
    if not isinstance(station, (list, tuple)) or not station:
        raise SimError(
            f"{name} must be a Station, (lat_deg, lon_deg[, height_m]), a list of stations or a network "
            f"name ('russia'), got {describe(station)}"
        )
    out = []
    for s in station:
        out.extend(_stations(s, name))
    return out


def _elevation_masks_rad(sts: list[Station], min_elevation_deg: float | None) -> np.ndarray:
    """Each station's elevation mask (rad): its own, or ``min_elevation_deg`` for all when given."""
    if min_elevation_deg is not None:
        check_range(
            "min_elevation_deg",
            min_elevation_deg,
            0.0,
            90.0,
            unit="deg",
            high_open=True,
            error=FootprintError,
            scalar=True,
        )
    return np.radians([min_elevation_deg if min_elevation_deg is not None else s.min_elevation_deg for s in sts])


def _elevation(r_itrs, st_xyz, st_up):
    """Elevation (rad) of positions r (..., 3) seen from stations (broadcast)."""
    rho = r_itrs - st_xyz
    return np.arcsin(np.clip(np.sum(rho * st_up, axis=-1) / np.linalg.norm(rho, axis=-1), -1.0, 1.0))


def _default_model(orbit, model):
    """The model asked for, else the orbit's own: its file's states for an ephemeris read from a
    file (sim.io.read_oem), SGP4 for an element set, the secular J2 model otherwise."""
    if model is not None:
        return model
    if orbit.ephemerides is not None and any(e is not None for e in orbit.ephemerides):
        return "ephemeris"
    return "sgp4" if orbit.satrecs is not None else "j2"


@dataclass(frozen=True)
class Pass:
    """One pass of an orbit over a station. Times are astropy ``Time`` (UTC) and seconds from the start.

    ``partial``: the pass was already in progress at the start or still in progress at the
    stop, so ``rise``/``set`` are clipped to the analysis window.
    """

    orbit: str
    station: str
    rise: object
    culmination: object
    set: object
    max_elevation_deg: float
    duration_s: float
    rise_s: float
    culmination_s: float
    set_s: float
    partial: bool = False


class PassList(list):
    """A list of :class:`Pass` with column access: ``passes.column("max_elevation_deg")``."""

    def column(self, name: str) -> np.ndarray:
        vals = [getattr(p, name) for p in self]
        if vals and not isinstance(vals[0], (int, float, bool, np.floating, np.integer)):
            return np.array(vals, dtype=object)
        return np.asarray(vals)

    def as_arrays(self) -> dict[str, np.ndarray]:
        return {f: self.column(f) for f in Pass.__dataclass_fields__}


def passes(
    orbit: Orbit,
    station: Station | str | dict[str, Any] | Sequence[Any],
    start: Any,
    stop: Any,
    min_elevation_deg: float | None = None,
    *,
    model: str | None = None,
    step_s: float | None = None,
) -> PassList:
    """Every pass of every orbit over the station(s) between ``start`` and ``stop``, sorted by rise.

    ``station``: a :class:`Station`, ``(lat_deg, lon_deg[, height_m])``, a list of stations or
    a network name ("russia"). ``start``, ``stop``: one time each, anything
    :func:`sim.timeutil.to_time` accepts. ``min_elevation_deg``: the mask (default: each station's own).
    ``model``: propagation model (default "sgp4" for element sets, else "j2").

    Method: one batched propagation of all orbits on a coarse grid (step :func:`pass_step_s`,
    about 60 s in LEO; ``step_s`` caps it), rotated to ITRS on the fast frame path, then one
    compiled kernel (:func:`sim.kernels.passes.find_passes`) over orbits x stations: between
    samples the trajectory is the cubic Hermite interpolant of positions and velocities
    (position error under 1 m by the choice of step), on which the mask crossings (rise, set)
    and the zeros of the elevation rate (culmination) are solved to 1e-6 s. A pass whose peak
    is just above the mask and lasts less than a step is found from the sign change of the
    elevation rate at its peak, so no pass is missed for being short (tested against a 1 s scan
    on grazing passes; against Skyfield's ``find_events``: < 0.25 s).
    """
    from .constants import J2
    from .frames import convert, gmst82, teme_to_itrs_matrix
    from .kernels.passes import find_passes, find_passes_serial
    from .propagation import propagate_native
    from .propagation.j2 import position_rate
    from .timeutil import seconds_between, to_time

    sts = _stations(station)
    mask = _elevation_masks_rad(sts, min_elevation_deg)
    t0 = to_time(start, name="start")[0]
    t1 = to_time(stop, name="stop")[0]
    span = float(seconds_between(t0, t1))
    if not span > 0:
        raise SimError(f"stop must be after start, got a span of {span:g} s")
    if step_s is not None:
        check_range("step_s", step_s, 0.0, 86400.0, unit="s", low_open=True, error=SimError, scalar=True)
    mdl = _default_model(orbit, model)
    h = pass_step_s(orbit) if step_s is None else min(float(step_s), pass_step_s(orbit))
    n = int(np.ceil(span / h - 1e-9))
    h = span / n
    off = np.arange(n + 1) * h
    grid = _utc_grid(t0, t1, span, off)
    r, v, native = propagate_native(orbit, grid, mdl)
    if mdl in ("j2", "kepler"):
        v = position_rate(orbit.a, orbit.ecc, orbit.inc, r, v, j2=J2 if mdl == "j2" else 0.0)
    if native == "TEME":  # the GMST rotation on hourly nodes, interpolated (see _teme_to_itrs)
        nodes_off = np.linspace(0.0, span, int(np.ceil(span / 3600.0)) + 1)
        nodes = _utc_grid(t0, t1, span, nodes_off)
        r, v = _teme_to_itrs(r, v, off, nodes_off, gmst82(nodes), teme_to_itrs_matrix(nodes))
    else:
        r, v = convert(r, v, grid, native, "ITRS")
    st_xyz = np.array([s.itrs_m() for s in sts])  # (S, 3)
    st_up = np.array([s.up() for s in sts])
    sin_mask = np.sin(mask)
    r, v = np.ascontiguousarray(r), np.ascontiguousarray(v)
    cap = int(span / 3600.0) + 4  # more than one pass per hour per pair happens only far from LEO
    # threads pay off from ~100 orbit-station pairs of a week; below, their start-up dominates
    kernel = find_passes if len(sts) * len(orbit) * (n + 1) > PASS_PARALLEL_SAMPLES else find_passes_serial
    count, rows, flags = kernel(r, v, h, st_xyz, st_up, sin_mask, cap)
    if count.max(initial=0) > cap:
        count, rows, flags = kernel(r, v, h, st_xyz, st_up, sin_mask, int(count.max()))
    io, js, ks = np.nonzero(np.arange(rows.shape[2])[None, None, :] < count[:, :, None])
    sel = rows[io, js, ks]  # (P, 4): rise, culmination, set, sin(max elevation)
    order = np.lexsort((io, js, sel[:, 0]))
    io, js, sel, fl = io[order], js[order], sel[order], flags[io, js, ks][order]
    when = _utc_grid(t0, t1, span, sel[:, :3].ravel()).reshape(-1, 3)
    emax = np.degrees(np.arcsin(np.clip(sel[:, 3], -1.0, 1.0)))
    names = orbit.names
    out = PassList()
    for p in range(len(sel)):
        a, c, b = sel[p, :3]
        out.append(
            Pass(
                orbit=names[io[p]],
                station=sts[js[p]].name,
                rise=when[p, 0],
                culmination=when[p, 1],
                set=when[p, 2],
                max_elevation_deg=float(emax[p]),
                duration_s=float(b - a),
                rise_s=float(a),
                culmination_s=float(c),
                set_s=float(b),
                partial=bool(fl[p]),
            )
        )
    return out


#: Largest position error (m) allowed to the Hermite interpolation between pass-search samples.
PASS_INTERPOLATION_TOLERANCE_M = 1.0

#: Pass search: orbit-station pairs x samples above which the kernel runs on all cores.
PASS_PARALLEL_SAMPLES = 1_000_000


def pass_step_s(orbit: Orbit) -> float:
    """The coarse step (s) of :func:`passes` for these orbits (the smallest over them).

    A short pass cannot set the step: a pass whose peak is just above the mask lasts as little
    as one likes (a zenith pass at 400 km over a 10 deg mask lasts ~7 min, one peaking 0.05 deg
    above it ~20 s), so no sampling catches every pass by its samples above the mask. The
    search instead finds every maximum of elevation, from the sign change of its rate between
    two samples, and then the two roots around it. That needs at most one extremum of
    elevation per step: maxima and minima alternate about half a revolution apart, so the step
    is at most 1/8 of the period. The interpolation sets the rest: the cubic Hermite error is
    ``h**4 / 384 * |d4r/dt4|`` with ``|d4r/dt4| <= 2 r_p (w_p + w_E)**4`` in the rotating frame
    (``w_p`` the angular rate at perigee), held under :data:`PASS_INTERPOLATION_TOLERANCE_M`:
    60.7 s for the ISS (measured against 1 s SGP4 and J2 samples: 0.33 m at 60 s, i.e. under
    0.1 ms in rise/set and 3e-5 deg in elevation).
    """
    from .constants import MU_EARTH, OMEGA_EARTH

    a = np.asarray(orbit.a, float)
    e = np.asarray(orbit.ecc, float)
    rp = a * (1.0 - e)
    wp = np.sqrt(MU_EARTH * a * (1.0 - e * e)) / rp**2
    h_interp = (384.0 * PASS_INTERPOLATION_TOLERANCE_M / (2.0 * rp * (wp + OMEGA_EARTH) ** 4)) ** 0.25
    period = 2.0 * np.pi * np.sqrt(a**3 / MU_EARTH)
    return float(np.min(np.minimum(h_interp, period / 8.0)))


def _utc_grid(t0, t1, span, off_s):
    """UTC times ``t0 + off_s`` (SI seconds) without astropy arithmetic, exact unless a leap second
    falls between ``t0`` and ``t1`` (``span`` SI seconds apart; then astropy's TAI arithmetic)."""
    from astropy.time import Time, TimeDelta

    u0, u1 = t0.utc, t1.utc
    if abs(((u1.jd1 - u0.jd1) + (u1.jd2 - u0.jd2)) * DAY_S - span) > 1e-6:
        return (t0.tai + TimeDelta(np.asarray(off_s, float), format="sec")).utc
    t = Time(np.full(np.shape(off_s), u0.jd1), u0.jd2 + np.asarray(off_s, float) / DAY_S, format="jd", scale="utc")
    t.format = t0.format
    return t


def _teme_to_itrs(r, v, off, nodes_off, gmst_nodes, a_nodes):
    """TEME -> ITRS for states (n, T, 3) at ``off`` seconds from matrices on coarser nodes.

    The rotation is polar motion x Rz(GMST): GMST is interpolated linearly between the nodes
    (it is linear in UT1 to 1e-12 rad over an hour) and the polar-motion matrix (changing by
    milliarcseconds per day) too; the Earth-rate term is added to the velocity like
    :func:`sim.frames.convert`.
    """
    from .constants import OMEGA_EARTH

    gm_nodes = np.unwrap(gmst_nodes)
    c, s = np.cos(gm_nodes), np.sin(gm_nodes)
    rz_t = np.zeros((len(c), 3, 3))  # Rz(gmst) transposed
    rz_t[:, 0, 0], rz_t[:, 1, 0], rz_t[:, 0, 1], rz_t[:, 1, 1], rz_t[:, 2, 2] = c, s, -s, c, 1.0
    w_nodes = a_nodes @ rz_t  # polar motion
    gm = np.interp(off, nodes_off, gm_nodes)
    w = np.stack([np.interp(off, nodes_off, w_nodes[:, i, j]) for i in range(3) for j in range(3)], -1)
    w = w.reshape(-1, 3, 3)
    c, s = np.cos(gm), np.sin(gm)
    x = c * r[..., 0] + s * r[..., 1]
    y = -s * r[..., 0] + c * r[..., 1]
    vx = c * v[..., 0] + s * v[..., 1]
    vy = -s * v[..., 0] + c * v[..., 1]
    z, vz = r[..., 2], v[..., 2]
    r_i = np.stack([w[:, i, 0] * x + w[:, i, 1] * y + w[:, i, 2] * z for i in range(3)], -1)
    v_i = np.stack([w[:, i, 0] * vx + w[:, i, 1] * vy + w[:, i, 2] * vz for i in range(3)], -1)
    v_i[..., 0] += OMEGA_EARTH * r_i[..., 1]
    v_i[..., 1] -= OMEGA_EARTH * r_i[..., 0]
    return r_i, v_i


def contact_minutes_per_day(
    orbit: Orbit,
    stations: Station | str | dict[str, Any] | Sequence[Any] = "russia",
    start: Any = None,
    days: float = 1.0,
    *,
    min_elevation_deg: float | None = None,
    step_s: float = 10.0,
    model: str | None = None,
) -> dict:
    """Contact time per day between each orbit and each station, and with the network as a whole.

    Returns ``{"stations": [names], "per_station": (n_orbits, n_stations) minutes/day,
    "network": (n_orbits,) minutes/day during which at least one station sees the orbit}``.
    Sampled every ``step_s`` seconds (each sample counts ``step_s``). ``stations``: as
    :func:`passes`' ``station``; ``start``: one time, anything :func:`sim.timeutil.to_time` accepts.
    """
    from .timeutil import time_range

    sts = _stations(stations, "stations")
    if start is None:
        raise SimError("start is required (e.g. '2027-01-01T00:00:00')")
    check_range("days", days, 0.0, 3660.0, unit="days", low_open=True, error=SimError, scalar=True)
    mask = _elevation_masks_rad(sts, min_elevation_deg)
    times = time_range(start, days=days, step_s=step_s)
    r = orbit.propagate(times, model=_default_model(orbit, model), frame="ITRS")[0]  # (n, T, 3)
    st_xyz = np.array([s.itrs_m() for s in sts])
    st_up = np.array([s.up() for s in sts])
    vis = np.empty((len(orbit), len(sts), len(times)), bool)
    for s in range(len(sts)):  # loop over stations, vectorised over orbits x time
        vis[:, s] = _elevation(r, st_xyz[s], st_up[s]) > mask[s]
    return {
        "stations": [s.name for s in sts],
        "per_station": vis.mean(axis=2) * 1440.0,
        "network": vis.any(axis=1).mean(axis=1) * 1440.0,
    }
