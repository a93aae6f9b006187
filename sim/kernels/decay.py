"""Orbit-averaged (mean-element) drag decay of near-circular orbits, with band reboosts.

The state of an orbit is its mean semi-major axis ``a``; its secular rate from drag is
Gauss's equation for a circular orbit averaged over one revolution,

    da/dt = -2 a / v * <0.5 rho v^2 F Cd A/m> = -sqrt(mu a) F (Cd A/m) <rho>,

with ``F = (1 - a omega cos i / v)^2`` the co-rotating atmosphere (King-Hele) and ``<rho>``
the NRLMSIS table density (:func:`sim.kernels.msis.msis_density`, the interpolation of the
Cowell force model) averaged over a fixed **ring** of points of the orbit, uniform in time
over one revolution: per point its geodetic latitude, its geodetic height at the start
(shifted by ``a - a0`` as the orbit decays) and its local-time offset from the node; the
node's local time drifts linearly (J2 secular node rate minus the Sun's mean motion).

The explicit midpoint rule (RK2) on ``a`` with a fixed step (the caller passes one
revolution). After each step the orbit-mean altitude ``a - R + offset`` is recorded; when it is below ``band_lo`` a
Hohmann pair raises it to ``band_hi`` (delta-v of the Cowell integrator's reboost,
:mod:`sim.kernels.dop853`); when the lowest point of the ring falls below ``min_alt`` the
orbit has re-entered (time interpolated inside the step).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from .msis import msis_density


@njit(cache=True, fastmath=False)
def mean_drag_accel(a, a0, t, inc, cdam, lat_deg, h0_m, dlst_h, ltan0_h, drift_h_per_s, doy0, logrho, p, mu, omega):
    """Along-track drag deceleration averaged over the ring, ``0.5 <rho> v^2 F Cd A/m`` (m/s^2),
    at semi-major axis ``a`` (m) and ``t`` s after the epoch (ring heights ``h0_m`` shifted by
    ``a - a0``)."""
    doy = doy0 + t / 86400.0
    ltan = ltan0_h + drift_h_per_s * t
    acc = 0.0
    nk = lat_deg.shape[0]
    for k in range(nk):
        lst = (ltan + dlst_h[k]) % 24.0
        acc += msis_density(logrho, p, doy, (h0_m[k] + a - a0) / 1e3, lat_deg[k], lst)
    v = math.sqrt(mu / a)
    f = (1.0 - a * omega * math.cos(inc) / v) ** 2
    return 0.5 * acc / nk * v * v * f * cdam


@njit(cache=True, fastmath=False)
def averaged_decay_rate(a, a0, t, inc, cdam, lat_deg, h0_m, dlst_h, ltan0_h, drift_h_per_s, doy0, logrho, p, mu, omega):
    """Mean da/dt (m/s, negative): Gauss's ``-2 a / v`` times :func:`mean_drag_accel`."""
    acc = mean_drag_accel(
        a, a0, t, inc, cdam, lat_deg, h0_m, dlst_h, ltan0_h, drift_h_per_s, doy0, logrho, p, mu, omega
    )
    return -2.0 * a / math.sqrt(mu / a) * acc


@njit(cache=True, parallel=True, fastmath=False)
def mean_drag_accel_over_times(
    a0, inc, cdam, lat_deg, h0_m, dlst_h, ltan0_h, drift_h_per_s, doy0, t_s, logrho, p, mu, omega, out
):
    """:func:`mean_drag_accel` of each orbit ``i`` at ``a0[i]`` averaged over the times ``t_s``
    (s from its epoch), written into ``out`` (n,)."""
    for i in prange(a0.shape[0]):
        acc = 0.0
        for j in range(t_s.shape[0]):
            acc += mean_drag_accel(
                a0[i],
                a0[i],
                t_s[j],
                inc[i],
                cdam[i],
                lat_deg[i],
                h0_m[i],
                dlst_h[i],
                ltan0_h[i],
                drift_h_per_s[i],
                doy0[i],
                logrho,
                p,
                mu,
                omega,
            )
        out[i] = acc / t_s.shape[0]


