"""Scenario in, results out: run every analysis a scenario asks for.

Each analysis is a small *adapter* registered by name with :func:`analysis`. An adapter
takes a :class:`RunContext` (the validated scenario, the stations as one batched
:class:`sim.Orbit`, cached ground tracks) and returns an :class:`AnalysisResult`:
metrics (one value per station, with unit and definition), tables, figures and notes.
The adapters only translate between the scenario and the analysis modules
(:mod:`sim.coverage`, :mod:`sim.launch`, :mod:`sim.lifetime`, :mod:`sim.environment`);
they compute nothing of their own beyond unit conversion and simple statistics.

Figures come from :mod:`sim.plots` (results in, Figure out); the runner draws nothing itself.
Every analysis module is imported plainly: an error in an analysis (or in importing it)
stops the run (a :class:`sim.errors.SimError` is shown on one line; anything else is a
bug and shows its traceback). Nothing is written by the runner: see :mod:`sim.report`.

Public API::

    run_scenario(scenario, progress=True) -> RunResults
    ANALYSES                      # name -> Analysis, in run order
    analysis(name, title, when=None)   # decorator registering an adapter
    grouped(values, fmt, unit)    # "100 % (ROS 96.8, ROS SSO), 69 % (ISS)": numbers in figure captions

Each :class:`AnalysisResult` carries ``captions`` (figure name -> one sentence saying what to
see, with the numbers quoted from its metrics); figures get one style per station
(``RunContext.styles``, :func:`sim.plots.station_styles`) and the pairs sharing a plane
(``RunContext.same_orbit``). Long stages report what they are doing through
``RunContext.progress`` (the command line's progress bar shows it); analyses never print.
"""

from __future__ import annotations

import math
import time as _time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import plots
from .constants import ARCTIC_CIRCLE_DEG, R_EARTH, SUN_MEAN_MOTION_DEG_PER_DAY
from .errors import SimError
from .text import plural

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    from astropy.time import Time

    from .scenario import Scenario

__all__ = [
    "ANALYSES",
    "Analysis",
    "AnalysisResult",
    "Metric",
    "RunContext",
    "RunResults",
    "Table",
    "analysis",
    "grouped",
    "metric_key",
    "run_scenario",
    "RADIATION_MAX_DAYS",
    "REGION_NOTE_PREFIX",
]

#: Longest span of the radiation proxy in a scenario run, days (``[environment]``: the SAA and
#: polar-horn minutes per day settle within a few days; the IGRF field is evaluated at the span's
#: middle). ``sim validate`` checks the IGRF years over this same span.
RADIATION_MAX_DAYS = 10.0


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
    metrics: list[Metric] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)  # name -> matplotlib Figure
    notes: list[str] = field(default_factory=list)  # definitions, model choices
    captions: dict[str, str] = field(default_factory=dict)  # figure name -> one sentence: what to see
    files: dict[str, bytes] = field(default_factory=dict)  # other files: path in the output folder -> bytes
    seconds: float = 0.0

    @property
    def status(self) -> str:
        """Always "ok": an analysis that fails stops the run (kept for summary.json's schema)."""
        return "ok"

    @property
    def reason(self) -> str:
        """Always empty (see :attr:`status`)."""
        return ""

    def values(self, key: str) -> dict[str, Any]:
        """The values (station name -> value) of this analysis's metric ``key`` (without the analysis prefix)."""
        full = f"{self.name}.{key}"
        for m in self.metrics:
            if m.key == full:
                return m.values
        raise KeyError(f"bug: {self.name} has no metric {key!r}")

    def metric(
        self,
        key: str,
        label: str,
        unit: str,
        definition: str,
        values: Iterable[Any],
        names: Iterable[str],
        digits: int = 4,
    ) -> Metric:
        """Add a metric from an array-like with one value per station (in ``names`` order).

        ``values``: any iterable (array, list) of numbers, strings or None, one per station."""
        vals = {}
        for n, v in zip(names, list(values)):
            vals[n] = _plain(v)
        m = Metric(f"{self.name}.{key}", label, unit, definition, vals, digits)
        if any(x.key == m.key for x in self.metrics):  # scenario validation keeps names apart
            raise RuntimeError(f"bug: metric key {m.key!r} is produced twice; two regions or sites share a key")
        self.metrics.append(m)
        return m


def grouped(values: dict[str, Any] | Metric, fmt: str = ".3g", unit: str = "") -> str:
    """Values per station in words, equal shown values grouped: ``"100 % (ROS 96.8, ROS SSO), 69 % (ISS)"``.

    ``values``: station name -> number (or a :class:`Metric`); groups in descending order of value,
    missing values (None/NaN) as ``"none (names)"``. The figure captions quote numbers this way."""
    if isinstance(values, Metric):
        values = values.values
    groups: dict[str, list[str]] = {}
    order: dict[str, float] = {}
    for name, v in values.items():
        f = _plain(v)
        if isinstance(f, (int, float)) and not isinstance(f, bool):
            text = format(f, fmt)
            if "e+" in text:  # 1490, not 1.49e+03
                text = f"{f:,.0f}"
            if text.startswith("-") and float(text) == 0.0:
                text = text[1:]
            order.setdefault(text, float(f))
        else:
            text = "none"
            order.setdefault(text, -math.inf)
        groups.setdefault(text, []).append(name)
    suffix = f" {unit}" if unit else ""
    parts = [
        f"{text}{suffix if text != 'none' else ''} ({', '.join(groups[text])})"
        for text in sorted(groups, key=lambda t: -order[t])
    ]
    return ", ".join(parts)


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


