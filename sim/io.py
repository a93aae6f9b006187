"""Orbits out of sim and back in: CCSDS OEM, OPM and OMM, CZML for Cesium, and CSV.

Analysts move orbits between tools in the CCSDS Navigation Data Messages (STK, GMAT, Orekit
and FreeFlyer read them) and show them in web viewers through CZML. The messages are written
and read by the ``ccsds-ndm`` package (its KVN writer and its KVN/XML parser); CZML is built
from ``czml3``'s validated models. sim adds the checks a user needs (frames, time systems,
sorted epochs, mandatory keys, enough samples) with messages that name the line.

Public API::

    write_oem(orbit, times, path, model="j2", frame="GCRS")    # one segment per orbit
    read_oem(path) -> Orbit              # ephemeris-backed: propagate(model="ephemeris")
    write_opm(orbit, path, time=None, model="j2", frame="GCRS")  # one state
    omm_records(orbit) -> list[dict]     # CelesTrak OMM JSON records (what Orbit.from_omm reads)
    write_omm(orbit, path, format="kvn"|"json") / read_omm(path) -> Orbit
    write_czml(orbit, times, path, model="j2", colours=None)   # ground tracks and stations
    write_csv_states(orbit, times, path, model="j2", frame="GCRS")
    written_by_sim(path) -> bool         # may sim overwrite this file?

Frames (``frame=``, with the CCSDS ``REF_FRAME`` written): "GCRS" (``GCRF``), "EME2000"
(``EME2000``: the mean equator and equinox of J2000, GCRS turned by the IAU 2000 frame bias,
under 23 mas), "ITRS" (``ITRF``; velocities relative to the rotating Earth) and "TEME"
(``TEME``). Reading also takes ``ICRF`` (as GCRF, with ``CENTER_NAME = EARTH``), ``J2000``
and any ``ITRF``/``ITRF-xx``/``ITRFyyyy`` realisation (as ITRS: they differ by millimetres to
centimetres). Times are written in UTC (``TIME_SYSTEM = UTC``) to the nanosecond, positions
in km and velocities in km/s at full double precision; reading also takes TAI, TT, TDB and
GPS. An ephemeris read back is interpolated as the message says
(:mod:`sim.propagation.tabulated`), only within its span.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import json
import math
import os
import re
import tempfile
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import ModelError, SimError, check_choice, describe
from .frames import convert
from .inputs import InputError, read_bytes, read_text
from .orbits import Orbit, check_orbit
from .outputs import check_output_file, write_bytes_atomic, write_csv
from .propagation.tabulated import DEFAULT_DEGREE, INTERPOLATIONS, Ephemeris, samples_needed
from .timeutil import offline_iers, seconds_between, to_time
from .version import __version__

if TYPE_CHECKING:
    from astropy.time import Time

__all__ = [
    "CSV_COLUMNS",
    "CZML_MAX_STEP_S",
    "EphemerisFileError",
    "MAX_EPHEMERIS_FILE_BYTES",
    "OEM_FRAMES",
    "czml_document",
    "oem_text",
    "state_rows",
    "TIME_SYSTEMS",
    "omm_records",
    "read_oem",
    "read_omm",
    "write_csv_states",
    "write_czml",
    "write_oem",
    "write_omm",
    "write_opm",
    "max_step_s",
    "times_needed",
    "written_by_sim",
]

#: sim's frame names for writing -> the CCSDS ``REF_FRAME`` written.
OEM_FRAMES = {"GCRS": "GCRF", "EME2000": "EME2000", "ITRS": "ITRF", "TEME": "TEME"}
#: ``TIME_SYSTEM`` values sim reads (it writes UTC).
TIME_SYSTEMS = ("UTC", "TAI", "TT", "TDB", "GPS")
#: Largest ephemeris file sim reads (a week of 10 s states of four objects is ~25 MiB).
MAX_EPHEMERIS_FILE_BYTES = 64 * 1024 * 1024
#: Largest time step (s) of a CZML document: a Cesium viewer draws the path between the samples
#: by Lagrange interpolation of degree 5 (Earth-fixed), off by 0.04 km at 300 s, 2.5 km at 600 s,
#: 26 km at 900 s and 1,000 km at 1,800 s for a 400 km orbit (measured against the J2 model).
CZML_MAX_STEP_S = 600.0
#: Columns of :func:`write_csv_states` (also how :func:`written_by_sim` recognises its CSV).
CSV_COLUMNS = ("station", "time_utc", "frame", "x_m", "y_m", "z_m", "vx_m_s", "vy_m_s", "vz_m_s")

_MARK = "written by sim"  # in every file sim writes here: overwriting it is allowed
_GPS_MINUS_TAI_S = -19.0  # GPS time = TAI - 19 s (constant since 1980)
_OEM_MANDATORY = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", "START_TIME", "STOP_TIME")
_NAN_STATES = (
    "model {model!r} gives no state (NaN) at some times: outside what it can propagate (SGP4: too far from the "
    "element set's epoch; cowell: after re-entry)"
)
_OEM_BYTES_PER_STATE = 160  # one KVN data line and its blank line (measured ~150 bytes)


class EphemerisFileError(SimError, ValueError):
    """An ephemeris or element message sim cannot read: the message names the file and the line."""


# ---------------------------------------------------------------- frames and times


def _frame_bias() -> np.ndarray:
    """The IAU 2000 frame-bias matrix taking GCRS vectors to EME2000 (mean J2000) ones (erfa.bi00's
    angles: -0.041775", -0.0068192", -0.0146", as Orekit's EME2000)."""
    import erfa

    rb, _, _ = erfa.bp00(2451545.0, 0.0)  # rb does not depend on the date
    return np.asarray(rb)


def _check_frame(frame: str) -> str:
    return check_choice("frame", frame, tuple(OEM_FRAMES), upper=True)


def _states(orbit: Orbit, times: Time, model: str, frame: str) -> tuple[np.ndarray, np.ndarray]:
    """Positions (m) and velocities (m/s), (n, T, 3), of ``orbit`` at ``times`` in sim's ``frame``.

    The velocities are the time derivative of the positions, as an ephemeris reader interpolating
    positions with them (Hermite) needs: for the secular models ("j2", "kepler") that is
    :func:`sim.propagation.j2.position_rate`, not the two-body velocity of the mean elements
    they return (which differs by the secular drift, ~8 m/s for the ISS, ~300 m between 2-minute
    samples when a reader takes it for the derivative).
    """
    from .propagation import propagate_native
    from .propagation.j2 import J2, position_rate

    orbit.check_model(model)  # an orbit read from an OEM: its states ("ephemeris"), not its first-state elements
    r, v, native = propagate_native(orbit, times, model)
    if model in ("j2", "kepler"):
        v = position_rate(orbit.a, orbit.ecc, orbit.inc, r, v, j2=J2 if model == "j2" else 0.0)
    to = "GCRS" if frame == "EME2000" else frame
    r, v = convert(r, v, times, native, to)
    if frame == "EME2000":
        b = _frame_bias()
        return r @ b.T, v @ b.T
    return r, v


def _iso(t: Time, digits: int = 9) -> list[str]:
    """UTC ISO 8601 strings of ``t`` with ``digits`` decimals of the second (leap seconds as :60)."""
    with offline_iers():
        u = t.utc
        u.precision = digits
        return [str(s) for s in np.atleast_1d(u.isot)]


def _object_id(orbit: Orbit, k: int) -> str:
    """The international designator (``1998-067A``) of element-set orbit ``k``, else its name."""
    sat = orbit.satrecs[k] if orbit.satrecs is not None else None
    code = getattr(sat, "intldesg", "") if sat is not None else ""
    if len(code) >= 5 and code[:5].isdigit():
        yy = int(code[:2])
        return f"{1900 + yy if yy >= 57 else 2000 + yy}-{code[2:]}"
    return str(orbit.names[k])


def _header():
    from ccsds_ndm.models.ndmxml2 import NdmHeader

    now = _dt.datetime.now(_dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")
    return NdmHeader(comment=[f"{_MARK} {__version__}"], creation_date=now, originator="sim")


def _kvn(message: Any) -> str:
    from ccsds_ndm.ndm_kvn_io import NdmKvnIo

    return NdmKvnIo().to_string(message) + "\n"


def _write_text(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _times(times: Any, orbit: Orbit) -> Time:
    t = to_time(times)
    if len(t) < 2:
        raise ModelError(f"times must hold at least 2 times for an ephemeris, got {len(t)}")
    if np.any(np.diff(seconds_between(t[0], t)) <= 0):
        raise ModelError("times must increase strictly (an ephemeris is a time-ordered table)")
    return t


# ---------------------------------------------------------------- OEM


def max_step_s(format: str = "oem") -> float:
    """The largest time step (s) of a file of ``format``: :data:`CZML_MAX_STEP_S` for "czml"
    (the viewer interpolates), a day for "oem" and "csv".

    Parameters
    ----------
    format : str
        "oem", "czml" or "csv".

    Returns
    -------
    float
        Seconds.
    """
    fmt = check_choice("format", format, ("oem", "czml", "csv"))
    return CZML_MAX_STEP_S if fmt == "czml" else 86400.0


def times_needed(format: str = "oem") -> int:
    """The fewest sample times a file of ``format`` takes as sim writes it by default.

    Parameters
    ----------
    format : str
        "oem" (Lagrange of degree 7: 8 times), "czml" or "csv" (2 times).

    Returns
    -------
    int
        The number of times.
    """
    fmt = check_choice("format", format, ("oem", "czml", "csv"))
    return samples_needed("LAGRANGE", DEFAULT_DEGREE["LAGRANGE"]) if fmt == "oem" else 2


def write_oem(
    orbit: Orbit,
    times: Any,
    path: str | os.PathLike[str],
    model: str = "j2",
    frame: str = "GCRS",
    *,
    interpolation: str = "LAGRANGE",
    degree: int | None = None,
) -> Path:
    """Write a CCSDS Orbit Ephemeris Message (KVN, version 2.0): one segment per orbit.

    Parameters
    ----------
    orbit : sim.Orbit
        The orbits; segment ``k`` holds orbit ``k`` (``OBJECT_NAME`` its name, ``OBJECT_ID`` its
        international designator when it comes from an element set, else its name).
    times : Any
        The sample times, strictly increasing (anything :func:`sim.timeutil.to_time` accepts;
        e.g. :func:`sim.time_range`). Written in UTC to the nanosecond.
    path : str or os.PathLike
        The file to write (checked before any computation, written atomically).
    model : str
        Propagation model (:meth:`sim.Orbit.propagate`), default "j2".
    frame : str
        "GCRS" (default), "EME2000", "ITRS" or "TEME" (see the module doc); stated as ``REF_FRAME``.
    interpolation : str
        The ``INTERPOLATION`` stated for readers: "LAGRANGE" (default), "HERMITE" or "LINEAR".
    degree : int, optional
        The ``INTERPOLATION_DEGREE`` stated (default: 7 for LAGRANGE and HERMITE, 1 for LINEAR,
        which takes no other).

    Returns
    -------
    pathlib.Path
        The file written.

    Notes
    -----
    Positions are in km and velocities in km/s, as CCSDS requires, at full double precision,
    so a reader gets sim's states back to well under a millimetre. The velocities are the time
    derivative of the positions (for "j2"/"kepler": :func:`sim.propagation.j2.position_rate`).
    """
    out = check_output_file(path, option="path")
    text = oem_text(orbit, times, model, frame, interpolation=interpolation, degree=degree)
    write_bytes_atomic(out, text.encode("utf-8"))
    return out


def oem_text(
    orbit: Orbit,
    times: Any,
    model: str = "j2",
    frame: str = "GCRS",
    *,
    interpolation: str = "LAGRANGE",
    degree: int | None = None,
) -> str:
    """The OEM :func:`write_oem` writes, as text (for callers that place the file themselves).

    Parameters
    ----------
    orbit : sim.Orbit
        The orbits, one segment each.
    times : Any
        The sample times, strictly increasing.
    model : str
        Propagation model, default "j2".
    frame : str
        "GCRS" (default), "EME2000", "ITRS" or "TEME".
    interpolation : str
        The ``INTERPOLATION`` stated (default "LAGRANGE").
    degree : int, optional
        The ``INTERPOLATION_DEGREE`` stated (default: 7, 1 for LINEAR).

    Returns
    -------
    str
        The message (KVN).
    """
    from ccsds_ndm.models.ndmxml2 import (
        Oem,
        OemBody,
        OemData,
        OemMetadata,
        OemSegment,
        PositionType,
        StateVectorAccType,
        VelocityType,
    )

    check_orbit(orbit)
    frame = _check_frame(frame)
    method = check_choice("interpolation", interpolation, INTERPOLATIONS, upper=True)
    if degree is None:
        degree = DEFAULT_DEGREE[method]
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)) or degree < 1:
        raise ModelError(f"degree must be an integer >= 1, got {describe(degree)}")
    if method == "LINEAR" and degree != 1:  # read_oem (and Orekit) refuse any other
        raise ModelError(f"degree must be 1 for LINEAR interpolation, got {degree}")
    t = _times(times, orbit)
    size = len(t) * len(orbit) * _OEM_BYTES_PER_STATE
    if size > MAX_EPHEMERIS_FILE_BYTES:  # sim must be able to read back what it writes
        raise ModelError(
            f"times: {len(t):,} states x {len(orbit)} stations make an OEM of about {size / 2**20:,.0f} MiB, more "
            f"than sim reads back ({MAX_EPHEMERIS_FILE_BYTES / 2**20:.0f} MiB, sim.io.MAX_EPHEMERIS_FILE_BYTES); "
            "use a larger step or a shorter span"
        )
    if len(t) < samples_needed(method, int(degree)):
        raise ModelError(
            f"times: {method} interpolation of degree {degree} needs at least "
            f"{samples_needed(method, int(degree))} times, got {len(t)}"
        )
    r, v = _states(orbit, t, model, frame)
    if not (np.all(np.isfinite(r)) and np.all(np.isfinite(v))):
        raise ModelError(_NAN_STATES.format(model=model))
    stamps = _iso(t)
    segments = []
    for k, name in enumerate(orbit.names):
        rk, vk = r[k] / 1e3, v[k] / 1e3
        rows = [
            StateVectorAccType(
                epoch=stamps[j],
                x=PositionType(value=float(rk[j, 0])),
                y=PositionType(value=float(rk[j, 1])),
                z=PositionType(value=float(rk[j, 2])),
                x_dot=VelocityType(value=float(vk[j, 0])),
                y_dot=VelocityType(value=float(vk[j, 1])),
                z_dot=VelocityType(value=float(vk[j, 2])),
            )
            for j in range(len(t))
        ]
        meta = OemMetadata(
            comment=[f"model {model}"],
            object_name=str(name),
            object_id=_object_id(orbit, k),
            center_name="EARTH",
            ref_frame=OEM_FRAMES[frame],
            time_system="UTC",
            start_time=stamps[0],
            stop_time=stamps[-1],
            interpolation=method,
            interpolation_degree=int(degree),
        )
        segments.append(OemSegment(metadata=meta, data=OemData(state_vector=rows)))
    return _kvn(Oem(header=_header(), body=OemBody(segment=segments)))


def _layout(text: str) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Where things are in a KVN message: header keys -> line, and per segment its META_START line,
    its metadata keys -> line and the lines of its data records (comments and blank lines skipped).
    Locates lines for messages; the values come from ccsds-ndm's parser."""
    header: dict[str, int] = {}
    segs: list[dict[str, Any]] = []
    state = "header"
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("COMMENT"):
            continue
        if line == "META_START":
            segs.append({"meta": no, "keys": {}, "data": []})
            state = "meta"
        elif line == "META_STOP":
            state = "data"
        elif line == "COVARIANCE_START":
            state = "covariance"
        elif line == "COVARIANCE_STOP":
            state = "after"
        elif state == "header" and "=" in line:
            header.setdefault(line.split("=", 1)[0].strip(), no)
        elif state == "meta" and "=" in line:
            segs[-1]["keys"].setdefault(line.split("=", 1)[0].strip(), no)
        elif state == "data":
            segs[-1]["data"].append(no)
    return header, segs


class _CachedTyping:
    """``typing`` for ccsds-ndm's KVN builder with ``get_type_hints`` cached per class (see :func:`_parse_ndm`)."""

    get_type_hints = staticmethod(functools.lru_cache(maxsize=None)(typing.get_type_hints))

    def __getattr__(self, name: str) -> Any:
        return getattr(typing, name)


def _parse_ndm(text: str, label: str, kind: str) -> Any:
    """The ccsds-ndm object tree of ``text`` (a ``kind`` message: "OEM", "OPM", "OMM"), or an error
    naming the line where the parser stopped when it can be found."""
    from ccsds_ndm import kvn_builder
    from ccsds_ndm.ndm_io import NdmIo

    # ccsds-ndm's KVN builder resolves a class's type hints for every state it builds (~0.4 ms
    # each: 80 % of reading a 20,000-state OEM); a class's hints never change, so they are cached
    if not isinstance(kvn_builder.typing, _CachedTyping):
        kvn_builder.typing = _CachedTyping()
    head = text.lstrip()[:200]
    if head.startswith("CCSDS_") and not head.startswith(f"CCSDS_{kind}_VERS"):
        got = head.split("=", 1)[0].strip()
        raise EphemerisFileError(f"{label}: line 1: {got} is not an {kind} (expected CCSDS_{kind}_VERS = 2.0 or 3.0)")
    try:
        msg = NdmIo().from_string(text)
    except Exception as exc:  # noqa: BLE001 (the parser raises ValueError, KeyError, AttributeError, ...)
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        where = ""
        token = re.search(r"'([^']+)'", detail)
        if token:
            for no, raw in enumerate(text.splitlines(), 1):
                if token.group(1) in raw.split():
                    where = f"line {no}: "
                    break
        if "could not be identified" in detail:
            detail = f"not a CCSDS {kind} in KVN or XML (the first line must be CCSDS_{kind}_VERS = 2.0)"
        raise EphemerisFileError(f"{label}: {where}{detail[:200]}") from None
    if type(msg).__name__.lower() != kind.lower():
        raise EphemerisFileError(f"{label}: holds a {type(msg).__name__.upper()} message, not an {kind}")
    return msg


def _epochs(strings: Sequence[str], system: str, what: str) -> Time:
    """Times of CCSDS epoch strings (``YYYY-MM-DDThh:mm:ss[.f]`` or ``YYYY-DDDThh:mm:ss``) in ``system``."""
    from astropy.time import Time, TimeDelta

    iso = []
    for s in strings:
        s = s.strip().rstrip("Z")
        m = re.fullmatch(r"(\d{4})-(\d{3})T(.*)", s)  # day-of-year form
        iso.append(f"{m.group(1)}:{m.group(2)}:{m.group(3)}" if m else s)
    fmt = "yday" if re.fullmatch(r"\d{4}:\d{3}:.*", iso[0]) else "isot"
    scale = {"GPS": "tai"}.get(system, system.lower())
    try:
        with offline_iers():
            t = Time(iso, format=fmt, scale=scale)
            if system == "GPS":
                t = t - TimeDelta(_GPS_MINUS_TAI_S, format="sec")
    except ValueError as exc:
        raise EphemerisFileError(f"{what}: not a CCSDS epoch (YYYY-MM-DDThh:mm:ss.fff): {exc}") from None
    return to_time(t, name=what)


def _frame_in(ref_frame: str) -> str | None:
    """sim's frame for a CCSDS ``REF_FRAME`` (None: not one sim reads)."""
    f = ref_frame.upper().strip()
    if f in ("GCRF", "ICRF"):
        return "GCRS"
    if f in ("EME2000", "J2000"):
        return "EME2000"
    if f == "TEME":
        return "TEME"
    if re.fullmatch(r"ITRF(-?\d{2}|\d{4})?", f):
        return "ITRS"
    return None


def read_oem(path: str | os.PathLike[str]) -> Orbit:
    """Read a CCSDS OEM (KVN or XML) into an ephemeris-backed :class:`sim.Orbit`, one orbit per segment.

    Parameters
    ----------
    path : str or os.PathLike
        The message (a regular file of at most :data:`MAX_EPHEMERIS_FILE_BYTES`).

    Returns
    -------
    sim.Orbit
        One orbit per segment, named by ``OBJECT_NAME``, carrying the segment's states as an
        :class:`~sim.propagation.tabulated.Ephemeris` (``orbit.ephemerides``): propagate it with
        ``model="ephemeris"`` (coverage, passes, ground tracks, geometry all take ``model=``),
        which interpolates with the segment's ``INTERPOLATION`` and ``INTERPOLATION_DEGREE``
        (Lagrange of degree 7 when the message states none) and refuses times outside the
        segment's ``USEABLE_START_TIME``..``USEABLE_STOP_TIME`` (default: its states' span).
        Its mean elements (``altitude_km``, ``inclination_deg``, ...) are those of the first
        state (:meth:`sim.Orbit.from_state`), for the quantities that need elements.

    Raises
    ------
    EphemerisFileError
        A message sim cannot use, naming the line: not an OEM, a missing mandatory key, a centre
        other than EARTH, an unknown ``REF_FRAME`` or ``TIME_SYSTEM``, an unknown interpolation,
        epochs not increasing or outside START_TIME..STOP_TIME, a USEABLE_START_TIME or
        USEABLE_STOP_TIME outside the states, fewer states than the interpolation needs.
    """
    label = f"OEM {os.fspath(path)!r}" if isinstance(path, (str, os.PathLike)) else f"OEM {describe(path)}"
    text = read_text(path, limit=MAX_EPHEMERIS_FILE_BYTES, label=label)
    msg = _parse_ndm(text, label, "OEM")
    _, lay = _layout(text)
    segs = list(msg.body.segment)
    if not segs:
        raise EphemerisFileError(f"{label}: holds no segment (META_START ... META_STOP and states)")
    orbits = []
    for k, seg in enumerate(segs):
        where = lay[k] if k < len(lay) else {"meta": 0, "keys": {}, "data": []}
        orbits.append(_segment_orbit(seg, k, where, label))
    return orbits[0] if len(orbits) == 1 else Orbit.concat(orbits)


def _segment_orbit(seg: Any, k: int, where: dict[str, Any], label: str) -> Orbit:
    meta = seg.metadata

    def line_of(key: str | None = None) -> str:
        no = where["keys"].get(key, where["meta"]) if key else where["meta"]
        return f"line {no}: " if no else f"segment {k + 1}: "

    def fail(text: str, key: str | None = None) -> EphemerisFileError:
        return EphemerisFileError(f"{label}: {line_of(key)}{text}")

    for key in _OEM_MANDATORY:
        if getattr(meta, key.lower(), None) in (None, ""):
            raise fail(f"segment {k + 1} metadata lacks {key} (mandatory: {', '.join(_OEM_MANDATORY)})")
    if meta.center_name.strip().upper() not in ("EARTH",):
        raise fail(f"CENTER_NAME must be EARTH (sim reads geocentric states), got {meta.center_name!r}", "CENTER_NAME")
    frame = _frame_in(meta.ref_frame)
    if frame is None:
        raise fail(
            f"REF_FRAME {meta.ref_frame!r} is not one sim reads: GCRF, ICRF, EME2000, J2000, TEME, ITRF[-yy|yyyy]",
            "REF_FRAME",
        )
    system = meta.time_system.strip().upper()
    if system not in TIME_SYSTEMS:
        raise fail(f"TIME_SYSTEM {meta.time_system!r} is not one sim reads: {', '.join(TIME_SYSTEMS)}", "TIME_SYSTEM")
    method = (meta.interpolation or "LAGRANGE").strip().upper()
    if method not in INTERPOLATIONS:
        raise fail(f"INTERPOLATION {meta.interpolation!r} is not one of {', '.join(INTERPOLATIONS)}", "INTERPOLATION")
    degree = meta.interpolation_degree if meta.interpolation_degree is not None else DEFAULT_DEGREE[method]
    if int(degree) < 1 or (method == "LINEAR" and int(degree) != 1):
        raise fail(f"INTERPOLATION_DEGREE must be >= 1 (1 for LINEAR), got {degree}", "INTERPOLATION_DEGREE")
    rows = list(seg.data.state_vector)
    data_lines = where["data"]

    def data_line(j: int) -> str:
        return f"line {data_lines[j]}: " if j < len(data_lines) else f"segment {k + 1}, state {j + 1}: "

    need = samples_needed(method, int(degree))
    if len(rows) < need:
        raise fail(
            f"segment {k + 1} ({meta.object_name}) has {len(rows)} states; {method} interpolation of degree "
            f"{degree} needs {need}",
            "INTERPOLATION_DEGREE" if meta.interpolation_degree is not None else None,
        )
    epochs = _epochs([row.epoch for row in rows], system, f"{label}: segment {k + 1} epochs")
    start, stop = _epochs([meta.start_time, meta.stop_time], system, f"{label}: START_TIME/STOP_TIME")
    off = seconds_between(epochs[0], epochs)
    bad = np.nonzero(np.diff(off) <= 0)[0]
    if bad.size:
        j = int(bad[0]) + 1
        raise EphemerisFileError(
            f"{label}: {data_line(j)}epoch {rows[j].epoch} is not after the previous state's "
            f"({rows[j - 1].epoch}): epochs must increase"
        )
    lo = seconds_between(start, epochs)
    hi = seconds_between(stop, epochs)
    outside = np.nonzero((lo < -1e-6) | (hi > 1e-6))[0]
    if outside.size:
        j = int(outside[0])
        raise EphemerisFileError(
            f"{label}: {data_line(j)}epoch {rows[j].epoch} is outside START_TIME..STOP_TIME "
            f"({meta.start_time} .. {meta.stop_time})"
        )
    useable = {}
    for key in ("USEABLE_START_TIME", "USEABLE_STOP_TIME"):  # the span readers may interpolate over
        value = getattr(meta, key.lower(), None)
        if value not in (None, ""):
            t = _epochs([value], system, f"{label}: {key}")
            s = float(seconds_between(epochs[0], t[0]))
            if not -1e-6 <= s <= off[-1] + 1e-6:
                raise fail(f"{key} {value} is outside the states ({rows[0].epoch} .. {rows[-1].epoch})", key)
            useable[key] = (t[0], s)
    if len(useable) == 2 and useable["USEABLE_START_TIME"][1] >= useable["USEABLE_STOP_TIME"][1]:
        raise fail(
            f"USEABLE_START_TIME must be before USEABLE_STOP_TIME ({meta.useable_stop_time})", "USEABLE_START_TIME"
        )
    r = np.array([[row.x.value, row.y.value, row.z.value] for row in rows], dtype=float) * 1e3
    v = np.array([[row.x_dot.value, row.y_dot.value, row.z_dot.value] for row in rows], dtype=float) * 1e3
    if not (np.all(np.isfinite(r)) and np.all(np.isfinite(v))):
        j = int(np.argmax(~(np.isfinite(r).all(1) & np.isfinite(v).all(1))))
        raise EphemerisFileError(f"{label}: {data_line(j)}state values must be finite numbers")
    if frame == "EME2000":  # a constant rotation: interpolating before or after it is the same
        b = _frame_bias()
        r, v, frame = r @ b, v @ b, "GCRS"
    name = str(meta.object_name)
    try:
        eph = Ephemeris(
            epochs,
            r,
            v,
            frame=frame,
            method=method,
            degree=int(degree),
            name=name,
            useable_start=useable.get("USEABLE_START_TIME", (None,))[0],
            useable_stop=useable.get("USEABLE_STOP_TIME", (None,))[0],
        )
        orb = Orbit.from_state(r[0], v[0], epochs[0], frame=frame, names=[name])
    except SimError as exc:
        raise EphemerisFileError(f"{label}: {data_line(0)}{exc}") from None
    return dataclasses.replace(orb, ephemerides=(eph,))


# ---------------------------------------------------------------- OPM


def write_opm(
    orbit: Orbit,
    path: str | os.PathLike[str],
    time: Any = None,
    model: str = "j2",
    frame: str = "GCRS",
) -> Path:
    """Write a CCSDS Orbit Parameter Message (KVN 2.0): one orbit's state at one time.

    Parameters
    ----------
    orbit : sim.Orbit
        One orbit (``orbit[k]`` picks one of a batch).
    path : str or os.PathLike
        The file to write (checked first, written atomically).
    time : Any
        The state's time (default: the orbit's epoch); anything :func:`sim.timeutil.to_time` accepts.
    model : str
        Propagation model to ``time`` (default "j2").
    frame : str
        "GCRS" (default), "EME2000", "ITRS" or "TEME".

    Returns
    -------
    pathlib.Path
        The file written.
    """
    from ccsds_ndm.models.ndmxml2 import (
        Opm,
        OpmBody,
        OpmData,
        OpmMetadata,
        OpmSegment,
        PositionType,
        StateVectorType,
        VelocityType,
    )

    out = check_output_file(path, option="path")
    check_orbit(orbit)
    if len(orbit) != 1:
        raise ModelError(f"orbit must be one orbit for an OPM (use orbit[k]), got {len(orbit)}")
    frame = _check_frame(frame)
    t = orbit.epoch[:1] if time is None else to_time(time, name="time")
    if len(t) != 1:
        raise ModelError(f"time must be one time, got {len(t)}")
    r, v = _states(orbit, t, model, frame)
    rk, vk = r[0, 0] / 1e3, v[0, 0] / 1e3
    sv = StateVectorType(
        epoch=_iso(t)[0],
        x=PositionType(value=float(rk[0])),
        y=PositionType(value=float(rk[1])),
        z=PositionType(value=float(rk[2])),
        x_dot=VelocityType(value=float(vk[0])),
        y_dot=VelocityType(value=float(vk[1])),
        z_dot=VelocityType(value=float(vk[2])),
    )
    meta = OpmMetadata(
        object_name=str(orbit.names[0]),
        object_id=_object_id(orbit, 0),
        center_name="EARTH",
        ref_frame=OEM_FRAMES[frame],
        time_system="UTC",
    )
    data = OpmData(comment=[f"model {model}"], state_vector=sv)
    _write_text(out, _kvn(Opm(header=_header(), body=OpmBody(segment=OpmSegment(metadata=meta, data=data)))))
    return out


# ---------------------------------------------------------------- OMM


def omm_records(orbit: Orbit) -> list[dict[str, Any]]:
    """The mean elements of each orbit as a CelesTrak OMM JSON record (what :meth:`sim.Orbit.from_omm` reads).

    Element-set orbits (TLE/OMM) give their own SGP4 record; other orbits the SGP4 record built
    from their mean elements (B* from the orbit, else 0; :meth:`sim.Orbit.to_sgp4_satrecs`).
    An orbit read from an OEM has none and is refused.
    Angles in degrees, ``MEAN_MOTION`` in rev/day (SGP4's Kozai mean motion), ``EPOCH`` UTC to
    the microsecond (the OMM convention), every number at full double precision.

    Parameters
    ----------
    orbit : sim.Orbit
        The orbits.

    Returns
    -------
    list of dict
        One record per orbit (``OBJECT_NAME``, ``OBJECT_ID``, ``EPOCH``, ``MEAN_MOTION``,
        ``ECCENTRICITY``, ``INCLINATION``, ``RA_OF_ASC_NODE``, ``ARG_OF_PERICENTER``,
        ``MEAN_ANOMALY``, ``EPHEMERIS_TYPE``, ``CLASSIFICATION_TYPE``, ``NORAD_CAT_ID``,
        ``ELEMENT_SET_NO``, ``REV_AT_EPOCH``, ``BSTAR``, ``MEAN_MOTION_DOT``, ``MEAN_MOTION_DDOT``).
    """
    from astropy.time import Time

    check_orbit(orbit)
    if orbit.ephemerides is not None and any(e is not None for e in orbit.ephemerides):
        raise ModelError(
            "orbit: an orbit read from an ephemeris (read_oem) has no mean elements (those of its first state "
            "are tens of km off its states); write its states with write_oem(..., model='ephemeris')"
        )
    out = []
    for k, sat in enumerate(orbit.to_sgp4_satrecs()):
        with offline_iers():
            epoch = Time(sat.jdsatepoch, sat.jdsatepochF, format="jd", scale="utc")
        out.append(
            {
                "OBJECT_NAME": str(orbit.names[k]),
                "OBJECT_ID": _object_id(orbit, k),
                "EPOCH": _iso(epoch, 6)[0],
                "MEAN_MOTION": float(sat.no_kozai * 720.0 / math.pi),
                "ECCENTRICITY": float(sat.ecco),
                "INCLINATION": float(math.degrees(sat.inclo)),
                "RA_OF_ASC_NODE": float(math.degrees(sat.nodeo)),
                "ARG_OF_PERICENTER": float(math.degrees(sat.argpo)),
                "MEAN_ANOMALY": float(math.degrees(sat.mo)),
                "EPHEMERIS_TYPE": 0,
                "CLASSIFICATION_TYPE": str(getattr(sat, "classification", "U") or "U"),
                "NORAD_CAT_ID": int(sat.satnum),
                "ELEMENT_SET_NO": int(getattr(sat, "elnum", 999) or 999),
                "REV_AT_EPOCH": int(getattr(sat, "revnum", 0) or 0),
                "BSTAR": float(sat.bstar),
                "MEAN_MOTION_DOT": float(sat.ndot * 1036800.0 / math.pi),
                "MEAN_MOTION_DDOT": float(sat.nddot * 2985984000.0 / 2.0 / math.pi),
            }
        )
    return out


def write_omm(orbit: Orbit, path: str | os.PathLike[str], *, format: str = "kvn") -> Path:
    """Write the mean elements of ``orbit`` as an OMM.

    Parameters
    ----------
    orbit : sim.Orbit
        The orbits (one for ``format="kvn"``: a KVN OMM holds one object).
    path : str or os.PathLike
        The file to write (checked first, written atomically).
    format : str
        "kvn": a CCSDS OMM 2.0 (``REF_FRAME = TEME``, ``MEAN_ELEMENT_THEORY = SGP4``) through
        ccsds-ndm; "json": a list of CelesTrak OMM JSON records (:func:`omm_records`).

    Returns
    -------
    pathlib.Path
        The file written. Read it back with :func:`read_omm`.
    """
    out = check_output_file(path, option="path")
    fmt = check_choice("format", format, ("kvn", "json"))
    recs = omm_records(orbit)
    if fmt == "json":
        write_bytes_atomic(out, (json.dumps(recs, indent=1) + "\n").encode("utf-8"))
        return out
    if len(recs) != 1:
        raise ModelError(f"orbit must be one orbit for a KVN OMM (use orbit[k] or format='json'), got {len(recs)}")
    from ccsds_ndm.models.ndmxml2 import (
        AngleType,
        BStarType,
        DdRevType,
        DRevType,
        InclinationType,
        MeanElementsType,
        Omm,
        OmmBody,
        OmmData,
        OmmMetadata,
        OmmSegment,
        RevType,
        TleParametersType,
    )

    rec = recs[0]
    meta = OmmMetadata(
        object_name=rec["OBJECT_NAME"],
        object_id=rec["OBJECT_ID"],
        center_name="EARTH",
        ref_frame="TEME",
        time_system="UTC",
        mean_element_theory="SGP4",
    )
    mean = MeanElementsType(
        epoch=rec["EPOCH"],
        mean_motion=RevType(value=rec["MEAN_MOTION"]),
        eccentricity=rec["ECCENTRICITY"],
        inclination=InclinationType(value=rec["INCLINATION"]),
        ra_of_asc_node=AngleType(value=rec["RA_OF_ASC_NODE"]),
        arg_of_pericenter=AngleType(value=rec["ARG_OF_PERICENTER"]),
        mean_anomaly=AngleType(value=rec["MEAN_ANOMALY"]),
    )
    tle = TleParametersType(
        ephemeris_type=rec["EPHEMERIS_TYPE"],
        classification_type=rec["CLASSIFICATION_TYPE"],
        norad_cat_id=rec["NORAD_CAT_ID"],
        element_set_no=rec["ELEMENT_SET_NO"],
        rev_at_epoch=rec["REV_AT_EPOCH"],
        bstar=BStarType(value=rec["BSTAR"]),
        mean_motion_dot=DRevType(value=rec["MEAN_MOTION_DOT"]),
        mean_motion_ddot=DdRevType(value=rec["MEAN_MOTION_DDOT"]),
    )
    data = OmmData(mean_elements=mean, tle_parameters=tle)
    _write_text(out, _kvn(Omm(header=_header(), body=OmmBody(segment=OmmSegment(metadata=meta, data=data)))))
    return out


def read_omm(path: str | os.PathLike[str]) -> Orbit:
    """Read an OMM: a CCSDS OMM (KVN or XML, through ccsds-ndm) or CelesTrak OMM JSON.

    The fields go through :meth:`sim.Orbit.from_omm` (the one OMM reader of sim), so the orbit
    is an SGP4 element set. ``REF_FRAME`` must be TEME and ``MEAN_ELEMENT_THEORY`` SGP4.

    Parameters
    ----------
    path : str or os.PathLike
        The message file.

    Returns
    -------
    sim.Orbit
        One orbit per record.
    """
    label = f"OMM {os.fspath(path)!r}" if isinstance(path, (str, os.PathLike)) else f"OMM {describe(path)}"
    text = read_text(path, limit=MAX_EPHEMERIS_FILE_BYTES, label=label)
    if text.lstrip().startswith(("{", "[")):
        return Orbit.from_omm(text)
    msg = _parse_ndm(text, label, "OMM")
    header, segs = _layout(text)
    meta, data = msg.body.segment.metadata, msg.body.segment.data

    def line(key: str) -> str:
        return f"line {header[key]}: " if key in header else ""

    if (meta.ref_frame or "").upper() != "TEME" or (meta.mean_element_theory or "").upper() not in ("SGP4", "SGP/SGP4"):
        raise EphemerisFileError(
            f"{label}: {line('MEAN_ELEMENT_THEORY')}sim reads SGP4 mean elements in TEME, got REF_FRAME "
            f"{meta.ref_frame!r} and MEAN_ELEMENT_THEORY {meta.mean_element_theory!r}"
        )
    me, tle = data.mean_elements, data.tle_parameters
    if tle is None or me.mean_motion is None:
        raise EphemerisFileError(f"{label}: an SGP4 OMM needs MEAN_MOTION and the TLE parameters (NORAD_CAT_ID, BSTAR)")

    def val(x):
        return getattr(x, "value", x)

    epoch = me.epoch.strip().rstrip("Z")
    if "." not in epoch:
        epoch += ".000000"
    head, frac = epoch.split(".", 1)
    rec = {
        "OBJECT_NAME": meta.object_name,
        "OBJECT_ID": meta.object_id,
        "EPOCH": f"{head}.{(frac + '000000')[:6]}",
        "MEAN_MOTION": val(me.mean_motion),
        "ECCENTRICITY": val(me.eccentricity),
        "INCLINATION": val(me.inclination),
        "RA_OF_ASC_NODE": val(me.ra_of_asc_node),
        "ARG_OF_PERICENTER": val(me.arg_of_pericenter),
        "MEAN_ANOMALY": val(me.mean_anomaly),
        "NORAD_CAT_ID": tle.norad_cat_id,
        "BSTAR": val(tle.bstar),
    }
    for key, x in (
        ("EPHEMERIS_TYPE", tle.ephemeris_type),
        ("CLASSIFICATION_TYPE", tle.classification_type),
        ("ELEMENT_SET_NO", tle.element_set_no),
        ("REV_AT_EPOCH", tle.rev_at_epoch),
        ("MEAN_MOTION_DOT", val(tle.mean_motion_dot)),
        ("MEAN_MOTION_DDOT", val(tle.mean_motion_ddot)),
    ):
        if x is not None:
            rec[key] = x
    try:
        return Orbit.from_omm(rec)
    except SimError as exc:
        raise EphemerisFileError(f"{label}: {exc}") from None


# ---------------------------------------------------------------- CZML


def _rgba(colour: str) -> list[int]:
    from matplotlib.colors import to_rgba

    try:
        return [int(round(c * 255)) for c in to_rgba(colour)]
    except ValueError:
        raise ModelError(f"colours: {describe(colour)} is not a colour (use '#rrggbb' or a name)") from None


def write_czml(
    orbit: Orbit,
    times: Any,
    path: str | os.PathLike[str],
    model: str = "j2",
    *,
    colours: Sequence[str] | None = None,
) -> Path:
    """Write a CZML document (Cesium) with each station's orbit and ground track over ``times``.

    Packets: the document (its clock spans the times), then per orbit one station packet (id
    = its name; Earth-fixed positions, m, Lagrange-interpolated by the viewer; a path, a point
    and a label in the station's colour) and one ground-track packet (``<name>/ground-track``,
    a polyline on the ground, child of the station).

    Parameters
    ----------
    orbit : sim.Orbit
        The stations.
    times : Any
        The sample times (anything :func:`sim.timeutil.to_time` accepts, strictly increasing, at
        most :data:`CZML_MAX_STEP_S` apart).
    path : str or os.PathLike
        The ``.czml`` file to write (checked first, written atomically).
    model : str
        Propagation model (default "j2").
    colours : sequence of str, optional
        One colour per station; default the report's (:func:`sim.plots.colour_for`).

    Returns
    -------
    pathlib.Path
        The file written (validated against czml3's models before writing).
    """
    out = check_output_file(path, option="path")
    data = czml_document(orbit, times, model, colours=colours)
    write_bytes_atomic(out, data.encode("utf-8"))
    return out


def czml_document(orbit: Orbit, times: Any, model: str = "j2", *, colours: Sequence[str] | None = None) -> str:
    """The CZML text :func:`write_czml` writes (a JSON list of packets), validated by czml3.

    Parameters
    ----------
    orbit : sim.Orbit
        The stations.
    times : Any
        The sample times.
    model : str
        Propagation model (default "j2").
    colours : sequence of str, optional
        One colour per station; default the report's (:func:`sim.plots.colour_for`).

    Returns
    -------
    str
        The document as JSON text.
    """
    from czml3 import (
        Clock,
        Color,
        Document,
        Label,
        Packet,
        Path,
        Point,
        Polyline,
        PolylineMaterial,
        Position,
        PositionList,
        SolidColorMaterial,
    )
    from czml3.types import TimeInterval

    from .frames import itrs_to_geodetic
    from .plots import colour_for

    check_orbit(orbit)
    t = _times(times, orbit)
    worst = float(np.max(np.diff(seconds_between(t[0], t))))
    if worst > CZML_MAX_STEP_S + 1e-6:
        raise ModelError(
            f"times: a CZML viewer interpolates between the samples, which must be at most {CZML_MAX_STEP_S:g} s "
            f"apart (sim.io.CZML_MAX_STEP_S), got {worst:g} s"
        )
    if colours is not None and (isinstance(colours, str) or len(colours) != len(orbit)):
        raise ModelError(f"colours must hold one colour per station ({len(orbit)}), got {describe(colours)}")
    cols = [colours[k] if colours is not None else colour_for(n, k) for k, n in enumerate(orbit.names)]
    r, _ = orbit.propagate(t, model=model, frame="ITRS")
    if not np.all(np.isfinite(r)):
        raise ModelError(_NAN_STATES.format(model=model))
    lat, lon, _ = itrs_to_geodetic(r)
    with offline_iers():
        t0, t1 = t[0].utc.to_datetime(timezone=_dt.UTC), t[-1].utc.to_datetime(timezone=_dt.UTC)
        off = seconds_between(t[0], t)
    span = TimeInterval(start=t0, end=t1)
    packets = [
        Packet(
            id="document",
            name=f"sim ephemeris ({_MARK} {__version__})",
            version="1.0",
            clock=Clock(currentTime=t0, multiplier=60, interval=span),
        )
    ]
    names = [str(n) for n in orbit.names]
    if len(set(names)) != len(names):
        raise ModelError(f"station names must be unique in a CZML document (packet ids), got {names}")
    for k, name in enumerate(names):
        rgba = _rgba(cols[k])
        samples = np.column_stack([off, r[k]]).ravel().tolist()
        mat = PolylineMaterial(solidColor=SolidColorMaterial(color=Color(rgba=rgba)))
        packets.append(
            Packet(
                id=name,
                name=name,
                availability=span,
                position=Position(
                    epoch=t0,
                    cartesian=samples,
                    referenceFrame="FIXED",
                    interpolationAlgorithm="LAGRANGE",
                    interpolationDegree=5,
                ),
                path=Path(material=mat, width=2, leadTime=0, trailTime=float(orbit.period_s[k]), resolution=60),
                point=Point(color=Color(rgba=rgba), pixelSize=8),
                label=Label(text=name, fillColor=Color(rgba=rgba)),
            )
        )
        track = np.column_stack([np.degrees(lon[k]), np.degrees(lat[k]), np.zeros(len(t))]).ravel().tolist()
        packets.append(
            Packet(
                id=f"{name}/ground-track",
                name=f"{name} ground track",
                parent=name,
                availability=span,
                polyline=Polyline(
                    positions=PositionList(cartographicDegrees=track),
                    material=mat,
                    clampToGround=True,
                    width=1.5,
                ),
            )
        )
    doc = Document(packets=packets)
    return doc.model_dump_json(exclude_none=True, indent=1)


# ---------------------------------------------------------------- CSV


def write_csv_states(
    orbit: Orbit, times: Any, path: str | os.PathLike[str], model: str = "j2", frame: str = "GCRS"
) -> Path:
    """Write states as CSV: one row per station and time (:data:`CSV_COLUMNS`; m, m/s, UTC).

    Parameters
    ----------
    orbit : sim.Orbit
        The stations.
    times : Any
        The sample times.
    path : str or os.PathLike
        The file to write (checked first, written atomically).
    model : str
        Propagation model (default "j2").
    frame : str
        "GCRS" (default), "EME2000", "ITRS" or "TEME".

    Returns
    -------
    pathlib.Path
        The file written.
    """
    out = check_output_file(path, option="path")
    rows = state_rows(orbit, times, model, frame)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:  # write_csv, then one atomic move
        write_bytes_atomic(out, write_csv(Path(tmp) / "states.csv", CSV_COLUMNS, rows).read_bytes())
    return out


def state_rows(orbit: Orbit, times: Any, model: str = "j2", frame: str = "GCRS") -> list[list[Any]]:
    """The rows of :func:`write_csv_states` (columns :data:`CSV_COLUMNS`), station by station.

    Parameters
    ----------
    orbit : sim.Orbit
        The stations.
    times : Any
        The sample times, strictly increasing.
    model : str
        Propagation model (default "j2").
    frame : str
        "GCRS" (default), "EME2000", "ITRS" or "TEME".

    Returns
    -------
    list of list
        ``[station, time_utc, frame, x_m, y_m, z_m, vx_m_s, vy_m_s, vz_m_s]`` per station and time.
    """
    check_orbit(orbit)
    frame = _check_frame(frame)
    t = _times(times, orbit)
    r, v = _states(orbit, t, model, frame)
    stamps = _iso(t)
    return [
        [str(name), stamps[j], frame, *map(float, r[k, j]), *map(float, v[k, j])]
        for k, name in enumerate(orbit.names)
        for j in range(len(t))
    ]


# ---------------------------------------------------------------- may sim overwrite it?


def written_by_sim(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` is a file this module wrote (a KVN OEM/OPM/OMM whose header comment is
    sim's mark, a CZML document whose first packet is sim's, or a CSV with :data:`CSV_COLUMNS` as
    header): the only existing files ``sim ephemeris`` replaces without ``--force``. A file that
    merely contains the words of the mark elsewhere is not sim's.

    Parameters
    ----------
    path : str or os.PathLike
        An existing file.

    Returns
    -------
    bool
        False for anything else (including files that cannot be read).
    """
    try:
        head = read_bytes(path, limit=MAX_EPHEMERIS_FILE_BYTES)[:4096].decode("utf-8", "replace")
    except InputError:
        return False
    lines = [ln.strip() for ln in head.splitlines()[:8]]
    first = lines[0] if lines else ""
    if first.startswith("CCSDS_") and f"COMMENT {_MARK} " in {ln[: len(_MARK) + 9] for ln in lines}:
        return True  # an OEM/OPM/OMM: sim's mark is the header's comment
    if first == "[" and f'"sim ephemeris ({_MARK} ' in head:
        return True  # a CZML document: sim's mark is in the document packet's name
    return first == ",".join(CSV_COLUMNS)
