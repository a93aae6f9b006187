"""The batched :class:`Orbit`: an epoch and mean elements for N orbits at once.

Conventions
-----------
* Elements are **mean** elements referred to the true equator and mean equinox of date
  (the TEME frame, as SGP4 uses), so that the J2 axis is the Earth's rotation axis.
  :meth:`Orbit.propagate` returns GCRS states; :func:`sim.ground_track` goes to ITRS.
* Altitude, three named quantities (for a circular orbit; km):

  - ``altitude_km``: the mean semi-major axis minus the WGS84 equatorial radius
    (6378.137 km), the convention used for "ISS at ~415 km" and for every
    ``altitude_km`` input (``circular``, ``sun_synchronous``, scenarios, sweeps);
  - ``orbit_mean_altitude_km``: the time-average over one revolution of the osculating
    orbit's geocentric distance minus the equatorial radius -- what :mod:`sim.lifetime`
    and its reboost bands call the orbit-mean altitude (ISS 414.25, ROS 96.8 404.67);
  - ``mean_geodetic_altitude_km``: the time-average over one revolution of the height
    above the WGS84 ellipsoid of the osculating orbit -- what the atmosphere sees
    (ISS 420.83, ROS 96.8 415.23: a polar orbit spends half its time over the flattened
    high latitudes, where the surface is up to 21 km closer to the centre).

  ``Orbit.circular(..., altitude_kind="geodetic")`` holds the last one equal instead.
* Element sets from TLE/OMM keep their SGP4 record (``model="sgp4"`` uses it); their
  Brouwer mean semi-major axis (SGP4's un-Kozai'd mean motion) feeds the J2 model.
* Angles are stored in radians (``inc``, ``raan``, ``argp``, ``mean_anomaly``); the
  ``*_deg`` and ``*_km`` properties are for people.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from . import constants as C
from .errors import (
    ElementError,
    ModelError,
    SimError,
    TLEError,
    as_float,
    broadcast,
    check_choice,
    check_range,
    describe,
)
from .propagation.kepler import mean_to_true, rv2coe, true_to_mean
from .timeutil import offline_iers, seconds_between, to_time

if TYPE_CHECKING:
    from sgp4.api import Satrec

__all__ = [
    "Orbit",
    "DEFAULT_EPOCH",
    "period_s",
    "nodal_rate_deg_per_day",
    "apsidal_rate_deg_per_day",
    "sun_synchronous_inclination_deg",
    "verify_tle_checksum",
    "osculating_mean_altitudes_km",
    "ALTITUDE_KINDS",
    "MIN_ALTITUDE_KM",
    "check_orbit",
]

#: Default epoch for nominal (preset) orbits: ROS is planned from 2027.
DEFAULT_EPOCH = "2027-01-01T00:00:00"
_DEG = math.pi / 180.0
_MIN_PERIGEE_ALT_M = 0.0  # any orbit's perigee must be above the surface (element sets, states)
#: Lowest circular/sun-synchronous altitude and classical perigee of a user-built orbit, km
#: (:data:`sim.constants.MIN_ALTITUDE_KM`, shared with the scenario schema).
MIN_ALTITUDE_KM = C.MIN_ALTITUDE_KM


# ---------------------------------------------------------------- derived quantities (arrays)


def period_s(a_m: ArrayLike) -> np.ndarray:
    """Keplerian period, seconds, of semi-major axis ``a_m`` (metres)."""
    return 2.0 * np.pi * np.sqrt(np.asarray(a_m, dtype=float) ** 3 / C.MU_EARTH)


def nodal_rate_deg_per_day(a_m: ArrayLike, ecc: ArrayLike, inclination_deg: ArrayLike) -> np.ndarray:
    """Secular J2 nodal precession rate, deg/day (negative = westward regression)."""
    from .propagation.j2 import secular_rates

    return np.degrees(secular_rates(a_m, ecc, np.radians(inclination_deg))[0]) * C.DAY_S


def apsidal_rate_deg_per_day(a_m: ArrayLike, ecc: ArrayLike, inclination_deg: ArrayLike) -> np.ndarray:
    """Secular J2 rate of the argument of perigee, deg/day."""
    from .propagation.j2 import secular_rates

    return np.degrees(secular_rates(a_m, ecc, np.radians(inclination_deg))[1]) * C.DAY_S


def sun_synchronous_inclination_deg(altitude_km: ArrayLike, ecc: ArrayLike = 0.0) -> np.ndarray:
    """Inclination (deg) whose J2 nodal rate equals the mean Sun's motion (360 deg per tropical year)."""
    a = C.R_EARTH + np.asarray(altitude_km, dtype=float) * 1e3
    ecc = np.asarray(ecc, dtype=float)
    n = np.sqrt(C.MU_EARTH / a**3)
    p = a * (1.0 - ecc**2)
    cos_i = -C.SUN_MEAN_MOTION / (1.5 * C.J2 * (C.R_EARTH / p) ** 2 * n)
    if np.any(np.abs(cos_i) > 1):
        raise ElementError(
            f"no sun-synchronous inclination exists at altitude {altitude_km} km (altitudes up to ~5,970 km have one)"
        )
    return np.degrees(np.arccos(cos_i))


# ---------------------------------------------------------------- TLE helpers


def verify_tle_checksum(line: str, which: int) -> None:
    """Raise :class:`TLEError` if the modulo-10 checksum of a TLE line is wrong."""
    if len(line) < 69:
        raise TLEError(f"TLE line {which} must have 69 characters, got {len(line)}: {line!r}")
    total = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68])
    if not line[68].isdigit() or total % 10 != int(line[68]):
        raise TLEError(
            f"TLE line {which} checksum is {line[68]!r}, expected {total % 10} "
            f"(sum of digits, '-' counts 1, mod 10): {line!r}"
        )


def _gravity(name: str):
    from sgp4.api import WGS72, WGS84

    key = name.lower() if isinstance(name, str) else None
    if key not in ("wgs72", "wgs84"):
        raise ModelError(
            f"gravity must be 'wgs72' (the constants TLEs are fitted with) or 'wgs84', got {describe(name)}"
        )
    return {"wgs72": WGS72, "wgs84": WGS84}[key]


def _epoch_of_satrec(sat):
    from astropy.time import Time

    return Time(sat.jdsatepoch, sat.jdsatepochF, format="jd", scale="utc")


