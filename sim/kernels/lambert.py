"""Two-impulse Lambert transfers over a (departure x flight time x revolutions) grid.

The Lambert solver is boinor's compiled Izzo (2015) algorithm (:func:`boinor.core.iod.izzo`, the
maintained successor of poliastro's), called from a ``prange`` loop over the grid points. This is
the one kernel that imports a third-party package besides numpy/numba: the solver is itself
numba-compiled on plain floats (no astropy), so calling it here costs no Python per grid point.

Two rules keep the solver from raising inside the parallel loop (an exception there cannot be
recovered) and keep the grid honest:

* **Feasible revolutions only.** Izzo's multi-revolution branch exists for ``M`` when the
  non-dimensional time of flight ``T`` exceeds the minimum ``T_min(M)``; the kernel only asks for
  ``M <= floor((T - T_00) / pi)`` (``T_00``: the zero-revolution minimum-energy time), for which
  Izzo's own test (``M <= M_max``) always passes. What this leaves out is the sliver
  ``T_min(M) <= T < T_00 + M pi`` of the highest ``M``: transfers near that M's minimum-energy
  ellipse (semi-major axis ~ half the chord's semiperimeter, i.e. perigee deep inside the Earth
  for LEO-to-LEO), never the cheap ones.
* **Branch and bound on M.** An ``M``-revolution elliptic arc has ``M P < tof < (M + 1) P``, so
  its semi-major axis lies in ``[a(tof / (M+1)), a(tof / M)]`` and, by vis-viva, its speed at
  each end in a known interval; ``| |v_transfer| - |v_station| |`` bounds each impulse from
  below. An ``M`` whose bound already exceeds the cheapest solution found at that grid point is
  skipped (exact: it cannot change the result). The station's own revolution count is tried first.
* **Above the atmosphere.** An arc whose perigee on the arc is below ``r_min`` is not a transfer
  (:func:`dips_below`); with many revolutions in a short time the semi-major axis ``a(tof / M)``
  falls under ``r_min`` and that ``M`` and every larger one are skipped without solving. Without this
  rule the cheapest "transfers" between planes far apart dive through the Earth.
"""

from __future__ import annotations

import math

import numpy as np
from boinor.core.iod import izzo
from numba import njit, prange


@njit(cache=True)
def _speed_bounds(mu, r, tof, m):
    """Vis-viva speed interval (m/s) at radius ``r`` of elliptic arcs with ``m`` revolutions in ``tof``."""
    # m P < tof < (m + 1) P  ->  a(tof / (m + 1)) < a < a(tof / m)
    a_lo = (mu * (tof / (2.0 * math.pi * (m + 1))) ** 2) ** (1.0 / 3.0)
    v_lo = math.sqrt(max(0.0, mu * (2.0 / r - 1.0 / a_lo)))
    if m == 0:
        return v_lo, np.inf
    a_hi = (mu * (tof / (2.0 * math.pi * m)) ** 2) ** (1.0 / 3.0)
    return v_lo, math.sqrt(max(0.0, mu * (2.0 / r - 1.0 / a_hi)))


@njit(cache=True)
def _gap(v, lo, hi):
    if v < lo:
        return lo - v
    if v > hi:
        return v - hi
    return 0.0


@njit(cache=True)
def dips_below(mu, r_min, r1, w1, r2, w2, revs):
    """True if the two-body arc from (r1, w1) to (r2, w2) with ``revs`` complete revolutions passes
    closer than ``r_min`` (m) to the centre: its perigee radius ``p / (1 + e)`` is below ``r_min``
    and the perigee is on the arc (always for ``revs >= 1``; for a part-revolution arc, when the
    radial velocity turns from negative at r1 to positive at r2)."""
    hx = r1[1] * w1[2] - r1[2] * w1[1]
    hy = r1[2] * w1[0] - r1[0] * w1[2]
    hz = r1[0] * w1[1] - r1[1] * w1[0]
    h2 = hx * hx + hy * hy + hz * hz
    r1n = math.sqrt(r1[0] ** 2 + r1[1] ** 2 + r1[2] ** 2)
    energy = 0.5 * (w1[0] ** 2 + w1[1] ** 2 + w1[2] ** 2) - mu / r1n
    e = math.sqrt(max(0.0, 1.0 + 2.0 * energy * h2 / (mu * mu)))
    if h2 / mu / (1.0 + e) >= r_min:
        return False
    if revs >= 1:
        return True
    out1 = r1[0] * w1[0] + r1[1] * w1[1] + r1[2] * w1[2]
    out2 = r2[0] * w2[0] + r2[1] * w2[1] + r2[2] * w2[2]
    return out1 < 0.0 and out2 > 0.0


