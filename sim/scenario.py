"""Scenario files: TOML in, a validated :class:`Scenario` out.

A scenario names the stations to compare, the time span, and which analyses to run
(coverage, ground-station passes, launch windows, environment, lifetime) with their
settings, and how to write the outputs. Every section except ``[scenario]``, ``[time]``
and ``[[stations]]`` is optional: a missing section means "do not run that analysis".
See ``scenarios/*.toml`` for commented examples.

Loading never writes anything and never shows a traceback for a bad file: every problem
found (TOML syntax, unknown keys, wrong types, values out of range, unknown preset, site
or region names, unreadable element-set files, inconsistent time spans) is collected and
raised together as one :class:`ScenarioError` (a :class:`sim.errors.SimError`) that lists,
for each problem, the field path (``stations[1].circular.altitude_km``) and the line of
the file where that field (or its nearest enclosing table) is written.

Paths inside a scenario (``tle_file``, ``omm_file``, ``geojson``) are relative to the
scenario file's folder and must stay inside it (no ``..`` out of it, no absolute path, no
symbolic link leading out) unless the user passes ``allow_outside_paths=True`` (``sim run
--allow-outside-paths``): a scenario received from someone else cannot read other files of the
machine. Every file (the scenario too) is read by :func:`sim.inputs.read_text`: regular files
only (a FIFO or ``/dev/zero`` is refused before it is opened), at most
:data:`sim.inputs.MAX_SCENARIO_BYTES` for the scenario and
:data:`sim.inputs.MAX_ELEMENT_FILE_BYTES` for element sets and GeoJSON, UTF-8 with an optional
byte-order mark; messages quote at most :data:`sim.inputs.MAX_ECHO_CHARS` characters of a file.

Element-set age: an element set (TLE/OMM, the ``iss`` presets) is a fit valid near its epoch;
:meth:`Scenario.stale_element_sets` lists the stations whose analysis start lies more than
:data:`MAX_ELEMENT_AGE_DAYS` from their epoch (``sim run``/``validate`` warn about each).

Public API::

    load_scenario(path, overrides=None, allow_outside_paths=False) -> Scenario   # raises ScenarioError
    parse_scenario(text, base_dir=".", source="<string>") -> Scenario
    element_age_warning(name, epoch_iso, age_days) -> str | None
    Scenario.orbits            # sim.Orbit, batched, one per station, in file order
    ScenarioError.problems     # list of Problem(path, line, message)
"""

from __future__ import annotations

import csv
import datetime as _dt
import math
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator, model_validator

from . import atmosphere, launch, regions
from .constants import MIN_ALTITUDE_KM, R_EARTH
from .errors import SimError
from .inputs import (
    MAX_ECHO_CHARS,
    MAX_ELEMENT_FILE_BYTES,
    MAX_SCENARIO_BYTES,
    InputError,
    clip_quoted,
    read_bytes,
    read_text,
    snippet,
)
from .inputs import resolve_inside as _resolve_inside
from .radiation import DEFAULT_ENERGY_MEV, ENERGY_RANGE_MEV
from .schema import CELL_KM, COVERAGE_STEP_S, MAX_DAYS, Bool, Int, Num, StrictModel, UTCDateTime
from .spacecraft import DEFAULT_CD
from .sweep.spec import SweepSpec

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    import os

    from .coverage import Footprint
    from .launch import LaunchSite
    from .orbits import Orbit
    from .spacecraft import Spacecraft

__all__ = [
    "Scenario",
    "ScenarioError",
    "Problem",
    "load_scenario",
    "parse_scenario",
    "MAX_DAYS",
    "MAX_STEPS",
    "SOLAR_ACTIVITY_LEVELS",
    "REGION_NAMES",
    "launch_site_keys",
    "element_age_warning",
    "MAX_ELEMENT_AGE_DAYS",
]

# MAX_DAYS (longest span, days) is defined in sim.schema and re-exported here.
#: Most time steps per station the main time grid may hold (one year at 15 s).
MAX_STEPS = 2_200_000
#: Solar activity levels a scenario may name: every level of sim.atmosphere.LEVELS, which
#: defines their F10.7, F10.7a and Ap (the ECSS long-term "low", "moderate", "high" and the
#: observed "iss_2024"; ``sim decay --solar`` accepts the same names).
SOLAR_ACTIVITY_LEVELS = tuple(atmosphere.LEVELS)
#: Built-in region names: sim.regions.names(); user regions come from GeoJSON files.
REGION_NAMES = tuple(regions.names())
# Ground-station networks: sim.coverage.ground_stations() checks the name (one list, there).
#: Propagation models a scenario may choose for the main time grid.
MODELS = ("j2", "kepler", "sgp4")
#: Largest distance, days, between an element set's epoch and the analysis start before sim
#: warns (``sim run``, ``sim validate``, ``sim windows``). An element set (TLE/OMM) is a fit
#: to tracking data around its epoch: for the ISS, SGP4's along-track error grows by roughly
#: 1-3 km per day away from the epoch, and drag (the decay rate changes with solar activity)
#: and reboosts change the semi-major axis and so the nodal regression rate, which no element
#: set predicts. Two weeks is how long such a set stays good to ~10-40 km and its node to a
#: few hundredths of a degree; CelesTrak publishes the ISS elements several times a day.
MAX_ELEMENT_AGE_DAYS = 14.0


def element_age_warning(name: str, epoch_iso: str, age_days: float) -> str | None:
    """The one-line warning for an element set ``age_days`` (analysis start minus epoch) old,
    or None when within :data:`MAX_ELEMENT_AGE_DAYS`."""
    if abs(age_days) <= MAX_ELEMENT_AGE_DAYS:
        return None
    when = "after" if age_days > 0 else "before"
    return (
        f"warning: {name}: the analysis starts {abs(age_days):.1f} days {when} the element set's epoch "
        f"({epoch_iso[:19]} UTC; more than {MAX_ELEMENT_AGE_DAYS:g} days): SGP4 positions degrade by "
        "~1-3 km per day from the epoch and the plane drifts from the J2 mean plane; use a recent element set"
    )


# ---------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario file: field path, 1-based line (None if unknown), message."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        field = f"{self.path}: " if self.path else ""
        return f"{where}{field}{self.message}"


class ScenarioError(SimError, ValueError):
    """A scenario file that cannot be used; ``problems`` lists everything wrong with it."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = str(source)
        self.problems = list(problems)
        n = len(self.problems)
        lines = [f"{self.source}: {n} problem{'s' if n != 1 else ''}"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


# ---------------------------------------------------------------- small value types

# The date rule (UTCDateTime), finite numbers (Num) and the model configuration (StrictModel)
# live in sim.schema, shared with sim.sweep.SweepSpec.


def _finite(v: float) -> float:
    if not math.isfinite(v):
        raise ValueError(f"must be a finite number, got {v!r}")
    return v


_Model = StrictModel


# ---------------------------------------------------------------- sections


class Meta(_Model):
    """``[scenario]``: what the comparison is called and what it is for."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)