@dataclass
class RunContext:
    """What adapters receive: the scenario, its orbits and cached shared computations."""

    scenario: Any
    orbits: Any
    cache: dict = field(default_factory=dict)
    #: called with a short text while a long stage runs ("reboost ISS, moderate activity"); the
    #: command line shows it beside the progress bar. Analyses never print: only adapters call this.
    progress: Callable[[str], None] = lambda text: None

    @property
    def names(self) -> list[str]:
        return list(self.orbits.names)

    @property
    def colours(self) -> list[str]:
        return self.scenario.colours()

    @property
    def styles(self) -> dict[str, dict[str, Any]]:
        """One matplotlib style per station (:func:`sim.plots.station_styles`), chosen once per run."""
        if "styles" not in self.cache:
            self.cache["styles"] = plots.station_styles(self.names, self.colours)
        return self.cache["styles"]

    @property
    def same_orbit(self) -> list[tuple[str, str]]:
        """Pairs of stations in the same orbit plane (:func:`sim.plots.same_orbit_pairs`): their tracks overlap."""
        if "same_orbit" not in self.cache:
            self.cache["same_orbit"] = plots.same_orbit_pairs(self.orbits)
        return self.cache["same_orbit"]

    @property
    def start_iso(self) -> str:
        return self.scenario.time.start.isoformat()

    def time_grid(self, days: float | None = None, step_s: float | None = None) -> Time:
        """UTC astropy Time grid from the scenario start (default: the [time] span and step)."""
        from .timeutil import time_range

        days = self.scenario.time.span_days if days is None else float(days)
        step = self.scenario.time.step_s if step_s is None else float(step_s)
        key = ("grid", days, step)
        if key not in self.cache:
            self.cache[key] = time_range(self.start_iso, step_s=step, days=days)
        return self.cache[key]

    def track(
        self, days: float | None = None, step_s: float | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    when: Callable[[Any], bool] | None = None

    def wanted(self, scenario: Any) -> bool:
        return True if self.when is None else bool(self.when(scenario))


#: Registered analyses, in run (and report) order.
ANALYSES: dict[str, Analysis] = {}


def analysis(name: str, title: str, *, when: Callable[[Any], bool] | None = None) -> Callable:
    """Register ``func(ctx, result)`` as analysis ``name`` (it fills ``result`` in place)."""

    def deco(func):
        ANALYSES[name] = Analysis(name, title, func, when)
        return func

    return deco


def wanted_analyses(scenario: Scenario) -> list[str]:
    """Names of the analyses ``scenario`` asks for, in run order (what ``sim run`` runs and ``sim validate`` lists)."""
    return [a.name for a in ANALYSES.values() if a.wanted(scenario)]


def run_scenario(scenario: Scenario, *, progress: bool = True, only: list[str] | None = None) -> RunResults:
    """Run every analysis ``scenario`` asks for; return the results (nothing is written)."""
    from tqdm import tqdm

    t0 = _time.perf_counter()
    started = _time.strftime("%Y-%m-%dT%H:%M:%SZ", _time.gmtime())
    ctx = RunContext(scenario=scenario, orbits=scenario.orbits)
    todo = [ANALYSES[name] for name in wanted_analyses(scenario) if only is None or name in only]
    results = []
    bar = tqdm(
        todo,
        desc="sim run",
        unit="analysis",
        disable=not progress,
        leave=True,
        bar_format="{l_bar}{bar:20}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]",
    )
    if progress:
        ctx.progress = lambda text: bar.set_postfix_str(text, refresh=True)
    for a in bar:
        bar.set_description(f"sim run: {a.name}")
        bar.set_postfix_str("", refresh=False)
        res = AnalysisResult(a.name, a.title)
        t1 = _time.perf_counter()
        try:
            a.func(ctx, res)
        except SimError as exc:
            raise SimError(f"analysis {a.name}: {exc}") from exc
        res.seconds = _time.perf_counter() - t1
        results.append(res)
    bar.close()
    return RunResults(scenario, ctx.orbits, results, _time.perf_counter() - t0, started)


# ================================================================ adapters
# Each adapter translates the scenario's settings into calls of one analysis module
# and its results into metrics (one value per station), tables and figures.

# The Arctic Circle, the mean Sun's motion and the Earth's radius: sim.constants (one definition each).


@analysis("orbit", "Orbits")
def _orbit(ctx: RunContext, res: AnalysisResult) -> None:
    """Elements and derived quantities of each station, and its ground track."""
    orb, names, sc = ctx.orbits, ctx.names, ctx.scenario
    re_km = f"{R_EARTH / 1e3:g} km"
    res.metric(
        "altitude_km",
        "Mean altitude",
        "km",
        f"semi-major axis minus the WGS84 equatorial radius ({re_km}), mean elements (Orbit.altitude_km: "
        "the altitude scenarios give)",
        orb.altitude_km,
        names,
    )
    res.metric(
        "mean_geodetic_altitude_km",
        "Orbit-averaged geodetic altitude",
        "km",
        "height above the WGS84 ellipsoid averaged over one revolution of the osculating (SGP4) orbit "
        "(Orbit.mean_geodetic_altitude_km: the height the atmosphere sees)",
        orb.mean_geodetic_altitude_km,
        names,
    )
    res.metric(
        "orbit_mean_altitude_km",
        "Orbit-mean altitude",
        "km",
        f"geocentric distance averaged over one revolution of the osculating (SGP4) orbit minus {re_km} "
        "(Orbit.orbit_mean_altitude_km: the altitude the decay figures and reboost bands use)",
        orb.orbit_mean_altitude_km,
        names,
    )
    res.metric("perigee_altitude_km", "Perigee altitude", "km", f"a(1-e) minus {re_km}", orb.perigee_altitude_km, names)
    res.metric("apogee_altitude_km", "Apogee altitude", "km", f"a(1+e) minus {re_km}", orb.apogee_altitude_km, names)
    res.metric(
        "inclination_deg",
        "Inclination",
        "deg",
        "mean inclination to the true equator of date (TEME)",
        orb.inclination_deg,
        names,
    )
    res.metric("period_min", "Period", "min", "Keplerian period of the mean semi-major axis", orb.period_s / 60, names)
    res.metric(
        "nodal_period_min",
        "Nodal period",
        "min",
        "node-to-node (draconitic) period including the J2 secular rates",
        orb.nodal_period_s / 60,
        names,
    )
    res.metric(
        "nodal_rate_deg_per_day",
        "Nodal precession",
        "deg/day",
        "secular J2 rate of the right ascension of the ascending node (negative = westward)",
        orb.nodal_rate_deg_per_day,
        names,
    )
    res.metric(
        "node_drift_vs_sun_deg_per_day",
        "Node drift against the Sun",
        "deg/day",
        "nodal precession minus the mean Sun's motion (360 deg per tropical year); 0 = sun-synchronous",
        orb.nodal_rate_deg_per_day - SUN_MEAN_MOTION_DEG_PER_DAY,
        names,
    )
    res.metric(
        "revs_per_day", "Revolutions per day", "rev/day", "86400 s divided by the nodal period", orb.revs_per_day, names
    )
    lat, lon, alt = ctx.track()
    res.metric(
        "max_latitude_deg",
        "Highest latitude reached",
        "deg",
        "largest geodetic latitude of the sub-satellite point over the time span",
        np.max(np.abs(lat), axis=1),
        names,
    )
    res.metric(
        "time_north_of_arctic_circle_pct",
        "Time north of the Arctic Circle",
        "%",
        f"share of time steps with the sub-satellite point north of the Arctic Circle "
        f"({ARCTIC_CIRCLE_DEG:.4f} deg N: 90 deg minus the J2000 obliquity)",
        100.0 * np.mean(lat >= ARCTIC_CIRCLE_DEG, axis=1),
        names,
    )

    rows = []
    geod = orb.mean_geodetic_altitude_km
    for k, n in enumerate(names):
        rows.append(
            [
                n,
                sc.source_of(k),
                orb.epoch[k].isot,
                round(sc.element_age_days(k), 3),
                round(float(orb.semi_major_axis_km[k]), 4),
                round(float(orb.altitude_km[k]), 4),
                round(float(geod[k]), 4),
                float(orb.ecc[k]),
                round(float(orb.inclination_deg[k]), 5),
                round(float(orb.raan_deg[k]), 5),
                round(float(orb.argp_deg[k]), 5),
                round(float(orb.mean_anomaly_deg[k]), 5),
            ]
        )
    res.tables["elements"] = Table(
        [
            "station",
            "source",
            "epoch_utc",
            "element_age_days",
            "semi_major_axis_km",
            "altitude_km",
            "mean_geodetic_altitude_km",
            "eccentricity",
            "inclination_deg",
            "raan_deg",
            "argp_deg",
            "mean_anomaly_deg",
        ],
        rows,
        title="Element sets (mean elements, TEME; element_age_days = analysis start minus epoch; "
        "altitude_km = a - 6378.137 km, mean_geodetic_altitude_km = orbit-averaged height above WGS84)",
    )
    res.notes.append(_altitude_note(sc, orb, names))
    res.notes.append(
        f"Propagation model for ground tracks and statistics on the main time grid: "
        f"{sc.propagation.model!r} ({_MODEL_TEXT.get(sc.propagation.model, '')}). Main time grid: "
        f"{plural(sc.time.span_days, 'day')} from {ctx.start_iso} UTC at {sc.time.step_s:g} s."
    )
    res.notes.append(
        "Ground tracks: TEME to the Earth-fixed frame by the GMST-1982 rotation with UT1 from the "
        "bundled IERS data (polar motion omitted, under ~15 m); WGS84 geodetic latitude."
    )
    if sc.outputs.figures:
        from .plots import ground_track_figure

        hours = min(sc.outputs.ground_track_hours, sc.time.span_days * 24)
        n = max(2, int(round(hours * 3600 / sc.time.step_s)) + 1)
        res.figures["ground_tracks"] = ground_track_figure(
            lat[:, :n],
            lon[:, :n],
            names,
            colours=ctx.colours,
            title=f"Ground tracks, first {hours:g} h from {ctx.start_iso[:16]} UTC",
            styles=ctx.styles,
            same_orbit=ctx.same_orbit,
        )
        top = dict(zip(names, np.max(np.abs(lat[:, :n]), axis=1)))
        res.captions["ground_tracks"] = (
            f"Ground tracks over the first {hours:g} h; the highest latitude each reaches: "
            f"{grouped(top, '.0f', 'deg')}." + _same_orbit_text(ctx.same_orbit)
        )


def _same_orbit_text(pairs: list[tuple[str, str]]) -> str:
    """One sentence per pair of stations in one plane ("B flies in the same plane as A ..."), or nothing."""
    return "".join(f" {b} flies in the same plane as {a}: their tracks overlap." for a, b in pairs)


def _altitude_note(sc, orb, names) -> str:
    """Which altitude the scenario's stations hold equal, and the other two conventions beside it."""
    kinds = sorted(
        {
            getattr(getattr(s, src), "altitude_kind", "mean")
            for s in sc.stations
            for src in ("circular", "sun_synchronous")
            if getattr(s, src) is not None
        }
        or {"mean"}
    )
    held = {
        "mean": "altitude_km, the mean semi-major axis minus the equatorial radius (the convention of the "
        "published '400 km' and '415 km')",
        "geodetic": "the orbit-averaged geodetic altitude",
    }
    shown = "; ".join(
        f"{n} {a:.1f} / {g:.1f} / {m:.1f} km"
        for n, a, g, m in zip(names, orb.altitude_km, orb.mean_geodetic_altitude_km, orb.orbit_mean_altitude_km)
    )
    return (
        f"Altitudes: stations given by altitude hold {' and '.join(held[k] for k in kinds)} as written in the "
        f"scenario. Mean / orbit-averaged geodetic / orbit-mean altitude: {shown}. Drag depends on the "
        "geodetic height, and equal altitudes in one convention differ in the others: a polar orbit spends "
        "half its time over the flattened high latitudes, so its geodetic altitude exceeds its altitude_km "
        "by more than an ISS-inclination orbit's does."
    )


_MODEL_TEXT = {
    "j2": "analytic secular J2 on mean elements",
    "kepler": "two-body",
    "sgp4": "SGP4 through the sgp4 package on the element sets",
}


#: The coverage note defining the regions starts with this (the report repeats it under its headline table).
REGION_NOTE_PREFIX = "Regions: "

#: What a built-in region's source does not say about its borders.
_REGION_BORDERS = {
    "russia": " (ADM0_A3 RUS; Natural Earth draws de-facto borders: Crimea is included, Kaliningrad too; "
    "the territorial sea is not)",
}


def _region_label(name: str) -> str:
    return {
        "russia": "Russia",
        "arctic": "Arctic (north of the Arctic Circle)",
        "northern_sea_route": "Northern Sea Route corridor",
        "land": "all land",
    }.get(name, name)


# ---------------------------------------------------------------- coverage


@analysis("coverage", "Coverage of regions and revisit", when=lambda sc: sc.coverage is not None)
def _coverage(ctx: RunContext, res: AnalysisResult) -> None:
    from . import coverage as cv
    from . import regions as rg

    c, names, orb = ctx.scenario.coverage, ctx.names, ctx.orbits
    fp = c.footprint.build()
    days = max(c.within_days)
    model = ctx.scenario.propagation.model
    regions = [(r, r) for r in c.regions]
    regions += [(g.name, rg.Region.from_geojson(g.path(ctx.scenario.base_dir), name=g.name)) for g in c.geojson_regions]
    seen_bars, results = [], {}
    for label, region in regions:
        key = _safe_key(label)
        cov = cv.coverage(orb, region, ctx.start_iso, days, fp, c.step_s, cell_km=c.cell_km, model=model)
        results[label] = cov
        rl = _region_label(label)
        for d in c.within_days:
            res.metric(
                f"{key}.seen_within_{d:g}d_pct",
                f"{rl}: area seen within {d:g} d",
                "%",
                f"area-weighted share of an equal-area grid ({c.cell_km:g} km cells) over {rl} whose points "
                f"see the station at least once within {plural(d, 'day')} of the start ({fp})",
                100.0 * cov.share_seen_within(d),
                names,
            )
        seen_bars.append(100.0 * cov.share_seen_within(days))
        if c.revisit:
            s = cov.summary()
            res.metric(
                f"{key}.time_covered_pct",
                f"{rl}: time covered",
                "%",
                f"area-weighted mean share of time a grid point sees the station, over {plural(days, 'day')} "
                "(STK 'percent time covered')",
                100.0 * s["time_covered"],
                names,
            )
            res.metric(
                f"{key}.never_seen_pct",
                f"{rl}: never seen",
                "%",
                f"area-weighted share of the grid over {rl} that never sees the station in {plural(days, 'day')}; "
                "the revisit statistics below describe the rest (the points seen)",
                100.0 * s["never_seen"],
                names,
            )
            res.metric(
                f"{key}.mean_revisit_h",
                f"{rl}: mean revisit",
                "h",
                "area-weighted mean, over grid points seen at least twice, of the mean gap between "
                f"consecutive accesses over {plural(days, 'day')} (STK 'revisit time, average'; empty when no "
                "point is seen twice)",
                s["mean_gap_h"],
                names,
            )
            res.metric(
                f"{key}.mean_max_gap_h",
                f"{rl}: mean maximum gap",
                "h",
                "area-weighted mean, over grid points seen at least once, of each point's longest time without "
                f"access, gaps at the start and end of the {plural(days, 'day')} included (STK 'revisit time, "
                "maximum'; empty when no point is seen: see never seen)",
                s["mean_max_gap_h"],
                names,
            )
            res.metric(
                f"{key}.worst_gap_h",
                f"{rl}: worst gap",
                "h",
                f"the longest time without access at any grid point seen over {plural(days, 'day')} (points "
                "never seen are counted under never seen, not here)",
                s["worst_gap_h"],
                names,
            )
            res.metric(
                f"{key}.accesses_per_day",
                f"{rl}: accesses per day",
                "1/day",
                "area-weighted mean number of separate accesses per grid point per day",
                s["accesses_per_day"],
                names,
            )
        if not isinstance(region, str) or region != "land":
            revs = cv.revolutions_over(orb, region, ctx.start_iso, days, None, c.step_s, model=model, cell_km=c.cell_km)
            res.metric(
                f"{key}.revolutions_over_pct",
                f"{rl}: revolutions over it",
                "%",
                "share of complete revolutions (ascending node to ascending node) during which the "
                f"sub-satellite point enters {rl}, over {plural(days, 'day')}",
                100.0 * revs,
                names,
            )
            tmin = cv.time_over_region(orb, region, ctx.start_iso, days, None, c.step_s, model=model, cell_km=c.cell_km)
            res.metric(
                f"{key}.minutes_over_per_day",
                f"{rl}: time over it",
                "min/day",
                f"minutes per day with the sub-satellite point inside {rl}",
                tmin,
                names,
            )
    res.notes.append(
        f"Footprint: {fp.describe()}. Spherical-Earth footprint geometry (IUGG mean radius) "
        f"with WGS84 geodetic sub-satellite points; time step {c.step_s:g} s; equal-area grid of "
        f"{c.cell_km:g} km cells; ground tracks with the '{model}' model. Definitions: sim.coverage."
    )
    res.notes.append(
        REGION_NOTE_PREFIX
        + "; ".join(
            f"{_region_label(label)} = {rg.get(region).source if isinstance(region, str) else region.source}"
            + _REGION_BORDERS.get(label if isinstance(region, str) else "", "")
            for label, region in regions
        )
        + "."
    )
    if c.cities:
        cr = cv.city_revisit(orb, ctx.start_iso, days, fp, c.step_s, model=model)
        rows = []
        for j, city in enumerate(cr.point_names):
            for k, n in enumerate(names):
                rows.append(
                    [
                        city,
                        n,
                        round(float(cr.n_access[k, j]) / days, 3),
                        _r(cr.mean_gap_s[k, j] / 3600.0, 4),
                        _r(cr.max_gap_s[k, j] / 3600.0, 4),
                        _r(100.0 * cr.time_covered[k, j], 4),
                    ]
                )
        res.tables["city_revisit"] = Table(
            ["city", "station", "accesses_per_day", "mean_revisit_h", "max_gap_h", "time_covered_pct"],
            rows,
            title=f"Revisit over cities ({plural(days, 'day')})",
        )
        res.metric(
            "cities.seen_pct",
            "Cities seen at least once",
            "%",
            f"share of the named cities (sim/data/regions/cities.csv) seen at least once in {plural(days, 'day')}",
            100.0 * np.mean(np.isfinite(cr.first_seen_s), axis=1),
            names,
        )
        res.metric(
            "cities.worst_gap_h",
            "Cities: worst gap",
            "h",
            "longest time without access over any named city (end gaps included)",
            np.max(cr.max_gap_s, axis=1) / 3600.0,
            names,
        )
    if ctx.scenario.outputs.figures and seen_bars:
        res.figures["area_seen"] = plots.grouped_bar_figure(
            [_region_label(r) for r, _ in regions],
            np.array(seen_bars).T,
            names,
            ylabel="area seen (%)",
            xlabel="region",
            title=f"Share of each region seen within {plural(days, 'day')} ({fp})",
            colours=ctx.colours,
            styles=ctx.styles,
        )
        parts = [
            f"{_region_label(r)} {grouped(res.values(f'{_safe_key(r)}.seen_within_{days:g}d_pct'), '.0f', '%')}"
            for r, _ in regions
        ]
        res.captions["area_seen"] = (
            f"Share of each region's area seen at least once within {plural(days, 'day')}: {'; '.join(parts)} "
            "(a 0 % bar: the station never sees that region)."
        )
        for label in c.maps:
            polar = label in ("arctic", "northern_sea_route")
            fn = plots.arctic_map_figure if polar else plots.coverage_map_figure
            fkey = f"{_safe_key(label)}_revisit_map"
            res.figures[fkey] = fn(results[label], "mean_gap_h")
            sm = results[label].summary()
            res.captions[fkey] = (
                f"Mean revisit gap per grid cell over {_region_label(label)} in {plural(days, 'day')}, area-weighted "
                f"mean {grouped(dict(zip(names, sm['mean_gap_h'])), '.3g', 'h')}; grey cells are never seen "
                f"({grouped(dict(zip(names, 100.0 * sm['never_seen'])), '.0f', '%')} of the area)."
            )


def metric_key(text: str) -> str:
    """The part of a metric key made from a region or site name: lower case, letters, digits and ``_``.

    Different names can give one key ("Russia A" and "russia_a"); scenario validation refuses
    such pairs (sim.scenario), and :meth:`AnalysisResult.metric` refuses a repeated key."""
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in str(text).lower()).strip("_") or "region"


