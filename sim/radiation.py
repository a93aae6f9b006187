"""Trapped particles (AE8/AP8), geomagnetic cutoff rigidity and a calibrated dose-rate estimate.

The public entry for users is :func:`sim.environment.radiation_dose`; this module holds the
models it calls. Everything is batched over the orbits of an :class:`sim.Orbit` and returns
numpy arrays shaped ``(n_orbits, ...)``.

Trapped particles (NASA AE8/AP8 through the ``aep8`` package, L. Singer, which wraps IRBEM)
    AP8MIN/AP8MAX (protons) and AE8MIN/AE8MAX (electrons) integral flux above an energy,
    cm^-2 s^-1, omnidirectional. The models are organised in McIlwain L and B/B0 and must be
    used with the field they were built with (IRBEM's AE8/AP8 documentation): Jensen & Cain
    1960 for AE8MIN, AE8MAX and AP8MIN, GSFC 12/66 extrapolated to 1970 for AP8MAX. A modern
    IGRF would map LEO points to lower B/B0 and inflate the fluxes, the dipole having weakened
    since (IGRF-14's dipole field: 31,043 nT in 1960, 29,733 nT in 2025, -4.2 %), so ``aep8``'s
    own fields are used here and sim's IGRF-14 only for the cutoff rigidity below.

    Tabulated once: (L, B/B0) of both fields on a geodetic grid (2 deg latitude x 3 deg
    longitude x 50 km from 150 to 1000 km; ``data/aep8_geomagnetic_grid.npz``, 2.4 MB, built
    by :func:`tabulate_geomagnetic_coordinates` in ~80 s) and interpolated (trilinear) along the
    tracks; the flux for any energy is then evaluated exactly by AP8/AE8 from the interpolated
    coordinates (measured 0.47 us per point against 127 us for ``aep8``'s own per-point L and
    B/B0, ``benchmarks/bench_radiation.py``; orbit means 0.03-0.3 % apart).
    Altitudes outside 150-1000 km are refused (:class:`RadiationError`), energies outside
    :data:`ENERGY_RANGE_MEV` too (the package returns NaN at the ends of the model tables).

    A unit corrected on the way in: ``aep8`` hands IRBEM geocentric positions in units of
    astropy's ``earthRad`` (6378.1 km), while IRBEM's GEO unit is ERA = 6371.2 km (the IGRF
    reference radius), which would evaluate every point ~0.108 % (~7 km at LEO) closer to the
    Earth's centre: orbit-mean AP8 fluxes > 10 MeV 8-11 % low at 350-420 km. sim hands ``aep8``
    :func:`aep8_location`, the position scaled by 6378.1 / 6371.2, so IRBEM sees the true one
    (the table and the tests' per-point reference both go through it).

    SAA drift: the models place the South Atlantic Anomaly where it was at the epoch of their
    field (1960 / 1970). The SAA drifts west by ~0.35 deg/yr ("Recent space shuttle
    observations of the South Atlantic Anomaly and the radiation belt models", Adv. Space Res.
    14(10) 911, 1994, PubMed 11540035: 6.9 deg between AP8MAX's 1970 epoch and Shuttle TEPC
    maps twenty years later, while the SAA kept its position in L-space). With ``saa_drift=True`` (default)
    the tracks are looked up :data:`SAA_DRIFT_DEG_PER_YEAR` x (year - field epoch) further
    east, which moves the model SAA west to the run's year; the northward drift (~0.1 deg/yr)
    and the growth of the SAA since the epoch are NOT modelled. Orbit-averaged fluxes over
    days hardly depend on this shift (the tracks sample all longitudes); maps do.

Galactic cosmic rays: vertical cutoff rigidity (Stormer, eccentric dipole)
    ``Rc = B0 a^3 c cos^4(lambda) / (4 r^2)`` with ``B0`` the dipole field of IGRF-14's
    degree-1 coefficients at the epoch (a = 6371.2 km), ``r`` the distance from the
    eccentric-dipole centre and ``lambda`` the latitude relative to the dipole axis through
    it (the centre from IGRF's degree-1 and 2 coefficients, Fraser-Smith, Rev. Geophys.
    25, 1987). 14.2 GV at the geomagnetic equator at r = a for 2025 (Stormer's 14.9 GV for the
    1950s dipole); ~17 GV over South-East Asia where the offset centre is nearest. Known error
    against trajectory-traced cutoffs (Shea & Smart's world grids): ~10-20 % at low and middle
    latitudes, larger where the field is far from a dipole (the SAA region, where Stormer is
    too high) and in the 1-4 GV band (penumbra, external field), no magnetospheric storm
    suppression; below 1 GV inside the polar caps as the traced values.

    GCR exposure index relative to free space: the galactic proton flux above the local
    cutoff, ``F(Rc) = int_{T(Rc)}^inf J(T, phi) dT / int_0^inf J(T, phi_min) dT``, with the
    force-field modulated local interstellar spectrum of Usoskin et al. (JGR 110, A12108,
    2005; LIS of Burger et al. 2000) at the modulation potential ``phi`` of
    :data:`MODULATION_GV` (normalised to free space at solar minimum, so solar maximum is
    lower), times the fraction of the sky not hidden by the Earth, ``(1 + cos theta) / 2``
    with ``sin theta = R_E / r``. 1 in free space at solar minimum; ~0.1 on the ISS. It is a primary-flux index:
    the dose per particle (higher at low rigidity) and the secondaries of the hull are in the
    calibration constant, not in the index. This shape (how the GCR dose grows as the cutoff
    falls) is the project's force-field model scaled by one constant fitted to the calibration
    data, NOT a published dose-versus-cutoff relation: the published LEO relations looked for
    (ISSCREM's TEPC dose equivalent versus cutoff rigidity, El-Jaby et al.; the DOSTEL dose rates
    by cutoff of Berger et al., JSWSC 10, 34, 2020) were found in stored text only as abstracts
    or introductions, without their coefficients or numbers, so none could be followed or checked.

Dose-rate estimate (:func:`dose_rate`)
    ``trapped = k_trap * <AP8 proton flux above proton_MeV>`` and ``gcr = k_gcr * <F S>``,
    orbit-averaged, with the constants fitted on published dosimetry of 51.6 deg stations, the ISS
    and one Mir row (``data/iss_dosimetry_calibration.csv``: instrument, module, shielding, dates,
    solar-cycle phase, the station's mean altitude then, the published number, the exact excerpt it was read
    from and its address), each row evaluated with the AP8 phase and GCR modulation of its own
    epoch on a 51.64 deg circular orbit at its altitude (:func:`fit_dose_constants`). One stored
    source gives an inside total WITH its trapped/GCR split, and it is Mir's, not the ISS's: a
    TEPC in Mir's core module (same 51.65 deg orbit, 400 km, solar minimum 1995) measured
    "300 microGy/day, roughly equally divided" between SAA protons and GCR ("Radiation environment
    on the Mir orbital station during solar minimum", Adv. Space Res. 22(4) 501, 1998). That row
    gives both constants directly (``k_trap`` from its SAA half, ``k_gcr`` from its GCR half);
    ``k_gcr`` also comes from one GCR-only rate measured outside Zvezda (EXPOSE-R R3DR, 2009-2011,
    81.4 uGy/day in silicon; the hull has "a minor effect" on the GCR exposure, Labrenz et al.
    2015); the five ISS totals without a split (Area PADLES in Kibo 2008-2010, water; R-16 crew
    readings 2000-2003; TLD-700 panels in Zvezda 2002) get ``k_trap`` from what they leave after
    the mean GCR part. The central constants are the means; the band (``*_low``/``*_high``) is the
    spread of the per-row constants, applied unchanged to every orbit. The model never uses any
    claim about other orbits (in particular not the published polar-orbit dose ratio it is
    compared with).

    What a dose ratio between two orbits rests on: the trapped-flux ratio and the GCR-index ratio
    are physics without calibration; the calibration supplies one number, the reference station's
    GCR share ``s``, and ``ratio = (1 - s) * flux_ratio + s * gcr_ratio``
    (:func:`ratio_at_gcr_share`). :func:`dose_rate` reports both ratios, the calibrated share with
    its band and the share at which the published +20 % / +30 % polar-orbit claims would hold
    (:func:`gcr_share_for_ratio`), so no ratio is quoted without the share behind it.

    Limits: the shielding is fixed at the calibration's (inside ISS modules, ~10-20 g/cm^2);
    electrons above 1 MeV are reported as flux and fluence but contribute no dose (they are
    stopped by the hull; outside the modules they would dominate at high latitude); solar
    particle events are excluded (they reach high-inclination orbits above ~50-60 deg
    geomagnetic latitude and would add to the polar orbit only); AP8/AE8 are static
    climatologies of the 1960s (measured SAA proton fluxes at LEO differ from them, e.g.
    Bühler et al., Radiat. Meas. 35, 489, 2002, REM on MIR) and the SAA drift is only in
    longitude. The calibration mixes silicon (R3DR, GCR), tissue (Mir TEPC) and water (PADLES)
    absorbed doses without conversion and takes the GCR dose outside the hull for the dose inside; a 10-day
    orbit mean of the AP8 flux moves by up to ~5 % with the start time (SAA sampling).
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .constants import DAY_S, R_EARTH
from .errors import SimError, TimeInputError, as_float, check_choice, check_range, describe
from .timeutil import averaging_grid, to_time

if TYPE_CHECKING:
    from .orbits import Orbit

__all__ = [
    "RadiationError",
    "SOLAR_PHASES",
    "PARTICLES",
    "DEFAULT_ENERGY_MEV",
    "ENERGY_RANGE_MEV",
    "TABLE_ALT_RANGE_KM",
    "SAA_DRIFT_DEG_PER_YEAR",
    "MODULATION_GV",
    "CUTOFF_THRESHOLDS_GV",
    "IGRF_RADIUS_M",
    "DOSE_STEP_S",
    "decimal_year",
    "check_igrf_year",
    "igrf_low_degree",
    "dipole_pole",
    "eccentric_dipole",
    "aep8_location",
    "tabulate_geomagnetic_coordinates",
    "trapped_flux",
    "flux_map",
    "cutoff_rigidity_GV",
    "cutoff_map",
    "gcr_free_space_fraction",
    "earth_shadow_factor",
    "orbit_radiation",
    "dose_orbits_inside",
    "check_dose_orbits",
    "calibration_data",
    "calibration",
    "fit_dose_constants",
    "PUBLISHED_POLAR_DOSE_RATIOS",
    "ratio_at_gcr_share",
    "gcr_share_for_ratio",
    "dose_rate",
]

#: Solar-cycle phases of AE8/AP8 (and of the GCR modulation below).
SOLAR_PHASES = ("min", "max")
#: Particle species: protons (AP8) and electrons (AE8).
PARTICLES = ("p", "e")
#: Default integral-flux thresholds, MeV: protons above 10 MeV, electrons above 1 MeV.
DEFAULT_ENERGY_MEV = {"p": 10.0, "e": 1.0}
#: Energies sim accepts, MeV: inside the AP8 (0.1-400 MeV) and AE8 (0.04-7 MeV) tables, less the
#: end intervals where ``aep8`` returns NaN (measured: AP8 at 350 MeV, AE8 at 0.045 MeV).
ENERGY_RANGE_MEV = {"p": (0.1, 300.0), "e": (0.05, 6.5)}
#: Altitude span of the tabulated (L, B/B0) grid, km (geodetic).
TABLE_ALT_RANGE_KM = (150.0, 1000.0)
#: Westward drift of the SAA, deg/yr (Shuttle TEPC maps, Adv. Space Res. 14(10) 911, 1994: 6.9 deg
#: in the 20 years after AP8MAX's 1970 epoch).
SAA_DRIFT_DEG_PER_YEAR = 6.9 / 20.0
#: Force-field modulation potential of galactic protons, GV, by solar phase: typical solar
#: minimum and maximum of the monthly reconstruction of Usoskin et al. (JGR 116, A02104, 2011),
#: ~0.3-0.45 GV at the minima of 1965-2009 and ~0.9-1.3 GV at the maxima.
MODULATION_GV = {"min": 0.40, "max": 1.00}
#: Cutoff thresholds of the "fraction of time below" output, GV.
CUTOFF_THRESHOLDS_GV = (1.0, 3.0, 6.0, 10.0)
#: IGRF reference radius, m (the a of the spherical-harmonic expansion, 6371.2 km).
IGRF_RADIUS_M = 6_371_200.0
#: Default time step of the orbit averages, s.
DOSE_STEP_S = 60.0
#: The published dose claims for the polar orbit relative to the ISS: about +20 % (IBMP) and +30 %
#: (Izvestia 2021; sim/data/reference_facts.md). Compared with (the GCR share they imply,
#: :func:`gcr_share_for_ratio`), never an input of the model.
PUBLISHED_POLAR_DOSE_RATIOS = (1.2, 1.3)

_C_LIGHT = 299_792_458.0  # m/s (SI, exact): Stormer's constant B0 a^3 c / 4
_PROTON_REST_GEV = 0.93827208816  # CODATA 2018 proton rest energy, GeV
_GRID_FILE = "aep8_geomagnetic_grid.npz"
_CALIBRATION_FILE = "iss_dosimetry_calibration.csv"
#: (particle, phase) -> field of the model (IRBEM's pairing) and that field's epoch (year).
_FIELD = {
    ("e", "min"): "jensen_cain_1960",
    ("e", "max"): "jensen_cain_1960",
    ("p", "min"): "jensen_cain_1960",
    ("p", "max"): "gsfc_1266",
}
_FIELD_EPOCH = {"jensen_cain_1960": 1960.0, "gsfc_1266": 1970.0}
_ISS_INCLINATION_DEG = 51.64  # reference_facts.md: the calibration orbits' inclination


class RadiationError(SimError, ValueError):
    """Bad input to a radiation model: energy outside the model's table, altitude outside the
    table, unknown solar phase or particle."""


# ---------------------------------------------------------------- IGRF (ppigrf) low degrees


def decimal_year(t: Any) -> float:
    """Mean decimal year of the astropy ``Time`` (array) ``t``."""
    return float(np.mean(np.asarray(t.decimalyear, dtype=float)))


def check_igrf_year(year: float) -> None:
    """Raise :class:`~sim.errors.TimeInputError` if ``year`` is outside IGRF-14 (1900-2030)."""
    # IGRF-14 (ppigrf) covers 1900-2030 (definitive to 2020, predictive secular variation to 2030).
    if not (1900.0 <= year <= 2030.0):
        raise TimeInputError(f"the IGRF-14 field covers 1900-2030, got the year {year:.2f}")


@lru_cache(maxsize=32)
def _low_degree(year10: int) -> tuple[float, ...]:
    from ppigrf.ppigrf import read_shc, shc_fn

    g, h = read_shc(shc_fn)
    yrs = np.array([d.year + (d.timetuple().tm_yday - 1) / 365.25 for d in g.index])
    year = year10 / 10.0

    def at(tab, nm):
        return float(np.interp(year, yrs, tab[nm].to_numpy(float)))

    return (
        at(g, (1, 0)),
        at(g, (1, 1)),
        at(h, (1, 1)),
        at(g, (2, 0)),
        at(g, (2, 1)),
        at(h, (2, 1)),
        at(g, (2, 2)),
        at(h, (2, 2)),
    )


def igrf_low_degree(year: float) -> dict[str, float]:
    """IGRF-14 Gauss coefficients of degree 1 and 2 (nT) at ``year`` (rounded to 0.1 yr), linear
    in time between the 5-year models: keys ``g10 g11 h11 g20 g21 h21 g22 h22``."""
    y = as_float(year, "year", scalar=True, error=TimeInputError)
    check_igrf_year(y)
    keys = ("g10", "g11", "h11", "g20", "g21", "h21", "g22", "h22")
    return dict(zip(keys, _low_degree(int(round(y * 10)))))


def dipole_pole(year: float) -> np.ndarray:
    """Unit vector (ITRS) of the northern geomagnetic (centred-dipole) pole from IGRF g10, g11, h11."""
    c = igrf_low_degree(year)
    m = np.array([c["g11"], c["h11"], c["g10"]])  # dipole moment direction points to the south pole
    return -m / np.linalg.norm(m)


def eccentric_dipole(year: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Eccentric (offset) dipole of IGRF-14 at ``year``: ``(pole, centre_m, B0_nT)``.

    ``pole``: unit vector (ITRS) of the northern geomagnetic pole; ``centre_m``: the dipole
    centre's offset from the Earth's centre (ITRS, m; 605 km towards the western Pacific
    in 2025); ``B0_nT``: the dipole field at the reference radius a = 6371.2 km. Formulas of
    Fraser-Smith (Rev. Geophys. 25, 1-16, 1987), from the degree-1 and 2 coefficients.
    """
    c = igrf_low_degree(year)
    g10, g11, h11, g20, g21, h21, g22, h22 = (c[k] for k in ("g10", "g11", "h11", "g20", "g21", "h21", "g22", "h22"))
    b0sq = g10 * g10 + g11 * g11 + h11 * h11
    s3 = np.sqrt(3.0)
    L0 = 2.0 * g10 * g20 + s3 * (g11 * g21 + h11 * h21)
    L1 = -g11 * g20 + s3 * (g10 * g21 + g11 * g22 + h11 * h22)
    L2 = -h11 * g20 + s3 * (g10 * h21 - h11 * g22 + g11 * h22)
    E = (L0 * g10 + L1 * g11 + L2 * h11) / (4.0 * b0sq)
    offset = np.array([L1 - g11 * E, L2 - h11 * E, L0 - g10 * E]) / (3.0 * b0sq) * IGRF_RADIUS_M
    return dipole_pole(year), offset, float(np.sqrt(b0sq))


