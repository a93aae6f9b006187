"""Scenario in, results out: run every analysis a scenario asks for.

Each analysis is a small *adapter* registered by name with :func:`analysis`. An adapter
takes a :class:`RunContext` (the validated scenario, the stations as one batched
:class:`sim.Orbit`, cached ground tracks) and returns an :class:`AnalysisResult`:
metrics (one value per station, with unit and definition), tables, figures and notes.
The adapters only translate between the scenario and the analysis modules
(:mod:`sim.coverage`, :mod:`sim.launch`, :mod:`sim.lifetime`, :mod:`sim.environment`);
they compute nothing of their own beyond unit conversion and simple statistics.

An analysis whose module is not installed (``ModuleNotFoundError`` for that module) is
reported as "not available" with the reason; once the module exists it runs for real,
and any error in it stops the run (a :class:`sim.errors.SimError` is shown on one line;
anything else is a bug and shows its traceback). Nothing is written by the runner: see
:mod:`sim.report`.

Public API::

    run_scenario(scenario, progress=True) -> RunResults
    ANALYSES                      # name -> Analysis, in run order
    analysis(name, title, requires=(), when=None)   # decorator registering an adapter
"""

from __future__ import annotations

import importlib
import math
import time as _time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .errors import SimError

__all__ = ["Metric", "Table", "AnalysisResult", "RunContext", "RunResults", "Analysis", "ANALYSES",
           "analysis", "run_scenario", "NotAvailable"]


# ---------------------------------------------------------------- result types

@dataclass
class Metric:
    """One number per station: ``values`` maps station name -> value (float, str or None)."""

    key: str
    label: str
    unit: str
    definition: str
    values: dict[str, Any]
    digits: int = 4  # significant digits shown in the report (summary.json keeps 6)


@dataclass
class Table:
    """A table for tables/<name>.csv and the report: column names and rows of plain values."""

    columns: list[str]
    rows: list[list[Any]]
    title: str = ""
    show_rows: int = 40  # rows shown in report.html (the CSV has all)


@dataclass
class AnalysisResult:
    name: str
    title: str
    status: str = "ok"          # "ok" or "not available"
    reason: str = ""            # why not available
    metrics: list[Metric] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)  # name -> matplotlib Figure
    notes: list[str] = field(default_factory=list)         # definitions, model choices
    seconds: float = 0.0

    def metric(self, key, label, unit, definition, values, names, digits=4) -> Metric:
        """Add a metric from an array-like with one value per station (in ``names`` order)."""
        vals = {}
        for n, v in zip(names, list(values)):
            vals[n] = _plain(v)
        m = Metric(f"{self.name}.{key}", label, unit, definition, vals, digits)
        self.metrics.append(m)
        return m


def _plain(v):
    """A JSON-friendly scalar: float (None when not finite), int, bool or str."""
    if v is None or isinstance(v, (str, bool)):
        return v
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return int(v)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f if math.isfinite(f) else None


class NotAvailable(Exception):
    """Raised by an adapter when an analysis cannot run in this installation (reason in args)."""


@dataclass
class RunContext:
    """What adapters receive: the scenario, its orbits and cached shared computations."""

    scenario: Any
    orbits: Any
    cache: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.orbits.names)

    @property
    def colours(self) -> list[str]:
        return self.scenario.colours()

    @property
    def start_iso(self) -> str:
        return self.scenario.time.start.isoformat()

    def time_grid(self, days: float | None = None, step_s: float | None = None):
        """UTC astropy Time grid from the scenario start (default: the [time] span and step)."""
        from .timeutil import time_range

        days = self.scenario.time.span_days if days is None else float(days)
        step = self.scenario.time.step_s if step_s is None else float(step_s)
        key = ("grid", days, step)
        if key not in self.cache:
            self.cache[key] = time_range(self.start_iso, step_s=step, days=days)
        return self.cache[key]

    def track(self, days: float | None = None, step_s: float | None = None):
        """Ground tracks (lat_deg, lon_deg, alt_km), each (n_stations, n_times), on a time grid."""
        from .groundtrack import ground_track

        t = self.time_grid(days, step_s)
        key = ("track", len(t), t[0].isot, t[-1].isot)
        if key not in self.cache:
            self.cache[key] = ground_track(self.orbits, t, model=self.scenario.propagation.model)
        return self.cache[key]


