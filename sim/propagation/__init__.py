"""Propagators behind one batched interface.

A propagator is a function ``f(orbit, times, **options) -> (r, v, frame)`` returning
positions (m) and velocities (m/s) shaped (n_orbits, n_times, 3) in its native frame
("TEME", "GCRS" or "ITRS"); :meth:`sim.Orbit.propagate` converts to the frame asked for.
Built in: "kepler", "j2", "sgp4". Others (the numerical "cowell") register themselves
with :func:`register`.
"""

from __future__ import annotations

from typing import Callable


from ..errors import ModelError

_MODELS: dict[str, Callable] = {}
_LAZY = {"cowell": "sim.propagation.cowell"}  # registered on first use


def register(name: str, func: Callable) -> None:
    """Make ``func`` available as ``orbit.propagate(times, model=name)``."""
    _MODELS[name] = func


def models() -> list[str]:
    return sorted(set(_MODELS) | set(_LAZY))


def propagate_native(orbit, times, model: str, **options):
    if model not in _MODELS and model in _LAZY:
        import importlib

        try:
            importlib.import_module(_LAZY[model])
        except ModuleNotFoundError:
            pass
    if model not in _MODELS:
        raise ModelError(f"model must be one of {', '.join(models())}, got {model!r}")
    return _MODELS[model](orbit, times, **options)


def _analytic(orbit, times, *, j2_on: bool, **options):
    if options:
        raise ModelError(f"unknown option(s) for model {'j2' if j2_on else 'kepler'}: {', '.join(options)}")
    from . import j2

    dt = orbit.seconds_since_epoch(times)
    r, v = j2.propagate(orbit.a, orbit.ecc, orbit.inc, orbit.raan, orbit.argp, orbit.mean_anomaly, dt,
                        j2=j2.J2 if j2_on else 0.0)
    return r, v, "TEME"


def _kepler(orbit, times, **options):
    return _analytic(orbit, times, j2_on=False, **options)


def _j2(orbit, times, **options):
    return _analytic(orbit, times, j2_on=True, **options)


def _sgp4(orbit, times, **options):
    from .sgp4 import propagate

    return (*propagate(orbit, times, **options), "TEME")


register("kepler", _kepler)
register("j2", _j2)
register("sgp4", _sgp4)

__all__ = ["register", "models", "propagate_native"]