# ---------------------------------------------------------------- the Orbit


@dataclass(frozen=True, eq=False)
class Orbit:
    """N orbits, each an epoch and mean classical elements (TEME, radians, metres).

    Build with the constructors (:meth:`circular`, :meth:`from_classical`,
    :meth:`from_tle`, :meth:`from_omm`, :meth:`from_state`, :meth:`sun_synchronous`)
    rather than directly. Index (``orbit[0]``, ``orbit[1:3]``) and combine
    (:meth:`concat`) like arrays.
    """

    epoch: object  # astropy Time, shape (n,)
    a: np.ndarray
    ecc: np.ndarray
    inc: np.ndarray
    raan: np.ndarray
    argp: np.ndarray
    mean_anomaly: np.ndarray
    names: tuple = ()
    satrecs: tuple | None = None  # sgp4 Satrec per orbit (None entries: not from an element set)
    gravity: str = "wgs72"
    bstar: np.ndarray | None = field(default=None)
    #: Tabulated states per orbit (:class:`sim.propagation.tabulated.Ephemeris`, None entries:
    #: none), for ``model="ephemeris"``; set by :func:`sim.io.read_oem`.
    ephemerides: tuple | None = None

    def __post_init__(self):
        n = np.size(as_float(self.a, "a", finite=False))
        if n == 0:
            raise ElementError("an Orbit needs at least one orbit, got 0 elements")
        for name in ("a", "ecc", "inc", "raan", "argp", "mean_anomaly"):
            arr = np.atleast_1d(as_float(getattr(self, name), name, finite=False))
            if arr.ndim != 1 or arr.size not in (1, n):
                raise ElementError(f"{name} must have 1 or {n} values (one per orbit), got shape {arr.shape}")
            object.__setattr__(self, name, np.array(np.broadcast_to(arr, (n,))))
        ep = to_time(self.epoch, name="epoch")
        if len(ep) == 1 and n > 1:
            ep = ep[np.zeros(n, dtype=int)]
        if len(ep) != n:
            raise ElementError(f"epoch must have 1 or {n} values, got {len(ep)}")
        object.__setattr__(self, "epoch", ep)
        if not self.names:
            object.__setattr__(self, "names", tuple(f"orbit{i}" for i in range(n)))
        elif len(self.names) != n:
            raise ElementError(f"names must have {n} entries, got {len(self.names)}")
        else:
            object.__setattr__(self, "names", tuple(str(x) for x in self.names))
        # element sets keep SGP4's own checks (a decaying object's mean perigee may be
        # below the surface while its osculating orbit is not); user elements are checked here
        if self.satrecs is not None and len(self.satrecs) != n:
            raise ElementError(f"satrecs must have {n} entries, got {len(self.satrecs)}")
        if self.ephemerides is not None:
            from .propagation import tabulated  # registers model "ephemeris"

            if len(self.ephemerides) != n or not all(
                e is None or isinstance(e, tabulated.Ephemeris) for e in self.ephemerides
            ):
                raise ElementError(f"ephemerides must hold {n} entries, each an Ephemeris or None")
        user = np.array([True] * n) if self.satrecs is None else np.array([s is None for s in self.satrecs])
        _validate(self.a, self.ecc, self.inc, check_perigee=user)
        for name in ("raan", "argp", "mean_anomaly"):
            if not np.all(np.isfinite(getattr(self, name))):
                raise ElementError(f"{name} must be finite, got {describe(getattr(self, name))}")

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_classical(
        cls,
        semi_major_axis_km: ArrayLike,
        eccentricity: ArrayLike,
        inclination_deg: ArrayLike,
        raan_deg: ArrayLike = 0.0,
        argp_deg: ArrayLike = 0.0,
        mean_anomaly_deg: ArrayLike | None = None,
        *,
        true_anomaly_deg: ArrayLike | None = None,
        epoch: Any = DEFAULT_EPOCH,
        names: Sequence[str] | None = None,
    ) -> Orbit:
        """Orbits from classical mean elements (km, degrees; astropy Quantities accepted).

        Give either ``mean_anomaly_deg`` (default 0) or ``true_anomaly_deg``. The perigee
        (``a (1 - e)`` minus 6378.137 km) must be above :data:`MIN_ALTITUDE_KM`.
        ``epoch``: anything :func:`sim.timeutil.to_time` accepts (one time, or one per orbit).
        """
        orb = cls._classical(
            semi_major_axis_km,
            eccentricity,
            inclination_deg,
            raan_deg,
            argp_deg,
            mean_anomaly_deg,
            true_anomaly_deg=true_anomaly_deg,
            epoch=epoch,
            names=names,
        )
        _check_min_altitude(
            "perigee altitude (semi_major_axis_km * (1 - eccentricity) - 6378.137 km)", orb.perigee_altitude_km
        )
        return orb

    @classmethod
    def _classical(
        cls,
        semi_major_axis_km,
        eccentricity,
        inclination_deg,
        raan_deg=0.0,
        argp_deg=0.0,
        mean_anomaly_deg=None,
        *,
        true_anomaly_deg=None,
        epoch=DEFAULT_EPOCH,
        names: Sequence[str] | None = None,
    ) -> Orbit:
        """:meth:`from_classical` without the minimum-altitude rule (which the callers apply)."""
        a = as_float(semi_major_axis_km, "semi_major_axis_km", "km") * 1e3
        e = as_float(eccentricity, "eccentricity")
        inc = as_float(inclination_deg, "inclination_deg", "deg")
        raan = as_float(raan_deg, "raan_deg", "deg")
        argp = as_float(argp_deg, "argp_deg", "deg")
        check_range("eccentricity", e, 0.0, 1.0, high_open=True)
        check_range("inclination_deg", inc, 0.0, 180.0, unit="deg")
        if true_anomaly_deg is not None:
            if mean_anomaly_deg is not None:
                raise ElementError("give mean_anomaly_deg or true_anomaly_deg, not both")
            anomaly, anomaly_name = as_float(true_anomaly_deg, "true_anomaly_deg", "deg"), "true_anomaly_deg"
        else:
            anomaly = as_float(0.0 if mean_anomaly_deg is None else mean_anomaly_deg, "mean_anomaly_deg", "deg")
            anomaly_name = "mean_anomaly_deg"
        a, e, inc, raan, argp, anomaly = broadcast(
            **{
                "semi_major_axis_km": a,
                "eccentricity": e,
                "inclination_deg": inc,
                "raan_deg": raan,
                "argp_deg": argp,
                anomaly_name: anomaly,
            }
        )
        if a.ndim > 1:
            raise ElementError(f"orbital elements must be numbers or 1-D arrays, got shape {a.shape}")
        M = true_to_mean(np.radians(anomaly), e) if true_anomaly_deg is not None else np.radians(anomaly)
        names = _names(names)
        return cls(
            epoch=epoch,
            a=a,
            ecc=e,
            inc=np.radians(inc),
            raan=np.radians(raan) % (2 * np.pi),
            argp=np.radians(argp) % (2 * np.pi),
            mean_anomaly=np.remainder(M, 2 * np.pi),
            names=names,
        )

    @classmethod
    def circular(
        cls,
        altitude_km: ArrayLike,
        inclination_deg: ArrayLike,
        raan_deg: ArrayLike = 0.0,
        arglat_deg: ArrayLike = 0.0,
        *,
        epoch: Any = DEFAULT_EPOCH,
        names: Sequence[str] | None = None,
        altitude_kind: str = "mean",
    ) -> Orbit:
        """Circular (mean e = 0) orbits; arrays broadcast.

        ``altitude_kind="mean"`` (default): ``altitude_km`` is the mean semi-major axis
        minus the equatorial radius (:attr:`altitude_km`). ``"geodetic"``: ``altitude_km``
        is the orbit-averaged geodetic altitude (:attr:`mean_geodetic_altitude_km`); the
        semi-major axis is solved for (to 1e-4 km). ``altitude_km`` must be above
        :data:`MIN_ALTITUDE_KM` (100 km). ``epoch``: anything :func:`sim.timeutil.to_time` accepts.
        """
        alt = as_float(altitude_km, "altitude_km", "km")
        check_range("altitude_km", alt, MIN_ALTITUDE_KM, 1e6, low_open=True, unit="km")
        kind = _altitude_kind(altitude_kind)
        inc = as_float(inclination_deg, "inclination_deg", "deg")
        raan = as_float(raan_deg, "raan_deg", "deg")
        arglat = as_float(arglat_deg, "arglat_deg", "deg")
        broadcast(altitude_km=alt, inclination_deg=inc, raan_deg=raan, arglat_deg=arglat)

        def build(mean_alt):
            return cls._classical(C.R_EARTH / 1e3 + mean_alt, 0.0, inc, raan, 0.0, arglat, epoch=epoch, names=names)

        return build(alt) if kind == "mean" else _solve_geodetic(build, alt)

    @classmethod
    def sun_synchronous(
        cls,
        altitude_km: ArrayLike,
        ltan_hours: ArrayLike,
        *,
        epoch: Any = DEFAULT_EPOCH,
        arglat_deg: ArrayLike = 0.0,
        names: Sequence[str] | None = None,
        altitude_kind: str = "mean",
    ) -> Orbit:
        """Circular sun-synchronous orbits with the given local (mean solar) time of ascending node.

        The inclination solves the J2 secular condition (node precesses 360 deg per
        tropical year); the RAAN places the ascending node at ``ltan_hours`` local mean
        solar time at the epoch: ``RAAN = GMST + 15 deg/h * (LTAN - UT1 hours)``.
        ``altitude_kind``: "mean" (default) or "geodetic", as in :meth:`circular`.
        ``epoch``: anything :func:`sim.timeutil.to_time` accepts.
        """
        alt = as_float(altitude_km, "altitude_km", "km")
        ltan = as_float(ltan_hours, "ltan_hours", "h")
        arglat = as_float(arglat_deg, "arglat_deg", "deg")
        check_range("ltan_hours", ltan, 0.0, 24.0, high_open=True, unit="h")
        check_range("altitude_km", alt, MIN_ALTITUDE_KM, 1e6, low_open=True, unit="km")
        alt, ltan, arglat = broadcast(altitude_km=alt, ltan_hours=ltan, arglat_deg=arglat)
        return cls._sun_synchronous(alt, ltan, arglat, epoch, names, _altitude_kind(altitude_kind))

    @classmethod
    def _sun_synchronous(cls, alt, ltan, arglat, epoch, names, kind: str) -> Orbit:
        """:meth:`sun_synchronous` on checked arrays (the mean altitude may dip under the minimum
        while solving for a geodetic one)."""
        from .frames import gmst82

        if kind == "geodetic":
            return _solve_geodetic(lambda h: cls._sun_synchronous(h, ltan, arglat, epoch, names, "mean"), alt)
        inc = sun_synchronous_inclination_deg(alt)
        ep = to_time(epoch, name="epoch")
        ltan, gmst, ut1 = broadcast(ltan_hours=ltan, epoch=gmst82(ep), ut1=_ut1_hours(ep))
        raan = np.degrees(gmst) + 15.0 * (ltan - ut1)
        return cls._classical(C.R_EARTH / 1e3 + alt, 0.0, inc, raan % 360.0, 0.0, arglat, epoch=epoch, names=names)

    @classmethod
    def from_state(
        cls,
        r: ArrayLike,
        v: ArrayLike,
        epoch: Any,
        *,
        frame: str = "GCRS",
        to_mean: bool = True,
        names: Sequence[str] | None = None,
    ) -> Orbit:
        """Orbits from position (m) and velocity (m/s) vectors, shape (3,) or (n, 3).

        ``epoch``: anything :func:`sim.timeutil.to_time` accepts (one time, or one per state).

        ``frame`` is "GCRS" (default), "TEME" or "ITRS". The state is osculating; with
        ``to_mean=True`` (default) the first-order J2 short-period term of the
        semi-major axis is removed (Kozai/Lyddane:
        ``da = J2 Re^2/a [ (3cos^2 i - 1)/2 ((a/r)^3 - (1-e^2)^-3/2) + 3/2 sin^2 i (a/r)^3 cos 2u ]``,
        up to ~6 km in LEO), so the mean motion of the J2 model matches the true
        motion: without it a LEO state drifts ~870 km along track per day; with it the
        J2 model follows a J2 numerical integration within ~13 km over a day (the
        remaining short-period terms; ``tests/test_j2.py``). ``to_mean=False`` keeps the
        osculating elements (exact two-body round trip with ``model="kepler"``).
        """
        from .frames import FRAMES, convert

        frame = check_choice("frame", frame, FRAMES, upper=True)
        r = np.atleast_2d(as_float(r, "r", "m"))
        v = np.atleast_2d(as_float(v, "v", "m/s"))
        if r.shape != v.shape or r.shape[-1] != 3 or r.ndim != 2 or len(r) == 0:
            raise ElementError(f"r and v must both be shaped (3,) or (n, 3), got {r.shape} and {v.shape}")
        ep = to_time(epoch, name="epoch")
        if len(ep) == 1 and len(r) > 1:
            ep = ep[np.zeros(len(r), dtype=int)]
        if len(ep) != len(r):
            raise ElementError(f"epoch must have 1 or {len(r)} values, got {len(ep)}")
        # each state at its own epoch: convert state k at time k (diagonal of the batch)
        r_t, v_t = convert(r[:, None, :], v[:, None, :], ep, frame, "TEME")
        idx = np.arange(len(r))
        r_t, v_t = r_t[idx, idx], v_t[idx, idx]
        _check_bound_state(r_t, v_t)
        a, e, inc, raan, argp, nu = rv2coe(r_t, v_t)
        if np.any(e >= 1.0):
            raise ElementError(
                f"state vectors must describe bound orbits (eccentricity < 1), got e={e[e >= 1][:3].tolist()}"
            )
        if to_mean:
            a = a - _short_period_da(a, e, inc, argp + nu, np.linalg.norm(r_t, axis=-1))
        return cls(
            epoch=ep,
            a=a,
            ecc=e,
            inc=inc,
            raan=raan,
            argp=argp,
            mean_anomaly=true_to_mean(nu, e),
            names=_names(names),
        )

    @classmethod
    def from_tle(cls, line1: str, line2: str, *, name: str | None = None, gravity: str = "wgs72") -> Orbit:
        """One orbit from a two-line element set (checksums verified)."""
        for label, line in (("line1", line1), ("line2", line2)):
            if not isinstance(line, str):
                raise TLEError(f"{label} must be a TLE line (str of 69 characters), got {describe(line)}")
        return cls.from_tles([(line1, line2)], names=[name] if name else None, gravity=gravity)

    @classmethod
    def from_tles(
        cls,
        pairs: Iterable[Sequence[str]],
        *,
        names: Sequence[str] | None = None,
        gravity: str = "wgs72",
        strict: bool = True,
    ) -> Orbit:
        """Orbits from a sequence of ``(line1, line2)`` pairs.

        ``strict=False`` accepts lines whose checksum is wrong and element sets SGP4
        flags at their epoch (as in Vallado's verification file); such orbits give NaN
        states where SGP4 fails. Keep the default for real data.
        """
        from sgp4.api import Satrec

        grav = _gravity(gravity)
        if isinstance(pairs, (str, bytes, dict)) or not hasattr(pairs, "__iter__"):
            raise TLEError(f"pairs must be a sequence of (line1, line2) pairs, got {describe(pairs)}")
        sats = []
        for k, pair in enumerate(pairs):
            if (
                isinstance(pair, (str, bytes, dict))
                or not hasattr(pair, "__len__")
                or len(pair) != 2
                or not all(isinstance(x, str) for x in pair)
            ):
                raise TLEError(f"element set {k}: must be a pair of TLE lines (str, str), got {describe(pair)}")
            l1, l2 = pair[0].rstrip(), pair[1].rstrip()
            if not l1.startswith("1 ") or not l2.startswith("2 "):
                raise TLEError(f"element set {k}: line 1 must start with '1 ' and line 2 with '2 '")
            if strict:
                verify_tle_checksum(l1, 1)
                verify_tle_checksum(l2, 2)
            if l1[2:7] != l2[2:7]:
                raise TLEError(f"element set {k}: catalogue numbers differ between lines ({l1[2:7]!r} vs {l2[2:7]!r})")
            sat = Satrec.twoline2rv(l1, l2, grav)
            if sat.error and strict:
                raise TLEError(f"element set {k}: SGP4 rejected it (error code {sat.error})")
            sats.append(sat)
        if not sats:
            raise TLEError("pairs: no element sets")
        if names is None:
            names = [f"{s.satnum}" for s in sats]
        return cls._from_satrecs(sats, _names(names), gravity)

    @classmethod
    def from_omm(cls, record: str | dict[str, Any] | Sequence[dict[str, Any]], *, gravity: str = "wgs72") -> Orbit:
        """Orbits from CelesTrak OMM JSON: one record (dict), a list of them, or a JSON string."""
        import json

        from sgp4 import omm
        from sgp4.api import Satrec

        if isinstance(record, str):
            try:
                record = json.loads(record)
            except json.JSONDecodeError as exc:
                raise TLEError(f"OMM: not valid JSON: {exc}") from None
        if isinstance(record, dict):
            records = [record]
        elif isinstance(record, (list, tuple)):
            records = list(record)
        else:
            raise TLEError(f"OMM must be a record (dict), a list of records or a JSON string, got {describe(record)}")
        if not records:
            raise TLEError("OMM: no records")
        grav = _gravity(gravity)
        sats, names = [], []
        required = (
            "EPOCH",
            "MEAN_MOTION",
            "ECCENTRICITY",
            "INCLINATION",
            "RA_OF_ASC_NODE",
            "ARG_OF_PERICENTER",
            "MEAN_ANOMALY",
            "NORAD_CAT_ID",
            "BSTAR",
        )
        for k, rec in enumerate(records):
            if not isinstance(rec, dict):
                raise TLEError(f"OMM record {k}: must be a JSON object, got {type(rec).__name__}")
            missing = [f for f in required if f not in rec]
            if missing:
                raise TLEError(
                    f"OMM record {k}: missing field(s) {', '.join(missing)} (required: {', '.join(required)})"
                )
            for key in required[1:]:
                try:
                    ok = math.isfinite(float(rec[key])) and not isinstance(rec[key], bool)
                except (TypeError, ValueError):
                    ok = False
                if not ok:
                    raise TLEError(f"OMM record {k}: {key} must be a finite number, got {describe(rec[key])}")
            fields = {key: str(val) for key, val in rec.items()}
            # the international designator only labels the record (SGP4 does not use it)
            fields.setdefault("OBJECT_ID", "")
            fields.setdefault("MEAN_MOTION_DOT", "0")
            fields.setdefault("MEAN_MOTION_DDOT", "0")
            fields.setdefault("CLASSIFICATION_TYPE", "U")
            fields.setdefault("ELEMENT_SET_NO", "999")
            fields.setdefault("REV_AT_EPOCH", "0")
            fields.setdefault("EPHEMERIS_TYPE", "0")
            sat = Satrec()
            try:
                omm.initialize(sat, fields)
            except KeyError as exc:
                raise TLEError(f"OMM record {k}: missing field {exc.args[0]!r}") from None
            except ValueError:
                raise TLEError(
                    f"OMM record {k}: EPOCH must look like 2025-08-10T12:00:00.000000 (UTC), got "
                    f"{describe(rec['EPOCH'])}, or an optional field is not a number"
                ) from None
            if grav != _gravity("wgs72"):
                sat = _reinit(sat, grav)
            if sat.error:
                raise TLEError(f"OMM record {k}: SGP4 rejected it (error code {sat.error})")
            sats.append(sat)
            names.append(str(rec.get("OBJECT_NAME", rec["NORAD_CAT_ID"])))
        for s in sats:  # the one time rule (years MIN_YEAR..MAX_YEAR) for element-set epochs too
            to_time(_epoch_of_satrec(s), name="OMM EPOCH")
        return cls._from_satrecs(sats, names, gravity)

    @classmethod
    def _from_satrecs(cls, sats, names, gravity) -> Orbit:
        from astropy.time import Time

        epoch = Time([s.jdsatepoch for s in sats], [s.jdsatepochF for s in sats], format="jd", scale="utc")
        # Brouwer mean semi-major axis from SGP4's un-Kozai'd mean motion (Satrec.a, Earth radii)
        a = np.array([s.a * s.radiusearthkm * 1e3 for s in sats])
        ecc = np.array([s.ecco for s in sats])
        return cls(
            epoch=epoch,
            a=a,
            ecc=ecc,
            inc=np.array([s.inclo for s in sats]),
            raan=np.array([s.nodeo for s in sats]),
            argp=np.array([s.argpo for s in sats]),
            mean_anomaly=np.array([s.mo for s in sats]),
            names=tuple(names),
            satrecs=tuple(sats),
            gravity=gravity,
            bstar=np.array([s.bstar for s in sats]),
        )

    @classmethod
    def concat(cls, orbits: Sequence[Orbit]) -> Orbit:
        """One batched Orbit holding all orbits of ``orbits`` in order."""
        from astropy.time import Time

        if isinstance(orbits, Orbit) or not hasattr(orbits, "__iter__"):
            raise ElementError(f"orbits must be a sequence of Orbit, got {describe(orbits)}")
        orbits = list(orbits)
        if not orbits:
            raise ElementError("concat needs at least one Orbit")
        if not all(isinstance(o, Orbit) for o in orbits):
            bad = next(o for o in orbits if not isinstance(o, Orbit))
            raise ElementError(f"orbits must be a sequence of Orbit, got an item {describe(bad)}")
        has_sat = any(o.satrecs is not None for o in orbits)
        gravity = {o.gravity for o in orbits}
        bst = [o.bstar if o.bstar is not None else np.zeros(len(o)) for o in orbits]
        return cls(
            epoch=Time([t for o in orbits for t in o.epoch]),
            **{
                k: np.concatenate([getattr(o, k) for o in orbits])
                for k in ("a", "ecc", "inc", "raan", "argp", "mean_anomaly")
            },
            names=tuple(n for o in orbits for n in o.names),
            satrecs=tuple(s for o in orbits for s in (o.satrecs or (None,) * len(o))) if has_sat else None,
            gravity=gravity.pop() if len(gravity) == 1 else "wgs72",
            bstar=np.concatenate(bst),
            ephemerides=tuple(e for o in orbits for e in (o.ephemerides or (None,) * len(o)))
            if any(o.ephemerides is not None for o in orbits)
            else None,
        )

    # ------------------------------------------------------------ batch behaviour
    def __len__(self) -> int:
        return self.a.shape[0]

    def __getitem__(self, index) -> Orbit:
        ok = isinstance(index, (int, np.integer, slice, list, np.ndarray)) and not isinstance(index, bool)
        try:
            idx = np.atleast_1d(np.arange(len(self))[index]) if ok else None
        except IndexError:
            idx = None
        if idx is None or idx.ndim != 1 or idx.size == 0:
            raise ElementError(
                f"orbit index must be an integer in [-{len(self)}, {len(self)}), a slice or an integer/boolean array "
                f"selecting at least one of the {len(self)} orbits, got {describe(index)}"
            )
        return replace(
            self,
            epoch=self.epoch[idx],
            a=self.a[idx],
            ecc=self.ecc[idx],
            inc=self.inc[idx],
            raan=self.raan[idx],
            argp=self.argp[idx],
            mean_anomaly=self.mean_anomaly[idx],
            names=tuple(self.names[i] for i in idx),
            satrecs=None if self.satrecs is None else tuple(self.satrecs[i] for i in idx),
            bstar=None if self.bstar is None else self.bstar[idx],
            ephemerides=None if self.ephemerides is None else tuple(self.ephemerides[i] for i in idx),
        )

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def with_names(self, names: Sequence[str]) -> Orbit:
        return replace(self, names=tuple(names))

    def __repr__(self) -> str:
        rows = ", ".join(
            f"{n}: {h:.1f} km x {i:.2f} deg"
            for n, h, i in zip(self.names[:4], self.altitude_km[:4], self.inclination_deg[:4])
        )
        more = f", ... ({len(self)} orbits)" if len(self) > 4 else ""
        return f"Orbit({rows}{more})"

    # ------------------------------------------------------------ derived quantities
    @property
    def semi_major_axis_km(self) -> np.ndarray:
        return self.a / 1e3

    @property
    def altitude_km(self) -> np.ndarray:
        """Mean altitude: semi-major axis minus the WGS84 equatorial radius, km."""
        return (self.a - C.R_EARTH) / 1e3

    @property
    def orbit_mean_altitude_km(self) -> np.ndarray:
        """Orbit-mean altitude, km: time-average over one revolution of the osculating geocentric
        distance minus the WGS84 equatorial radius (the altitude :mod:`sim.lifetime` reports and
        holds in a reboost band). See :func:`osculating_mean_altitudes_km`."""
        return osculating_mean_altitudes_km(self)[0]

    @property
    def mean_geodetic_altitude_km(self) -> np.ndarray:
        """Orbit-averaged geodetic altitude, km: time-average over one revolution of the height
        above the WGS84 ellipsoid of the osculating orbit. See :func:`osculating_mean_altitudes_km`."""
        return osculating_mean_altitudes_km(self)[1]

    @property
    def perigee_altitude_km(self) -> np.ndarray:
        return (self.a * (1 - self.ecc) - C.R_EARTH) / 1e3

    @property
    def apogee_altitude_km(self) -> np.ndarray:
        return (self.a * (1 + self.ecc) - C.R_EARTH) / 1e3

    @property
    def inclination_deg(self) -> np.ndarray:
        return np.degrees(self.inc)

    @property
    def raan_deg(self) -> np.ndarray:
        return np.degrees(self.raan)

    @property
    def argp_deg(self) -> np.ndarray:
        return np.degrees(self.argp)

    @property
    def mean_anomaly_deg(self) -> np.ndarray:
        return np.degrees(self.mean_anomaly)

    @property
    def true_anomaly_deg(self) -> np.ndarray:
        return np.degrees(mean_to_true(self.mean_anomaly, self.ecc)) % 360.0

    @property
    def period_s(self) -> np.ndarray:
        """Keplerian period of the mean semi-major axis, s."""
        return period_s(self.a)

    @property
    def nodal_period_s(self) -> np.ndarray:
        """Node-to-node (draconitic) period including J2 secular rates, s."""
        from .propagation.j2 import secular_rates

        _, wdot, n = secular_rates(self.a, self.ecc, self.inc)
        return 2.0 * np.pi / (n + wdot)

    @property
    def nodal_rate_deg_per_day(self) -> np.ndarray:
        return nodal_rate_deg_per_day(self.a, self.ecc, self.inclination_deg)

    @property
    def apsidal_rate_deg_per_day(self) -> np.ndarray:
        return apsidal_rate_deg_per_day(self.a, self.ecc, self.inclination_deg)

    @property
    def revs_per_day(self) -> np.ndarray:
        return C.DAY_S / self.nodal_period_s

    # ------------------------------------------------------------ propagation
    @property
    def plane_normals(self) -> np.ndarray:
        """Unit normals of the mean orbit planes at the epochs (TEME), (n_orbits, 3)."""
        si = np.sin(self.inc)
        return np.stack([si * np.sin(self.raan), -si * np.cos(self.raan), np.cos(self.inc)], axis=-1)

    def same_plane_pairs(self, tolerance_deg: float = 0.1) -> list[tuple[str, str]]:
        """Pairs ``(earlier, later)`` of names whose mean planes at the epoch are within ``tolerance_deg``
        (the angle between the orbit normals)."""
        n = self.plane_normals
        angle = np.degrees(np.arccos(np.clip(n @ n.T, -1.0, 1.0)))
        i, j = np.nonzero(np.triu(angle <= tolerance_deg, k=1))
        return [(self.names[a], self.names[b]) for a, b in zip(i.tolist(), j.tolist())]

    def mean_ltan_hours(self, times: Any) -> np.ndarray:
        """Local mean solar time of the ascending node (h, 0-24), (n_orbits, n_times).

        ``times``: anything :func:`sim.timeutil.to_time` accepts.

        ``UT1 + (RAAN - GMST)/15`` with the J2 secular node: the convention of
        :meth:`sun_synchronous`, whose inverse this is (the one definition of mean LTAN;
        :func:`sim.environment.ltan_hours` adds the apparent-Sun variant).
        """
        from .frames import gmst82
        from .propagation.j2 import secular_rates

        t = to_time(times)
        dt = self.seconds_since_epoch(t)
        raan = self.raan[:, None] + np.asarray(secular_rates(self.a, self.ecc, self.inc)[0])[:, None] * dt
        h = _ut1_hours(t)[None, :] + np.degrees(raan - gmst82(t)[None, :]) / 15.0
        return h % 24.0

    def seconds_since_epoch(self, times: Any) -> np.ndarray:
        """(n_orbits, n_times) seconds from each orbit's epoch to ``times`` (anything
        :func:`sim.timeutil.to_time` accepts)."""
        t = to_time(times)
        return seconds_between(self.epoch[:, None], t[None, :])

    def check_model(self, model: Any) -> str:
        """``model`` if these orbits can be propagated with it, else a :class:`ModelError`.

        A name of :func:`sim.propagation.models`; an orbit read from an ephemeris file
        (:func:`sim.io.read_oem`) takes only "ephemeris": its elements are fitted to its first
        state (tens of km off for an OEM of a secular model), so propagating them would silently
        replace the file's trajectory with an approximation.
        """
        check_choice("model", model)
        if model != "ephemeris" and self.ephemerides is not None and any(e is not None for e in self.ephemerides):
            raise ModelError(
                f"model={model!r}: this orbit is a tabulated ephemeris (sim.io.read_oem); pass model='ephemeris' "
                "to use the file's states"
            )
        return model

    def propagate(
        self, times: Any, model: str = "j2", *, frame: str = "GCRS", **options: Any
    ) -> tuple[np.ndarray, np.ndarray]:
        """Positions (m) and velocities (m/s), each shaped (n_orbits, n_times, 3).

        ``model``: "kepler", "j2" (default; analytic secular J2), "sgp4" (the element
        set through the sgp4 package; orbits without one get an SGP4 record built from
        their mean elements with B* = 0), or any model registered in
        :mod:`sim.propagation`. ``frame``: "GCRS" (default), "TEME" or "ITRS".
        ``times``: anything :func:`sim.timeutil.to_time` accepts.
        """
        from .frames import FRAMES, convert
        from .propagation import propagate_native

        self.check_model(model)
        check_choice("frame", frame, FRAMES, upper=True)
        t = to_time(times)
        r, v, native = propagate_native(self, t, model, **options)
        return convert(r, v, t, native, frame)

    def state_at_epoch(self, *, osculating: bool = True, frame: str = "GCRS") -> tuple[np.ndarray, np.ndarray]:
        """Position (m) and velocity (m/s) of each orbit at its own epoch, shape (n, 3).

        ``osculating=True`` adds back the first-order J2 short-period part of the
        semi-major axis (the inverse of :meth:`from_state`'s ``to_mean``), so that a
        numerical propagator started from this state follows the J2 model's mean
        motion; ``False`` gives the two-body state of the mean elements.
        """
        from .frames import convert
        from .propagation.kepler import coe2rv

        nu = mean_to_true(self.mean_anomaly, self.ecc)
        a = self.a.copy()
        if osculating:  # fixed point: a_osc = a_mean + da(a_osc, r(a_osc)); converges in a few steps
            for _ in range(6):
                r = a * (1.0 - self.ecc**2) / (1.0 + self.ecc * np.cos(nu))
                a = self.a + _short_period_da(a, self.ecc, self.inc, self.argp + nu, r)
        r, v = coe2rv(a, self.ecc, self.inc, self.raan, self.argp, nu)
        r_f, v_f = convert(r[:, None, :], v[:, None, :], self.epoch, "TEME", frame)
        idx = np.arange(len(self))
        return r_f[idx, idx], v_f[idx, idx]

    def to_sgp4_satrecs(self, gravity: str | None = None) -> tuple[Satrec, ...]:
        """SGP4 records for each orbit (the original ones for TLE/OMM orbits)."""
        grav = self.gravity if gravity is None else check_choice("gravity", gravity, ("wgs72", "wgs84"))
        own = self.satrecs if (self.satrecs is not None and grav == self.gravity) else (None,) * len(self)
        return tuple(s if s is not None else _satrec_from_mean(self[i], _gravity(grav)) for i, s in enumerate(own))

    # ------------------------------------------------------------ interop
    def to_boinor(self, index: int = 0, *, osculating: bool = True) -> Any:
        """The ``index``-th orbit as a boinor (poliastro API) ``Orbit`` at its epoch (GCRS).

        ``osculating=True`` (default) gives the state with the J2 short-period part of the
        semi-major axis restored (:meth:`state_at_epoch`), so a boinor Cowell + J2
        propagation follows sim's J2 model and ``Orbit.from_boinor(o.to_boinor())``
        returns ``o``; ``False`` gives the two-body state of the mean elements (pair it
        with ``from_boinor(..., to_mean=False)``). See :mod:`sim.interop`.
        """
        from .interop import boinor_orbit

        one = self[index]
        r, v = one.state_at_epoch(osculating=osculating)
        return boinor_orbit(r[0], v[0], one.epoch[0])

    @classmethod
    def from_boinor(cls, orb: Any, name: str | None = None, *, to_mean: bool = True) -> Orbit:
        """A sim Orbit from an Earth-centred boinor (poliastro API) ``Orbit``.

        The boinor state is osculating; ``to_mean`` is passed to :meth:`from_state`
        (True: remove the J2 short-period part of a, right for J2 propagation; False:
        keep the osculating elements, an exact round trip of :meth:`to_boinor`).
        """
        from .interop import boinor_state

        r, v, epoch = boinor_state(orb)
        return cls.from_state(r, v, epoch, frame="GCRS", to_mean=to_mean, names=[name] if name else None)


