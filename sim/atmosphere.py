"""Thermospheric density: NRLMSIS 2.1 (through ``pymsis``) and a fast exponential model.

Solar activity
--------------
NRLMSIS needs the daily F10.7 of the previous day, its 81-day centred average F10.7a
(both in solar flux units, 1e-22 W m^-2 Hz^-1) and the daily geomagnetic Ap index.
sim **always passes all three explicitly**: ``pymsis.calculate`` (0.13) downloads
historical indices from the network only when one of ``f107s``, ``f107as`` or ``aps`` is
``None`` (``pymsis.msis.create_input``), so sim never triggers that path.

Named levels (:data:`LEVELS`), the long-term activity levels of the ECSS space
environment standard (ECSS-E-ST-10-04C, Table 6-3, "long-term" values, used as both
daily and 81-day values for analyses longer than a week, as that standard prescribes):

============  =======  ========  ====
level          F10.7   F10.7a    Ap
============  =======  ========  ====
``low``          65       65       0
``moderate``    140      140      15
``high``        250      250      45
============  =======  ========  ====

``"iss_2024"``: the period of the shipped ISS element sets (Sep 2024 - Mar 2025, solar
cycle 25 maximum). F10.7 = F10.7a = 195: the centred 365-day average of F10.7 peaked at
195.9 on 2024-10-13 and was 193.3 in Feb 2025 (solen.info solar reports, 2025-02-10 and
2025-10-07; the 81-day average peaked at 227.3 on 2024-09-04 and daily values in
Jan-Feb 2025 ran 155-230). Ap = 12 is an *assumption* for a disturbed-but-not-stormy
mean (daily Ap in those reports ran 2-18, with storms on 2024-10-10 and 2025-01-01).
Any other activity: ``SolarActivity(f107, f107a, ap)``.

Fast path inside the integrator
-------------------------------
Calling pymsis at every force evaluation is far too slow, so the Cowell propagator
uses :func:`msis_table`: NRLMSIS 2.1 total mass density tabulated for one activity on a
grid of day of year (every 15.2 days), geodetic altitude (80-2,000 km, every 10 km: up
to the top of the sweep's altitude axis), geodetic latitude (every 10 deg) and local
solar time (every hour), at longitude 0 (NRLMSIS' pure longitude/UT terms are dropped:
density is taken as a function of local solar time). ``tests/test_atmosphere.py``
measures table against direct pymsis calls at random points (within a few per cent).

One interpolation, :func:`msis_table_density` (the compiled kernel
:func:`sim.kernels.msis.msis_density`, also called by the Cowell force model, so the
integrator and every other user get the same number bit for bit). It interpolates the
**logarithm** of the density multilinearly in all four axes (so density is exponential
in altitude between nodes, with the local scale height of each 10 km cell). Outside the
table:

* **altitude, extrapolated**: below 80 km and above 2,000 km the end cell's log-linear
  law continues, i.e. density keeps falling (or rising) with the scale height of the
  last (first) cell; continuous at 80 and 2,000 km. Why not clamp: a density held
  constant above the top overstates drag without bound. Why the table reaches 2,000 km
  (it used to stop at 1,000 km): neither rule is good far outside. Against direct
  NRLMSIS 2.1 at 2,000 km (200 random points), the 1,000 km table clamped gave 15-81x
  the density and extrapolated with the 1,000 km scale height 0.01-0.45x (the scale
  height keeps growing with altitude as light species take over); inside the table the
  interpolation is within a few per cent;
* latitude: clamped (the table spans -90..90 deg);
* day of year: periodic (365.25 days); local solar time: periodic (24 h).

Exponential model: the piecewise exponential table of Vallado, *Fundamentals of
Astrodynamics and Applications* (4th ed., 2013), Table 8-4 (CIRA-72 based, no solar
activity dependence, roughly mean activity), altitude above the WGS84 ellipsoid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .constants import JULIAN_YEAR_DAYS
from .errors import SimError, as_float, broadcast, check_range, describe

__all__ = [
    "EXPONENTIAL_TABLE",
    "LEVELS",
    "AtmosphereError",
    "MsisTable",
    "SolarActivity",
    "exponential_density",
    "msis_density",
    "msis_table",
    "msis_table_density",
    "solar_activity",
]


class AtmosphereError(SimError, ValueError):
    """Unknown solar-activity level or atmosphere model, or indices out of range."""


@dataclass(frozen=True)
class SolarActivity:
    """Solar and geomagnetic indices for NRLMSIS.

    ``f107``: daily F10.7 of the previous day (sfu); ``f107a``: 81-day centred average
    (sfu); ``ap``: daily Ap. ``name`` is a label for tables and plots.
    """

    f107: float
    f107a: float
    ap: float
    name: str = "custom"

    def __post_init__(self):
        check_range("f107", self.f107, 50.0, 400.0, unit="sfu", error=AtmosphereError)
        check_range("f107a", self.f107a, 50.0, 400.0, unit="sfu", error=AtmosphereError)
        check_range("ap", self.ap, 0.0, 400.0, error=AtmosphereError)


#: Named solar-activity levels (ECSS-E-ST-10-04C Table 6-3 long-term values; "iss_2024": see module doc).
LEVELS = {
    "low": SolarActivity(65.0, 65.0, 0.0, "low"),
    "moderate": SolarActivity(140.0, 140.0, 15.0, "moderate"),
    "high": SolarActivity(250.0, 250.0, 45.0, "high"),
    "iss_2024": SolarActivity(195.0, 195.0, 12.0, "iss_2024"),
}


def solar_activity(level: str | SolarActivity | Sequence[float]) -> SolarActivity:
    """A :class:`SolarActivity` from a level name, a SolarActivity, or ``(f107, f107a, ap)``."""
    if isinstance(level, SolarActivity):
        return level
    if isinstance(level, str):
        key = level.strip().lower()
        if key not in LEVELS:
            raise AtmosphereError(
                f"solar_activity must be one of {', '.join(LEVELS)} or (f107, f107a, ap), got {describe(level)}"
            )
        return LEVELS[key]
    try:
        f107, f107a, ap = (float(x) for x in level)
    except (TypeError, ValueError):
        raise AtmosphereError(
            f"solar_activity must be one of {', '.join(LEVELS)} or (f107, f107a, ap), got {describe(level)}"
        ) from None
    return SolarActivity(f107, f107a, ap)


# ------------------------------------------------------------------ NRLMSIS 2.1


def msis_density(
    times: Any,
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    alt_km: ArrayLike,
    activity: str | SolarActivity | Sequence[float] = "moderate",
) -> np.ndarray:
    """NRLMSIS 2.1 total mass density (kg/m^3) at matching points (satellite fly-through).

    ``times`` is anything :func:`sim.timeutil.to_time` accepts (or numpy datetime64);
    ``lat_deg``, ``lon_deg``, ``alt_km`` (geodetic, WGS84) broadcast with it. F10.7,
    F10.7a and Ap come from ``activity`` and are passed explicitly (no network).
    """
    from pymsis import msis

    act = solar_activity(activity)
    dates = _datetime64(times)
    lat = as_float(lat_deg, "lat_deg", "deg", error=AtmosphereError)
    lon = as_float(lon_deg, "lon_deg", "deg", error=AtmosphereError)
    alt = as_float(alt_km, "alt_km", "km", error=AtmosphereError)
    check_range("lat_deg", lat, -90.0, 90.0, unit="deg", error=AtmosphereError)
    check_range("alt_km", alt, 0.0, MSIS_TABLE_TOP_KM, unit="km", error=AtmosphereError)
    dates, lat, lon, alt = broadcast(error=AtmosphereError, times=dates, lat_deg=lat, lon_deg=lon, alt_km=alt)
    if lat.size == 0:
        raise AtmosphereError("lat_deg, lon_deg, alt_km: no points to evaluate (empty arrays)")
    shape = lat.shape
    n = lat.size
    out = msis.calculate(
        dates.ravel(),
        lon.ravel(),
        lat.ravel(),
        alt.ravel(),
        np.full(n, act.f107),
        np.full(n, act.f107a),
        _ap_array(act.ap, n),
        version=2.1,
    )
    return np.asarray(out[..., 0], dtype=float).reshape(shape)


def _ap_array(ap: float, n: int) -> np.ndarray:
    # pymsis wants (n, 7): daily Ap then the 3-hourly history (used only in storm mode)
    return np.full((n, 7), float(ap))


def _datetime64(times) -> np.ndarray:
    arr = np.asarray(times)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[ms]")
    from .timeutil import to_time

    t = to_time(times)
    return t.utc.datetime64.astype("datetime64[ms]")


#: Top of the NRLMSIS table's altitude axis, km (its bottom is 80 km); extrapolated above.
MSIS_TABLE_TOP_KM = 2000.0


@dataclass(frozen=True)
class MsisTable:
    """Natural log of density (kg/m^3) on (day of year, altitude, latitude, local solar time).

    Regular axes: day of year ``doy0 + k * ddoy``, altitude ``alt0_km + k * dalt_km``,
    latitude ``lat0_deg + k * dlat_deg``, local solar time ``k * dlst_h``.
    """

    doy0: float
    ddoy: float
    alt0_km: float
    dalt_km: float
    lat0_deg: float
    dlat_deg: float
    dlst_h: float
    log_rho: np.ndarray  # (n_doy, n_alt, n_lat, n_lst); doy and lst wrap around
    activity: SolarActivity

    def kernel_params(self) -> np.ndarray:
        """The axes as the kernel's 7-vector ``(doy0, ddoy, alt0_km, dalt_km, lat0_deg, dlat_deg, dlst_h)``."""
        return np.array(
            [self.doy0, self.ddoy, self.alt0_km, self.dalt_km, self.lat0_deg, self.dlat_deg, self.dlst_h], dtype=float
        )


