"""Numerical (Cowell) propagation: zonal harmonics J2..J6, drag, Sun and Moon, batched.

Registered as ``model="cowell"``: ``orbit.propagate(times, model="cowell", spacecraft=...)``.

Frame
-----
The state is integrated in **GCRS** (the geocentric celestial frame: inertial apart
from the slow geodesic terms, so Newton's law holds without fictitious forces). The
zonal field is symmetric about the Earth's rotation axis, so all it needs is the ITRS
z-axis expressed in GCRS: the third row of the GCRS->ITRS matrix
(:func:`sim.frames.gcrs_to_itrs_matrix`: precession-nutation IAU 2006/2000A and polar
motion), tabulated every 10 min and interpolated linearly (it moves ~50"/yr plus
nutation; the interpolation error is below 1e-12 rad). Earth rotation (ERA) is never
needed: J_n depends only on the distance from the pole axis, the co-rotating
atmosphere's velocity is ``omega * pole x r``, and geodetic latitude/height and local
solar time are invariant under rotations about the pole. ``true_pole=False`` puts the
axis along GCRS z instead, the convention of boinor's ``J2_perturbation`` (used for the
like-for-like comparison in ``tests/test_orekit_validation.py``; the difference is
reported there: the 2025 pole is ~0.1 deg from GCRS z, from precession since J2000).

Integrator
----------
Dormand-Prince 8(5,3) (``DOP853``, the coefficients and error estimator of
``scipy.integrate.DOP853``) written in numba, each orbit with its own adaptive step,
orbits spread over threads with ``prange``. Why not ``solve_ivp`` on a flattened state:
one step size would be forced on every orbit (the worst orbit sets it) and each RHS call
would cost a Python round trip; a compiled per-orbit integrator is both faster and
reproduces single-orbit results bit for bit whatever the batch. Steps are shortened to
land exactly on output times (no dense-output interpolation error), on the end of each
mean-altitude window and on scheduled burns.

Forces
------
* central body + zonal harmonics J2..J``zonal_degree`` (Legendre recursion; EGM96
  values from :mod:`sim.constants`);
* drag ``-1/2 rho Cd A/m |v_rel| v_rel`` with ``v_rel = v - omega_E pole x r`` (the
  atmosphere co-rotates with the Earth); density from NRLMSIS 2.1 (tabulated, see
  :mod:`sim.atmosphere`; needs the Sun's direction for local solar time) or the
  Vallado exponential table, at WGS84 geodetic altitude;
* Sun and Moon point masses (third-body form) from :mod:`sim.ephemeris`, tabulated
  every 10 min (the Moon moves 0.09 deg in 10 min: linear interpolation error < 50 m
  in the Moon's position, far below any effect on a LEO orbit).

Events and manoeuvres
---------------------
Integration of an orbit stops when its geodetic altitude falls below
``min_altitude_km`` (re-entry; time interpolated inside the step) and its later states
are NaN. With ``reboost_band_km=(low, high)`` the orbit-mean altitude is computed over
exact windows of one Keplerian period; when a window's mean falls below ``low`` a
two-impulse Hohmann transfer (along the velocity, the second half a transfer period
later) raises it to ``high``. Mean altitude = time-average of the geocentric distance
over the window minus the equatorial radius (the convention of ``Orbit.altitude_km``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numba
from numba import njit, prange

from ..constants import J2, J3, J4, J5, J6, MU_EARTH, OMEGA_EARTH, R_EARTH, E2_EARTH
from ..errors import ModelError, SimError
from .j2 import _geodetic as _bowring

__all__ = ["propagate", "integrate", "CowellResult", "ReentryError", "MU_SUN", "MU_MOON"]

#: Sun's gravitational parameter, m^3/s^2 (IAU 2015 nominal / DE430)
MU_SUN = 1.32712440018e20
#: Moon's gravitational parameter, m^3/s^2 (DE430: 4902.800066 km^3/s^2)
MU_MOON = 4.902800066e12

_ATM_CODES = {"none": 0, "exponential": 1, "msis": 2}
_GRID_STEP_S = 600.0


class ReentryError(SimError, ValueError):
    """An orbit that starts at or below the minimum altitude."""


def _dop853_coefficients():
    from scipy.integrate._ivp import dop853_coefficients as c

    n = c.N_STAGES
    return (np.ascontiguousarray(c.A[:n, :n]), np.ascontiguousarray(c.B), np.ascontiguousarray(c.C[:n]),
            np.ascontiguousarray(c.E3), np.ascontiguousarray(c.E5))


_A, _B, _C, _E3, _E5 = _dop853_coefficients()

# indices into the scalar parameter vector P
_P_MU, _P_RE, _P_OMEGA, _P_MUSUN, _P_MUMOON, _P_ATM, _P_TG0, _P_DTG, _P_DOY, _P_E2, _P_NMAX = range(11)


# ---------------------------------------------------------------- numba kernels

@njit(cache=True, inline="always")
def _cell_extrapolated(x, n):
    """Cell index i (0..n-2) and weight of node i+1 for fractional index x; linear beyond the ends."""
    i = int(math.floor(x))
    if i < 0:
        i = 0
    elif i > n - 2:
        i = n - 2
    return i, x - i


@njit(cache=True, inline="always")
def _cell_periodic(x, n):
    """Nodes i0, i1 and weight of i1 for fractional index x on a periodic axis of n nodes."""
    x = x - n * math.floor(x / n)
    i0 = int(math.floor(x))
    w = x - i0
    i0 = i0 % n
    return i0, (i0 + 1) % n, w


@njit(cache=True, fastmath=False)
def _interp3(grid, tg0, dtg, t, out):
    i, w = _cell_extrapolated((t - tg0) / dtg, grid.shape[0])
    for k in range(3):
        out[k] = grid[i, k] * (1.0 - w) + grid[i + 1, k] * w


@njit(cache=True, fastmath=False)
def _geodetic(rho_xy, z, a, e2):
    """Geodetic latitude (rad) and height (m) from distance to the axis and height along it.

    The same Bowring iteration as the J2 ground-track kernel (one implementation)."""
    b = a * math.sqrt(1.0 - e2)
    lat, _, h = _bowring(rho_xy, 0.0, z, a, b, e2, e2 / (1.0 - e2))
    return lat, h


@njit(cache=True, fastmath=False)
def _exp_density(h_km, tab):
    n = tab.shape[0]
    i = n - 1
    for k in range(n - 1):
        if h_km < tab[k + 1, 0]:
            i = k
            break
    return tab[i, 1] * math.exp(-(h_km - tab[i, 0]) / tab[i, 2])


@njit(cache=True, fastmath=False)
def _msis_interp(logrho, p, doy, alt_km, lat_deg, lst_h):
    """Density from the NRLMSIS table (log-linear in altitude, linear elsewhere, doy/lst periodic)."""
    nd, na, nl, ns = logrho.shape
    # day of year (periodic, 365.25 days)
    i0, i1, wd = _cell_periodic((doy - p[0]) / p[1], nd)
    # altitude (extrapolated linearly in log beyond the table)
    j0, wa = _cell_extrapolated((alt_km - p[2]) / p[3], na)
    # latitude (clamped)
    zl = (lat_deg - p[4]) / p[5]
    if zl < 0.0:
        zl = 0.0
    elif zl > nl - 1:
        zl = nl - 1.0
    k0 = int(math.floor(zl))
    if k0 > nl - 2:
        k0 = nl - 2
    wl = zl - k0
    # local solar time (periodic, 24 h)
    m0, m1, ws = _cell_periodic(lst_h / p[6], ns)
    acc = 0.0
    for a_i in range(2):
        fa = (1.0 - wa) if a_i == 0 else wa
        for d_i in range(2):
            fd = (1.0 - wd) if d_i == 0 else wd
            di = i0 if d_i == 0 else i1
            for l_i in range(2):
                fl = (1.0 - wl) if l_i == 0 else wl
                for s_i in range(2):
                    fs = (1.0 - ws) if s_i == 0 else ws
                    si = m0 if s_i == 0 else m1
                    acc += fa * fd * fl * fs * logrho[di, j0 + a_i, k0 + l_i, si]
    return math.exp(acc)


@njit(cache=True, fastmath=False)
def _rhs(t, y, dydt, cdam, J, P, pole_g, sun_g, moon_g, exptab, logrho, mp, tmp):
    """dy/dt for one orbit. tmp: scratch (9,) for pole, sun, moon."""
    mu = P[_P_MU]
    re = P[_P_RE]
    x, yy, z = y[0], y[1], y[2]
    r2 = x * x + yy * yy + z * z
    r = math.sqrt(r2)
    _interp3(pole_g, P[_P_TG0], P[_P_DTG], t, tmp[0:3])
    px, py, pz = tmp[0], tmp[1], tmp[2]
    pn = math.sqrt(px * px + py * py + pz * pz)
    px /= pn
    py /= pn
    pz /= pn
    zp = x * px + yy * py + z * pz        # height along the pole axis
    s = zp / r
    mr3 = mu / (r2 * r)
    ax = -mr3 * x
    ay = -mr3 * yy
    az = -mr3 * z
    # zonal harmonics: R_n = -mu J_n Re^n r^-(n+1) P_n(s)
    nmax = int(P[_P_NMAX])
    if nmax >= 2:
        p_nm2 = 1.0   # P_{n-2}
        p_nm1 = s     # P_{n-1}
        dp_nm2 = 0.0  # P'_{n-2}
        dp_nm1 = 1.0  # P'_{n-1}
        dRdr = 0.0
        dRds = 0.0
        rer = re / r
        fac = rer  # (Re/r)^n
        for n in range(2, nmax + 1):
            pn_ = ((2 * n - 1) * s * p_nm1 - (n - 1) * p_nm2) / n
            dpn = dp_nm2 + (2 * n - 1) * p_nm1
            fac *= rer
            if J[n] != 0.0:
                dRdr += J[n] * fac * (n + 1) * pn_
                dRds -= J[n] * fac * dpn
            p_nm2, p_nm1 = p_nm1, pn_
            dp_nm2, dp_nm1 = dp_nm1, dpn
        # a = dR/dr rhat + dR/ds (p - s rhat)/r, with R scaled by mu/r (dRdr also /r)
        c_r = mu / r2 * (dRdr - dRds * s)
        c_p = mu / r2 * dRds
        ax += c_r * x / r + c_p * px
        ay += c_r * yy / r + c_p * py
        az += c_r * z / r + c_p * pz
    # third bodies
    if P[_P_MUSUN] != 0.0:
        _interp3(sun_g, P[_P_TG0], P[_P_DTG], t, tmp[3:6])
        _third(P[_P_MUSUN], tmp[3], tmp[4], tmp[5], x, yy, z, tmp, 6)
        ax += tmp[6]
        ay += tmp[7]
        az += tmp[8]
    if P[_P_MUMOON] != 0.0:
        _interp3(moon_g, P[_P_TG0], P[_P_DTG], t, tmp[3:6])
        _third(P[_P_MUMOON], tmp[3], tmp[4], tmp[5], x, yy, z, tmp, 6)
        ax += tmp[6]
        ay += tmp[7]
        az += tmp[8]
    # drag
    atm = int(P[_P_ATM])
    if atm != 0 and cdam > 0.0:
        rho_xy = math.sqrt(max(r2 - zp * zp, 0.0))
        lat, h = _geodetic(rho_xy, zp, re, P[_P_E2])
        if atm == 1:
            rho = _exp_density(h / 1e3, exptab)
        else:
            _interp3(sun_g, P[_P_TG0], P[_P_DTG], t, tmp[3:6])
            # hour angle of the satellite from the Sun about the pole
            sx, sy, sz = tmp[3], tmp[4], tmp[5]
            sp = sx * px + sy * py + sz * pz
            sx -= sp * px
            sy -= sp * py
            sz -= sp * pz
            ex = x - zp * px
            ey = yy - zp * py
            ez = z - zp * pz
            cx = sy * ez - sz * ey
            cy = sz * ex - sx * ez
            cz = sx * ey - sy * ex
            ha = math.atan2(cx * px + cy * py + cz * pz, sx * ex + sy * ey + sz * ez)
            lst = 12.0 + ha * (12.0 / math.pi)
            doy = P[_P_DOY] + t / 86400.0
            rho = _msis_interp(logrho, mp, doy, h / 1e3, lat * (180.0 / math.pi), lst)
        w = P[_P_OMEGA]
        vrx = y[3] - w * (py * z - pz * yy)
        vry = y[4] - w * (pz * x - px * z)
        vrz = y[5] - w * (px * yy - py * x)
        vr = math.sqrt(vrx * vrx + vry * vry + vrz * vrz)
        k = -0.5 * rho * cdam * vr
        ax += k * vrx
        ay += k * vry
        az += k * vrz
    dydt[0] = y[3]
    dydt[1] = y[4]
    dydt[2] = y[5]
    dydt[3] = ax
    dydt[4] = ay
    dydt[5] = az


@njit(cache=True, fastmath=False)
def _third(mub, sx, sy, sz, x, y, z, out, o):
    dx, dy, dz = sx - x, sy - y, sz - z
    d3 = (dx * dx + dy * dy + dz * dz) ** 1.5
    s3 = (sx * sx + sy * sy + sz * sz) ** 1.5
    out[o] = mub * (dx / d3 - sx / s3)
    out[o + 1] = mub * (dy / d3 - sy / s3)
    out[o + 2] = mub * (dz / d3 - sz / s3)


@njit(cache=True, fastmath=False)
def _altitude(y, t, P, pole_g, tmp):
    _interp3(pole_g, P[_P_TG0], P[_P_DTG], t, tmp[0:3])
    pn = math.sqrt(tmp[0] ** 2 + tmp[1] ** 2 + tmp[2] ** 2)
    zp = (y[0] * tmp[0] + y[1] * tmp[1] + y[2] * tmp[2]) / pn
    r2 = y[0] ** 2 + y[1] ** 2 + y[2] ** 2
    lat, h = _geodetic(math.sqrt(max(r2 - zp * zp, 0.0)), zp, P[_P_RE], P[_P_E2])
    return h


@njit(cache=True, fastmath=False)
def _integrate_one(i, direction, y0, t0, tout, idx, nidx, cdam, J, P, pole_g, sun_g, moon_g, exptab, logrho, mp,
                   A, B, C, E3, E5, rtol, atol, hmax, min_alt, band_lo, band_hi, period,
                   out, reentry, nburn, burn_t, burn_dv, nmean, mean_t, mean_h, stats):
    """Integrate orbit i from t0 through the outputs tout[idx[:nidx]] (ordered along direction)."""
    ns = 12
    K = np.empty((ns + 1, 6))
    y = y0.copy()
    ynew = np.empty(6)
    ytmp = np.empty(6)
    f = np.empty(6)
    tmp = np.empty(9)
    t = t0
    _rhs(t, y, f, cdam, J, P, pole_g, sun_g, moon_g, exptab, logrho, mp, tmp)
    nfev = 1
    h = min(60.0, hmax)
    k = 0
    mu = P[_P_MU]
    re = P[_P_RE]
    track = direction > 0 and period > 0.0
    win_start = t
    win_end = t + period if track else np.inf
    win_int = 0.0
    burn_at = np.inf
    burn2_dv = 0.0
    in_transfer = False
    alt_prev = _altitude(y, t, P, pole_g, tmp)
    rej = False
    nsteps = 0
    while True:
        while k < nidx and tout[idx[k]] == t:
            for c in range(6):
                out[i, idx[k], c] = y[c]
            k += 1
        if k >= nidx:
            break
        target = tout[idx[k]]
        clipped_to = target
        if track:
            if win_end < clipped_to:
                clipped_to = win_end
            if burn_at < clipped_to:
                clipped_to = burn_at
        span = abs(clipped_to - t)
        habs = min(abs(h), hmax)
        land = False
        if habs >= span:
            habs = span
            land = True
        hs = habs * direction
        # ---- one DOP853 step (with retries)
        while True:
            for c in range(6):
                K[0, c] = f[c]
            for st in range(1, ns):
                for c in range(6):
                    acc = 0.0
                    for j in range(st):
                        acc += A[st, j] * K[j, c]
                    ytmp[c] = y[c] + hs * acc
                _rhs(t + C[st] * hs, ytmp, K[st], cdam, J, P, pole_g, sun_g, moon_g, exptab, logrho, mp, tmp)
            for c in range(6):
                acc = 0.0
                for j in range(ns):
                    acc += B[j] * K[j, c]
                ynew[c] = y[c] + hs * acc
            tnew = clipped_to if land else t + hs
            _rhs(tnew, ynew, K[ns], cdam, J, P, pole_g, sun_g, moon_g, exptab, logrho, mp, tmp)
            nfev += ns
            e5 = 0.0
            e3 = 0.0
            for c in range(6):
                sc = atol + rtol * max(abs(y[c]), abs(ynew[c]))
                a5 = 0.0
                a3 = 0.0
                for j in range(ns + 1):
                    a5 += E5[j] * K[j, c]
                    a3 += E3[j] * K[j, c]
                e5 += (a5 / sc) ** 2
                e3 += (a3 / sc) ** 2
            if e5 == 0.0 and e3 == 0.0:
                err = 0.0
            else:
                err = habs * e5 / math.sqrt((e5 + 0.01 * e3) * 6.0)
            if err < 1.0:
                if err == 0.0:
                    fac = 10.0
                else:
                    fac = min(10.0, 0.9 * err ** (-1.0 / 8.0))
                if rej:
                    fac = min(1.0, fac)
                rej = False
                if not land:
                    h = habs * fac
                else:
                    h = max(abs(h), habs * fac) if habs < abs(h) else habs * fac
                break
            habs = habs * max(0.2, 0.9 * err ** (-1.0 / 8.0))
            land = False
            hs = habs * direction
            rej = True
            if habs < 1e-6:
                stats[i, 2] = 1.0  # step size underflow
                return
        # ---- accept
        nsteps += 1
        r_old = math.sqrt(y[0] ** 2 + y[1] ** 2 + y[2] ** 2)
        r_new = math.sqrt(ynew[0] ** 2 + ynew[1] ** 2 + ynew[2] ** 2)
        if track:
            win_int += 0.5 * (r_old + r_new) * (tnew - t)
        for c in range(6):
            y[c] = ynew[c]
            f[c] = K[ns, c]
        t_prev = t
        t = tnew
        alt = _altitude(y, t, P, pole_g, tmp)
        if alt < min_alt:
            frac = (alt_prev - min_alt) / (alt_prev - alt) if alt_prev != alt else 1.0
            reentry[i] = t_prev + frac * (t - t_prev)
            break
        alt_prev = alt
        if track and t == burn_at:
            vn = math.sqrt(y[3] ** 2 + y[4] ** 2 + y[5] ** 2)
            for c in range(3):
                y[3 + c] += burn2_dv * y[3 + c] / vn
            burn_at = np.inf
            in_transfer = False
            _rhs(t, y, f, cdam, J, P, pole_g, sun_g, moon_g, exptab, logrho, mp, tmp)
            nfev += 1
            win_start = t
            win_end = t + period
            win_int = 0.0
        elif track and t == win_end:
            hbar = win_int / (win_end - win_start) - re
            m = nmean[i]
            if m < mean_t.shape[1]:
                mean_t[i, m] = 0.5 * (win_start + win_end)
                mean_h[i, m] = hbar
                nmean[i] = m + 1
            win_start = t
            win_end = t + period
            win_int = 0.0
            if hbar < band_lo and not in_transfer:
                r1 = re + hbar
                r2 = re + band_hi
                at = 0.5 * (r1 + r2)
                dv1 = math.sqrt(mu / r1) * (math.sqrt(2.0 * r2 / (r1 + r2)) - 1.0)
                burn2_dv = math.sqrt(mu / r2) * (1.0 - math.sqrt(2.0 * r1 / (r1 + r2)))
                vn = math.sqrt(y[3] ** 2 + y[4] ** 2 + y[5] ** 2)
                for c in range(3):
                    y[3 + c] += dv1 * y[3 + c] / vn
                _rhs(t, y, f, cdam, J, P, pole_g, sun_g, moon_g, exptab, logrho, mp, tmp)
                nfev += 1
                burn_at = t + math.pi * math.sqrt(at ** 3 / mu)
                in_transfer = True
                nb = nburn[i]
                if nb < burn_t.shape[1]:
                    burn_t[i, nb] = t
                    burn_dv[i, nb] = dv1 + burn2_dv
                    nburn[i] = nb + 1
                # the window restarts after the transfer
                win_end = np.inf
    stats[i, 0] += nsteps
    stats[i, 1] += nfev


@njit(cache=True, parallel=True, fastmath=False)
def _integrate_batch(y0, t0, tout, cdam, J, P, pole_g, sun_g, moon_g, exptab, logrho, mp, A, B, C, E3, E5,
                     rtol, atol, hmax, min_alt, band_lo, band_hi, period,
                     out, reentry, nburn, burn_t, burn_dv, nmean, mean_t, mean_h, stats):
    n = y0.shape[0]
    m = tout.shape[0]
    for i in prange(n):
        idx = np.empty(m, dtype=np.int64)
        # forward: outputs at or after the epoch, ascending
        nf = 0
        for j in range(m):
            if tout[j] >= t0[i]:
                idx[nf] = j
                nf += 1
        if nf > 0:
            _integrate_one(i, 1.0, y0[i], t0[i], tout, idx, nf, cdam[i], J, P, pole_g, sun_g, moon_g, exptab,
                           logrho, mp, A, B, C, E3, E5, rtol, atol, hmax, min_alt, band_lo[i], band_hi[i],
                           period[i], out, reentry, nburn, burn_t, burn_dv, nmean, mean_t, mean_h, stats)
        # backward: outputs before the epoch, descending
        nb = 0
        for j in range(m - 1, -1, -1):
            if tout[j] < t0[i]:
                idx[nb] = j
                nb += 1
        if nb > 0:
            _integrate_one(i, -1.0, y0[i], t0[i], tout, idx, nb, cdam[i], J, P, pole_g, sun_g, moon_g, exptab,
                           logrho, mp, A, B, C, E3, E5, rtol, atol, hmax, min_alt, band_lo[i], band_hi[i],
                           0.0, out, reentry, nburn, burn_t, burn_dv, nmean, mean_t, mean_h, stats)


# ---------------------------------------------------------------- Python API

@dataclass
class CowellResult:
    """Everything one batched Cowell run produced (times in seconds since each orbit's epoch).

    ``r``, ``v``: GCRS (m, m/s), (n_orbits, n_times, 3), NaN after re-entry.
    ``reentry_s``: seconds from epoch to re-entry (NaN if none). ``burns``: per orbit a
    list of (seconds since epoch, delta-v m/s of the two-impulse pair).
    ``mean_t_s``, ``mean_alt_km``: per orbit the orbit-mean altitude samples (one per
    window of one period; only with a reboost band or ``track_mean=True``).
    """

    r: np.ndarray
    v: np.ndarray
    reentry_s: np.ndarray
    burns: list = field(default_factory=list)
    mean_t_s: list = field(default_factory=list)
    mean_alt_km: list = field(default_factory=list)
    steps: np.ndarray | None = None
    nfev: np.ndarray | None = None


def _initial_state(orbit, initial: str):
    """Osculating GCRS state at each epoch.

    "auto"/"sgp4": SGP4 at its own epoch (tsince = 0) from the orbit's element set, or
    from an SGP4 record built from its mean elements (B* = 0) -- SGP4 adds the J2
    short-period terms, so a mean 415 km orbit has a 415 km orbit-mean altitude (within
    ~1 km). "elements": the mean elements taken as osculating (two-body ``coe2rv``); the
    orbit-mean altitude then comes out several km (about 7 km for the ISS) lower.
    """
    from ..frames import teme_to_gcrs_matrix
    from .kepler import coe2rv, mean_to_true

    if initial not in ("auto", "elements", "sgp4"):
        raise ModelError(f"initial must be 'auto', 'elements' or 'sgp4', got {initial!r}")
    if initial in ("auto", "sgp4"):
        # each element set at its own epoch (tsince = 0): SGP4's osculating TEME state
        rv = []
        for sat in orbit.to_sgp4_satrecs():
            err, rs, vs = sat.sgp4_tsince(0.0)
            if err:
                raise ModelError(f"SGP4 error {err} at the epoch of an element set")
            rv.append((rs, vs))
        r = np.array([x[0] for x in rv]) * 1e3
        v = np.array([x[1] for x in rv]) * 1e3
    else:
        nu = mean_to_true(orbit.mean_anomaly, orbit.ecc)
        r, v = coe2rv(orbit.a, orbit.ecc, orbit.inc, orbit.raan, orbit.argp, nu)
    R = teme_to_gcrs_matrix(orbit.epoch)
    return np.einsum("nij,nj->ni", R, r), np.einsum("nij,nj->ni", R, v)


def _day_of_year(t) -> float:
    """Fractional day of year (1.0 = Jan 1 00:00 UTC) of a scalar Time (:func:`sim.timeutil.day_of_year`)."""
    from ..timeutil import day_of_year

    return float(day_of_year(t)[0])


def integrate(orbit, times, *, spacecraft=None, atmosphere: str = "msis", solar_activity="moderate",
              zonal_degree: int = 6, third_body: bool = False, true_pole: bool = True,
              rtol: float = 1e-10, atol: float = 1e-6, max_step_s: float = np.inf,
              min_altitude_km: float = 100.0, reboost_band_km=None, track_mean: bool = False,
              initial: str = "auto", state=None, exponential_table=None) -> CowellResult:
    """Integrate all orbits of ``orbit`` to ``times``; see the module doc for the models.

    ``spacecraft``: a :class:`sim.spacecraft.Spacecraft`, a default's name ("iss",
    "ros_stage2"), a sequence of them (one per orbit), or None (no drag).
    ``atmosphere``: "msis" (NRLMSIS 2.1, ``solar_activity`` a level name, a
    :class:`~sim.atmosphere.SolarActivity` or (F10.7, F10.7a, Ap)), "exponential"
    (Vallado's table, or ``exponential_table`` rows (base km, kg/m^3, scale km)) or "none".
    ``zonal_degree``: 0 (point mass) or 2..6. ``rtol``/``atol`` (m, m/s): DOP853 tolerances.
    ``state``: optional (r, v) GCRS arrays (n, 3) at the epochs instead of the elements.
    """
    import astropy.units as u

    from ..atmosphere import EXPONENTIAL_TABLE, _table_params, msis_table
    from ..frames import gcrs_to_itrs_matrix
    from ..spacecraft import Spacecraft, spacecraft as lookup
    from ..timeutil import seconds_between, to_time

    t = to_time(times)
    n = len(orbit)
    if zonal_degree not in (0, 2, 3, 4, 5, 6):
        raise ModelError(f"zonal_degree must be 0 or 2..6, got {zonal_degree!r}")
    atmosphere = str(atmosphere).lower()
    if atmosphere not in _ATM_CODES:
        raise ModelError(f"atmosphere must be one of {', '.join(_ATM_CODES)}, got {atmosphere!r}")
    for name, val in (("rtol", rtol), ("atol", atol)):
        if not (np.isfinite(val) and val > 0):
            raise ModelError(f"{name} must be a positive number, got {val!r}")
    if not (max_step_s > 0):
        raise ModelError(f"max_step_s must be positive, got {max_step_s!r}")
    # spacecraft -> Cd A / m per orbit
    if spacecraft is None:
        cdam = np.zeros(n)
    else:
        scs = spacecraft if isinstance(spacecraft, (list, tuple)) else [spacecraft] * n
        if len(scs) != n:
            raise ModelError(f"spacecraft must be one value or {n} (one per orbit), got {len(scs)}")
        cdam = np.array([(s if isinstance(s, Spacecraft) else lookup(s)).cd_area_over_mass for s in scs])
    atm_code = _ATM_CODES[atmosphere] if spacecraft is not None else 0

    # initial state and its check against the minimum altitude
    if state is None:
        r0, v0 = _initial_state(orbit, initial)
    else:
        r0, v0 = (np.asarray(x, dtype=float).reshape(n, 3) for x in state)
    perigee_km = (orbit.a * (1.0 - orbit.ecc) - R_EARTH) / 1e3
    start_km = (np.linalg.norm(r0, axis=-1) - R_EARTH) / 1e3
    low = np.minimum(perigee_km, start_km) <= min_altitude_km
    if np.any(low):
        raise ReentryError(f"orbit starts at or below min_altitude_km={min_altitude_km:g} km "
                           f"(perigee {np.round(perigee_km[low], 1).tolist()} km): "
                           f"the orbit must start above it")

    # time axis: seconds from a reference epoch (the earliest of epochs and outputs)
    tref = orbit.epoch[int(np.argmin(orbit.epoch.jd))]
    t0 = seconds_between(tref, orbit.epoch).astype(float).reshape(n)
    tout = seconds_between(tref, t).astype(float).reshape(len(t))
    lo = min(t0.min(), tout.min()) - _GRID_STEP_S
    hi = max(t0.max(), tout.max()) + 2 * _GRID_STEP_S
    ng = int(np.ceil((hi - lo) / _GRID_STEP_S)) + 1
    grid = tref + (lo + np.arange(ng) * _GRID_STEP_S) * u.s
    if true_pole and zonal_degree + atm_code > 0:
        pole = np.ascontiguousarray(gcrs_to_itrs_matrix(grid)[:, 2, :])
    else:
        pole = np.tile([0.0, 0.0, 1.0], (ng, 1))
    need_sun = third_body or atm_code == 2
    if need_sun or third_body:
        from ..ephemeris import moon_position_gcrs, sun_position_gcrs

        sun = np.ascontiguousarray(sun_position_gcrs(grid), dtype=float)
        moon = np.ascontiguousarray(moon_position_gcrs(grid), dtype=float) if third_body else np.zeros((ng, 3))
    else:
        sun = np.zeros((ng, 3))
        moon = np.zeros((ng, 3))
    if atm_code == 2:
        table = msis_table(solar_activity)
        logrho, mp = table.log_rho, _table_params(table)
    else:
        logrho, mp = np.zeros((2, 2, 2, 2)), np.array([1.0, 1.0, 0.0, 1.0, -90.0, 90.0, 12.0])
    exptab = np.ascontiguousarray(EXPONENTIAL_TABLE if exponential_table is None else exponential_table, dtype=float)

    J = np.zeros(7)
    J[2:7] = (J2, J3, J4, J5, J6)
    J[zonal_degree + 1:] = 0.0
    P = np.zeros(11)
    P[_P_MU], P[_P_RE], P[_P_OMEGA] = MU_EARTH, R_EARTH, OMEGA_EARTH
    P[_P_MUSUN] = MU_SUN if third_body else 0.0
    P[_P_MUMOON] = MU_MOON if third_body else 0.0
    P[_P_ATM] = atm_code
    P[_P_TG0], P[_P_DTG] = lo, _GRID_STEP_S
    P[_P_DOY] = _day_of_year(tref)
    P[_P_E2] = E2_EARTH
    P[_P_NMAX] = zonal_degree

    # reboost band / mean-altitude tracking
    period = np.zeros(n)
    band_lo = np.full(n, -np.inf)
    band_hi = np.full(n, -np.inf)
    if reboost_band_km is not None:
        try:
            band = np.broadcast_to(np.asarray(reboost_band_km, dtype=float), (n, 2))
        except ValueError:
            raise ModelError(f"reboost_band_km must be (low, high) or one (low, high) per orbit, "
                             f"got {reboost_band_km!r}") from None
        if not np.all((min_altitude_km < band[:, 0]) & (band[:, 0] < band[:, 1])):
            raise ModelError(f"reboost_band_km must be (low, high) with {min_altitude_km:g} < low < high, "
                             f"got {reboost_band_km!r}")
        band_lo[:] = band[:, 0] * 1e3
        band_hi[:] = band[:, 1] * 1e3
    if reboost_band_km is not None or track_mean:
        a0 = -MU_EARTH / (2.0 * (0.5 * np.sum(v0 ** 2, axis=-1) - MU_EARTH / np.linalg.norm(r0, axis=-1)))
        period = 2.0 * np.pi * np.sqrt(a0 ** 3 / MU_EARTH)
    span = float(tout.max() - t0.min()) if len(tout) else 0.0
    cap_mean = int(max(span, 0) / max(period.min(), 1.0)) + 4 if period.max() > 0 else 1
    cap_burn = cap_mean

    out = np.full((n, len(tout), 6), np.nan)
    reentry = np.full(n, np.nan)
    nburn = np.zeros(n, dtype=np.int64)
    burn_t = np.zeros((n, cap_burn))
    burn_dv = np.zeros((n, cap_burn))
    nmean = np.zeros(n, dtype=np.int64)
    mean_t = np.zeros((n, cap_mean))
    mean_h = np.zeros((n, cap_mean))
    stats = np.zeros((n, 3))
    y0 = np.ascontiguousarray(np.concatenate([r0, v0], axis=-1))
    _integrate_batch(y0, t0, tout, cdam, J, P, pole, sun, moon, exptab, np.ascontiguousarray(logrho), mp,
                     _A, _B, _C, _E3, _E5, float(rtol), float(atol), float(max_step_s), min_altitude_km * 1e3,
                     band_lo, band_hi, period, out, reentry, nburn, burn_t, burn_dv, nmean, mean_t, mean_h, stats)
    if np.any(stats[:, 2] > 0):
        bad = np.nonzero(stats[:, 2] > 0)[0].tolist()
        raise ModelError(f"integration failed (step size underflow) for orbit(s) {bad}")
    res = CowellResult(r=out[..., :3], v=out[..., 3:], reentry_s=reentry - t0, steps=stats[:, 0], nfev=stats[:, 1])
    for i in range(n):
        res.burns.append(np.stack([burn_t[i, :nburn[i]] - t0[i], burn_dv[i, :nburn[i]]], axis=-1))
        res.mean_t_s.append(mean_t[i, :nmean[i]] - t0[i])
        res.mean_alt_km.append(mean_h[i, :nmean[i]] / 1e3)
    return res


def propagate(orbit, times, *, spacecraft=None, atmosphere: str = "msis", solar_activity="moderate",
              zonal_degree: int = 6, third_body: bool = False, true_pole: bool = True, rtol: float = 1e-10,
              atol: float = 1e-6, max_step_s: float = np.inf, min_altitude_km: float = 100.0,
              initial: str = "auto"):
    """``model="cowell"``: GCRS r (m), v (m/s) shaped (n_orbits, n_times, 3); see :func:`integrate`.

    Without ``spacecraft`` there is no drag (gravity only: zonal harmonics up to
    ``zonal_degree``, plus Sun and Moon with ``third_body=True``).
    """
    res = integrate(orbit, times, spacecraft=spacecraft, atmosphere=atmosphere, solar_activity=solar_activity,
                    zonal_degree=zonal_degree, third_body=third_body, true_pole=true_pole, rtol=rtol, atol=atol,
                    max_step_s=max_step_s, min_altitude_km=min_altitude_km, initial=initial)
    return res.r, res.v, "GCRS"


def _registered(orbit, times, **options):
    return propagate(orbit, times, **options)


from . import register as _register  # noqa: E402

_register("cowell", _registered)
