"""Geodetic latitude and height from Cartesian coordinates (Bowring's method), compiled."""

from __future__ import annotations

from math import atan2, cos, sin, sqrt

import numpy as np
from numba import njit, prange


@njit(cache=True, inline="always")
def bowring(x, y, z, req, b, e2, ep2):
    """Geodetic latitude (rad), longitude (rad) and height (m) of the point (x, y, z) (m).

    ``req``: equatorial radius, ``b``: polar radius, ``e2``: first eccentricity squared,
    ``ep2``: second eccentricity squared. Bowring's method with one refinement: well
    below a millimetre at LEO altitudes.
    """
    p = sqrt(x * x + y * y)
    lon = atan2(y, x)
    u = atan2(z * req, p * b)
    lat = atan2(z + ep2 * b * sin(u) ** 3, p - e2 * req * cos(u) ** 3)
    u = atan2(b * sin(lat), req * cos(lat))
    lat = atan2(z + ep2 * b * sin(u) ** 3, p - e2 * req * cos(u) ** 3)
    sl, cl = sin(lat), cos(lat)
    h = p * cl + z * sl - req * sqrt(1.0 - e2 * sl * sl)
    return lat, lon, h


@njit(cache=True, fastmath=False)
def geodetic_from_axis(rho_xy, z, a, e2):
    """Geodetic latitude (rad) and height (m) from the distance to the polar axis and the height along it."""
    b = a * sqrt(1.0 - e2)
    lat, _, h = bowring(rho_xy, 0.0, z, a, b, e2, e2 / (1.0 - e2))
    return lat, h


@njit(cache=True, parallel=True, fastmath=False)
def bowring_many(r, req, e2):
    """:func:`bowring` for every row of ``r`` (n, 3) (m): latitude, longitude (rad) and height (m), each (n,)."""
    n = r.shape[0]
    lat = np.empty(n)
    lon = np.empty(n)
    h = np.empty(n)
    b = req * sqrt(1.0 - e2)
    ep2 = e2 / (1.0 - e2)
    for i in prange(n):
        lat[i], lon[i], h[i] = bowring(r[i, 0], r[i, 1], r[i, 2], req, b, e2, ep2)
    return lat, lon, h