def msis_table(activity: str | SolarActivity | Sequence[float] = "moderate") -> MsisTable:
    """NRLMSIS 2.1 density table for one solar activity, 80-2,000 km (cached; about 1 s to build).

    ``activity`` is read by :func:`solar_activity` first, so a list ``[f107, f107a, ap]`` works
    like the tuple and the name "Moderate" shares the cached table of "moderate".
    """
    return _msis_table(solar_activity(activity))


@lru_cache(maxsize=8)
def _msis_table(act: SolarActivity) -> MsisTable:
    """:func:`msis_table` for a checked :class:`SolarActivity` (hashable: the cache key)."""
    from pymsis import msis

    doys = np.arange(24) * (JULIAN_YEAR_DAYS / 24) + 1.0  # day of year 1 .. 351.5
    alts = np.arange(80.0, MSIS_TABLE_TOP_KM + 1e-9, 10.0)
    lats = np.arange(-90.0, 90.0 + 1e-9, 10.0)
    lsts = np.arange(24.0)  # local solar time (h) = UT at lon 0
    base = np.datetime64("2001-01-01T00:00", "ms")
    # dates: every (doy, lst) pair; MSIS takes day of year from the date and UT from its time
    d = base + (np.floor(doys - 1)[:, None] * 86400e3 + lsts[None, :] * 3600e3).astype("timedelta64[ms]")
    dates = d.ravel()
    n = dates.size
    out = msis.calculate(
        dates,
        np.array([0.0]),
        lats,
        alts,
        np.full(n, act.f107),
        np.full(n, act.f107a),
        _ap_array(act.ap, n),
        version=2.1,
    )
    # out: (n_dates, 1, n_lat, n_alt, 11) -> (doy, lst, lat, alt) -> (doy, alt, lat, lst)
    rho = out[:, 0, :, :, 0].reshape(len(doys), len(lsts), len(lats), len(alts))
    rho = np.transpose(rho, (0, 3, 2, 1)).astype(float)
    return MsisTable(
        float(doys[0]),
        JULIAN_YEAR_DAYS / 24,
        float(alts[0]),
        10.0,
        float(lats[0]),
        10.0,
        1.0,
        np.ascontiguousarray(np.log(rho)),
        act,
    )


