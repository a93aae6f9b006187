"""Interoperability with the poliastro family: ``boinor`` (poliastro's maintained successor).

boinor orbits live in GCRS (its ``Earth`` attractor, ``Planes.EARTH_EQUATOR``) with
osculating elements; sim's are mean elements in TEME. Conversion goes through the
state vector at the epoch, converted between TEME and GCRS, so the position and velocity
at the epoch are preserved exactly (to rounding), not the element values.

This module is the boinor boundary and knows nothing of :class:`sim.Orbit` (so
``sim.orbits`` imports it, never the reverse): :func:`boinor_orbit` builds a boinor
``Orbit`` from a GCRS state and :func:`boinor_state` reads one back. The sim side (state
at the epoch with the J2 short-period part, mean elements from a state) is
:meth:`sim.Orbit.to_boinor` and :meth:`sim.Orbit.from_boinor`; :func:`to_boinor` is kept
as a function for existing callers. There is no ``sim.interop.from_boinor`` any more:
use ``sim.Orbit.from_boinor(b)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ElementError, describe

__all__ = ["boinor_orbit", "boinor_state", "to_boinor"]


def boinor_orbit(r_m: np.ndarray, v_m_s: np.ndarray, epoch: Any) -> Any:
    """A ``boinor.twobody.Orbit`` about the Earth from a GCRS position (m) and velocity (m/s), shape (3,).

    ``epoch``: a scalar astropy ``Time``.
    """
    import astropy.units as u
    from boinor.bodies import Earth
    from boinor.twobody import Orbit as BOrbit

    r = np.asarray(r_m, dtype=float).reshape(3)
    v = np.asarray(v_m_s, dtype=float).reshape(3)
    return BOrbit.from_vectors(Earth, r * u.m, v * u.m / u.s, epoch=epoch)


def boinor_state(orb: Any) -> tuple[np.ndarray, np.ndarray, Any]:
    """GCRS position (m), velocity (m/s) and epoch (astropy ``Time``) of an Earth-centred boinor ``Orbit``.

    Raises :class:`sim.errors.ElementError` for any other attractor.
    """
    import astropy.units as u

    if not all(hasattr(orb, k) for k in ("attractor", "r", "v", "epoch")):
        raise ElementError(f"orb must be a boinor (poliastro API) Orbit, got {describe(orb)}")
    if getattr(orb.attractor, "name", "") != "Earth":
        raise ElementError(f"only Earth-centred orbits can be converted, got attractor {orb.attractor}")
    return np.asarray(orb.r.to_value(u.m)), np.asarray(orb.v.to_value(u.m / u.s)), orb.epoch


def to_boinor(orbit: Any, index: int = 0, *, osculating: bool = True) -> Any:
    """The ``index``-th orbit of a sim ``Orbit`` as a boinor ``Orbit``: :meth:`sim.Orbit.to_boinor`."""
    return orbit.to_boinor(index, osculating=osculating)
