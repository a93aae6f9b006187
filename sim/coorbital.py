"""Two stations together: plane angle, phase, alignment windows, close approaches, transfers.

The questions of a pair of stations at the same inclination (the ISS and ROS 51.6; Mir and
Salyut 7 in 1986): when are their planes aligned, when do they pass each other, how fast does
an altitude offset close a phase gap, and what does a crew transfer from one to the other cost.

Conventions
-----------
* ``a`` and ``b`` are :class:`sim.Orbit` objects; ``b`` may be batched (n orbits) and ``a`` is
  one orbit or as many as ``b`` (pairs ``(a[k], b[k])``, or ``(a, b[k])``). Their epochs may
  differ: both are propagated to the same times with :meth:`sim.Orbit.propagate`.
* Planes, nodes and phases come from the propagated states in TEME (the frame the mean elements
  are referred to): for ``model="kepler"`` and ``"j2"`` the state is the two-body state of the
  mean elements, so the normal ``r x v`` *is* the mean-element normal (and the phase the mean
  argument of latitude); for ``"sgp4"`` and ``"cowell"`` they are osculating.
* Alignment windows for the analytic models are solved in closed form on the mean elements:
  ``cos(theta) = cos i_a cos i_b + sin i_a sin i_b cos(dOmega)`` with ``dOmega`` linear in time at
  the J2 secular nodal rates (:func:`sim.orbits.nodal_rate_deg_per_day`); other models are sampled.
* Transfers are two-impulse Lambert arcs (boinor's Izzo solver, the compiled
  :func:`lambert_grid`) between the GCRS states of the two stations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from boinor.core.iod import izzo
from numba import njit, prange
from numpy.typing import ArrayLike

from . import constants as C
from .errors import CoorbitalError, as_float, check_choice, check_range
from .kernels.lambert import arrival_in_arc_frame, dips_below, safe_revolutions, speed_bounds, speed_gap
from .orbits import MIN_ALTITUDE_KM, Orbit, check_orbit, nodal_rate_deg_per_day
from .propagation.j2 import secular_rates
from .timeutil import offline_iers, seconds_between, to_time

__all__ = [
    "Geometry",
    "geometry",
    "AlignmentWindow",
    "Alignment",
    "alignment_windows",
    "CloseApproach",
    "close_approaches",
    "Phasing",
    "phasing",
    "Transfer",
    "Porkchop",
    "TransferSearch",
    "transfers",
    "check_options",
    "options_by_function",
    "FALLBACK_SEARCH_DAYS",
    "MAX_GRID_POINTS",
    "ANALYTIC_MODELS",
    "MAX_DAYS",
]

#: Models whose states are the two-body states of secularly drifting mean elements (closed-form planes).
ANALYTIC_MODELS = ("kepler", "j2")
#: Longest span of the span-based analyses here, days (20 years; a memory and run-time guard).
#: Longer than the project-wide :data:`sim.constants.MAX_SPAN_DAYS` (two years) on purpose: the
#: question here is how two *maintained* stations' planes drift apart over a station's remaining
#: life (years), and reboosts keep each near its mean altitude, so the J2 secular node rates stay
#: representative where one uncontrolled orbit's would not.
MAX_DAYS = 20.0 * 365.25
#: Departure span searched by :func:`transfers` when the planes never align in the span, days
#: (centred on their smallest angle): the whole span would cost ~3 s per day for transfers that
#: all pay a large plane change.
FALLBACK_SEARCH_DAYS = 1.0
#: Ranges of the float options (unit, exclusive low, inclusive high), checked by :func:`check_options`.
_OPTION_RANGES = {
    "max_plane_angle_deg": ("deg", 0.0, 180.0),
    "threshold_km": ("km", 0.0, 1e5),
    "max_flight_h": ("h", 0.0, 30 * 24.0),
    "departure_step_min": ("min", 0.0, 1440.0),
    "flight_step_h": ("h", 0.0, 24.0),
}
#: Samples per orbital period when scanning the range for close approaches (range extrema of two
#: orbits are about half a period apart; 40 samples keep one extremum per interval).
_SAMPLES_PER_PERIOD = 40
#: Golden-section iterations refining each close approach (0.618**40 ~ 4e-9 of the bracket).
_GOLDEN_ITERATIONS = 40
#: Samples per orbital period of the osculating plane for non-analytic models; the normals are
#: averaged over one period (a boxcar of this many samples), which removes the once- and
#: twice-per-revolution oscillations of the osculating plane (~0.05 deg in LEO) that would
#: otherwise split a window into many at its edges.
_PLANE_SAMPLES_PER_PERIOD = 20


# ---------------------------------------------------------------- helpers


def _wrap_deg(x: np.ndarray) -> np.ndarray:
    """Angles wrapped to (-180, 180] deg."""
    return 180.0 - np.remainder(180.0 - np.asarray(x, dtype=float), 360.0)


def _pairs(a: Any, b: Any) -> tuple[Orbit, Orbit, np.ndarray, np.ndarray]:
    """Checked orbits and the pair indices ``(ia, ib)`` into them."""
    a = check_orbit(a, "a", error=CoorbitalError)
    b = check_orbit(b, "b", error=CoorbitalError)
    if len(a) not in (1, len(b)):
        raise CoorbitalError(f"a must be one orbit or as many as b ({len(b)}), got {len(a)} orbits")
    n = len(b)
    ia = np.zeros(n, dtype=int) if len(a) == 1 else np.arange(n)
    return a, b, ia, np.arange(n)


def _check_days(days: Any) -> float:
    d = as_float(days, "days", "day", scalar=True, error=CoorbitalError)
    check_range("days", d, 0.0, MAX_DAYS, low_open=True, unit="day", error=CoorbitalError)
    return d


def _check_start(start: Any):
    t0 = to_time(start, name="start")
    if len(t0) != 1:
        raise CoorbitalError(f"start must be one time, got {len(t0)}")
    return t0[0]


def _check_float(name: str, value: Any, unit: str, low: float, high: float, what: str | None = None) -> float:
    x = as_float(value, name, unit, scalar=True, error=CoorbitalError)
    check_range(name, x, low, high, low_open=True, unit=what or unit, error=CoorbitalError)
    return x


def check_options(**options: Any) -> dict[str, float | int]:
    """The checked values of any of the keyword options of :func:`alignment_windows`,
    :func:`close_approaches` and :func:`transfers` (the one place their ranges are written; the
    functions and ``sim validate`` both call it). Returns the options as floats/ints.

    Ranges: ``max_plane_angle_deg`` (0, 180] deg, ``threshold_km`` (0, 1e5] km, ``max_flight_h``
    (0, 720] h, ``min_flight_h`` (0, max_flight_h] h (``max_flight_h`` defaults to
    :func:`transfers`' own when not given), ``departure_step_min`` (0, 1440] min, ``flight_step_h``
    (0, 24] h, ``max_revolutions`` integer in [0, 10000], ``keep`` integer in [1, 1000]. An unknown
    name or a bad value raises :class:`sim.errors.CoorbitalError` naming the option.
    """
    out: dict[str, float | int] = {}
    unknown = sorted(set(options) - set(_OPTION_RANGES) - {"min_flight_h", "max_revolutions", "keep"})
    if unknown:
        raise CoorbitalError(f"unknown option(s): {', '.join(unknown)}")
    for name, (unit, low, high) in _OPTION_RANGES.items():
        if name in options:
            out[name] = _check_float(name, options[name], unit, low, high)
    if "min_flight_h" in options:
        hi_h = out.get("max_flight_h", transfers.__kwdefaults__["max_flight_h"])
        out["min_flight_h"] = _check_float(
            "min_flight_h", options["min_flight_h"], "h", 0.0, hi_h, "h (up to max_flight_h)"
        )
    if "max_revolutions" in options:
        out["max_revolutions"] = _check_int("max_revolutions", options["max_revolutions"], 0, 10_000)
    if "keep" in options:
        out["keep"] = _check_int("keep", options["keep"], 1, 1000)
    return out


def options_by_function(**options: Any) -> dict[str, dict[str, Any]]:
    """The given keyword options (``None`` = not given: the function's own default stays) split
    into the keyword arguments of each analysis, by its signature: ``{"geometry": {...},
    "alignment_windows": {...}, "transfers": {...}, "close_approaches": {...}}`` (so a caller
    such as the ``sim coorbital`` command or a scenario's ``[coorbital]`` never keeps its own
    table of which option goes where). An option no analysis takes raises
    :class:`~sim.errors.CoorbitalError`.
    """
    import inspect

    funcs = {f.__name__: f for f in (geometry, alignment_windows, transfers, close_approaches)}
    given = {k: v for k, v in options.items() if v is not None}
    out = {name: {} for name in funcs}
    for name, func in funcs.items():
        params = inspect.signature(func).parameters
        out[name] = {k: v for k, v in given.items() if k in params and params[k].kind is inspect.Parameter.KEYWORD_ONLY}
    unknown = sorted(k for k in given if not any(k in kw for kw in out.values()))
    if unknown:
        raise CoorbitalError(f"unknown option(s): {', '.join(unknown)}")
    return out


def _offset_times(t0, seconds: np.ndarray):
    """``t0`` plus ``seconds`` (SI, TAI), as UTC ``Time``."""
    from astropy.time import TimeDelta

    with offline_iers():
        return (t0.tai + TimeDelta(np.asarray(seconds, dtype=float), format="sec")).utc


def _unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.where(n > 0.0, n, 1.0)


def _angle_between(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Angle (rad) between vectors along the last axis; atan2 form, exact at 0 and pi."""
    return np.arctan2(np.linalg.norm(np.cross(u, w), axis=-1), np.sum(u * w, axis=-1))


def _node_and_arglat(r: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit normal, RAAN (rad) and argument of latitude (rad) of states (..., 3)."""
    h = _unit(np.cross(r, v))
    raan = np.arctan2(h[..., 0], -h[..., 1])
    node = np.stack([np.cos(raan), np.sin(raan), np.zeros_like(raan)], axis=-1)
    u = np.arctan2(np.sum(np.cross(h, node) * r, axis=-1), np.sum(node * r, axis=-1))
    return h, raan, u


def _orbit_average(x: np.ndarray, width: int) -> np.ndarray:
    """Centred running mean of ``x`` (n, n_times, 3) over ``width`` samples along time (shorter at the ends)."""
    c = np.concatenate([np.zeros_like(x[:, :1]), np.cumsum(x, axis=1)], axis=1)
    n = x.shape[1]
    i = np.arange(n)
    lo = np.clip(i - width // 2, 0, n)
    hi = np.clip(i - width // 2 + width, 0, n)
    return (c[:, hi] - c[:, lo]) / (hi - lo)[None, :, None]


def _nodal_rates_deg_per_day(orbit: Orbit, model: str) -> np.ndarray:
    """Secular nodal rate of each orbit under ``model`` (0 for "kepler"; J2 closed form otherwise)."""
    if model == "kepler":
        return np.zeros(len(orbit))
    return nodal_rate_deg_per_day(orbit.a, orbit.ecc, orbit.inclination_deg)


# ---------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Geometry:
    """Relative geometry of station pairs over time; arrays shaped (n_pairs, n_times).

    ``plane_angle_deg``: angle between the orbit normals (deg; mean elements for the analytic
    models, osculating ``r x v`` otherwise). ``node_difference_deg``: RAAN of b minus RAAN of a,
    wrapped to (-180, 180]. ``phase_deg``: b's argument of latitude minus a's (each from its own
    ascending node), wrapped to (-180, 180]: positive when b is ahead. ``range_km``: distance
    between the stations (km). ``altitude_difference_km``: b's geodetic (WGS84) height minus a's (km).
    ``names``: (a name, b name) per pair.
    """

    times: Any
    plane_angle_deg: np.ndarray
    node_difference_deg: np.ndarray
    phase_deg: np.ndarray
    range_km: np.ndarray
    altitude_difference_km: np.ndarray
    names: tuple[tuple[str, str], ...]


def geometry(a: Orbit, b: Orbit, times: Any, *, model: str = "j2") -> Geometry:
    """Plane angle, node difference, phase, range and altitude difference of ``b`` relative to ``a``.

    ``a``, ``b``: :class:`sim.Orbit` (``a`` one orbit or as many as ``b``); ``times``: anything
    :func:`sim.timeutil.to_time` accepts; ``model``: any propagation model name. Units: degrees
    and km (see :class:`Geometry`).
    """
    from .frames import convert, itrs_to_geodetic

    a, b, ia, ib = _pairs(a, b)
    t = to_time(times)
    ra, va = a.propagate(t, model=model, frame="TEME")
    rb, vb = b.propagate(t, model=model, frame="TEME")
    ra, va, rb, vb = ra[ia], va[ia], rb[ib], vb[ib]
    ha, raan_a, u_a = _node_and_arglat(ra, va)
    hb, raan_b, u_b = _node_and_arglat(rb, vb)
    r_both = np.concatenate([ra, rb], axis=0)
    r_itrs, _ = convert(r_both, None, t, "TEME", "ITRS")
    height = itrs_to_geodetic(r_itrs)[2]
    n = len(ib)
    return Geometry(
        times=t,
        plane_angle_deg=np.degrees(_angle_between(ha, hb)),
        node_difference_deg=_wrap_deg(np.degrees(raan_b - raan_a)),
        phase_deg=_wrap_deg(np.degrees(u_b - u_a)),
        range_km=np.linalg.norm(rb - ra, axis=-1) / 1e3,
        altitude_difference_km=(height[n:] - height[:n]) / 1e3,
        names=tuple((a.names[i], b.names[j]) for i, j in zip(ia.tolist(), ib.tolist())),
    )


# ---------------------------------------------------------------- alignment windows


@dataclass(frozen=True)
class AlignmentWindow:
    """An interval ``[start, end]`` (UTC ``Time``) with the plane angle at or below the threshold,
    its smallest plane angle (deg) and when (``min_time``)."""

    start: Any
    end: Any
    min_plane_angle_deg: float
    min_time: Any

    @property
    def duration_days(self) -> float:
        """Length of the window, days."""
        return float(seconds_between(self.start, self.end)) / C.DAY_S


@dataclass(frozen=True)
class Alignment:
    """Alignment windows of one pair over a span.

    ``realignment_period_days``: 360 deg over the absolute differential nodal rate (days; the time
    between two alignments), ``inf`` when the nodes regress at the same rate.
    ``differential_nodal_rate_deg_per_day``: d(RAAN_b - RAAN_a)/dt (deg/day, J2 closed form;
    0 for ``model="kepler"``). ``threshold_deg``: the plane-angle threshold of the windows.
    ``min_possible_plane_angle_deg``: the smallest angle the planes can ever make, the inclination
    difference (deg, mean elements; reached when the nodes coincide): above the threshold the pair
    never aligns, and the "realignment period" is only the period of the node difference.
    """

    names: tuple[str, str]
    windows: tuple[AlignmentWindow, ...]
    realignment_period_days: float
    differential_nodal_rate_deg_per_day: float
    threshold_deg: float
    min_possible_plane_angle_deg: float = 0.0

    @property
    def can_align(self) -> bool:
        """Whether the planes ever come within the threshold (whatever the span)."""
        return self.min_possible_plane_angle_deg <= self.threshold_deg

    def to_rows(self) -> list[dict]:
        """One dict per window (ISO UTC strings and floats) for CSV, JSON and report tables."""
        rows = []
        for w in self.windows:
            rows.append(
                {
                    "from": self.names[0],
                    "to": self.names[1],
                    "start_utc": w.start.isot,
                    "end_utc": w.end.isot,
                    "duration_days": round(w.duration_days, 4),
                    "min_plane_angle_deg": round(w.min_plane_angle_deg, 5),
                    "min_time_utc": w.min_time.isot,
                    "threshold_deg": self.threshold_deg,
                    "realignment_period_days": self.realignment_period_days,
                    "differential_nodal_rate_deg_per_day": self.differential_nodal_rate_deg_per_day,
                }
            )
        return rows


def _closed_form_windows(
    inc_a: float, inc_b: float, dnode0: float, rate: float, span_s: float, threshold: float
) -> list[tuple[float, float, float, float]]:
    """Windows ``(start_s, end_s, min_angle_rad, min_s)`` of the mean-element plane angle.

    ``dnode0``: RAAN_b - RAAN_a at the start (rad); ``rate``: its rate (rad/s); ``threshold`` (rad).
    ``cos(theta) = cos i_a cos i_b + sin i_a sin i_b cos(dOmega)`` is smallest at dOmega = 0 (mod 2 pi).
    """
    ca, cb, sa, sb = math.cos(inc_a), math.cos(inc_b), math.sin(inc_a), math.sin(inc_b)

    def angle(dnode: float) -> float:
        return math.acos(max(-1.0, min(1.0, ca * cb + sa * sb * math.cos(dnode))))

    if rate == 0.0 or sa * sb == 0.0:  # the angle does not change
        th = angle(dnode0)
        return [(0.0, span_s, th, 0.0)] if th <= threshold else []
    cos_edge = (math.cos(threshold) - ca * cb) / (sa * sb)
    if cos_edge > 1.0:  # even aligned nodes leave the planes farther apart than the threshold
        return []
    half = math.pi if cos_edge < -1.0 else math.acos(cos_edge)  # |dOmega| <= half inside a window
    # times when dOmega(t) = dnode0 + rate t = 2 pi k
    k_lo = math.floor((dnode0 + min(0.0, rate * span_s) - half) / (2 * math.pi))
    k_hi = math.ceil((dnode0 + max(0.0, rate * span_s) + half) / (2 * math.pi))
    out = []
    for k in range(k_lo, k_hi + 1):
        centre = (2 * math.pi * k - dnode0) / rate
        hw = half / abs(rate)
        s, e = max(0.0, centre - hw), min(span_s, centre + hw)
        if s > e or (s == e and not (0.0 < s < span_s)):
            continue
        tmin = min(max(centre, 0.0), span_s)
        out.append((s, e, angle(dnode0 + rate * tmin), tmin))
    merged: list[tuple[float, float, float, float]] = []
    for w in sorted(out):  # whole-span windows of half = pi can touch: merge them
        if merged and w[0] <= merged[-1][1]:
            p = merged[-1]
            best = p if p[2] <= w[2] else w
            merged[-1] = (p[0], max(p[1], w[1]), best[2], best[3])
        else:
            merged.append(w)
    return merged


def _sampled_windows(angle_rad: np.ndarray, t_s: np.ndarray, threshold: float) -> list[tuple]:
    """Windows of a sampled plane angle: edges by linear interpolation, minimum at the smallest sample."""
    inside = angle_rad <= threshold
    out = []
    if not inside.any():
        return out
    edges = np.flatnonzero(np.diff(inside.astype(np.int8)))
    starts = ([0] if inside[0] else []) + [int(i) + 1 for i in edges if not inside[i]]
    for s in starts:
        e = s
        while e + 1 < len(inside) and inside[e + 1]:
            e += 1

        def cross(i, j):  # threshold crossing between samples i (outside) and j (inside)
            f = (threshold - angle_rad[i]) / (angle_rad[j] - angle_rad[i])
            return t_s[i] + f * (t_s[j] - t_s[i])

        ts = t_s[s] if s == 0 else cross(s - 1, s)
        te = t_s[e] if e == len(inside) - 1 else cross(e + 1, e)
        k = s + int(np.argmin(angle_rad[s : e + 1]))
        out.append((ts, te, float(angle_rad[k]), float(t_s[k])))
    return out


def alignment_windows(
    a: Orbit,
    b: Orbit,
    start: Any,
    days: float,
    *,
    max_plane_angle_deg: float = 1.0,
    model: str = "j2",
) -> Alignment | list[Alignment]:
    """Intervals within ``days`` (days, > 0) from ``start`` when the planes of ``a`` and ``b`` are
    within ``max_plane_angle_deg`` (deg, in (0, 180]) of each other.

    For ``model`` "j2" and "kepler" the windows are exact on the mean elements (closed form, see the
    module doc); for other models the osculating plane normals are sampled 20 times per orbital
    period and averaged over one period (the mean plane), edges by linear interpolation, the minimum
    at the smallest sample. One :class:`Alignment` for one pair, a
    list (one per pair) when ``b`` is batched. The realignment period is ``360 / |rate_b - rate_a|``
    (days) with the J2 secular nodal rates (``inf`` for equal rates, never a division by zero).
    """
    from .propagation import models

    a, b, ia, ib = _pairs(a, b)
    t0 = _check_start(start)
    span_s = _check_days(days) * C.DAY_S
    thr_deg = check_options(max_plane_angle_deg=max_plane_angle_deg)["max_plane_angle_deg"]
    check_choice("model", model, models())
    thr = math.radians(thr_deg)
    rate_a = _nodal_rates_deg_per_day(a, model)[ia]
    rate_b = _nodal_rates_deg_per_day(b, model)[ib]
    result = []
    if model in ANALYTIC_MODELS:
        dt_a = seconds_between(a.epoch, t0)[ia]
        dt_b = seconds_between(b.epoch, t0)[ib]
        node_a = a.raan[ia] + np.radians(rate_a) / C.DAY_S * dt_a
        node_b = b.raan[ib] + np.radians(rate_b) / C.DAY_S * dt_b
    else:
        per_rev = _PLANE_SAMPLES_PER_PERIOD
        step = float(min(a.period_s.min(), b.period_s.min())) / per_rev
        t_s = np.linspace(0.0, span_s, max(2, int(math.ceil(span_s / step)) + 1))
        times = _offset_times(t0, t_s)
        ra, va = a.propagate(times, model=model, frame="TEME")
        rb, vb = b.propagate(times, model=model, frame="TEME")
        ha = _orbit_average(_unit(np.cross(ra, va)), per_rev)[ia]
        hb = _orbit_average(_unit(np.cross(rb, vb)), per_rev)[ib]
        angles = _angle_between(ha, hb)
    for k in range(len(ib)):
        drate = float(rate_b[k] - rate_a[k])
        if model in ANALYTIC_MODELS:
            wins = _closed_form_windows(
                float(a.inc[ia[k]]),
                float(b.inc[ib[k]]),
                float(node_b[k] - node_a[k]),
                math.radians(drate) / C.DAY_S,
                span_s,
                thr,
            )
        else:
            wins = _sampled_windows(angles[k], t_s, thr)
        windows = []
        for s, e, amin, tmin in wins:
            ts = _offset_times(t0, np.array([s, e, tmin]))
            windows.append(AlignmentWindow(ts[0], ts[1], math.degrees(amin), ts[2]))
        result.append(
            Alignment(
                names=(a.names[ia[k]], b.names[ib[k]]),
                windows=tuple(windows),
                realignment_period_days=math.inf if drate == 0.0 else 360.0 / abs(drate),
                differential_nodal_rate_deg_per_day=drate,
                threshold_deg=thr_deg,
                min_possible_plane_angle_deg=abs(math.degrees(float(b.inc[ib[k]] - a.inc[ia[k]]))),
            )
        )
    return result[0] if len(result) == 1 else result


# ---------------------------------------------------------------- close approaches


@dataclass(frozen=True)
class CloseApproach:
    """A local minimum of the range between two stations: when (UTC ``Time``) and how close (km)."""

    time: Any
    range_km: float


def close_approaches(
    a: Orbit, b: Orbit, start: Any, days: float, *, threshold_km: float = 100.0, model: str = "j2"
) -> tuple[CloseApproach, ...] | list[tuple[CloseApproach, ...]]:
    """Local minima of the range between ``a`` and ``b`` below ``threshold_km`` (km, in (0, 1e5])
    within ``days`` (days, > 0) from ``start``.

    The range is sampled 40 times per orbital period of the faster station together with its rate
    ``d|r_b - r_a|/dt = (r_b - r_a).(v_b - v_a) / |r_b - r_a|``; every interval where the rate
    turns from negative to non-negative holds one minimum (range extrema are about half a period
    apart, so one interval holds at most one), which a vectorised golden-section search on the
    propagated range refines to ~1e-6 s; minima below the threshold are kept. A minimum at the
    span's start (range rising) or end (range falling) counts too. One tuple for one pair (in time
    order), a list of tuples when ``b`` is batched.
    """
    a, b, ia, ib = _pairs(a, b)
    t0 = _check_start(start)
    span_s = _check_days(days) * C.DAY_S
    thr = check_options(threshold_km=threshold_km)["threshold_km"]
    out = []
    for k in range(len(ib)):
        oa, ob = a[int(ia[k])], b[int(ib[k])]
        step = float(min(oa.period_s[0], ob.period_s[0])) / _SAMPLES_PER_PERIOD
        n = max(2, int(math.ceil(span_s / step)) + 1)
        t_s = np.linspace(0.0, span_s, n)
        rng, rate = _range_and_rate(oa, ob, t0, t_s, model)
        falling = rate < 0.0
        idx = np.flatnonzero(falling[:-1] & ~falling[1:])
        h = t_s[1] - t_s[0]
        lo = np.maximum(t_s[idx] - 0.5 * h, 0.0)
        hi = np.minimum(t_s[idx + 1] + 0.5 * h, span_s)
        t_min, r_min = _golden_minimum(oa, ob, t0, lo, hi, model)
        found = [(t, r) for t, r in zip(t_min.tolist(), r_min.tolist())]
        if rate[0] >= 0.0:  # range rising at the start: the start is a minimum of the span
            found.append((0.0, float(rng[0])))
        if rate[-1] < 0.0:
            found.append((span_s, float(rng[-1])))
        found = sorted((t, r) for t, r in found if r <= thr)
        if found:
            times = _offset_times(t0, np.array([t for t, _ in found]))
            out.append(tuple(CloseApproach(times[i], found[i][1]) for i in range(len(found))))
        else:
            out.append(())
    return out[0] if len(out) == 1 else out


def _range_and_rate(oa: Orbit, ob: Orbit, t0, t_s: np.ndarray, model: str) -> tuple[np.ndarray, np.ndarray]:
    """Range (km) and range rate (m/s) of one pair at ``t0 + t_s`` (TEME: range is frame-free)."""
    times = _offset_times(t0, t_s)
    ra, va = oa.propagate(times, model=model, frame="TEME")
    rb, vb = ob.propagate(times, model=model, frame="TEME")
    dr, dv = rb[0] - ra[0], vb[0] - va[0]
    rng = np.linalg.norm(dr, axis=-1)
    rate = np.sum(dr * dv, axis=-1) / np.where(rng > 0.0, rng, 1.0)
    return rng / 1e3, rate


def _golden_minimum(oa: Orbit, ob: Orbit, t0, lo: np.ndarray, hi: np.ndarray, model: str):
    """Vectorised golden-section minimisation of the range on each bracket ``[lo, hi]`` (s from t0)."""
    if len(lo) == 0:
        return np.empty(0), np.empty(0)
    g = (math.sqrt(5.0) - 1.0) / 2.0
    lo, hi = lo.copy(), hi.copy()
    x1, x2 = hi - g * (hi - lo), lo + g * (hi - lo)
    f1 = _range_and_rate(oa, ob, t0, x1, model)[0]
    f2 = _range_and_rate(oa, ob, t0, x2, model)[0]
    for _ in range(_GOLDEN_ITERATIONS):
        left = f1 <= f2  # minimum in [lo, x2]
        hi = np.where(left, x2, hi)
        lo = np.where(left, lo, x1)
        nx1 = np.where(left, hi - g * (hi - lo), x2)
        nx2 = np.where(left, x1, lo + g * (hi - lo))
        x_new = np.where(left, nx1, nx2)
        f_new = _range_and_rate(oa, ob, t0, x_new, model)[0]
        f1, f2 = np.where(left, f_new, f2), np.where(left, f1, f_new)
        x1, x2 = nx1, nx2
    t = 0.5 * (lo + hi)
    return t, _range_and_rate(oa, ob, t0, t, model)[0]


# ---------------------------------------------------------------- phasing


@dataclass(frozen=True)
class Phasing:
    """Phase drift of a chaser ``altitude_offset_km`` (km) below a circular target.

    ``phase_drift_deg_per_day``: rate at which the chaser's argument of latitude gains on the
    target's (deg/day; positive when the chaser is lower, i.e. faster). ``days_to_target``: days to
    close the target's lead ``phase_deg`` at that rate (the lead taken modulo 360 in the direction
    of the drift; ``inf`` for a zero offset and a non-zero lead).
    """

    altitude_offset_km: float
    phase_drift_deg_per_day: float
    days_to_target: float


def phasing(
    altitude_km: float, altitude_offset_km: float, phase_deg: float, *, inclination_deg: float = 51.6
) -> Phasing:
    """Phase drift of a circular chaser ``altitude_offset_km`` (km) below a circular target at
    ``altitude_km`` (km, mean altitude as :attr:`sim.Orbit.altitude_km`), both at ``inclination_deg``
    (deg), and the days to close the target's lead ``phase_deg`` (deg; positive = target ahead).

    The drift is the difference of the J2 secular rates of the argument of latitude,
    ``d(argp + M)/dt`` (:func:`sim.propagation.j2.secular_rates`), in deg/day. A negative offset
    puts the chaser above the target: it falls back (negative drift) and closes a lead the other
    way round (360 - lead).
    """
    alt = as_float(altitude_km, "altitude_km", "km", scalar=True, error=CoorbitalError)
    check_range("altitude_km", alt, MIN_ALTITUDE_KM, 1e6, low_open=True, unit="km", error=CoorbitalError)
    off = as_float(altitude_offset_km, "altitude_offset_km", "km", scalar=True, error=CoorbitalError)
    check_range(
        "altitude_offset_km",
        off,
        -1e6,
        alt - MIN_ALTITUDE_KM,
        high_open=True,
        unit=f"km (the chaser must stay above {MIN_ALTITUDE_KM:g} km)",
        error=CoorbitalError,
    )
    lead = as_float(phase_deg, "phase_deg", "deg", scalar=True, error=CoorbitalError)
    inc = as_float(inclination_deg, "inclination_deg", "deg", scalar=True, error=CoorbitalError)
    check_range("inclination_deg", inc, 0.0, 180.0, unit="deg", error=CoorbitalError)
    a = C.R_EARTH + np.array([alt, alt - off]) * 1e3
    _, argp_dot, mdot = secular_rates(a, 0.0, math.radians(inc))
    u_dot = np.degrees(argp_dot + mdot) * C.DAY_S
    drift = float(u_dot[1] - u_dot[0])
    if drift > 0.0:
        days = (lead % 360.0) / drift
    elif drift < 0.0:
        days = ((-lead) % 360.0) / -drift
    else:
        days = 0.0 if lead % 360.0 == 0.0 else math.inf
    return Phasing(altitude_offset_km=off, phase_drift_deg_per_day=drift, days_to_target=float(days))


# ---------------------------------------------------------------- transfers

#: Iterations and relative tolerance of the Izzo Lambert solver (boinor's defaults are 35 and 1e-8;
#: more iterations make a non-convergence, which would abort the parallel grid, practically impossible).
_LAMBERT_NUMITER = 100
_LAMBERT_RTOL = 1e-10
#: Passes of :func:`lambert_refine` over the whole grid after it (each arc's J2 drift from the
#: previous pass's arc). Measured on ISS -> ROS 370 km, 24-47 h arcs, arrival miss of the
#: J2-propagated arc: 0.3-1.7 km after one pass, 4-43 m after two, 5-9 m after three for most arcs
#: but up to 82 m for some 27-revolution arcs (``sim coorbital --from iss_nominal --to ros_51_low``,
#: one day); the delta-v moves by < 0.01 m/s after the third pass, so the grid (porkchop, ranking)
#: stops there.
_REFINE_PASSES = 3
#: The transfers reported (``keep`` departures x all flight times) are refined on until their arc
#: velocities change by less than this (m/s), at most ``_BEST_REFINE_PASSES`` more passes: the
#: fixed point meets the target within 3-9 m after up to 48 h (the floor: the frame of date moving
#: during the flight; measured on the case above, 7-8 extra passes).
_BEST_REFINE_TOL_M_S = 1e-6
_BEST_REFINE_PASSES = 20
#: Lowest radius a transfer arc may reach, m: the minimum altitude of an orbit in sim
#: (:data:`sim.orbits.MIN_ALTITUDE_KM`) above the equatorial radius; arcs whose perigee (on the
#: arc) is lower are not transfers (they would re-enter), however cheap.
_R_MIN = C.R_EARTH + MIN_ALTITUDE_KM * 1e3
#: Largest eccentricity of an arc whose own J2 drift is used in the refinement (more eccentric arcs,
#: hundreds of m/s from the stations' near-circular orbits, keep the departing station's drift).
_DRIFT_MAX_ECC = 0.25
#: Largest transfer grid (departures x flight times) one call may evaluate: a memory guard (~200 bytes
#: a point, ~1.2 GB at the limit; a whole year without alignment windows at the defaults is 4.9 million).
MAX_GRID_POINTS = 6_000_000
#: The porkchop covers the best departure +- this many hours (inside its departure set).
_PORKCHOP_HALF_SPAN_H = 24.0


@dataclass(frozen=True)
class Transfer:
    """One two-impulse transfer from station a to station b.

    ``departure``/``arrival``: UTC ``Time``; ``flight_time_h`` (h); ``revolutions``: complete
    revolutions of the Lambert arc; ``plane_angle_deg``: angle between a's orbit plane at departure
    and b's at arrival with the arc's secular drift taken out (deg, see :func:`transfers`);
    ``transfer_velocity_m_s``: the arc's GCRS velocity at departure (a's velocity plus the first
    impulse, m/s).

    Delta-v (m/s):

    * ``dv_total_m_s = dv_departure_m_s + dv_arrival_m_s``: the two impulses of the Lambert arc
      between the *actual 3-D states* (a's at departure, b's at arrival; for the J2 and other
      non-Kepler models with the arc's own J2 secular drift, see :func:`transfers`), so any plane
      difference is already paid, combined with the in-plane burns.
    * ``dv_in_plane_m_s``: the same Lambert problem (same flight time) with b's arrival state
      rotated about the line of intersection of the two planes into a's plane: the two-impulse cost
      if the planes coincided.
    * ``dv_plane_change_m_s = 2 v sin(plane_angle / 2)`` with ``v`` b's speed at arrival: a
      separate plane change at the node.

    ``dv_in_plane_m_s + dv_plane_change_m_s`` is the cost of doing the two separately; the combined
    arc (``dv_total_m_s``) is usually cheaper. For co-planar orbits ``dv_total == dv_in_plane`` and
    the plane-change part is 0.
    """

    departure: Any
    arrival: Any
    flight_time_h: float
    dv_total_m_s: float
    dv_in_plane_m_s: float
    dv_plane_change_m_s: float
    dv_departure_m_s: float
    dv_arrival_m_s: float
    revolutions: int
    plane_angle_deg: float
    transfer_velocity_m_s: tuple[float, float, float] = (math.nan, math.nan, math.nan)


@dataclass(frozen=True)
class Porkchop:
    """Total delta-v (m/s) over departures (UTC ``Time``, n_dep) x flight times (h, n_tof); NaN where
    no Lambert arc exists."""

    departures: Any
    flight_time_h: np.ndarray
    dv_total_m_s: np.ndarray


@dataclass(frozen=True)
class TransferSearch:
    """The cheapest transfers from ``names[0]`` to ``names[1]`` (cheapest first) and a porkchop grid
    around the best one (``None`` when no transfer was found)."""

    names: tuple[str, str]
    best: tuple[Transfer, ...]
    porkchop: Porkchop | None
    #: False when the planes never came within the threshold in the span: the departures searched
    #: were then the :data:`FALLBACK_SEARCH_DAYS` around their smallest angle (see :func:`transfers`).
    aligned: bool = True

    def to_rows(self) -> list[dict]:
        """One dict per transfer (ISO UTC strings and rounded floats) for CSV, JSON and report tables."""
        return [
            {
                "from": self.names[0],
                "to": self.names[1],
                "departure_utc": t.departure.isot,
                "arrival_utc": t.arrival.isot,
                "flight_time_h": round(t.flight_time_h, 4),
                "dv_total_m_s": round(t.dv_total_m_s, 3),
                "dv_in_plane_m_s": round(t.dv_in_plane_m_s, 3),
                "dv_plane_change_m_s": round(t.dv_plane_change_m_s, 3),
                "dv_departure_m_s": round(t.dv_departure_m_s, 3),
                "dv_arrival_m_s": round(t.dv_arrival_m_s, 3),
                "revolutions": t.revolutions,
                "plane_angle_deg": round(t.plane_angle_deg, 5),
            }
            for t in self.best
        ]


def _check_int(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise CoorbitalError(f"{name} must be an integer in [{low}, {high}], got {value!r}")
    if not low <= int(value) <= high:
        raise CoorbitalError(f"{name} must be an integer in [{low}, {high}], got {int(value)}")
    return int(value)


def _closest_planes_span(a: Orbit, b: Orbit, t0, span_s: float, model: str) -> tuple[float, float]:
    """The departure span (s from ``t0``) searched when no alignment window exists: the
    :data:`FALLBACK_SEARCH_DAYS` centred on the smallest plane angle of the span (sampled hourly),
    clipped to the span."""
    t_s = np.linspace(0.0, span_s, max(2, int(math.ceil(span_s / 3600.0)) + 1))
    angle = geometry(a, b, _offset_times(t0, t_s), model=model).plane_angle_deg[0]
    centre = float(t_s[int(np.argmin(angle))])
    half = 0.5 * FALLBACK_SEARCH_DAYS * C.DAY_S
    lo = min(max(0.0, centre - half), max(0.0, span_s - 2.0 * half))
    return lo, min(span_s, lo + 2.0 * half)


def _departure_offsets(spans: list[tuple[float, float]], step_s: float) -> np.ndarray:
    """Departure times (s from the start) every ``step_s`` inside each ``(start, end)`` span (s)."""
    parts = [s + np.arange(int(math.floor((e - s) / step_s + 1e-9)) + 1) * step_s for s, e in spans]
    return np.unique(np.concatenate(parts))


def _rotate_into(r: np.ndarray, v: np.ndarray, n_from: np.ndarray, n_to: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``r``, ``v`` rotated about the planes' line of intersection so that normal ``n_from`` becomes ``n_to``."""
    axis = np.cross(n_from, n_to)
    s = np.linalg.norm(axis)
    if s == 0.0:
        return r, v
    k = axis / s
    ang = math.atan2(s, float(np.dot(n_from, n_to)))

    def rot(x):  # Rodrigues
        return x * math.cos(ang) + np.cross(k, x) * math.sin(ang) + k * np.dot(k, x) * (1.0 - math.cos(ang))

    return rot(r), rot(v)


# ---- the compiled grid (here, not in sim.kernels: it calls boinor's solver; see sim.kernels.lambert)


@njit(cache=True)
def lambert_point(mu, r_min, r1, v1, r2, v2, tof, max_revs, numiter, rtol):
    """Cheapest prograde Lambert arc from state (r1, v1) to state (r2, v2) in ``tof`` seconds that
    stays above the radius ``r_min`` (m; see :func:`dips_below`).

    Returns ``(dv_total, dv_departure, dv_arrival, revolutions, low_path, w1, w2)`` with
    ``dv_departure = |w1 - v1|`` and ``dv_arrival = |v2 - w2|`` (m/s), ``w1``/``w2`` the arc's
    velocities (m/s, shape (3,)) at r1 and r2; NaN (and -1 revolutions) when no arc exists
    (coincident or collinear positions).
    """
    best_w1 = np.full(3, np.nan)
    best_w2 = np.full(3, np.nan)
    m_safe = safe_revolutions(mu, r1, r2, tof)
    if m_safe < 0:
        return np.nan, np.nan, np.nan, -1, False, best_w1, best_w2
    m_safe = min(max_revs, m_safe)
    r1n = math.sqrt(r1[0] ** 2 + r1[1] ** 2 + r1[2] ** 2)
    r2n = math.sqrt(r2[0] ** 2 + r2[1] ** 2 + r2[2] ** 2)
    v1n = math.sqrt(v1[0] ** 2 + v1[1] ** 2 + v1[2] ** 2)
    v2n = math.sqrt(v2[0] ** 2 + v2[1] ** 2 + v2[2] ** 2)
    # the departing station's own revolution count first (a good incumbent for the bound)
    energy = 0.5 * v1n * v1n - mu / r1n
    m_first = 0
    if energy < 0.0:
        period = 2.0 * math.pi * math.sqrt((-mu / (2.0 * energy)) ** 3 / mu)
        m_first = min(m_safe, int(tof // period))
    best, best_d, best_a, best_m, best_low = np.inf, np.nan, np.nan, -1, False
    for k in range(m_safe + 2):
        m = m_first if k == 0 else k - 1
        if k > 0 and m == m_first:
            continue
        if m > m_safe:
            break
        if m > 0 and (mu * (tof / (2.0 * math.pi * m)) ** 2) ** (1.0 / 3.0) < r_min:
            # a < a(tof / m) < r_min: the perigee a (1 - e) is below r_min, and more revolutions only lower a
            if k == 0:
                continue
            break
        lo1, hi1 = speed_bounds(mu, r1n, tof, m)
        lo2, hi2 = speed_bounds(mu, r2n, tof, m)
        if speed_gap(v1n, lo1, hi1) + speed_gap(v2n, lo2, hi2) >= best:
            continue
        for path in range(2 if m > 0 else 1):
            low = path == 0
            w1, w2 = izzo(mu, r1, r2, tof, m, True, low, numiter, rtol)
            if dips_below(mu, r_min, r1, w1, r2, w2, m):
                continue
            dd = math.sqrt((w1[0] - v1[0]) ** 2 + (w1[1] - v1[1]) ** 2 + (w1[2] - v1[2]) ** 2)
            da = math.sqrt((v2[0] - w2[0]) ** 2 + (v2[1] - w2[1]) ** 2 + (v2[2] - w2[2]) ** 2)
            if dd + da < best:
                best, best_d, best_a, best_m, best_low = dd + da, dd, da, m, low
                best_w1, best_w2 = w1, w2
    if best_m < 0:
        return np.nan, np.nan, np.nan, -1, False, best_w1, best_w2
    return best, best_d, best_a, best_m, best_low, best_w1, best_w2


@njit(parallel=True, cache=True)
def lambert_grid(mu, r_min, r_dep, v_dep, r_arr, v_arr, arr_index, tof_s, pole, drift, max_revs, numiter, rtol):
    """:func:`lambert_point` over a grid, in parallel.

    ``r_dep``, ``v_dep``: (n_dep, 3) departure states (m, m/s); ``r_arr``, ``v_arr``: (n_arr, 3)
    arrival states; ``arr_index``: (n_dep, n_tof) row of the arrival state of each grid point;
    ``tof_s``: (n_tof,) flight times (s); ``pole``: (n_dep, 3) unit vector of the true pole of date
    in the states' frame; ``drift``: (n_dep, n_tof, 3) the J2 secular drift of each arc: node rate
    and perigee rate (rad/s, see :func:`arrival_in_arc_frame`, about the departure orbit's normal)
    and the ratio of its secular mean-anomaly rate to the two-body mean motion (the two-body arc is
    solved over ``tof * ratio``; all 0, 0, 1 for two-body states). Returns ``dv_total``,
    ``dv_departure``, ``dv_arrival`` (n_dep, n_tof) m/s, ``revolutions`` (int), ``low_path``
    (bool) and the arcs' departure velocities ``w1`` (n_dep, n_tof, 3) m/s.
    """
    n_dep, n_tof = arr_index.shape
    dv = np.full((n_dep, n_tof), np.nan)
    dv_d = np.full((n_dep, n_tof), np.nan)
    dv_a = np.full((n_dep, n_tof), np.nan)
    revs = np.full((n_dep, n_tof), -1, dtype=np.int64)
    low = np.zeros((n_dep, n_tof), dtype=np.bool_)
    w1 = np.full((n_dep, n_tof, 3), np.nan)
    for k in prange(n_dep * n_tof):
        i = k // n_tof
        j = k - i * n_tof
        a = arr_index[i, j]
        dr = drift[i, j]
        r2, v2 = arrival_in_arc_frame(r_arr[a], v_arr[a], r_dep[i], pole[i], dr[0], dr[1], tof_s[j])
        t, d, e, m, lp, w, _ = lambert_point(
            mu, r_min, r_dep[i], v_dep[i], r2, v2, tof_s[j] * dr[2], max_revs, numiter, rtol
        )
        dv[i, j] = t
        dv_d[i, j] = d
        dv_a[i, j] = e
        revs[i, j] = m
        low[i, j] = lp
        w1[i, j] = w
    return dv, dv_d, dv_a, revs, low, w1


@njit(parallel=True, cache=True)
def lambert_refine(mu, r_min, r_dep, v_dep, r_arr, v_arr, arr_index, tof_s, pole, drift, revs, low, numiter, rtol):
    """Re-solve each grid point of :func:`lambert_grid` at its revolution count and branch with the
    arc's own secular ``drift`` (n_dep, n_tof, 3, as in :func:`lambert_grid`, from the previous
    solution's elements).
    Returns ``dv_total``, ``dv_departure``, ``dv_arrival`` and ``w1`` like :func:`lambert_grid`;
    a point whose revolution count is no longer safely solvable keeps NaN.
    """
    n_dep, n_tof = arr_index.shape
    dv = np.full((n_dep, n_tof), np.nan)
    dv_d = np.full((n_dep, n_tof), np.nan)
    dv_a = np.full((n_dep, n_tof), np.nan)
    w_out = np.full((n_dep, n_tof, 3), np.nan)
    for k in prange(n_dep * n_tof):
        i = k // n_tof
        j = k - i * n_tof
        m = revs[i, j]
        if m < 0:
            continue
        a = arr_index[i, j]
        dr = drift[i, j]
        r1, v1 = r_dep[i], v_dep[i]
        r2, v2 = arrival_in_arc_frame(r_arr[a], v_arr[a], r1, pole[i], dr[0], dr[1], tof_s[j])
        tof = tof_s[j] * dr[2]
        if m > safe_revolutions(mu, r1, r2, tof):
            continue
        u1, u2 = izzo(mu, r1, r2, tof, m, True, low[i, j], numiter, rtol)
        if dips_below(mu, r_min, r1, u1, r2, u2, m):
            continue
        d = math.sqrt((u1[0] - v1[0]) ** 2 + (u1[1] - v1[1]) ** 2 + (u1[2] - v1[2]) ** 2)
        e = math.sqrt((v2[0] - u2[0]) ** 2 + (v2[1] - u2[1]) ** 2 + (v2[2] - u2[2]) ** 2)
        dv[i, j] = d + e
        dv_d[i, j] = d
        dv_a[i, j] = e
        w_out[i, j] = u1
    return dv, dv_d, dv_a, w_out


def _true_pole(times: Any) -> np.ndarray:
    """Unit vectors (n, 3) of the true pole of date (the J2 axis, TEME z) in GCRS at ``times``."""
    from .frames import teme_to_gcrs_matrix

    return np.ascontiguousarray(teme_to_gcrs_matrix(times)[:, :, 2])


def _drift(a_m: ArrayLike, ecc: ArrayLike, inc: ArrayLike) -> np.ndarray:
    """J2 secular drift of orbits: node rate, perigee rate (rad/s) and secular mean-anomaly rate over
    the two-body mean motion, stacked on a last axis of 3 (the ``drift`` of
    :func:`lambert_grid`)."""
    raan_dot, argp_dot, mdot = secular_rates(a_m, ecc, inc)
    return np.stack([raan_dot, argp_dot, mdot / np.sqrt(C.MU_EARTH / np.asarray(a_m, dtype=float) ** 3)], axis=-1)


def _arc_drift(
    r_dep: np.ndarray, v_dep: np.ndarray, w1: np.ndarray, pole: np.ndarray, fallback: np.ndarray
) -> np.ndarray:
    """:func:`_drift` of each Lambert arc (departure state ``r_dep``, ``v_dep`` (n_dep, 3), arc velocity
    ``w1`` (n_dep, n_tof, 3)), inclination to the true ``pole`` (n_dep, 3); ``fallback`` (3,) where
    there is no arc or it is eccentric (``_DRIFT_MAX_ECC``) or dips under ``_R_MIN``."""
    from .propagation.kepler import rv2coe

    ok = np.all(np.isfinite(w1), axis=-1)
    w = np.where(ok[..., None], w1, v_dep[:, None, :])
    r = np.broadcast_to(r_dep[:, None, :], w.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        a_m, ecc, _, _, _, _ = rv2coe(r, w)
        inc = _angle_between(np.cross(r, w), pole[:, None, :])
        # the secular rates describe near-circular arcs that stay above the atmosphere; others (never
        # the cheap ones) keep the station's drift
        ok &= (a_m > 0.0) & (ecc < _DRIFT_MAX_ECC) & (a_m * (1.0 - ecc) >= _R_MIN)
        drift = _drift(np.where(ok, a_m, 2.0 * C.R_EARTH), np.where(ok, ecc, 0.0), inc)
    return np.ascontiguousarray(np.where(ok[..., None], drift, fallback))


def transfers(
    a: Orbit,
    b: Orbit,
    start: Any,
    days: float,
    *,
    max_flight_h: float = 48.0,
    min_flight_h: float = 2.0,
    departure_step_min: float = 10.0,
    flight_step_h: float = 0.5,
    max_plane_angle_deg: float = 1.0,
    max_revolutions: int = 100,
    keep: int = 5,
    model: str = "j2",
) -> TransferSearch:
    """Cheapest two-impulse transfers from station ``a`` to station ``b`` departing within ``days``
    (days) from ``start``.

    Departures every ``departure_step_min`` (min) inside the alignment windows of
    ``max_plane_angle_deg`` (deg; :func:`alignment_windows`); if there is none (planes apart all
    span), over the :data:`FALLBACK_SEARCH_DAYS` (1 day) centred on the smallest plane angle of the
    span, where the plane change that dominates every such transfer is cheapest
    (``TransferSearch.aligned`` is then False); flight times from ``min_flight_h`` to
    ``max_flight_h`` (h) every ``flight_step_h`` (h);
    Lambert arcs with 0 to ``max_revolutions`` complete revolutions, both branches of each
    multi-revolution case, prograde (boinor's Izzo solver, compiled grid in
    :func:`lambert_grid`; :mod:`sim.kernels.lambert` says which revolutions it prunes and why
    the pruning cannot change the result); arcs whose perigee on the arc is below 100 km
    (:data:`sim.orbits.MIN_ALTITUDE_KM`) are refused. States are :meth:`sim.Orbit.propagate` GCRS states
    (``model``). The Lambert arc is two-body; for every model but "kepler" its J2 secular drift
    (node regression, ~5 deg/day in LEO, and the faster argument of latitude), taken equal to the
    departing station's, is taken out of the arrival state before solving
    (:func:`sim.kernels.lambert.arrival_in_arc_frame`): without it a 48 h arc would have to turn
    its plane by the ~10 deg both stations regress in that time, hundreds of m/s no real transfer
    pays. ``keep``: how many transfers to return, the cheapest first, at departures at least
    one orbital period of ``a`` apart (distinct opportunities, not the neighbours of one). The
    delta-v split is defined in :class:`Transfer`. The porkchop covers the best departure +-24 h
    (within its departure set) at all flight times.

    Run time: a year of ISS -> ROS 370 km (one 21-day window, 280,000 departure x flight-time
    points) takes ~5 s on 2 cores (``benchmarks/bench_coorbital.py``). Without a window the revolution
    bound prunes little (the plane change dominates every revolution count): ~3 s for the one day
    searched, whatever the span.
    """

    a, b, ia, ib = _pairs(a, b)
    if len(a) != 1 or len(b) != 1:
        raise CoorbitalError(f"transfers takes one orbit a and one orbit b, got {len(a)} and {len(b)}")
    t0 = _check_start(start)
    span_s = _check_days(days) * C.DAY_S
    opts = check_options(
        max_flight_h=max_flight_h,
        min_flight_h=min_flight_h,
        departure_step_min=departure_step_min,
        flight_step_h=flight_step_h,
        max_revolutions=max_revolutions,
        keep=keep,
    )
    hi_h, lo_h, dep_min, step_h = (
        opts[k] for k in ("max_flight_h", "min_flight_h", "departure_step_min", "flight_step_h")
    )
    max_revs, keep = opts["max_revolutions"], opts["keep"]
    alignment = alignment_windows(a, b, t0, days, max_plane_angle_deg=max_plane_angle_deg, model=model)
    if alignment.windows:
        spans = [(float(seconds_between(t0, w.start)), float(seconds_between(t0, w.end))) for w in alignment.windows]
    else:  # the plane change dominates every departure: search where it is smallest
        spans = [_closest_planes_span(a, b, t0, span_s, model)]
    dep_s = _departure_offsets(spans, dep_min * 60.0)
    tof_h = lo_h + np.arange(int(math.floor((hi_h - lo_h) / step_h + 1e-9)) + 1) * step_h
    tof_s = tof_h * 3600.0
    if len(dep_s) * len(tof_s) > MAX_GRID_POINTS:
        raise CoorbitalError(
            f"departure_step_min/flight_step_h: {len(dep_s):,} departures x {len(tof_s):,} flight times is more "
            f"than {MAX_GRID_POINTS:,} grid points; use larger steps or fewer days"
        )
    r_dep, v_dep = a.propagate(_offset_times(t0, dep_s), model=model)
    arr_s = dep_s[:, None] + tof_s[None, :]
    arr_unique, arr_index = np.unique(np.round(arr_s, 3), return_inverse=True)
    r_arr, v_arr = b.propagate(_offset_times(t0, arr_unique), model=model)
    arr_index = arr_index.reshape(arr_s.shape).astype(np.int64)
    pole = _true_pole(_offset_times(t0, dep_s))
    r_dep, v_dep = np.ascontiguousarray(r_dep[0]), np.ascontiguousarray(v_dep[0])
    r_arr, v_arr = np.ascontiguousarray(r_arr[0]), np.ascontiguousarray(v_arr[0])
    shape = arr_index.shape
    station = np.array([0.0, 0.0, 1.0]) if model == "kepler" else _drift(a.a, a.ecc, a.inc)[0]
    drift = np.ascontiguousarray(np.broadcast_to(station, (*shape, 3)))
    dv, dv_d, dv_a, revs, low, w1 = lambert_grid(
        C.MU_EARTH,
        _R_MIN,
        r_dep,
        v_dep,
        r_arr,
        v_arr,
        arr_index,
        tof_s,
        pole,
        drift,
        max_revs,
        _LAMBERT_NUMITER,
        _LAMBERT_RTOL,
    )
    for _ in range(0 if model == "kepler" else _REFINE_PASSES):  # each arc drifts at its own elements' rates
        drift = _arc_drift(r_dep, v_dep, w1, pole, station)
        dv, dv_d, dv_a, w1 = lambert_refine(
            C.MU_EARTH,
            _R_MIN,
            r_dep,
            v_dep,
            r_arr,
            v_arr,
            arr_index,
            tof_s,
            pole,
            drift,
            revs,
            low,
            _LAMBERT_NUMITER,
            _LAMBERT_RTOL,
        )
    names = (a.names[0], b.names[0])
    with np.errstate(invalid="ignore"):
        per_dep = np.where(np.isnan(dv), np.inf, dv).min(axis=1)
    order = np.argsort(per_dep, kind="stable")
    sep = float(a.period_s[0])
    chosen: list[int] = []
    for i in order.tolist():
        if not np.isfinite(per_dep[i]) or len(chosen) >= keep:
            break
        if all(abs(dep_s[i] - dep_s[c]) >= sep for c in chosen):
            chosen.append(i)
    if chosen and model != "kepler":  # the rows reported: on to the fixed point (keep x n_tof points, cheap)
        rows = np.array(chosen)

        def sub(x: np.ndarray) -> np.ndarray:
            return np.ascontiguousarray(x[rows])

        for _ in range(_BEST_REFINE_PASSES):
            drift_rows = _arc_drift(sub(r_dep), sub(v_dep), sub(w1), sub(pole), station)
            out = lambert_refine(
                C.MU_EARTH,
                _R_MIN,
                sub(r_dep),
                sub(v_dep),
                r_arr,
                v_arr,
                sub(arr_index),
                tof_s,
                sub(pole),
                drift_rows,
                sub(revs),
                sub(low),
                _LAMBERT_NUMITER,
                _LAMBERT_RTOL,
            )
            moved = np.abs(out[3] - w1[rows])
            dv[rows], dv_d[rows], dv_a[rows], w1[rows] = out
            drift[rows] = drift_rows
            if not np.any(moved > _BEST_REFINE_TOL_M_S):  # NaN (no arc) compares False
                break
    best = []
    for i in chosen:
        j = int(np.nanargmin(dv[i]))
        u = int(arr_index[i, j])
        dr = drift[i, j]
        r2, v2 = arrival_in_arc_frame(r_arr[u], v_arr[u], r_dep[i], pole[i], dr[0], dr[1], tof_s[j])
        n_a = _unit(np.cross(r_dep[i], v_dep[i]))
        n_b = _unit(np.cross(r2, v2))
        angle = float(_angle_between(n_a, n_b))
        r2, v2 = _rotate_into(r2, v2, n_b, n_a)
        in_plane = lambert_point(
            C.MU_EARTH, _R_MIN, r_dep[i], v_dep[i], r2, v2, tof_s[j] * dr[2], max_revs, _LAMBERT_NUMITER, _LAMBERT_RTOL
        )[0]
        times = _offset_times(t0, np.array([dep_s[i], dep_s[i] + tof_s[j]]))
        best.append(
            Transfer(
                departure=times[0],
                arrival=times[1],
                flight_time_h=float(tof_h[j]),
                dv_total_m_s=float(dv[i, j]),
                dv_in_plane_m_s=float(in_plane),
                dv_plane_change_m_s=2.0 * float(np.linalg.norm(v_arr[u])) * math.sin(angle / 2.0),
                dv_departure_m_s=float(dv_d[i, j]),
                dv_arrival_m_s=float(dv_a[i, j]),
                revolutions=int(revs[i, j]),
                plane_angle_deg=math.degrees(angle),
                transfer_velocity_m_s=tuple(float(x) for x in w1[i, j]),
            )
        )
    porkchop = None
    if chosen:
        near = np.abs(dep_s - dep_s[chosen[0]]) <= _PORKCHOP_HALF_SPAN_H * 3600.0
        porkchop = Porkchop(
            departures=_offset_times(t0, dep_s[near]), flight_time_h=tof_h.copy(), dv_total_m_s=dv[near].copy()
        )
    return TransferSearch(names=names, best=tuple(best), porkchop=porkchop, aligned=bool(alignment.windows))