def msis_table_density(
    table: MsisTable, doy: ArrayLike, alt_km: ArrayLike, lat_deg: ArrayLike, lst_h: ArrayLike
) -> np.ndarray:
    """Density (kg/m^3) interpolated from ``table``; the arguments broadcast together.

    ``doy``: fractional day of year (1.0 = Jan 1 00:00 UTC), ``alt_km``: geodetic
    altitude, ``lat_deg``: geodetic latitude, ``lst_h``: local solar time (h). Log density
    is interpolated multilinearly; outside the table altitude is extrapolated log-linearly,
    latitude clamped, day of year and local time wrap (module doc). The same compiled
    kernel as the Cowell integrator's drag (:func:`sim.kernels.msis.msis_density`).
    """
    from .kernels.msis import msis_density_many

    doy, alt_km, lat_deg, lst_h = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (doy, alt_km, lat_deg, lst_h))
    )
    flat = [np.ascontiguousarray(x).reshape(-1) for x in (doy, alt_km, lat_deg, lst_h)]
    out = np.empty(flat[0].size)
    msis_density_many(np.ascontiguousarray(table.log_rho), table.kernel_params(), *flat, out)
    return out.reshape(doy.shape)


# ------------------------------------------------------------------ exponential

#: Vallado (2013) Table 8-4: base altitude (km), nominal density (kg/m^3), scale height (km).
EXPONENTIAL_TABLE = np.array(
    [
        (0, 1.225, 7.249),
        (25, 3.899e-2, 6.349),
        (30, 1.774e-2, 6.682),
        (40, 3.972e-3, 7.554),
        (50, 1.057e-3, 8.382),
        (60, 3.206e-4, 7.714),
        (70, 8.770e-5, 6.549),
        (80, 1.905e-5, 5.799),
        (90, 3.396e-6, 5.382),
        (100, 5.297e-7, 5.877),
        (110, 9.661e-8, 7.263),
        (120, 2.438e-8, 9.473),
        (130, 8.484e-9, 12.636),
        (140, 3.845e-9, 16.149),
        (150, 2.070e-9, 22.523),
        (180, 5.464e-10, 29.740),
        (200, 2.789e-10, 37.105),
        (250, 7.248e-11, 45.546),
        (300, 2.418e-11, 53.628),
        (350, 9.518e-12, 53.298),
        (400, 3.725e-12, 58.515),
        (450, 1.585e-12, 60.828),
        (500, 6.967e-13, 63.822),
        (600, 1.454e-13, 71.835),
        (700, 3.614e-14, 88.667),
        (800, 1.170e-14, 124.64),
        (900, 5.245e-15, 181.05),
        (1000, 3.019e-15, 268.00),
    ],
    dtype=float,
)


def exponential_density(alt_km: ArrayLike, table: ArrayLike | None = None) -> np.ndarray:
    """Piecewise exponential density (kg/m^3) at geodetic altitude ``alt_km``.

    ``table`` rows are (base altitude km, density at base kg/m^3, scale height km);
    default :data:`EXPONENTIAL_TABLE`. Below the first base altitude the first layer
    is extrapolated; above the last, the last layer continues.
    """
    tab = EXPONENTIAL_TABLE if table is None else as_float(table, "table", error=AtmosphereError)
    if tab.ndim != 2 or tab.shape[1] != 3 or len(tab) == 0:
        raise AtmosphereError(
            f"table must be rows of (base km, density kg/m^3, scale height km), got shape {tab.shape}"
        )
    h = as_float(alt_km, "alt_km", "km", finite=False, error=AtmosphereError)
    i = np.clip(np.searchsorted(tab[:, 0], h, side="right") - 1, 0, len(tab) - 1)
    return tab[i, 1] * np.exp(-(h - tab[i, 0]) / tab[i, 2])