_safe_key = metric_key  # the adapters' short name


def _r(v, digits=6):
    v = float(v)
    return round(v, digits) if math.isfinite(v) else None


# ---------------------------------------------------------------- ground-station passes


@analysis("passes", "Passes over ground stations", when=lambda sc: sc.ground_stations is not None)
def _passes(ctx: RunContext, res: AnalysisResult) -> None:
    from . import coverage as cv
    from .timeutil import time_range

    g, names, orb = ctx.scenario.ground_stations, ctx.names, ctx.orbits
    stations = list(cv.ground_stations(g.network)) if g.network else []
    stations += [
        cv.Station(s.name, s.latitude_deg, s.longitude_deg, s.height_m, g.min_elevation_deg) for s in g.stations
    ]
    stop = time_range(ctx.start_iso, step_s=g.days * 86400.0, days=g.days)[-1]
    ctx.progress(f"passes over {plural(len(stations), 'ground station')}")
    plist = cv.passes(orb, stations, ctx.start_iso, stop, g.min_elevation_deg, model=ctx.scenario.propagation.model)
    ctx.progress(f"contact minutes, {plural(len(stations), 'ground station')}")
    contact = cv.contact_minutes_per_day(
        orb,
        stations,
        ctx.start_iso,
        g.days,
        min_elevation_deg=g.min_elevation_deg,
        model=ctx.scenario.propagation.model,
    )
    st_names = contact["stations"]
    by_orbit = {n: [p for p in plist if p.orbit == n] for n in names}
    res.metric(
        "passes_per_day",
        "Passes per day (all stations)",
        "1/day",
        f"passes above {g.min_elevation_deg:g} deg elevation over any station of the network, counted per "
        f"station and summed, per day over {plural(g.days, 'day')}",
        [len(by_orbit[n]) / g.days for n in names],
        names,
    )
    res.metric(
        "network_contact_min_per_day",
        "Network contact time",
        "min/day",
        "minutes per day during which at least one station of the network sees the station above the mask "
        "(sampled every 10 s)",
        contact["network"],
        names,
    )
    res.metric(
        "mean_pass_duration_min",
        "Mean pass duration",
        "min",
        "mean rise-to-set duration of complete passes (passes clipped by the analysis window excluded)",
        [
            np.mean([p.duration_s for p in by_orbit[n] if not p.partial]) / 60.0
            if any(not p.partial for p in by_orbit[n])
            else None
            for n in names
        ],
        names,
    )
    res.metric(
        "mean_max_elevation_deg",
        "Mean culmination elevation",
        "deg",
        "mean of the highest elevation of each complete pass",
        [
            np.mean([p.max_elevation_deg for p in by_orbit[n] if not p.partial])
            if any(not p.partial for p in by_orbit[n])
            else None
            for n in names
        ],
        names,
    )
    res.metric(
        "longest_gap_h",
        "Longest gap without contact",
        "h",
        f"longest time over the {g.days:g}-day span with no station of the network in contact "
        "(merged pass intervals, span edges included)",
        [_longest_gap_s([(p.rise_s, p.set_s) for p in by_orbit[n]], g.days * 86400.0) / 3600.0 for n in names],
        names,
    )
    rows = []
    for k, n in enumerate(names):
        for j, s in enumerate(st_names):
            cnt = sum(1 for p in by_orbit[n] if p.station == s)
            rows.append([s, n, round(cnt / g.days, 4), _r(contact["per_station"][k, j], 4)])
    res.tables["per_station"] = Table(
        ["ground_station", "station", "passes_per_day", "contact_min_per_day"],
        rows,
        title="Passes and contact per ground station",
        show_rows=16,
    )
    res.tables["passes"] = Table(
        [
            "station",
            "ground_station",
            "rise_utc",
            "culmination_utc",
            "set_utc",
            "max_elevation_deg",
            "duration_min",
            "partial",
        ],
        [
            [
                p.orbit,
                p.station,
                _isot(p.rise),
                _isot(p.culmination),
                _isot(p.set),
                round(p.max_elevation_deg, 3),
                round(p.duration_s / 60.0, 3),
                p.partial,
            ]
            for p in plist
        ],
        title="Every pass",
        show_rows=12,
    )
    res.notes.append(
        f"Ground stations: {', '.join(st_names)} (network preset {g.network!r}; coordinates and sources in "
        f"sim/data/regions/ground_stations_ru.csv). Elevation mask {g.min_elevation_deg:g} deg, geometric "
        f"elevation without refraction; rise/set refined to 1 ms; {plural(g.days, 'day')} from the start."
    )
    if ctx.scenario.outputs.figures:
        vals = np.array([[r[2] for r in rows if r[1] == n] for n in names])
        res.figures["passes_per_day"] = plots.grouped_bar_figure(
            st_names,
            vals,
            names,
            ylabel="passes per day (1/day)",
            xlabel="ground station",
            colours=ctx.colours,
            title=f"Passes per day per ground station (mask {g.min_elevation_deg:g} deg)",
            styles=ctx.styles,
        )
        res.captions["passes_per_day"] = (
            f"Passes above {g.min_elevation_deg:g} deg elevation per day over each ground station "
            f"({plural(g.days, 'day')}); over the whole network "
            f"{grouped(res.values('passes_per_day'), '.3g', 'per day')}"
            f", and the longest time with no station in contact {grouped(res.values('longest_gap_h'), '.3g', 'h')}."
        )


