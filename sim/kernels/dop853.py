"""Batched Dormand-Prince 8(5,3) integrator (the Cowell propagator's engine), compiled.

Each orbit has its own adaptive step; orbits are spread over threads with ``prange``. The
algorithm (step control, error estimator) is that of ``scipy.integrate.DOP853``; its
Butcher tableau is passed in by the caller as a :class:`Tableau` (from
``scipy.integrate._ivp.dop853_coefficients``), so this module does not import scipy.
Force-model parameters travel as one :class:`~sim.kernels.forces.ForceModel` record,
step control as one :class:`Solver` and the per-orbit results as one :class:`Outputs`.
Events (re-entry below ``min_alt``, orbit-mean altitude windows, two-impulse reboosts)
are described in :mod:`sim.propagation.cowell`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from .forces import geodetic_altitude, rhs, rhs_call


class Solver(NamedTuple):
    """DOP853 tableau (``A`` (12, 12), ``B`` (12,), ``C`` (12,), ``E3``, ``E5`` (13,)) and step control.

    ``rtol``, ``atol`` (m, m/s): tolerances; ``hmax``: largest step (s); ``min_alt``:
    re-entry altitude (m, geodetic).
    """

    A: np.ndarray
    B: np.ndarray
    C: np.ndarray
    E3: np.ndarray
    E5: np.ndarray
    rtol: float
    atol: float
    hmax: float
    min_alt: float


class Outputs(NamedTuple):
    """Per-orbit results, filled in place.

    ``out`` (n, n_times, 6): states (NaN where not reached); ``reentry`` (n,): re-entry
    time (NaN if none); ``nburn``/``burn_t``/``burn_dv``: reboost count, start times and
    delta-v of each two-impulse pair; ``nmean``/``mean_t``/``mean_h``: orbit-mean
    altitude samples; ``stats`` (n, 3): accepted steps, RHS calls, underflow flag.
    """

    out: np.ndarray
    reentry: np.ndarray
    nburn: np.ndarray
    burn_t: np.ndarray
    burn_dv: np.ndarray
    nmean: np.ndarray
    mean_t: np.ndarray
    mean_h: np.ndarray
    stats: np.ndarray


@njit(cache=True, fastmath=False)
def integrate_one(i, direction, y0, t0, tout, idx, nidx, cdam, band_lo, band_hi, period, fm, sv, res):
    """Integrate orbit i from t0 through the outputs tout[idx[:nidx]] (ordered along direction)."""
    A, B, C, E3, E5 = sv.A, sv.B, sv.C, sv.E3, sv.E5
    rtol, atol, hmax, min_alt = sv.rtol, sv.atol, sv.hmax, sv.min_alt
    out, reentry, nburn, burn_t, burn_dv = res.out, res.reentry, res.nburn, res.burn_t, res.burn_dv
    nmean, mean_t, mean_h, stats = res.nmean, res.mean_t, res.mean_h, res.stats
    ns = 12
    K = np.empty((ns + 1, 6))
    y = y0.copy()
    ynew = np.empty(6)
    ytmp = np.empty(6)
    f = np.empty(6)
    tmp = np.empty(9)
    t = t0
    rhs_call(t, y, f, cdam, fm, tmp)
    nfev = 1
    h = min(60.0, hmax)
    k = 0
    mu = fm.mu
    re = fm.re
    track = direction > 0 and period > 0.0
    win_start = t
    win_end = t + period if track else np.inf
    win_int = 0.0
    burn_at = np.inf
    burn2_dv = 0.0
    in_transfer = False
    alt_prev = geodetic_altitude(y, t, fm, tmp)
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
            # stages 1..11 at t + C h, then the new state (weights B) at t + h: one call site
            # of the inlined right-hand side
            tnew = clipped_to if land else t + hs
            for st in range(1, ns + 1):
                if st < ns:
                    for c in range(6):
                        acc = 0.0
                        for j in range(st):
                            acc += A[st, j] * K[j, c]
                        ytmp[c] = y[c] + hs * acc
                    ts, ys = t + C[st] * hs, ytmp
                else:
                    for c in range(6):
                        acc = 0.0
                        for j in range(ns):
                            acc += B[j] * K[j, c]
                        ynew[c] = y[c] + hs * acc
                    ts, ys = tnew, ynew
                rhs(ts, ys, K[st], cdam, fm, tmp)
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
        alt = geodetic_altitude(y, t, fm, tmp)
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
            rhs_call(t, y, f, cdam, fm, tmp)
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
                rhs_call(t, y, f, cdam, fm, tmp)
                nfev += 1
                burn_at = t + math.pi * math.sqrt(at**3 / mu)
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
def integrate_batch(y0, t0, tout, cdam, band_lo, band_hi, period, fm, sv, res):
    """Integrate every orbit (y0 (n, 6) at t0 (n,)) to all output times tout (m,), forward and backward.

    ``cdam``: Cd A / m per orbit; ``band_lo``/``band_hi`` (m): reboost band per orbit
    (-inf: none); ``period`` (s): mean-altitude window per orbit (0: no tracking).
    ``fm``: :class:`~sim.kernels.forces.ForceModel`; ``sv``: :class:`Solver`; results
    go into ``res`` (:class:`Outputs`).
    """
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
            integrate_one(i, 1.0, y0[i], t0[i], tout, idx, nf, cdam[i], band_lo[i], band_hi[i], period[i], fm, sv, res)
        # backward: outputs before the epoch, descending
        nb = 0
        for j in range(m - 1, -1, -1):
            if tout[j] < t0[i]:
                idx[nb] = j
                nb += 1
        if nb > 0:
            integrate_one(i, -1.0, y0[i], t0[i], tout, idx, nb, cdam[i], band_lo[i], band_hi[i], 0.0, fm, sv, res)
