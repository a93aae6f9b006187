"""Reference frames: TEME and GCRS to ITRS, and ITRS to WGS84 geodetic, batched.

Positions are arrays shaped ``(..., n_times, 3)`` in metres (velocities in m/s) whose
second-to-last axis matches ``times``.

Two paths
---------
* **exact** (``exact=True``): astropy's coordinate machinery (``TEME``, ``GCRS``,
  ``ITRS`` frames, IAU 2006/2000A, polar motion and UT1 from the bundled IERS data).
* **fast** (default): the same rotations built once per time step as 3x3 matrices and
  applied to all orbits at once. TEME -> ITRS is the GMST-1982 rotation used by SGP4
  (Vallado's convention) plus polar motion; GCRS -> ITRS is polar motion x Earth rotation
  angle x the IAU 2006/2000A celestial-to-intermediate matrix, the latter evaluated on
  an hourly grid and interpolated (it changes by under 1e-9 rad per hour beyond a
  linear trend). ``tests/test_frames.py`` measures fast against exact: below 1 mm in
  position for TEME and below 1 cm for GCRS over a day.

Earth-orientation data come from :func:`sim.timeutil.offline_iers` (no network).
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .constants import E2_EARTH, OMEGA_EARTH, R_EARTH
from .errors import ModelError, as_float, broadcast, check_choice
from .timeutil import offline_iers, to_time

__all__ = [
    "FRAMES",
    "convert",
    "gmst82",
    "teme_to_itrs_matrix",
    "gcrs_to_itrs_matrix",
    "teme_to_gcrs_matrix",
    "itrs_to_geodetic",
    "check_vectors",
    "geodetic_to_itrs",
    "rotate",
]

#: Frames :func:`rotate` converts between.
FRAMES = ("TEME", "GCRS", "ITRS")
_ARCSEC = np.pi / 180.0 / 3600.0


class _JD:
    """A two-part Julian date (the attributes erfa functions take)."""

    __slots__ = ("jd1", "jd2")

    def __init__(self, jd1, jd2):
        self.jd1, self.jd2 = jd1, jd2


@functools.lru_cache(maxsize=16)
def _eop_table(mjd_lo: int, mjd_hi: int):
    """UT1-TAI (s) and polar motion (rad) at 0h UTC of each day, from astropy's bundled IERS data.

    UT1-TAI is continuous across leap seconds, so linear interpolation between the daily
    nodes reproduces astropy's own (linear, daily-table) interpolation of UT1-UTC.
    """
    from astropy.time import Time
    from astropy.utils import iers

    days = np.arange(mjd_lo, mjd_hi + 1, dtype=float)
    t = Time(days, format="mjd", scale="utc")
    with offline_iers():
        ut1, tai = t.ut1, t.tai
        xp, yp = iers.earth_orientation_table.get().pm_xy(t, return_status=False)
    ut1_tai = ((np.asarray(ut1.jd1) - np.asarray(tai.jd1)) + (np.asarray(ut1.jd2) - np.asarray(tai.jd2))) * 86400.0
    return days, ut1_tai, np.asarray(xp.to_value("rad")), np.asarray(yp.to_value("rad"))


def _eop(times):
    """UT1 and TT two-part Julian dates and polar motion (rad) for ``times`` (1-D UTC Time).

    Vectorised ERFA for UTC->TAI->TT and a cached daily table for UT1 and polar motion:
    a few microseconds per time instead of astropy's per-call set-up (~10 ms), which
    dominated short propagations (pass refinement calls propagate hundreds of times).
    """
    import erfa

    jd1, jd2 = np.asarray(times.utc.jd1, float), np.asarray(times.utc.jd2, float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", erfa.ErfaWarning)  # "dubious year" past the leap-second table
        tai1, tai2 = erfa.utctai(jd1, jd2)
        tt1, tt2 = erfa.taitt(tai1, tai2)
    mjd = (jd1 - 2400000.5) + jd2
    lo, hi = int(np.floor(mjd.min())) - 1, int(np.ceil(mjd.max())) + 1
    days, ut1_tai, xp, yp = _eop_table(lo - lo % 32, hi + 32 - hi % 32)  # 32-day blocks: reuse the cache
    ut1 = _JD(tai1, tai2 + np.interp(mjd, days, ut1_tai) / 86400.0)
    return ut1, _JD(tt1, tt2), np.interp(mjd, days, xp), np.interp(mjd, days, yp)


def gmst82(times: Any) -> np.ndarray:
    """Greenwich mean sidereal time (IAU 1982 model, as SGP4/TEME use), radians.

    ``times``: anything :func:`sim.timeutil.to_time` accepts.
    """
    import erfa

    ut1, _, _, _ = _eop(to_time(times))
    return erfa.gmst82(ut1.jd1, ut1.jd2)


def _rot_z(angle):
    c, s = np.cos(angle), np.sin(angle)
    R = np.zeros(np.shape(angle) + (3, 3))
    R[..., 0, 0] = c
    R[..., 0, 1] = s
    R[..., 1, 0] = -s
    R[..., 1, 1] = c
    R[..., 2, 2] = 1.0
    return R


def _polar_motion(xp, yp, tt):
    import erfa

    sp = erfa.sp00(tt.jd1, tt.jd2)
    return erfa.pom00(xp, yp, sp)


def teme_to_itrs_matrix(times: Any, polar_motion: bool = True) -> np.ndarray:
    """Rotation matrices (n_times, 3, 3) taking TEME vectors to ITRS.

    ``times``: anything :func:`sim.timeutil.to_time` accepts.
    """
    import erfa

    times = to_time(times)
    ut1, tt, xp, yp = _eop(times)
    R = _rot_z(erfa.gmst82(ut1.jd1, ut1.jd2))
    if polar_motion:
        R = _polar_motion(xp, yp, tt) @ R
    return R


def _c2i_interpolated(tt, step_days: float = 1.0 / 24.0) -> np.ndarray:
    """Celestial-to-intermediate matrices (IAU 2006/2000A) linearly interpolated on a grid."""
    import erfa

    jd = np.asarray(tt.jd1) + np.asarray(tt.jd2)
    if jd.size <= 48:
        return erfa.c2i06a(tt.jd1, tt.jd2)
    lo, hi = jd.min(), jd.max()
    n = int(np.ceil((hi - lo) / step_days)) + 2
    grid = lo + np.arange(n) * step_days
    C = erfa.c2i06a(grid, np.zeros_like(grid))
    pos = (jd - lo) / step_days
    i = np.clip(np.floor(pos).astype(int), 0, n - 2)
    w = (pos - i)[:, None, None]
    return C[i] * (1.0 - w) + C[i + 1] * w


def gcrs_to_itrs_matrix(times: Any, polar_motion: bool = True) -> np.ndarray:
    """Rotation matrices (n_times, 3, 3) taking GCRS vectors to ITRS (CIO based, IAU 2006/2000A).

    ``times``: anything :func:`sim.timeutil.to_time` accepts.
    """
    import erfa

    times = to_time(times)
    ut1, tt, xp, yp = _eop(times)
    R = _rot_z(erfa.era00(ut1.jd1, ut1.jd2)) @ _c2i_interpolated(tt)
    if polar_motion:
        R = _polar_motion(xp, yp, tt) @ R
    return R


def teme_to_gcrs_matrix(times: Any) -> np.ndarray:
    """Rotation matrices (n_times, 3, 3) taking TEME vectors to GCRS.

    ``times``: anything :func:`sim.timeutil.to_time` accepts.
    """
    return np.swapaxes(gcrs_to_itrs_matrix(times), -1, -2) @ teme_to_itrs_matrix(times)


def rotate(R: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Apply per-time matrices ``R`` (n_times, 3, 3) to vectors ``x`` (..., n_times, 3)."""
    return np.einsum("tij,...tj->...ti", R, x)