# ---------------------------------------------------------------- AE8 / AP8 table


def aep8_location(lat_deg: ArrayLike, lon_deg: ArrayLike, alt_km: ArrayLike) -> Any:
    """The ``EarthLocation`` to hand ``aep8`` for the geodetic (WGS84) point(s) ``lat_deg``,
    ``lon_deg`` (deg) and ``alt_km`` (km), so that IRBEM receives the true position.

    ``aep8`` converts a location to Earth radii with astropy's ``earthRad`` (6378.1 km); IRBEM's
    unit is 6371.2 km (:data:`IGRF_RADIUS_M`). The geocentric position is therefore scaled by
    6378.1 / 6371.2 before it is handed over (see the module doc).
    """
    import astropy.units as u
    from astropy.coordinates import EarthLocation

    true = EarthLocation.from_geodetic(
        np.asarray(lon_deg, float) * u.deg, np.asarray(lat_deg, float) * u.deg, np.asarray(alt_km, float) * u.km
    )
    scale = float(u.earthRad.to(u.m)) / IGRF_RADIUS_M
    x, y, z = (c.to_value(u.m) * scale for c in true.geocentric)
    return EarthLocation.from_geocentric(x * u.m, y * u.m, z * u.m)


def tabulate_geomagnetic_coordinates(
    lat_deg: ArrayLike, lon_deg: ArrayLike, alt_km: ArrayLike
) -> dict[str, np.ndarray]:
    """(L, B/B0) of AE8/AP8's two fields on the geodetic grid ``lat x lon x alt`` through ``aep8``.

    Returns ``{"lat_deg", "lon_deg", "alt_km", "L_<field>", "BB0_<field>"}`` with the fields
    ``jensen_cain_1960`` and ``gsfc_1266``, arrays (lat, lon, alt) in float32; points on open
    field lines (no L) get L = 20 and B/B0 = 1e4, where every model gives zero flux. This
    is how ``data/aep8_geomagnetic_grid.npz`` was built (~150 us per point and field).
    The fields are fixed models, so the time passed to ``aep8`` is irrelevant.
    """
    import warnings

    import aep8
    from astropy.time import Time

    lat = as_float(lat_deg, "lat_deg", "deg", error=RadiationError)
    lon = as_float(lon_deg, "lon_deg", "deg", error=RadiationError)
    alt = as_float(alt_km, "alt_km", "km", error=RadiationError)
    La, Lo, H = np.meshgrid(lat, lon, alt, indexing="ij")
    loc = aep8_location(La, Lo, H)
    out = {"lat_deg": lat, "lon_deg": lon, "alt_km": alt}
    for field, (particle, solar) in (("jensen_cain_1960", ("p", "min")), ("gsfc_1266", ("p", "max"))):
        with warnings.catch_warnings(), np.errstate(invalid="ignore", over="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            L, B = aep8.model(particle, solar).geomagnetic_coordinates(loc, Time("2000-01-01"))
        L = np.asarray(L, float)
        B = np.asarray(B, float)
        bad = ~np.isfinite(L) | (L > 20.0) | (L <= 0.0) | ~np.isfinite(B) | (B <= 0.0)
        out[f"L_{field}"] = np.where(bad, 20.0, L).astype(np.float32)
        out[f"BB0_{field}"] = np.where(bad, 1e4, np.minimum(B, 1e4)).astype(np.float32)
    return out


@lru_cache(maxsize=1)
def _grid() -> dict[str, np.ndarray]:
    with (resources.files("sim") / "data" / _GRID_FILE).open("rb") as f, np.load(io.BytesIO(f.read())) as data:
        return {k: np.asarray(data[k]) for k in data.files}


@lru_cache(maxsize=4)
def _interpolators(field: str):
    from scipy.interpolate import RegularGridInterpolator

    g = _grid()
    axes = (g["lat_deg"], g["lon_deg"], g["alt_km"])
    return (
        RegularGridInterpolator(axes, g[f"L_{field}"].astype(float)),
        RegularGridInterpolator(axes, np.log(g[f"BB0_{field}"].astype(float))),
    )


def _check_solar(solar: str) -> str:
    return check_choice("solar", solar, SOLAR_PHASES, error=RadiationError)


def _check_energy(particle: str, energy_MeV: Any) -> float:
    name = "proton_MeV" if particle == "p" else "electron_MeV"
    e = as_float(energy_MeV, name, scalar=True, error=RadiationError)
    lo, hi = ENERGY_RANGE_MEV[particle]
    model = "AP8" if particle == "p" else "AE8"
    if not (lo <= e <= hi):
        raise RadiationError(f"{name} must be in [{lo:g}, {hi:g}] MeV (the {model} energy table), got {e:g}")
    return e


def _check_altitudes(alt_km: np.ndarray) -> None:
    lo, hi = TABLE_ALT_RANGE_KM
    a0, a1 = float(np.min(alt_km)), float(np.max(alt_km))
    if a0 < lo or a1 > hi:
        raise RadiationError(
            f"altitudes must be within {lo:g}-{hi:g} km for the tabulated AE8/AP8 coordinates, "
            f"the tracks reach {a0:.1f}-{a1:.1f} km"
        )


def trapped_flux(
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    alt_km: ArrayLike,
    *,
    particle: str = "p",
    energy_MeV: float | None = None,
    solar: str = "min",
    year: float | None = None,
) -> np.ndarray:
    """Omnidirectional integral flux of trapped ``particle`` above ``energy_MeV`` (cm^-2 s^-1).

    AP8 (``particle="p"``, default above 10 MeV) or AE8 (``"e"``, above 1 MeV), ``solar``
    ``"min"``/``"max"``, at geodetic points (broadcast together; altitudes 150-1000 km).
    ``year``: the decimal year to shift the model's SAA to (westward drift, see the module
    doc); None evaluates the model at its own epoch (the published AP8/AE8 maps).
    """
    check_choice("particle", particle, PARTICLES, error=RadiationError)
    solar = _check_solar(solar)
    e = _check_energy(particle, DEFAULT_ENERGY_MEV[particle] if energy_MeV is None else energy_MeV)
    lat = as_float(lat_deg, "lat_deg", "deg", error=RadiationError)
    lon = as_float(lon_deg, "lon_deg", "deg", error=RadiationError)
    alt = as_float(alt_km, "alt_km", "km", error=RadiationError)
    check_range("lat_deg", lat, -90.0, 90.0, unit="deg", error=RadiationError)
    lat, lon, alt = np.broadcast_arrays(lat, lon, alt)
    if alt.size == 0:
        return np.zeros(alt.shape)
    _check_altitudes(alt)
    field = _FIELD[(particle, solar)]
    if year is not None:
        y = as_float(year, "year", scalar=True, error=RadiationError)
        lon = lon + SAA_DRIFT_DEG_PER_YEAR * (y - _FIELD_EPOCH[field])
    lon = (lon + 180.0) % 360.0 - 180.0
    import aep8
    import astropy.units as u

    iL, iB = _interpolators(field)
    pts = np.stack([lat.ravel(), lon.ravel(), alt.ravel()], axis=-1)
    L = iL(pts)
    B = np.exp(iB(pts))
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            f = aep8.model(particle, solar).integral_flux_for_geomagnetic_coordinates(L, B, e * u.MeV).value
    f = np.where(np.isfinite(f) & (f > 0.0), f, 0.0)
    return f.reshape(alt.shape)


# ---------------------------------------------------------------- cutoff rigidity, GCR index


def _when_year(when: Any) -> float:
    t = to_time(when, name="when")
    year = decimal_year(t)
    check_igrf_year(year)
    return year


def cutoff_rigidity_GV(lat_deg: ArrayLike, lon_deg: ArrayLike, alt_km: ArrayLike, when: Any) -> np.ndarray:
    """Vertical geomagnetic cutoff rigidity (GV): Stormer's formula for IGRF-14's eccentric dipole
    at the epoch ``when`` (anything :func:`sim.timeutil.to_time` accepts; 1900-2030).

    Geodetic points broadcast together. See the module docstring for the formula and its known
    error against trajectory-traced cutoffs (~10-20 %).
    """
    from .frames import geodetic_to_itrs

    year = _when_year(when)
    lat = as_float(lat_deg, "lat_deg", "deg", error=RadiationError)
    lon = as_float(lon_deg, "lon_deg", "deg", error=RadiationError)
    alt = as_float(alt_km, "alt_km", "km", error=RadiationError)
    check_range("lat_deg", lat, -90.0, 90.0, unit="deg", error=RadiationError)
    check_range("alt_km", alt, -10.0, 1e5, unit="km", error=RadiationError)
    pole, centre, b0 = eccentric_dipole(year)
    x = geodetic_to_itrs(np.radians(lat), np.radians(lon), alt * 1e3) - centre
    r = np.linalg.norm(x, axis=-1)
    sin_l = np.clip(x @ pole / r, -1.0, 1.0)
    cos2 = 1.0 - sin_l * sin_l
    return b0 * 1e-9 * IGRF_RADIUS_M**3 * _C_LIGHT * cos2 * cos2 / (4.0 * r * r) / 1e9


def _proton_flux_above(phi_gv: float) -> tuple[np.ndarray, np.ndarray]:
    """(rigidity GV, force-field modulated galactic proton flux above it), on a log grid."""
    tr = _PROTON_REST_GEV
    T = np.logspace(-3, 4, 4000)  # kinetic energy, GeV
    P = np.sqrt(T * (T + 2.0 * tr))
    Tl = T + phi_gv
    Pl = np.sqrt(Tl * (Tl + 2.0 * tr))
    j_lis = 1.9e4 * Pl**-2.78 / (1.0 + 0.4866 * Pl**-2.51)
    j = j_lis * T * (T + 2.0 * tr) / (Tl * (Tl + 2.0 * tr))
    seg = 0.5 * (j[1:] + j[:-1]) * np.diff(T)
    above = np.concatenate([np.cumsum(seg[::-1])[::-1], [0.0]])
    # Zero rigidity: the total, with the flux below 1 MeV as a rectangle (negligible). It belongs
    # to the total only, not to the flux above the higher rigidities.
    return np.concatenate([[0.0], P]), np.concatenate([[above[0] + j[0] * T[0]], above])


@lru_cache(maxsize=8)
def _gcr_table(phi_gv: float) -> tuple[np.ndarray, np.ndarray]:
    """(rigidity GV, flux above it relative to the free-space flux at solar minimum)."""
    P, above = _proton_flux_above(phi_gv)
    _, ref = _proton_flux_above(MODULATION_GV["min"])
    return P, above / ref[0]


def gcr_free_space_fraction(cutoff_GV: ArrayLike, solar: str = "min") -> np.ndarray:
    """Galactic proton flux above the rigidity ``cutoff_GV`` relative to the free-space flux at
    solar minimum: 1 at zero cutoff at solar minimum, 0 at infinite cutoff. Solar maximum over
    minimum for the potentials of :data:`MODULATION_GV`: 0.35 at 0 GV, 0.62 at 3 GV, 0.84 at
    10 GV (the low-rigidity flux that high-inclination orbits gain is the most modulated; the
    measured swing of GCR dose on the ISS is smaller, which the calibration spread carries).

    Force-field modulated LIS (Usoskin et al. 2005) at :data:`MODULATION_GV` for ``solar``.
    """
    solar = _check_solar(solar)
    rc = as_float(cutoff_GV, "cutoff_GV", error=RadiationError)
    check_range("cutoff_GV", rc, 0.0, 100.0, unit="GV", error=RadiationError)
    P, frac = _gcr_table(MODULATION_GV[solar])
    return np.interp(rc, P, frac, left=frac[0], right=0.0)


def earth_shadow_factor(radius_m: ArrayLike) -> np.ndarray:
    """Fraction of the sky not hidden by the Earth at geocentric distance ``radius_m``:
    ``(1 + cos theta) / 2`` with ``sin theta = R_E / r`` (R_E: WGS84 equatorial radius)."""
    r = as_float(radius_m, "radius_m", "m", error=RadiationError)
    check_range("radius_m", r, R_EARTH * 0.99, 1e12, unit="m", error=RadiationError)
    s = np.clip(R_EARTH / r, 0.0, 1.0)
    return 0.5 * (1.0 + np.sqrt(1.0 - s * s))


def flux_map(
    altitude_km: float = 400.0,
    *,
    particle: str = "p",
    energy_MeV: float | None = None,
    solar: str = "min",
    year: float | None = None,
    step_deg: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lat_deg, lon_deg, flux)``: :func:`trapped_flux` on a global grid at ``altitude_km``,
    flux shaped (lat, lon) in cm^-2 s^-1 (for maps)."""
    alt = as_float(altitude_km, "altitude_km", "km", scalar=True, error=RadiationError)
    check_range("step_deg", step_deg, 0.25, 10.0, unit="deg", error=RadiationError, scalar=True)
    lat = np.arange(-89.0, 89.0 + 1e-9, step_deg)
    lon = np.arange(-180.0, 180.0 + 1e-9, step_deg)
    La, Lo = np.meshgrid(lat, lon, indexing="ij")
    return lat, lon, trapped_flux(La, Lo, alt, particle=particle, energy_MeV=energy_MeV, solar=solar, year=year)


def cutoff_map(altitude_km: float, when: Any, *, step_deg: float = 2.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lat_deg, lon_deg, cutoff_GV)``: :func:`cutoff_rigidity_GV` on a global grid at
    ``altitude_km`` and the IGRF epoch ``when``, cutoff shaped (lat, lon) (for maps)."""
    alt = as_float(altitude_km, "altitude_km", "km", scalar=True, error=RadiationError)
    check_range("step_deg", step_deg, 0.25, 10.0, unit="deg", error=RadiationError, scalar=True)
    lat = np.arange(-89.0, 89.0 + 1e-9, step_deg)
    lon = np.arange(-180.0, 180.0 + 1e-9, step_deg)
    La, Lo = np.meshgrid(lat, lon, indexing="ij")
    return lat, lon, cutoff_rigidity_GV(La, Lo, alt, when)


# ---------------------------------------------------------------- along the orbits


def _span_times(start: Any, days: float, step_s: float):
    """:func:`sim.timeutil.averaging_grid` after this module's checks of the span and step."""
    check_range("days", days, 0.01, 3660.0, unit="days", error=RadiationError, scalar=True)
    check_range("step_s", step_s, 1.0, 600.0, unit="s", error=RadiationError, scalar=True)
    t0 = to_time(start, name="start")
    if len(t0) != 1:
        raise TimeInputError(f"start must be one time, got {len(t0)}")
    return averaging_grid(start, days, step_s)


def orbit_radiation(
    orbit: Orbit,
    start: Any,
    days: float = 10.0,
    *,
    solar: str = "min",
    proton_MeV: float = DEFAULT_ENERGY_MEV["p"],
    electron_MeV: float = DEFAULT_ENERGY_MEV["e"],
    step_s: float = DOSE_STEP_S,
    model: str = "j2",
    saa_drift: bool = True,
    thresholds_GV: ArrayLike = CUTOFF_THRESHOLDS_GV,
    return_tracks: bool = False,
) -> dict:
    """Orbit-averaged trapped fluxes and GCR exposure per orbit over ``days`` from ``start``.

    Returns arrays shaped (n_orbits,): ``proton_flux_cm2_s`` / ``electron_flux_cm2_s``
    (time-averaged AP8/AE8 integral flux above ``proton_MeV`` / ``electron_MeV``),
    ``proton_fluence_cm2_per_day`` / ``electron_fluence_cm2_per_day`` (x 86400 s),
    ``cutoff_mean_GV``, ``gcr_index`` (mean of the free-space fraction x Earth shadow, 1 in
    free space), and ``below_fraction`` (n_orbits, n_thresholds): the fraction of time the
    vertical cutoff is below each of ``thresholds_GV``. The IGRF epoch of the cutoff is the
    span's middle; ``start`` is one time (anything :func:`sim.timeutil.to_time` accepts).
    ``return_tracks=True`` adds ``lat_deg lon_deg alt_km proton_flux electron_flux cutoff_GV``
    (n_orbits, n_times).
    """
    from .groundtrack import ground_track
    from .orbits import check_orbit

    check_orbit(orbit, error=RadiationError)
    solar = _check_solar(solar)
    ep = _check_energy("p", proton_MeV)
    ee = _check_energy("e", electron_MeV)
    thr = np.atleast_1d(as_float(thresholds_GV, "thresholds_GV", error=RadiationError))
    check_range("thresholds_GV", thr, 0.0, 100.0, low_open=True, unit="GV", error=RadiationError)
    if not isinstance(saa_drift, (bool, np.bool_)):
        raise RadiationError(f"saa_drift must be true or false, got {describe(saa_drift)}")
    t, mid = _span_times(start, days, step_s)
    year = decimal_year(mid)
    check_igrf_year(year)
    lat, lon, alt = ground_track(orbit, t, model=model)
    _check_altitudes(alt)
    drift_year = year if saa_drift else None
    fp = trapped_flux(lat, lon, alt, particle="p", energy_MeV=ep, solar=solar, year=drift_year)
    fe = trapped_flux(lat, lon, alt, particle="e", energy_MeV=ee, solar=solar, year=drift_year)
    rc = cutoff_rigidity_GV(lat, lon, alt, mid)
    from .frames import geodetic_to_itrs

    r = np.linalg.norm(geodetic_to_itrs(np.radians(lat), np.radians(lon), alt * 1e3), axis=-1)
    index = gcr_free_space_fraction(rc, solar) * earth_shadow_factor(r)
    out = {
        "names": tuple(orbit.names),
        "solar": solar,
        "proton_MeV": ep,
        "electron_MeV": ee,
        "days": float(days),
        "year": year,
        "proton_flux_cm2_s": fp.mean(axis=1),
        "electron_flux_cm2_s": fe.mean(axis=1),
        "proton_fluence_cm2_per_day": fp.mean(axis=1) * DAY_S,
        "electron_fluence_cm2_per_day": fe.mean(axis=1) * DAY_S,
        "cutoff_mean_GV": rc.mean(axis=1),
        "gcr_index": index.mean(axis=1),
        "thresholds_GV": thr,
        "below_fraction": (rc[:, :, None] < thr[None, None, :]).mean(axis=1),
    }
    if return_tracks:
        out.update(lat_deg=lat, lon_deg=lon, alt_km=alt, proton_flux=fp, electron_flux=fe, cutoff_GV=rc)
    return out


def dose_orbits_inside(orbit: Orbit) -> np.ndarray:
    """Per orbit (n_orbits,) bool: True where the geodetic altitudes stay inside the AE8/AP8 table
    (150-1000 km) with a margin, judged before any propagation: perigee altitude - 15 km and
    apogee altitude + 36 km (the 21 km polar rise of the ellipsoid plus 15 km of short-period
    motion) must both be inside."""
    from .constants import FLATTENING
    from .orbits import check_orbit

    check_orbit(orbit, error=RadiationError)
    lo, hi = TABLE_ALT_RANGE_KM
    low = np.asarray(orbit.perigee_altitude_km, float) - 15.0
    high = np.asarray(orbit.apogee_altitude_km, float) + R_EARTH * FLATTENING / 1e3 + 15.0
    return np.atleast_1d((low >= lo) & (high <= hi))


def check_dose_orbits(orbit: Orbit) -> None:
    """Raise :class:`RadiationError` if an orbit's geodetic altitudes can leave the AE8/AP8 table
    (:func:`dose_orbits_inside`) before any propagation. ``sim validate`` calls it."""
    lo, hi = TABLE_ALT_RANGE_KM
    bad = ~dose_orbits_inside(orbit)
    if np.any(bad):
        who = ", ".join(
            f"{n} ({p:.0f}-{a:.0f} km)"
            for n, p, a, b in zip(orbit.names, orbit.perigee_altitude_km, orbit.apogee_altitude_km, bad)
            if b
        )
        raise RadiationError(
            f"the dose estimate's AE8/AP8 table covers {lo:g}-{hi:g} km geodetic altitude; outside it: {who}"
        )


# ---------------------------------------------------------------- calibration and dose


@lru_cache(maxsize=1)
def calibration_data() -> tuple[dict[str, Any], ...]:
    """The published ISS (and Mir) dosimetry of ``data/iss_dosimetry_calibration.csv``, one dict per row.

    Numbers as floats, NaN where the source gives no value (a total without its trapped/GCR
    split, or a GCR-only rate); every row carries the ``quote`` it was read from, its
    ``quoted_value`` and ``address`` (the file's header comments say what is missing).
    """
    text = (resources.files("sim") / "data" / _CALIBRATION_FILE).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    rows = []
    for rec in csv.DictReader(lines):
        for k in ("iss_altitude_km", "trapped_mGy_per_day", "gcr_mGy_per_day", "total_mGy_per_day"):
            rec[k] = float(rec[k]) if rec[k].strip() else float("nan")
        rows.append(rec)
    return tuple(rows)


def _row_exposure(rec: dict[str, Any], proton_MeV: float, step_s: float, days: float) -> tuple[float, float]:
    """(orbit-mean AP8 proton flux, GCR index) of a calibration row: a 51.64 deg circular orbit at
    the row's altitude, over ``days`` from the middle of its period, with its solar phase."""
    from .orbits import Orbit

    t0 = to_time(rec["start"], name="start")[0]
    t1 = to_time(rec["end"], name="end")[0]
    mid = t0 + (t1 - t0) / 2
    orb = Orbit.circular(rec["iss_altitude_km"], _ISS_INCLINATION_DEG, epoch=mid, names=["ISS"])
    o = orbit_radiation(orb, mid, days, solar=rec["solar"], proton_MeV=proton_MeV, step_s=step_s)
    return float(o["proton_flux_cm2_s"][0]), float(o["gcr_index"][0])


def fit_dose_constants(
    flux: ArrayLike, index: ArrayLike, total: ArrayLike, gcr: ArrayLike, trapped: ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per-row dose constants ``(k_trap, k_gcr)`` from rows of published dosimetry.

    ``flux`` (cm^-2 s^-1) and ``index`` are each row's orbit-mean AP8 proton flux and GCR index;
    ``total``, ``gcr`` and ``trapped`` (mGy/day) the row's published total, GCR and trapped (SAA)
    rates, NaN where not given (``trapped=None``: none given). A split row (trapped and GCR given)
    gets ``k_trap = trapped / flux`` and ``k_gcr = gcr / index``; a GCR-only row
    ``k_gcr = gcr / index``; ``mean(k_gcr)`` is the mean over both kinds. A total-only row then
    gets ``k_trap = (total - mean(k_gcr) * index) / flux`` and the mean GCR constant; a GCR-only
    row the mean trapped constant (the mean over split and total rows). Raises
    :class:`RadiationError` without at least one GCR (GCR-only or split) row and one total or
    split row, or if a total leaves no trapped dose.
    """
    f = np.asarray(as_float(flux, "flux", error=RadiationError), float)
    g = np.asarray(as_float(index, "index", error=RadiationError), float)
    t = np.asarray(as_float(total, "total", finite=False, error=RadiationError), float)
    d = np.asarray(as_float(gcr, "gcr", finite=False, error=RadiationError), float)
    tr = (
        np.full(f.shape, np.nan)
        if trapped is None
        else np.asarray(as_float(trapped, "trapped", finite=False, error=RadiationError), float)
    )
    is_gcr = np.isfinite(d)
    is_split = is_gcr & np.isfinite(tr)
    is_total = np.isfinite(t) & ~is_gcr
    if not is_gcr.any() or not (is_total.any() or is_split.any()):
        raise RadiationError(
            "the dose calibration needs at least one GCR-only or split row and one total row (or split row)"
        )
    k_gcr_rows = d[is_gcr] / g[is_gcr]
    kg = float(k_gcr_rows.mean())
    k_trap = np.full(f.shape, np.nan)
    k_trap[is_total] = (t[is_total] - kg * g[is_total]) / f[is_total]
    k_trap[is_split] = tr[is_split] / f[is_split]
    fitted = is_total | is_split
    if np.any(k_trap[fitted] <= 0.0):
        raise RadiationError("a calibration total is below its GCR part: no trapped dose is left to fit")
    k_trap[~fitted] = float(k_trap[fitted].mean())
    k_gcr = np.full(f.shape, kg)
    k_gcr[is_gcr] = k_gcr_rows
    return k_trap, k_gcr


@lru_cache(maxsize=8)
def _calibration(proton_MeV: float, step_s: float, days: float) -> dict[str, Any]:
    rows = calibration_data()
    flux, index = np.array([_row_exposure(rec, proton_MeV, step_s, days) for rec in rows]).T
    total = np.array([r["total_mGy_per_day"] for r in rows])
    gcr = np.array([r["gcr_mGy_per_day"] for r in rows])
    trapped = np.array([r["trapped_mGy_per_day"] for r in rows])
    k_trap, k_gcr = fit_dose_constants(flux, index, total, gcr, trapped)
    return {
        "ids": tuple(r["id"] for r in rows),
        "k_trap": k_trap,
        "k_gcr": k_gcr,
        "flux": flux,
        "index": index,
    }


def calibration(proton_MeV: float = DEFAULT_ENERGY_MEV["p"], step_s: float = DOSE_STEP_S, days: float = 10.0) -> dict:
    """The dose constants fitted on the published ISS and Mir dosimetry (cached per arguments).

    Arrays over the rows of :func:`calibration_data` (with ``ids``): ``k_trap`` (mGy/day per
    cm^-2 s^-1 of AP8 protons above ``proton_MeV``) and ``k_gcr`` (mGy/day per unit GCR index)
    as :func:`fit_dose_constants` gives them, and each row's ``flux`` (cm^-2 s^-1) and ``index``.
    Each row is an ISS-like circular orbit (51.64 deg, the row's mean altitude) at the middle of
    the row's period, averaged over ``days`` with the AP8 phase and GCR modulation of the row's
    ``solar`` phase.
    """
    ep = _check_energy("p", proton_MeV)
    check_range("step_s", step_s, 1.0, 600.0, unit="s", error=RadiationError, scalar=True)
    check_range("days", days, 1.0, 60.0, unit="days", error=RadiationError, scalar=True)
    c = _calibration(ep, float(step_s), float(days))
    return {"ids": c["ids"], **{k: c[k].copy() for k in ("k_trap", "k_gcr", "flux", "index")}}


def ratio_at_gcr_share(flux_ratio: ArrayLike, gcr_ratio: ArrayLike, share: ArrayLike) -> np.ndarray:
    """Dose ratio of a station to the reference station if the reference's dose is a share ``share``
    (0-1) GCR and ``1 - share`` trapped protons: ``(1 - share) * flux_ratio + share * gcr_ratio``.

    ``flux_ratio``: the station's orbit-mean AP8 proton flux over the reference's; ``gcr_ratio``:
    its GCR index over the reference's (both need no calibration). Arrays broadcast. With the
    reference's calibrated share this is exactly the calibrated dose ratio (the dose constants
    cancel), so the whole line shows what the ratio rests on: the one number the calibration has
    to supply, the reference's GCR share.
    """
    fr = np.asarray(as_float(flux_ratio, "flux_ratio", error=RadiationError), float)
    gr = np.asarray(as_float(gcr_ratio, "gcr_ratio", error=RadiationError), float)
    s = np.asarray(as_float(share, "share", error=RadiationError), float)
    check_range("share", s, 0.0, 1.0, error=RadiationError)
    return (1.0 - s) * fr + s * gr


def gcr_share_for_ratio(flux_ratio: ArrayLike, gcr_ratio: ArrayLike, ratio: ArrayLike) -> np.ndarray:
    """The reference station's GCR share (0-1) at which :func:`ratio_at_gcr_share` gives ``ratio``:
    ``(ratio - flux_ratio) / (gcr_ratio - flux_ratio)``; NaN where no share in [0, 1] gives it (or
    the two ratios are equal, as for the reference itself). Arrays broadcast.

    Used to say what a published dose ratio would imply (e.g. :data:`PUBLISHED_POLAR_DOSE_RATIOS`),
    never to fit the model.
    """
    fr = np.asarray(as_float(flux_ratio, "flux_ratio", error=RadiationError), float)
    gr = np.asarray(as_float(gcr_ratio, "gcr_ratio", error=RadiationError), float)
    r = np.asarray(as_float(ratio, "ratio", error=RadiationError), float)
    span = gr - fr
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(np.abs(span) > 1e-12, (r - fr) / np.where(np.abs(span) > 1e-12, span, 1.0), np.nan)
    return np.where((s >= 0.0) & (s <= 1.0), s, np.nan)


def dose_rate(
    orbit: Orbit,
    start: Any,
    days: float = 10.0,
    *,
    solar: str = "min",
    proton_MeV: float = DEFAULT_ENERGY_MEV["p"],
    electron_MeV: float = DEFAULT_ENERGY_MEV["e"],
    step_s: float = DOSE_STEP_S,
    model: str = "j2",
    saa_drift: bool = True,
    reference: int = 0,
    return_tracks: bool = False,
) -> dict:
    """Absorbed dose rate (mGy/day, inside ISS-like shielding) per orbit, split by source.

    Everything of :func:`orbit_radiation` plus, per orbit (n_orbits,): ``trapped_mGy_per_day``,
    ``gcr_mGy_per_day``, ``total_mGy_per_day`` (the mean calibration constants), their
    ``*_low``/``*_high`` (min/max over the calibration measurements), ``ratio`` (total relative
    to orbit ``reference``) with ``ratio_low``/``ratio_high`` (min/max over the measurements of
    the ratio each one's constants give), and ``calibration`` (:func:`calibration`). See the
    module docstring for the model and its limits (shielding fixed, SPEs excluded, AP8 epoch).

    What the ratio rests on (per orbit, relative to orbit ``reference``): ``flux_ratio`` (AP8
    proton flux) and ``gcr_index_ratio`` (GCR index), which need no calibration; the dose ratio is
    ``ratio_at_gcr_share(flux_ratio, gcr_index_ratio, s)`` for the reference's GCR share ``s``.
    ``gcr_share`` (each orbit's own GCR share of its dose) with ``gcr_share_low``/``_high`` (over
    the measurements' constants); ``reference_gcr_share`` (+ ``_low``/``_high``), the share the
    calibration implies for the reference; ``claim_ratios`` (:data:`PUBLISHED_POLAR_DOSE_RATIOS`)
    and ``claim_gcr_share`` (n_orbits, n_claims): the reference share at which each published
    ratio would hold (NaN where none in 0-1 does) -- what the claims imply, not an input.
    """
    out = orbit_radiation(
        orbit,
        start,
        days,
        solar=solar,
        proton_MeV=proton_MeV,
        electron_MeV=electron_MeV,
        step_s=step_s,
        model=model,
        saa_drift=saa_drift,
        return_tracks=return_tracks,
    )
    n = len(out["names"])
    if isinstance(reference, bool) or not isinstance(reference, (int, np.integer)) or not (0 <= reference < n):
        raise RadiationError(f"reference must be an orbit index in [0, {n - 1}], got {describe(reference)}")
    cal = calibration(out["proton_MeV"], step_s)
    trap_each = cal["k_trap"][None, :] * out["proton_flux_cm2_s"][:, None]  # (n_orbits, n_measurements)
    gcr_each = cal["k_gcr"][None, :] * out["gcr_index"][:, None]
    total_each = trap_each + gcr_each
    trapped = float(cal["k_trap"].mean()) * out["proton_flux_cm2_s"]
    gcr = float(cal["k_gcr"].mean()) * out["gcr_index"]
    total = trapped + gcr
    ratio_each = total_each / total_each[reference][None, :]
    share_each = gcr_each / total_each
    flux_ratio = out["proton_flux_cm2_s"] / out["proton_flux_cm2_s"][reference]
    gcr_index_ratio = out["gcr_index"] / out["gcr_index"][reference]
    claims = np.asarray(PUBLISHED_POLAR_DOSE_RATIOS, float)
    out.update(
        flux_ratio=flux_ratio,
        gcr_index_ratio=gcr_index_ratio,
        gcr_share=gcr / total,
        gcr_share_low=share_each.min(axis=1),
        gcr_share_high=share_each.max(axis=1),
        reference_gcr_share=float(gcr[reference] / total[reference]),
        reference_gcr_share_low=float(share_each[reference].min()),
        reference_gcr_share_high=float(share_each[reference].max()),
        claim_ratios=claims,
        claim_gcr_share=gcr_share_for_ratio(flux_ratio[:, None], gcr_index_ratio[:, None], claims[None, :]),
    )
    out.update(
        trapped_mGy_per_day=trapped,
        gcr_mGy_per_day=gcr,
        total_mGy_per_day=total,
        trapped_mGy_per_day_low=trap_each.min(axis=1),
        trapped_mGy_per_day_high=trap_each.max(axis=1),
        gcr_mGy_per_day_low=gcr_each.min(axis=1),
        gcr_mGy_per_day_high=gcr_each.max(axis=1),
        total_mGy_per_day_low=total_each.min(axis=1),
        total_mGy_per_day_high=total_each.max(axis=1),
        ratio=total / total[reference],
        ratio_low=ratio_each.min(axis=1),
        ratio_high=ratio_each.max(axis=1),
        reference=int(reference),
        calibration=cal,
    )
    return out
