"""Orbit decay and reboost budget, from the numerical (Cowell) propagator with drag or its
orbit-averaged counterpart.

Two methods, chosen by ``method=`` of :func:`decay` and :func:`reboost_budget`:

* ``"cowell"``: the full force model (zonal harmonics J2..J6, drag with a co-rotating
  NRLMSIS 2.1 atmosphere at a fixed solar activity) for every orbit in one batched call of
  :func:`sim.propagation.cowell.integrate`;
* ``"averaged"``: the mean semi-major axis of a near-circular orbit stepped one revolution
  at a time (explicit midpoint rule, :mod:`sim.kernels.decay`) with Gauss's secular drag rate
  ``da/dt = -(2 a / v) <0.5 rho v^2 F Cd A/m>`` averaged over one revolution of the
  osculating orbit (the same NRLMSIS table and interpolation, the same ``Cd A/m``, the
  co-rotating-atmosphere factor ``F = (1 - a omega cos i / v)^2``), the node's local time
  drifting at the J2 secular rate. Matches Cowell within 2 % in decay rate and reboost
  delta-v at 300-500 km, 51.6 and 97 deg, low to high activity (``tests/test_lifetime.py``;
  measured 0.7 % and 1.7 % at worst) at a fraction of the cost (an ISS-year of reboosts:
  0.12 s instead of 1.3-2 s, ``benchmarks/bench_lifetime.py``). Below ~200 km, where an orbit
  loses kilometres per revolution, it drifts from Cowell (a 150 km orbit re-enters 5 % sooner);
* ``"auto"`` (default): averaged for spans over :data:`AVERAGED_MIN_DAYS` days, Cowell
  for shorter ones (where a few revolutions of short-period detail matter).

Both read the **orbit-mean
altitude** (time-average of the geocentric distance over one orbital period, minus the
equatorial radius 6378.137 km: ``Orbit.orbit_mean_altitude_km``, which is *not*
``Orbit.altitude_km``: a 400 km polar orbit starts at 404.7 km, the 415 km ISS at 414.2 km;
see :mod:`sim.orbits` for the three altitudes and the tables' legend, :data:`ALTITUDE_LEGEND`).

* :func:`decay`: altitude versus time without manoeuvres, re-entry time if it happens
  (geodetic altitude below ``min_altitude_km``).
* :func:`reboost_budget`: the orbit is held in ``band_km=(low, high)``: when its mean
  altitude reaches ``low`` a two-impulse Hohmann transfer raises it to ``high``. The
  default band (:func:`default_band_km`, used by scenarios, the runner and ``sim decay``
  alike) is the nominal altitude ``Orbit.altitude_km`` +-5 km; every band must satisfy
  ``MIN_BAND_LOW_KM <= low < high <= MAX_BAND_HIGH_KM`` (:func:`check_band_km`). Delta-v
  per year, burns per year and propellant per year for a specific impulse ``isp_s``
  (rocket equation on the station mass; default 300 s, typical of the UDMH/N2O4 engines
  that reboost the ISS and would reboost ROS).

Solar activity is held constant over the run (a named level of
:data:`sim.atmosphere.LEVELS` or explicit ``(F10.7, F10.7a, Ap)``); real activity varies
day to day and over the 11-year cycle, which is why budgets are given for low, moderate
and high levels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from .atmosphere import SolarActivity
from .atmosphere import solar_activity as _activity
from .constants import DAY_S, G0, JULIAN_YEAR_DAYS, MIN_ALTITUDE_KM
from .errors import ModelError, as_float, check_range, describe
from .spacecraft import Spacecraft, for_orbit_name
from .spacecraft import spacecraft as _lookup

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    from .orbits import Orbit

__all__ = [
    "decay",
    "reboost_budget",
    "DecayResult",
    "ReboostBudget",
    "drag_dv_per_year",
    "default_band_km",
    "check_band_km",
    "DEFAULT_BAND_HALF_WIDTH_KM",
    "MIN_BAND_LOW_KM",
    "MAX_BAND_HIGH_KM",
    "AVERAGED_MIN_DAYS",
    "AVERAGED_MAX_ECC",
    "METHODS",
    "resolve_method",
    "reentry_text",
]

#: Default reboost band: the nominal altitude (``Orbit.altitude_km``) +- this, km. The
#: ISS is flown in a band about 10 km wide; +-5 km around the start altitude is what the
#: published report numbers (README, ``make run``) were computed with.
DEFAULT_BAND_HALF_WIDTH_KM = 5.0
#: Lowest allowed bottom of a reboost band, km: below ~150 km an orbit decays within a day
#: or so (no band can be held between burns) and re-entry (120 km) is too close.
MIN_BAND_LOW_KM = 150.0
#: Geodetic altitude at which :func:`decay` ends an orbit (re-entry), km: the default of its
#: ``min_altitude_km`` and the floor :func:`check_orbits` checks a scenario against.
REENTRY_ALTITUDE_KM = 120.0
#: Highest allowed top of a reboost band, km (the NRLMSIS table and the drag model's range).
MAX_BAND_HIGH_KM = 2000.0
#: ``method="auto"`` uses the orbit-averaged propagator for spans longer than this many days
#: (budgets of weeks to years), Cowell for shorter ones.
AVERAGED_MIN_DAYS = 30.0
#: Largest eccentricity the orbit-averaged propagator accepts (it models circular orbits);
#: ``method="auto"`` falls back to Cowell above it.
AVERAGED_MAX_ECC = 0.01
#: Points of one revolution over which the averaged propagator averages the density.
AVERAGED_RING_POINTS = 36
#: The values of ``method=`` of :func:`decay` and :func:`reboost_budget`.
METHODS = ("auto", "averaged", "cowell")


def default_band_km(altitude_km: ArrayLike) -> np.ndarray:
    """The default reboost band(s) for nominal altitude(s) ``altitude_km``: ``(low, high)`` in km.

    ``altitude_km +- DEFAULT_BAND_HALF_WIDTH_KM``, rounded to 0.1 km; shape ``(..., 2)``
    (``(2,)`` for one altitude). Like every band it is compared with the orbit-mean
    altitude of the numerical orbit (``Orbit.orbit_mean_altitude_km``), not with
    ``altitude_km`` itself.
    """
    alt = as_float(altitude_km, "altitude_km", "km", error=ModelError)
    return np.round(np.stack([alt - DEFAULT_BAND_HALF_WIDTH_KM, alt + DEFAULT_BAND_HALF_WIDTH_KM], axis=-1), 1)


def check_band_km(band_km: ArrayLike, n: int = 1, *, name: str = "band_km") -> np.ndarray:
    """``band_km`` as an ``(n, 2)`` array, or a :class:`~sim.errors.ModelError` naming ``name``.

    One ``(low, high)`` or one per orbit, ``MIN_BAND_LOW_KM <= low < high <= MAX_BAND_HIGH_KM``.
    """
    rule = f"{name} must be [low, high] with {MIN_BAND_LOW_KM:g} <= low < high <= {MAX_BAND_HIGH_KM:g} km"
    try:
        band = np.broadcast_to(np.asarray(band_km, dtype=float), (n, 2))
    except (TypeError, ValueError):
        raise ModelError(f"{rule} (or one [low, high] per orbit), got {describe(band_km)}") from None
    if not np.all((MIN_BAND_LOW_KM <= band[:, 0]) & (band[:, 0] < band[:, 1]) & (band[:, 1] <= MAX_BAND_HIGH_KM)):
        raise ModelError(f"{rule}, got {np.asarray(band_km, dtype=float).tolist()}")
    return band


def reentry_text(days: float) -> str:
    """``"re-enters after 10.1 hours"`` / ``"... 4.7 days"`` (hours under two days), or ``""`` if NaN."""
    if not np.isfinite(days):
        return ""
    return f"re-enters after {days * 24.0:.1f} hours" if days < 2.0 else f"re-enters after {days:.1f} days"


def _initial_rate(t, h, until: float) -> float:
    """Decay rate (km/day, positive = losing altitude) over the samples up to ``until`` days: a
    straight-line fit on >= 3 samples, the two-point slope on 2 (an orbit that re-enters within
    a few revolutions), NaN on fewer."""
    m = t <= until
    if m.sum() >= 3:
        return float(-np.polyfit(t[m], h[m], 1)[0])
    if len(t) >= 2 and t[1] > t[0]:
        return float(-(h[1] - h[0]) / (t[1] - t[0]))
    return np.nan


def _spacecraft_list(orbit, spacecraft) -> list[Spacecraft]:
    n = len(orbit)
    if spacecraft is None:
        return [for_orbit_name(name) for name in orbit.names]
    if isinstance(spacecraft, (list, tuple)):
        if len(spacecraft) != n:
            raise ModelError(f"spacecraft must be one value or {n} (one per orbit), got {len(spacecraft)}")
        return [_lookup(s) for s in spacecraft]
    return [_lookup(spacecraft)] * n


@dataclass
class DecayResult:
    """Mean altitude versus time for each orbit (no manoeuvres)."""

    names: tuple
    spacecraft: list
    activity: SolarActivity
    days: float
    t_days: list  # per orbit, (k,) days since epoch
    mean_alt_km: list  # per orbit, (k,) orbit-mean altitude
    reentry_days: np.ndarray  # (n,), NaN if no re-entry within ``days``
    altitude_km: np.ndarray | None = None  # (n,) Orbit.altitude_km at the start
    geodetic_altitude_km: np.ndarray | None = None  # (n,) Orbit.mean_geodetic_altitude_km at the start
    method: str = "cowell"  # the propagator used: "cowell" or "averaged"

    @property
    def initial_decay_km_per_day(self) -> np.ndarray:
        """Decay rate over the first (up to) 10 days, km/day (positive = losing altitude)."""
        return np.array([_initial_rate(t, h, min(10.0, self.days)) for t, h in zip(self.t_days, self.mean_alt_km)])

    def table(self) -> str:
        """Plain-text table; its last lines say which altitude each column is (:data:`ALTITUDE_LEGEND`)."""
        rows = [
            (
                f"{'orbit':<14} {'alt km':>7} {'geod km':>8} {'start km':>9} {'end km':>8} {'decay km/day':>13} "
                f"{'re-entry':>12}"
            )
        ]
        rate = self.initial_decay_km_per_day
        alt, geod = _per_orbit(self.altitude_km, self.names), _per_orbit(self.geodetic_altitude_km, self.names)
        for i, name in enumerate(self.names):
            h = self.mean_alt_km[i]
            re = self.reentry_days[i]
            re_s = (f"{re * 24:9.1f} h" if re < 2.0 else f"{re:9.1f} d") if np.isfinite(re) else f"> {self.days:g} d"
            rows.append(
                f"{name:<14} {alt[i]:7.1f} {geod[i]:8.1f} {h[0] if len(h) else np.nan:9.1f} "
                f"{h[-1] if len(h) else np.nan:8.1f} {rate[i]:13.3f} {re_s:>12}"
            )
        return "\n".join(rows + [ALTITUDE_LEGEND])


@dataclass
class ReboostBudget:
    """Yearly reboost budget for each orbit held in ``band_km``."""

    names: tuple
    spacecraft: list
    activity: SolarActivity
    band_km: np.ndarray  # (n, 2) low, high per orbit
    years: float
    isp_s: float
    dv_m_s: np.ndarray  # (n,) burns over the run + end-state balance (see reboost_budget)
    burns: np.ndarray  # (n,) number of reboosts (each a two-impulse pair)
    propellant_kg: np.ndarray  # (n,) over the run
    t_days: list = field(default_factory=list)
    mean_alt_km: list = field(default_factory=list)
    burn_days: list = field(default_factory=list)
    burn_dv_m_s: list = field(default_factory=list)
    #: (n,) days to re-entry: of an orbit too low to be held in any band (its default band's
    #: bottom under MIN_BAND_LOW_KM), by free decay to 120 km, its budget then NaN; NaN for
    #: orbits the reboosts hold
    reentry_days: np.ndarray | None = None
    altitude_km: np.ndarray | None = None  # (n,) Orbit.altitude_km at the start
    geodetic_altitude_km: np.ndarray | None = None  # (n,) Orbit.mean_geodetic_altitude_km at the start
    method: str = "cowell"  # the propagator used: "cowell" or "averaged"

    @property
    def held(self) -> np.ndarray:
        """(n,) True for orbits held in their band (a budget), False for those that re-enter instead."""
        n = len(self.names)
        return np.ones(n, bool) if self.reentry_days is None else ~np.isfinite(np.asarray(self.reentry_days, float))

    @property
    def dv_per_year_m_s(self) -> np.ndarray:
        return self.dv_m_s / self.years

    @property
    def burns_per_year(self) -> np.ndarray:
        return self.burns / self.years

    @property
    def propellant_kg_per_year(self) -> np.ndarray:
        return self.propellant_kg / self.years

    @property
    def initial_decay_km_per_day(self) -> np.ndarray:
        """Decay rate before the first reboost (up to 10 days), km/day; NaN if too short."""
        return np.array(
            [
                _initial_rate(t, h, min(10.0, bd[0] if len(bd) else np.inf))
                for t, h, bd in zip(self.t_days, self.mean_alt_km, self.burn_days)
            ]
        )

    def table(self) -> str:
        rows = [
            (
                f"reboost budget: solar activity {self.activity.name} "
                f"(F10.7 {self.activity.f107:g}, F10.7a {self.activity.f107a:g}, Ap {self.activity.ap:g}), "
                f"Isp {self.isp_s:g} s, {self.years:g} yr simulated ({self.method} propagator)"
            ),
            (
                f"{'orbit':<14} {'alt km':>7} {'geod km':>8} {'band km':>11} {'mass t':>7} {'CdA/m m2/kg':>12} "
                f"{'decay km/d':>11} {'dv m/s/yr':>10} {'burns/yr':>9} {'prop kg/yr':>11}"
            ),
        ]
        rate = self.initial_decay_km_per_day
        alt, geod = _per_orbit(self.altitude_km, self.names), _per_orbit(self.geodetic_altitude_km, self.names)
        held = self.held
        for i, name in enumerate(self.names):
            sc = self.spacecraft[i]
            lo, hi = self.band_km[i]
            if not held[i]:
                rows.append(
                    f"{name:<14} {alt[i]:7.1f} {geod[i]:8.1f} {'-':>11} {sc.mass_kg / 1e3:7.1f} "
                    f"{sc.cd_area_over_mass:12.5f} {rate[i]:11.3f}  {reentry_text(self.reentry_days[i])} without "
                    f"reboost (too low for a reboost band: its bottom must be >= {MIN_BAND_LOW_KM:g} km)"
                )
                continue
            rows.append(
                f"{name:<14} {alt[i]:7.1f} {geod[i]:8.1f} {f'{lo:g}-{hi:g}':>11} {sc.mass_kg / 1e3:7.1f} "
                f"{sc.cd_area_over_mass:12.5f} {rate[i]:11.3f} "
                f"{self.dv_per_year_m_s[i]:10.2f} {self.burns_per_year[i]:9.1f} "
                f"{self.propellant_kg_per_year[i]:11.0f}"
            )
        return "\n".join(rows + [ALTITUDE_LEGEND + " The band holds the orbit-mean altitude."])


#: What the altitude columns of :meth:`DecayResult.table` / :meth:`ReboostBudget.table` are.
ALTITUDE_LEGEND = (
    "alt: mean semi-major axis - 6378.137 km (Orbit.altitude_km); geod: orbit-averaged WGS84 "
    "geodetic altitude (Orbit.mean_geodetic_altitude_km); start/end/band: orbit-mean altitude "
    "(mean geocentric distance - 6378.137 km, Orbit.orbit_mean_altitude_km)."
)


def _per_orbit(values, names) -> np.ndarray:
    return np.full(len(names), np.nan) if values is None else np.asarray(values, dtype=float)


def _check_common(days, min_altitude_km):
    check_range("days", days, 0.0, 36525.0, low_open=True, unit="days", error=ModelError, scalar=True)
    check_range(
        "min_altitude_km", min_altitude_km, 0.0, 1000.0, low_open=True, unit="km", error=ModelError, scalar=True
    )


def resolve_method(method: str, days: float, orbit: Orbit | None = None, atmosphere: str = "msis") -> str:
    """``"averaged"`` or ``"cowell"`` for ``method`` (one of :data:`METHODS`) over ``days``.

    ``"auto"``: averaged when ``days > AVERAGED_MIN_DAYS``, the atmosphere is NRLMSIS and every
    orbit is near-circular (eccentricity <= :data:`AVERAGED_MAX_ECC`), else Cowell. An explicit
    ``"averaged"`` outside that domain is a :class:`~sim.errors.ModelError`.
    """
    if not isinstance(method, str) or method not in METHODS:
        raise ModelError(f"method must be one of {', '.join(map(repr, METHODS))}, got {describe(method)}")
    ecc_ok = orbit is None or bool(np.all(np.asarray(orbit.ecc, float) <= AVERAGED_MAX_ECC))
    atm_ok = str(atmosphere).lower() == "msis"
    if method == "auto":
        return "averaged" if days > AVERAGED_MIN_DAYS and ecc_ok and atm_ok else "cowell"
    if method == "averaged" and not atm_ok:
        raise ModelError(f"method='averaged' needs atmosphere='msis', got {describe(atmosphere)}")
    if method == "averaged" and not ecc_ok:
        raise ModelError(
            f"method='averaged' models near-circular orbits (eccentricity <= {AVERAGED_MAX_ECC:g}); use method='cowell'"
        )
    return method


@dataclass
class _Averaged:
    """The orbit-averaged propagator's output, shaped like :class:`sim.propagation.cowell.CowellResult`."""

    reentry_s: np.ndarray
    mean_t_s: list = field(default_factory=list)
    mean_alt_km: list = field(default_factory=list)
    burns: list = field(default_factory=list)