def _earth_rate_term(r_itrs):
    w = np.array([0.0, 0.0, OMEGA_EARTH])
    return np.cross(w, r_itrs)


def _matrix_to_itrs(frm: str, times):
    if frm == "TEME":
        return teme_to_itrs_matrix(times)
    if frm == "GCRS":
        return gcrs_to_itrs_matrix(times)
    return np.broadcast_to(np.eye(3), (len(times), 3, 3))


def convert(
    r: ArrayLike, v: ArrayLike | None, times: Any, frm: str, to: str, *, exact: bool = False
) -> tuple[np.ndarray, np.ndarray | None]:
    """Convert positions (m) and velocities (m/s) between ``TEME``, ``GCRS`` and ``ITRS``.

    ``r`` and ``v`` are shaped (..., n_times, 3); ``v`` may be None. Velocities into or out
    of ITRS include the Earth-rotation term (ITRS velocities are relative to the rotating
    Earth). ``times``: anything :func:`sim.timeutil.to_time` accepts. Returns ``(r, v)`` in
    the ``to`` frame (``v`` None when given None).
    """
    frm = check_choice("from frame", frm, FRAMES, upper=True)
    to = check_choice("to frame", to, FRAMES, upper=True)
    times = to_time(times)
    r = check_vectors(r, "r", len(times))
    v = None if v is None else check_vectors(v, "v", len(times))
    if v is not None and v.shape != r.shape:
        raise ModelError(f"r and v must have the same shape, got {r.shape} and {v.shape}")
    if frm == to:
        return r, v
    if exact:
        return _convert_astropy(r, v, times, frm, to)
    # go through ITRS with matrices
    A = _matrix_to_itrs(frm, times)
    r_i = rotate(A, r)
    v_i = None
    if v is not None:
        v_i = rotate(A, v)
        if frm != "ITRS":
            v_i = v_i - _earth_rate_term(r_i)
    if to == "ITRS":
        return r_i, v_i
    B = np.swapaxes(_matrix_to_itrs(to, times), -1, -2)
    r_o = rotate(B, r_i)
    v_o = None
    if v_i is not None:
        v_o = rotate(B, v_i + _earth_rate_term(r_i))
    return r_o, v_o


