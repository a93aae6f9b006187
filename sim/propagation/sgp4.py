"""SGP4 through the ``sgp4`` package's ``SatrecArray`` (a thin facade; SGP4 is not rewritten)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..errors import ModelError

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    from astropy.time import Time

    from ..orbits import Orbit


#: SGP4 error codes (sgp4.api.SGP4_ERRORS)
_ERRORS = {
    1: "mean eccentricity out of range",
    2: "mean motion below zero",
    3: "perturbed eccentricity out of range",
    4: "semi-latus rectum below zero",
    6: "orbit decayed",
}


def propagate(
    orbit: Orbit,
    times: Time,
    *,
    gravity: str | None = None,
    on_error: str = "nan",
) -> tuple[np.ndarray, np.ndarray]:
    """TEME r (m), v (m/s) shaped (n_orbits, n_times, 3) from each orbit's SGP4 record.

    ``times``: a 1-D astropy ``Time`` (its ``utc`` is read directly; other time inputs go
    through :func:`sim.timeutil.to_time` first, as :meth:`sim.Orbit.propagate` does).

    ``gravity``: "wgs72" (default for element sets: the constants they were fitted with)
    or "wgs84". ``on_error``: "nan" fills states SGP4 flags (e.g. decayed) with NaN;
    "raise" raises :class:`~sim.errors.ModelError`.
    """
    from sgp4.api import SatrecArray

    if on_error not in ("nan", "raise"):
        raise ModelError(f"on_error must be 'nan' or 'raise', got {on_error!r}")
    sats = orbit.to_sgp4_satrecs(gravity)
    with_utc = times.utc
    jd = np.asarray(with_utc.jd1, dtype=float)
    fr = np.asarray(with_utc.jd2, dtype=float)
    err, r, v = SatrecArray(list(sats)).sgp4(jd, fr)
    if np.any(err):
        if on_error == "raise":
            code = int(err[err != 0][0])
            raise ModelError(f"SGP4 error {code}: {_ERRORS.get(code, 'unknown')}")
        r[err != 0] = np.nan
        v[err != 0] = np.nan
    return r * 1e3, v * 1e3