def _launch_caption(res: AnalysisResult, sites: list, orb: Any, names: list[str], days: float) -> str:
    """Windows per day from each site, and why a station has none from a site (latitude or azimuth)."""
    parts, why = [], []
    inc = np.asarray(orb.inclination_deg, float)
    for st in sites:
        key = _safe_key(st.key)
        per_day = res.values(f"{key}.windows_per_day")
        parts.append(f"{st.key} {grouped(per_day, '.2g')}")
        none = [k for k, n in enumerate(names) if not per_day.get(n)]
        north = [k for k in none if abs(st.latitude_deg) > min(inc[k], 180.0 - inc[k]) + 1e-9]
        if north:
            dv = res.values(f"{key}.min_plane_change_dv_m_s")
            why.append(
                f"{' and '.join(names[k] for k in north)} from {st.key}: the site, at "
                f"{abs(st.latitude_deg):.1f} deg {'N' if st.latitude_deg >= 0 else 'S'}, lies beyond the "
                f"inclination ({grouped({names[k]: inc[k] for k in north}, '.4g', 'deg')}), so the plane never "
                f"passes over it (a dog-leg costs {grouped({names[k]: dv[names[k]] for k in north}, '.3g', 'm/s')})"
            )
        other = [k for k in none if k not in north]
        if other:
            why.append(
                f"{' and '.join(names[k] for k in other)} from {st.key}: the plane passes over the site but "
                "at a launch azimuth outside its allowed range"
            )
    text = f"Usable launch windows per day over {plural(days, 'day')}: {'; '.join(parts)}."
    if why:
        text += " No window for " + "; ".join(why) + "."
    return text


def _isot(t) -> str:
    from .timeutil import offline_iers

    with offline_iers():
        return t.utc.isot[:23] + "Z"


def _longest_gap_s(intervals, span_s: float) -> float:
    """Longest stretch of [0, span_s] not covered by the union of intervals."""
    if not intervals:
        return span_s
    iv = sorted(intervals)
    gap, end = iv[0][0] - 0.0, iv[0][1]
    for a, b in iv[1:]:
        if a > end:
            gap = max(gap, a - end)
        end = max(end, b)
    return max(gap, span_s - end)


# ---------------------------------------------------------------- launch windows


@analysis("launch", "Launch windows", when=lambda sc: sc.launch is not None)
def _launch(ctx: RunContext, res: AnalysisResult) -> None:
    from . import launch as ln

    L, names, orb = ctx.scenario.launch, ctx.names, ctx.orbits
    sites = [ln.site(k) for k in L.sites] + [cs.build() for cs in L.custom_sites]
    kw = {} if L.liftoff_lead_s is None else {"lead_s": L.liftoff_lead_s}
    all_rows, calendar = [], {}
    for st in sites:
        per_day, first, az, dv, pen = [], [], [], [], []
        for k in range(len(orb)):
            tab = ln.windows(orb[k], st, ctx.start_iso, days=L.days, **kw)
            rows = tab.to_rows()
            all_rows += rows
            ok = [r for r in rows if r["in_plane"] and r["azimuth_allowed"]]
            per_day.append(len(ok) / L.days)
            first.append(ok[0]["liftoff_utc"] if ok else None)
            az.append(
                np.mean([r["azimuth_deg"] for r in ok if r["direction"] == "ascending"])
                if any(r["direction"] == "ascending" for r in ok)
                else None
            )
            dv.append(min((r["plane_change_dv_m_s"] for r in rows), default=None))
            pen.append(min((r["payload_penalty_kg"] for r in rows), default=None))
            calendar.setdefault(st.name, []).append(tab)
        key = _safe_key(st.key)
        res.metric(
            f"{key}.windows_per_day",
            f"{st.key}: usable windows per day",
            "1/day",
            f"in-plane opportunities from {st.name} whose launch azimuth the site allows, per day over "
            f"{plural(L.days, 'day')} (ascending and descending)",
            per_day,
            names,
        )
        res.metric(
            f"{key}.ascending_azimuth_deg",
            f"{st.key}: launch azimuth (ascending)",
            "deg",
            "mean ground-relative launch azimuth of the allowed ascending (northbound) windows, corrected "
            "for the Earth's rotation; empty when none is allowed",
            az,
            names,
        )
        res.metric(
            f"{key}.min_plane_change_dv_m_s",
            f"{st.key}: plane-change delta-v needed",
            "m/s",
            "smallest plane-change delta-v over the windows: 0 when the site reaches the plane directly, "
            "otherwise the single impulsive plane change from the closest reachable plane (sim.launch)",
            dv,
            names,
        )
        res.metric(
            f"{key}.min_payload_penalty_kg",
            f"{st.key}: payload penalty",
            "kg",
            "smallest payload loss over the windows from sim.launch's simple launcher model (0 when in-plane "
            "and allowed)",
            pen,
            names,
        )
        res.metric(
            f"{key}.first_liftoff_utc",
            f"{st.key}: first usable liftoff",
            "UTC",
            "liftoff time (in-plane instant minus the liftoff lead) of the first allowed window",
            first,
            names,
            digits=0,
        )
    lead = L.liftoff_lead_s if L.liftoff_lead_s is not None else ln.DEFAULT_LEAD_S
    site_text = "; ".join(
        f"{s.key} = {s.name} ({s.latitude_deg:.4f} N, {s.longitude_deg:.4f} E), limits: {s.limits_basis}" for s in sites
    )
    res.notes.append(f"Sites: {site_text}.")
    before, after = ln.liftoff_interval_s()
    res.notes.append(
        f"Windows over {plural(L.days, 'day')} from the start; mean orbit plane with J2 nodal regression; "
        f"liftoff {lead:g} s before the in-plane instant (sim.launch.DEFAULT_LEAD_S: the median of "
        f"{len(ln.liftoff_sample())} real Soyuz/Progress launches, sim/data/{ln.LIFTOFF_SAMPLE_FILE}; they lie "
        f"from {before:.1f} s before to {after:.1f} s after it); phase angle and rendezvous profiles as defined in "
        "sim.launch."
    )
    cols = [
        "site",
        "target",
        "in_plane_utc",
        "liftoff_utc",
        "direction",
        "in_plane",
        "azimuth_deg",
        "azimuth_allowed",
        "phase_deg",
        "profiles",
        "plane_change_dv_m_s",
        "payload_penalty_kg",
        "window",
    ]
    res.tables["windows"] = Table(
        cols,
        [[("|".join(r[c]) if c == "profiles" else r[c]) for c in cols] for r in all_rows],
        title="Every launch opportunity",
        show_rows=16,
    )
    if ctx.scenario.outputs.figures:
        res.figures["calendar"] = plots.window_calendar_figure(
            calendar,
            colours=dict(zip(names, ctx.colours)),
            title=f"Launch windows over {plural(L.days, 'day')} (filled: allowed azimuth and in-plane)",
            styles=ctx.styles,
            same_orbit=ctx.same_orbit,
        )
        res.captions["calendar"] = _launch_caption(res, sites, orb, names, L.days)


