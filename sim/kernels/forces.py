"""The Cowell force model as one record: zonal harmonics, drag and third bodies, compiled.

:class:`ForceModel` carries every parameter and table the right-hand side needs (built by
:func:`sim.propagation.cowell.integrate`); the models themselves are documented in
:mod:`sim.propagation.cowell`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from .geodetic import geodetic_from_axis
from .interp import interp3
from .msis import msis_density

#: ``ForceModel.atm`` codes
ATM_NONE, ATM_EXPONENTIAL, ATM_MSIS = 0, 1, 2


class ForceModel(NamedTuple):
    """Everything the Cowell right-hand side needs besides the state (SI units).

    ``pole``, ``sun``, ``moon``: (n_grid, 3) GCRS tables sampled every ``dtg`` s from
    ``tg0`` (the ITRS z-axis, the Sun's and the Moon's positions in m). ``J``: (7,) zonal
    coefficients J0..J6 (zero above ``nmax``). ``atm``: :data:`ATM_NONE`,
    :data:`ATM_EXPONENTIAL` (table ``exptab`` rows: base km, kg/m^3, scale km) or
    :data:`ATM_MSIS` (``logrho`` and ``msis_p``: see :mod:`sim.kernels.msis`).
    ``doy0``: fractional day of year at t = 0. A zero ``mu_sun``/``mu_moon`` switches
    that body off.
    """

    mu: float
    re: float
    e2: float
    omega: float
    nmax: int
    J: np.ndarray
    mu_sun: float
    mu_moon: float
    atm: int
    doy0: float
    tg0: float
    dtg: float
    pole: np.ndarray
    sun: np.ndarray
    moon: np.ndarray
    exptab: np.ndarray
    logrho: np.ndarray
    msis_p: np.ndarray


@njit(cache=True, fastmath=False)
def exponential_density(h_km, tab):
    """Piecewise exponential density (kg/m^3) at ``h_km`` (rows: base km, kg/m^3, scale km)."""
    n = tab.shape[0]
    i = n - 1
    for k in range(n - 1):
        if h_km < tab[k + 1, 0]:
            i = k
            break
    return tab[i, 1] * math.exp(-(h_km - tab[i, 0]) / tab[i, 2])


@njit(cache=True, fastmath=False)
def third_body(mub, sx, sy, sz, x, y, z, out, o):
    """Third-body acceleration of a body (mu ``mub``) at s on a satellite at r into ``out[o:o+3]``."""
    dx, dy, dz = sx - x, sy - y, sz - z
    d3 = (dx * dx + dy * dy + dz * dz) ** 1.5
    s3 = (sx * sx + sy * sy + sz * sz) ** 1.5
    out[o] = mub * (dx / d3 - sx / s3)
    out[o + 1] = mub * (dy / d3 - sy / s3)
    out[o + 2] = mub * (dz / d3 - sz / s3)


@njit(cache=True, fastmath=False, inline="always")
def rhs(t, y, dydt, cdam, fm, tmp):
    """dy/dt for one orbit (state y (6,), ``cdam`` = Cd A / m). tmp: scratch (9,) for pole, sun, moon.

    Inlined into its one call site in the DOP853 stage loop (measured: the J2-only benchmark
    takes 0.78x the CPU time of a called rhs; same numbers bit for bit). Elsewhere use
    :func:`rhs_call`.
    """
    mu = fm.mu
    re = fm.re
    x, yy, z = y[0], y[1], y[2]
    r2 = x * x + yy * yy + z * z
    r = math.sqrt(r2)
    interp3(fm.pole, fm.tg0, fm.dtg, t, tmp[0:3])
    px, py, pz = tmp[0], tmp[1], tmp[2]
    pn = math.sqrt(px * px + py * py + pz * pz)
    px /= pn
    py /= pn
    pz /= pn
    zp = x * px + yy * py + z * pz  # height along the pole axis
    s = zp / r
    mr3 = mu / (r2 * r)
    ax = -mr3 * x
    ay = -mr3 * yy
    az = -mr3 * z
    # zonal harmonics: R_n = -mu J_n Re^n r^-(n+1) P_n(s)
    nmax = fm.nmax
    J = fm.J
    if nmax >= 2:
        p_nm2 = 1.0  # P_{n-2}
        p_nm1 = s  # P_{n-1}
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
    if fm.mu_sun != 0.0:
        interp3(fm.sun, fm.tg0, fm.dtg, t, tmp[3:6])
        third_body(fm.mu_sun, tmp[3], tmp[4], tmp[5], x, yy, z, tmp, 6)
        ax += tmp[6]
        ay += tmp[7]
        az += tmp[8]
    if fm.mu_moon != 0.0:
        interp3(fm.moon, fm.tg0, fm.dtg, t, tmp[3:6])
        third_body(fm.mu_moon, tmp[3], tmp[4], tmp[5], x, yy, z, tmp, 6)
        ax += tmp[6]
        ay += tmp[7]
        az += tmp[8]
    # drag
    atm = fm.atm
    if atm != ATM_NONE and cdam > 0.0:
        rho_xy = math.sqrt(max(r2 - zp * zp, 0.0))
        lat, h = geodetic_from_axis(rho_xy, zp, re, fm.e2)
        if atm == ATM_EXPONENTIAL:
            rho = exponential_density(h / 1e3, fm.exptab)
        else:
            interp3(fm.sun, fm.tg0, fm.dtg, t, tmp[3:6])
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
            doy = fm.doy0 + t / 86400.0
            rho = msis_density(fm.logrho, fm.msis_p, doy, h / 1e3, lat * (180.0 / math.pi), lst)
        w = fm.omega
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
def rhs_call(t, y, dydt, cdam, fm, tmp):
    """:func:`rhs` as an ordinary (not inlined) call, for the integrator's rare evaluations."""
    rhs(t, y, dydt, cdam, fm, tmp)


@njit(cache=True, fastmath=False)
def geodetic_altitude(y, t, fm, tmp):
    """Geodetic height (m) of the state y at time t about the tabulated pole (tmp: scratch (3,) or more)."""
    interp3(fm.pole, fm.tg0, fm.dtg, t, tmp[0:3])
    pn = math.sqrt(tmp[0] ** 2 + tmp[1] ** 2 + tmp[2] ** 2)
    zp = (y[0] * tmp[0] + y[1] * tmp[1] + y[2] * tmp[2]) / pn
    r2 = y[0] ** 2 + y[1] ** 2 + y[2] ** 2
    _, h = geodetic_from_axis(math.sqrt(max(r2 - zp * zp, 0.0)), zp, fm.re, fm.e2)
    return h
