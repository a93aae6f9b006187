"""Shared pieces of sim's input schemas (pydantic v2): scenario files and sweep specs.

One home for what both :mod:`sim.scenario` (``[time]``, ``[coverage]``, ...) and
:class:`sim.sweep.SweepSpec` (``[sweep]``) validate, so a rule is written once:

* :data:`UTCDateTime` -- the one date rule: ISO 8601 / TOML date-times, naive = UTC,
  years :data:`MIN_YEAR` .. :data:`MAX_YEAR`;
* :data:`Num` -- a finite float (``nan``/``inf`` refused; a boolean is not a number:
  ``days = true`` is an error, not 1 day); :data:`Int` -- an integer (no boolean, no
  fraction); :data:`Bool` -- ``true``/``false`` only (not ``1`` or ``"yes"``);
* :class:`StrictModel` -- the model configuration (unknown keys are errors);
* the limits shared by a scenario and a sweep: :data:`MAX_DAYS`, :data:`COVERAGE_STEP_S`,
  :data:`CELL_KM`.

No analysis imports this module; it sits with the front ends (scenario, sweep).
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict

from .constants import MAX_SPAN_DAYS, MAX_YEAR, MIN_YEAR

__all__ = [
    "CELL_KM",
    "COVERAGE_STEP_S",
    "MAX_DAYS",
    "MAX_YEAR",
    "MIN_YEAR",
    "Bool",
    "Int",
    "Num",
    "StrictModel",
    "UTCDateTime",
    "to_datetime",
]

#: Earliest and latest calendar year a date may have: the one rule of sim.to_time, defined in
#: sim.constants (MIN_YEAR, MAX_YEAR) with its reasons.
#: Longest time span a scenario or a sweep may ask for, days: sim.constants.MAX_SPAN_DAYS.
MAX_DAYS = MAX_SPAN_DAYS
#: Allowed coverage time step, s: (low, high) (a scenario's ``[coverage] step_s``, a sweep's
#: ``step_s`` and ``contact_step_s``).
COVERAGE_STEP_S = (5.0, 600.0)
#: Allowed equal-area coverage grid cell, km: (low, high).
CELL_KM = (10.0, 500.0)


def to_datetime(value: Any) -> _dt.datetime:
    """A naive UTC datetime from a TOML datetime/date or an ISO 8601 string, years MIN_YEAR..MAX_YEAR.

    Raises ``ValueError`` (pydantic turns it into a field error) naming the allowed form.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a date-time such as 2027-01-01T00:00:00, got {value!r}")  # noqa: TRY004 (pydantic)
    if isinstance(value, _dt.datetime):
        dt = value
    elif isinstance(value, _dt.date):
        dt = _dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            dt = _dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected an ISO 8601 UTC date-time such as 2027-01-01T00:00:00, got {value!r}") from None
    else:
        raise ValueError(f"expected a date-time such as 2027-01-01T00:00:00, got {type(value).__name__} {value!r}")  # noqa: TRY004
    if dt.tzinfo is not None:
        dt = dt.astimezone(_dt.UTC).replace(tzinfo=None)
    if not (MIN_YEAR <= dt.year <= MAX_YEAR):
        raise ValueError(f"date-time must be between {MIN_YEAR} and {MAX_YEAR}, got {dt.isoformat()}")
    return dt


#: A date-time field: naive UTC ``datetime`` checked by :func:`to_datetime`.
UTCDateTime = Annotated[_dt.datetime, BeforeValidator(to_datetime)]


def _not_bool(value: Any) -> Any:
    """Refuse a boolean where a number is expected (pydantic would read ``true`` as 1)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got the boolean {str(value).lower()}")  # noqa: TRY004 (pydantic)
    return value


#: A finite float field (a boolean is refused, not read as 0 or 1).
Num = Annotated[float, BeforeValidator(_not_bool), Field(allow_inf_nan=False)]
#: An integer field (a boolean is refused, not read as 0 or 1).
Int = Annotated[int, BeforeValidator(_not_bool)]
#: A boolean field: ``true`` or ``false`` only (``1`` or ``"yes"`` are refused).
Bool = Annotated[bool, Strict()]


class StrictModel(BaseModel):
    """Base of every schema model: unknown keys are errors, defaults are validated too."""

    model_config = ConfigDict(extra="forbid", strict=False, validate_default=True)