@njit(cache=True, parallel=True, fastmath=False)
def averaged_decay_batch(
    a0,
    inc,
    cdam,
    lat_deg,
    h0_m,
    dlst_h,
    ltan0_h,
    drift_h_per_s,
    doy0,
    offset_m,
    band_lo,
    band_hi,
    dt,
    nsteps,
    min_alt,
    logrho,
    p,
    mu,
    re,
    omega,
    t_out,
    h_out,
    nout,
    burn_t,
    burn_dv,
    nburn,
    reentry,
):
    """Integrate every orbit ``i`` (explicit midpoint, step ``dt[i]`` s, ``nsteps[i]`` steps).

    Per orbit: ``a0`` (m), ``inc`` (rad), ``cdam`` (m^2/kg), the ring ``lat_deg``/``h0_m``/
    ``dlst_h`` (n, K), node local time ``ltan0_h`` and its drift (h/s), ``doy0``, the
    orbit-mean altitude offset ``offset_m`` (orbit-mean altitude minus ``a - re``), the band
    ``band_lo``/``band_hi`` (m of orbit-mean altitude; -inf: none). Outputs: ``t_out``/
    ``h_out`` (n, nsteps+1) orbit-mean altitude samples (m) and their count ``nout``;
    ``burn_t``/``burn_dv``/``nburn`` the reboosts; ``reentry`` (s, NaN if none).
    """
    n = a0.shape[0]
    for i in prange(n):
        a = a0[i]
        t = 0.0
        hmin = h0_m[i, 0]
        for k in range(h0_m.shape[1]):
            hmin = min(hmin, h0_m[i, k])
        t_out[i, 0] = 0.0
        h_out[i, 0] = a - re + offset_m[i]
        m = 1
        nb = 0
        h = dt[i]
        ai, inci, cdi, lat, h0, dl = a0[i], inc[i], cdam[i], lat_deg[i], h0_m[i], dlst_h[i]
        lt0, dr, d0 = ltan0_h[i], drift_h_per_s[i], doy0[i]
        for _ in range(nsteps[i]):
            # explicit midpoint (RK2): a changes by ~1e-5 of itself per revolution, so the local
            # error is far below the model's (RK4 gives the same budgets to 1e-7)
            k1 = averaged_decay_rate(a, ai, t, inci, cdi, lat, h0, dl, lt0, dr, d0, logrho, p, mu, omega)
            a2 = a + 0.5 * h * k1
            k2 = averaged_decay_rate(a2, ai, t + 0.5 * h, inci, cdi, lat, h0, dl, lt0, dr, d0, logrho, p, mu, omega)
            anew = a + h * k2
            low_prev = hmin + a - a0[i]
            low_new = hmin + anew - a0[i]
            if low_new < min_alt:
                frac = (low_prev - min_alt) / (low_prev - low_new) if low_prev != low_new else 1.0
                reentry[i] = t + frac * h
                break
            a = anew
            t += h
            hbar = a - re + offset_m[i]
            t_out[i, m] = t
            h_out[i, m] = hbar
            m += 1
            if hbar < band_lo[i]:
                r1 = re + hbar
                r2 = re + band_hi[i]
                dv1 = math.sqrt(mu / r1) * (math.sqrt(2.0 * r2 / (r1 + r2)) - 1.0)
                dv2 = math.sqrt(mu / r2) * (1.0 - math.sqrt(2.0 * r1 / (r1 + r2)))
                if nb < burn_t.shape[1]:
                    burn_t[i, nb] = t
                    burn_dv[i, nb] = dv1 + dv2
                nb += 1
                a += r2 - r1
        nout[i] = m
        nburn[i] = min(nb, burn_t.shape[1])


def empty_outputs(n: int, nsteps: int) -> tuple[np.ndarray, ...]:
    """Zeroed output arrays of :func:`averaged_decay_batch` for ``n`` orbits of up to ``nsteps`` steps."""
    return (
        np.zeros((n, nsteps + 1)),
        np.zeros((n, nsteps + 1)),
        np.zeros(n, dtype=np.int64),
        np.zeros((n, nsteps + 1)),
        np.zeros((n, nsteps + 1)),
        np.zeros(n, dtype=np.int64),
        np.full(n, np.nan),
    )