# ---------------------------------------------------------------- altitude conventions

#: Samples per revolution for the orbit averages (uniform in time: the mean of a smooth
#: periodic function converges exponentially; 90 and 360 samples agree to 1e-9 km).
_ALTITUDE_SAMPLES = 180
#: What an ``altitude_km`` input may mean (``Orbit.circular(..., altitude_kind=...)``).
ALTITUDE_KINDS = ("mean", "geodetic")


def osculating_mean_altitudes_km(orbit: Orbit) -> tuple[np.ndarray, np.ndarray]:
    """(orbit-mean, orbit-averaged geodetic) altitude of each orbit, km, shapes (n,).

    The osculating orbit is SGP4's (the ``sgp4`` package: Brouwer mean elements with the J2
    short-period terms restored; an orbit without an element set gets an SGP4 record built
    from its mean elements with B* = 0, the state the Cowell propagator starts from),
    sampled uniformly over one nodal period from the epoch. Orbit-mean altitude: mean of
    ``|r| - 6378.137 km``. Geodetic: mean of the WGS84 height (:func:`sim.frames.itrs_to_geodetic`
    applied to the TEME position: the height depends only on the distance from the rotation
    axis and the position along it, which TEME and ITRS share up to polar motion, < 0.1 m
    here). A numerical (Cowell, J2-J6, no drag) integration over the first revolution gives
    both within 0.01 km (``tests/test_altitude.py``). NaN for an orbit SGP4 cannot propagate.
    """
    from .frames import itrs_to_geodetic

    frac = np.arange(_ALTITUDE_SAMPLES) / _ALTITUDE_SAMPLES
    geoc = np.full(len(orbit), np.nan)
    geod = np.full(len(orbit), np.nan)
    for k, sat in enumerate(orbit.to_sgp4_satrecs()):
        days = float(orbit.nodal_period_s[k]) * frac / C.DAY_S
        err, r, _ = sat.sgp4_array(np.full(days.shape, sat.jdsatepoch), sat.jdsatepochF + days)
        ok = err == 0
        if not np.any(ok):
            continue
        r = r[ok] * 1e3
        geoc[k] = (np.mean(np.linalg.norm(r, axis=-1)) - C.R_EARTH) / 1e3
        geod[k] = np.mean(itrs_to_geodetic(r)[2]) / 1e3
    return geoc, geod


