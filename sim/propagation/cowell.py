"""Numerical (Cowell) propagation: zonal harmonics J2..J6, drag, Sun and Moon, batched.

Registered as ``model="cowell"``: ``orbit.propagate(times, model="cowell", spacecraft=...)``.

Frame
-----
The state is integrated in **GCRS** (the geocentric celestial frame: inertial apart
from the slow geodesic terms, so Newton's law holds without fictitious forces). The
zonal field is symmetric about the Earth's rotation axis, so all it needs is the ITRS
z-axis expressed in GCRS: the third row of the GCRS->ITRS matrix
(:func:`sim.frames.gcrs_to_itrs_matrix`: precession-nutation IAU 2006/2000A and polar
motion), tabulated every 10 min and interpolated linearly (it moves ~50"/yr plus
nutation; the interpolation error is below 1e-12 rad). Earth rotation (ERA) is never
needed: J_n depends only on the distance from the pole axis, the co-rotating
atmosphere's velocity is ``omega * pole x r``, and geodetic latitude/height and local
solar time are invariant under rotations about the pole. ``true_pole=False`` puts the
axis along GCRS z instead, the convention of boinor's ``J2_perturbation`` (used for the
like-for-like comparison in ``tests/test_orekit_validation.py``; the difference is
reported there: the 2025 pole is ~0.1 deg from GCRS z, from precession since J2000).

Integrator
----------
Dormand-Prince 8(5,3) (``DOP853``, the coefficients and error estimator of
``scipy.integrate.DOP853``) written in numba, each orbit with its own adaptive step,
orbits spread over threads with ``prange``. Why not ``solve_ivp`` on a flattened state:
one step size would be forced on every orbit (the worst orbit sets it) and each RHS call
would cost a Python round trip; a compiled per-orbit integrator is both faster and
reproduces single-orbit results bit for bit whatever the batch. Steps are shortened to
land exactly on output times (no dense-output interpolation error), on the end of each
mean-altitude window and on scheduled burns. The compiled code lives in
:mod:`sim.kernels` (:mod:`~sim.kernels.dop853` the integrator, :mod:`~sim.kernels.forces`
the right-hand side); this module validates the inputs, builds the force-model record
(:class:`sim.kernels.forces.ForceModel`) and the tables, and packs the results.

Forces
------
* central body + zonal harmonics J2..J``zonal_degree`` (Legendre recursion; EGM96
  values from :mod:`sim.constants`);
* drag ``-1/2 rho Cd A/m |v_rel| v_rel`` with ``v_rel = v - omega_E pole x r`` (the
  atmosphere co-rotates with the Earth); density from NRLMSIS 2.1 (tabulated, see
  :mod:`sim.atmosphere`; needs the Sun's direction for local solar time) or the
  Vallado exponential table, at WGS84 geodetic altitude (the table spans 80-2,000 km;
  its behaviour outside: :mod:`sim.atmosphere`);
* Sun and Moon point masses (third-body form) from :mod:`sim.ephemeris`, tabulated
  every 10 min (the Moon moves 0.09 deg in 10 min: linear interpolation error < 50 m
  in the Moon's position, far below any effect on a LEO orbit).

Events and manoeuvres
---------------------
Integration of an orbit stops when its geodetic altitude falls below
``min_altitude_km`` (re-entry; time interpolated inside the step) and its later states
are NaN. With ``reboost_band_km=(low, high)`` the orbit-mean altitude is computed over
exact windows of one Keplerian period; when a window's mean falls below ``low`` a
two-impulse Hohmann transfer (along the velocity, the second half a transfer period
later) raises it to ``high``. Mean altitude = time-average of the geocentric distance
over the window minus the equatorial radius (the convention of ``Orbit.altitude_km``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from ..constants import (
    E2_EARTH,
    J2,
    J3,
    J4,
    J5,
    J6,
    MU_EARTH,
    MU_MOON,
    MU_SUN,
    OMEGA_EARTH,
    R_EARTH,
)
from ..errors import ModelError, SimError
from ..kernels.dop853 import Outputs, Solver, integrate_batch
from ..kernels.forces import ATM_EXPONENTIAL, ATM_MSIS, ATM_NONE, ForceModel

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    from numpy.typing import ArrayLike

    from ..atmosphere import SolarActivity
    from ..orbits import Orbit
    from ..spacecraft import Spacecraft


__all__ = ["MU_MOON", "MU_SUN", "CowellResult", "ReentryError", "integrate", "propagate"]

_ATM_CODES = {"none": ATM_NONE, "exponential": ATM_EXPONENTIAL, "msis": ATM_MSIS}
_GRID_STEP_S = 600.0


class ReentryError(SimError, ValueError):
    """An orbit that starts at or below the minimum altitude."""


@lru_cache(maxsize=1)
def _dop853_tableau() -> tuple[np.ndarray, ...]:
    """The DOP853 Butcher tableau (A, B, C, E3, E5) of ``scipy.integrate.DOP853`` (its 12 stages)."""
    from scipy.integrate._ivp import dop853_coefficients as c

    n = c.N_STAGES
    return (
        np.ascontiguousarray(c.A[:n, :n]),
        np.ascontiguousarray(c.B),
        np.ascontiguousarray(c.C[:n]),
        np.ascontiguousarray(c.E3),
        np.ascontiguousarray(c.E5),
    )


# ---------------------------------------------------------------- Python API


@dataclass
class CowellResult:
    """Everything one batched Cowell run produced (times in seconds since each orbit's epoch).

    ``r``, ``v``: GCRS (m, m/s), (n_orbits, n_times, 3), NaN after re-entry.
    ``reentry_s``: seconds from epoch to re-entry (NaN if none). ``burns``: per orbit a
    list of (seconds since epoch, delta-v m/s of the two-impulse pair).
    ``mean_t_s``, ``mean_alt_km``: per orbit the orbit-mean altitude samples (one per
    window of one period; only with a reboost band or ``track_mean=True``).
    """

    r: np.ndarray
    v: np.ndarray
    reentry_s: np.ndarray
    burns: list = field(default_factory=list)
    mean_t_s: list = field(default_factory=list)
    mean_alt_km: list = field(default_factory=list)
    steps: np.ndarray | None = None
    nfev: np.ndarray | None = None


def _initial_state(orbit, initial: str):
    """Osculating GCRS state at each epoch.

    "auto"/"sgp4": SGP4 at its own epoch (tsince = 0) from the orbit's element set, or
    from an SGP4 record built from its mean elements (B* = 0) -- SGP4 adds the J2
    short-period terms, so a mean 415 km orbit has a 415 km orbit-mean altitude (within
    ~1 km). "elements": the mean elements taken as osculating (two-body ``coe2rv``); the
    orbit-mean altitude then comes out several km (about 7 km for the ISS) lower.
    """
    from ..frames import teme_to_gcrs_matrix
    from .kepler import coe2rv, mean_to_true

    if initial not in ("auto", "elements", "sgp4"):
        raise ModelError(f"initial must be 'auto', 'elements' or 'sgp4', got {initial!r}")
    if initial in ("auto", "sgp4"):
        # each element set at its own epoch (tsince = 0): SGP4's osculating TEME state
        rv = []
        for sat in orbit.to_sgp4_satrecs():
            err, rs, vs = sat.sgp4_tsince(0.0)
            if err:
                raise ModelError(f"SGP4 error {err} at the epoch of an element set")
            rv.append((rs, vs))
        r = np.array([x[0] for x in rv]) * 1e3
        v = np.array([x[1] for x in rv]) * 1e3
    else:
        nu = mean_to_true(orbit.mean_anomaly, orbit.ecc)
        r, v = coe2rv(orbit.a, orbit.ecc, orbit.inc, orbit.raan, orbit.argp, nu)
    R = teme_to_gcrs_matrix(orbit.epoch)
    return np.einsum("nij,nj->ni", R, r), np.einsum("nij,nj->ni", R, v)


def _day_of_year(t) -> float:
    """Fractional day of year (1.0 = Jan 1 00:00 UTC) of a scalar Time (:func:`sim.timeutil.day_of_year`)."""
    from ..timeutil import day_of_year

    return float(day_of_year(t)[0])


def integrate(
    orbit: Orbit,
    times: Any,
    *,
    spacecraft: Spacecraft | str | list[Spacecraft | str] | tuple[Spacecraft | str, ...] | None = None,
    atmosphere: str = "msis",
    solar_activity: str | SolarActivity | tuple[float, float, float] = "moderate",
    zonal_degree: int = 6,
    third_body: bool = False,
    true_pole: bool = True,
    rtol: float = 1e-10,
    atol: float = 1e-6,
    max_step_s: float = np.inf,
    min_altitude_km: float = 100.0,
    reboost_band_km: ArrayLike | None = None,
    track_mean: bool = False,
    initial: str = "auto",
    state: tuple[ArrayLike, ArrayLike] | None = None,
    exponential_table: ArrayLike | None = None,
) -> CowellResult:
    """Integrate all orbits of ``orbit`` to ``times``; see the module doc for the models.

    ``times``: anything :func:`sim.timeutil.to_time` accepts.

    ``spacecraft``: a :class:`sim.spacecraft.Spacecraft`, a default's name ("iss",
    "ros_stage2"), a sequence of them (one per orbit), or None (no drag).
    ``atmosphere``: "msis" (NRLMSIS 2.1, ``solar_activity`` a level name, a
    :class:`~sim.atmosphere.SolarActivity` or (F10.7, F10.7a, Ap)), "exponential"
    (Vallado's table, or ``exponential_table`` rows (base km, kg/m^3, scale km)) or "none".
    ``zonal_degree``: 0 (point mass) or 2..6. ``rtol``/``atol`` (m, m/s): DOP853 tolerances.
    ``state``: optional (r, v) GCRS arrays (n, 3) at the epochs instead of the elements.
    """
    import astropy.units as u

    from ..atmosphere import EXPONENTIAL_TABLE, msis_table
    from ..frames import gcrs_to_itrs_matrix
    from ..spacecraft import Spacecraft
    from ..spacecraft import spacecraft as lookup
    from ..timeutil import seconds_between, to_time

    t = to_time(times)
    n = len(orbit)
    if zonal_degree not in (0, 2, 3, 4, 5, 6):
        raise ModelError(f"zonal_degree must be 0 or 2..6, got {zonal_degree!r}")
    atmosphere = str(atmosphere).lower()
    if atmosphere not in _ATM_CODES:
        raise ModelError(f"atmosphere must be one of {', '.join(_ATM_CODES)}, got {atmosphere!r}")
    for name, val in (("rtol", rtol), ("atol", atol)):
        if not (np.isfinite(val) and val > 0):
            raise ModelError(f"{name} must be a positive number, got {val!r}")
    if not (max_step_s > 0):
        raise ModelError(f"max_step_s must be positive, got {max_step_s!r}")
    # spacecraft -> Cd A / m per orbit
    if spacecraft is None:
        cdam = np.zeros(n)
    else:
        scs = spacecraft if isinstance(spacecraft, (list, tuple)) else [spacecraft] * n
        if len(scs) != n:
            raise ModelError(f"spacecraft must be one value or {n} (one per orbit), got {len(scs)}")
        cdam = np.array([(s if isinstance(s, Spacecraft) else lookup(s)).cd_area_over_mass for s in scs])
    atm_code = _ATM_CODES[atmosphere] if spacecraft is not None else ATM_NONE

    # initial state and its check against the minimum altitude
    if state is None:
        r0, v0 = _initial_state(orbit, initial)
    else:
        r0, v0 = (np.asarray(x, dtype=float).reshape(n, 3) for x in state)
    perigee_km = (orbit.a * (1.0 - orbit.ecc) - R_EARTH) / 1e3
    start_km = (np.linalg.norm(r0, axis=-1) - R_EARTH) / 1e3
    low = np.minimum(perigee_km, start_km) <= min_altitude_km
    if np.any(low):
        raise ReentryError(
            f"orbit starts at or below min_altitude_km={min_altitude_km:g} km "
            f"(perigee {np.round(perigee_km[low], 1).tolist()} km): "
            f"the orbit must start above it"
        )

    # time axis: seconds from a reference epoch (the earliest of epochs and outputs)
    tref = orbit.epoch[int(np.argmin(orbit.epoch.jd))]
    t0 = seconds_between(tref, orbit.epoch).astype(float).reshape(n)
    tout = seconds_between(tref, t).astype(float).reshape(len(t))
    lo = min(t0.min(), tout.min()) - _GRID_STEP_S
    hi = max(t0.max(), tout.max()) + 2 * _GRID_STEP_S
    ng = int(np.ceil((hi - lo) / _GRID_STEP_S)) + 1
    grid = tref + (lo + np.arange(ng) * _GRID_STEP_S) * u.s
    if true_pole and zonal_degree + atm_code > 0:
        pole = np.ascontiguousarray(gcrs_to_itrs_matrix(grid)[:, 2, :])
    else:
        pole = np.tile([0.0, 0.0, 1.0], (ng, 1))
    if third_body or atm_code == ATM_MSIS:
        from ..ephemeris import moon_position_gcrs, sun_position_gcrs

        sun = np.ascontiguousarray(sun_position_gcrs(grid), dtype=float)
        moon = np.ascontiguousarray(moon_position_gcrs(grid), dtype=float) if third_body else np.zeros((ng, 3))
    else:
        sun = np.zeros((ng, 3))
        moon = np.zeros((ng, 3))
    if atm_code == ATM_MSIS:
        table = msis_table(solar_activity)
        logrho, mp = table.log_rho, table.kernel_params()
    else:
        logrho, mp = np.zeros((2, 2, 2, 2)), np.array([1.0, 1.0, 0.0, 1.0, -90.0, 90.0, 12.0])
    exptab = np.ascontiguousarray(EXPONENTIAL_TABLE if exponential_table is None else exponential_table, dtype=float)

    J = np.zeros(7)
    J[2:7] = (J2, J3, J4, J5, J6)
    J[zonal_degree + 1 :] = 0.0
    force = ForceModel(
        mu=MU_EARTH,
        re=R_EARTH,
        e2=E2_EARTH,
        omega=OMEGA_EARTH,
        nmax=int(zonal_degree),
        J=J,
        mu_sun=MU_SUN if third_body else 0.0,
        mu_moon=MU_MOON if third_body else 0.0,
        atm=int(atm_code),
        doy0=_day_of_year(tref),
        tg0=float(lo),
        dtg=_GRID_STEP_S,
        pole=pole,
        sun=sun,
        moon=moon,
        exptab=exptab,
        logrho=np.ascontiguousarray(logrho),
        msis_p=mp,
    )

    # reboost band / mean-altitude tracking
    period = np.zeros(n)
    band_lo = np.full(n, -np.inf)
    band_hi = np.full(n, -np.inf)
    if reboost_band_km is not None:
        try:
            band = np.broadcast_to(np.asarray(reboost_band_km, dtype=float), (n, 2))
        except ValueError:
            raise ModelError(
                f"reboost_band_km must be (low, high) or one (low, high) per orbit, got {reboost_band_km!r}"
            ) from None
        if not np.all((min_altitude_km < band[:, 0]) & (band[:, 0] < band[:, 1])):
            raise ModelError(
                f"reboost_band_km must be (low, high) with {min_altitude_km:g} < low < high, got {reboost_band_km!r}"
            )
        band_lo[:] = band[:, 0] * 1e3
        band_hi[:] = band[:, 1] * 1e3
    if reboost_band_km is not None or track_mean:
        a0 = -MU_EARTH / (2.0 * (0.5 * np.sum(v0**2, axis=-1) - MU_EARTH / np.linalg.norm(r0, axis=-1)))
        period = 2.0 * np.pi * np.sqrt(a0**3 / MU_EARTH)
    span = float(tout.max() - t0.min()) if len(tout) else 0.0
    cap_mean = int(max(span, 0) / max(period.min(), 1.0)) + 4 if period.max() > 0 else 1
    cap_burn = cap_mean

    out = np.full((n, len(tout), 6), np.nan)
    reentry = np.full(n, np.nan)
    nburn = np.zeros(n, dtype=np.int64)
    burn_t = np.zeros((n, cap_burn))
    burn_dv = np.zeros((n, cap_burn))
    nmean = np.zeros(n, dtype=np.int64)
    mean_t = np.zeros((n, cap_mean))
    mean_h = np.zeros((n, cap_mean))
    stats = np.zeros((n, 3))
    y0 = np.ascontiguousarray(np.concatenate([r0, v0], axis=-1))
    solver = Solver(
        *_dop853_tableau(), rtol=float(rtol), atol=float(atol), hmax=float(max_step_s), min_alt=min_altitude_km * 1e3
    )
    integrate_batch(
        y0,
        t0,
        tout,
        cdam,
        band_lo,
        band_hi,
        period,
        force,
        solver,
        Outputs(out, reentry, nburn, burn_t, burn_dv, nmean, mean_t, mean_h, stats),
    )
    if np.any(stats[:, 2] > 0):
        bad = np.nonzero(stats[:, 2] > 0)[0].tolist()
        raise ModelError(f"integration failed (step size underflow) for orbit(s) {bad}")
    res = CowellResult(r=out[..., :3], v=out[..., 3:], reentry_s=reentry - t0, steps=stats[:, 0], nfev=stats[:, 1])
    for i in range(n):
        res.burns.append(np.stack([burn_t[i, : nburn[i]] - t0[i], burn_dv[i, : nburn[i]]], axis=-1))
        res.mean_t_s.append(mean_t[i, : nmean[i]] - t0[i])
        res.mean_alt_km.append(mean_h[i, : nmean[i]] / 1e3)
    return res


def propagate(
    orbit: Orbit,
    times: Any,
    *,
    spacecraft: Spacecraft | str | list[Spacecraft | str] | tuple[Spacecraft | str, ...] | None = None,
    atmosphere: str = "msis",
    solar_activity: str | SolarActivity | tuple[float, float, float] = "moderate",
    zonal_degree: int = 6,
    third_body: bool = False,
    true_pole: bool = True,
    rtol: float = 1e-10,
    atol: float = 1e-6,
    max_step_s: float = np.inf,
    min_altitude_km: float = 100.0,
    initial: str = "auto",
) -> tuple[np.ndarray, np.ndarray, str]:
    """``(r, v, "GCRS")``: GCRS r (m), v (m/s) shaped (n_orbits, n_times, 3); see :func:`integrate`.

    ``times``: anything :func:`sim.timeutil.to_time` accepts. Registered as ``model="cowell"``.

    Without ``spacecraft`` there is no drag (gravity only: zonal harmonics up to
    ``zonal_degree``, plus Sun and Moon with ``third_body=True``).
    """
    res = integrate(
        orbit,
        times,
        spacecraft=spacecraft,
        atmosphere=atmosphere,
        solar_activity=solar_activity,
        zonal_degree=zonal_degree,
        third_body=third_body,
        true_pole=true_pole,
        rtol=rtol,
        atol=atol,
        max_step_s=max_step_s,
        min_altitude_km=min_altitude_km,
        initial=initial,
    )
    return res.r, res.v, "GCRS"