class TimeSpan(_Model):
    """``[time]``: the main time grid (ground tracks, coverage, environment)."""

    start: UTCDateTime
    days: Num | None = Field(default=None, gt=0, le=MAX_DAYS, description="length of the span, days")
    stop: UTCDateTime | None = None
    step_s: Num = Field(default=30.0, ge=1.0, le=3600.0, description="time step, s")

    @model_validator(mode="after")
    def _span(self):
        if (self.days is None) == (self.stop is None):
            raise ValueError("give exactly one of 'days' or 'stop'")
        if self.stop is not None:
            span = (self.stop - self.start).total_seconds() / 86400.0
            if span <= 0:
                raise ValueError(f"stop ({self.stop.isoformat()}) must be after start ({self.start.isoformat()})")
            if span > MAX_DAYS:
                raise ValueError(f"the span must be at most {MAX_DAYS:g} days, got {span:.6g}")
        steps = self.span_days * 86400.0 / self.step_s + 1
        if steps > MAX_STEPS:
            raise ValueError(
                f"{self.span_days:g} days at step_s={self.step_s:g} s is {steps:.3g} time steps; "
                f"at most {MAX_STEPS:,} are allowed (use a larger step_s or a shorter span)"
            )
        return self

    @property
    def span_days(self) -> float:
        if self.days is not None:
            return float(self.days)
        return (self.stop - self.start).total_seconds() / 86400.0

    @property
    def stop_time(self) -> _dt.datetime:
        return self.start + _dt.timedelta(days=self.span_days)


def _altitude_kind(v: str) -> str:
    from .orbits import ALTITUDE_KINDS

    if v not in ALTITUDE_KINDS:
        raise ValueError(f"altitude_kind must be one of {', '.join(map(repr, ALTITUDE_KINDS))}, got {v!r}")
    return v


class Circular(_Model):
    """``circular = {...}``: ``altitude_kind = "mean"`` (default: altitude_km is the mean semi-major
    axis minus 6378.137 km) or ``"geodetic"`` (the orbit-averaged height above WGS84); see sim.orbits."""

    altitude_km: Num = Field(gt=MIN_ALTITUDE_KM, le=50000)
    inclination_deg: Num = Field(ge=0, le=180)
    raan_deg: Num = Field(default=0.0, ge=-360, le=360)
    arglat_deg: Num = Field(default=0.0, ge=-360, le=360)
    altitude_kind: str = "mean"

    _kind = field_validator("altitude_kind")(_altitude_kind)


class SunSynchronous(_Model):
    """``sun_synchronous = {...}``; ``altitude_kind`` as in ``circular``."""

    altitude_km: Num = Field(gt=MIN_ALTITUDE_KM, le=5000)
    ltan_hours: Num = Field(ge=0, lt=24)
    arglat_deg: Num = Field(default=0.0, ge=-360, le=360)
    altitude_kind: str = "mean"

    _kind = field_validator("altitude_kind")(_altitude_kind)


class Classical(_Model):
    semi_major_axis_km: Num = Field(gt=R_EARTH / 1e3 + MIN_ALTITUDE_KM, le=60000)
    eccentricity: Num = Field(ge=0, lt=1)
    inclination_deg: Num = Field(ge=0, le=180)
    raan_deg: Num = Field(default=0.0, ge=-360, le=360)
    argp_deg: Num = Field(default=0.0, ge=-360, le=360)
    mean_anomaly_deg: Num = Field(default=0.0, ge=-360, le=360)

    @model_validator(mode="after")
    def _perigee(self):  # the library's rule (sim.Orbit.from_classical), sim.constants.MIN_ALTITUDE_KM
        perigee = self.semi_major_axis_km * (1.0 - self.eccentricity) - R_EARTH / 1e3
        if not perigee > MIN_ALTITUDE_KM:
            raise ValueError(
                f"perigee altitude (semi_major_axis_km * (1 - eccentricity) - 6378.137 km) must be above "
                f"{MIN_ALTITUDE_KM:g} km, got {perigee:.3f} km"
            )
        return self


def _spacecraft_field(v: float, info: ValidationInfo) -> float:
    from .spacecraft import Spacecraft

    Spacecraft.check_field(
        {"area_m2": "drag_area_m2"}.get(info.field_name, info.field_name), v, label=info.field_name
    )  # a SpacecraftError is a ValueError: reported at the field
    return v


class SpacecraftTable(_Model):
    """A station's ``spacecraft = {...}``: the input of :class:`sim.spacecraft.Spacecraft`, whose
    limits it checks (:meth:`~sim.spacecraft.Spacecraft.check_field`); :meth:`build` makes it."""

    mass_kg: Num
    area_m2: Num
    cd: Num = DEFAULT_CD

    _limits = field_validator("mass_kg", "area_m2", "cd")(_spacecraft_field)

    def build(self, name: str = "spacecraft") -> Spacecraft:
        """The :class:`sim.spacecraft.Spacecraft` (named ``name``, e.g. the station's name)."""
        from .spacecraft import Spacecraft

        return Spacecraft(self.mass_kg, self.area_m2, self.cd, name)


_SOURCES = ("preset", "circular", "sun_synchronous", "classical", "tle_file", "omm_file")


