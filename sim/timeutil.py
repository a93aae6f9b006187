"""Times at the edges of sim, and offline Earth-orientation data.

Earth-orientation data (UT1-UTC, polar motion) come from the ``astropy-iers-data``
package that is installed with sim; sim never downloads anything.

How IERS is configured, in one place
------------------------------------
sim does **not** change astropy's global configuration when imported. Every astropy
call that needs Earth-orientation data is made inside :func:`offline_iers`, a context
manager that temporarily sets ``auto_download=False``, ``auto_max_age=None`` and
``iers_degraded_accuracy="ignore"`` (for epochs past the bundled predictions, such as
ROS in 2027 and later, astropy then holds UT1-UTC and polar motion at their last
tabulated values instead of raising). Outside sim's calls, astropy behaves as the user
configured it. To make your own astropy code offline the same way, call
:func:`configure_offline_iers` once (this one *does* change the global settings, on
request).

Beyond the bundled predictions UT1-UTC is unknown; the error this causes is the drift
of UT1-UTC (under 1 s per year, i.e. under ~0.5 km of ground-track longitude at the
equator a year past the table).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from .constants import MAX_TIME_SAMPLES, MAX_YEAR, MIN_YEAR
from .errors import TimeInputError, as_float, describe

if TYPE_CHECKING:
    from astropy.time import Time

__all__ = ["offline_iers", "configure_offline_iers", "to_time", "seconds_between", "time_range", "day_of_year"]


@contextlib.contextmanager
def offline_iers() -> Iterator[None]:
    """Context in which astropy uses only the bundled IERS data and never downloads."""
    import erfa
    from astropy.utils import iers
    from astropy.utils.exceptions import AstropyWarning

    with (
        iers.conf.set_temp("auto_download", False),
        iers.conf.set_temp("auto_max_age", None),
        iers.conf.set_temp("iers_degraded_accuracy", "ignore"),
        warnings.catch_warnings(),
    ):
        # Future UTC epochs past the leap-second table are "dubious" to ERFA; harmless here.
        warnings.simplefilter("ignore", erfa.ErfaWarning)
        warnings.filterwarnings("ignore", message=".*leap.second.*", category=AstropyWarning)
        warnings.filterwarnings("ignore", message=".*IERS.*", category=AstropyWarning)
        yield


#: ERFA's warning for UTC epochs past the bundled leap-second table (any date from ~2029): no leap
#: second is known there, so sim's times are as good as they can be; the warning says nothing a
#: user can act on.
DUBIOUS_YEAR_WARNING = r'ERFA function "\w+" yielded \d+ of "dubious year'


def configure_offline_iers() -> None:
    """Set astropy's IERS configuration to offline globally (opt-in, for user code), and silence
    ERFA's "dubious year" warning for epochs past the leap-second table (:data:`DUBIOUS_YEAR_WARNING`).
    The ``sim`` command does this for its own process."""
    from astropy.utils import iers

    iers.conf.auto_download = False
    iers.conf.auto_max_age = None
    iers.conf.iers_degraded_accuracy = "ignore"
    warnings.filterwarnings("ignore", message=DUBIOUS_YEAR_WARNING)


def _parse_reason(text: str) -> str:
    """Why ``text`` is not an ISO 8601 time, in a few words (from the standard library's parser)."""
    t = text.strip()
    if t.endswith(("Z", "z")):
        t = t[:-1] + "+00:00"
    try:
        _dt.datetime.fromisoformat(t)
    except ValueError as exc:
        reason = str(exc).split(":")[0]
        return reason if len(reason) < 60 and "Invalid isoformat" not in reason else "expected YYYY-MM-DDThh:mm:ss"
    return "not a time astropy can read"


def _refuse_parse(times, name: str) -> TimeInputError:
    items = [times] if isinstance(times, str) else None
    if items is None:
        with contextlib.suppress(TypeError):
            items = list(np.ravel(np.asarray(times, dtype=object)))
    bad = next((x for x in items or () if isinstance(x, str) and _bad_string(x)), None)
    if bad is not None:
        return TimeInputError(f"{name}: {describe(bad)} is not a valid ISO 8601 UTC time ({_parse_reason(bad)})")
    return TimeInputError(
        f"{name}: cannot read {describe(times)} as times (use astropy Time, datetime, numpy datetime64 "
        "or ISO 8601 strings such as '2027-01-01T00:00:00')"
    )


def _bad_string(text: str) -> bool:
    from astropy.time import Time

    try:
        Time(text, scale="utc")
    except Exception:  # noqa: BLE001 (astropy raises many kinds)
        return True
    return False


def _check_years(t, name: str) -> None:
    """The one time rule: every time finite (no NaT) and in years MIN_YEAR..MAX_YEAR (UTC)."""
    import erfa

    if t.masked and np.any(t.mask):
        raise TimeInputError(f"{name}: NaT (not a time) at index {int(np.argmax(np.ravel(t.mask)))}; give real times")
    jd = np.asarray(t.jd1, dtype=float) + np.asarray(t.jd2, dtype=float)
    if not np.all(np.isfinite(jd)):
        raise TimeInputError(f"{name}: NaN or NaT (not a time) at index {int(np.argmax(~np.isfinite(np.ravel(jd))))}")
    lo = sum(erfa.cal2jd(MIN_YEAR, 1, 1))
    hi = sum(erfa.cal2jd(MAX_YEAR + 1, 1, 1))
    bad = (jd < lo) | (jd >= hi)
    if np.any(bad):
        k = int(np.argmax(np.ravel(bad)))
        shown = t.reshape(-1)[k].isot
        raise TimeInputError(
            f"{name}: {shown} is outside the years {MIN_YEAR}-{MAX_YEAR} sim accepts "
            f"(sim.constants.MIN_YEAR/MAX_YEAR: the first artificial satellite to the end of its data)"
        )


def to_time(times: Any, *, name: str = "times") -> Time:
    """Convert times to a 1-D UTC astropy ``Time``: the one entry point of times into sim.

    Accepts an astropy ``Time`` (scalar or array), a ``datetime`` (naive = UTC), a
    ``numpy.datetime64`` array, an ISO 8601 string, or a sequence of those. Refuses, with a
    :class:`~sim.errors.TimeInputError` naming ``name``: anything else (numbers, None,
    booleans, dicts), an empty sequence, NaT/NaN times, and times outside the years
    :data:`sim.constants.MIN_YEAR` .. :data:`sim.constants.MAX_YEAR`.
    """
    from astropy.time import Time

    if times is None or isinstance(times, (bool, np.bool_, int, float, complex, dict, bytes, np.number)):
        raise TimeInputError(
            f"{name}: cannot read {describe(times)} as times (use astropy Time, datetime, numpy datetime64 "
            "or ISO 8601 strings such as '2027-01-01T00:00:00')"
        )
    try:
        with offline_iers():
            if isinstance(times, Time):
                t = times
            elif isinstance(times, (str, _dt.datetime, np.datetime64)):
                t = Time(times, scale="utc")
            elif isinstance(times, np.ndarray) and np.issubdtype(times.dtype, np.datetime64):
                t = Time(times, scale="utc")
            else:
                seq = list(times)
                if not seq:
                    raise TimeInputError(f"{name}: no times given (an empty sequence)")
                if isinstance(seq[0], Time):
                    t = Time(seq)
                else:
                    t = Time(seq, scale="utc")
    except TimeInputError:
        raise
    except Exception:  # noqa: BLE001 (astropy raises many kinds here)
        raise _refuse_parse(times, name) from None
    if t.size == 0:
        raise TimeInputError(f"{name}: no times given (an empty array)")
    with offline_iers():
        t = t.utc
    _check_years(t, name)
    return t.reshape(-1) if t.ndim != 1 else t


def seconds_between(t0: Time, t1: Time) -> np.ndarray:
    """``t1 - t0`` in SI seconds (TAI), broadcast like numpy, precise to microseconds.

    ``t0`` and ``t1`` are astropy ``Time`` objects (convert other inputs with :func:`to_time`).
    """
    with offline_iers():
        a, b = t0.tai, t1.tai
    return ((np.asarray(b.jd1) - np.asarray(a.jd1)) + (np.asarray(b.jd2) - np.asarray(a.jd2))) * 86400.0


def averaging_grid(start: Any, days: float, step_s: float) -> tuple[Time, Time]:
    """The time grid of an average over ``days`` (days) from ``start`` every ``step_s`` (s), end
    excluded (so back-to-back spans do not count their common instant twice; just ``start`` when the
    span is shorter than a step), and its middle sample as a one-element ``Time`` (the epoch of a
    field model held fixed over the span)."""
    from .constants import DAY_S

    t = time_range(start, days=days, step_s=step_s)[:-1] if days * DAY_S > step_s else to_time(start, name="start")
    return t, t[len(t) // 2 : len(t) // 2 + 1]


def time_range(start: Any, stop: Any = None, *, step_s: float, days: float | None = None) -> Time:
    """Evenly spaced UTC times from ``start`` to ``stop`` (or ``start + days``), inclusive of start.

    ``start`` and ``stop``: one time each, anything :func:`to_time` accepts.

    At most :data:`sim.constants.MAX_TIME_SAMPLES` times (a memory guard: a larger grid is
    refused with its size and the smallest step that fits).
    """
    from astropy.time import TimeDelta

    t0 = to_time(start, name="start")
    if len(t0) != 1:
        raise TimeInputError(f"start must be one time, got {len(t0)}")
    t0 = t0[0]
    step = as_float(step_s, "step_s", "s", scalar=True, error=TimeInputError)
    if days is not None:
        if stop is not None:
            raise TimeInputError("give either stop or days, not both")
        span = as_float(days, "days", "day", scalar=True, error=TimeInputError) * 86400.0
        if span < 0:
            raise TimeInputError(f"days must be >= 0, got {span / 86400.0:g}")
    elif stop is not None:
        t1 = to_time(stop, name="stop")
        if len(t1) != 1:
            raise TimeInputError(f"stop must be one time, got {len(t1)}")
        span = float(seconds_between(t0, t1[0]))
        if span < 0:
            raise TimeInputError(f"stop must not be before start, got {span:g} s from start")
    else:
        raise TimeInputError("give either stop or days")
    if not (step > 0):
        raise TimeInputError(f"step_s must be > 0 s, got {step:g}")
    n = int(np.floor(span / step + 1e-9)) + 1
    if n > MAX_TIME_SAMPLES:
        raise TimeInputError(
            f"step_s: {step:g} s over {span / 86400.0:g} days is {n:,} times, more than the "
            f"{MAX_TIME_SAMPLES:,} of one time grid (sim.constants.MAX_TIME_SAMPLES); use step_s >= "
            f"{span / (MAX_TIME_SAMPLES - 1):.3g} s or a shorter span"
        )
    with offline_iers():
        return (t0.tai + TimeDelta(np.arange(n) * step, format="sec")).utc


def day_of_year(times: Any) -> np.ndarray:
    """Fractional UTC day of year, 1-D: ``1.0`` is 1 January 00:00 UTC, ``1.5`` noon that day.

    ``times``: anything :func:`to_time` accepts.

    The one day-of-year helper of sim (the NRLMSIS tables and the Cowell integrator are
    indexed by it). Counted in UTC Julian days from 1 January of each time's own year, so a
    day holding a leap second is still one unit long.
    """
    from astropy.time import Time

    t = to_time(times, name="times")
    with offline_iers():
        years = np.atleast_1d(t.ymdhms["year"]).astype(int)
        jan1 = Time(
            {"year": years, "month": np.ones_like(years), "day": np.ones_like(years)}, format="ymdhms", scale="utc"
        )
    return (
        (np.asarray(t.jd1, float) - np.asarray(jan1.jd1, float))
        + (np.asarray(t.jd2, float) - np.asarray(jan1.jd2, float))
        + 1.0
    )