def _altitude_kind(kind: str) -> str:
    if not isinstance(kind, str) or kind not in ALTITUDE_KINDS:
        raise ElementError(f"altitude_kind must be one of {', '.join(map(repr, ALTITUDE_KINDS))}, got {describe(kind)}")
    return kind


def _solve_geodetic(build, geodetic_km) -> Orbit:
    """The orbit ``build(mean_altitude_km)`` whose orbit-averaged geodetic altitude is ``geodetic_km``.

    Fixed point on the mean altitude (d geodetic / d mean = 1 within 0.5 %): converges to
    1e-4 km in two or three steps.
    """
    orb = build(geodetic_km)
    target = np.broadcast_to(np.asarray(geodetic_km, dtype=float).ravel(), (len(orb),))
    mean = target.copy()
    for _ in range(8):
        diff = target - orb.mean_geodetic_altitude_km
        if not np.all(np.isfinite(diff)):
            raise ElementError(
                f"altitude_km: no orbit here has an orbit-averaged geodetic altitude of "
                f"{geodetic_km} km (SGP4 cannot propagate it)"
            )
        if np.all(np.abs(diff) < 1e-4):
            break
        mean = mean + diff
        orb = build(mean)
    return orb


# ---------------------------------------------------------------- helpers


def check_orbit(orbit: Any, name: str = "orbit", *, error: type[SimError] = ElementError) -> Orbit:
    """``orbit`` if it is a non-empty :class:`Orbit`, else ``error`` naming ``name``: the one orbit
    check of the analyses' public functions."""
    if not isinstance(orbit, Orbit):
        raise error(f"{name} must be a sim.Orbit (e.g. sim.presets.get('iss')), got {describe(orbit)}")
    return orbit


