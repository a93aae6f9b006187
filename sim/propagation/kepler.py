"""Two-body element <-> state conversions and Kepler's equation, batched (plain numpy, SI).

All functions broadcast over any leading shape. Angles in radians, lengths in metres.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..constants import MU_EARTH

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

#: 2 pi (a full turn, rad)
TWO_PI = 2.0 * np.pi


def solve_kepler(M: ArrayLike, e: ArrayLike, tol: float = 1e-14, max_iter: int = 50) -> np.ndarray:
    """Eccentric anomaly E from mean anomaly M for elliptic orbits (0 <= e < 1), Newton's method."""
    M = np.remainder(np.asarray(M, dtype=float), TWO_PI)
    e = np.asarray(e, dtype=float)
    E = np.where(e < 0.8, M, np.pi) + np.zeros_like(e)
    for _ in range(max_iter):
        f = E - e * np.sin(E) - M
        dE = f / (1.0 - e * np.cos(E))
        E = E - dE
        if np.all(np.abs(dE) < tol):
            break
    return E


def mean_to_true(M: ArrayLike, e: float | np.ndarray) -> np.ndarray:
    """True anomaly from mean anomaly M (elliptic, through :func:`solve_kepler`); ``e`` a float or an array."""
    E = solve_kepler(M, e)
    return 2.0 * np.arctan2(np.sqrt(1.0 + e) * np.sin(E / 2.0), np.sqrt(1.0 - e) * np.cos(E / 2.0))


def true_to_mean(nu: float | np.ndarray, e: float | np.ndarray) -> np.ndarray:
    """Mean anomaly in [0, 2 pi) from true anomaly ``nu`` (elliptic); floats or arrays (not lists)."""
    E = 2.0 * np.arctan2(np.sqrt(1.0 - e) * np.sin(nu / 2.0), np.sqrt(1.0 + e) * np.cos(nu / 2.0))
    return np.remainder(E - e * np.sin(E), TWO_PI)


def coe2rv(
    a: ArrayLike,
    e: ArrayLike,
    inc: ArrayLike,
    raan: ArrayLike,
    argp: ArrayLike,
    nu: ArrayLike,
    mu: float = MU_EARTH,
) -> tuple[np.ndarray, np.ndarray]:
    """Classical elements (true anomaly ``nu``) to position and velocity, shape (..., 3)."""
    a, e, inc, raan, argp, nu = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (a, e, inc, raan, argp, nu)))
    p = a * (1.0 - e * e)
    cnu, snu = np.cos(nu), np.sin(nu)
    r = p / (1.0 + e * cnu)
    sqmp = np.sqrt(mu / p)
    # perifocal
    rp = np.stack([r * cnu, r * snu, np.zeros_like(r)], axis=-1)
    vp = np.stack([-sqmp * snu, sqmp * (e + cnu), np.zeros_like(r)], axis=-1)
    R = _pqw_to_ijk(inc, raan, argp)
    return np.einsum("...ij,...j->...i", R, rp), np.einsum("...ij,...j->...i", R, vp)


def _pqw_to_ijk(inc, raan, argp):
    cO, sO = np.cos(raan), np.sin(raan)
    cw, sw = np.cos(argp), np.sin(argp)
    ci, si = np.cos(inc), np.sin(inc)
    R = np.empty(inc.shape + (3, 3))
    R[..., 0, 0] = cO * cw - sO * sw * ci
    R[..., 0, 1] = -cO * sw - sO * cw * ci
    R[..., 0, 2] = sO * si
    R[..., 1, 0] = sO * cw + cO * sw * ci
    R[..., 1, 1] = -sO * sw + cO * cw * ci
    R[..., 1, 2] = -cO * si
    R[..., 2, 0] = sw * si
    R[..., 2, 1] = cw * si
    R[..., 2, 2] = ci
    return R


def rv2coe(
    r: ArrayLike, v: ArrayLike, mu: float = MU_EARTH, tol: float = 1e-11
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Position/velocity (..., 3) to classical elements (a, e, inc, raan, argp, nu).

    Singular cases are resolved the usual way, so that ``coe2rv(*rv2coe(r, v))``
    round-trips: for circular orbits ``argp = 0`` and ``nu`` is the argument of latitude;
    for equatorial orbits ``raan = 0`` and ``argp`` is measured from the x axis; for
    circular equatorial orbits ``nu`` is the true longitude.
    """
    r = np.asarray(r, dtype=float)
    v = np.asarray(v, dtype=float)
    rn = np.linalg.norm(r, axis=-1)
    vn2 = np.sum(v * v, axis=-1)
    h = np.cross(r, v)
    hn = np.linalg.norm(h, axis=-1)
    k = np.array([0.0, 0.0, 1.0])
    nvec = np.cross(k, h)
    nn = np.linalg.norm(nvec, axis=-1)
    evec = ((vn2 - mu / rn)[..., None] * r - np.sum(r * v, axis=-1)[..., None] * v) / mu
    e = np.linalg.norm(evec, axis=-1)
    energy = vn2 / 2.0 - mu / rn
    a = -mu / (2.0 * energy)
    inc = np.arccos(np.clip(h[..., 2] / hn, -1.0, 1.0))

    circular = e < tol
    equatorial = nn < tol * hn

    raan = np.where(equatorial, 0.0, np.arctan2(nvec[..., 1], nvec[..., 0]))
    # unit vector towards the node (x axis for equatorial orbits)
    nhat = np.where(equatorial[..., None], np.array([1.0, 0.0, 0.0]), nvec / np.where(nn > 0, nn, 1.0)[..., None])
    what = h / hn[..., None]
    mhat = np.cross(what, nhat)  # 90 deg ahead of the node in the orbit plane

    def angle_in_plane(vec):
        return np.arctan2(np.sum(vec * mhat, axis=-1), np.sum(vec * nhat, axis=-1))

    argp = np.where(circular, 0.0, angle_in_plane(evec))
    arglat = angle_in_plane(r)
    nu = arglat - argp
    return (a, e, inc, np.remainder(raan, TWO_PI), np.remainder(argp, TWO_PI), np.remainder(nu, TWO_PI))


def propagate_elements(
    a: float | np.ndarray,
    e: float | np.ndarray,
    inc: float | np.ndarray,
    raan: float | np.ndarray,
    argp: float | np.ndarray,
    M0: float | np.ndarray,
    dt: float | np.ndarray,
    *,
    raan_rate: float | np.ndarray = 0.0,
    argp_rate: float | np.ndarray = 0.0,
    n: float | np.ndarray | None = None,
    mu: float = MU_EARTH,
) -> tuple[np.ndarray, np.ndarray]:
    """Elements advanced linearly in time; returns r, v. ``dt`` broadcasts against the elements.

    Floats or numpy arrays (plain lists are not converted: ``a**3`` and ``raan + raan_rate * dt``
    need numbers or arrays).
    """
    if n is None:
        n = np.sqrt(mu / a**3)
    M = M0 + n * dt
    nu = mean_to_true(M, e)
    return coe2rv(a, e, inc, raan + raan_rate * dt, argp + argp_rate * dt, nu, mu=mu)
