"""What a sweep scores: the metric table and :func:`evaluate`, which calls the public analyses.

The sweep has no physics of its own: every metric is the batched single-candidate analysis
run on a chunk of candidates (coverage, revolutions and contact from :mod:`sim.coverage`,
launch opportunities from :func:`sim.launch.opportunities_per_day`, the reboost estimate
from :func:`sim.lifetime.drag_dv_per_year`, radiation from
:func:`sim.environment.radiation_exposure` on a field grid built once per sweep and the dose
rate from :func:`sim.environment.radiation_dose` at solar minimum).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import constants as C
from .spec import SweepSpec

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..orbits import Orbit

__all__ = ["VARIABLES", "candidate_orbits", "evaluate", "radiation_field"]

#: Output variables: name -> (metric, units, description).
VARIABLES = {
    "russia_share_seen": ("coverage_russia", "1", "share of Russia's area seen at least once within the span"),
    "russia_time_covered": ("coverage_russia", "1", "area-weighted share of time a point of Russia is seen"),
    "russia_mean_gap_h": (
        "coverage_russia",
        "h",
        "area-weighted mean revisit gap over the points of Russia seen at least twice (NaN when none is)",
    ),
    "russia_max_gap_h": (
        "coverage_russia",
        "h",
        "area-weighted mean of per-point maximum gaps (end gaps included) over the points of Russia seen at "
        "least once (NaN when none is: see russia_share_seen)",
    ),
    "arctic_share_seen": (
        "coverage_arctic",
        "1",
        "share of the Arctic (north of the Arctic Circle) seen at least once",
    ),
    "arctic_time_covered": ("coverage_arctic", "1", "area-weighted share of time a point of the Arctic is seen"),
    "arctic_mean_gap_h": (
        "coverage_arctic",
        "h",
        "area-weighted mean revisit gap over the points of the Arctic seen at least twice (NaN when none is)",
    ),
    "arctic_max_gap_h": (
        "coverage_arctic",
        "h",
        "area-weighted mean of per-point maximum gaps (end gaps included) over the points of the Arctic seen at "
        "least once (NaN when none is: see arctic_share_seen)",
    ),
    "russia_revolution_share": (
        "revolutions_russia",
        "1",
        "share of complete revolutions whose ground track enters Russia",
    ),
    "contact_min_per_day": ("contact", "min/day", "minutes per day at least one Russian ground station sees the orbit"),
    "launch_per_day": ("launch", "1/day", "allowed in-plane launch opportunities per day from each site"),
    "reboost_dv_m_s_per_year": ("reboost", "m/s/yr", "reboost delta-v per year against drag (analytic estimate)"),
    "saa_min_per_day": ("radiation", "min/day", "minutes per day inside the South Atlantic Anomaly (|B| < 21,000 nT)"),
    "horn_min_per_day": ("radiation", "min/day", "minutes per day at |geomagnetic latitude| >= 60 deg"),
    "dose_mGy_per_day": (
        "radiation",
        "mGy/day",
        "absorbed dose rate inside ISS-like shielding at solar minimum, trapped + GCR "
        "(sim.environment.radiation_dose, calibrated on ISS and Mir dosimetry; SPEs excluded; NaN outside "
        "the AE8/AP8 table's 150-1000 km)",
    ),
    "dose_trapped_mGy_per_day": ("radiation", "mGy/day", "trapped-proton (AP8MIN > 10 MeV) part of dose_mGy_per_day"),
    "dose_gcr_mGy_per_day": ("radiation", "mGy/day", "galactic-cosmic-ray part of dose_mGy_per_day"),
}


def candidate_orbits(spec: SweepSpec, indices: ArrayLike | None = None) -> Orbit:
    """The candidates (flat indices, default all) as one batched circular :class:`~sim.orbits.Orbit`.

    Epoch ``spec.start``, argument of latitude 0. With ``ltan_hours`` the RAAN puts the
    ascending node at that local mean solar time at the epoch, by the same formula as
    :meth:`sim.orbits.Orbit.sun_synchronous` (``RAAN = GMST + 15 deg/h (LTAN - UT1 h)``).
    """
    from ..orbits import Orbit

    idx = np.arange(spec.n_candidates) if indices is None else np.asarray(indices, int)
    ii, ia, iN = np.unravel_index(idx, spec.shape)
    inc = np.asarray(spec.inclination_deg)[ii]
    alt = np.asarray(spec.altitude_km)[ia]
    node = np.asarray(spec.node)[iN]
    if spec.node_axis == "ltan_hours":
        raan = Orbit.sun_synchronous(400.0, node, epoch=spec.start).raan_deg
    else:
        raan = node
    names = [
        f"i{a:g}_h{b:g}_{'ltan' if spec.node_axis == 'ltan_hours' else 'raan'}{c:g}" for a, b, c in zip(inc, alt, node)
    ]
    return Orbit.circular(alt, inc, raan_deg=raan, epoch=spec.start, names=names)


def radiation_field(spec: SweepSpec) -> tuple:
    """The IGRF |B| grid for the sweep's whole altitude range, evaluated once (on the client).

    :func:`sim.environment.radiation_field_grid` for the span of ``spec`` (the epoch
    :func:`sim.environment.radiation_exposure` would use) over the geodetic altitudes every
    candidate reaches: a circle of mean altitude ``h`` flies between ``h`` over the equator
    and ``h + R_E f`` (21.4 km higher) over the poles, plus the 10 km margin
    ``radiation_exposure`` adds.
    """
    from ..environment import radiation_field_grid

    alts = np.asarray(spec.altitude_km, float)
    polar_rise_km = C.R_EARTH * C.FLATTENING / 1e3
    return radiation_field_grid(
        spec.start, spec.days, (float(alts.min()) - 10.0, float(alts.max()) + polar_rise_km + 10.0)
    )


def evaluate(orbit: Orbit, spec: SweepSpec, field_grid: tuple | None = None) -> dict[str, np.ndarray]:
    """Every metric of ``spec`` for a batch of candidate orbits: ``{variable: (n,) or (n, n_sites)}``.

    The batch is analysed as a whole by each batched analysis (no loop over candidates).
    ``field_grid``: the radiation grid of :func:`radiation_field` (built here when None).
    """
    from .. import coverage as cv

    m = spec.metrics
    out: dict[str, np.ndarray] = {}
    fp = cv.Footprint(**spec.footprint)
    for region in ("russia", "arctic"):
        if f"coverage_{region}" in m:
            res = cv.coverage(orbit, region, spec.start, spec.days, fp, spec.step_s, cell_km=spec.cell_km)
            s = res.summary()
            out[f"{region}_share_seen"] = s["share_seen"]
            out[f"{region}_time_covered"] = s["time_covered"]
            out[f"{region}_mean_gap_h"] = s["mean_gap_h"]
            out[f"{region}_max_gap_h"] = s["mean_max_gap_h"]
    if "revolutions_russia" in m:
        out["russia_revolution_share"] = cv.revolutions_over(orbit, "russia", spec.start, spec.days, step_s=spec.step_s)
    if "contact" in m:
        out["contact_min_per_day"] = cv.contact_minutes_per_day(
            orbit, "russia", spec.start, spec.days, step_s=spec.contact_step_s
        )["network"]
    if "launch" in m:
        from ..launch import opportunities_per_day

        out["launch_per_day"] = opportunities_per_day(orbit, spec.sites)
    if "reboost" in m:
        from ..lifetime import drag_dv_per_year

        out["reboost_dv_m_s_per_year"] = drag_dv_per_year(orbit, spec.solar_activity, spec.spacecraft)
    if "radiation" in m:
        from ..environment import radiation_exposure

        grid = field_grid if field_grid is not None else radiation_field(spec)
        rad = radiation_exposure(orbit, spec.start, spec.days, field_grid=grid)
        out["saa_min_per_day"] = rad["saa_min_per_day"]
        out["horn_min_per_day"] = rad["horn_min_per_day"]
        from ..environment import radiation_dose
        from ..radiation import dose_orbits_inside

        # The sweep's altitudes reach 2,000 km, the AE8/AP8 table 1,000 km: candidates outside it get
        # NaN (no dose estimate) instead of failing the whole chunk's radiation metrics.
        inside = dose_orbits_inside(orbit)
        for key in ("dose_mGy_per_day", "dose_trapped_mGy_per_day", "dose_gcr_mGy_per_day"):
            out[key] = np.full(len(orbit), np.nan)
        if inside.any():
            dose = radiation_dose(orbit[inside] if not inside.all() else orbit, spec.start, spec.days, solar="min")
            out["dose_mGy_per_day"][inside] = dose["total_mGy_per_day"]
            out["dose_trapped_mGy_per_day"][inside] = dose["trapped_mGy_per_day"]
            out["dose_gcr_mGy_per_day"][inside] = dose["gcr_mGy_per_day"]
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}
