"""Geometry kernels of the two-impulse Lambert transfer grid of :mod:`sim.coorbital`.

The grid itself (:func:`sim.coorbital.lambert_grid`), which calls boinor's compiled Izzo solver
(:func:`boinor.core.iod.izzo`), lives in :mod:`sim.coorbital`: kernels import only numpy, math,
numba and :mod:`sim.constants` (``tests/test_kernels.py``), and a solver passed in as an argument
would make numba's on-disk cache unusable (every process would recompile for ~15 s). What is here
has no solver in it:

* :func:`safe_revolutions`: the revolution counts Izzo's solver has a solution for without
  raising (an exception inside a ``prange`` loop cannot be recovered). Izzo's multi-revolution
  branch exists for ``M`` when the non-dimensional time of flight ``T`` exceeds ``T_min(M)``; only
  ``M <= floor((T - T_00) / pi)`` is asked for (``T_00``: the zero-revolution minimum-energy
  time), for which Izzo's own test (``M <= M_max``) always passes. Left out: the sliver
  ``T_min(M) <= T < T_00 + M pi`` of the highest ``M``, arcs near that M's minimum-energy ellipse
  (semi-major axis ~ half the chord's semiperimeter: perigee deep inside the Earth for LEO-to-LEO).
* :func:`speed_bounds` / :func:`speed_gap`: an ``M``-revolution elliptic arc has
  ``M P < tof < (M + 1) P``, so its semi-major axis lies in ``[a(tof / (M+1)), a(tof / M)]`` and,
  by vis-viva, its speed at each end in a known interval; ``| |v_transfer| - |v_station| |``
  bounds each impulse from below (branch and bound over M, exact).
* :func:`dips_below`: an arc whose perigee on the arc is below ``r_min`` is not a transfer.
* :func:`rotate`, :func:`arrival_in_arc_frame`: the J2 secular drift of an arc taken out of the
  arrival state.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True)
def speed_bounds(mu, r, tof, m):
    """Vis-viva speed interval (m/s) at radius ``r`` of elliptic arcs with ``m`` revolutions in ``tof``."""
    # m P < tof < (m + 1) P  ->  a(tof / (m + 1)) < a < a(tof / m)
    a_lo = (mu * (tof / (2.0 * math.pi * (m + 1))) ** 2) ** (1.0 / 3.0)
    v_lo = math.sqrt(max(0.0, mu * (2.0 / r - 1.0 / a_lo)))
    if m == 0:
        return v_lo, np.inf
    a_hi = (mu * (tof / (2.0 * math.pi * m)) ** 2) ** (1.0 / 3.0)
    return v_lo, math.sqrt(max(0.0, mu * (2.0 / r - 1.0 / a_hi)))


@njit(cache=True)
def speed_gap(v, lo, hi):
    """Distance of ``v`` from the interval [lo, hi] (0 inside)."""
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
def arrival_in_arc_frame(r2, v2, r1, pole, node_rate, argp_rate, tof):
    """The arrival state (r2, v2) with the secular drift of the transfer arc's orientation taken out.

    Under J2 (secular) an arc from r1 keeps a, e, i while its node turns about the Earth's ``pole``
    (unit vector of the true pole of date in the states' frame) at ``node_rate`` and its perigee
    turns in its plane at ``argp_rate`` (rad/s); its mean anomaly runs at its own secular rate,
    which the caller handles by solving the two-body arc over a scaled flight time. The J2 arc after
    ``tof`` seconds is ``R_pole(node_rate tof) R_h(argp_rate tof)`` applied to that two-body arc (h:
    the arc's normal), so the two-body arc must meet ``R_h(-argp_rate tof) R_pole(-node_rate tof)
    (r2, v2)``. A rotation about h keeps the plane, so h is the prograde normal of r1 and the
    node-rotated r2 (no iteration on the arc). Zero rates return the state unchanged.
    """
    if node_rate == 0.0 and argp_rate == 0.0:
        return r2.copy(), v2.copy()
    r = rotate(r2, pole, -node_rate * tof)
    v = rotate(v2, pole, -node_rate * tof)
    hx = r1[1] * r[2] - r1[2] * r[1]
    hy = r1[2] * r[0] - r1[0] * r[2]
    hz = r1[0] * r[1] - r1[1] * r[0]
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    if hn == 0.0:  # collinear: no plane (the Lambert solver refuses these too)
        return r, v
    if hz < 0.0:  # prograde, as boinor's izzo() takes it
        hn = -hn
    h = np.empty(3)
    h[0], h[1], h[2] = hx / hn, hy / hn, hz / hn
    return rotate(r, h, -argp_rate * tof), rotate(v, h, -argp_rate * tof)


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
