"""What a sweep computes: :class:`SweepSpec` (pydantic, the same schema rules as scenario files).

The spec is the single description of a sweep: the three axes (:func:`parse_axis` reads
ranges), the span, the metrics and their settings. It is validated by the same rules as a
scenario (:mod:`sim.schema`: unknown keys are errors, numbers are finite, dates follow the
one date rule, the coverage step and grid have the scenario's limits), so the ``[sweep]``
table of a scenario file is a field of :class:`sim.scenario.Scenario` and its problems are
reported with the scenario's field paths and lines. Built directly (``SweepSpec(...)``,
:meth:`SweepSpec.from_dict`), a bad spec raises one :class:`SweepError` naming every field.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..errors import SimError, check_range
from ..launch import DEFAULT_SITES
from ..schema import CELL_KM, COVERAGE_STEP_S, MAX_DAYS, Num, StrictModel, to_datetime

__all__ = [
    "AXIS_LIMITS",
    "DEFAULT_METRICS",
    "DEFAULT_SITES",
    "MAX_CANDIDATES",
    "METRICS",
    "MIN_DAYS",
    "SchedulerError",
    "SweepAxes",
    "SweepError",
    "SweepSpec",
    "parse_axis",
]

#: Every metric a sweep can compute (see :mod:`sim.sweep`).
METRICS = ("coverage_russia", "coverage_arctic", "revolutions_russia", "contact", "launch", "reboost", "radiation")
#: Computed when the spec does not list metrics (radiation is opt-in: its field grid costs ~30 s once).
DEFAULT_METRICS = ("coverage_russia", "coverage_arctic", "revolutions_russia", "contact", "launch", "reboost")
#: Axis limits: name -> (low, high, low_open, high_open, unit). Altitudes from 150 km (below, a
#: station re-enters within days) to 2,000 km (the top of low Earth orbit and of the NRLMSIS
#: table, :data:`sim.atmosphere.MSIS_TABLE_TOP_KM`).
AXIS_LIMITS = {
    "inclination_deg": (0.0, 180.0, True, True, "deg"),
    "altitude_km": (150.0, 2000.0, False, False, "km"),
    "ltan_hours": (0.0, 24.0, False, True, "h"),
    "raan_deg": (0.0, 360.0, False, True, "deg"),
}
#: Shortest sweep span, days. A scenario's span only has to be > 0; a sweep's metrics are per-day
#: rates (contact minutes per day, revolutions over Russia, radiation minutes per day) and need at
#: least one whole day. The longest span is the scenario's :data:`sim.schema.MAX_DAYS`.
MIN_DAYS = 1.0
#: Most candidates a sweep runs without ``allow_large=True`` (CLI ``--allow-large``): at ~40 ms of
#: core time per candidate on the default metrics, 10^6 candidates are ~11 core-hours.
MAX_CANDIDATES = 1_000_000
#: Most values one axis may hold.
MAX_AXIS_VALUES = 100_000
DEFAULT_START = "2027-01-01T00:00:00.000"


class SweepError(SimError, ValueError):
    """A bad sweep specification (axis, metric, span), an unusable work folder or output path."""


class SchedulerError(SimError, ConnectionError):
    """The Dask scheduler cannot be reached or the local cluster cannot start."""


# ============================================================== axes


def parse_axis(name: str, value: Any) -> tuple[float, ...]:
    """Axis values from a list of numbers, ``"start:stop:step"`` (stop included), ``"a,b,c"``,
    a single number, or a dict ``{start, stop, step}`` / ``{start, stop, num}``."""

    def fail(why):
        raise SweepError(
            f"axis {name}: {why}; give a list of numbers, 'start:stop:step' (stop included), "
            f"'a,b,c' or {{start, stop, step|num}}, got {_short(value)}"
        )

    try:
        if isinstance(value, bool):
            fail("not a number")
        if isinstance(value, (int, float)):
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
                num = value["num"]
                if isinstance(num, bool) or not isinstance(num, int) or not 1 <= num <= MAX_AXIS_VALUES:
                    fail(f"num must be an integer in [1, {MAX_AXIS_VALUES}]")
                vals = list(np.linspace(a, b, num))
            else:
                vals = _arange(a, b, float(value["step"]), fail)
        else:
            vals = [float(v) for v in value if not isinstance(v, bool) or fail("not a number")]
    except SweepError:
        raise
    except (TypeError, ValueError, KeyError, OverflowError):
        fail("not understood")
    if not vals:
        fail("no values")
    if len(vals) > MAX_AXIS_VALUES:
        fail(f"more than {MAX_AXIS_VALUES:,} values")
    arr = np.asarray(vals, float)
    if not np.all(np.isfinite(arr)):
        fail("values must be finite")
    if len(np.unique(arr)) != len(arr):
        fail("values must be distinct")
    return tuple(float(round(v, 10)) for v in arr)


def _short(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _arange(a, b, step, fail):
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(step)):
        fail("start, stop and step must be finite")
    if not step > 0:
        fail("step must be > 0")
    if b < a:
        fail("stop must be >= start")
    n = math.floor((b - a) / step + 1e-9) + 1
    if n > MAX_AXIS_VALUES:
        fail(f"more than {MAX_AXIS_VALUES:,} values")
    return list(a + step * np.arange(n))


def _axis(name: str, value: Any) -> tuple[float, ...]:
    """Parse an axis and check it against :data:`AXIS_LIMITS` (raises SweepError, a ValueError)."""
    vals = parse_axis(name, value)
    lo, hi, lo_open, hi_open, unit = AXIS_LIMITS[name]
    check_range(name, vals, lo, hi, low_open=lo_open, high_open=hi_open, unit=unit, error=SweepError)
    return vals


def _as_tuple(v: Any) -> Any:
    if isinstance(v, str):
        return (v,)
    if isinstance(v, list):
        return tuple(v)
    return v


def _iso_start(value: Any) -> str:
    """The start as ISO UTC with milliseconds, by the one date rule (:func:`sim.schema.to_datetime`)."""
    if hasattr(value, "utc") and hasattr(value, "isot"):  # astropy Time
        if getattr(value, "ndim", 0) != 0:
            if value.size != 1:
                raise ValueError(f"expected one time, got {value.size}")
            value = value.ravel()[0]
        value = value.utc.isot
    elif isinstance(value, np.datetime64):
        value = str(value)
    return to_datetime(value).isoformat(timespec="milliseconds")


def _wrap_sim_error(f, *args):
    """Call a sim validator; its SimError becomes the ValueError pydantic reports with the field path."""
    try:
        return f(*args)
    except SimError as exc:
        raise ValueError(str(exc).strip("'\"")) from None


class SweepAxes(StrictModel):
    """``[sweep.axes]``: the candidates' grid (give ``ltan_hours`` or ``raan_deg``, not both)."""

    inclination_deg: tuple[float, ...] | None = None
    altitude_km: tuple[float, ...] | None = None
    ltan_hours: tuple[float, ...] | None = None
    raan_deg: tuple[float, ...] | None = None

    @field_validator("inclination_deg", "altitude_km", "ltan_hours", "raan_deg", mode="before")
    @classmethod
    def _parse(cls, v: Any, info: ValidationInfo) -> Any:
        return None if v is None else _axis(info.field_name, v)

    @model_validator(mode="after")
    def _one_node(self) -> SweepAxes:
        if self.ltan_hours is not None and self.raan_deg is not None:
            raise ValueError("give ltan_hours or raan_deg, not both")
        return self


