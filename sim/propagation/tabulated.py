"""Tabulated ephemerides: states read from a file, interpolated, as propagation model "ephemeris".

An :class:`Ephemeris` holds the time-ordered states of one object (positions in metres,
velocities in m/s, in one of sim's frames) and the interpolation its source stated (a CCSDS
OEM's ``INTERPOLATION`` and ``INTERPOLATION_DEGREE``). An :class:`sim.Orbit` carrying one per
orbit (``Orbit.ephemerides``, built by :func:`sim.io.read_oem`) propagates with
``model="ephemeris"``: every analysis that takes ``model=`` (coverage, passes, ground tracks,
geometry) then runs on the tabulated states. Times outside the tabulated span are refused
(a :class:`~sim.errors.ModelError` naming the span): an ephemeris is never extrapolated.

Interpolation methods (``degree`` as stated in the file):

* ``"LAGRANGE"``: the polynomial of degree ``degree`` through the ``degree + 1`` samples
  nearest the time (centred where the table allows), applied to positions and, separately,
  to the tabulated velocities;
* ``"HERMITE"``: the polynomial of degree ``degree`` matching positions and velocities at
  ``ceil((degree + 1) / 2)`` samples; the velocity is its derivative (Orekit's own OEM reader
  uses ``degree + 1`` samples instead, a higher polynomial degree than stated);
* ``"LINEAR"``: straight lines between neighbouring samples (``degree`` 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ModelError, describe
from ..frames import FRAMES, convert
from ..timeutil import seconds_between, to_time
from . import register

if TYPE_CHECKING:
    from astropy.time import Time

    from ..orbits import Orbit

__all__ = ["Ephemeris", "INTERPOLATIONS", "DEFAULT_DEGREE", "samples_needed", "propagate"]

#: Interpolation methods an :class:`Ephemeris` (and an OEM sim reads) may state.
INTERPOLATIONS = ("LAGRANGE", "HERMITE", "LINEAR")
#: Interpolation degree per method when none is stated (what sim writes and assumes on reading).
DEFAULT_DEGREE = {"LAGRANGE": 7, "HERMITE": 7, "LINEAR": 1}

#: Slack (s) at both ends of the tabulated span: a time this close outside is clamped onto it
#: (a round-off of the time arithmetic, far below any step).
_EDGE_S = 1e-6


def samples_needed(method: str, degree: int) -> int:
    """How many samples the interpolation ``method`` of ``degree`` uses (see the module doc).

    Parameters
    ----------
    method : str
        One of :data:`INTERPOLATIONS`.
    degree : int
        The polynomial degree (>= 1).

    Returns
    -------
    int
        ``degree + 1`` for Lagrange, ``ceil((degree + 1) / 2)`` (at least 2) for Hermite, 2 for linear.
    """
    if method == "LAGRANGE":
        return degree + 1
    if method == "HERMITE":
        return max(2, (degree + 2) // 2)
    return 2


@dataclass(frozen=True, eq=False)
class Ephemeris:
    """Time-ordered states of one object and how to interpolate between them.

    Parameters
    ----------
    epochs : astropy.time.Time
        Sample times, 1-D, strictly increasing (anything :func:`sim.timeutil.to_time` accepts).
    r : numpy.ndarray
        Positions, m, shape (n_samples, 3), in ``frame``.
    v : numpy.ndarray
        Velocities, m/s, shape (n_samples, 3), in ``frame`` (ITRS: relative to the rotating Earth).
    frame : str
        "GCRS", "TEME" or "ITRS" (:data:`sim.frames.FRAMES`).
    method : str
        Interpolation, one of :data:`INTERPOLATIONS` (default "LAGRANGE").
    degree : int
        Interpolation degree (default 7); the table must hold :func:`samples_needed` samples.
    name : str
        The object's name (for messages).
    useable_start, useable_stop : Any, optional
        The span the states may be interpolated over (a CCSDS OEM's ``USEABLE_START_TIME`` and
        ``USEABLE_STOP_TIME``: the samples beyond it only serve the interpolation near its ends);
        default the first and the last sample. Within the samples' span.
    """

    epochs: Any
    r: np.ndarray
    v: np.ndarray
    frame: str = "GCRS"
    method: str = "LAGRANGE"
    degree: int = DEFAULT_DEGREE["LAGRANGE"]
    name: str = ""
    useable_start: Any = None
    useable_stop: Any = None

    def __post_init__(self) -> None:
        ep = to_time(self.epochs, name="epochs")
        object.__setattr__(self, "epochs", ep)
        r = np.asarray(self.r, dtype=float)
        v = np.asarray(self.v, dtype=float)
        if r.shape != (len(ep), 3) or v.shape != r.shape:
            raise ModelError(
                f"r and v must be shaped ({len(ep)}, 3) (one state per epoch), got {r.shape} and {v.shape}"
            )
        if not (np.all(np.isfinite(r)) and np.all(np.isfinite(v))):
            raise ModelError(f"ephemeris {self.name!r}: states must be finite numbers")
        object.__setattr__(self, "r", r)
        object.__setattr__(self, "v", v)
        if self.frame not in FRAMES:
            raise ModelError(f"frame must be one of {', '.join(FRAMES)}, got {describe(self.frame)}")
        if self.method not in INTERPOLATIONS:
            raise ModelError(f"method must be one of {', '.join(INTERPOLATIONS)}, got {describe(self.method)}")
        if isinstance(self.degree, bool) or not isinstance(self.degree, (int, np.integer)) or self.degree < 1:
            raise ModelError(f"degree must be an integer >= 1, got {describe(self.degree)}")
        if self.method == "LINEAR" and self.degree != 1:
            raise ModelError(f"LINEAR interpolation has degree 1, got {self.degree}")
        off = seconds_between(ep[0], ep)
        if np.any(np.diff(off) <= 0):
            k = int(np.argmax(np.diff(off) <= 0)) + 1
            raise ModelError(f"ephemeris {self.name!r}: epochs must increase, sample {k} is not after sample {k - 1}")
        need = samples_needed(self.method, int(self.degree))
        if len(ep) < need:
            raise ModelError(
                f"ephemeris {self.name!r}: {self.method} interpolation of degree {self.degree} needs "
                f"{need} samples, got {len(ep)}"
            )
        object.__setattr__(self, "_offsets_s", off)
        bounds = []
        for key, default in (("useable_start", ep[0]), ("useable_stop", ep[-1])):
            t = to_time(default if getattr(self, key) is None else getattr(self, key), name=key)
            if len(t) != 1:
                raise ModelError(f"{key} must be one time, got {len(t)}")
            object.__setattr__(self, key, t[0])
            bounds.append(float(seconds_between(ep[0], t[0])))
        lo, hi = bounds
        if not (-_EDGE_S <= lo < hi <= off[-1] + _EDGE_S):
            raise ModelError(
                f"ephemeris {self.name!r}: useable_start..useable_stop ({self.useable_start.utc.isot} .. "
                f"{self.useable_stop.utc.isot} UTC) must be an interval within the samples "
                f"({ep[0].utc.isot} .. {ep[-1].utc.isot} UTC)"
            )
        object.__setattr__(self, "_useable_s", (max(lo, 0.0), min(hi, float(off[-1]))))

    @property
    def offsets_s(self) -> np.ndarray:
        """Seconds (SI) of each sample from the first one, shape (n_samples,)."""
        return self._offsets_s

    @property
    def start(self) -> Time:
        """The first time the states may be interpolated at (:attr:`useable_start`)."""
        return self.useable_start

    @property
    def stop(self) -> Time:
        """The last time the states may be interpolated at (:attr:`useable_stop`)."""
        return self.useable_stop

    def __len__(self) -> int:
        return len(self.epochs)

    def interpolate(self, times: Any) -> tuple[np.ndarray, np.ndarray]:
        """Positions (m) and velocities (m/s) at ``times``, each shaped (n_times, 3), in :attr:`frame`.

        Parameters
        ----------
        times : Any
            Anything :func:`sim.timeutil.to_time` accepts; every time must lie within the
            useable span (:attr:`start` to :attr:`stop`; by default the samples' span).

        Raises
        ------
        sim.errors.ModelError
            A time outside the tabulated span (an ephemeris is never extrapolated).
        """
        t = to_time(times)
        s = np.atleast_1d(seconds_between(self.epochs[0], t)).astype(float)
        lo, hi = self._useable_s
        out = (s < lo - _EDGE_S) | (s > hi + _EDGE_S)
        if np.any(out):
            k = int(np.argmax(out))
            raise ModelError(
                f"time {t[k].utc.isot} is outside the ephemeris of {self.name or 'this orbit'} "
                f"({self.start.utc.isot} to {self.stop.utc.isot} UTC): an ephemeris is not extrapolated; "
                "ask for times within its span"
            )
        return _interpolate(self._offsets_s, self.r, self.v, np.clip(s, lo, hi), self.method, int(self.degree))


def _windows(t_nodes, s, m):
    """First index of the ``m`` consecutive samples used at each time ``s`` (centred, clipped)."""
    i = np.searchsorted(t_nodes, s, side="right") - 1  # t_nodes[i] <= s < t_nodes[i + 1]
    first = i - (m - 1) // 2
    return np.clip(first, 0, len(t_nodes) - m)


def _lagrange_basis(tw, s):
    """Lagrange basis L_j(s) and dL_j/ds at times ``s`` (Q,) on nodes ``tw`` (Q, m)."""
    m = tw.shape[1]
    d = s[:, None] - tw  # (Q, m)
    L = np.ones_like(tw)
    dL = np.zeros_like(tw)
    for j in range(m):
        for k in range(m):
            if k == j:
                continue
            den = tw[:, j] - tw[:, k]
            # derivative of the product: sum over the factor differentiated
            prod = np.ones_like(s)
            for l in range(m):
                if l not in (j, k):
                    prod = prod * d[:, l] / (tw[:, j] - tw[:, l])
            dL[:, j] += prod / den
            L[:, j] *= d[:, k] / den
    return L, dL


def _interpolate(t_nodes, r, v, s, method, degree):
    m = samples_needed(method, degree)
    first = _windows(t_nodes, s, m)
    idx = first[:, None] + np.arange(m)[None, :]  # (Q, m)
    centre = t_nodes[first]  # offsets relative to the window keep the products well scaled
    tw = t_nodes[idx] - centre[:, None]
    sw = s - centre
    rw, vw = r[idx], v[idx]  # (Q, m, 3)
    L, dL = _lagrange_basis(tw, sw)
    if method != "HERMITE":  # Lagrange (and linear: Lagrange of degree 1)
        return np.einsum("qm,qmk->qk", L, rw), np.einsum("qm,qmk->qk", L, vw)
    # Hermite on positions and velocities: H = sum_j A_j y_j + B_j y'_j
    c = np.zeros_like(tw)  # c_j = L_j'(t_j) = sum_{k != j} 1 / (t_j - t_k)
    for j in range(m):
        for k in range(m):
            if k != j:
                c[:, j] += 1.0 / (tw[:, j] - tw[:, k])
    dt = sw[:, None] - tw
    L2 = L * L
    A = (1.0 - 2.0 * c * dt) * L2
    B = dt * L2
    dA = -2.0 * c * L2 + (1.0 - 2.0 * c * dt) * 2.0 * L * dL
    dB = L2 + dt * 2.0 * L * dL
    pos = np.einsum("qm,qmk->qk", A, rw) + np.einsum("qm,qmk->qk", B, vw)
    vel = np.einsum("qm,qmk->qk", dA, rw) + np.einsum("qm,qmk->qk", dB, vw)
    return pos, vel


def propagate(orbit: Orbit, times: Time, **options: Any) -> tuple[np.ndarray, np.ndarray, str]:
    """Propagation model "ephemeris": ``(r, v, frame)`` of each orbit's :class:`Ephemeris` at ``times``.

    Parameters
    ----------
    orbit : sim.Orbit
        Orbits carrying one :class:`Ephemeris` each (``orbit.ephemerides``, e.g. from
        :func:`sim.io.read_oem`).
    times : astropy.time.Time
        1-D times within every ephemeris' span.

    Returns
    -------
    tuple
        Positions (m) and velocities (m/s) shaped (n_orbits, n_times, 3) and their frame: the
        ephemerides' common frame, else "GCRS".

    Raises
    ------
    sim.errors.ModelError
        An orbit without an ephemeris, an option (this model takes none), or a time outside a span.
    """
    if options:
        raise ModelError(f"unknown option(s) for model ephemeris: {', '.join(options)} (it takes none)")
    ephs = getattr(orbit, "ephemerides", None) or (None,) * len(orbit)
    missing = [orbit.names[k] for k, e in enumerate(ephs) if e is None]
    if missing:
        raise ModelError(
            f"model 'ephemeris' needs an orbit read from an ephemeris (sim.io.read_oem); "
            f"{', '.join(missing[:3])} has none: use model 'j2', 'sgp4', 'kepler' or 'cowell'"
        )
    t = to_time(times)
    frames = {e.frame for e in ephs}
    frame = frames.pop() if len(frames) == 1 else "GCRS"
    r = np.empty((len(ephs), len(t), 3))
    v = np.empty_like(r)
    for k, e in enumerate(ephs):  # one interpolation per object (each has its own sample times)
        rk, vk = e.interpolate(t)
        if e.frame != frame:
            rk, vk = convert(rk, vk, t, e.frame, frame)
        r[k], v[k] = rk, vk
    return r, v, frame


register("ephemeris", propagate)