@njit(cache=True)
def lambert_point(mu, r_min, r1, v1, r2, v2, tof, max_revs, numiter, rtol):
    """Cheapest prograde Lambert arc from state (r1, v1) to state (r2, v2) in ``tof`` seconds that
    stays above the radius ``r_min`` (m; see :func:`dips_below`).

    Returns ``(dv_total, dv_departure, dv_arrival, revolutions, low_path, w1, w2)`` with
    ``dv_departure = |w1 - v1|`` and ``dv_arrival = |v2 - w2|`` (m/s), ``w1``/``w2`` the arc's
    velocities (m/s, shape (3,)) at r1 and r2; NaN (and -1 revolutions) when no arc exists
    (coincident or collinear positions).
    """
    best_w1 = np.full(3, np.nan)
    best_w2 = np.full(3, np.nan)
    m_safe = safe_revolutions(mu, r1, r2, tof)
    if m_safe < 0:
        return np.nan, np.nan, np.nan, -1, False, best_w1, best_w2
    m_safe = min(max_revs, m_safe)
    r1n = math.sqrt(r1[0] ** 2 + r1[1] ** 2 + r1[2] ** 2)
    r2n = math.sqrt(r2[0] ** 2 + r2[1] ** 2 + r2[2] ** 2)
    v1n = math.sqrt(v1[0] ** 2 + v1[1] ** 2 + v1[2] ** 2)
    v2n = math.sqrt(v2[0] ** 2 + v2[1] ** 2 + v2[2] ** 2)
    # the departing station's own revolution count first (a good incumbent for the bound)
    energy = 0.5 * v1n * v1n - mu / r1n
    m_first = 0
    if energy < 0.0:
        period = 2.0 * math.pi * math.sqrt((-mu / (2.0 * energy)) ** 3 / mu)
        m_first = min(m_safe, int(tof // period))
    best, best_d, best_a, best_m, best_low = np.inf, np.nan, np.nan, -1, False
    for k in range(m_safe + 2):
        m = m_first if k == 0 else k - 1
        if k > 0 and m == m_first:
            continue
        if m > m_safe:
            break
        if m > 0 and (mu * (tof / (2.0 * math.pi * m)) ** 2) ** (1.0 / 3.0) < r_min:
            # a < a(tof / m) < r_min: the perigee a (1 - e) is below r_min, and more revolutions only lower a
            if k == 0:
                continue
            break
        lo1, hi1 = _speed_bounds(mu, r1n, tof, m)
        lo2, hi2 = _speed_bounds(mu, r2n, tof, m)
        if _gap(v1n, lo1, hi1) + _gap(v2n, lo2, hi2) >= best:
            continue
        for path in range(2 if m > 0 else 1):
            low = path == 0
            w1, w2 = izzo(mu, r1, r2, tof, m, True, low, numiter, rtol)
            if dips_below(mu, r_min, r1, w1, r2, w2, m):
                continue
            dd = math.sqrt((w1[0] - v1[0]) ** 2 + (w1[1] - v1[1]) ** 2 + (w1[2] - v1[2]) ** 2)
            da = math.sqrt((v2[0] - w2[0]) ** 2 + (v2[1] - w2[1]) ** 2 + (v2[2] - w2[2]) ** 2)
            if dd + da < best:
                best, best_d, best_a, best_m, best_low = dd + da, dd, da, m, low
                best_w1, best_w2 = w1, w2
    if best_m < 0:
        return np.nan, np.nan, np.nan, -1, False, best_w1, best_w2
    return best, best_d, best_a, best_m, best_low, best_w1, best_w2


@njit(cache=True)
def rotate(x, axis, angle):
    """``x`` (3,) rotated by ``angle`` (rad) about the unit vector ``axis`` (Rodrigues)."""
    c, s = math.cos(angle), math.sin(angle)
    kx = axis[1] * x[2] - axis[2] * x[1]
    ky = axis[2] * x[0] - axis[0] * x[2]
    kz = axis[0] * x[1] - axis[1] * x[0]
    d = (axis[0] * x[0] + axis[1] * x[1] + axis[2] * x[2]) * (1.0 - c)
    out = np.empty(3)
    out[0] = x[0] * c + kx * s + axis[0] * d
    out[1] = x[1] * c + ky * s + axis[1] * d
    out[2] = x[2] * c + kz * s + axis[2] * d
    return out


@njit(cache=True)
def arrival_in_arc_frame(r2, v2, r1, v1, pole, node_rate, argp_rate, tof):
    """The arrival state (r2, v2) with the secular drift of the transfer arc's orientation taken out.

    Under J2 (secular) an arc leaving (r1, v1) keeps a, e, i while its node turns about the Earth's
    ``pole`` (unit vector of the true pole of date in the states' frame) at ``node_rate`` and its
    perigee turns in its plane at ``argp_rate`` (rad/s); its mean anomaly runs at its own secular
    rate, which the caller handles by solving the two-body arc over a scaled flight time. The J2 arc
    after ``tof`` seconds is ``R_pole(node_rate tof) R_h(argp_rate tof)`` applied to that two-body
    arc (h: the normal of ``r1 x v1``), so the two-body arc must meet
    ``R_h(-argp_rate tof) R_pole(-node_rate tof) (r2, v2)``. Zero rates return the state unchanged.
    """
    if node_rate == 0.0 and argp_rate == 0.0:
        return r2.copy(), v2.copy()
    hx = r1[1] * v1[2] - r1[2] * v1[1]
    hy = r1[2] * v1[0] - r1[0] * v1[2]
    hz = r1[0] * v1[1] - r1[1] * v1[0]
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    h = np.empty(3)
    h[0], h[1], h[2] = hx / hn, hy / hn, hz / hn
    r = rotate(rotate(r2, pole, -node_rate * tof), h, -argp_rate * tof)
    v = rotate(rotate(v2, pole, -node_rate * tof), h, -argp_rate * tof)
    return r, v


@njit(parallel=True, cache=True)
def lambert_grid(mu, r_min, r_dep, v_dep, r_arr, v_arr, arr_index, tof_s, pole, drift, max_revs, numiter, rtol):
    """:func:`lambert_point` over a grid, in parallel.

    ``r_dep``, ``v_dep``: (n_dep, 3) departure states (m, m/s); ``r_arr``, ``v_arr``: (n_arr, 3)
    arrival states; ``arr_index``: (n_dep, n_tof) row of the arrival state of each grid point;
    ``tof_s``: (n_tof,) flight times (s); ``pole``: (n_dep, 3) unit vector of the true pole of date
    in the states' frame; ``drift``: (n_dep, n_tof, 3) the J2 secular drift of each arc: node rate
    and perigee rate (rad/s, see :func:`arrival_in_arc_frame`, about the departure orbit's normal)
    and the ratio of its secular mean-anomaly rate to the two-body mean motion (the two-body arc is
    solved over ``tof * ratio``; all 0, 0, 1 for two-body states). Returns ``dv_total``,
    ``dv_departure``, ``dv_arrival`` (n_dep, n_tof) m/s, ``revolutions`` (int), ``low_path``
    (bool) and the arcs' departure velocities ``w1`` (n_dep, n_tof, 3) m/s.
    """
    n_dep, n_tof = arr_index.shape
    dv = np.full((n_dep, n_tof), np.nan)
    dv_d = np.full((n_dep, n_tof), np.nan)
    dv_a = np.full((n_dep, n_tof), np.nan)
    revs = np.full((n_dep, n_tof), -1, dtype=np.int64)
    low = np.zeros((n_dep, n_tof), dtype=np.bool_)
    w1 = np.full((n_dep, n_tof, 3), np.nan)
    for k in prange(n_dep * n_tof):
        i = k // n_tof
        j = k - i * n_tof
        a = arr_index[i, j]
        dr = drift[i, j]
        r2, v2 = arrival_in_arc_frame(r_arr[a], v_arr[a], r_dep[i], v_dep[i], pole[i], dr[0], dr[1], tof_s[j])
        t, d, e, m, lp, w, _ = lambert_point(
            mu, r_min, r_dep[i], v_dep[i], r2, v2, tof_s[j] * dr[2], max_revs, numiter, rtol
        )
        dv[i, j] = t
        dv_d[i, j] = d
        dv_a[i, j] = e
        revs[i, j] = m
        low[i, j] = lp
        w1[i, j] = w
    return dv, dv_d, dv_a, revs, low, w1


@njit(cache=True)
def safe_revolutions(mu, r1, r2, tof):
    """Largest revolution count for which Izzo's solver has a solution without raising (see the
    module doc), or -1 for coincident/collinear positions."""
    r1n = math.sqrt(r1[0] ** 2 + r1[1] ** 2 + r1[2] ** 2)
    r2n = math.sqrt(r2[0] ** 2 + r2[1] ** 2 + r2[2] ** 2)
    hx = r1[1] * r2[2] - r1[2] * r2[1]
    hy = r1[2] * r2[0] - r1[0] * r2[2]
    hz = r1[0] * r2[1] - r1[1] * r2[0]
    c = math.sqrt((r2[0] - r1[0]) ** 2 + (r2[1] - r1[1]) ** 2 + (r2[2] - r1[2]) ** 2)
    if not (math.sqrt(hx * hx + hy * hy + hz * hz) > 1e-10 * r1n * r2n and c > 1e-6 * r1n and tof > 0.0):
        return -1  # coincident or collinear positions, or no (or a NaN) flight time
    s = 0.5 * (r1n + r2n + c)
    ll = math.sqrt(1.0 - min(1.0, c / s))
    if hz < 0.0:  # prograde, as in izzo()
        ll = -ll
    T = math.sqrt(2.0 * mu / s**3) * tof
    T00 = math.acos(ll) + ll * math.sqrt(1.0 - ll * ll)
    return max(0, int(math.floor((T - T00) / math.pi)))


@njit(parallel=True, cache=True)
def lambert_refine(mu, r_min, r_dep, v_dep, w1, r_arr, v_arr, arr_index, tof_s, pole, drift, revs, low, numiter, rtol):
    """Re-solve each grid point of :func:`lambert_grid` at its revolution count and branch with the
    arc's own secular ``drift`` (n_dep, n_tof, 3) as in :func:`lambert_grid`, from the first
    solution's elements; the first arc's normal ``r_dep x w1`` is the perigee rotation axis).
    Returns ``dv_total``, ``dv_departure``, ``dv_arrival`` and ``w1`` like :func:`lambert_grid`;
    a point whose revolution count is no longer safely solvable keeps NaN.
    """
    n_dep, n_tof = arr_index.shape
    dv = np.full((n_dep, n_tof), np.nan)
    dv_d = np.full((n_dep, n_tof), np.nan)
    dv_a = np.full((n_dep, n_tof), np.nan)
    w_out = np.full((n_dep, n_tof, 3), np.nan)
    for k in prange(n_dep * n_tof):
        i = k // n_tof
        j = k - i * n_tof
        m = revs[i, j]
        if m < 0:
            continue
        a = arr_index[i, j]
        dr = drift[i, j]
        r1, v1 = r_dep[i], v_dep[i]
        r2, v2 = arrival_in_arc_frame(r_arr[a], v_arr[a], r1, w1[i, j], pole[i], dr[0], dr[1], tof_s[j])
        tof = tof_s[j] * dr[2]
        if m > safe_revolutions(mu, r1, r2, tof):
            continue
        u1, u2 = izzo(mu, r1, r2, tof, m, True, low[i, j], numiter, rtol)
        if dips_below(mu, r_min, r1, u1, r2, u2, m):
            continue
        d = math.sqrt((u1[0] - v1[0]) ** 2 + (u1[1] - v1[1]) ** 2 + (u1[2] - v1[2]) ** 2)
        e = math.sqrt((v2[0] - u2[0]) ** 2 + (v2[1] - u2[1]) ** 2 + (v2[2] - u2[2]) ** 2)
        dv[i, j] = d + e
        dv_d[i, j] = d
        dv_a[i, j] = e
        w_out[i, j] = u1
    return dv, dv_d, dv_a, w_out