@dataclass
class RunResults:
    scenario: Any
    orbits: Any
    analyses: list[AnalysisResult]
    seconds: float
    started_utc: str

    def all_metrics(self) -> list[Metric]:
        return [m for a in self.analyses for m in a.metrics]


# ---------------------------------------------------------------- registry

@dataclass
class Analysis:
    name: str
    title: str
    func: Callable[[RunContext, AnalysisResult], None]
    requires: tuple[str, ...] = ()
    when: Callable[[Any], bool] | None = None

    def wanted(self, scenario) -> bool:
        return True if self.when is None else bool(self.when(scenario))

    def missing_module(self) -> str | None:
        """The first required module that is not installed, or None."""
        for mod in self.requires:
            try:
                importlib.import_module(mod)
            except ModuleNotFoundError as exc:
                if exc.name is not None and (exc.name == mod or mod.startswith(exc.name + ".")):
                    return mod
                raise
        return None


#: Registered analyses, in run (and report) order.
ANALYSES: dict[str, Analysis] = {}


def analysis(name: str, title: str, *, requires: tuple[str, ...] = (), when: Callable | None = None):
    """Register ``func(ctx, result)`` as analysis ``name`` (it fills ``result`` in place)."""

    def deco(func):
        ANALYSES[name] = Analysis(name, title, func, tuple(requires), when)
        return func

    return deco


def run_scenario(scenario, *, progress: bool = True, only: list[str] | None = None) -> RunResults:
    """Run every analysis ``scenario`` asks for; return the results (nothing is written)."""
    from tqdm import tqdm

    t0 = _time.perf_counter()
    started = _time.strftime("%Y-%m-%dT%H:%M:%SZ", _time.gmtime())
    ctx = RunContext(scenario=scenario, orbits=scenario.orbits)
    todo = [a for a in ANALYSES.values() if a.wanted(scenario) and (only is None or a.name in only)]
    results = []
    bar = tqdm(todo, desc="sim run", unit="analysis", disable=not progress, leave=True,
               bar_format="{l_bar}{bar:20}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}]")
    for a in bar:
        bar.set_description(f"sim run: {a.name}")
        res = AnalysisResult(a.name, a.title)
        t1 = _time.perf_counter()
        missing = a.missing_module()
        if missing:
            res.status, res.reason = "not available", f"module {missing} is not installed in this version of sim"
        else:
            try:
                a.func(ctx, res)
            except NotAvailable as exc:
                res = AnalysisResult(a.name, a.title, status="not available", reason=str(exc))
            except SimError as exc:
                raise SimError(f"analysis {a.name}: {exc}") from exc
        res.seconds = _time.perf_counter() - t1
        results.append(res)
    bar.close()
    return RunResults(scenario, ctx.orbits, results, _time.perf_counter() - t0, started)


# ================================================================ adapters
# Each adapter translates the scenario's settings into calls of one analysis module
# and its results into metrics (one value per station), tables and figures.

_ARCTIC_CIRCLE_DEG = 66.5628  # latitude of the Arctic Circle (90 deg - obliquity 23.4372 deg, epoch 2027)
_MEAN_SUN_DEG_PER_DAY = 360.0 / 365.2422  # mean Sun's motion in right ascension (tropical year)