# ---------------------------------------------------------------- environment


@analysis("environment", "Light, shadow and radiation", when=lambda sc: sc.environment is not None)
def _environment(ctx: RunContext, res: AnalysisResult) -> None:
    from . import environment as env

    E, names, orb, sc = ctx.scenario.environment, ctx.names, ctx.orbits, ctx.scenario
    days = E.days if E.days is not None else sc.time.span_days
    model = sc.propagation.model
    figs = sc.outputs.figures
    if E.beta:
        t = ctx.time_grid(days, max(E.step_s, 600.0))  # beta changes slowly: 10-minute samples suffice
        beta = env.beta_angle(orb, t, model=model)
        res.metric(
            "beta_max_abs_deg",
            "Largest |beta angle|",
            "deg",
            f"largest absolute angle between the Sun direction and the orbit plane over {plural(days, 'day')}",
            np.max(np.abs(beta), axis=1),
            names,
        )
        res.metric(
            "beta_min_deg",
            "Smallest beta angle",
            "deg",
            f"minimum beta angle over {plural(days, 'day')}",
            np.min(beta, axis=1),
            names,
        )
        res.metric(
            "beta_max_deg",
            "Largest beta angle",
            "deg",
            f"maximum beta angle over {plural(days, 'day')}",
            np.max(beta, axis=1),
            names,
        )
        res.metric(
            "ltan_start_h",
            "Local time of the ascending node at start",
            "h",
            "local mean solar time of the ascending node at the start",
            env.ltan_hours(orb, t[:1])[:, 0],
            names,
        )
        res.metric(
            "ltan_drift_min_per_day",
            "Node local-time drift",
            "min/day",
            "drift of the node's local time against the mean Sun (0 = sun-synchronous): J2 nodal rate minus "
            "360 deg per tropical year, in minutes of local time per day",
            env.ltan_drift_deg_per_day(orb) * 4.0,
            names,
        )
        if figs:
            dd = np.arange(len(t)) * max(E.step_s, 600.0) / 86400.0
            res.figures["beta_angle"] = plots.beta_angle_figure(
                dd,
                beta,
                names,
                beta_limits_deg=env.eclipse_beta_limit_deg(orb.altitude_km),
                title=f"Beta angle over {plural(days, 'day')} from {ctx.start_iso[:10]}",
                styles=ctx.styles,
                same_orbit=ctx.same_orbit,
            )
            lim = env.eclipse_beta_limit_deg(orb.altitude_km)
            res.captions["beta_angle"] = (
                f"Angle between the Sun and each orbit plane over {plural(days, 'day')}; the largest |beta|: "
                f"{grouped(res.values('beta_max_abs_deg'), '.0f', 'deg')}. Beyond the dotted lines (|beta| above "
                f"{'-'.join(sorted({f'{x:.0f}' for x in np.atleast_1d(lim)}))} deg at these altitudes) an orbit is "
                "in sunlight all the way round."
            )
    if E.eclipses:
        start = ctx.time_grid(days)[0]
        ecl = env.eclipses(orb, start, days, E.shadow_model, propagator=model, step_s=min(E.step_s, 60.0))
        per_day = np.bincount(ecl.orbit_index, weights=ecl.duration_s, minlength=len(orb)) / 60.0 / days
        res.metric(
            "eclipse_min_per_day",
            "Time in shadow",
            "min/day",
            f"minutes per day in the Earth's shadow ({E.shadow_model} model, penumbra included), "
            f"over {plural(days, 'day')}",
            per_day,
            names,
        )
        fr = ecl.fraction_range()
        res.metric(
            "eclipse_fraction_max_pct",
            "Longest eclipse per orbit",
            "% of orbit",
            "longest single eclipse as a share of the nodal period",
            100.0 * fr[:, 1],
            names,
        )
        mx = [
            float(np.max(ecl.duration_s[ecl.orbit_index == i])) / 60.0 if np.any(ecl.orbit_index == i) else 0.0
            for i in range(len(orb))
        ]
        res.metric("eclipse_max_min", "Longest eclipse", "min", "longest single eclipse (entry to exit)", mx, names)
        res.metric(
            "eclipses_per_day",
            "Eclipses per day",
            "1/day",
            "complete eclipses per day",
            np.bincount(ecl.orbit_index, minlength=len(orb)) / days,
            names,
        )
        if days >= 1.0:
            res.metric(
                "sunlight_days",
                "Days in continuous sunlight",
                "days",
                f"whole 24-hour periods without any eclipse within the {plural(days, 'day')}",
                env.sunlight_days(ecl),
                names,
            )
        res.tables["eclipses"] = Table(
            ["station", "entry_utc", "exit_utc", "duration_min", "umbra_min", "fraction_of_orbit"],
            [
                [names[i], _isot(a), _isot(b), round(float(d) / 60, 4), round(float(u) / 60, 4), round(float(f), 5)]
                for i, a, b, d, u, f in zip(
                    ecl.orbit_index, ecl.entry, ecl.exit, ecl.duration_s, ecl.umbra_s, ecl.fraction
                )
            ]
            if len(ecl)
            else [],
            title="Every eclipse",
            show_rows=10,
        )
        if figs and len(ecl):
            res.figures["eclipse_minutes"] = plots.eclipse_minutes_figure(
                ecl, styles=ctx.styles, same_orbit=ctx.same_orbit
            )
        if "eclipse_minutes" in res.figures:
            dark = [n for n, v in zip(names, per_day) if v == 0.0]
            res.captions["eclipse_minutes"] = (
                f"Minutes per day in the Earth's shadow over {plural(days, 'day')}: "
                f"{grouped(dict(zip(names, per_day)), '.0f', 'min')}"
                + (f"; {' and '.join(dark)}: no eclipse at all in the span (continuous sunlight)." if dark else ".")
            )
    if E.radiation:
        rdays = min(days, RADIATION_MAX_DAYS)
        rad = env.radiation_exposure(orb, ctx.start_iso, rdays, model=model, return_tracks=figs)
        res.metric(
            "saa_min_per_day",
            "Time in the South Atlantic Anomaly",
            "min/day",
            f"minutes per day with the IGRF total field below {rad['threshold_nT']:g} nT at the station "
            f"(radiation proxy, {plural(rdays, 'day')})",
            rad["saa_min_per_day"],
            names,
        )
        res.metric(
            "horn_min_per_day",
            "Time at high geomagnetic latitude",
            "min/day",
            f"minutes per day at |geomagnetic latitude| >= {rad['horn_gmlat_deg']:g} deg (polar horns; proxy)",
            rad["horn_min_per_day"],
            names,
        )
        # Two ratios, never their sum: a minute at high latitude carries far less dose than
        # a minute in the SAA, so an unweighted total would read as a (wrong) dose ratio.
        res.metric(
            "saa_ratio_to_first",
            f"SAA time relative to {names[0]}",
            "ratio",
            f"SAA minutes per day divided by those of {names[0]} (time, not dose)",
            rad["saa_ratio"],
            names,
        )
        res.metric(
            "horn_ratio_to_first",
            f"High-latitude time relative to {names[0]}",
            "ratio",
            f"high-geomagnetic-latitude minutes per day divided by those of {names[0]} (time, not dose; "
            "the published dose increase for the polar orbit is 20-30%)",
            rad["horn_ratio"],
            names,
        )
        if figs:
            res.figures["saa_map"] = plots.saa_map_figure(
                rad, altitude_km=float(np.mean(orb.altitude_km)), styles=ctx.styles, same_orbit=ctx.same_orbit
            )
            res.captions["saa_map"] = (
                f"Minutes per day in the South Atlantic Anomaly: {grouped(res.values('saa_min_per_day'), '.0f', 'min')}"
                f"; at high geomagnetic latitude: {grouped(res.values('horn_min_per_day'), '.0f', 'min')} "
                "(time in each zone, not dose)."
            )
        res.notes.append(
            f"Radiation proxy over {plural(rdays, 'day')}: IGRF-14 field via ppigrf; SAA threshold "
            f"{rad['threshold_nT']:g} nT, polar horns at |geomagnetic latitude| >= "
            f"{rad['horn_gmlat_deg']:g} deg (assumptions documented in sim.environment). It measures "
            "time in these zones, not dose: no particle fluxes, shielding or solar-cycle modulation."
        )
    if E.dose:
        _environment_dose(ctx, res, min(days, RADIATION_MAX_DAYS))
    res.notes.append(
        f"Sun from a truncated VSOP87 series; Earth's shadow: {E.shadow_model} model on the WGS84 "
        f"ellipsoid, entry/exit refined to 0.01 s, no atmospheric refraction; {plural(days, 'day')} from the "
        f"start with the '{model}' propagation model."
    )


