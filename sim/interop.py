"""Interoperability with the poliastro family: ``boinor`` (poliastro's maintained successor).

boinor orbits live in GCRS (its ``Earth`` attractor, ``Planes.EARTH_EQUATOR``) with
osculating elements; sim's are mean elements in TEME. Conversion goes through the
state vector at the epoch, converted between TEME and GCRS, so the position and velocity
at the epoch are preserved exactly (to rounding), not the element values.
"""

from __future__ import annotations

import numpy as np

__all__ = ["to_boinor", "from_boinor"]


def to_boinor(orbit, index: int = 0, *, osculating: bool = True):
    """The ``index``-th orbit of a sim ``Orbit`` as a ``boinor.twobody.Orbit`` at its epoch (GCRS).

    ``osculating=True`` (default) gives the state with the J2 short-period part of the
    semi-major axis restored (:meth:`sim.Orbit.state_at_epoch`), so a boinor Cowell + J2
    propagation follows sim's J2 model and ``from_boinor(to_boinor(o))`` returns ``o``;
    ``False`` gives the two-body state of the mean elements (pair it with
    ``from_boinor(..., to_mean=False)``).
    """
    import astropy.units as u
    from boinor.bodies import Earth
    from boinor.twobody import Orbit as BOrbit

    one = orbit[index]
    r, v = one.state_at_epoch(osculating=osculating)
    return BOrbit.from_vectors(Earth, r[0] * u.m, v[0] * u.m / u.s, epoch=one.epoch[0])


def from_boinor(orb, name: str | None = None, *, to_mean: bool = True):
    """A sim ``Orbit`` from a ``boinor.twobody.Orbit`` (Earth-centred).

    The boinor state is osculating; ``to_mean`` is passed to :meth:`sim.Orbit.from_state`
    (True: remove the J2 short-period part of a, right for J2 propagation; False: keep
    the osculating elements, an exact round trip of :func:`to_boinor`).
    """
    import astropy.units as u

    from .errors import ElementError
    from .orbits import Orbit

    if getattr(orb.attractor, "name", "") != "Earth":
        raise ElementError(f"only Earth-centred orbits can be converted, got attractor {orb.attractor}")
    r = np.asarray(orb.r.to_value(u.m))
    v = np.asarray(orb.v.to_value(u.m / u.s))
    return Orbit.from_state(r, v, orb.epoch, frame="GCRS", to_mean=to_mean, names=[name] if name else None)
