"""Ground-station pass search: rise, culmination and set from coarse ITRS samples, batched.

Input: positions and velocities (ITRS, m and m/s, velocity relative to the rotating Earth)
of each orbit every ``h`` seconds, shaped (n_orbits, n_samples, 3). Between two samples the
trajectory is the cubic Hermite interpolant of the two positions and velocities (error
``h**4 / 384 * |d4r/dt4|``, chosen below 1 m by :func:`sim.coverage.passes`). The
elevation of each station (``sin(el) = rho . up / |rho|``) and its time derivative are
exact functions of that interpolant, so:

* a rise or set between two samples is a sign change of ``sin(el) - sin(mask)``;
* a culmination between two samples is a sign change of ``d sin(el)/dt`` from + to -,
  detected whether the peak is above or below the mask (a pass whose peak is just above
  the mask and lasts less than a step is found from that maximum: two roots on either side);
* a set and a rise hidden between two samples above the mask (a dip below it) are found
  from the minimum the same way.

This assumes at most one extremum of elevation per step, which holds when the step is
much shorter than the time from a culmination to the next minimum (about half a
revolution). Roots are refined by the Illinois method on the interpolant to 1e-6 s.
"""

from __future__ import annotations

from math import sqrt

import numba
import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def hermite_sin_el(r, v, k, tau, h, sx, sy, sz, ux, uy, uz):
    """``sin(el)`` and its time derivative at ``t_k + tau * h`` on the Hermite interpolant of one orbit."""
    t2 = tau * tau
    t3 = t2 * tau
    h00 = 2.0 * t3 - 3.0 * t2 + 1.0
    h10 = (t3 - 2.0 * t2 + tau) * h
    h01 = -2.0 * t3 + 3.0 * t2
    h11 = (t3 - t2) * h
    d00 = (6.0 * t2 - 6.0 * tau) / h
    d10 = 3.0 * t2 - 4.0 * tau + 1.0
    d01 = (-6.0 * t2 + 6.0 * tau) / h
    d11 = 3.0 * t2 - 2.0 * tau
    px = h00 * r[k, 0] + h10 * v[k, 0] + h01 * r[k + 1, 0] + h11 * v[k + 1, 0] - sx
    py = h00 * r[k, 1] + h10 * v[k, 1] + h01 * r[k + 1, 1] + h11 * v[k + 1, 1] - sy
    pz = h00 * r[k, 2] + h10 * v[k, 2] + h01 * r[k + 1, 2] + h11 * v[k + 1, 2] - sz
    qx = d00 * r[k, 0] + d10 * v[k, 0] + d01 * r[k + 1, 0] + d11 * v[k + 1, 0]
    qy = d00 * r[k, 1] + d10 * v[k, 1] + d01 * r[k + 1, 1] + d11 * v[k + 1, 1]
    qz = d00 * r[k, 2] + d10 * v[k, 2] + d01 * r[k + 1, 2] + d11 * v[k + 1, 2]
    rn = sqrt(px * px + py * py + pz * pz)
    pu = px * ux + py * uy + pz * uz
    s = pu / rn
    ds = (qx * ux + qy * uy + qz * uz) / rn - pu * (px * qx + py * qy + pz * qz) / (rn * rn * rn)
    return s, ds


@njit(cache=True)
def interval_root(r, v, k, a, b, fa, fb, h, sx, sy, sz, ux, uy, uz, target, deriv):
    """Root in [a, b] (fractions of step ``k``) of ``sin(el) - target`` (``deriv`` False) or of
    ``d sin(el)/dt`` (``deriv`` True), with ``fa``, ``fb`` of opposite signs: Illinois method."""
    side = 0
    c = 0.5 * (a + b)
    for _ in range(100):
        c = b - fb * (b - a) / (fb - fa) if fb != fa else 0.5 * (a + b)
        if not (a < c < b) and not (b < c < a):
            c = 0.5 * (a + b)
        s, ds = hermite_sin_el(r, v, k, c, h, sx, sy, sz, ux, uy, uz)
        fc = ds if deriv else s - target
        if fc == 0.0 or abs(b - a) * h < 1e-6:
            break
        if (fc > 0.0) == (fb > 0.0):
            b, fb = c, fc
            if side == -1:
                fa *= 0.5
            side = -1
        else:
            a, fa = c, fc
            if side == 1:
                fb *= 0.5
            side = 1
    return c