def _environment_dose(ctx: RunContext, res: AnalysisResult, days: float) -> None:
    """``[environment] dose``: the AP8/AE8 + GCR dose-rate estimate (sim.environment.radiation_dose)."""
    from . import environment as env
    from . import radiation as rad
    from .plots import environment as env_plots

    E, names, orb = ctx.scenario.environment, ctx.names, ctx.orbits
    figs = ctx.scenario.outputs.figures
    d = env.radiation_dose(
        orb,
        ctx.start_iso,
        days,
        E.solar,
        proton_MeV=E.proton_MeV,
        electron_MeV=E.electron_MeV,
        model=ctx.scenario.propagation.model,
        return_tracks=figs,
    )
    phase = f"solar {E.solar}imum"
    shield = "inside ISS-like shielding (the calibration's), solar particle events excluded"
    rows = (
        ("dose_total_mgy_per_day", "Dose rate (trapped + GCR)", d["total_mGy_per_day"], f"absorbed dose rate {shield}"),
        (
            "dose_total_low_mgy_per_day",
            "Dose rate, calibration low",
            d["total_mGy_per_day_low"],
            "lowest total over the calibration measurements' constants",
        ),
        (
            "dose_total_high_mgy_per_day",
            "Dose rate, calibration high",
            d["total_mGy_per_day_high"],
            "highest total over the calibration measurements' constants",
        ),
        (
            "dose_trapped_mgy_per_day",
            "Dose rate from trapped protons",
            d["trapped_mGy_per_day"],
            f"trapped-proton part: calibrated x orbit-mean AP8{E.solar.upper()} flux above {E.proton_MeV:g} MeV",
        ),
        (
            "dose_gcr_mgy_per_day",
            "Dose rate from galactic cosmic rays",
            d["gcr_mGy_per_day"],
            "GCR part: calibrated x orbit-mean GCR index (cutoff rigidity and Earth shadow)",
        ),
    )
    for key, label, values, definition in rows:
        res.metric(key, label, "mGy/day", f"{definition}, {phase}, over {plural(days, 'day')}", values, names)
    ref = names[0]
    res.metric(
        "dose_ratio_to_first",
        f"Dose rate relative to {ref}",
        "ratio",
        f"total dose rate divided by that of {ref} (mean calibration constants)",
        d["ratio"],
        names,
    )
    res.metric(
        "dose_ratio_low_to_first",
        f"Dose ratio to {ref}, calibration low",
        "ratio",
        "lowest ratio over the calibration measurements' constants",
        d["ratio_low"],
        names,
    )
    res.metric(
        "dose_ratio_high_to_first",
        f"Dose ratio to {ref}, calibration high",
        "ratio",
        "highest ratio over the calibration measurements' constants",
        d["ratio_high"],
        names,
    )
    # What the ratio rests on (sim.radiation.ratio_at_gcr_share): two ratios without calibration and
    # the reference's GCR share; the published claims' implied share is shown, never used.
    res.metric(
        "dose_flux_ratio_to_first",
        f"Trapped-proton flux relative to {ref}",
        "ratio",
        f"orbit-mean AP8 proton flux divided by that of {ref} (no calibration: the dose ratio if all were trapped)",
        d["flux_ratio"],
        names,
    )
    res.metric(
        "dose_gcr_index_ratio_to_first",
        f"GCR index relative to {ref}",
        "ratio",
        f"orbit-mean GCR index divided by that of {ref} (no calibration: the dose ratio if all dose were GCR)",
        d["gcr_index_ratio"],
        names,
    )
    res.metric(
        "dose_gcr_share",
        "GCR share of the dose",
        "fraction",
        f"GCR part over the total (mean constants); {ref}'s value is the share every dose ratio rests on: ratio = "
        f"(1 - share) x flux ratio + share x GCR-index ratio; {ref}'s calibration band "
        f"{d['reference_gcr_share_low']:.2f}-{d['reference_gcr_share_high']:.2f}",
        d["gcr_share"],
        names,
    )
    for claim, shares in zip(d["claim_ratios"], np.asarray(d["claim_gcr_share"]).T):
        pct = f"{(claim - 1.0) * 100:.0f}"
        res.metric(
            f"dose_claim_{pct}pct_gcr_share",
            f"{ref} GCR share the +{pct} % claim implies",
            "fraction",
            f"the {ref} GCR share at which the station's dose would be {claim:g} x {ref}'s (what the published "
            "claim implies, not an input; none: no share in 0-1 gives it)",
            shares,
            names,
        )
    res.metric(
        "proton_flux_cm2_s",
        f"Trapped protons > {E.proton_MeV:g} MeV",
        "cm^-2 s^-1",
        f"orbit-averaged AP8{E.solar.upper()} omnidirectional integral flux",
        d["proton_flux_cm2_s"],
        names,
    )
    res.metric(
        "electron_flux_cm2_s",
        f"Trapped electrons > {E.electron_MeV:g} MeV",
        "cm^-2 s^-1",
        f"orbit-averaged AE8{E.solar.upper()} integral flux (stopped by the hull: no dose counted)",
        d["electron_flux_cm2_s"],
        names,
    )
    res.metric(
        "proton_fluence_cm2_per_day",
        f"Daily fluence of protons > {E.proton_MeV:g} MeV",
        "cm^-2/day",
        "orbit-averaged flux x 86,400 s",
        d["proton_fluence_cm2_per_day"],
        names,
    )
    res.metric(
        "cutoff_mean_gv",
        "Mean vertical cutoff rigidity",
        "GV",
        "time-averaged Stormer cutoff of IGRF-14's eccentric dipole",
        d["cutoff_mean_GV"],
        names,
    )
    for k, thr in enumerate(d["thresholds_GV"]):
        res.metric(
            f"cutoff_below_{thr:g}gv_pct".replace(".", "p"),
            f"Time with cutoff below {thr:g} GV",
            "%",
            f"share of time the vertical cutoff rigidity is below {thr:g} GV",
            100.0 * d["below_fraction"][:, k],
            names,
        )
    res.metric(
        "gcr_index",
        "GCR exposure index",
        "1 = free space",
        f"orbit-mean galactic proton flux above the cutoff, times the unshadowed sky, relative to free space "
        f"at solar minimum ({phase})",
        d["gcr_index"],
        names,
    )
    cal = d["calibration"]
    res.tables["dose_calibration"] = Table(
        [
            "id",
            "instrument",
            "location",
            "start",
            "end",
            "solar",
            "iss_altitude_km",
            "trapped_mGy_per_day",
            "gcr_mGy_per_day",
            "total_mGy_per_day",
            "k_trap",
            "k_gcr",
            "source",
        ],
        [
            [
                r["id"],
                r["instrument"],
                r["location"],
                r["start"],
                r["end"],
                r["solar"],
                r["iss_altitude_km"],
                r["trapped_mGy_per_day"],
                r["gcr_mGy_per_day"],
                r["total_mGy_per_day"],
                round(float(kt), 6),
                round(float(kg), 5),
                r["source"],
            ]
            for r, kt, kg in zip(rad.calibration_data(), cal["k_trap"], cal["k_gcr"])
        ],
        title="Published ISS and Mir doses the dose constants are fitted on (sim/data/iss_dosimetry_calibration.csv)",
    )
    if figs:
        alt = float(np.mean(orb.altitude_km))
        res.figures["dose_rate"] = env_plots.dose_rate_figure(d, styles=ctx.styles)
        res.captions["dose_rate"] = (
            f"Estimated absorbed dose rate ({phase}): {grouped(res.values('dose_total_mgy_per_day'), '.2f', 'mGy/day')}"
            f"; relative to {ref}: {grouped(res.values('dose_ratio_to_first'), '.2f')} (bars: the calibration "
            "band). Published claim for the polar orbit: about 20 % (IBMP) to 30 % (Izvestia) higher, not used "
            "by the model."
        )
        res.figures["dose_share"] = env_plots.dose_share_figure(d, styles=ctx.styles)
        res.captions["dose_share"] = (
            f"Dose ratio to {ref} against {ref}'s GCR share of its dose: each line runs from the trapped-proton "
            f"flux ratio (share 0) to the GCR-index ratio (share 1); the calibration puts the share at "
            f"{d['reference_gcr_share']:.2f} ({d['reference_gcr_share_low']:.2f}-{d['reference_gcr_share_high']:.2f}). "
            "The shaded band is the published +20-30 % for the polar orbit, drawn for comparison only."
        )
        res.figures["trapped_flux"] = env_plots.trapped_flux_map_figure(
            rad.flux_map(alt, energy_MeV=E.proton_MeV, solar=E.solar, year=d["year"]),
            d,
            altitude_km=alt,
            label=f"AP8{E.solar.upper()} protons > {E.proton_MeV:g} MeV",
            styles=ctx.styles,
        )
        res.captions["trapped_flux"] = (
            f"AP8 trapped protons at {alt:.0f} km (the SAA moved west by its drift to {d['year']:.0f}) and a few "
            f"revolutions of each track; orbit means {grouped(res.values('proton_flux_cm2_s'), '.3g', 'cm^-2 s^-1')}."
        )
        res.figures["cutoff_rigidity"] = env_plots.cutoff_map_figure(
            rad.cutoff_map(alt, ctx.start_iso), d, altitude_km=alt, styles=ctx.styles
        )
        res.captions["cutoff_rigidity"] = (
            f"Vertical cutoff rigidity at {alt:.0f} km: the lower, the more cosmic rays get in. Mean along the "
            f"orbits: {grouped(res.values('cutoff_mean_gv'), '.1f', 'GV')}."
        )
    res.notes.append(
        f"Dose estimate ({phase}, {plural(days, 'day')}): AP8/AE8 through the aep8 package (their own "
        f"1960/1970 fields; the SAA moved west {rad.SAA_DRIFT_DEG_PER_YEAR:.3f} deg/yr since), Stormer vertical cutoff "
        "of IGRF-14's eccentric "
        "dipole, a force-field GCR index; trapped and GCR constants fitted on published ISS and Mir dosimetry "
        f"({len(cal['ids'])} measurement periods, the band is their spread) and applied unchanged to every station. "
        "Limits: shielding fixed at the ISS modules' (the calibration's), no solar particle events, >1 MeV electrons "
        "counted as flux only, AP8/AE8 are static 1960s climatologies (measured LEO fluxes differ from them)."
    )