class _OneLineErrors(type(StrictModel)):
    """``SweepSpec(...)`` raises one :class:`SweepError` line; validation as a field of another model
    (a scenario's ``[sweep]``) keeps pydantic's per-field errors, which carry paths and lines."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except ValidationError as exc:
            raise SweepError(format_errors(exc)) from None


class SweepSpec(StrictModel, metaclass=_OneLineErrors):
    """What to sweep and how to score it. All fields have defaults except two axes.

    ``inclination_deg``, ``altitude_km`` and ``node`` (values of ``node_axis``:
    ``"ltan_hours"`` or ``"raan_deg"``) are the axes (tuples of floats; :func:`parse_axis`
    reads ranges); a TOML ``[sweep]`` table gives them under ``axes`` instead. ``start`` (ISO
    UTC, 1957-2100) is the candidates' epoch and the start of the span of ``days``.
    ``footprint``: a :class:`sim.coverage.Footprint` as a dict. ``step_s`` / ``cell_km``:
    coverage time step and grid (60 s / 50 km by default: the sub-point moves ~460 km per
    step against a footprint radius of ~1,200 km at 10 deg elevation; finer values cost ~4x
    each). ``contact_step_s``: sampling of station contact. ``sites``: launch sites.
    ``solar_activity``/``spacecraft``: for the reboost estimate. ``chunk_size``: candidates
    per task.
    """

    model_config = ConfigDict(frozen=True)

    axes: SweepAxes | None = Field(
        default=None, exclude=True, description="TOML form of the axes; merged into the fields below"
    )
    inclination_deg: tuple[float, ...] | None = None
    altitude_km: tuple[float, ...] | None = None
    node_axis: Literal["ltan_hours", "raan_deg"] = "ltan_hours"
    node: tuple[float, ...] = (12.0,)
    start: Annotated[str, BeforeValidator(_iso_start)] = DEFAULT_START
    days: Num = Field(default=3.0, ge=MIN_DAYS, le=MAX_DAYS, description="analysis span, days")
    metrics: tuple[str, ...] = DEFAULT_METRICS
    footprint: dict[str, Num] = Field(default_factory=lambda: {"min_elevation_deg": 10.0})
    step_s: Num = Field(default=60.0, ge=COVERAGE_STEP_S[0], le=COVERAGE_STEP_S[1], description="coverage step, s")
    cell_km: Num = Field(default=50.0, ge=CELL_KM[0], le=CELL_KM[1], description="coverage grid cell, km")
    contact_step_s: Num = Field(
        default=60.0, ge=COVERAGE_STEP_S[0], le=COVERAGE_STEP_S[1], description="station contact sampling, s"
    )
    sites: tuple[str, ...] = DEFAULT_SITES
    solar_activity: str = "moderate"
    spacecraft: str = "ros_stage2"
    chunk_size: StrictInt = Field(default=50, ge=1, le=100_000, description="candidates per task")

    # ------------------------------------------------------------------ validators
    @model_validator(mode="before")
    @classmethod
    def _top_level_node_axes(cls, data: Any) -> Any:
        """``ltan_hours``/``raan_deg`` at the top of a ``[sweep]`` table belong to ``axes``."""
        if isinstance(data, dict) and ("ltan_hours" in data or "raan_deg" in data):
            data = dict(data)
            axes = data.get("axes") or {}
            if isinstance(axes, dict):
                axes = dict(axes)
                for k in ("ltan_hours", "raan_deg"):
                    if k in data:
                        if k in axes:
                            raise ValueError(f"{k} is given twice (in the table and in axes)")
                        axes[k] = data.pop(k)
                data["axes"] = axes
        return data

    @field_validator("inclination_deg", "altitude_km", mode="before")
    @classmethod
    def _parse_axis(cls, v: Any, info: ValidationInfo) -> Any:
        return None if v is None else _axis(info.field_name, v)

    @field_validator("node", mode="before")
    @classmethod
    def _parse_node(cls, v: Any, info: ValidationInfo) -> Any:
        name = info.data.get("node_axis")
        return _axis(name, v) if name in AXIS_LIMITS else parse_axis("node", v)

    @field_validator("metrics", mode="before")
    @classmethod
    def _metrics(cls, v: Any) -> Any:
        v = _as_tuple(v)
        ok = isinstance(v, tuple) and v and all(isinstance(m, str) and m in METRICS for m in v)
        if not ok:
            raise ValueError(f"metrics must be a non-empty list of {', '.join(METRICS)}; got {_short(v)}")
        return tuple(dict.fromkeys(v))

    @field_validator("sites", mode="before")
    @classmethod
    def _sites(cls, v: Any) -> Any:
        from ..launch import site

        v = _as_tuple(v)
        if isinstance(v, tuple):
            if not v:
                raise ValueError("give at least one launch site")
            for s in v:
                if isinstance(s, str):
                    _wrap_sim_error(site, s)  # unknown launch site: names the allowed keys
        return v

    @field_validator("footprint")
    @classmethod
    def _footprint(cls, v: dict) -> dict:
        from ..coverage import Footprint

        try:
            _wrap_sim_error(lambda: Footprint(**v))
        except TypeError:
            raise ValueError(
                f"give exactly one of min_elevation_deg, half_angle_deg, swath_km, got {sorted(v)}"
            ) from None
        return dict(v)

    @field_validator("solar_activity")
    @classmethod
    def _activity(cls, v: str) -> str:
        from ..atmosphere import solar_activity

        _wrap_sim_error(solar_activity, v)
        return v

    @field_validator("spacecraft")
    @classmethod
    def _spacecraft(cls, v: str) -> str:
        from ..spacecraft import spacecraft

        _wrap_sim_error(spacecraft, v)
        return v

    @model_validator(mode="after")
    def _merge_axes(self) -> SweepSpec:
        ax = self.axes
        if ax is not None:
            for k in ("inclination_deg", "altitude_km"):
                v = getattr(ax, k)
                if v is not None:
                    if getattr(self, k) is not None:
                        raise ValueError(f"{k} is given twice (in the table and in axes)")
                    object.__setattr__(self, k, v)
            for k in ("ltan_hours", "raan_deg"):
                v = getattr(ax, k)
                if v is not None:
                    if {"node", "node_axis"} & self.model_fields_set:
                        raise ValueError(f"give the node axis once: axes.{k} or node/node_axis")
                    object.__setattr__(self, "node_axis", k)
                    object.__setattr__(self, "node", v)
            object.__setattr__(self, "axes", None)
        for k in ("inclination_deg", "altitude_km"):
            if getattr(self, k) is None:
                raise ValueError(f"the sweep needs the axis {k} (under [sweep.axes] in a TOML file)")
        return self

    # ------------------------------------------------------------------ construction and identity
    @classmethod
    def from_dict(cls, d: dict) -> SweepSpec:
        """From a TOML ``[sweep]`` table: axes under ``[sweep.axes]`` (``ltan_hours``/``raan_deg`` may
        also sit at the top level) as lists, ``"start:stop:step"`` strings or
        ``{start, stop, step|num}`` tables; any of the other fields by name."""
        if not isinstance(d, dict):
            raise SweepError(f"a sweep spec is a table of keys (axes, days, metrics, ...), got {_short(d)}")
        if not all(isinstance(k, str) for k in d):
            raise SweepError("sweep spec keys must be strings")
        return cls(**d)

    def to_dict(self) -> dict:
        """Plain JSON-able fields (the form stored in ``spec.json``, chunk files and NetCDF attrs)."""
        return {
            "inclination_deg": list(self.inclination_deg),
            "altitude_km": list(self.altitude_km),
            "node": list(self.node),
            "node_axis": self.node_axis,
            "start": self.start,
            "days": float(self.days),
            "metrics": list(self.metrics),
            "footprint": dict(self.footprint),
            "step_s": float(self.step_s),
            "cell_km": float(self.cell_km),
            "contact_step_s": float(self.contact_step_s),
            "sites": list(self.sites),
            "solar_activity": self.solar_activity,
            "spacecraft": self.spacecraft,
            "chunk_size": int(self.chunk_size),
        }

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


def format_errors(exc: ValidationError) -> str:
    """One line for a spec's validation errors: ``field.path: message; ...``."""
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err.get("loc", ()))
        msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        kind = err.get("type", "")
        if kind == "extra_forbidden":
            model = SweepAxes if loc.startswith("axes.") else SweepSpec
            msg = f"unknown key; allowed here: {', '.join(model.model_fields)}"
        elif kind == "missing":
            msg = "required key is missing"
        elif kind not in ("value_error", "assertion_error") and not isinstance(err.get("input"), (dict, list)):
            msg = f"{msg} (got {_short(err.get('input'))})"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "sweep spec: " + "; ".join(parts)