def _osculating_ring(orbit, n_points: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points uniform in time over one nodal period of each osculating (SGP4, as
    :func:`sim.orbits.osculating_mean_altitudes_km`) orbit: geodetic latitude (deg), geodetic
    height (m) and local-time offset from the ascending node (h), each (n, n_points)."""
    from .frames import itrs_to_geodetic

    n = len(orbit)
    frac = np.arange(n_points) / n_points
    r = np.full((n, n_points, 3), np.nan)
    for k, sat in enumerate(orbit.to_sgp4_satrecs()):
        days = float(orbit.nodal_period_s[k]) * frac / DAY_S
        err, rk, _ = sat.sgp4_array(np.full(days.shape, sat.jdsatepoch), sat.jdsatepochF + days)
        if np.all(err == 0):
            r[k] = rk * 1e3
    bad = ~np.all(np.isfinite(r), axis=(1, 2))
    if bad.any():
        raise ModelError(
            f"method='averaged': SGP4 cannot propagate {', '.join(np.asarray(orbit.names)[bad])} over one "
            "revolution; use method='cowell'"
        )
    lat, _, h = itrs_to_geodetic(r)
    dlst = (np.arctan2(r[..., 1], r[..., 0]) - np.asarray(orbit.raan, float).reshape(n, 1)) * 12.0 / np.pi
    return np.degrees(lat), h, dlst % 24.0


def _circle_ring(orbit, n_points: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_osculating_ring` for the circle of radius ``a`` (``n_points`` uniform in argument
    of latitude): the fast approximation of :func:`drag_dv_per_year`."""
    from .frames import itrs_to_geodetic

    a = np.asarray(orbit.a, float)
    inc = np.asarray(orbit.inc, float)
    u = (np.arange(n_points) + 0.5) * 2.0 * np.pi / n_points
    lat_c = np.arcsin(np.sin(inc)[:, None] * np.sin(u)[None, :])
    r_pts = a[:, None, None] * np.stack([np.cos(lat_c), np.zeros_like(lat_c), np.sin(lat_c)], axis=-1)
    lat_g, _, h_m = itrs_to_geodetic(r_pts)
    dra_h = np.arctan2(np.cos(inc)[:, None] * np.sin(u)[None, :], np.cos(u)[None, :]) * 12.0 / np.pi
    return np.degrees(lat_g), h_m, dra_h % 24.0


def _node_clock(orbit) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per orbit at its epoch: mean local time of the ascending node (h), its drift (h/s: J2
    secular node rate minus the Sun's mean motion) and the fractional day of year."""
    from .constants import SUN_MEAN_MOTION
    from .propagation.j2 import secular_rates
    from .timeutil import day_of_year

    n = len(orbit)
    raan_dot, _, _ = secular_rates(orbit.a, orbit.ecc, orbit.inc)
    drift = (np.asarray(raan_dot, float) - SUN_MEAN_MOTION) * 12.0 / np.pi * np.ones(n)
    ltan = np.asarray(orbit.mean_ltan_hours(orbit.epoch), float).reshape(n, -1)
    ltan0 = np.diagonal(ltan) if ltan.shape[1] == n else ltan[:, 0]
    return np.ascontiguousarray(ltan0), drift, np.asarray(day_of_year(orbit.epoch), float) * np.ones(n)


def _averaged(
    orbit, scs, act, days: float, mean_km, band=None, min_altitude_km: float = REENTRY_ALTITUDE_KM
) -> _Averaged:
    """Run :func:`sim.kernels.decay.averaged_decay_batch` for every orbit over ``days``
    (``mean_km``: ``Orbit.orbit_mean_altitude_km`` of ``orbit``)."""
    from .atmosphere import msis_table
    from .constants import MU_EARTH, OMEGA_EARTH, R_EARTH
    from .kernels.decay import averaged_decay_batch, empty_outputs

    n = len(orbit)
    tab = msis_table(act)
    lat, h0, dlst = _osculating_ring(orbit, AVERAGED_RING_POINTS)
    ltan0, drift, doy0 = _node_clock(orbit)
    a0 = np.asarray(orbit.a, float) * np.ones(n)
    offset = (np.asarray(mean_km, float) * 1e3 - (a0 - R_EARTH)) * np.ones(n)
    dt = np.asarray(orbit.nodal_period_s, float) * np.ones(n)
    nsteps = np.ceil(days * DAY_S / dt).astype(np.int64)
    lo = np.full(n, -np.inf) if band is None else np.asarray(band, float)[:, 0] * 1e3
    hi = np.full(n, -np.inf) if band is None else np.asarray(band, float)[:, 1] * 1e3
    cdam = np.array([sc.cd_area_over_mass for sc in scs], float)
    t_out, h_out, nout, burn_t, burn_dv, nburn, reentry = outs = empty_outputs(n, int(nsteps.max()))
    averaged_decay_batch(
        a0,
        np.asarray(orbit.inc, float) * np.ones(n),
        cdam,
        np.ascontiguousarray(lat),
        np.ascontiguousarray(h0),
        np.ascontiguousarray(dlst),
        ltan0,
        drift,
        doy0,
        offset,
        lo,
        hi,
        dt,
        nsteps,
        float(min_altitude_km) * 1e3,
        np.ascontiguousarray(tab.log_rho),
        tab.kernel_params(),
        MU_EARTH,
        R_EARTH,
        OMEGA_EARTH,
        *outs,
    )
    res = _Averaged(reentry_s=reentry)
    for i in range(n):
        res.mean_t_s.append(t_out[i, : nout[i]])
        res.mean_alt_km.append(h_out[i, : nout[i]] / 1e3)
        res.burns.append(np.stack([burn_t[i, : nburn[i]], burn_dv[i, : nburn[i]]], axis=-1))
    return res


def _run(orbit, scs, act, days: float, how: str, mean_km, atmosphere, zonal_degree, rtol, min_altitude_km, band=None):
    """One batched run of ``days`` by the chosen propagator (``how``: "averaged" or "cowell"),
    with reboosts when ``band`` is given; its mean-altitude samples, burns and re-entry times."""
    if how == "averaged":
        return _averaged(orbit, scs, act, days, mean_km, band=band, min_altitude_km=min_altitude_km)
    from .propagation.cowell import integrate

    return integrate(
        orbit,
        _latest(orbit) + _days_quantity(days),
        spacecraft=scs,
        atmosphere=atmosphere,
        solar_activity=act,
        zonal_degree=zonal_degree,
        rtol=rtol,
        min_altitude_km=min_altitude_km,
        reboost_band_km=band,
        track_mean=band is None,
    )


def decay(
    orbit: Orbit,
    spacecraft: Spacecraft | str | Sequence[Spacecraft | str] | None = None,
    solar_activity: str | SolarActivity | Sequence[float] = "moderate",
    days: float = 365.0,
    *,
    atmosphere: str = "msis",
    min_altitude_km: float = REENTRY_ALTITUDE_KM,
    zonal_degree: int = 6,
    rtol: float = 1e-9,
    method: str = "auto",
) -> DecayResult:
    """Mean altitude versus time over ``days`` with drag and no manoeuvres, all orbits at once.

    ``spacecraft``: a :class:`~sim.spacecraft.Spacecraft`, a default's name, one per
    orbit, or None (ISS for orbits named like the ISS, ROS stage 2 otherwise).
    Integration of an orbit ends at re-entry (geodetic altitude below ``min_altitude_km``).
    ``method``: "auto" (averaged over :data:`AVERAGED_MIN_DAYS` days), "averaged" or "cowell"
    (:func:`resolve_method`; ``zonal_degree`` and ``rtol`` apply to Cowell only).
    """
    _check_orbit(orbit)
    _check_common(days, min_altitude_km)
    how = resolve_method(method, float(days), orbit, atmosphere)
    act = _activity(solar_activity)
    scs = _spacecraft_list(orbit, spacecraft)
    mean_km, geod_km = _mean_altitudes(orbit)
    res = _run(orbit, scs, act, float(days), how, mean_km, atmosphere, zonal_degree, rtol, min_altitude_km)
    t_days, h = [], []
    for i in range(len(orbit)):
        keep = res.mean_t_s[i] <= days * DAY_S
        t_days.append(res.mean_t_s[i][keep] / DAY_S)
        h.append(res.mean_alt_km[i][keep])
    reentry = res.reentry_s / DAY_S
    reentry = np.where(reentry <= days, reentry, np.nan)
    return DecayResult(
        tuple(orbit.names),
        scs,
        act,
        float(days),
        t_days,
        h,
        reentry,
        orbit.altitude_km,
        geod_km,
        method=how,
    )


def reboost_budget(
    orbit: Orbit,
    spacecraft: Spacecraft | str | Sequence[Spacecraft | str] | None = None,
    band_km: ArrayLike | None = None,
    solar_activity: str | SolarActivity | Sequence[float] = "moderate",
    years: float = 1.0,
    isp_s: float = 300.0,
    *,
    atmosphere: str = "msis",
    zonal_degree: int = 6,
    rtol: float = 1e-9,
    method: str = "auto",
) -> ReboostBudget:
    """Reboost delta-v, burns and propellant per year holding each orbit in ``band_km``.

    ``band_km``: ``(low, high)`` km, one per orbit, or None (default: each orbit's
    :func:`default_band_km` of its ``altitude_km``), checked by :func:`check_band_km`. An
    orbit whose default band would reach under :data:`MIN_BAND_LOW_KM` (``altitude_km`` under
    155 km) cannot be held: it decays freely instead, its budget is NaN and ``reentry_days``
    says when it re-enters (:func:`decay`; hours at 150 km).

    A reboost is a Hohmann pair from the band's bottom to its top (the first impulse when
    the orbit-mean altitude reaches ``low``, the second half a transfer orbit later).
    ``dv_m_s`` adds to the burns the end-state balance (the delta-v that would restore the
    final mean altitude to the initial one), so short runs are not quantised to whole burns.
    Propellant: ``m (1 - exp(-dv / (isp_s g0)))`` on that total, with the station mass
    held at ``spacecraft.mass_kg`` (resupply replaces what is burnt). ``method``: as
    :func:`decay` (auto: averaged for ``years`` over :data:`AVERAGED_MIN_DAYS` days).
    """
    _check_orbit(orbit)
    n = len(orbit)
    if band_km is None:
        default = np.atleast_2d(default_band_km(np.atleast_1d(orbit.altitude_km)))
        held = default[:, 0] >= MIN_BAND_LOW_KM
        band = default.copy()
        band[held] = check_band_km(default[held], int(held.sum())) if held.any() else default[held]
    else:
        held = np.ones(n, bool)
        band = check_band_km(band_km, n)
    check_range("years", years, 0.0, 30.0, low_open=True, unit="years", error=ModelError, scalar=True)
    check_range("isp_s", isp_s, 0.0, 1e5, low_open=True, unit="s", error=ModelError, scalar=True)
    act = _activity(solar_activity)
    scs = _spacecraft_list(orbit, spacecraft)
    days = years * JULIAN_YEAR_DAYS
    how = resolve_method(method, float(days), orbit, atmosphere)
    if not held.all():
        return _with_free_decay(orbit, scs, band, held, act, years, isp_s, atmosphere, zonal_degree, rtol, how)
    mean_km, geod_km = _mean_altitudes(orbit)
    res = _run(orbit, scs, act, float(days), how, mean_km, atmosphere, zonal_degree, rtol, MIN_ALTITUDE_KM, band)
    dv = np.zeros(n)
    nb = np.zeros(n)
    prop = np.zeros(n)
    out = ReboostBudget(
        tuple(orbit.names),
        scs,
        act,
        band,
        float(years),
        float(isp_s),
        dv,
        nb,
        prop,
        reentry_days=res.reentry_s / DAY_S,
        altitude_km=orbit.altitude_km,
        geodetic_altitude_km=geod_km,
        method=how,
    )
    for i in range(n):
        b = res.burns[i]
        b = b[b[:, 0] <= days * DAY_S]
        # burns, plus the balance of the end state: the Hohmann delta-v that would bring the
        # final mean altitude back to the initial one (negative if it ends higher), so that a
        # short run is not quantised to whole burns
        h = res.mean_alt_km[i][res.mean_t_s[i] <= days * DAY_S]
        balance = _hohmann_dv_km(h[-1], h[0]) if len(h) >= 2 and not np.isfinite(res.reentry_s[i]) else 0.0
        dv[i] = b[:, 1].sum() + balance
        nb[i] = len(b)
        prop[i] = max(0.0, scs[i].mass_kg * (1.0 - np.exp(-dv[i] / (isp_s * G0))))
        keep = res.mean_t_s[i] <= days * DAY_S
        out.t_days.append(res.mean_t_s[i][keep] / DAY_S)
        out.mean_alt_km.append(res.mean_alt_km[i][keep])
        out.burn_days.append(b[:, 0] / DAY_S)
        out.burn_dv_m_s.append(b[:, 1])
    return out


def _with_free_decay(orbit, scs, band, held, act, years, isp_s, atmosphere, zonal_degree, rtol, how) -> ReboostBudget:
    """:func:`reboost_budget` when some orbits are too low to hold: budgets of the held ones,
    free decay (:func:`decay`, to re-entry) of the others, merged in the order of ``orbit``."""
    idx_h, idx_f = np.flatnonzero(held), np.flatnonzero(~held)
    n = len(orbit)
    out = ReboostBudget(
        tuple(orbit.names),
        scs,
        act,
        band,
        float(years),
        float(isp_s),
        np.full(n, np.nan),
        np.full(n, np.nan),
        np.full(n, np.nan),
        t_days=[None] * n,
        mean_alt_km=[None] * n,
        burn_days=[np.zeros(0)] * n,
        burn_dv_m_s=[np.zeros(0)] * n,
        reentry_days=np.full(n, np.nan),
        altitude_km=orbit.altitude_km,
        geodetic_altitude_km=orbit.mean_geodetic_altitude_km,
        method=how,
    )
    opts = dict(atmosphere=atmosphere, zonal_degree=zonal_degree, rtol=rtol, method=how)
    if len(idx_h):
        b = reboost_budget(orbit[idx_h], [scs[k] for k in idx_h], band[idx_h], act, years, isp_s, **opts)
        for j, k in enumerate(idx_h):
            out.dv_m_s[k], out.burns[k], out.propellant_kg[k] = b.dv_m_s[j], b.burns[j], b.propellant_kg[j]
            out.t_days[k], out.mean_alt_km[k] = b.t_days[j], b.mean_alt_km[j]
            out.burn_days[k], out.burn_dv_m_s[k] = b.burn_days[j], b.burn_dv_m_s[j]
    d = decay(orbit[idx_f], [scs[k] for k in idx_f], act, years * JULIAN_YEAR_DAYS, **opts)
    for j, k in enumerate(idx_f):
        out.t_days[k], out.mean_alt_km[k] = d.t_days[j], d.mean_alt_km[j]
        out.reentry_days[k] = d.reentry_days[j]
    return out


def _mean_altitudes(orbit) -> tuple[np.ndarray, np.ndarray]:
    """``(Orbit.orbit_mean_altitude_km, Orbit.mean_geodetic_altitude_km)`` from one SGP4 pass."""
    from .orbits import osculating_mean_altitudes_km

    return osculating_mean_altitudes_km(orbit)


def _check_orbit(orbit) -> None:
    from .orbits import check_orbit

    check_orbit(orbit, error=ModelError)


def _hohmann_dv_km(h1_km, h2_km, mu: float = None) -> float:
    """Total two-impulse delta-v (m/s) between circular orbits at h1 and h2 (signed: + to raise)."""
    from .constants import MU_EARTH, R_EARTH

    r1, r2 = R_EARTH + h1_km * 1e3, R_EARTH + h2_km * 1e3
    lo, hi = min(r1, r2), max(r1, r2)
    dv = np.sqrt(MU_EARTH / lo) * (np.sqrt(2 * hi / (lo + hi)) - 1) + np.sqrt(MU_EARTH / hi) * (
        1 - np.sqrt(2 * lo / (lo + hi))
    )
    return float(dv if r2 >= r1 else -dv)


def _days_quantity(days):
    import astropy.units as u

    return float(days) * u.day


def _latest(orbit):
    return orbit.epoch[int(np.argmax(orbit.epoch.jd))]


# ---------------------------------------------------------------- fast analytic reboost estimate


def drag_dv_per_year(
    orbit: Orbit,
    solar_activity: str | SolarActivity | Sequence[float] = "moderate",
    spacecraft: Spacecraft | str = "ros_stage2",
    *,
    span_days: float = JULIAN_YEAR_DAYS,
    n_doy: int = 24,
    n_arglat: int = 36,
) -> np.ndarray:
    """Reboost delta-v per year (m/s/yr) holding each circular orbit against drag, (n_orbits,).

    A fast analytic estimate (a trade sweep scores thousands of candidates with it): for a
    near-circular orbit the delta-v that replaces what drag takes is the time integral of
    the along-track drag acceleration ``0.5 rho v^2 F Cd A / m`` (e.g. Vallado,
    *Fundamentals*, 4th ed., sec. 9.6), with

    * ``rho``: NRLMSIS 2.1 density from the table the Cowell propagator uses
      (:func:`sim.atmosphere.msis_table` for ``solar_activity``) through the one table
      interpolation :func:`sim.atmosphere.msis_table_density`, averaged over ``n_arglat``
      points of argument of latitude (latitude ``asin(sin i sin u)``, geodetic height of the
      circle above WGS84, local solar time from the node's local time plus the
      right-ascension offset of the point) and over ``n_doy`` days spread over
      ``span_days`` from the epoch (the node's local time drifts at ``dRAAN/dt`` minus the
      Sun's mean motion; frozen for sun-synchronous orbits);
    * ``F = (1 - r omega_E cos i / v)^2``: the co-rotating atmosphere (King-Hele);
    * ``Cd A / m`` of ``spacecraft`` (:mod:`sim.spacecraft`; ROS stage 2 by default).

    The drag is that of the orbit-averaged propagator
    (:func:`sim.kernels.decay.mean_drag_accel`, one definition) on the circle of radius ``a``
    (:func:`reboost_budget` with ``method="averaged"`` samples the osculating orbit instead,
    which lifts a polar orbit's ring ~5 km higher). Checked against :func:`reboost_budget`
    (Cowell, J2-J6 + drag) in ``tests/test_sweep.py``.
    Not modelled: eccentricity, the ~11-year solar cycle (fixed activity level).
    """
    from .atmosphere import msis_table
    from .constants import JULIAN_YEAR_S, MU_EARTH, OMEGA_EARTH
    from .kernels.decay import mean_drag_accel_over_times

    _check_orbit(orbit)
    check_range("span_days", span_days, 1.0, 36525.0, unit="days", error=ModelError, scalar=True)
    for name, val in (("n_doy", n_doy), ("n_arglat", n_arglat)):
        if not (isinstance(val, (int, np.integer)) and 1 <= val <= 10_000):
            raise ModelError(f"{name} must be an integer in [1, 10000], got {describe(val)}")
    tab = msis_table(solar_activity)
    sc = _lookup(spacecraft)
    n = len(orbit)
    # the drag of the orbit-averaged propagator (sim.kernels.decay.mean_drag_accel) on the circle
    # of radius a, averaged over n_doy times spread over span_days
    lat, h0, dlst = _circle_ring(orbit, int(n_arglat))
    ltan0, drift, doy0 = _node_clock(orbit)
    a = np.asarray(orbit.a, float) * np.ones(n)
    t_s = (np.arange(n_doy) + 0.5) * span_days / n_doy * DAY_S
    out = np.empty(n)
    mean_drag_accel_over_times(
        a,
        np.asarray(orbit.inc, float) * np.ones(n),
        np.full(n, sc.cd_area_over_mass),
        np.ascontiguousarray(lat),
        np.ascontiguousarray(h0),
        np.ascontiguousarray(dlst),
        ltan0,
        drift,
        doy0,
        t_s,
        np.ascontiguousarray(tab.log_rho),
        tab.kernel_params(),
        MU_EARTH,
        OMEGA_EARTH,
        out,
    )
    return out * JULIAN_YEAR_S


def check_orbits(orbit: Orbit, band_km: ArrayLike | None = None) -> None:
    """Raise a :class:`~sim.errors.ModelError` for what :func:`decay` and :func:`reboost_budget`
    would refuse for ``orbit``, before any integration (``sim validate`` calls it): every orbit's
    perigee must lie above the re-entry altitude of :func:`decay` (its ``min_altitude_km``,
    120 km), and a given ``band_km`` must satisfy :func:`check_band_km`."""

    reentry_km = REENTRY_ALTITUDE_KM
    perigee = np.atleast_1d(np.asarray(orbit.perigee_altitude_km, float))
    low = [f"{n} ({p:.1f} km)" for n, p in zip(orbit.names, perigee) if not p > reentry_km]
    if low:
        raise ModelError(
            f"perigee at or below the re-entry altitude {reentry_km:g} km of the decay model: {', '.join(low)}; "
            "raise the orbit or remove [lifetime]"
        )
    if band_km is not None:
        check_band_km(band_km)
