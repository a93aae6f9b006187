"""Trade sweeps over the ROS orbit design space, run on Dask, results as an xarray Dataset.

A sweep is the full grid of circular candidate orbits spanned by three axes,
``inclination_deg`` x ``altitude_km`` x ``ltan_hours`` (local mean solar time of the
ascending node at ``start``; or ``raan_deg``), every candidate scored on the same metrics
over the same span. The design is the batched core taken to a cluster:

* **Chunks, not candidates.** The flattened grid is cut into chunks of ``chunk_size``
  candidates; each chunk is ONE Dask task that builds its candidates as one batched
  :class:`~sim.orbits.Orbit` and runs each batched analysis once on the whole batch.
  Inside a task numba runs on one thread (workers are ``threads_per_worker=1``
  processes), so a machine's cores are used by its workers and 1 -> 2 workers measures
  real parallel scaling.
* **Any cluster, unchanged.** ``scheduler=None`` starts a ``LocalCluster`` sized to the
  machine (one single-threaded worker process per core); ``scheduler="tcp://host:8786"``
  uses an existing dask.distributed cluster as it is (workers need ``sim`` installed);
  ``scheduler="sync"`` runs the chunks in the calling process without Dask (debugging).
  An unreachable scheduler raises :class:`SchedulerError` after ``connect_timeout_s``.
* **Resumable.** The client (not the workers: they may be on other machines) writes every
  finished chunk to ``work_dir/chunk_NNNNN.npz`` (atomically) next to ``spec.json``; a
  rerun with the same spec computes only the missing chunks. Values are bitwise the same
  whatever the number of workers or interruptions (each candidate is computed by the
  same code in the same chunk).
* **Labelled output.** :func:`run` returns an ``xarray.Dataset`` with coordinates
  ``inclination_deg``, ``altitude_km``, ``ltan_hours`` (or ``raan_deg``) and ``site``,
  units and definitions in each variable's attrs, the spec as JSON in ``attrs["spec"]``;
  :func:`save` writes NetCDF-4 (h5netcdf) atomically, :func:`load` reads it back.

Metrics (``SweepSpec.metrics``; the definitions are those of the single-candidate
analyses, which a test checks value for value):

``coverage_russia`` / ``coverage_arctic``
    :func:`sim.coverage.coverage` over ``days``: ``*_share_seen`` (area share seen at
    least once), ``*_mean_gap_h``, ``*_max_gap_h`` (area-weighted mean of per-point
    maximum gaps), ``*_time_covered``; footprint ``footprint`` (default: a ground observer
    sees the station above 10 deg), time step ``step_s``, grid ``cell_km``.
``revolutions_russia``
    :func:`sim.coverage.revolutions_over`: share of complete revolutions whose ground
    track enters Russia.
``contact``
    :func:`sim.coverage.contact_minutes_per_day` with the Russian ground-station network
    (each station's own mask), sampled every ``contact_step_s``: ``contact_min_per_day``.
``launch``
    ``launch_per_day`` (dims ``..., site``): in-plane launch opportunities per day from
    each site whose ground-relative azimuth and inclination the site allows -- the
    closed form of :func:`sim.launch.windows` (see :func:`launch_opportunities_per_day`).
``reboost``
    ``reboost_dv_m_s_per_year``: a fast analytic drag estimate (see
    :func:`drag_dv_per_year`), checked against :func:`sim.lifetime.reboost_budget`.
``radiation`` (opt-in: the IGRF field grid costs ~30 s once)
    ``saa_min_per_day``, ``horn_min_per_day``: :func:`sim.environment.radiation_exposure`
    with the field grid evaluated once on the client and shipped to the workers.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import constants as C
from .errors import SimError, check_range

__all__ = [
    "SweepSpec", "SweepError", "SchedulerError", "METRICS", "DEFAULT_METRICS", "DEFAULT_SITES",
    "run", "evaluate", "candidate_orbits", "save", "load", "parse_axis", "drag_dv_per_year",
    "launch_opportunities_per_day", "radiation_field", "chunk_bounds",
]

#: Every metric a sweep can compute (see the module docstring).
METRICS = ("coverage_russia", "coverage_arctic", "revolutions_russia", "contact", "launch", "reboost",
           "radiation")
#: Computed when the spec does not list metrics (radiation is opt-in: its field grid costs ~30 s once).
DEFAULT_METRICS = ("coverage_russia", "coverage_arctic", "revolutions_russia", "contact", "launch", "reboost")
#: Launch sites scored by the ``launch`` metric by default (keys of :func:`sim.launch.sites`).
DEFAULT_SITES = ("baikonur_31", "vostochny_1s", "plesetsk_43")
_YEAR_S = 365.25 * C.DAY_S


class SweepError(SimError, ValueError):
    """A bad sweep specification (axis, metric, span) or an unusable work folder."""


class SchedulerError(SimError, ConnectionError):
    """The Dask scheduler cannot be reached."""


# ============================================================== specification

def parse_axis(name: str, value) -> tuple[float, ...]:
    """Axis values from a list of numbers, ``"start:stop:step"`` (stop included), ``"a,b,c"``,
    a single number, or a dict ``{start, stop, step}`` / ``{start, stop, num}``."""
    def fail(why):
        raise SweepError(f"axis {name}: {why}; give a list of numbers, 'start:stop:step' (stop included), "
                         f"'a,b,c' or {{start, stop, step|num}}, got {value!r}")

    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            vals = [float(value)]
        elif isinstance(value, str):
            s = value.strip()
            if ":" in s:
                parts = [float(p) for p in s.split(":")]
                if len(parts) != 3:
                    fail("a range needs exactly start:stop:step")
                vals = _arange(*parts, fail)
            else:
                vals = [float(p) for p in s.split(",") if p.strip()]
        elif isinstance(value, dict):
            extra = set(value) - {"start", "stop", "step", "num"}
            if extra:
                fail(f"unknown keys {sorted(extra)}")
            a, b = float(value["start"]), float(value["stop"])
            if ("step" in value) == ("num" in value):
                fail("give exactly one of step and num")
            if "num" in value:
                num = int(value["num"])
                if num < 1:
                    fail("num must be >= 1")
                vals = list(np.linspace(a, b, num))
            else:
                vals = _arange(a, b, float(value["step"]), fail)
        else:
            vals = [float(v) for v in value]
    except SweepError:
        raise
    except (TypeError, ValueError, KeyError):
        fail("not understood")
    if not vals:
        fail("no values")
    arr = np.asarray(vals, float)
    if not np.all(np.isfinite(arr)):
        fail("values must be finite")
    if len(np.unique(arr)) != len(arr):
        fail("values must be distinct")
    return tuple(float(round(v, 10)) for v in arr)


def _arange(a, b, step, fail):
    if not step > 0:
        fail("step must be > 0")
    if b < a:
        fail("stop must be >= start")
    n = int(math.floor((b - a) / step + 1e-9)) + 1
    if n > 100_000:
        fail("more than 100,000 values")
    return list(a + step * np.arange(n))


_AXIS_LIMITS = {  # name: (low, high, low_open, high_open, unit)
    "inclination_deg": (0.0, 180.0, True, True, "deg"),
    "altitude_km": (150.0, 2000.0, False, False, "km"),
    "ltan_hours": (0.0, 24.0, False, True, "h"),
    "raan_deg": (0.0, 360.0, False, True, "deg"),
}


@dataclass(frozen=True)
class SweepSpec:
    """What to sweep and how to score it. All fields have defaults except the axes.

    ``inclination_deg``, ``altitude_km`` and ``node`` (values of ``node_axis``:
    ``"ltan_hours"`` or ``"raan_deg"``) are the axes (tuples of floats; :func:`parse_axis`
    reads ranges). ``start`` (ISO UTC) is the candidates' epoch and the start of the span
    of ``days``. ``footprint``: a :class:`sim.coverage.Footprint` as a dict. ``step_s`` /
    ``cell_km``: coverage time step and grid (60 s / 50 km by default: the sub-point moves
    ~460 km per step against a footprint radius of ~1,200 km at 10 deg elevation; finer
    values cost ~4x each). ``contact_step_s``: sampling of station contact. ``sites``:
    launch sites. ``solar_activity``/``spacecraft``: for the reboost estimate.
    ``chunk_size``: candidates per task.
    """

    inclination_deg: tuple
    altitude_km: tuple
    node: tuple = (12.0,)
    node_axis: str = "ltan_hours"
    start: str = "2027-01-01T00:00:00.000"
    days: float = 3.0
    metrics: tuple = DEFAULT_METRICS
    footprint: dict = field(default_factory=lambda: {"min_elevation_deg": 10.0})
    step_s: float = 60.0
    cell_km: float = 50.0
    contact_step_s: float = 60.0
    sites: tuple = DEFAULT_SITES
    solar_activity: str = "moderate"
    spacecraft: str = "ros_stage2"
    chunk_size: int = 50

    def __post_init__(self):
        from .timeutil import to_time

        if self.node_axis not in ("ltan_hours", "raan_deg"):
            raise SweepError(f"node_axis must be 'ltan_hours' or 'raan_deg', got {self.node_axis!r}")
        for nm, vals in (("inclination_deg", self.inclination_deg), ("altitude_km", self.altitude_km),
                         (self.node_axis, self.node)):
            vals = parse_axis(nm, vals)
            lo, hi, lo_open, hi_open, unit = _AXIS_LIMITS[nm]
            check_range(nm, vals, lo, hi, low_open=lo_open, high_open=hi_open, unit=unit, error=SweepError)
            object.__setattr__(self, "node" if nm == self.node_axis else nm, vals)
        try:
            t = to_time(self.start, name="start")[0]
        except SimError as exc:
            raise SweepError(f"start: {exc}") from None
        object.__setattr__(self, "start", t.utc.isot)
        check_range("days", self.days, 1.0, 366.0, unit="days", error=SweepError)
        check_range("step_s", self.step_s, 1.0, 600.0, unit="s", error=SweepError)
        check_range("contact_step_s", self.contact_step_s, 1.0, 600.0, unit="s", error=SweepError)
        check_range("cell_km", self.cell_km, 5.0, 500.0, unit="km", error=SweepError)
        metrics = (self.metrics,) if isinstance(self.metrics, str) else tuple(self.metrics)
        bad = [m for m in metrics if m not in METRICS]
        if bad or not metrics:
            raise SweepError(f"metrics must be a non-empty list of {', '.join(METRICS)}; got {list(metrics)}")
        object.__setattr__(self, "metrics", tuple(dict.fromkeys(metrics)))
        if not isinstance(self.footprint, dict):
            raise SweepError(f"footprint must be a table such as {{min_elevation_deg = 10}}, got {self.footprint!r}")
        from .coverage import Footprint

        Footprint(**self.footprint)  # raises FootprintError (a SimError) naming the field
        object.__setattr__(self, "footprint", dict(self.footprint))
        sites = (self.sites,) if isinstance(self.sites, str) else tuple(self.sites)
        from .launch import site as _site

        for s in sites:
            _site(s)                   # raises SiteError with the allowed keys
        object.__setattr__(self, "sites", sites)
        from .atmosphere import solar_activity as _act
        from .spacecraft import spacecraft as _sc

        _act(self.solar_activity)
        _sc(self.spacecraft)
        if not (isinstance(self.chunk_size, int) and 1 <= self.chunk_size <= 100_000):
            raise SweepError(f"chunk_size must be an integer in [1, 100000], got {self.chunk_size!r}")

    # ------------------------------------------------------------------
    @classmethod
    def from_dict(cls, d: dict) -> "SweepSpec":
        """From a TOML ``[sweep]`` table: axes under ``[sweep.axes]`` (or at the top level) as
        lists, ``"start:stop:step"`` strings or ``{start, stop, step|num}`` tables; any of the
        other fields by name."""
        d = dict(d)
        axes = dict(d.pop("axes", {}) or {})
        for k in ("inclination_deg", "altitude_km", "ltan_hours", "raan_deg"):
            if k in d:
                axes[k] = d.pop(k)
        unknown = set(axes) - set(_AXIS_LIMITS)
        if unknown:
            raise SweepError(f"unknown axes {sorted(unknown)}; use inclination_deg, altitude_km and "
                             f"ltan_hours or raan_deg")
        for k in ("inclination_deg", "altitude_km"):
            if k not in axes:
                raise SweepError(f"the sweep needs the axis {k}")
        if "ltan_hours" in axes and "raan_deg" in axes:
            raise SweepError("give ltan_hours or raan_deg, not both")
        node_axis = "raan_deg" if "raan_deg" in axes else "ltan_hours"
        kw = {"inclination_deg": parse_axis("inclination_deg", axes["inclination_deg"]),
              "altitude_km": parse_axis("altitude_km", axes["altitude_km"]), "node_axis": node_axis}
        if node_axis in axes:
            kw["node"] = parse_axis(node_axis, axes[node_axis])
        allowed = {f for f in cls.__dataclass_fields__} - {"inclination_deg", "altitude_km", "node", "node_axis"}
        unknown = set(d) - allowed
        if unknown:
            raise SweepError(f"unknown sweep keys {sorted(unknown)}; allowed: axes, {', '.join(sorted(allowed))}")
        if "start" in d:
            d["start"] = str(d["start"]) if not hasattr(d["start"], "isoformat") else d["start"].isoformat()
        for k in ("metrics", "sites"):
            if k in d and not isinstance(d[k], str):
                d[k] = tuple(d[k])
        return cls(**kw, **d)

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("inclination_deg", "altitude_km", "node", "metrics", "sites"):
            d[k] = list(d[k])
        return d

    def fingerprint(self) -> str:
        """SHA-256 of everything that changes results (chunk_size included: it fixes the chunks)."""
        blob = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()

    @property
    def shape(self) -> tuple[int, int, int]:
        return len(self.inclination_deg), len(self.altitude_km), len(self.node)

    @property
    def n_candidates(self) -> int:
        return int(np.prod(self.shape))

    @property
    def n_chunks(self) -> int:
        return -(-self.n_candidates // self.chunk_size)


def chunk_bounds(spec: SweepSpec, k: int) -> tuple[int, int]:
    """Flat candidate indices [lo, hi) of chunk ``k`` (C order over inclination, altitude, node)."""
    lo = k * spec.chunk_size
    return lo, min(lo + spec.chunk_size, spec.n_candidates)


def candidate_orbits(spec: SweepSpec, indices=None):
    """The candidates (flat indices, default all) as one batched circular :class:`~sim.orbits.Orbit`.

    Epoch ``spec.start``, argument of latitude 0. With ``ltan_hours`` the RAAN puts the
    ascending node at that local mean solar time at the epoch, by the same formula as
    :meth:`sim.orbits.Orbit.sun_synchronous` (``RAAN = GMST + 15 deg/h (LTAN - UT1 h)``).
    """
    from .orbits import Orbit

    idx = np.arange(spec.n_candidates) if indices is None else np.asarray(indices, int)
    ii, ia, iN = np.unravel_index(idx, spec.shape)
    inc = np.asarray(spec.inclination_deg)[ii]
    alt = np.asarray(spec.altitude_km)[ia]
    node = np.asarray(spec.node)[iN]
    if spec.node_axis == "ltan_hours":
        raan = Orbit.sun_synchronous(400.0, node, epoch=spec.start).raan_deg
    else:
        raan = node
    names = [f"i{a:g}_h{b:g}_{'ltan' if spec.node_axis == 'ltan_hours' else 'raan'}{c:g}"
             for a, b, c in zip(inc, alt, node)]
    return Orbit.circular(alt, inc, raan_deg=raan, epoch=spec.start, names=names)


# ============================================================== fast analytic metrics

def launch_opportunities_per_day(orbit, sites=DEFAULT_SITES) -> np.ndarray:
    """In-plane launch opportunities per day from each site, (n_orbits, n_sites).

    Closed form of :func:`sim.launch.windows` for circular mean orbits: a site at
    geocentric latitude ``phi`` reaches the plane twice per revolution of the Earth
    relative to the precessing plane (period ``2 pi / (omega_E - dRAAN/dt)``) when
    ``|tan(phi) / tan(i)| <= 1``. The inertial azimuth of the in-plane heading is
    ``sin(Az_i) = cos(i) / cos(phi)`` (northbound; southbound ``180 - Az_i``); the
    ground-relative azimuth removes the pad's eastward speed ``omega_E rho cos(phi)`` from
    the circular speed (as ``windows`` does). An opportunity counts when that azimuth lies
    on the site's allowed arc and the inclination in its allowed range
    (``sim/data/launch_site_limits.csv``).
    """
    from .launch import site as _site
    from .propagation.j2 import secular_rates

    inc = np.asarray(orbit.inc, float)
    raan_dot, _, _ = secular_rates(orbit.a, orbit.ecc, inc)
    per_day = (C.OMEGA_EARTH - raan_dot) * C.DAY_S / (2.0 * np.pi)   # plane crossings per day per direction
    speed = np.sqrt(C.MU_EARTH / np.asarray(orbit.a, float))
    out = np.zeros((len(inc), len(sites)))
    for j, key in enumerate(sites):                                  # loop over sites only
        st = _site(key)
        r = np.asarray(st.itrs_m, float).reshape(3)
        rho = float(np.linalg.norm(r))
        phi = math.atan2(r[2], math.hypot(r[0], r[1]))
        v_e = C.OMEGA_EARTH * rho * math.cos(phi)
        with np.errstate(divide="ignore", invalid="ignore"):
            k = math.tan(phi) / np.tan(inc)
        reach = np.abs(k) <= 1.0
        s = np.clip(np.cos(inc) / math.cos(phi), -1.0, 1.0)
        az_i = np.arcsin(s)                                          # northbound, cos(az) >= 0
        n_ok = np.zeros(len(inc))
        for az in (az_i, np.pi - az_i):
            az_g = np.degrees(np.arctan2(speed * np.sin(az) - v_e, speed * np.cos(az))) % 360.0
            n_ok += st.azimuth_allowed(az_g) & st.inclination_allowed(np.degrees(inc)) & reach
        out[:, j] = n_ok * per_day
    return out


def drag_dv_per_year(orbit, solar_activity="moderate", spacecraft="ros_stage2", *,
                     span_days: float = 365.25, n_doy: int = 24, n_arglat: int = 36) -> np.ndarray:
    """Reboost delta-v per year (m/s/yr) holding each circular orbit against drag, (n_orbits,).

    A fast analytic estimate: for a near-circular orbit the delta-v that replaces what
    drag takes is the time integral of the along-track drag acceleration
    ``0.5 rho v^2 F Cd A / m`` (e.g. Vallado, *Fundamentals*, 4th ed., sec. 9.6), with

    * ``rho``: NRLMSIS 2.1 density from the same table the Cowell propagator uses
      (:func:`sim.atmosphere.msis_table` for ``solar_activity``), log-linearly
      interpolated in day of year, geodetic altitude, latitude and local solar time,
      averaged over ``n_arglat`` points of argument of latitude (latitude
      ``asin(sin i sin u)``, geodetic height of the circle above WGS84, local solar time
      from the node's local time plus the right-ascension offset of the point) and over
      ``n_doy`` days spread over ``span_days`` from the epoch (the node's local time drifts
      at ``dRAAN/dt`` minus the Sun's mean motion; frozen for sun-synchronous orbits);
    * ``F = (1 - r omega_E cos i / v)^2``: the co-rotating atmosphere (King-Hele);
    * ``Cd A / m`` of ``spacecraft`` (:mod:`sim.spacecraft`; ROS stage 2 by default).

    Checked against :func:`sim.lifetime.reboost_budget` (Cowell, J2-J6 + drag) in the
    tests. Not modelled: eccentricity, the ~11-year solar cycle (fixed activity level).
    """
    from .atmosphere import msis_table
    from .environment import ltan_hours as _ltan
    from .frames import itrs_to_geodetic
    from .propagation.j2 import secular_rates
    from .spacecraft import spacecraft as _sc

    check_range("span_days", span_days, 1.0, 36525.0, unit="days", error=SweepError)
    tab = msis_table(solar_activity)
    sc = _sc(spacecraft)
    n = len(orbit)
    a = np.asarray(orbit.a, float)
    inc = np.asarray(orbit.inc, float)
    v = np.sqrt(C.MU_EARTH / a)
    raan_dot, _, _ = secular_rates(a, orbit.ecc, inc)
    drift_h_per_day = (raan_dot - C.SUN_MEAN_MOTION) * C.DAY_S * 12.0 / np.pi
    ltan0 = np.asarray(_ltan(orbit, orbit.epoch[:1]), float).reshape(n, -1)[:, 0]
    t_days = (np.arange(n_doy) + 0.5) * span_days / n_doy                       # (D,)
    doy0 = _doy(orbit.epoch)                                                      # (n,)
    u = (np.arange(n_arglat) + 0.5) * 2.0 * np.pi / n_arglat                    # (U,)
    # geodetic latitude/height of points on the circle of radius a at latitude asin(sin i sin u)
    lat_c = np.arcsin(np.sin(inc)[:, None] * np.sin(u)[None, :])                 # (n, U)
    r_pts = a[:, None, None] * np.stack([np.cos(lat_c), np.zeros_like(lat_c), np.sin(lat_c)], axis=-1)
    lat_g, _, h_m = itrs_to_geodetic(r_pts)
    dra_h = np.arctan2(np.cos(inc)[:, None] * np.sin(u)[None, :], np.cos(u)[None, :]) * 12.0 / np.pi  # (n, U)
    doy = (doy0[:, None] + t_days[None, :]) % 365.25                               # (n, D)
    ltan = ltan0[:, None] + drift_h_per_day[:, None] * t_days[None, :]             # (n, D)
    shape = (n, n_doy, n_arglat)
    lst = (ltan[:, :, None] + dra_h[:, None, :]) % 24.0
    rho = _table_density(tab, np.broadcast_to(doy[:, :, None], shape), np.broadcast_to(h_m[:, None, :] / 1e3, shape),
                         np.broadcast_to(np.degrees(lat_g)[:, None, :], shape), lst)
    rho_mean = rho.reshape(n, -1).mean(axis=1)
    F = (1.0 - a * C.OMEGA_EARTH * np.cos(inc) / v) ** 2
    return 0.5 * rho_mean * v ** 2 * F * sc.cd_area_over_mass * _YEAR_S


def _doy(t) -> np.ndarray:
    """Day of year (1 = Jan 1 00:00 UTC) of astropy times, fractional."""
    jd = np.asarray(t.utc.jd, float)
    years = np.asarray([int(s[:4]) for s in np.atleast_1d(t.utc.isot)])
    from astropy.time import Time

    jan1 = Time([f"{y}-01-01T00:00:00" for y in years], scale="utc").jd
    return jd - jan1 + 1.0


def _table_density(tab, doy, alt_km, lat_deg, lst_h) -> np.ndarray:
    """Quadrilinear interpolation of log density in the MSIS table (doy and lst wrap around)."""
    L = tab.log_rho
    nd, na, nl, ns = L.shape

    def idx(x, x0, dx, n, wrap):
        f = (x - x0) / dx
        if wrap:
            i0 = np.floor(f).astype(int)
            w = f - i0
            return i0 % n, (i0 + 1) % n, w
        f = np.clip(f, 0.0, n - 1 - 1e-9)
        i0 = np.floor(f).astype(int)
        return i0, i0 + 1, f - i0

    d0, d1, wd = idx(doy, tab.doy0, tab.ddoy, nd, True)
    a0, a1, wa = idx(alt_km, tab.alt0_km, tab.dalt_km, na, False)
    l0, l1, wl = idx(lat_deg, tab.lat0_deg, tab.dlat_deg, nl, False)
    s0, s1, ws = idx(lst_h, 0.0, tab.dlst_h, ns, True)
    out = np.zeros(np.shape(doy))
    for di, dw in ((d0, 1 - wd), (d1, wd)):
        for ai, aw in ((a0, 1 - wa), (a1, wa)):
            for li, lw in ((l0, 1 - wl), (l1, wl)):
                for si, sw in ((s0, 1 - ws), (s1, ws)):
                    out += dw * aw * lw * sw * L[di, ai, li, si]
    return np.exp(out)


# ============================================================== radiation with a shared field grid

def _radiation_times(spec: SweepSpec):
    from .timeutil import time_range

    step = 20.0  # the default of sim.environment.radiation_exposure
    t = time_range(spec.start, days=spec.days, step_s=step)[:-1]
    return t, step


def radiation_field(spec: SweepSpec):
    """The IGRF |B| grid :func:`sim.environment.radiation_exposure` would build for the
    sweep's whole altitude range, evaluated once (on the client)."""
    from .environment import field_grid

    t, _ = _radiation_times(spec)
    mid = t[len(t) // 2:len(t) // 2 + 1]
    alts = np.asarray(spec.altitude_km, float)
    return field_grid(mid, (float(alts.min()) - 10.0, float(alts.max()) + 10.0))


def _radiation(orbit, spec: SweepSpec, grid) -> dict:
    """Minutes per day in the SAA / polar horns, exactly as radiation_exposure, on ``grid``."""
    from scipy.interpolate import RegularGridInterpolator

    from .environment import HORN_GMLAT_DEG, SAA_THRESHOLD_NT, geomagnetic_latitude_deg
    from .groundtrack import ground_track

    t, step = _radiation_times(spec)
    lat, lon, alt = ground_track(orbit, t, model="j2")
    mid = t[len(t) // 2:len(t) // 2 + 1]
    g_lat, g_lon, g_alt, B = grid
    interp = RegularGridInterpolator((g_lat, g_lon, g_alt), B, bounds_error=False, fill_value=None)
    latc = np.clip(lat, g_lat[0], g_lat[-1])
    Bt = interp(np.stack([latc, lon, alt], axis=-1).reshape(-1, 3)).reshape(lat.shape)
    gml = geomagnetic_latitude_deg(lat, lon, alt, mid)
    per_day = step / 60.0 / (len(t) * step / C.DAY_S)
    return {"saa_min_per_day": (Bt < SAA_THRESHOLD_NT).sum(axis=1) * per_day,
            "horn_min_per_day": (np.abs(gml) >= HORN_GMLAT_DEG).sum(axis=1) * per_day}


# ============================================================== one chunk

#: Output variables: name -> (metric, units, description).
VARIABLES = {
    "russia_share_seen": ("coverage_russia", "1", "share of Russia's area seen at least once within the span"),
    "russia_time_covered": ("coverage_russia", "1", "area-weighted share of time a point of Russia is seen"),
    "russia_mean_gap_h": ("coverage_russia", "h", "area-weighted mean revisit gap over Russia"),
    "russia_max_gap_h": ("coverage_russia", "h", "area-weighted mean of per-point maximum gaps over Russia"),
    "arctic_share_seen": ("coverage_arctic", "1", "share of the Arctic (north of 66.56 N) seen at least once"),
    "arctic_time_covered": ("coverage_arctic", "1", "area-weighted share of time a point of the Arctic is seen"),
    "arctic_mean_gap_h": ("coverage_arctic", "h", "area-weighted mean revisit gap over the Arctic"),
    "arctic_max_gap_h": ("coverage_arctic", "h", "area-weighted mean of per-point maximum gaps over the Arctic"),
    "russia_revolution_share": ("revolutions_russia", "1", "share of complete revolutions whose ground track enters Russia"),
    "contact_min_per_day": ("contact", "min/day", "minutes per day at least one Russian ground station sees the orbit"),
    "launch_per_day": ("launch", "1/day", "allowed in-plane launch opportunities per day from each site"),
    "reboost_dv_m_s_per_year": ("reboost", "m/s/yr", "reboost delta-v per year against drag (analytic estimate)"),
    "saa_min_per_day": ("radiation", "min/day", "minutes per day inside the South Atlantic Anomaly (|B| < 21,000 nT)"),
    "horn_min_per_day": ("radiation", "min/day", "minutes per day at |geomagnetic latitude| >= 60 deg"),
}


def evaluate(orbit, spec: SweepSpec, field_grid=None) -> dict[str, np.ndarray]:
    """Every metric of ``spec`` for a batch of candidate orbits: ``{variable: (n,) or (n, n_sites)}``.

    The batch is analysed as a whole by each batched analysis (no loop over candidates).
    """
    from . import coverage as cv

    m = spec.metrics
    out: dict[str, np.ndarray] = {}
    fp = cv.Footprint(**spec.footprint)
    for region in ("russia", "arctic"):
        if f"coverage_{region}" in m:
            res = cv.coverage(orbit, region, spec.start, spec.days, fp, spec.step_s, cell_km=spec.cell_km)
            s = res.summary()
            out[f"{region}_share_seen"] = s["share_seen"]
            out[f"{region}_time_covered"] = s["time_covered"]
            out[f"{region}_mean_gap_h"] = s["mean_gap_h"]
            out[f"{region}_max_gap_h"] = s["mean_max_gap_h"]
    if "revolutions_russia" in m:
        out["russia_revolution_share"] = cv.revolutions_over(orbit, "russia", spec.start, spec.days,
                                                             step_s=spec.step_s)
    if "contact" in m:
        out["contact_min_per_day"] = cv.contact_minutes_per_day(orbit, "russia", spec.start, spec.days,
                                                                step_s=spec.contact_step_s)["network"]
    if "launch" in m:
        out["launch_per_day"] = launch_opportunities_per_day(orbit, spec.sites)
    if "reboost" in m:
        out["reboost_dv_m_s_per_year"] = drag_dv_per_year(orbit, spec.solar_activity, spec.spacecraft)
    if "radiation" in m:
        grid = field_grid if field_grid is not None else radiation_field(spec)
        out.update(_radiation(orbit, spec, grid))
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}


def _evaluate_chunk(spec_dict: dict, k: int, field_grid=None) -> tuple[int, dict]:
    """The Dask task: chunk ``k`` of the sweep, numba on one thread (the worker owns one core)."""
    try:
        import numba

        numba.set_num_threads(1)
    except Exception:  # pragma: no cover  (numba missing or already single-threaded)
        pass
    spec = SweepSpec(**_spec_kwargs(spec_dict))
    lo, hi = chunk_bounds(spec, k)
    return k, evaluate(candidate_orbits(spec, np.arange(lo, hi)), spec, field_grid)


def _spec_kwargs(d: dict) -> dict:
    d = dict(d)
    for k in ("inclination_deg", "altitude_km", "node", "metrics", "sites"):
        d[k] = tuple(d[k])
    return d


# ============================================================== persistence of chunks

def _work_dir_for(out, spec: SweepSpec) -> Path:
    if out is not None:
        p = Path(out)
        return p.with_name(p.name + ".parts")
    return Path(".sweep-" + spec.fingerprint()[:12])


def _prepare_work_dir(work: Path, spec: SweepSpec) -> set[int]:
    """Create/validate the work folder; return the indices of finished chunks."""
    work.mkdir(parents=True, exist_ok=True)
    meta = work / "spec.json"
    fp = spec.fingerprint()
    if meta.exists():
        try:
            old = json.loads(meta.read_text())
        except (OSError, ValueError):
            old = {}
        if old.get("fingerprint") != fp:
            raise SweepError(f"work folder {work} holds chunks of a different sweep (spec changed); "
                             f"delete it or choose another --out/work_dir")
    else:
        _atomic_write_text(meta, json.dumps({"fingerprint": fp, "spec": spec.to_dict()}, indent=1))
    for f in work.glob("partial*_chunk_*.npz"):   # left by a process killed while writing
        f.unlink(missing_ok=True)
    done = set()
    for f in work.glob("chunk_*.npz"):
        try:
            done.add(int(f.stem.split("_")[1]))
        except (IndexError, ValueError):
            continue
    return {k for k in done if k < spec.n_chunks}


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_text(text)
    os.replace(tmp, path)


def _save_chunk(work: Path, k: int, values: dict) -> None:
    path = work / f"chunk_{k:05d}.npz"
    tmp = work / f"partial{os.getpid()}_chunk_{k:05d}.npz"   # never matches chunk_*.npz
    np.savez(tmp, **values)
    os.replace(tmp, path)


def _load_chunk(work: Path, k: int) -> dict:
    with np.load(work / f"chunk_{k:05d}.npz") as z:
        return {name: z[name] for name in z.files}


# ============================================================== running

def _connect(scheduler, workers, connect_timeout_s):
    """(client, cluster-or-None). ``scheduler`` None/"local": a LocalCluster of ``workers``
    single-threaded processes (default: one per core)."""
    import logging

    from dask.distributed import Client, LocalCluster

    if scheduler in (None, "local"):
        n = int(workers) if workers else (os.cpu_count() or 1)
        if n < 1:
            raise SweepError(f"workers must be >= 1, got {workers}")
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
        return Client(cluster), cluster
    if workers:
        raise SweepError("--workers sizes a local cluster; with --scheduler the cluster's own workers are used")
    try:
        client = Client(str(scheduler), timeout=f"{float(connect_timeout_s)}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler!r} within {connect_timeout_s:g} s "
                             f"({exc}); start one with `dask scheduler` or omit --scheduler for a local "
                             f"cluster") from None
    return client, None


def run(spec: SweepSpec, *, scheduler=None, workers: int | None = None, out=None, work_dir=None,
        progress: bool = True, max_chunks: int | None = None, client=None,
        connect_timeout_s: float = 5.0):
    """Run (or resume) a sweep; return its ``xarray.Dataset``.

    ``scheduler``: None or "local" (a LocalCluster of ``workers`` single-threaded
    processes, default one per core), "sync" (in this process, no Dask), or the address of
    an existing dask.distributed scheduler. ``client``: an existing ``dask.distributed.Client``
    to use as is. ``out``: NetCDF file to write (atomically) when the sweep is complete;
    ``work_dir``: folder of finished chunks (default ``OUT.parts`` next to ``out``, or
    ``.sweep-<hash>`` in the current folder); a rerun resumes from it. ``max_chunks``: stop
    after computing this many new chunks (the dataset then has NaN where chunks are
    missing and ``attrs["complete"] == 0``). ``progress``: a tqdm bar over finished chunks.
    """
    if not isinstance(spec, SweepSpec):
        spec = SweepSpec.from_dict(spec)
    work = Path(work_dir) if work_dir is not None else _work_dir_for(out, spec)
    done = _prepare_work_dir(work, spec)
    todo = [k for k in range(spec.n_chunks) if k not in done]
    if max_chunks is not None:
        todo = todo[:max(0, int(max_chunks))]
    t0 = time.perf_counter()
    if todo:
        _compute(spec, todo, work, scheduler=scheduler, workers=workers, progress=progress, client=client,
                 connect_timeout_s=connect_timeout_s)
    elapsed = time.perf_counter() - t0
    ds = assemble(spec, work)
    ds.attrs["compute_seconds_this_run"] = float(elapsed)
    ds.attrs["chunks_computed_this_run"] = len(todo)
    if out is not None and ds.attrs["complete"]:
        save(ds, out)
    return ds


def _compute(spec, todo, work, *, scheduler, workers, progress, client, connect_timeout_s):
    from tqdm import tqdm  # tqdm.auto warns in Jupyter without ipywidgets, even when disabled

    spec_dict = spec.to_dict()

    def bar():
        return tqdm(total=len(todo), desc=f"sweep ({spec.n_candidates} candidates)", unit="chunk",
                    disable=not progress, leave=False)

    if scheduler == "sync" and client is None:
        grid = radiation_field(spec) if "radiation" in spec.metrics else None
        with bar() as b:
            for k in todo:
                _, values = _evaluate_chunk(spec_dict, k, grid)
                _save_chunk(work, k, values)
                b.update(1)
        return
    from dask.distributed import as_completed

    own_cluster = None
    if client is None:
        client, own_cluster = _connect(scheduler, workers, connect_timeout_s)
    try:
        grid = None
        if "radiation" in spec.metrics:
            grid = client.scatter(radiation_field(spec), broadcast=True)
        tag = spec.fingerprint()[:10]
        futures = [client.submit(_evaluate_chunk, spec_dict, k, grid, key=f"sweep-{tag}-{k}", pure=False,
                                 retries=1) for k in todo]
        with bar() as b:
            for fut in as_completed(futures):
                k, values = fut.result()
                _save_chunk(work, k, values)      # the client persists: workers may be on other machines
                fut.release()
                b.update(1)
    finally:
        if own_cluster is not None:
            client.close()
            own_cluster.close()


def assemble(spec: SweepSpec, work) -> "xarray.Dataset":  # noqa: F821
    """The Dataset from the chunk files in ``work`` (missing chunks: NaN, ``attrs["complete"] = 0``)."""
    import xarray as xr

    work = Path(work)
    n = spec.n_candidates
    arrays: dict[str, np.ndarray] = {}
    n_done = 0
    for k in range(spec.n_chunks):
        f = work / f"chunk_{k:05d}.npz"
        if not f.exists():
            continue
        n_done += 1
        lo, hi = chunk_bounds(spec, k)
        for name, val in _load_chunk(work, k).items():
            if name not in arrays:
                arrays[name] = np.full((n,) + val.shape[1:], np.nan)
            arrays[name][lo:hi] = val
    node = spec.node_axis
    coords = {"inclination_deg": ("inclination_deg", np.asarray(spec.inclination_deg),
                                  {"units": "deg", "long_name": "inclination"}),
              "altitude_km": ("altitude_km", np.asarray(spec.altitude_km),
                              {"units": "km", "long_name": "mean altitude above the equatorial radius"}),
              node: (node, np.asarray(spec.node), {"units": "h" if node == "ltan_hours" else "deg",
                                                   "long_name": "local mean solar time of the ascending node at start"
                                                   if node == "ltan_hours" else "RAAN at start (TEME)"})}
    dims = ("inclination_deg", "altitude_km", node)
    if "launch" in spec.metrics:
        coords["site"] = ("site", np.asarray(spec.sites, dtype=str), {"long_name": "launch site key"})
    data_vars = {}
    for name, (metric, units, desc) in VARIABLES.items():
        if metric not in spec.metrics:
            continue
        val = arrays.get(name)
        extra = (len(spec.sites),) if name == "launch_per_day" else ()
        if val is None:
            val = np.full((n,) + extra, np.nan)
        data_vars[name] = (dims + (("site",) if extra else ()), val.reshape(spec.shape + extra),
                           {"units": units, "description": desc, "metric": metric})
    ds = xr.Dataset(data_vars, coords=coords)
    ds.attrs.update({
        "title": "sim orbit trade sweep", "spec": json.dumps(spec.to_dict(), sort_keys=True),
        "fingerprint": spec.fingerprint(), "start": spec.start, "days": float(spec.days),
        "footprint": json.dumps(spec.footprint), "complete": int(n_done == spec.n_chunks),
        "chunks_done": n_done, "n_chunks": spec.n_chunks, "n_candidates": n,
        "propagation": "analytic J2 (mean elements), fast GMST frame path",
    })
    return ds


def save(ds, path) -> Path:
    """Write ``ds`` to NetCDF-4 (h5netcdf engine), atomically (temp file, then rename)."""
    path = Path(path)
    if path.suffix.lower() == ".zarr":
        raise SweepError("Zarr output needs the zarr package, which sim does not install; use a .nc file")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    ds.to_netcdf(tmp, engine="h5netcdf")
    os.replace(tmp, path)
    return path


def load(path) -> "xarray.Dataset":  # noqa: F821
    """Read a sweep written by :func:`save` (loaded into memory, file closed)."""
    import xarray as xr

    path = Path(path)
    if not path.exists():
        raise SweepError(f"no sweep file at {path}")
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def spec_of(ds) -> SweepSpec:
    """The :class:`SweepSpec` stored in a sweep Dataset's attrs."""
    return SweepSpec(**_spec_kwargs(json.loads(ds.attrs["spec"])))

