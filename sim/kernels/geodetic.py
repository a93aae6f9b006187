"""Geodetic latitude and height from Cartesian coordinates (Bowring's method), compiled."""

from __future__ import annotations

from math import atan2, cos, sin, sqrt

from numba import njit


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