def _names(names) -> tuple:
    """``names`` as a tuple of str (or ``()``), refusing a bare string or a non-sequence."""
    if names is None:
        return ()
    if isinstance(names, (str, bytes)) or not hasattr(names, "__iter__"):
        raise ElementError(f"names must be a sequence of str (one per orbit), got {describe(names)}")
    return tuple(names)


def _check_min_altitude(what: str, altitude_km) -> None:
    """The one minimum-altitude rule of user-built orbits (:data:`MIN_ALTITUDE_KM`)."""
    low = np.asarray(altitude_km, dtype=float)
    if np.any(low <= MIN_ALTITUDE_KM):
        raise ElementError(
            f"{what} must be above {MIN_ALTITUDE_KM:g} km, "
            f"got {np.round(low[low <= MIN_ALTITUDE_KM], 3)[:3].tolist()} km"
        )


def _check_bound_state(r, v) -> None:
    """Refuse radial (zero angular momentum) and unbound (parabolic/hyperbolic) states, (n, 3) each."""
    rn = np.linalg.norm(r, axis=-1)
    vn = np.linalg.norm(v, axis=-1)
    if np.any(rn <= 0):
        raise ElementError("r must not be the zero vector (the Earth's centre)")
    h = np.linalg.norm(np.cross(r, v), axis=-1)
    radial = h <= 1e-9 * rn * np.maximum(vn, 1e-300)
    if np.any(radial):
        k = int(np.argmax(radial))
        raise ElementError(
            f"r and v of state {k} are parallel or v is zero (zero angular momentum): a radial "
            "trajectory is not an orbit; give a velocity with a component across r"
        )
    energy = 0.5 * vn**2 - C.MU_EARTH / rn
    if np.any(energy >= 0):
        k = int(np.argmax(energy >= 0))
        raise ElementError(
            f"v of state {k} is {vn[k]:.1f} m/s, at or above the escape speed {np.sqrt(2 * C.MU_EARTH / rn[k]):.1f} "
            "m/s at |r|: a parabolic or hyperbolic trajectory is not a bound orbit"
        )


