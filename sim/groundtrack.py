"""Ground tracks: WGS84 geodetic latitude, longitude and altitude of orbits over time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .constants import E2_EARTH, J2, R_EARTH
from .timeutil import seconds_between, to_time

if TYPE_CHECKING:
    from .orbits import Orbit

__all__ = ["ground_track"]


def ground_track(
    orbit: Orbit, times: Any, model: str = "j2", *, exact: bool = False, **options: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sub-satellite points ``(lat_deg, lon_deg, alt_km)``, each shaped (n_orbits, n_times).

    ``times``: anything :func:`sim.timeutil.to_time` accepts.

    Longitudes are in [-180, 180) deg east; altitudes are geodetic heights above the
    WGS84 ellipsoid in km.

    ``exact=False`` (default) is the fast path: TEME -> ITRS by the GMST-1982 rotation
    with UT1 from the bundled IERS data, polar motion omitted (as SGP4 and Skyfield do
    by default; polar motion moves the sub-point by at most ~15 m), fused with the J2
    propagation and the geodetic conversion in one compiled loop for "j2"/"kepler".
    ``exact=True`` goes through astropy's frames (with polar motion) and ``EarthLocation``.
    """
    from .frames import (
        convert,
        gcrs_to_itrs_matrix,
        gmst82,
        itrs_to_geodetic,
        rotate,
        teme_to_itrs_matrix,
    )
    from .kernels.j2track import j2_geodetic_track
    from .orbits import check_orbit
    from .propagation import propagate_native
    from .propagation.j2 import secular_rates

    check_orbit(orbit).check_model(model)
    t = to_time(times)
    if model in ("j2", "kepler") and not exact and not options:
        # seconds from each epoch = (epoch -> first time) + (first time -> each time): two
        # 1-D arrays instead of an (n_orbits, n_times) one
        dt0 = seconds_between(orbit.epoch, t[0])
        tau = seconds_between(t[0], t)
        rd, wd, n = secular_rates(orbit.a, orbit.ecc, orbit.inc, j2=J2 if model == "j2" else 0.0)
        lat, lon, h = j2_geodetic_track(
            orbit.a,
            orbit.ecc,
            orbit.inc,
            orbit.raan,
            orbit.argp,
            orbit.mean_anomaly,
            rd,
            wd,
            n,
            np.ascontiguousarray(dt0, dtype=float).reshape(-1),
            np.ascontiguousarray(tau, dtype=float).reshape(-1),
            np.ascontiguousarray(gmst82(t)),
            R_EARTH,
            E2_EARTH,
        )
        return lat, lon, h

    r, v, native = propagate_native(orbit, t, model, **options)
    if exact:
        return _geodetic_astropy(convert(r, None, t, native, "ITRS", exact=True)[0])
    if native == "TEME":
        r_i = rotate(teme_to_itrs_matrix(t, polar_motion=False), r)
    elif native == "GCRS":
        r_i = rotate(gcrs_to_itrs_matrix(t, polar_motion=False), r)
    else:
        r_i = r
    lat, lon, h = itrs_to_geodetic(r_i)
    return np.degrees(lat), _wrap(np.degrees(lon)), h / 1e3


def _wrap(lon_deg):
    return (lon_deg + 180.0) % 360.0 - 180.0


def _geodetic_astropy(r_itrs):
    import astropy.units as u
    from astropy.coordinates import EarthLocation

    loc = EarthLocation.from_geocentric(r_itrs[..., 0] * u.m, r_itrs[..., 1] * u.m, r_itrs[..., 2] * u.m)
    g = loc.to_geodetic("WGS84")
    return g.lat.to_value(u.deg), _wrap(g.lon.to_value(u.deg)), g.height.to_value(u.km)