# ---------------------------------------------------------------- lifetime


@analysis("ephemeris", "Ephemeris files", when=lambda sc: bool(sc.outputs.ephemeris))
def _ephemeris(ctx: RunContext, res: AnalysisResult) -> None:
    """``[outputs] ephemeris``: the stations' states over the span for other tools (sim.io): a CCSDS
    OEM and a CZML document as files of the output folder, CSV as the table ``states``."""
    from . import io

    sc = ctx.scenario
    t = ctx.time_grid(step_s=sc.outputs.ephemeris_step_s)
    model = sc.propagation.model
    if "oem" in sc.outputs.ephemeris:
        res.files["ephemeris/stations.oem"] = io.oem_text(ctx.orbits, t, model).encode("utf-8")
    if "czml" in sc.outputs.ephemeris:
        doc = io.czml_document(ctx.orbits, t, model, colours=ctx.colours)
        res.files["ephemeris/stations.czml"] = doc.encode("utf-8")
    if "csv" in sc.outputs.ephemeris:
        res.tables["states"] = Table(
            list(io.CSV_COLUMNS), io.state_rows(ctx.orbits, t, model), title="Station states (GCRS)", show_rows=4
        )
    written = [f"ephemeris/stations.{k}" for k in ("oem", "czml") if k in sc.outputs.ephemeris]
    res.notes.append(
        f"{plural(len(t), 'state')} per station every {sc.outputs.ephemeris_step_s:g} s by model {model!r}"
        + (f", written to {' and '.join(written)}" if written else "")
        + ": the OEM (CCSDS, GCRF, UTC, one segment per station) opens in STK, GMAT, Orekit and FreeFlyer and "
        "reads back with sim.io.read_oem; the CZML (ground tracks, report colours) opens in a Cesium viewer."
    )


@analysis("lifetime", "Decay and reboost", when=lambda sc: sc.lifetime is not None)
def _lifetime(ctx: RunContext, res: AnalysisResult) -> None:
    from . import lifetime as lt

    method_text = {"cowell": "Cowell: J2-J6", "averaged": "orbit-averaged drag, J2 node"}
    from .spacecraft import for_orbit_name

    L, names, orb, sc = ctx.scenario.lifetime, ctx.names, ctx.orbits, ctx.scenario
    crafts = []
    for spec, n in zip(sc.stations, names):
        if spec.spacecraft is not None:
            crafts.append(spec.spacecraft.build(n))
        else:
            crafts.append(for_orbit_name(spec.preset or n))
    curves = {}
    methods: set[str] = set()
    fig_level = "moderate" if "moderate" in L.solar_activity else L.solar_activity[0]
    for level in L.solar_activity:
        ctx.progress(f"decay of {plural(len(names), 'station')}, {level} activity")
        d = lt.decay(orb, crafts, level, days=L.decay_days, method=L.method)
        act = d.activity
        lbl = f"{level} activity"
        res.metric(
            f"{level}.decay_km_per_day",
            f"Decay rate, {lbl}",
            "km/day",
            f"loss of orbit-mean altitude per day over the first 10 days without reboost ({method_text[d.method]}, "
            f"NRLMSIS 2.1 drag at F10.7 {act.f107:g}, F10.7a {act.f107a:g}, Ap {act.ap:g})",
            d.initial_decay_km_per_day,
            names,
        )
        res.metric(
            f"{level}.altitude_loss_km",
            f"Altitude lost in {L.decay_days:g} d, {lbl}",
            "km",
            f"orbit-mean altitude at the start minus at the end of {plural(L.decay_days, 'day')} without reboost",
            [float(h[0] - h[-1]) if len(h) else None for h in d.mean_alt_km],
            names,
        )
        res.metric(
            f"{level}.reentry_days",
            f"Re-entry within {L.decay_days:g} d, {lbl}",
            "days",
            f"days to re-entry ({lt.REENTRY_ALTITUDE_KM:g} km) without reboost; empty when it stays up for "
            f"{plural(L.decay_days, 'day')}",
            d.reentry_days,
            names,
        )
        curves[level] = d
        if L.reboost:
            bands = [
                tuple(L.band_km) if L.band_km is not None else tuple(map(float, lt.default_band_km(a)))
                for a in orb.altitude_km
            ]
            dv, burns, prop = np.full(len(orb), np.nan), np.full(len(orb), np.nan), np.full(len(orb), np.nan)
            for band in sorted(set(bands)):  # one batched integration per distinct band
                idx = [k for k, b in enumerate(bands) if b == band]
                ctx.progress(f"reboost {', '.join(names[k] for k in idx)}, {level} activity")
                b = lt.reboost_budget(
                    orb[idx], [crafts[k] for k in idx], band, level, years=L.years, isp_s=L.isp_s, method=L.method
                )
                methods.add(b.method)
                dv[idx], burns[idx], prop[idx] = b.dv_per_year_m_s, b.burns_per_year, b.propellant_kg_per_year
                if sc.outputs.figures and level == fig_level:
                    from .plots import lifetime_figure

                    res.figures[f"reboost_{band[0]:g}_{band[1]:g}km"] = lifetime_figure(
                        b,
                        title=f"Held in {band[0]:g}-{band[1]:g} km by reboosts, {lbl}, {L.years:g} yr",
                        styles=ctx.styles,
                    )
            band_text = (
                f"{L.band_km[0]:g}-{L.band_km[1]:g} km"
                if L.band_km is not None
                else f"altitude_km +-{lt.DEFAULT_BAND_HALF_WIDTH_KM:g} km, sim.lifetime.default_band_km"
            )
            res.metric(
                f"{level}.reboost_dv_m_s_per_year",
                f"Reboost delta-v per year, {lbl}",
                "m/s/yr",
                f"delta-v per year of Hohmann reboosts holding the orbit-mean altitude in the band ({band_text})"
                f", simulated over {L.years:g} yr ({', '.join(method_text[m] for m in sorted(methods))}), plus the "
                "balance of the end state",
                dv,
                names,
            )
            res.metric(
                f"{level}.reboosts_per_year",
                f"Reboosts per year, {lbl}",
                "1/yr",
                f"reboost manoeuvres (two-impulse pairs) per year over {L.years:g} yr",
                burns,
                names,
            )
            res.metric(
                f"{level}.propellant_kg_per_year",
                f"Reboost propellant per year, {lbl}",
                "kg/yr",
                f"propellant of the reboost burns per year at Isp {L.isp_s:g} s (rocket equation on the station mass)",
                prop,
                names,
            )
    res.tables["spacecraft"] = Table(
        ["station", "spacecraft", "mass_kg", "drag_area_m2", "cd", "cd_area_over_mass_m2_per_kg"],
        [[n, c.name, c.mass_kg, c.drag_area_m2, c.cd, round(c.cd_area_over_mass, 7)] for n, c in zip(names, crafts)],
        title="Spacecraft assumed (sim.spacecraft; ROS areas are assumptions)",
    )
    res.notes.append(
        f"Decay over {plural(L.decay_days, 'day')}: {method_text[d.method]}; reboost budgets over {L.years:g} yr: "
        f"{', '.join(method_text[m] for m in sorted(methods)) or '-'} (method = {L.method!r}: "
        f"sim.lifetime.resolve_method; Cowell = zonal harmonics J2-J6 and drag with a co-rotating NRLMSIS 2.1 "
        "atmosphere; orbit-averaged = the mean semi-major axis with the same drag averaged over each "
        "revolution, within 2 % of Cowell), at a constant solar activity per level; real activity varies day "
        "to day and over the 11-year cycle. Spacecraft defaults: sim.spacecraft (ISS sourced; ROS mass from "
        "its published stage masses, area assumed)."
    )
    if sc.outputs.figures:
        res.figures["decay"] = plots.decay_figure(
            list(curves.values()),
            colours=ctx.colours,
            title=f"Decay without reboost over {plural(L.decay_days, 'day')}",
            styles=ctx.styles,
            same_orbit=ctx.same_orbit,
        )
    _lifetime_captions(ctx, res)