def _ut1_hours(t) -> np.ndarray:
    """UT1 hour of day (0-24) of astropy times."""
    with offline_iers():
        ut1 = t.ut1
    return np.atleast_1d(((np.asarray(ut1.jd1) - 0.5) % 1.0 + np.asarray(ut1.jd2)) % 1.0 * 24.0)


def _validate(a, ecc, inc, check_perigee=True) -> None:
    check_range("eccentricity", ecc, 0.0, 1.0, high_open=True)
    check_range("inclination_deg", np.degrees(inc), 0.0, 180.0, unit="deg")
    if np.any(~np.isfinite(a)) or np.any(a <= 0):
        raise ElementError(f"semi_major_axis must be positive and finite, got {a[~(a > 0)][:3].tolist()} m")
    perigee_km = (a * (1 - ecc) - C.R_EARTH) / 1e3
    bad = np.asarray(check_perigee) & (perigee_km <= _MIN_PERIGEE_ALT_M / 1e3)
    if np.any(bad):
        raise ElementError(
            f"perigee altitude must be above the surface (> 0 km above {C.R_EARTH / 1e3} km), "
            f"got {perigee_km[bad].round(3)[:3].tolist()} km"
        )


def _short_period_da(a, e, inc, arglat, r):
    """First-order J2 short-period part of the osculating semi-major axis, m (Kozai 1959; Lyddane 1963)."""
    ar3 = (a / r) ** 3
    return (C.J2 * C.R_EARTH**2 / a) * (
        (3.0 * np.cos(inc) ** 2 - 1.0) / 2.0 * (ar3 - (1.0 - e * e) ** -1.5)
        + 1.5 * np.sin(inc) ** 2 * ar3 * np.cos(2.0 * arglat)
    )


