"""Propagators behind one batched interface.

A propagator is a function ``f(orbit, times, **options) -> (r, v, frame)`` returning
positions (m) and velocities (m/s) shaped (n_orbits, n_times, 3) in its native frame
("TEME", "GCRS" or "ITRS"); :meth:`sim.Orbit.propagate` converts to the frame asked for.
Built in: "kepler", "j2", "sgp4" and the numerical "cowell" (its module, with its numba
kernels, is imported on first use: an error importing it surfaces there). Others can be
added with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import ModelError

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    import numpy as np
    from astropy.time import Time

    from ..orbits import Orbit


_MODELS: dict[str, Callable] = {}


def register(name: str, func: Callable) -> None:
    """Make ``func`` available as ``orbit.propagate(times, model=name)``."""
    _MODELS[name] = func


def models() -> list[str]:
    """Names accepted as ``model=``."""
    return sorted(_MODELS)


def propagate_native(
    orbit: Orbit,
    times: Time,
    model: str,
    **options: Any,
) -> tuple[np.ndarray, np.ndarray, str]:
    """``(r, v, frame)`` of ``orbit`` at ``times`` by propagator ``model`` (see the module doc).

    ``times``: a 1-D astropy ``Time`` (:func:`sim.timeutil.to_time` gives one; the "sgp4" model
    reads ``times.utc`` directly, the others would also take anything ``to_time`` accepts).
    """
    if model not in _MODELS:
        raise ModelError(f"model must be one of {', '.join(models())}, got {model!r}")
    return _MODELS[model](orbit, times, **options)


def _analytic(orbit, times, *, j2_on: bool, **options):
    if options:
        raise ModelError(f"unknown option(s) for model {'j2' if j2_on else 'kepler'}: {', '.join(options)}")
    from . import j2

    dt = orbit.seconds_since_epoch(times)
    r, v = j2.propagate(
        orbit.a, orbit.ecc, orbit.inc, orbit.raan, orbit.argp, orbit.mean_anomaly, dt, j2=j2.J2 if j2_on else 0.0
    )
    return r, v, "TEME"


def _kepler(orbit, times, **options):
    return _analytic(orbit, times, j2_on=False, **options)


def _j2(orbit, times, **options):
    return _analytic(orbit, times, j2_on=True, **options)


def _sgp4(orbit, times, **options):
    from .sgp4 import propagate

    return (*propagate(orbit, times, **options), "TEME")


def _cowell(orbit, times, **options):
    from .cowell import propagate

    return propagate(orbit, times, **options)  # (r, v, "GCRS")


register("kepler", _kepler)
register("j2", _j2)
register("sgp4", _sgp4)
register("cowell", _cowell)

__all__ = ["models", "propagate_native", "register"]
