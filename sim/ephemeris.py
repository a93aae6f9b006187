"""Fast analytic Sun and Moon positions in GCRS (batched numpy, no ephemeris files).

Both functions take any time input accepted by :func:`sim.timeutil.to_time` and
return geocentric positions in metres, shaped ``(n_times, 3)``, in GCRS (to the
accuracy stated below GCRS, ICRS-aligned J2000 mean equator and the FK5 J2000 frame
are the same: the frame bias is 23 mas).

Sun
---
Truncated VSOP87D series for the Earth (Bretagnon & Francou 1988, A&A 202, 309) with
the terms tabulated in Meeus, *Astronomical Algorithms* (2nd ed., 1998), Appendix III
(about 80 terms in all), converted to FK5 (Meeus eq. 32.3), with constant annual
aberration (-20.4898" / R) applied, because astropy's GCRS ``get_body`` directions
are apparent (aberration and light time included). Nutation is *not* applied (GCRS
does not rotate with the equator of date): the mean-of-date direction is rotated to
J2000 by IAU 1976 precession (Lieske et al. 1977, A&A 58, 1). (The Astronomical
Almanac's two-term low-precision Sun was tried first: 0.008 deg worst case over
2000-2060, too close to the 0.01 deg requirement.)

Measured against astropy ``get_body("sun")`` (GCRS, astropy's built-in ERFA epv00
ephemeris) at 3000 epochs over 2000-2060 (tests/test_ephemeris.py): direction error
max 0.00066 deg (2.4"), rms 0.00012 deg; distance error max 1,700 km (1.1e-5 relative).
The requirement of issue 7 is 0.01 deg. Cost: ~2 us per epoch.

Moon
----
Montenbruck & Gill, *Satellite Orbits* (Springer 2000), section 3.3.2, eqs. (3.47)-(3.49):
the principal terms of Brown's lunar theory, longitude and latitude referred to the
J2000 ecliptic (the -1.3972 T deg term removes precession), rotated to the equator by
the J2000 obliquity 23.43929111 deg. Stated accuracy there: a few arcminutes in
longitude, ~500 km in distance. Measured against astropy ``get_body("moon")`` (GCRS,
astropy's built-in truncated ELP2000) at 3000 epochs over 2000-2060: direction error
max 0.076 deg (rms 0.021 deg), distance error max 520 km (tests/test_ephemeris.py
asserts 0.15 deg and 1,000 km). Good enough for third-body perturbations and
illumination geometry of a low Earth orbit (0.1 deg of lunar direction moves the
lunar tidal acceleration direction by a negligible amount), not for lunar pointing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# AU_M (astronomical unit, m; IAU 2012 B2) is sim.constants', re-exported here for existing callers
from .constants import AU_M
from .timeutil import offline_iers, to_time

__all__ = ["sun_position_gcrs", "moon_position_gcrs", "julian_centuries_tt", "AU_M"]

_ARCSEC = np.pi / (180.0 * 3600.0)
_DEG = np.pi / 180.0
#: J2000 mean obliquity of the ecliptic, IAU 1976 (84381.448"): the value the Sun and Moon
#: series above are written with (not ``sim.constants.OBLIQUITY_J2000_DEG``, IAU 2006, 0.042" less).
_EPS_J2000 = 84381.448 * _ARCSEC


def julian_centuries_tt(times: Any) -> np.ndarray:
    """Julian centuries of TT since J2000.0 (TT - TDB < 2 ms is ignored), shape (n_times,).

    ``times``: anything :func:`sim.timeutil.to_time` accepts.
    """
    t = to_time(times)
    with offline_iers():
        tt = t.tt
    return ((np.asarray(tt.jd1, float) - 2451545.0) + np.asarray(tt.jd2, float)) / 36525.0


def _precession_of_date_to_j2000(T: np.ndarray) -> np.ndarray:
    """Rotation matrices (n, 3, 3) taking mean-equator-and-equinox-of-date vectors to J2000.

    IAU 1976 precession angles zeta_A, z_A, theta_A (Lieske et al. 1977), T in Julian
    centuries TT since J2000. P(J2000->date) = R3(-z) R2(theta) R3(-zeta); we return P^T.
    """
    zeta = (2306.2181 * T + 0.30188 * T**2 + 0.017998 * T**3) * _ARCSEC
    z = (2306.2181 * T + 1.09468 * T**2 + 0.018203 * T**3) * _ARCSEC
    theta = (2004.3109 * T - 0.42665 * T**2 - 0.041833 * T**3) * _ARCSEC
    cz, sz = np.cos(zeta), np.sin(zeta)
    cZ, sZ = np.cos(z), np.sin(z)
    ct, st = np.cos(theta), np.sin(theta)
    P = np.empty(T.shape + (3, 3))
    # Standard expanded form of R3(-z) R2(theta) R3(-zeta) (J2000 -> date).
    P[..., 0, 0] = cZ * ct * cz - sZ * sz
    P[..., 0, 1] = -cZ * ct * sz - sZ * cz
    P[..., 0, 2] = -cZ * st
    P[..., 1, 0] = sZ * ct * cz + cZ * sz
    P[..., 1, 1] = -sZ * ct * sz + cZ * cz
    P[..., 1, 2] = -sZ * st
    P[..., 2, 0] = st * cz
    P[..., 2, 1] = -st * sz
    P[..., 2, 2] = ct
    return np.swapaxes(P, -1, -2)


# Truncated VSOP87D series for the Earth (Bretagnon & Francou 1988, A&A 202, 309), the
# terms tabulated in Meeus (1998) Appendix III, largest first; columns A, B (rad), C (rad per
# Julian millennium); each series is sum A cos(B + C tau), units 1e-8 rad (L, B) or 1e-8 au (R).
# Truncated here at amplitudes of ~1e-6 rad (L0), which keeps the series error near 1".
_VSOP_L = (
    np.array(
        [
            [175347046.0, 0.0, 0.0],
            [3341656.0, 4.6692568, 6283.07585],
            [34894.0, 4.6261, 12566.1517],
            [3497.0, 2.7441, 5753.3849],
            [3418.0, 2.8289, 3.5231],
            [3136.0, 3.6277, 77713.7715],
            [2676.0, 4.4181, 7860.4194],
            [2343.0, 6.1352, 3930.2097],
            [1324.0, 0.7425, 11506.7698],
            [1273.0, 2.0371, 529.691],
            [1199.0, 1.1096, 1577.3435],
            [990.0, 5.233, 5884.927],
            [902.0, 2.045, 26.298],
            [857.0, 3.508, 398.149],
            [780.0, 1.179, 5223.694],
            [753.0, 2.533, 5507.553],
            [505.0, 4.583, 18849.228],
            [492.0, 4.205, 775.523],
            [357.0, 2.92, 0.067],
            [317.0, 5.849, 11790.629],
            [284.0, 1.899, 796.298],
            [271.0, 0.315, 10977.079],
            [243.0, 0.345, 5486.778],
            [206.0, 4.806, 2544.314],
            [205.0, 1.869, 5573.143],
            [202.0, 2.458, 6069.777],
            [156.0, 0.833, 213.299],
            [132.0, 3.411, 2942.463],
            [126.0, 1.083, 20.775],
            [115.0, 0.645, 0.98],
            [103.0, 0.636, 4694.003],
            [102.0, 0.976, 15720.839],
            [102.0, 4.267, 7.114],
            [99.0, 6.21, 2146.17],
            [98.0, 0.68, 155.42],
            [86.0, 5.98, 161000.69],
            [85.0, 1.3, 6275.96],
            [85.0, 3.67, 71430.7],
            [80.0, 1.81, 17260.15],
            [79.0, 3.04, 12036.46],
        ]
    ),
    np.array(
        [
            [628331966747.0, 0.0, 0.0],
            [206059.0, 2.678235, 6283.07585],
            [4303.0, 2.6351, 12566.1517],
            [425.0, 1.59, 3.523],
            [119.0, 5.796, 26.298],
            [109.0, 2.966, 1577.344],
            [93.0, 2.59, 18849.23],
            [72.0, 1.14, 529.69],
            [68.0, 1.87, 398.15],
            [67.0, 4.41, 5507.55],
            [59.0, 2.89, 5223.69],
            [56.0, 2.17, 155.42],
        ]
    ),
    np.array([[52919.0, 0.0, 0.0], [8720.0, 1.0721, 6283.0758], [309.0, 0.867, 12566.152], [27.0, 0.05, 3.52]]),
    np.array([[289.0, 5.844, 6283.076], [35.0, 0.0, 0.0], [17.0, 5.49, 12566.15]]),
    np.array([[114.0, 3.142, 0.0], [8.0, 4.13, 6283.08]]),
)
_VSOP_B = (
    np.array(
        [
            [280.0, 3.199, 84334.662],
            [102.0, 5.422, 5507.553],
            [80.0, 3.88, 5223.69],
            [44.0, 3.7, 2352.87],
            [32.0, 4.0, 1577.34],
        ]
    ),
    np.array([[9.0, 3.9, 5507.55], [6.0, 1.73, 5223.69]]),
)
_VSOP_R = (
    np.array(
        [
            [100013989.0, 0.0, 0.0],
            [1670700.0, 3.0984635, 6283.07585],
            [13956.0, 3.05525, 12566.1517],
            [3084.0, 5.1985, 77713.7715],
            [1628.0, 1.1739, 5753.3849],
            [1576.0, 2.8469, 7860.4194],
            [925.0, 5.453, 11506.77],
            [542.0, 4.564, 3930.21],
            [472.0, 3.661, 5884.927],
            [346.0, 0.964, 5507.553],
            [329.0, 5.9, 5223.694],
            [307.0, 0.299, 5573.143],
        ]
    ),
    np.array([[103019.0, 1.10749, 6283.07585], [1721.0, 1.0644, 12566.1517], [702.0, 3.142, 0.0]]),
    np.array([[4359.0, 5.7846, 6283.0758], [124.0, 5.579, 12566.152]]),
    np.array([[145.0, 4.273, 6283.076]]),
)


def _vsop_sum(series, tau: np.ndarray) -> np.ndarray:
    """Sum_k tau^k Sum_j A cos(B + C tau) for a tuple of term arrays, scaled by 1e-8."""
    total = np.zeros_like(tau)
    for k, terms in enumerate(series):
        s = np.cos(terms[:, 1][:, None] + terms[:, 2][:, None] * tau[None, :])
        total = total + (terms[:, 0] @ s) * tau**k
    return total * 1e-8


def sun_position_from_T(T: np.ndarray) -> np.ndarray:
    """Apparent geocentric Sun position in GCRS (m), shape (n, 3), from Julian centuries TT."""
    T = np.atleast_1d(np.asarray(T, dtype=float))
    tau = T / 10.0  # Julian millennia (TT ~ TDB)
    L = _vsop_sum(_VSOP_L, tau)  # Earth heliocentric, ecliptic of date (rad)
    B = _vsop_sum(_VSOP_B, tau)
    R_au = _vsop_sum(_VSOP_R, tau)
    # Geocentric Sun; VSOP87 dynamical ecliptic -> FK5 (Meeus eq. 32.3): -0.09033".
    lam = L + np.pi - 0.09033 * _ARCSEC
    beta = -B
    # Annual aberration (Meeus eq. 25.10): -20.4898" / R, makes the direction apparent
    # as astropy's GCRS get_body does.
    lam = lam - 20.4898 / R_au * _ARCSEC
    # Mean obliquity of date, IAU 1980 (Lieske et al. 1977).
    eps = (84381.448 - 46.8150 * T - 0.00059 * T**2 + 0.001813 * T**3) * _ARCSEC
    r = R_au * AU_M
    xe = r * np.cos(beta) * np.cos(lam)
    ye = r * np.cos(beta) * np.sin(lam)
    ze = r * np.sin(beta)
    x_date = np.stack([xe, np.cos(eps) * ye - np.sin(eps) * ze, np.sin(eps) * ye + np.cos(eps) * ze], axis=-1)
    P = _precession_of_date_to_j2000(T)
    return np.einsum("...ij,...j->...i", P, x_date)


def sun_position_gcrs(times: Any) -> np.ndarray:
    """Apparent geocentric position of the Sun in GCRS, metres, shape (n_times, 3).

    ``times``: anything :func:`sim.timeutil.to_time` accepts.

    Accuracy (measured against astropy ``get_body("sun")``, 2000-2060): direction
    < 0.0007 deg, distance < 2e-5 relative. See the module docstring for the series used.
    """
    return sun_position_from_T(julian_centuries_tt(times))


def moon_position_from_T(T: np.ndarray) -> np.ndarray:
    """Geocentric Moon position in GCRS (J2000 equator), metres, (n, 3), from Julian centuries TT."""
    T = np.asarray(T, dtype=float)
    # Montenbruck & Gill (2000) eq. 3.47: mean arguments, degrees.
    L0 = 218.31617 + 481267.88088 * T - 1.3972 * T
    l = (134.96292 + 477198.86753 * T) * _DEG  # Moon's mean anomaly
    lp = (357.52543 + 35999.04944 * T) * _DEG  # Sun's mean anomaly
    F = (93.27283 + 483202.01873 * T) * _DEG  # mean argument of latitude
    D = (297.85027 + 445267.11135 * T) * _DEG  # mean elongation from the Sun
    s = np.sin
    # eq. 3.48, arcsec
    dlam = (
        22640 * s(l)
        + 769 * s(2 * l)
        - 4586 * s(l - 2 * D)
        + 2370 * s(2 * D)
        - 668 * s(lp)
        - 412 * s(2 * F)
        - 212 * s(2 * l - 2 * D)
        - 206 * s(l + lp - 2 * D)
        + 192 * s(l + 2 * D)
        - 165 * s(lp - 2 * D)
        + 148 * s(l - lp)
        - 125 * s(D)
        - 110 * s(l + lp)
        - 55 * s(2 * F - 2 * D)
    )
    lam = L0 * _DEG + dlam * _ARCSEC
    beta = (
        18520 * s(F + (dlam + 412 * s(2 * F) + 541 * s(lp)) * _ARCSEC)
        - 526 * s(F - 2 * D)
        + 44 * s(l + F - 2 * D)
        - 31 * s(-l + F - 2 * D)
        - 25 * s(-2 * l + F)
        - 23 * s(lp + F - 2 * D)
        + 21 * s(-l + F)
        + 11 * s(-lp + F - 2 * D)
    ) * _ARCSEC
    c = np.cos
    # eq. 3.49, km
    r_km = (
        385000
        - 20905 * c(l)
        - 3699 * c(2 * D - l)
        - 2956 * c(2 * D)
        - 570 * c(2 * l)
        + 246 * c(2 * l - 2 * D)
        - 205 * c(lp - 2 * D)
        - 171 * c(l + 2 * D)
        - 152 * c(l + lp - 2 * D)
    )
    r = r_km * 1e3
    xe = r * c(lam) * c(beta)
    ye = r * s(lam) * c(beta)
    ze = r * s(beta)
    ce, se = np.cos(_EPS_J2000), np.sin(_EPS_J2000)
    return np.stack([xe, ce * ye - se * ze, se * ye + ce * ze], axis=-1)


def moon_position_gcrs(times: Any) -> np.ndarray:
    """Geocentric position of the Moon in GCRS (J2000 mean equator), metres, (n_times, 3).

    ``times``: anything :func:`sim.timeutil.to_time` accepts.

    Low-precision series of Montenbruck & Gill (2000) sec. 3.3.2. Accuracy (measured
    against astropy ``get_body("moon")``, 2000-2060): direction < 0.08 deg,
    distance < 600 km.
    """
    return moon_position_from_T(julian_centuries_tt(times))