@analysis("orbit", "Orbits")
def _orbit(ctx: RunContext, res: AnalysisResult) -> None:
    """Elements and derived quantities of each station, and its ground track."""
    orb, names, sc = ctx.orbits, ctx.names, ctx.scenario
    res.metric("altitude_km", "Mean altitude", "km",
               "semi-major axis minus the WGS84 equatorial radius (6378.137 km), mean elements", orb.altitude_km, names)
    res.metric("perigee_altitude_km", "Perigee altitude", "km", "a(1-e) minus 6378.137 km", orb.perigee_altitude_km,
               names)
    res.metric("apogee_altitude_km", "Apogee altitude", "km", "a(1+e) minus 6378.137 km", orb.apogee_altitude_km, names)
    res.metric("inclination_deg", "Inclination", "deg", "mean inclination to the true equator of date (TEME)",
               orb.inclination_deg, names)
    res.metric("period_min", "Period", "min", "Keplerian period of the mean semi-major axis", orb.period_s / 60, names)
    res.metric("nodal_period_min", "Nodal period", "min",
               "node-to-node (draconitic) period including the J2 secular rates", orb.nodal_period_s / 60, names)
    res.metric("nodal_rate_deg_per_day", "Nodal precession", "deg/day",
               "secular J2 rate of the right ascension of the ascending node (negative = westward)",
               orb.nodal_rate_deg_per_day, names)
    res.metric("node_drift_vs_sun_deg_per_day", "Node drift against the Sun", "deg/day",
               "nodal precession minus the mean Sun's motion (360 deg per tropical year); 0 = sun-synchronous",
               orb.nodal_rate_deg_per_day - _MEAN_SUN_DEG_PER_DAY, names)
    res.metric("revs_per_day", "Revolutions per day", "rev/day", "86400 s divided by the nodal period",
               orb.revs_per_day, names)
    lat, lon, alt = ctx.track()
    res.metric("max_latitude_deg", "Highest latitude reached", "deg",
               "largest geodetic latitude of the sub-satellite point over the time span", np.max(np.abs(lat), axis=1),
               names)
    res.metric("time_north_of_arctic_circle_pct", "Time north of the Arctic Circle", "%",
               f"share of time steps with the sub-satellite point north of {_ARCTIC_CIRCLE_DEG} deg N",
               100.0 * np.mean(lat >= _ARCTIC_CIRCLE_DEG, axis=1), names)

    rows = []
    for k, n in enumerate(names):
        rows.append([n, sc.source_of(k), orb.epoch[k].isot, round(float(orb.semi_major_axis_km[k]), 4),
                     float(orb.ecc[k]), round(float(orb.inclination_deg[k]), 5), round(float(orb.raan_deg[k]), 5),
                     round(float(orb.argp_deg[k]), 5), round(float(orb.mean_anomaly_deg[k]), 5)])
    res.tables["elements"] = Table(["station", "source", "epoch_utc", "semi_major_axis_km", "eccentricity",
                                    "inclination_deg", "raan_deg", "argp_deg", "mean_anomaly_deg"], rows,
                                   title="Element sets (mean elements, TEME)")
    res.notes.append(f"Propagation model for ground tracks and statistics on the main time grid: "
                     f"{sc.propagation.model!r} ({_MODEL_TEXT.get(sc.propagation.model, '')}). Main time grid: "
                     f"{sc.time.span_days:g} days from {ctx.start_iso} UTC at {sc.time.step_s:g} s.")
    res.notes.append("Ground tracks: TEME to the Earth-fixed frame by the GMST-1982 rotation with UT1 from the "
                     "bundled IERS data (polar motion omitted, under ~15 m); WGS84 geodetic latitude.")
    if sc.outputs.figures:
        from .plots import ground_track_figure

        hours = min(sc.outputs.ground_track_hours, sc.time.span_days * 24)
        n = max(2, int(round(hours * 3600 / sc.time.step_s)) + 1)
        res.figures["ground_tracks"] = ground_track_figure(
            lat[:, :n], lon[:, :n], names, colours=ctx.colours,
            title=f"Ground tracks, first {hours:g} h from {ctx.start_iso[:16]} UTC")


_MODEL_TEXT = {"j2": "analytic secular J2 on mean elements", "kepler": "two-body",
               "sgp4": "SGP4 through the sgp4 package on the element sets"}