def _convert_astropy(r, v, times, frm, to):
    """The exact path: astropy's frame transformations (slow, for reference and tests)."""
    import astropy.units as u
    from astropy.coordinates import GCRS, ITRS, TEME, CartesianDifferential, CartesianRepresentation

    frames = {"TEME": TEME, "GCRS": GCRS, "ITRS": ITRS}
    shape = r.shape
    tt = np.broadcast_to(np.arange(len(times)), shape[:-1]).ravel()
    obstime = times[tt]
    rep = CartesianRepresentation(r.reshape(-1, 3).T * u.m)
    if v is not None:
        rep = rep.with_differentials(CartesianDifferential(v.reshape(-1, 3).T * u.m / u.s))
    with offline_iers():
        dst = frames[frm](rep, obstime=obstime).transform_to(frames[to](obstime=obstime))
        cart = dst.cartesian
        r_o = cart.xyz.to_value(u.m).T.reshape(shape)
        v_o = None
        if v is not None:
            v_o = cart.differentials["s"].d_xyz.to_value(u.m / u.s).T.reshape(shape)
    return r_o, v_o


def check_vectors(x: ArrayLike, name: str, n_times: int | None = None) -> np.ndarray:
    """``x`` as a float array of 3-vectors, shape (..., 3) (with ``n_times`` or 1 rows before the
    last axis when given), or a :class:`~sim.errors.ModelError` naming ``name`` (NaN allowed: states
    after a re-entry are NaN). The one position/velocity check of sim's public edges."""
    arr = as_float(x, name, finite=False, error=ModelError)
    if arr.ndim == 0 or arr.shape[-1] != 3 or arr.size == 0:
        raise ModelError(f"{name} must be 3-vectors, shape (..., 3), got shape {arr.shape}")
    if n_times is not None and (arr.ndim < 2 or arr.shape[-2] not in (1, n_times)):
        raise ModelError(f"{name} must be shaped (..., n_times, 3) with n_times = {n_times}, got shape {arr.shape}")
    return arr


def itrs_to_geodetic(r_itrs: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS84 geodetic latitude (rad), longitude (rad, -pi..pi) and height (m) of ITRS positions.

    Bowring's method with one refinement: the compiled :func:`sim.kernels.geodetic.bowring`,
    the same code the Cowell integrator uses for its drag altitude.
    """
    from .kernels.geodetic import bowring_many

    r = check_vectors(r_itrs, "r_itrs")
    lat, lon, h = bowring_many(np.ascontiguousarray(r.reshape(-1, 3)), R_EARTH, E2_EARTH)
    shape = r.shape[:-1]
    return lat.reshape(shape), lon.reshape(shape), h.reshape(shape)


def geodetic_to_itrs(lat_rad: ArrayLike, lon_rad: ArrayLike, height_m: ArrayLike = 0.0) -> np.ndarray:
    """ITRS position (m), shape (..., 3), of WGS84 geodetic coordinates."""
    lat, lon, h = broadcast(
        error=ModelError,
        lat_rad=as_float(lat_rad, "lat_rad", error=ModelError),
        lon_rad=as_float(lon_rad, "lon_rad", error=ModelError),
        height_m=as_float(height_m, "height_m", error=ModelError),
    )
    sl, cl = np.sin(lat), np.cos(lat)
    N = R_EARTH / np.sqrt(1.0 - E2_EARTH * sl * sl)
    return np.stack([(N + h) * cl * np.cos(lon), (N + h) * cl * np.sin(lon), (N * (1.0 - E2_EARTH) + h) * sl], axis=-1)