def _lifetime_captions(ctx: RunContext, res: AnalysisResult) -> None:
    """One sentence under the decay figure and under each reboost-band figure, from the metrics."""
    from . import lifetime as lt

    L, names, orb = ctx.scenario.lifetime, ctx.names, ctx.orbits
    level = "moderate" if "moderate" in L.solar_activity else L.solar_activity[0]
    if "decay" in res.figures:
        res.captions["decay"] = (
            f"Orbit-mean altitude without reboost over {plural(L.decay_days, 'day')}; at {level} solar activity "
            f"the stations lose {grouped(res.values(f'{level}.altitude_loss_km'), '.3g', 'km')}."
        )
    if not L.reboost:
        return
    bands: dict[str, list[str]] = {}
    for n, a in zip(names, orb.altitude_km):
        band = tuple(L.band_km) if L.band_km is not None else tuple(map(float, lt.default_band_km(a)))
        bands.setdefault(f"reboost_{band[0]:g}_{band[1]:g}km", []).append(n)
    dv, burns = res.values(f"{level}.reboost_dv_m_s_per_year"), res.values(f"{level}.reboosts_per_year")
    for key, members in bands.items():
        if key in res.figures:
            lo, hi = key[len("reboost_") : -len("km")].split("_")
            res.captions[key] = (
                f"Held between {lo} and {hi} km at {level} solar activity: reboost delta-v "
                f"{grouped({n: dv[n] for n in members}, '.3g', 'm/s per year')}, "
                f"{grouped({n: burns[n] for n in members}, '.3g', 'reboosts per year')}."
            )


# ---------------------------------------------------------------- two stations together


def pair_key(a: str, b: str) -> str:
    """The part of a metric key naming the station pair ``a`` -> ``b`` (``iss_to_ros_51_6``); the
    scenario refuses pairs giving one key."""
    return metric_key(f"{a} to {b}")


#: Points of the time grid on which the coorbital geometry (plane angle, phase) is drawn over the span.
COORBITAL_GEOMETRY_POINTS = 2001


def coorbital_time_grid(start: str, days: float) -> Time:
    """The time grid of the coorbital geometry figure: :data:`COORBITAL_GEOMETRY_POINTS` points over
    ``days`` from ``start`` (at least 1 s apart); ``sim run`` and ``sim coorbital --out`` both use it."""
    from .timeutil import time_range

    return time_range(start, step_s=max(days * 86400.0 / (COORBITAL_GEOMETRY_POINTS - 1), 1.0), days=days)


def _pair_values(names: list[str], a: str, b: str, value: Any) -> list[Any]:
    """One value per station for a pair metric: the pair's value under both of its stations, None elsewhere."""
    return [value if n in (a, b) else None for n in names]


@analysis("coorbital", "Two stations together", when=lambda sc: sc.coorbital is not None)
def _coorbital(ctx: RunContext, res: AnalysisResult) -> None:
    """Per pair of ``[coorbital] pairs``: geometry over time, alignment windows, transfers, close approaches
    (:mod:`sim.coorbital`, its defaults for every option the scenario leaves out)."""
    from . import coorbital as co

    C, names, orb = ctx.scenario.coorbital, ctx.names, ctx.orbits
    days = C.days if C.days is not None else ctx.scenario.time.span_days
    model = ctx.scenario.propagation.model  # the stations move as on the main grid ([propagation] model)
    opts = C.options(model)
    ia = [names.index(p[0]) for p in C.pairs]
    ib = [names.index(p[1]) for p in C.pairs]
    ctx.progress("geometry")
    geom = co.geometry(orb[ia], orb[ib], coorbital_time_grid(ctx.start_iso, days), model=model)
    win_rows, tr_rows, close_rows = [], [], []
    searches = []
    for k, (na, nb) in enumerate(C.pairs):
        a, b = orb[ia[k]], orb[ib[k]]
        key = pair_key(na, nb)
        ctx.progress(f"{na} -> {nb}: alignment windows")
        al = co.alignment_windows(a, b, ctx.start_iso, days, **opts["alignment_windows"])
        ctx.progress(f"{na} -> {nb}: transfers")
        search = co.transfers(a, b, ctx.start_iso, days, **opts["transfers"])
        ctx.progress(f"{na} -> {nb}: close approaches")
        close = co.close_approaches(a, b, ctx.start_iso, days, **opts["close_approaches"])
        searches.append(search)
        if not search.aligned:
            res.notes.append(
                f"{na} -> {nb}: no alignment window in the span, so the transfer search covered the "
                f"{plural(co.FALLBACK_SEARCH_DAYS, 'day')} around the smallest plane angle (sim.coorbital.transfers)."
            )
        aligned_days = sum(w.duration_days for w in al.windows)
        best = search.best[0] if search.best else None
        pair = f"{na} -> {nb}"
        for label, mkey, unit, definition, value, digits in (
            (
                "realignment period",
                "realignment_period_days",
                "days",
                "360 deg over the differential nodal rate (J2 closed form): the time between two alignments of "
                "the orbit planes; empty when the rates are equal or when the planes can never align (their "
                "inclinations differ by more than the threshold)",
                al.realignment_period_days if al.can_align else None,
                4,
            ),
            (
                "differential nodal rate",
                "differential_nodal_rate_deg_per_day",
                "deg/day",
                "rate of change of the node difference (second station minus first), J2 secular rates",
                al.differential_nodal_rate_deg_per_day,
                4,
            ),
            (
                "days with planes aligned",
                "aligned_days",
                "days",
                f"total length of the alignment windows (plane angle <= {al.threshold_deg:g} deg) over "
                f"{plural(days, 'day')} from the start",
                aligned_days,
                4,
            ),
            (
                "cheapest transfer delta-v",
                "cheapest_transfer_dv_m_s",
                "m/s",
                "total delta-v of the cheapest two-impulse transfer from the first station to the second "
                "(a Lambert arc between the stations' actual states, so the plane change is included; departures "
                "inside the alignment windows)",
                best.dv_total_m_s if best else None,
                4,
            ),
            (
                "cheapest transfer flight time",
                "cheapest_transfer_flight_h",
                "h",
                "flight time of that cheapest transfer",
                best.flight_time_h if best else None,
                4,
            ),
            (
                "close approaches",
                "close_approaches",
                "count",
                "times the range between the two stations falls to a local minimum under the threshold "
                "(sim.coorbital.close_approaches)",
                len(close),
                4,
            ),
        ):
            res.metric(
                f"{key}.{mkey}", f"{pair}: {label}", unit, definition, _pair_values(names, na, nb, value), names, digits
            )
        win_rows += [{"from": na, "to": nb, **r} for r in al.to_rows()]  # the scenario's names first
        tr_rows += [{"from": na, "to": nb, **r} for r in search.to_rows()]
        for c in close:
            close_rows.append({"from": na, "to": nb, "time_utc": _isot(c.time), "range_km": _r(c.range_km)})
    for tname, rows, title in (
        ("alignment_windows", win_rows, "Alignment windows (orbit planes within the threshold)"),
        ("transfers", tr_rows, "Cheapest transfers per pair"),
        ("close_approaches", close_rows, "Close approaches"),
    ):
        cols = list(rows[0]) if rows else ["from", "to"]
        res.tables[tname] = Table(cols, [[r.get(c) for c in cols] for r in rows], title=title, show_rows=20)
    res.notes.append(
        f"Pairs: {'; '.join(f'{a} -> {b}' for a, b in C.pairs)}; {plural(days, 'day')} from the start; "
        f"propagation model {model} (sim.coorbital). Plane angle: the angle between the orbit "
        "normals; phase: the second station's argument of latitude ahead of the first's. Transfers are "
        "two-impulse (Lambert) between the stations' predicted states, the plane change counted where the planes "
        f"differ. Settings (sim.coorbital's defaults unless the scenario gives them): {_coorbital_settings(co, opts)}."
    )
    if ctx.scenario.outputs.figures:
        res.figures["geometry"] = plots.geometry_figure(geom)
        res.captions["geometry"] = _coorbital_caption(res, C.pairs)
        for (na, nb), search in zip(C.pairs, searches):
            if search.porkchop is not None:
                fname = f"porkchop_{pair_key(na, nb)}"
                res.figures[fname] = plots.porkchop_figure(search)
                best = search.best[0]
                res.captions[fname] = (
                    f"Total transfer delta-v from {na} to {nb} by departure time and flight time around the best "
                    f"window; the cheapest, {best.dv_total_m_s:.3g} m/s, flies {best.flight_time_h:.3g} h from "
                    f"{_isot(best.departure)[:16]} UTC."
                )


def _coorbital_settings(co: Any, opts: dict[str, dict[str, float]]) -> str:
    """The thresholds in force, in words: the scenario's where given, else the library's signature defaults
    (read from sim.coorbital, never repeated here)."""
    import inspect

    def value(func, key, group):
        return opts[group].get(key, inspect.signature(func).parameters[key].default)

    return (
        f"planes aligned at or under {value(co.alignment_windows, 'max_plane_angle_deg', 'alignment_windows'):g} deg; "
        f"transfers of {value(co.transfers, 'min_flight_h', 'transfers'):g}-"
        f"{value(co.transfers, 'max_flight_h', 'transfers'):g} h departing inside the alignment windows; "
        f"close approaches under {value(co.close_approaches, 'threshold_km', 'close_approaches'):g} km"
    )


def _coorbital_caption(res: AnalysisResult, pairs: list) -> str:
    """The geometry figure's sentence: each pair's realignment period and days aligned."""
    parts = []
    for na, nb in pairs:
        key = pair_key(na, nb)
        period = res.values(f"{key}.realignment_period_days")[na]
        aligned = res.values(f"{key}.aligned_days")[na]
        when = f"realign every {plural(period, 'day', fmt=',.0f')}" if period is not None else "never realign"
        parts.append(f"{na} and {nb} {when} and spend {plural(aligned, 'day', fmt='.3g')} aligned")
    return "Plane angle and phase over time: " + "; ".join(parts) + "."
