"""Light, shadow and radiation: beta angle, eclipses, local time of the node, SAA exposure.

All functions are batched over the orbits of an :class:`sim.Orbit` and return numpy
arrays shaped ``(n_orbits, ...)``. Times are astropy ``Time`` (or anything
:func:`sim.timeutil.to_time` reads); angles out are degrees, durations seconds
unless the name says otherwise.

Sun
    :func:`sim.ephemeris.sun_position_gcrs` (truncated VSOP87, 0.0007 deg against
    astropy). Rotated into TEME (the frame of the mean elements and of SGP4) with
    :func:`sim.frames.teme_to_gcrs_matrix`.

Beta angle
    The angle between the Sun direction and the orbit plane,
    ``beta = asin(n . s)`` with ``n`` the orbit normal. For ``model="j2"``/``"kepler"``
    the normal comes from the mean elements (inclination, and the RAAN drifting at the
    J2 secular rate), which leaves out the short-period wobble of the osculating plane
    (a few 0.01 deg); for other models it is ``r x v`` of the propagated state.

Shadow (Montenbruck & Gill, *Satellite Orbits*, 2000, sec. 3.4.2)
    ``"cylindrical"``: the satellite is in shadow when it is behind the Earth and within
    one Earth radius of the Earth-Sun line (Sun at infinity, no penumbra).
    ``"conical"``: apparent radii of Sun (R_sun = 695,700 km, IAU 2015 Resolution B3)
    and Earth seen from the satellite, and their separation; penumbra when the discs
    overlap, umbra when the Earth's disc covers the Sun's.
    The Earth is the WGS84 ellipsoid by default (``oblate=True``): z is scaled by
    a/b in TEME (whose z is the Earth's pole to 0.1"), which maps the ellipsoid onto a
    sphere and keeps straight lines straight, so the cylindrical model is exact for the
    ellipsoid and the conical model nearly so. ``oblate=False`` uses a sphere of the
    equatorial radius (what Skyfield's ``is_sunlit`` does, with 6378.1366 km).
    Not modelled: the atmosphere (refraction and extinction darken the Sun ~10-20 s before
    geometric entry at the ISS, see e.g. Vallado, *Fundamentals*, 4th ed., sec. 5.3),
    and the Moon's shadow.

Eclipse search
    Shadow functions (continuous, negative in shadow) are sampled every ``step_s``
    (default 30 s) for all orbits at once; each sign change is refined by the Illinois
    (modified regula falsi) method on the true propagated state until the bracket is
    below 0.01 s. Eclipses shorter than about ``step_s`` (only within ~0.1 deg of the
    beta limit) can be missed; eclipses cut by the start or stop of the span are dropped.

Radiation proxy
    IGRF-14 (the ``ppigrf`` package, Laundal; IGRF-14: Alken et al. 2025) evaluated
    ONCE on a geodetic latitude/longitude/altitude grid (2 deg, 20 km) around the
    orbits' altitudes and interpolated (trilinear) along the ground tracks: ppigrf
    costs ~50 us per point, the interpolation ~0.1 us. Thresholds (assumptions, stated):

    * South Atlantic Anomaly: total field |B| < 21,000 nT at the station's altitude. At
      400 km (IGRF-14, 2027) this contour spans about 84 W-0 E, 42 S-6 S around the
      field minimum (18,960 nT at 400 km) and the ISS spends ~74 min/day inside it, in
      line with the commonly quoted 5-6 SAA passes a day of 10-15 min. The threshold is
      an assumption (there is no single definition): it moves the minutes per day
      (30 / 74 / 121 / 173 min/day for the ISS at 20,000 / 21,000 / 22,000 / 23,000 nT)
      but hardly the ratio between orbits (polar/ISS 0.62-0.68 over that range);
      ``saa_threshold_nT`` is a parameter.
    * Polar horns / high latitude: |geomagnetic latitude| >= 60 deg (centred-dipole
      latitude from IGRF's degree-1 coefficients). Outer-belt electrons reach LEO at
      invariant latitudes ~55-70 deg; above ~60 deg the geomagnetic cutoff also lets
      in solar energetic particles and more galactic cosmic rays.

    What the proxy does NOT capture: particle fluxes and spectra (AP8/AE8, AP9), the
    shielding of the station, solar-cycle modulation of GCR and of the SAA, solar
    particle events, the ~0.3 deg/yr westward drift of the SAA beyond IGRF's epoch,
    and the fact that dose per minute in the SAA and at high latitude differ (on the
    ISS about half the dose is trapped protons from SAA passes and half GCR). It
    measures exposure time, not dose.

Dose estimate (:func:`radiation_dose`, models in :mod:`sim.radiation`)
    AP8/AE8 trapped fluxes along the orbit (the ``aep8`` package, tabulated once), the
    vertical cutoff rigidity of IGRF-14's eccentric dipole (Stormer) and a GCR index relative
    to free space, turned into mGy/day with two constants fitted on published ISS and Mir dosimetry
    (``data/iss_dosimetry_calibration.csv``) and applied unchanged to every orbit, with the
    calibration spread as a band. Shielding is fixed at the calibration's (inside ISS
    modules); solar particle events are excluded; AP8/AE8 are 1960s climatologies with the
    SAA moved west by its drift since.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .constants import DAY_S, FLATTENING, MAX_TIME_SAMPLES, R_EARTH, R_SUN, SUN_MEAN_MOTION
from .ephemeris import sun_position_gcrs
from .errors import ModelError, SimError, TimeInputError, as_float, broadcast, check_choice, check_range, describe
from .radiation import DEFAULT_ENERGY_MEV, DOSE_STEP_S, dipole_pole
from .radiation import check_igrf_year as _check_igrf_year
from .radiation import decimal_year as _decimal_year
from .timeutil import averaging_grid, offline_iers, seconds_between, to_time

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    import pandas as pd
    from astropy.time import Time

    from .orbits import Orbit

__all__ = [
    "sun_position_gcrs",
    "sun_position_teme",
    "beta_angle",
    "eclipse_beta_limit_deg",
    "eclipse_fraction_cylindrical",
    "shadow_function",
    "illuminated_fraction",
    "eclipses",
    "Eclipses",
    "sunlight_days",
    "ltan_hours",
    "ltan_drift_deg_per_day",
    "field_grid",
    "geomagnetic_latitude_deg",
    "radiation_exposure",
    "SHADOW_MODELS",
    "R_SUN",
    "SAA_THRESHOLD_NT",
    "HORN_GMLAT_DEG",
    "RADIATION_STEP_S",
    "radiation_field_grid",
    "radiation_dose",
    "check_radiation_span",
]

# R_SUN (solar radius for the penumbra, m; IAU 2015 Resolution B3) comes from sim.constants.
#: Shadow models of the eclipse functions: "conical" (umbra and penumbra) or "cylindrical".
SHADOW_MODELS = ("conical", "cylindrical")
#: |B| below this at the station's altitude defines the SAA, nT (assumption, see module doc).
SAA_THRESHOLD_NT = 21_000.0
#: |geomagnetic latitude| above this defines the polar horns / high-latitude zone, deg.
HORN_GMLAT_DEG = 60.0
#: Default time step of :func:`radiation_exposure`, s (the sweep's radiation metric uses it too).
RADIATION_STEP_S = 20.0
_B_OVER_A = 1.0 - FLATTENING
_REFINE_TOL_S = 0.01


class EnvironmentError_(SimError, ValueError):
    """Bad input to an environment analysis (shadow model, span, thresholds)."""


# ---------------------------------------------------------------- helpers


def _span(start, stop, *, name_stop="stop"):
    t0 = to_time(start, name="start")
    if len(t0) != 1:
        raise TimeInputError(f"start must be one time, got {len(t0)}")
    t0 = t0[0]
    if isinstance(stop, (int, float, np.integer, np.floating)) and not isinstance(stop, bool):
        span = float(stop) * DAY_S
    else:
        t1 = to_time(stop, name=name_stop)
        if len(t1) != 1:
            raise TimeInputError(f"{name_stop} must be one time, got {len(t1)}")
        span = float(seconds_between(t0, t1[0]))
    if not np.isfinite(span) or span <= 0:
        raise TimeInputError(
            f"{name_stop} must be after start (span {span:g} s); give a later time or a positive number of days"
        )
    return t0, span


def _times_at(t0, offsets_s):
    from astropy.time import TimeDelta

    with offline_iers():
        return (t0.tai + TimeDelta(np.asarray(offsets_s, dtype=float), format="sec")).utc


def _check_model(model):
    check_choice("shadow model", model, SHADOW_MODELS, error=ModelError)


def _check_orbit(orbit):
    from .orbits import check_orbit

    check_orbit(orbit, error=EnvironmentError_)


def sun_position_teme(times: Any) -> np.ndarray:
    """Apparent Sun position in TEME (true equator, mean equinox of date), m, (n_times, 3).

    ``times``: anything :func:`sim.timeutil.to_time` accepts.
    """
    from .frames import teme_to_gcrs_matrix

    t = to_time(times)
    s = sun_position_gcrs(t)
    R = teme_to_gcrs_matrix(t)  # TEME -> GCRS; transpose takes GCRS -> TEME
    return np.einsum("tji,tj->ti", R, s)


# ---------------------------------------------------------------- beta angle


def beta_angle(orbit: Orbit, times: Any, model: str = "j2", **options: Any) -> np.ndarray:
    """Solar beta angle (deg, -90..90), shaped (n_orbits, n_times).

    Positive when the Sun is on the side of the orbit normal (h = r x v).
    ``times``: anything :func:`sim.timeutil.to_time` accepts.
    """
    _check_orbit(orbit)
    t = to_time(times)
    s = sun_position_teme(t)
    s_hat = s / np.linalg.norm(s, axis=-1, keepdims=True)
    if model in ("j2", "kepler") and not options:
        from .propagation.j2 import secular_rates

        dt = orbit.seconds_since_epoch(t)
        rate = secular_rates(orbit.a, orbit.ecc, orbit.inc)[0] if model == "j2" else np.zeros(len(orbit))
        raan = orbit.raan[:, None] + np.asarray(rate)[:, None] * dt
        si = np.sin(orbit.inc)[:, None]
        n_hat = np.stack(
            [si * np.sin(raan), -si * np.cos(raan), np.broadcast_to(np.cos(orbit.inc)[:, None], raan.shape)], axis=-1
        )
    else:
        r, v = orbit.propagate(t, model=model, frame="TEME", **options)
        h = np.cross(r, v)
        n_hat = h / np.linalg.norm(h, axis=-1, keepdims=True)
    return np.degrees(np.arcsin(np.clip(np.einsum("otk,tk->ot", n_hat, s_hat), -1.0, 1.0)))


def eclipse_beta_limit_deg(altitude_km: ArrayLike, radius_m: float = R_EARTH) -> np.ndarray:
    """|beta| above which a circular orbit sees no (cylindrical) eclipse: asin(R / (R + h)), deg.

    69.9 deg at 415 km for the equatorial radius (ISS: "no eclipse above about 70 deg").
    """
    h_km = as_float(altitude_km, "altitude_km", "km")
    check_range("altitude_km", h_km, 0.0, 1e6, low_open=True, unit="km")
    h = h_km * 1e3
    return np.degrees(np.arcsin(radius_m / (radius_m + h)))


def eclipse_fraction_cylindrical(altitude_km: ArrayLike, beta_deg: ArrayLike, radius_m: float = R_EARTH) -> np.ndarray:
    """Fraction of a circular orbit in a cylindrical shadow of a spherical Earth.

    f = acos( sqrt(h^2 + 2 R h) / ((R + h) cos beta) ) / pi for |beta| below the limit,
    0 above (the shadow-cylinder geometry; the form given e.g. in Rickman, "Introduction to
    Orbital Mechanics and Spacecraft Attitudes for Thermal Engineers", NASA TFAWS 2014).
    At beta = 0: asin(R/(R+h))/pi.
    """
    h_km = as_float(altitude_km, "altitude_km", "km")
    check_range("altitude_km", h_km, 0.0, 1e6, low_open=True, unit="km")
    h, beta = broadcast(
        error=EnvironmentError_,
        altitude_km=h_km * 1e3,
        beta_deg=as_float(beta_deg, "beta_deg", "deg", error=EnvironmentError_),
    )
    b = np.radians(beta)
    x = np.sqrt(h * h + 2.0 * radius_m * h) / ((radius_m + h) * np.cos(b))
    return np.where(x < 1.0, np.arccos(np.clip(x, -1.0, 1.0)) / np.pi, 0.0)


# ---------------------------------------------------------------- shadow geometry


def _scale(r, oblate):
    if not oblate:
        return r
    out = np.array(r, dtype=float, copy=True)
    out[..., 2] /= _B_OVER_A
    return out


def shadow_function(
    r_teme: ArrayLike, sun_teme: ArrayLike, model: str = "conical", *, oblate: bool = True, radius_m: float = R_EARTH
) -> tuple[np.ndarray, np.ndarray]:
    """Continuous shadow functions, negative inside the shadow.

    ``r_teme`` (..., n_times, 3) satellite positions and ``sun_teme`` (n_times, 3), m.
    Returns ``(outer, inner)``: for "cylindrical" both are
    (distance from the shadow axis - R) behind the Earth and (|r| - R) elsewhere, m;
    for "conical" ``outer`` = separation - (Sun radius + Earth radius) (penumbra when
    < 0) and ``inner`` = separation - (Earth radius - Sun radius) (umbra when < 0), rad,
    all as angles seen from the satellite.
    """
    _check_model(model)
    from .frames import check_vectors

    r_teme = check_vectors(r_teme, "r_teme")
    sun_teme = check_vectors(sun_teme, "sun_teme", r_teme.shape[-2] if r_teme.ndim >= 2 else None)
    r = _scale(r_teme, oblate)
    s = _scale(sun_teme, oblate)
    if model == "cylindrical":
        s_hat = s / np.linalg.norm(s, axis=-1, keepdims=True)
        p = np.einsum("...tk,tk->...t", r, s_hat)
        d_perp = np.linalg.norm(r - p[..., None] * s_hat, axis=-1)
        g = np.where(p < 0.0, d_perp, np.linalg.norm(r, axis=-1)) - radius_m
        return g, g
    d = s - r  # satellite -> Sun
    rn = np.linalg.norm(r, axis=-1)
    dn = np.linalg.norm(d, axis=-1)
    a = np.arcsin(np.clip(R_SUN / dn, -1, 1))  # apparent solar radius
    b = np.arcsin(np.clip(radius_m / rn, -1, 1))  # apparent Earth radius
    c = np.arccos(np.clip(-np.einsum("...k,...k->...", r, d) / (rn * dn), -1.0, 1.0))
    return c - (a + b), c - (b - a)


def illuminated_fraction(
    r_teme: ArrayLike, sun_teme: ArrayLike, *, oblate: bool = True, radius_m: float = R_EARTH
) -> np.ndarray:
    """Fraction of the solar disc visible (0 in umbra, 1 in full sun), conical model, (..., n_times)."""
    from .frames import check_vectors

    r_teme = check_vectors(r_teme, "r_teme")
    sun_teme = check_vectors(sun_teme, "sun_teme", r_teme.shape[-2] if r_teme.ndim >= 2 else None)
    r = _scale(r_teme, oblate)
    s = _scale(sun_teme, oblate)
    d = s - r
    rn = np.linalg.norm(r, axis=-1)
    dn = np.linalg.norm(d, axis=-1)
    a = np.arcsin(np.clip(R_SUN / dn, -1, 1))
    b = np.arcsin(np.clip(radius_m / rn, -1, 1))
    c = np.arccos(np.clip(-np.einsum("...k,...k->...", r, d) / (rn * dn), -1.0, 1.0))
    # Montenbruck & Gill (2000) eqs. 3.83-3.87: area of the occulted part of the solar disc.
    with np.errstate(invalid="ignore", divide="ignore"):
        x = (c * c + a * a - b * b) / (2.0 * c)
        y = np.sqrt(np.clip(a * a - x * x, 0.0, None))
        area = a * a * np.arccos(np.clip(x / a, -1, 1)) + b * b * np.arccos(np.clip((c - x) / b, -1, 1)) - c * y
    nu = 1.0 - area / (np.pi * a * a)
    nu = np.where(c >= a + b, 1.0, nu)
    nu = np.where(c <= b - a, 0.0, nu)
    return np.clip(nu, 0.0, 1.0)


class _SunTable:
    """Sun in TEME tabulated hourly over a span and interpolated linearly.

    The Sun moves ~0.04 deg per hour in TEME; linear interpolation errs by
    (omega dt)^2 / 8 ~ 7e-8 rad (0.01"), far below the ephemeris error, and saves the
    per-sample precession-nutation matrices.
    """

    def __init__(self, t0, span_s):
        self.off = np.arange(-3600.0, span_s + 7200.0, 3600.0)
        self.xyz = sun_position_teme(_times_at(t0, self.off))

    def __call__(self, offsets):
        o = np.asarray(offsets, dtype=float)
        return np.stack([np.interp(o, self.off, self.xyz[:, k]) for k in range(3)], axis=-1)


def _positions_sun(orbit, t0, offsets, model, options, sun):
    t = _times_at(t0, offsets)
    r, _ = orbit.propagate(t, model=model, frame="TEME", **options)
    return r, sun(offsets)


def _refine(orb1, t0, lo, hi, glo, ghi, which, model, shadow_model, oblate, options, sun):
    """Illinois root refinement of shadow function ``which`` (0 outer, 1 inner) for one orbit.

    ``lo``, ``hi`` (k,) bracket offsets (s) with g(lo) and g(hi) of opposite sign.
    """
    lo, hi, glo, ghi = (np.array(x, dtype=float) for x in (lo, hi, glo, ghi))
    side = np.zeros(lo.shape, dtype=int)
    for _ in range(60):
        if np.all(hi - lo < _REFINE_TOL_S):
            break
        denom = ghi - glo
        tm = np.where(denom != 0, hi - ghi * (hi - lo) / np.where(denom != 0, denom, 1.0), 0.5 * (lo + hi))
        # keep strictly inside; fall back to bisection where regula falsi stalls
        tm = np.clip(tm, lo + 0.1 * _REFINE_TOL_S, hi - 0.1 * _REFINE_TOL_S)
        tm = np.where(hi - lo < _REFINE_TOL_S, 0.5 * (lo + hi), tm)
        r, s = _positions_sun(orb1, t0, tm, model, options, sun)
        gm = shadow_function(r[0], s, shadow_model, oblate=oblate)[which]
        same_lo = np.sign(gm) == np.sign(glo)
        # Illinois: halve the retained end's value when the same end is kept twice
        lo = np.where(same_lo, tm, lo)
        glo_new = np.where(same_lo, gm, glo)
        ghi_new = np.where(same_lo, ghi, gm)
        hi = np.where(same_lo, hi, tm)
        ghi_new = np.where(same_lo & (side == 1), 0.5 * ghi_new, ghi_new)
        glo_new = np.where(~same_lo & (side == -1), 0.5 * glo_new, glo_new)
        side = np.where(same_lo, 1, -1)
        glo, ghi = glo_new, ghi_new
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class Eclipses:
    """One row per eclipse. Times are seconds after ``start`` (``*_s``) or astropy Time.

    For the conical model ``entry``/``exit`` bound the whole shadow (penumbra) and
    ``umbra_entry``/``umbra_exit`` the total shadow (NaN when only penumbral); for the
    cylindrical model they coincide. ``fraction`` = duration / nodal period of the orbit.
    """

    start: object
    stop_s: float
    model: str
    names: tuple
    period_s: np.ndarray  # nodal period per orbit (s)
    orbit_index: np.ndarray  # (n_rows,) int
    entry_s: np.ndarray
    exit_s: np.ndarray
    umbra_entry_s: np.ndarray
    umbra_exit_s: np.ndarray

    def __len__(self) -> int:
        return int(self.orbit_index.size)

    @property
    def duration_s(self) -> np.ndarray:
        return self.exit_s - self.entry_s

    @property
    def umbra_s(self) -> np.ndarray:
        return np.nan_to_num(self.umbra_exit_s - self.umbra_entry_s, nan=0.0)

    @property
    def fraction(self) -> np.ndarray:
        return self.duration_s / self.period_s[self.orbit_index]

    @property
    def entry(self) -> Time:
        return _times_at(self.start, self.entry_s)

    @property
    def exit(self) -> Time:
        return _times_at(self.start, self.exit_s)

    def for_orbit(self, i: int) -> Eclipses:
        m = self.orbit_index == i
        return Eclipses(
            self.start,
            self.stop_s,
            self.model,
            self.names,
            self.period_s,
            self.orbit_index[m],
            self.entry_s[m],
            self.exit_s[m],
            self.umbra_entry_s[m],
            self.umbra_exit_s[m],
        )

    def fraction_range(self) -> np.ndarray:
        """(n_orbits, 2) min and max eclipse fraction per orbit (0, 0 when no eclipse)."""
        out = np.zeros((len(self.names), 2))
        f = self.fraction
        for i in range(len(self.names)):
            m = self.orbit_index == i
            if m.any():
                out[i] = f[m].min(), f[m].max()
        return out

    def to_pandas(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            {
                "orbit": [self.names[i] for i in self.orbit_index],
                "entry_utc": self.entry.isot if len(self) else [],
                "exit_utc": self.exit.isot if len(self) else [],
                "duration_s": self.duration_s,
                "umbra_s": self.umbra_s,
                "fraction": self.fraction,
            }
        )


def eclipses(
    orbit: Orbit,
    start: Any,
    stop: Any,
    model: str = "conical",
    *,
    propagator: str = "j2",
    step_s: float = 30.0,
    oblate: bool = True,
    **options: Any,
) -> Eclipses:
    """Eclipses of every orbit between ``start`` and ``stop`` (a time, or a number of days).

    ``model``: "conical" (penumbra and umbra) or "cylindrical". ``propagator``: the
    propagation model ("j2" default, "sgp4" for element sets, "kepler", ...); the
    keyword ``model="sgp4"`` is accepted as a shorthand for ``propagator="sgp4"``
    (shadow model then "conical"). Entry/exit refined to 0.01 s. ``start`` (and ``stop``
    when a time): one time, anything :func:`sim.timeutil.to_time` accepts.
    """
    from .propagation import models as _prop_models

    _check_orbit(orbit)
    if isinstance(model, str) and model in _prop_models():
        propagator, model = model, "conical"
    _check_model(model)
    check_range(
        "step_s",
        step_s,
        0.5,
        120.0,
        unit="s (an eclipse lasts >= ~20 min in LEO)",
        error=EnvironmentError_,
        scalar=True,
    )
    t0, span = _span(start, stop)
    if span / step_s + 1 > MAX_TIME_SAMPLES:
        raise EnvironmentError_(
            f"stop: {span / DAY_S:g} days at step_s {step_s:g} s is {int(span / step_s) + 1:,} times, more than the "
            f"{MAX_TIME_SAMPLES:,} of one time grid (sim.constants.MAX_TIME_SAMPLES); shorten the span or raise step_s"
        )
    n = len(orbit)
    grid = np.arange(0.0, span + 1e-9, step_s)
    if grid[-1] < span:
        grid = np.append(grid, span)
    sun = _SunTable(t0, span)
    chunk = max(1000, int(2_000_000 // max(n, 1)))
    go_list, gi_list = [], []
    for k in range(0, grid.size, chunk):
        r, s = _positions_sun(orbit, t0, grid[k : k + chunk], propagator, options, sun)
        go, gi = shadow_function(r, s, model, oblate=oblate)
        go_list.append(go)
        gi_list.append(gi)
    g_out = np.concatenate(go_list, axis=1)
    g_in = np.concatenate(gi_list, axis=1)

    rows = []
    for i in range(n):
        orb1 = orbit[i]
        res = {}
        for which, g in ((0, g_out[i]), (1, g_in[i])):
            if model == "cylindrical" and which == 1:
                res[1] = res[0]
                continue
            neg = g < 0
            k = np.nonzero(neg[1:] != neg[:-1])[0]
            if k.size:
                tc = _refine(
                    orb1, t0, grid[k], grid[k + 1], g[k], g[k + 1], which, propagator, model, oblate, options, sun
                )
            else:
                tc = np.zeros(0)
            is_entry = neg[k + 1]
            res[which] = (tc, is_entry, bool(neg[0]))
        tc, is_entry, starts_in = res[0]
        entries = tc[is_entry]
        exits = tc[~is_entry]
        if starts_in and exits.size:
            exits = exits[1:]  # eclipse cut by the start of the span: dropped
        m = min(entries.size, exits.size)
        entries, exits = entries[:m], exits[:m]
        utc, uis, _ = res[1]
        u_en, u_ex = utc[uis], utc[~uis]
        for e0, e1 in zip(entries, exits):
            ue = u_en[(u_en >= e0) & (u_en <= e1)]
            ux = u_ex[(u_ex >= e0) & (u_ex <= e1)]
            rows.append((i, e0, e1, ue[0] if ue.size else np.nan, ux[-1] if ux.size else np.nan))
    arr = np.array(rows, dtype=float).reshape(-1, 5)
    order = np.lexsort((arr[:, 1], arr[:, 0]))
    arr = arr[order]
    return Eclipses(
        t0,
        span,
        model,
        tuple(orbit.names),
        np.asarray(orbit.nodal_period_s, dtype=float),
        arr[:, 0].astype(int),
        arr[:, 1],
        arr[:, 2],
        arr[:, 3],
        arr[:, 4],
    )


def sunlight_days(ecl: Eclipses) -> np.ndarray:
    """Whole 24-hour periods (counted from ``ecl.start``) without any eclipse, per orbit (n_orbits,).

    Computed from an :class:`Eclipses` table, so it uses the same shadow model; over a
    year from ``eclipses(orbit, start, 365.25, ...)`` this is "days of continuous
    sunlight per year". A partial last day is not counted.
    """
    n_days = int(np.floor(ecl.stop_s / DAY_S + 1e-9))
    out = np.zeros(len(ecl.names), dtype=int)
    for i in range(len(ecl.names)):
        e = ecl.for_orbit(i)
        dark = np.zeros(n_days, dtype=bool)
        d0 = np.floor(e.entry_s / DAY_S).astype(int)
        d1 = np.floor(e.exit_s / DAY_S).astype(int)
        for a, b in zip(d0, d1):
            dark[max(a, 0) : min(b, n_days - 1) + 1] = True
        out[i] = int((~dark).sum())
    return out


# ---------------------------------------------------------------- local time of the node


def ltan_hours(orbit: Orbit, times: Any, kind: str = "mean") -> np.ndarray:
    """Local time of the ascending node (hours, 0-24), (n_orbits, n_times), J2 secular node.

    ``kind="mean"``: local mean solar time, ``UT1 + (RAAN - GMST)/15`` (the convention of
    :meth:`sim.Orbit.sun_synchronous`); ``kind="true"``: apparent solar time,
    ``12 + (RAAN - RA_sun)/15`` (differs by the equation of time, up to ~16 min).
    ``times``: anything :func:`sim.timeutil.to_time` accepts.
    """
    from .propagation.j2 import secular_rates

    _check_orbit(orbit)
    check_choice("kind", kind, ("mean", "true"), error=ModelError)
    t = to_time(times)
    if kind == "mean":
        return orbit.mean_ltan_hours(t)
    dt = orbit.seconds_since_epoch(t)
    raan = orbit.raan[:, None] + np.asarray(secular_rates(orbit.a, orbit.ecc, orbit.inc)[0])[:, None] * dt
    s = sun_position_teme(t)
    ra = np.arctan2(s[:, 1], s[:, 0])
    return (12.0 + np.degrees(raan - ra[None, :]) / 15.0) % 24.0


def ltan_drift_deg_per_day(orbit: Orbit) -> np.ndarray:
    """Drift of the node against the mean Sun, deg/day (0 for an exactly sun-synchronous orbit).

    J2 nodal rate minus the mean Sun's motion (360 deg per tropical year). Divide by 15
    for hours per day. 96.8 deg at 400 km: about -0.03 deg/day (reference_facts.md).
    """
    _check_orbit(orbit)
    return np.asarray(orbit.nodal_rate_deg_per_day) - np.degrees(SUN_MEAN_MOTION) * DAY_S


# ---------------------------------------------------------------- geomagnetic field (IGRF)


def _igrf_date(year: float):
    import datetime as _dt

    y = int(np.floor(year))
    start = _dt.datetime(y, 1, 1)
    return start + (_dt.datetime(y + 1, 1, 1) - start) * (year - y)


@lru_cache(maxsize=8)
def _field_grid_cached(year10: int, alt_lo_km: int, alt_hi_km: int, step_deg: float):
    import ppigrf

    lat = np.arange(-90.0, 90.0 + 1e-9, step_deg)
    lat = np.clip(lat, -89.99, 89.99)  # ppigrf divides by sin(colatitude)
    lon = np.arange(-180.0, 180.0 + 1e-9, step_deg)
    alt = np.arange(alt_lo_km, alt_hi_km + 1e-9, 20.0)
    if alt.size < 2:
        alt = np.array([alt_lo_km, alt_lo_km + 20.0])
    La, Lo, H = np.meshgrid(lat, lon, alt, indexing="ij")
    with np.errstate(invalid="ignore", divide="ignore"):
        Be, Bn, Bu = ppigrf.igrf(Lo, La, H, _igrf_date(year10 / 10.0))
    B = np.sqrt(Be[0] ** 2 + Bn[0] ** 2 + Bu[0] ** 2)
    return lat, lon, alt, B


def field_grid(
    when: Any, alt_range_km: ArrayLike = (380.0, 440.0), step_deg: float = 2.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """|B| (nT) of IGRF-14 on a geodetic grid: ``(lat_deg, lon_deg, alt_km, B)`` with B (lat, lon, alt).

    Evaluated once per (0.1 year, altitude range, step) and cached: 91 x 181 x 4 points
    take ~4 s with ppigrf. ``when``: one time, anything :func:`sim.timeutil.to_time` accepts
    (the field's epoch, rounded to 0.1 year; the secular variation over a year moves |B| by
    < 0.5 %).
    """
    t = to_time(when, name="when")
    year = _decimal_year(t)
    _check_igrf_year(year)
    rng = as_float(alt_range_km, "alt_range_km", "km", error=EnvironmentError_)
    if rng.shape != (2,):
        raise EnvironmentError_(f"alt_range_km must be (low, high) in km, got {describe(alt_range_km)}")
    lo, hi = (float(x) for x in rng)
    check_range("alt_range_km", [lo, hi], 0.0, 2000.0, unit="km", error=EnvironmentError_)
    check_range("step_deg", step_deg, 0.5, 10.0, unit="deg", error=EnvironmentError_, scalar=True)
    lo20, hi20 = int(np.floor(lo / 20.0) * 20), int(np.ceil(hi / 20.0) * 20)
    return _field_grid_cached(int(round(year * 10)), lo20, max(hi20, lo20 + 20), float(step_deg))


_field_grid = field_grid  # radiation_exposure's keyword ``field_grid`` shadows the function


def geomagnetic_latitude_deg(lat_deg: ArrayLike, lon_deg: ArrayLike, alt_km: ArrayLike, when: Any) -> np.ndarray:
    """Centred-dipole geomagnetic latitude (deg) of geodetic points at the IGRF epoch ``when``
    (anything :func:`sim.timeutil.to_time` accepts)."""
    from .frames import geodetic_to_itrs

    t = to_time(when, name="when")
    year = _decimal_year(t)
    _check_igrf_year(year)
    p = dipole_pole(year)
    lat = as_float(lat_deg, "lat_deg", "deg", error=EnvironmentError_)
    lon = as_float(lon_deg, "lon_deg", "deg", error=EnvironmentError_)
    alt = as_float(alt_km, "alt_km", "km", error=EnvironmentError_)
    check_range("lat_deg", lat, -90.0, 90.0, unit="deg", error=EnvironmentError_)
    x = geodetic_to_itrs(np.radians(lat), np.radians(lon), alt * 1e3)
    u = x / np.linalg.norm(x, axis=-1, keepdims=True)
    return np.degrees(np.arcsin(np.clip(u @ p, -1.0, 1.0)))


def radiation_field_grid(
    start: Any, days: float, alt_range_km: ArrayLike, *, step_s: float = RADIATION_STEP_S
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The IGRF grid :func:`radiation_exposure` uses for the span ``start + days``, over ``alt_range_km``.

    Build it once and pass it as ``radiation_exposure(..., field_grid=grid)`` to many batches of
    orbits over the same span (a sweep does). ``alt_range_km`` must cover the geodetic altitudes
    of the tracks (``radiation_exposure`` checks it). ``start``: one time, anything
    :func:`sim.timeutil.to_time` accepts.
    """
    check_range("days", days, 0.01, 3660.0, unit="days", error=EnvironmentError_, scalar=True)
    check_range("step_s", step_s, 1.0, 600.0, unit="s", error=EnvironmentError_, scalar=True)
    _, mid = averaging_grid(start, days, step_s)
    return field_grid(mid, alt_range_km)


def radiation_exposure(
    orbit: Orbit,
    start: Any,
    days: float = 10.0,
    *,
    step_s: float = RADIATION_STEP_S,
    saa_threshold_nT: float = SAA_THRESHOLD_NT,
    horn_gmlat_deg: float = HORN_GMLAT_DEG,
    model: str = "j2",
    reference: int = 0,
    return_tracks: bool = False,
    field_grid: tuple | None = None,
) -> dict:
    """Radiation-exposure proxy per orbit: minutes per day in the SAA and at high geomagnetic latitude.

    Returns a dict of arrays shaped (n_orbits,): ``saa_min_per_day``, ``horn_min_per_day``,
    ``exposure_min_per_day`` (their sum), ``ratio`` (exposure relative to orbit
    ``reference``), ``saa_ratio``, ``horn_ratio``, and ``threshold_nT``/``horn_gmlat_deg``.
    With ``return_tracks=True`` also ``lat_deg``, ``lon_deg``, ``alt_km``, ``B_nT``,
    ``gmlat_deg``, ``in_saa``, ``in_horn`` (n_orbits, n_times) for maps.
    See the module docstring for the thresholds and what the proxy leaves out.
    ``start``: one time, anything :func:`sim.timeutil.to_time` accepts.

    ``field_grid``: a precomputed ``(lat_deg, lon_deg, alt_km, B)`` grid from
    :func:`field_grid` to use instead of building one (a sweep builds it once for all its
    candidates); it must cover the tracks' geodetic altitudes, and its epoch should be the
    span's middle (the default grid's epoch), which is not checked.
    """
    from scipy.interpolate import RegularGridInterpolator

    from .groundtrack import ground_track

    _check_orbit(orbit)
    check_range("days", days, 0.01, 3660.0, unit="days", error=EnvironmentError_, scalar=True)
    check_range("step_s", step_s, 1.0, 600.0, unit="s", error=EnvironmentError_, scalar=True)
    check_range(
        "saa_threshold_nT", saa_threshold_nT, 10_000.0, 40_000.0, unit="nT", error=EnvironmentError_, scalar=True
    )
    check_range("horn_gmlat_deg", horn_gmlat_deg, 30.0, 90.0, unit="deg", error=EnvironmentError_, scalar=True)
    if not (0 <= int(reference) < len(orbit)):
        raise EnvironmentError_(f"reference must be an orbit index in [0, {len(orbit) - 1}], got {reference}")
    t, mid = averaging_grid(start, days, step_s)
    lat, lon, alt = ground_track(orbit, t, model=model)
    if field_grid is None:
        g_lat, g_lon, g_alt, B = _field_grid(mid, (float(alt.min()) - 10.0, float(alt.max()) + 10.0))
    else:
        try:
            g_lat, g_lon, g_alt, B = (np.asarray(x, float) for x in field_grid)
        except (TypeError, ValueError):
            raise EnvironmentError_(
                "field_grid must be the (lat_deg, lon_deg, alt_km, B) tuple of sim.environment.field_grid"
            ) from None
        if B.shape != (g_lat.size, g_lon.size, g_alt.size):
            raise EnvironmentError_(
                f"field_grid: B has shape {B.shape}, expected (lat, lon, alt) = {(g_lat.size, g_lon.size, g_alt.size)}"
            )
        if not (g_alt[0] <= float(alt.min()) and float(alt.max()) <= g_alt[-1]):
            raise EnvironmentError_(
                f"field_grid covers altitudes {g_alt[0]:g}..{g_alt[-1]:g} km but the tracks "
                f"reach {float(alt.min()):.1f}..{float(alt.max()):.1f} km; build it with "
                f"field_grid(when, (low, high)) spanning them"
            )
    interp = RegularGridInterpolator((g_lat, g_lon, g_alt), B, bounds_error=False, fill_value=None)
    latc = np.clip(lat, g_lat[0], g_lat[-1])
    Bt = interp(np.stack([latc, lon, alt], axis=-1).reshape(-1, 3)).reshape(lat.shape)
    gml = geomagnetic_latitude_deg(lat, lon, alt, mid)
    in_saa = Bt < saa_threshold_nT
    in_horn = np.abs(gml) >= horn_gmlat_deg
    per_day = step_s / 60.0 / (len(t) * step_s / DAY_S)
    saa = in_saa.sum(axis=1) * per_day
    horn = in_horn.sum(axis=1) * per_day
    exposure = saa + horn
    ref = int(reference)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {
            "names": tuple(orbit.names),
            "saa_min_per_day": saa,
            "horn_min_per_day": horn,
            "exposure_min_per_day": exposure,
            "ratio": exposure / exposure[ref],
            "saa_ratio": saa / saa[ref],
            "horn_ratio": horn / horn[ref],
            "threshold_nT": float(saa_threshold_nT),
            "horn_gmlat_deg": float(horn_gmlat_deg),
            "days": float(days),
        }
    if return_tracks:
        out.update(
            lat_deg=lat,
            lon_deg=lon,
            alt_km=alt,
            B_nT=Bt,
            gmlat_deg=gml,
            in_saa=in_saa,
            in_horn=in_horn,
            grid=(g_lat, g_lon, g_alt, B),
        )
    return out


def check_radiation_span(start: Any, days: float) -> None:
    """Raise a :class:`~sim.errors.TimeInputError` when :func:`radiation_exposure` over ``days`` from
    ``start`` would fall outside the IGRF-14 years (1900-2030), before any propagation
    (``sim validate`` calls it with the span the run would use). ``start``: anything
    :func:`sim.timeutil.to_time` accepts."""
    check_range("days", days, 0.01, 3660.0, unit="days", error=EnvironmentError_, scalar=True)
    _, mid = averaging_grid(start, days, RADIATION_STEP_S)
    _check_igrf_year(_decimal_year(mid))


def radiation_dose(
    orbit: Orbit,
    start: Any,
    days: float = 10.0,
    solar: str = "min",
    *,
    proton_MeV: float = DEFAULT_ENERGY_MEV["p"],
    electron_MeV: float = DEFAULT_ENERGY_MEV["e"],
    step_s: float = DOSE_STEP_S,
    model: str = "j2",
    saa_drift: bool = True,
    reference: int = 0,
    return_tracks: bool = False,
) -> dict:
    """Absorbed dose rate per station (mGy/day inside ISS-like shielding), split by source.

    The public entry of :mod:`sim.radiation` (see its docstring for the models and their limits):
    AP8/AE8 trapped fluxes (protons above ``proton_MeV``, default 10 MeV; electrons above
    ``electron_MeV``, default 1 MeV; ``solar`` "min" or "max") and the vertical cutoff rigidity
    of IGRF-14's eccentric dipole, averaged along each orbit over ``days`` from ``start`` (one
    time, anything :func:`sim.timeutil.to_time` accepts) every ``step_s`` seconds, and the dose
    constants fitted on published ISS and Mir dosimetry. Returns a dict of arrays shaped (n_orbits,):
    ``trapped_mGy_per_day``, ``gcr_mGy_per_day``, ``total_mGy_per_day`` with their ``*_low`` /
    ``*_high`` calibration band, ``ratio`` (to orbit ``reference``) with ``ratio_low`` /
    ``ratio_high``, the orbit-averaged fluxes and daily fluences, the mean cutoff, the
    fraction of time below each cutoff threshold (``below_fraction``, ``thresholds_GV``) and
    the GCR exposure index relative to free space (``gcr_index``). What each ratio rests on:
    ``flux_ratio`` and ``gcr_index_ratio`` (to orbit ``reference``, no calibration), the
    reference's calibrated GCR share ``reference_gcr_share`` (+ ``_low``/``_high``), each orbit's
    ``gcr_share``, and ``claim_gcr_share`` (the reference share at which the published polar-orbit
    ratios ``claim_ratios`` would hold; compared, never an input): see
    :func:`sim.radiation.ratio_at_gcr_share`.

    Not included: solar particle events, shielding other than the calibration's, the SAA's
    growth and northward drift since the AP8 epoch. Bad input (energies outside the AP8/AE8
    tables, altitudes outside 150-1000 km, dates outside IGRF-14's 1900-2030) raises a
    :class:`~sim.errors.SimError`.
    """
    from .radiation import dose_rate

    return dose_rate(
        orbit,
        start,
        days,
        solar=solar,
        proton_MeV=proton_MeV,
        electron_MeV=electron_MeV,
        step_s=step_s,
        model=model,
        saa_drift=saa_drift,
        reference=reference,
        return_tracks=return_tracks,
    )