@njit(cache=True)
def pair_passes(ri, vi, h, sx, sy, sz, ux, uy, uz, sm, rows, flg):
    """Passes of one orbit (samples ``ri``, ``vi``) over one station into ``rows`` (cap, 4) and
    ``flg`` (cap,) (see :func:`find_passes`); returns the number found (may exceed cap)."""
    n = ri.shape[0]
    cap = rows.shape[0]
    span = (n - 1) * h
    f = np.empty(n)
    df = np.empty(n)
    for k in range(n):
        px, py, pz = ri[k, 0] - sx, ri[k, 1] - sy, ri[k, 2] - sz
        rn = sqrt(px * px + py * py + pz * pz)
        pu = px * ux + py * uy + pz * uz
        f[k] = pu / rn - sm
        df[k] = (vi[k, 0] * ux + vi[k, 1] * uy + vi[k, 2] * uz) / rn - pu * (
            px * vi[k, 0] + py * vi[k, 1] + pz * vi[k, 2]
        ) / (rn * rn * rn)
    m = 0
    is_open = f[0] > 0.0
    clipped = is_open
    rise = 0.0
    best_t, best_s = 0.0, f[0] + sm
    for k in range(n - 1):
        t0 = k * h
        fa, fb = f[k], f[k + 1]
        # the extremum inside this step, if any: (tau, sin el) of a maximum or a minimum
        has_max = df[k] > 0.0 and df[k + 1] <= 0.0
        has_min = df[k] < 0.0 and df[k + 1] >= 0.0
        te, se = -1.0, 0.0
        if has_max or has_min:
            te = interval_root(ri, vi, k, 0.0, 1.0, df[k], df[k + 1], h, sx, sy, sz, ux, uy, uz, 0.0, True)
            se, _ = hermite_sin_el(ri, vi, k, te, h, sx, sy, sz, ux, uy, uz)
        # crossings of the mask inside this step, in time order (at most two)
        c1, c2 = -1.0, -1.0
        if (fa > 0.0) != (fb > 0.0):
            c1 = interval_root(ri, vi, k, 0.0, 1.0, fa, fb, h, sx, sy, sz, ux, uy, uz, sm, False)
        elif te >= 0.0 and (se - sm > 0.0) != (fa > 0.0):  # a hidden pass (max) or a hidden dip (min)
            fe = se - sm
            c1 = interval_root(ri, vi, k, 0.0, te, fa, fe, h, sx, sy, sz, ux, uy, uz, sm, False)
            c2 = interval_root(ri, vi, k, te, 1.0, fe, fb, h, sx, sy, sz, ux, uy, uz, sm, False)
        last = 0.0
        for c in (c1, c2):
            if c < 0.0:
                continue
            last = c
            tc = t0 + c * h
            if not is_open:  # a rise
                is_open = True
                clipped = False
                rise = tc
                best_t, best_s = tc, sm
            else:  # a set: close the pass (a maximum before it counts)
                if has_max and te < c and se > best_s:
                    best_t, best_s = t0 + te * h, se
                if m < cap:
                    rows[m, 0] = rise
                    rows[m, 1] = best_t
                    rows[m, 2] = tc
                    rows[m, 3] = best_s
                    flg[m] = 1 if clipped else 0
                m += 1
                is_open = False
        if is_open:  # the pass goes on past this step: its best so far
            if has_max and te >= last and se > best_s:
                best_t, best_s = t0 + te * h, se
            if fb + sm > best_s:
                best_t, best_s = t0 + h, fb + sm
    if is_open:
        if m < cap:
            rows[m, 0] = rise
            rows[m, 1] = best_t
            rows[m, 2] = span
            rows[m, 3] = best_s
            flg[m] = (1 if clipped else 0) + 2
        m += 1
    return m


@njit(cache=True, parallel=True)
def find_passes(r, v, h, st_xyz, st_up, sin_mask, cap):
    """Passes of every orbit over every station from Hermite-interpolated ITRS samples, in parallel
    over (orbit, station) pairs.

    ``r``, ``v``: (n_orbits, n, 3) ITRS samples every ``h`` s from t = 0; ``st_xyz``,
    ``st_up``: (n_stations, 3) positions (m) and geodetic up unit vectors; ``sin_mask``:
    (n_stations,) sines of the masks; ``cap``: rows reserved per pair. Returns ``count``
    (n_orbits, n_stations) (may exceed ``cap``: call again with a larger one) and, per pair,
    ``cap`` rows of rise, culmination, set (s from t = 0), ``sin(max elevation)`` and flags
    (1: rise clipped at the start, 2: set clipped at the end).
    """
    no, ns = r.shape[0], st_xyz.shape[0]
    count = np.zeros((no, ns), np.int64)
    out = np.full((no, ns, cap, 4), np.nan)
    flags = np.zeros((no, ns, cap), np.int64)
    for pair in numba.prange(no * ns):
        i, j = pair // ns, pair % ns
        count[i, j] = pair_passes(
            r[i],
            v[i],
            h,
            st_xyz[j, 0],
            st_xyz[j, 1],
            st_xyz[j, 2],
            st_up[j, 0],
            st_up[j, 1],
            st_up[j, 2],
            sin_mask[j],
            out[i, j],
            flags[i, j],
        )
    return count, out, flags


@njit(cache=True)
def find_passes_serial(r, v, h, st_xyz, st_up, sin_mask, cap):
    """:func:`find_passes` on one thread (small problems: no thread start-up)."""
    no, ns = r.shape[0], st_xyz.shape[0]
    count = np.zeros((no, ns), np.int64)
    out = np.full((no, ns, cap, 4), np.nan)
    flags = np.zeros((no, ns, cap), np.int64)
    for i in range(no):
        for j in range(ns):
            count[i, j] = pair_passes(
                r[i],
                v[i],
                h,
                st_xyz[j, 0],
                st_xyz[j, 1],
                st_xyz[j, 2],
                st_up[j, 0],
                st_up[j, 1],
                st_up[j, 2],
                sin_mask[j],
                out[i, j],
                flags[i, j],
            )
    return count, out, flags