def _epoch_sgp4(t):
    """Days since 1949-12-31 00:00 UTC (SGP4's epoch convention)."""
    return (t.utc.jd1 - 2433281.5) + t.utc.jd2


def _satrec_from_mean(orb: Orbit, grav):
    """An SGP4 record whose Brouwer mean elements equal ``orb``'s (B* from orb, else 0)."""
    from sgp4.api import Satrec

    target_a = float(orb.a[0])
    n_kozai = math.sqrt(C.MU_EARTH_WGS72 / target_a**3) * 60.0  # rad/min, first guess
    bstar = 0.0 if orb.bstar is None else float(orb.bstar[0])
    for _ in range(6):
        sat = Satrec()
        sat.sgp4init(
            grav,
            "i",
            99999,
            float(_epoch_sgp4(orb.epoch[0])),
            bstar,
            0.0,
            0.0,
            float(orb.ecc[0]),
            float(orb.argp[0]),
            float(orb.inc[0]),
            float(orb.mean_anomaly[0]),
            n_kozai,
            float(orb.raan[0]),
        )
        n_kozai *= (sat.a * sat.radiusearthkm * 1e3 / target_a) ** 1.5
    return sat


def _reinit(sat, grav):
    from sgp4.api import Satrec

    new = Satrec()
    new.sgp4init(
        grav,
        "i",
        sat.satnum,
        sat.jdsatepoch + sat.jdsatepochF - 2433281.5,
        sat.bstar,
        sat.ndot,
        sat.nddot,
        sat.ecco,
        sat.argpo,
        sat.inclo,
        sat.mo,
        sat.no_kozai,
        sat.nodeo,
    )
    return new