class StationSpec(_Model):
    """``[[stations]]``: one station; give exactly one orbit source."""

    name: str = Field(min_length=1, max_length=40)
    colour: str | None = None
    preset: str | None = None
    circular: Circular | None = None
    sun_synchronous: SunSynchronous | None = None
    classical: Classical | None = None
    tle_file: str | None = None
    omm_file: str | None = None
    epoch: UTCDateTime | None = None
    spacecraft: SpacecraftTable | None = None

    _source_text: str = PrivateAttr(default="")
    _elements: tuple | None = PrivateAttr(default=None)  # (line1, line2) or OMM dict

    @field_validator("colour")
    @classmethod
    def _colour(cls, v):
        if v is None:
            return v
        from matplotlib.colors import is_color_like

        if not is_color_like(v):
            raise ValueError(f"not a colour matplotlib knows (use '#rrggbb' or a name such as 'tab:red'), got {v!r}")
        return v

    @field_validator("preset")
    @classmethod
    def _preset(cls, v):
        if v is None:
            return v
        from . import presets

        if v not in presets.names():
            raise ValueError(f"unknown preset {v!r}; choose one of: {', '.join(presets.names())}")
        return v

    @model_validator(mode="after")
    def _one_source(self, info: ValidationInfo):
        given = [s for s in _SOURCES if getattr(self, s) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one orbit source of: {', '.join(_SOURCES)}"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if self.epoch is not None and given[0] in ("preset", "tle_file", "omm_file"):
            raise ValueError(
                f"'epoch' applies to circular/sun_synchronous/classical orbits, not to {given[0]} "
                "(element sets and presets carry their own epoch)"
            )
        if self.tle_file is not None:
            self._elements = _read_tle_file(_scenario_path(info, self.tle_file, "tle_file"), self.tle_file)
        if self.omm_file is not None:
            self._elements = _read_omm_file(_scenario_path(info, self.omm_file, "omm_file"), self.omm_file)
        return self

    @property
    def has_element_set(self) -> bool:
        """True when the orbit comes from an element set (TLE/OMM file, the ``iss``/``iss_omm`` presets)."""
        return bool(self.tle_file or self.omm_file or self.preset in _ELEMENT_SET_PRESETS)


#: Presets that are element sets (propagated with SGP4 when ``propagation.model = "sgp4"``).
_ELEMENT_SET_PRESETS = ("iss", "iss_omm")


def _scenario_path(info: ValidationInfo, given: str, key: str) -> Path:
    """A path written in the scenario, resolved against its folder and kept inside it unless the
    loader was told ``allow_outside_paths`` (a ValueError otherwise: reported at the field)."""
    ctx = info.context or {}
    try:
        return _resolve_inside(
            ctx.get("base_dir", "."),
            given,
            allow_outside=bool(ctx.get("allow_outside_paths")),
            label=f"{key} {given!r}",
        )
    except SimError as exc:
        raise ValueError(str(exc)) from None


def _read_text(path: Path, label: str) -> str:
    """The text of an element-set or GeoJSON file named in the scenario (sim.inputs.read_text);
    ``label`` names it in messages (``tle_file 'iss.txt'``)."""
    try:
        return read_text(path, limit=MAX_ELEMENT_FILE_BYTES, label=label)
    except InputError as exc:
        hint = " (paths are relative to the scenario file)" if exc.reason == "file not found" else ""
        raise ValueError(f"{exc}{hint}") from None


def _read_tle_file(path: Path, shown: str) -> tuple[str, str]:
    """The newest (latest epoch) two-line element set in a text file, checked with SGP4."""
    from .orbits import Orbit

    lines = [ln.rstrip() for ln in _read_text(path, f"tle_file {shown!r}").splitlines()]
    pairs = [
        (lines[i], lines[i + 1])
        for i in range(len(lines) - 1)
        if lines[i].startswith("1 ") and lines[i + 1].startswith("2 ")
    ]
    if not pairs:
        raise ValueError(f"{shown!r} holds no two-line element set (lines starting '1 ' and '2 ')")
    pair = max(pairs, key=lambda p: p[0][18:32])
    try:
        Orbit.from_tle(*pair)
    except SimError as exc:
        raise ValueError(f"{shown!r}: {clip_quoted(str(exc))}") from None
    return pair


def _read_omm_file(path: Path, shown: str) -> dict:
    """The newest (latest EPOCH) CelesTrak OMM JSON record in a file, checked with SGP4."""
    import json

    from .orbits import Orbit

    try:
        data = json.loads(_read_text(path, f"omm_file {shown!r}"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{shown!r} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise ValueError(f"{shown!r} is not valid JSON: nested too deeply") from None
    records = [data] if isinstance(data, dict) else data if isinstance(data, list) else None
    if not records or not all(isinstance(r, dict) for r in records):
        raise ValueError(f"{shown!r} must hold an OMM JSON object or a non-empty list of them")
    rec = max(records, key=lambda r: str(r.get("EPOCH", "")))
    try:
        Orbit.from_omm(rec)
    except SimError as exc:
        raise ValueError(f"{shown!r}: {clip_quoted(str(exc))}") from None
    return rec


class Propagation(_Model):
    """``[propagation]``: model for the main time grid (ground tracks, coverage, environment)."""

    model: Literal["j2", "kepler", "sgp4"] = "j2"


class FootprintTable(_Model):
    """``[coverage] footprint = {...}``: the input of :class:`sim.coverage.Footprint` (exactly one
    of its three definitions), checked with its limits; :meth:`build` makes it."""

    min_elevation_deg: Num | None = None
    half_angle_deg: Num | None = None
    swath_km: Num | None = None

    @field_validator("min_elevation_deg", "half_angle_deg", "swath_km")
    @classmethod
    def _limits(cls, v, info: ValidationInfo):
        if v is not None:
            from .coverage import Footprint

            Footprint.check_field(info.field_name, v)  # a FootprintError is a ValueError: reported at the field
        return v

    @model_validator(mode="after")
    def _one(self):
        self.build()  # "exactly one definition" is the Footprint's own rule
        return self

    def build(self) -> Footprint:
        """The :class:`sim.coverage.Footprint`."""
        from .coverage import Footprint

        return Footprint(**{k: v for k, v in self.model_dump().items() if v is not None})


class GeoJSONRegion(_Model):
    name: str = Field(min_length=1, max_length=60)
    geojson: str

    @model_validator(mode="after")
    def _exists(self, info: ValidationInfo):
        p = _scenario_path(info, self.geojson, "geojson")
        _read_text(
            p, f"geojson {self.geojson!r}"
        )  # the file itself (missing, not regular, too large): named as written
        try:
            regions.Region.from_geojson(p, name=self.name)
        except SimError as exc:
            raise ValueError(f"GeoJSON file {self.geojson!r}: {clip_quoted(str(exc))}") from None
        return self

    def path(self, base_dir: str | os.PathLike[str]) -> Path:
        return Path(base_dir) / self.geojson


class Coverage(_Model):
    """``[coverage]``: what share of each region each station sees, revisit, time over region."""

    regions: list[str] = Field(default_factory=lambda: ["russia", "arctic", "northern_sea_route"], max_length=10)
    geojson_regions: list[GeoJSONRegion] = Field(default_factory=list, max_length=10)
    footprint: FootprintTable = Field(default_factory=lambda: FootprintTable(min_elevation_deg=10.0))
    within_days: list[Num] = Field(default_factory=lambda: [1.0, 3.0, 7.0], min_length=1, max_length=6)
    step_s: Num = Field(default=30.0, ge=COVERAGE_STEP_S[0], le=COVERAGE_STEP_S[1], description="coverage time step, s")
    cell_km: Num = Field(default=50.0, ge=CELL_KM[0], le=CELL_KM[1], description="equal-area grid cell size, km")
    revisit: Bool = True
    cities: Bool = False
    maps: list[str] | None = Field(
        default=None,
        max_length=6,
        description="regions to draw a revisit map for, a few seconds each "
        "(default: russia when it is among the regions)",
    )

    @model_validator(mode="after")
    def _maps_known(self):
        known = set(self.regions) | {g.name for g in self.geojson_regions}
        if self.maps is None:
            self.maps = ["russia"] if "russia" in self.regions else []
        bad = [m for m in self.maps if m not in known]
        if bad:
            raise ValueError(
                f"maps lists region(s) not in regions: {', '.join(map(repr, bad))}; "
                f"choose from: {', '.join(sorted(known)) or '(no regions)'}"
            )
        return self

    @field_validator("regions")
    @classmethod
    def _regions(cls, v):
        bad = [r for r in v if r not in REGION_NAMES]
        if bad:
            raise ValueError(
                f"unknown region(s) {', '.join(map(repr, bad))}; choose from: {', '.join(REGION_NAMES)} "
                "(or add [[coverage.geojson_regions]])"
            )
        if len(set(v)) != len(v):
            raise ValueError("regions are listed twice")
        return v

    @field_validator("within_days")
    @classmethod
    def _within(cls, v):
        if any(not (0 < d <= 60) for d in v):
            raise ValueError(f"each value must be in (0, 60] days, got {v}")
        return sorted(set(v))


class GroundStation(_Model):
    name: str = Field(min_length=1, max_length=60)
    latitude_deg: Num = Field(ge=-90, le=90)
    longitude_deg: Num = Field(ge=-180, le=360)
    height_m: Num = Field(default=0.0, ge=-500, le=9000)


class GroundStations(_Model):
    """``[ground_stations]``: passes over a ground-station network (a preset and/or your own)."""

    network: str | None = "russia"
    stations: list[GroundStation] = Field(default_factory=list, max_length=50)
    min_elevation_deg: Num = Field(default=5.0, ge=0, lt=90)
    days: Num = Field(default=3.0, gt=0, le=60, description="span of the pass search, days")

    @field_validator("network")
    @classmethod
    def _network(cls, v):
        if v is not None:
            from .coverage import ground_stations

            try:
                ground_stations(v)  # one list of networks: sim.coverage's
            except SimError as exc:
                raise ValueError(str(exc)) from None
        return v

    @model_validator(mode="after")
    def _some(self):
        if self.network is None and not self.stations:
            raise ValueError("give a network preset or at least one [[ground_stations.stations]]")
        return self


class LaunchSiteTable(_Model):
    """A ``[[launch.custom_sites]]`` table: the input of :class:`sim.launch.LaunchSite`, checked with
    its limits (:meth:`~sim.launch.LaunchSite.check_field`); :meth:`build` makes it."""

    key: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")
    name: str = ""
    latitude_deg: Num
    longitude_deg: Num
    altitude_m: Num = 0.0
    min_inclination_deg: Num | None = None
    max_inclination_deg: Num | None = None

    @field_validator("latitude_deg", "longitude_deg", "altitude_m", "min_inclination_deg", "max_inclination_deg")
    @classmethod
    def _limits(cls, v, info: ValidationInfo):
        if v is not None:
            from .launch import LaunchSite

            name = {"min_inclination_deg": "inclination_min_deg", "max_inclination_deg": "inclination_max_deg"}
            try:
                LaunchSite.check_field(name.get(info.field_name, info.field_name), v, label=info.field_name)
            except SimError as exc:  # a SiteError is a KeyError: pydantic reports ValueErrors at the field
                raise ValueError(str(exc)) from None
        return v

    @model_validator(mode="after")
    def _builds(self):
        try:
            self.build()
        except SimError as exc:
            raise ValueError(str(exc)) from None
        return self

    def build(self) -> LaunchSite:
        """The :class:`sim.launch.LaunchSite` (no azimuth limit; the inclination limits given)."""
        from .launch import LaunchSite

        inc = None
        if self.min_inclination_deg is not None or self.max_inclination_deg is not None:
            inc = (self.min_inclination_deg, self.max_inclination_deg)
        return LaunchSite.custom(
            self.latitude_deg,
            self.longitude_deg,
            self.altitude_m,
            key=self.key,
            name=self.name or self.key,
            inclination_range_deg=inc,
        )


class Launch(_Model):
    """``[launch]``: in-plane launch windows from each site to each station."""

    sites: list[str] = Field(default_factory=lambda: list(launch.DEFAULT_SITES), max_length=10)
    custom_sites: list[LaunchSiteTable] = Field(default_factory=list, max_length=10)
    days: Num = Field(default=7.0, gt=0, le=MAX_DAYS, description="span of the window search from time.start, days")
    liftoff_lead_s: Num | None = Field(default=None, ge=launch.LEAD_S_RANGE[0], le=launch.LEAD_S_RANGE[1])

    @field_validator("sites")
    @classmethod
    def _sites(cls, v):
        keys = launch_site_keys()
        bad = [s for s in v if s not in keys]
        if bad:
            raise ValueError(
                f"unknown launch site(s) {', '.join(map(repr, bad))}; choose from: {', '.join(keys)} "
                "(or add [[launch.custom_sites]])"
            )
        return v

    @model_validator(mode="after")
    def _some(self):
        if not self.sites and not self.custom_sites:
            raise ValueError("give at least one site")
        taken = set(self.sites)
        for s in self.custom_sites:
            if s.key in taken:
                raise ValueError(f"custom site key {s.key!r} is used twice or shadows a built-in site")
            taken.add(s.key)
        return self


class Environment(_Model):
    """``[environment]``: beta angle, eclipses, the radiation proxy and the dose-rate estimate."""

    beta: Bool = True
    eclipses: Bool = True
    radiation: Bool = True
    dose: Bool = Field(
        default=True,
        description="AP8/AE8 + GCR dose rate calibrated on ISS and Mir dosimetry (sim.environment.radiation_dose)",
    )
    solar: Literal["min", "max"] = Field(
        default="min", description="solar-cycle phase of the dose estimate (AE8/AP8 model and GCR modulation)"
    )
    proton_MeV: Num = Field(
        default=DEFAULT_ENERGY_MEV["p"],
        ge=ENERGY_RANGE_MEV["p"][0],
        le=ENERGY_RANGE_MEV["p"][1],
        description="AP8 integral-flux threshold, MeV (the AP8 table)",
    )
    electron_MeV: Num = Field(
        default=DEFAULT_ENERGY_MEV["e"],
        ge=ENERGY_RANGE_MEV["e"][0],
        le=ENERGY_RANGE_MEV["e"][1],
        description="AE8 integral-flux threshold, MeV (the AE8 table)",
    )
    shadow_model: Literal["conical", "cylindrical"] = "conical"
    days: Num | None = Field(default=None, gt=0, le=MAX_DAYS, description="span, days (default: time span)")
    step_s: Num = Field(default=60.0, ge=5, le=3600, description="time step, s")


class Lifetime(_Model):
    """``[lifetime]``: drag decay and the reboost budget per solar activity level."""

    solar_activity: list[Literal[SOLAR_ACTIVITY_LEVELS]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["low", "moderate", "high"],
        min_length=1,
        max_length=len(SOLAR_ACTIVITY_LEVELS),
        description="levels of sim.atmosphere.LEVELS (default: the three ECSS long-term levels)",
    )
    decay_days: Num = Field(default=30.0, gt=0, le=3650)
    reboost: Bool = True
    band_km: tuple[Num, Num] | None = Field(
        default=None,
        description="orbit-mean altitude band held by reboosts; "
        "default: sim.lifetime.default_band_km (each station's altitude_km "
        "+-5 km)",
    )
    years: Num = Field(default=1.0, gt=0, le=20)
    isp_s: Num = Field(default=300.0, gt=0, le=10000)
    method: Literal["auto", "averaged", "cowell"] = Field(
        default="auto",
        description="propagator of decay and budgets (sim.lifetime.METHODS): auto = orbit-averaged for spans "
        "over sim.lifetime.AVERAGED_MIN_DAYS (30 days), Cowell for shorter ones",
    )

    @field_validator("band_km")
    @classmethod
    def _band(cls, v):
        if v is not None:
            from .lifetime import check_band_km

            check_band_km(v)  # the one band rule (a ModelError is a ValueError: reported at the field)
        return v


class Coorbital(_Model):
    """``[coorbital]``: pairs of the scenario's stations analysed together (:mod:`sim.coorbital`):
    plane angle and phase over time, alignment windows, transfers and close approaches.

    ``pairs`` names stations of the file, ``[from, to]`` (transfers go from the first to the second).
    Thresholds left out take :mod:`sim.coorbital`'s defaults (one definition, there); values given
    are checked by the library's own rules (:func:`sim.coorbital` raises, reported at the field)."""

    pairs: list[tuple[str, str]] = Field(min_length=1, max_length=6)
    days: Num | None = Field(default=None, gt=0, le=MAX_DAYS, description="span from time.start, days (default: time)")
    max_plane_angle_deg: Num | None = None
    threshold_km: Num | None = None
    max_flight_h: Num | None = None
    min_flight_h: Num | None = None

    def options(self, model: str | None = None) -> dict[str, dict[str, float]]:
        """Keyword arguments for :mod:`sim.coorbital` per function
        (:func:`sim.coorbital.options_by_function`), only those the file gives, plus ``model``."""
        from .coorbital import options_by_function

        return options_by_function(
            model=model,
            max_plane_angle_deg=self.max_plane_angle_deg,
            max_flight_h=self.max_flight_h,
            min_flight_h=self.min_flight_h,
            threshold_km=self.threshold_km,
        )


class Outputs(_Model):
    """``[outputs]``: what to write besides report.html and summary.json."""

    figures: Bool = True
    tables: Bool = True
    dpi: Int = Field(default=100, ge=50, le=300)
    ground_track_hours: Num = Field(default=3.0, gt=0, le=48)
    ephemeris: list[Literal["oem", "czml", "csv"]] = Field(
        default_factory=list,
        max_length=3,
        description="station ephemerides over the time span (propagation.model): oem (ephemeris/stations.oem, "
        "CCSDS OEM, GCRF, UTC), czml (ephemeris/stations.czml, for Cesium), csv (tables/ephemeris_states.csv)",
    )
    ephemeris_step_s: Num = Field(default=60.0, ge=1, le=3600, description="time step of the ephemerides, s")


class Scenario(_Model):
    """A whole scenario file. Build with :func:`load_scenario` / :func:`parse_scenario`."""

    scenario: Meta
    time: TimeSpan
    stations: list[StationSpec] = Field(min_length=1, max_length=12)
    propagation: Propagation = Field(default_factory=Propagation)
    coverage: Coverage | None = None
    ground_stations: GroundStations | None = None
    launch: Launch | None = None
    environment: Environment | None = None
    lifetime: Lifetime | None = None
    coorbital: Coorbital | None = None
    outputs: Outputs = Field(default_factory=Outputs)
    #: The design-space sweep of the same study, run with ``sim sweep --spec FILE``
    #: (``sim run`` validates it but does not run it: sweeps belong on a Dask cluster). Its
    #: problems are reported like any other field's (``sweep.axes.altitude_km``, with the line).
    sweep: SweepSpec | None = None

    _base_dir: Path = PrivateAttr(default=Path("."))
    _source: str = PrivateAttr(default="<string>")
    _text: str = PrivateAttr(default="")
    _orbits: Any = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self):
        names = [s.name for s in self.stations]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"station names must be unique; repeated: {', '.join(dup)}")
        _unique_keys(self)
        if self.propagation.model == "sgp4":
            bad = [s.name for s in self.stations if not s.has_element_set]
            if bad:
                raise ValueError(
                    f"propagation.model = 'sgp4' needs element sets (tle_file/omm_file or the "
                    f"'iss'/'iss_omm' presets); these stations have none: {', '.join(bad)}"
                )
        return self

    # ---------------------------------------------------------------- conveniences
    @property
    def base_dir(self) -> Path:
        return self._base_dir

    @property
    def source(self) -> str:
        return self._source

    @property
    def text(self) -> str:
        return self._text

    @property
    def station_names(self) -> list[str]:
        return [s.name for s in self.stations]

    @property
    def orbits(self) -> Orbit:
        """The stations as one batched :class:`sim.Orbit` (names = station names)."""
        if self._orbits is None:
            self._orbits = build_orbits(self)
        return self._orbits

    def colours(self) -> list[str]:
        """One '#rrggbb' colour per station (given in the file, else sim.plots' default for its name)."""
        from matplotlib.colors import to_hex

        from .plots import colour_for

        return [to_hex(s.colour or colour_for(s.name, k)) for k, s in enumerate(self.stations)]

    def source_of(self, k: int) -> str:
        """Human description of where station ``k``'s orbit comes from."""
        s = self.stations[k]
        if s.preset:
            from . import presets

            return f"preset {s.preset}: {presets.describe(s.preset)}"
        if s.circular:
            c = s.circular
            return (
                f"circular {c.altitude_km:g} km{_KIND_TEXT[c.altitude_kind]}, {c.inclination_deg:g} deg, "
                f"RAAN {c.raan_deg:g} deg"
            )
        if s.sun_synchronous:
            c = s.sun_synchronous
            return f"sun-synchronous {c.altitude_km:g} km{_KIND_TEXT[c.altitude_kind]}, LTAN {c.ltan_hours:g} h"
        if s.classical:
            c = s.classical
            return (
                f"classical a={c.semi_major_axis_km:g} km, e={c.eccentricity:g}, i={c.inclination_deg:g} deg, "
                f"RAAN {c.raan_deg:g} deg, argp {c.argp_deg:g} deg, M {c.mean_anomaly_deg:g} deg"
            )
        if s.tle_file:
            return f"TLE file {s.tle_file} (newest set, epoch {s._elements[0][18:32]})"
        return f"OMM file {s.omm_file} (newest record, EPOCH {s._elements.get('EPOCH')})"

    def element_age_days(self, k: int) -> float:
        """Days from station ``k``'s epoch to the analysis start (negative: the start is before it)."""
        epoch = self.orbits.epoch[k].utc.to_datetime()
        return (self.time.start - epoch).total_seconds() / 86400.0

    def stale_element_sets(self) -> list[str]:
        """One warning line per station whose element set is more than :data:`MAX_ELEMENT_AGE_DAYS`
        from the analysis start (:func:`element_age_warning`); analytic orbits are exact by definition."""
        out = []
        for k, s in enumerate(self.stations):
            if s.has_element_set:
                w = element_age_warning(s.name, self.orbits.epoch[k].utc.isot, self.element_age_days(k))
                if w:
                    out.append(w)
        return out

    def element_text(self, k: int) -> str | None:
        """The element set text (TLE lines or OMM JSON) of station ``k``, when it has one."""
        import json

        s = self.stations[k]
        if s.tle_file:
            return "\n".join(s._elements)
        if s.omm_file:
            return json.dumps(s._elements, sort_keys=True)
        if s.preset in ("iss",):
            from .presets import iss_element_sets

            return "\n".join(iss_element_sets()[-1][1:])
        if s.preset == "iss_omm":
            from .presets import iss_omm_records

            return json.dumps(iss_omm_records()[-1], sort_keys=True)
        return None


def _unique_keys(sc: Scenario) -> None:
    """Region names and launch-site keys become parts of metric keys (sim.runner.metric_key):
    two that give one key would report one region's value under the other's name."""
    from .runner import metric_key

    if sc.coverage is not None:
        builtin = {metric_key(r): r for r in REGION_NAMES}
        seen: dict[str, str] = {metric_key(r): r for r in sc.coverage.regions}
        for g in sc.coverage.geojson_regions:
            k = metric_key(g.name)
            if k in builtin:
                raise ValueError(
                    f"coverage.geojson_regions: name {g.name!r} is taken by the built-in region "
                    f"{builtin[k]!r}; choose another name"
                )
            if k in seen:
                same = "is used twice" if seen[k] == g.name else f"gives the same metric key {k!r} as {seen[k]!r}"
                raise ValueError(
                    f"coverage.geojson_regions: name {g.name!r} {same}; region names must be unique "
                    "(letters, digits and _, case ignored)"
                )
            seen[k] = g.name
    if sc.launch is not None:
        seen = {metric_key(s): s for s in sc.launch.sites}
        for cs in sc.launch.custom_sites:
            k = metric_key(cs.key)
            if k in seen and seen[k] != cs.key:
                raise ValueError(
                    f"launch.custom_sites: key {cs.key!r} gives the same metric key {k!r} as "
                    f"{seen[k]!r}; site keys must differ in more than case and '-'/'_'"
                )
            seen[k] = cs.key


_KIND_TEXT = {"mean": "", "geodetic": " (orbit-averaged geodetic)"}


def build_orbits(sc: Scenario) -> Orbit:
    """One batched Orbit for the scenario's stations, named after them, in file order."""
    from . import presets
    from .orbits import Orbit

    start = sc.time.start.isoformat()
    parts = []
    for s in sc.stations:
        epoch = s.epoch.isoformat() if s.epoch else start
        if s.preset:
            o = presets.get(s.preset)
        elif s.circular:
            c = s.circular
            o = Orbit.circular(
                c.altitude_km,
                c.inclination_deg,
                c.raan_deg % 360.0,
                c.arglat_deg % 360.0,
                epoch=epoch,
                altitude_kind=c.altitude_kind,
            )
        elif s.sun_synchronous:
            c = s.sun_synchronous
            o = Orbit.sun_synchronous(
                c.altitude_km, c.ltan_hours, epoch=epoch, arglat_deg=c.arglat_deg % 360.0, altitude_kind=c.altitude_kind
            )
        elif s.classical:
            c = s.classical
            o = Orbit.from_classical(
                c.semi_major_axis_km,
                c.eccentricity,
                c.inclination_deg,
                c.raan_deg % 360.0,
                c.argp_deg % 360.0,
                c.mean_anomaly_deg % 360.0,
                epoch=epoch,
            )
        elif s.tle_file:
            o = Orbit.from_tle(*s._elements)
        else:
            o = Orbit.from_omm(s._elements)
        parts.append(o.with_names([s.name]))
    return Orbit.concat(parts)


# ---------------------------------------------------------------- name lists from other modules


def launch_site_keys() -> tuple[str, ...]:
    """Launch-site keys shipped in sim/data/launch_sites.csv."""
    text = (resources.files("sim") / "data" / "launch_sites.csv").read_text(encoding="utf-8")
    return tuple(row["key"] for row in csv.DictReader(text.splitlines()) if row.get("key"))


# ---------------------------------------------------------------- loading


def load_scenario(
    path: str | os.PathLike[str],
    overrides: dict | None = None,
    *,
    blame: dict[str, str] | None = None,
    allow_outside_paths: bool = False,
) -> Scenario:
    """Read and validate a scenario file; raise :class:`ScenarioError` listing every problem.

    The file is read by :func:`sim.inputs.read_bytes` (a regular file of at most
    :data:`~sim.inputs.MAX_SCENARIO_BYTES`; a leading byte-order mark is dropped). The files it
    names must lie inside its folder unless ``allow_outside_paths`` (``--allow-outside-paths``).

    ``overrides`` maps dotted keys to values applied before validation, e.g.
    ``{"time.days": 365}`` (the command line's ``--days``; it also sets
    ``environment.days`` when the file gives one, so the beta angle and eclipses follow).
    ``blame`` maps overridden keys to the command-line option that gave them
    (``{"time.days": "--days"}``): their problems name the option, not a line of the file.
    """
    p = Path(path)
    try:
        raw = read_bytes(p, limit=MAX_SCENARIO_BYTES, label="")
    except InputError as exc:
        reason = "is a folder, not a scenario file" if exc.reason.startswith("is a folder") else exc.reason
        raise ScenarioError(str(path), [Problem("", None, reason)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(str(path), [Problem("", line, "the file is not UTF-8 text")]) from None
    return parse_scenario(
        text,
        base_dir=p.resolve().parent,
        source=str(path),
        overrides=overrides,
        blame=blame,
        allow_outside_paths=allow_outside_paths,
    )


_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_scenario(
    text: str,
    *,
    base_dir: str | os.PathLike[str] = ".",
    source: str = "<string>",
    overrides: dict | None = None,
    blame: dict[str, str] | None = None,
    allow_outside_paths: bool = False,
) -> Scenario:
    """Validate scenario TOML ``text``; paths inside are relative to ``base_dir`` and must stay
    inside it unless ``allow_outside_paths``. A leading byte-order mark (U+FEFF) is ignored."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_LINE.search(msg)
        line = int(m.group(1)) if m else None
        msg = _TOML_LINE.sub("", msg).strip()
        raise ScenarioError(
            source, [Problem("", line, f"not valid TOML: {msg}" + (f" (column {m.group(2)})" if m else ""))]
        ) from None
    except RecursionError:
        raise ScenarioError(source, [Problem("", None, "not valid TOML: nested too deeply")]) from None
    for key, value in (overrides or {}).items():
        node = data
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ScenarioError(source, [Problem(key, None, f"cannot override: {part} is not a table")])
        node[parts[-1]] = value
        if parts == ["time", "days"]:
            node.pop("stop", None)
            env = data.get("environment")
            if isinstance(env, dict) and "days" in env:  # the environment span follows the main span
                env["days"] = value
    try:
        sc = Scenario.model_validate(
            data, context={"base_dir": str(base_dir), "allow_outside_paths": bool(allow_outside_paths)}
        )
    except ValidationError as exc:
        lines = _key_lines(text)
        problems = [_problem(err, lines) for err in exc.errors(include_url=False)]
        raise ScenarioError(source, _blame_options(_dedupe(problems), overrides, blame)) from None
    try:
        orbits = build_orbits(sc)
    except SimError as exc:
        raise ScenarioError(source, [Problem("stations", _key_lines(text).get(("stations", 0)), str(exc))]) from None
    problems = _semantic_problems(sc, orbits, _key_lines(text))
    if problems:
        raise ScenarioError(source, _blame_options(problems, overrides, blame))
    sc._base_dir = Path(base_dir)
    sc._source = source
    sc._text = text
    sc._orbits = orbits
    return sc


def _blame_options(problems: list[Problem], overrides: dict | None, blame: dict[str, str] | None) -> list[Problem]:
    """Problems of a value given on the command line name its option (no file line); a table-level
    problem involving it (e.g. too many time steps) says which option set the value."""
    if not blame or not overrides:
        return problems
    out = []
    for p in problems:
        option, table_note = None, []
        for key, opt in blame.items():
            if key not in overrides:
                continue
            followers = {key} | ({"environment.days"} if key == "time.days" else set())
            if any(p.path == f or p.path.startswith((f + ".", f + "[")) for f in followers):
                option = opt
            elif p.path == key.rsplit(".", 1)[0]:
                table_note.append(f"{key.rsplit('.', 1)[-1]} from {opt} {overrides[key]!r}")
        if option:
            out.append(Problem(option, None, p.message))
        elif table_note:
            out.append(Problem(p.path, p.line, f"{p.message} ({'; '.join(table_note)})"))
        else:
            out.append(p)
    return _dedupe(out)


def _semantic_problems(sc: Scenario, orbits, lines: dict) -> list[Problem]:
    """Checks that need the built orbits or several sections at once: everything ``sim run`` would
    refuse later, asked of the analysis that would refuse it (its public ``check_...``), so
    ``sim validate`` says no where ``sim run`` would fail.

    * coverage: a footprint must exist at every station's altitude (``Footprint.central_angle_rad``);
    * environment: the radiation proxy's IGRF-14 field covers its years only
      (:func:`sim.environment.check_radiation_span`);
    * lifetime: every orbit must start above the decay's re-entry altitude, and a given reboost
      band must satisfy the band rule (:func:`sim.lifetime.check_orbits`).
    """

    def line(*loc):
        for n in range(len(loc), 0, -1):
            if loc[:n] in lines:
                return lines[loc[:n]]
        return None

    out = []
    if sc.coverage is not None:
        try:
            sc.coverage.footprint.build().central_angle_rad(orbits.perigee_altitude_km)
        except SimError as exc:
            out.append(Problem("coverage.footprint", line("coverage", "footprint"), str(exc)))
    env = sc.environment
    if env is not None and env.radiation:
        from .environment import check_radiation_span
        from .runner import RADIATION_MAX_DAYS

        days = env.days if env.days is not None else sc.time.span_days
        try:
            check_radiation_span(sc.time.start.isoformat(), min(days, RADIATION_MAX_DAYS))
        except SimError as exc:
            out.append(
                Problem(
                    "environment.radiation",
                    line("environment", "radiation"),
                    f"{exc} (the radiation span from time.start; start earlier or set radiation = false)",
                )
            )
    if env is not None and env.dose:
        from .radiation import check_dose_orbits

        try:
            check_dose_orbits(orbits)
            if not env.radiation:  # the dose's cutoff uses IGRF-14 at the span's middle, as the proxy
                from .environment import check_radiation_span
                from .runner import RADIATION_MAX_DAYS

                days = env.days if env.days is not None else sc.time.span_days
                check_radiation_span(sc.time.start.isoformat(), min(days, RADIATION_MAX_DAYS))
        except SimError as exc:
            out.append(
                Problem("environment.dose", line("environment", "dose"), f"{exc} (or set [environment] dose = false)")
            )
    if sc.outputs.ephemeris:  # the files' time grid: enough times for the format, not more than a run holds
        from .io import max_step_s, times_needed

        step = sc.outputs.ephemeris_step_s
        n = int(sc.time.span_days * 86400.0 / step + 1e-9) + 1
        need = max(times_needed(f) for f in sc.outputs.ephemeris)
        largest = min(max_step_s(f) for f in sc.outputs.ephemeris)
        if step > largest:
            out.append(
                Problem(
                    "outputs.ephemeris_step_s",
                    line("outputs", "ephemeris_step_s") or line("outputs", "ephemeris"),
                    f"ephemeris_step_s = {step:g} s is more than the {largest:g} s a CZML viewer interpolates "
                    "over (sim.io.CZML_MAX_STEP_S); use a smaller step or leave czml out",
                )
            )
        elif not need <= n <= MAX_STEPS:
            out.append(
                Problem(
                    "outputs.ephemeris_step_s",
                    line("outputs", "ephemeris_step_s") or line("outputs", "ephemeris"),
                    f"{sc.time.span_days:g} days at ephemeris_step_s = {step:g} s is {n:,} times; ephemeris = "
                    f"[{', '.join(map(repr, sc.outputs.ephemeris))}] needs {need} to {MAX_STEPS:,} "
                    + (
                        "(use a smaller step or a longer span)" if n < need else "(use a larger step or a shorter span)"
                    ),
                )
            )
    if sc.coorbital is not None:
        out += _coorbital_problems(sc, orbits, line)
    if sc.lifetime is not None:
        from .lifetime import check_orbits

        lt = sc.lifetime
        try:
            check_orbits(orbits, band_km=lt.band_km if lt.reboost else None)
        except SimError as exc:
            out.append(Problem("lifetime", line("lifetime"), str(exc)))
    return out


def _coorbital_problems(sc: Scenario, orbits, line) -> list[Problem]:
    """``[coorbital]``: each pair names two different stations of the file, once; the thresholds pass
    :func:`sim.coorbital.check_options`, the library's one statement of their ranges (no computation)."""
    from . import coorbital
    from .runner import pair_key

    out = []
    names = sc.station_names
    seen: set[tuple[str, str]] = set()
    keys: dict[str, tuple[str, str]] = {}
    for k, pair in enumerate(sc.coorbital.pairs):
        where = line("coorbital", "pairs")
        bad = [n for n in pair if n not in names]
        if bad:
            out.append(
                Problem(
                    f"coorbital.pairs[{k}]",
                    where,
                    f"unknown station(s) {', '.join(map(repr, bad))}; choose from the [[stations]] names: "
                    + ", ".join(map(repr, names)),
                )
            )
        elif pair[0] == pair[1]:
            out.append(
                Problem(f"coorbital.pairs[{k}]", where, f"a pair needs two different stations, got {pair[0]!r} twice")
            )
        elif tuple(pair) in seen:
            out.append(Problem(f"coorbital.pairs[{k}]", where, f"the pair {pair[0]!r} -> {pair[1]!r} is listed twice"))
        elif pair_key(*pair) in keys:  # the pair's metric key (sim.runner.pair_key) must name one pair
            other = keys[pair_key(*pair)]
            out.append(
                Problem(
                    f"coorbital.pairs[{k}]",
                    where,
                    f"the pair {pair[0]!r} -> {pair[1]!r} gives the same metric key {pair_key(*pair)!r} as "
                    f"{other[0]!r} -> {other[1]!r}; rename a station",
                )
            )
        seen.add(tuple(pair))
        keys.setdefault(pair_key(*pair), tuple(pair))
    if out:
        return out
    C = sc.coorbital
    given = {k: getattr(C, k) for k in ("max_plane_angle_deg", "threshold_km", "max_flight_h", "min_flight_h")}
    for key, value in given.items():
        if value is None:
            continue
        try:  # min_flight_h is bounded by max_flight_h, so it is checked together with it
            coorbital.check_options(**{k: v for k, v in given.items() if v is not None and k in (key, "max_flight_h")})
        except SimError as exc:
            if str(exc).startswith(key):  # a bad max_flight_h is reported once, at its own field
                out.append(Problem(f"coorbital.{key}", line("coorbital", key), str(exc)))
    return out


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            out.append(p)
    return sorted(out, key=lambda p: p.line or 10**9)


def _fmt_loc(loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _problem(err: dict, lines: dict) -> Problem:
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    msg = err.get("msg", "invalid value")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if msg.startswith("Assertion failed, "):
        msg = msg[len("Assertion failed, ") :]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        msg = "unknown key" + (f"; allowed here: {', '.join(allowed)}" if allowed else "")
    elif kind == "missing":
        msg = "required key is missing"
    elif (
        kind not in ("value_error", "assertion_error") and "input" in err and not isinstance(err["input"], (dict, list))
    ):
        msg = f"{msg} (got {snippet(err['input'], MAX_ECHO_CHARS)})"
    line = None
    for n in range(len(loc), -1, -1):
        line = lines.get(tuple(loc[:n]))
        if line is not None:
            break
    return Problem(_fmt_loc(loc), line, clip_quoted(msg))


def _allowed_keys(loc) -> list[str]:
    """Field names allowed at ``loc`` (walks the Scenario model along the path)."""
    import typing

    model: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return []
        ann = fields[part].annotation
        model = None
        stack = [ann]
        while stack:
            t = stack.pop()
            if isinstance(t, type) and issubclass(t, BaseModel):
                model = t
                break
            stack.extend(typing.get_args(t))
        if model is None:
            return []
    fields = getattr(model, "model_fields", None)
    return list(fields) if fields else []


_HEADER_ARRAY = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEYLINE = re.compile(r"^\s*([A-Za-z0-9_\-\.\"' ]+?)\s*=")


def _split_key(key: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in key.split("."))


def _key_lines(text: str) -> dict[tuple, int]:
    """Map field paths (as pydantic locs) to the 1-based line that defines them.

    A light scan of the TOML text (tables, arrays of tables, ``key =`` lines); inline
    tables and arrays map to the line of their key. Good enough to point a reader at
    the right place; lines inside multi-line strings are skipped.
    """
    out: dict[tuple, int] = {}
    counters: dict[tuple, int] = {}
    current: tuple = ()
    in_multiline = None
    for n, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        m = _HEADER_ARRAY.match(line)
        if m:
            path = _resolve(_split_key(m.group(1)), counters)
            counters[path] = counters.get(path, -1) + 1
            current = path + (counters[path],)
            out.setdefault(path, n)
            out[current] = n
            continue
        m = _HEADER.match(line)
        if m:
            current = _resolve(_split_key(m.group(1)), counters)
            out.setdefault(current, n)
            continue
        m = _KEYLINE.match(line)
        if m:
            out.setdefault(current + _split_key(m.group(1)), n)
            for q in ('"""', "'''"):
                if line.count(q) % 2 == 1:
                    in_multiline = q
    return out


def _resolve(keys: tuple, counters: dict) -> tuple:
    """Insert the current index of each array of tables along a dotted header path."""
    out: tuple = ()
    for i, k in enumerate(keys):
        out = out + (k,)
        if i < len(keys) - 1 and out in counters:
            out = out + (counters[out],)
    return out
