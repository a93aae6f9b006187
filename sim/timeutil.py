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

import numpy as np

from .errors import TimeInputError

__all__ = ["offline_iers", "configure_offline_iers", "to_time", "seconds_between", "time_range", "day_of_year"]


@contextlib.contextmanager
def offline_iers():
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


def configure_offline_iers() -> None:
    """Set astropy's IERS configuration to offline globally (opt-in, for user code)."""
    from astropy.utils import iers

    iers.conf.auto_download = False
    iers.conf.auto_max_age = None
    iers.conf.iers_degraded_accuracy = "ignore"


def to_time(times, *, name: str = "times"):
    """Convert times to a 1-D UTC astropy ``Time``.

    Accepts an astropy ``Time`` (scalar or array), a ``datetime`` (naive = UTC), a
    ``numpy.datetime64`` array, an ISO 8601 string, or a sequence of those.
    """
    from astropy.time import Time

    try:
        if isinstance(times, Time):
            t = times
        elif isinstance(times, (str, _dt.datetime, np.datetime64)):
            t = Time(times, scale="utc")
        elif isinstance(times, np.ndarray) and np.issubdtype(times.dtype, np.datetime64):
            t = Time(times, scale="utc")
        else:
            seq = list(times)
            if seq and isinstance(seq[0], Time):
                from astropy.time import Time as _T

                t = _T(seq)
            else:
                t = Time(seq, scale="utc")
    except TimeInputError:
        raise
    except Exception as exc:  # astropy raises many kinds here
        raise TimeInputError(
            f"{name}: cannot read {times!r} as times (use astropy Time, datetime, "
            f"numpy datetime64 or ISO 8601 strings such as '2027-01-01T00:00:00'): {exc}"
        ) from None
    with offline_iers():
        t = t.utc
    return t.reshape(-1) if t.ndim != 1 else t


def seconds_between(t0, t1) -> np.ndarray:
    """``t1 - t0`` in SI seconds (TAI), broadcast like numpy, precise to microseconds."""
    with offline_iers():
        a, b = t0.tai, t1.tai
    return ((np.asarray(b.jd1) - np.asarray(a.jd1)) + (np.asarray(b.jd2) - np.asarray(a.jd2))) * 86400.0


def time_range(start, stop=None, *, step_s: float, days: float | None = None):
    """Evenly spaced UTC times from ``start`` to ``stop`` (or ``start + days``), inclusive of start."""
    from astropy.time import TimeDelta

    t0 = to_time(start, name="start")[0]
    if days is not None:
        span = float(days) * 86400.0
    elif stop is not None:
        span = float(seconds_between(t0, to_time(stop, name="stop")[0]))
    else:
        raise TimeInputError("give either stop or days")
    if not np.isfinite(span) or span < 0:
        raise TimeInputError(f"the span must be >= 0, got {span} s")
    if not (step_s > 0):
        raise TimeInputError(f"step_s must be > 0 s, got {step_s}")
    n = int(np.floor(span / step_s + 1e-9)) + 1
    with offline_iers():
        return (t0.tai + TimeDelta(np.arange(n) * float(step_s), format="sec")).utc


def day_of_year(times) -> np.ndarray:
    """Fractional UTC day of year, 1-D: ``1.0`` is 1 January 00:00 UTC, ``1.5`` noon that day.

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
