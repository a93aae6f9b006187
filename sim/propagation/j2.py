"""Analytic secular J2 propagation (Brouwer first-order secular rates), batched.

The node, the argument of perigee and the mean anomaly drift linearly at the secular
rates caused by J2; a, e and i stay fixed. Positions come from these mean elements
through Kepler's equation, so the short-period J2 oscillations (a few km in position,
see ``tests/test_j2.py`` for the measured bound) are not modelled. This is the fast
default for coverage sweeps, where a few km is far below a footprint's size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..constants import J2, MU_EARTH, R_EARTH
from ..kernels.j2track import j2_states

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


def secular_rates(
    a: ArrayLike, e: ArrayLike, inc: ArrayLike, *, j2: float = J2, re: float = R_EARTH, mu: float = MU_EARTH
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Secular J2 rates (rad/s) of node, argument of perigee and mean anomaly.

    Returns ``(raan_dot, argp_dot, mean_motion)``, where ``mean_motion`` is the perturbed
    (anomalistic) mean motion ``n0 * (1 + 3/2 J2 (Re/p)^2 sqrt(1-e^2) (1 - 3/2 sin^2 i))``.
    """
    a = np.asarray(a, dtype=float)
    e = np.asarray(e, dtype=float)
    inc = np.asarray(inc, dtype=float)
    n0 = np.sqrt(mu / a**3)
    p = a * (1.0 - e * e)
    k = 1.5 * j2 * (re / p) ** 2 * n0
    s2 = np.sin(inc) ** 2
    raan_dot = -k * np.cos(inc)
    argp_dot = k * (2.0 - 2.5 * s2)
    mean_motion = n0 + k * np.sqrt(1.0 - e * e) * (1.0 - 1.5 * s2)
    return raan_dot, argp_dot, mean_motion


def propagate(
    a: np.ndarray,
    e: np.ndarray,
    inc: np.ndarray,
    raan: np.ndarray,
    argp: np.ndarray,
    M0: np.ndarray,
    dt: np.ndarray,
    *,
    j2: float = J2,
) -> tuple[np.ndarray, np.ndarray]:
    """Mean elements (each shape (n,)) advanced by ``dt`` (shape (n, m) seconds) -> r, v (n, m, 3).

    The compiled kernel :func:`sim.kernels.j2track.j2_states` (Kepler's equation by Newton).
    """
    raan_dot, argp_dot, n = secular_rates(a, e, inc, j2=j2)

    def flat(x):
        return np.ascontiguousarray(np.asarray(x, dtype=float).reshape(-1))

    return j2_states(
        flat(a),
        flat(e),
        flat(inc),
        flat(raan),
        flat(argp),
        flat(M0),
        raan_dot,
        argp_dot,
        n,
        np.ascontiguousarray(dt, dtype=float),
    )


def position_rate(
    a: ArrayLike, e: ArrayLike, inc: ArrayLike, r: np.ndarray, v: np.ndarray, *, j2: float = J2
) -> np.ndarray:
    """The time derivative of the secular model's positions ``r`` (m/s), (n_orbits, n_times, 3).

    :func:`propagate` returns the two-body velocity ``v`` of the current mean elements; the
    positions also move with the secular drifts of the node, the perigee and the mean anomaly
    (about 1e-3 of the speed for J2): ``dr/dt = v Mdot / n0 + argp_dot (h x r) + raan_dot (z x r)``.
    Interpolating positions between samples (Hermite) needs this derivative.
    """
    raan_dot, argp_dot, mdot = secular_rates(a, e, inc, j2=j2)
    n0 = np.sqrt(MU_EARTH / np.asarray(a, float) ** 3)
    hh = np.cross(r, v)
    hh /= np.linalg.norm(hh, axis=-1, keepdims=True)
    zr = np.stack([-r[..., 1], r[..., 0], np.zeros_like(r[..., 0])], -1)
    return v * (mdot / n0)[:, None, None] + argp_dot[:, None, None] * np.cross(hh, r) + raan_dot[:, None, None] * zr
