"""Reading a user's input files: the one reader for scenarios, element sets and GeoJSON.

Every file sim reads on a user's behalf (a scenario, its ``tle_file``/``omm_file``/``geojson``,
``sim windows --tle-file``/``--omm-file``, ``sim sweep --spec``) goes through :func:`read_text`:

* regular files only: the path is ``stat``-ed before it is opened, and the opened file is
  checked again (``fstat``), so a FIFO cannot hang a run, ``/dev/zero`` or ``/dev/urandom``
  cannot be read without end, and a folder or socket is refused with a clear message;
* a size cap: at most ``limit + 1`` bytes are ever read (:data:`MAX_ELEMENT_FILE_BYTES` for
  element sets and GeoJSON, :data:`MAX_SCENARIO_BYTES` for scenarios and sweep specs);
* UTF-8 text; a byte-order mark (U+FEFF) at the start is accepted and dropped (editors on
  Windows write one);
* problems raise :class:`InputError` (a :class:`~sim.errors.SimError`) whose message says
  what is wrong without echoing the file.

:func:`resolve_inside` keeps the paths a scenario names inside the scenario's folder (unless
the user passes an explicit option), and :func:`snippet`/:func:`clip_quoted` cap what an
error message may quote of a file (:data:`MAX_ECHO_CHARS`).

This module sits at the bottom of the layers: it imports only :mod:`sim.errors` and the
standard library.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .errors import SimError

__all__ = [
    "InputError",
    "MAX_ECHO_CHARS",
    "MAX_ELEMENT_FILE_BYTES",
    "MAX_SCENARIO_BYTES",
    "clip_quoted",
    "read_bytes",
    "read_text",
    "resolve_inside",
    "snippet",
]

#: Largest element-set (TLE, OMM JSON) or GeoJSON file read, bytes (10 MiB: a full CelesTrak
#: catalogue of ~30,000 TLEs is ~5 MiB; Natural Earth's 1:10m countries are ~5 MiB of GeoJSON).
MAX_ELEMENT_FILE_BYTES = 10 * 1024 * 1024
#: Largest scenario or sweep-spec TOML file read, bytes (1 MiB; the shipped ones are < 10 kB).
MAX_SCENARIO_BYTES = 1024 * 1024
#: Most characters of a file's content an error message quotes.
MAX_ECHO_CHARS = 40

_BOM = "\ufeff"


class InputError(SimError, ValueError):
    """An input file that cannot be read: missing, not a regular file, too large, not UTF-8.

    ``reason`` is the message without the file's label (for callers that name the file
    themselves, e.g. a scenario's problem list)."""

    def __init__(self, label: str, reason: str) -> None:
        self.label = label
        self.reason = reason
        super().__init__(f"{label}: {reason}" if label else reason)


def _size_text(n: int) -> str:
    return f"{n / 1024 / 1024:g} MiB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bytes(path: str | os.PathLike, *, limit: int, label: str | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, or an :class:`InputError`.

    ``label`` names the file in the message (default: the path quoted)."""
    shown = repr(str(path)) if label is None else label
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(shown, "file not found") from None
    except NotADirectoryError:
        raise InputError(shown, "file not found (a part of the path is a file, not a folder)") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise InputError(shown, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        what = _kind(st.st_mode)
        raise InputError(shown, f"is {what}, not a regular file" if what[0] == "a" else f"is {what}")
    if st.st_size > limit:
        raise InputError(shown, f"is {_size_text(st.st_size)}; input files may hold at most {_size_text(limit)}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):  # replaced between stat and open
            raise InputError(shown, f"is {_kind(mode)}, not a regular file")
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise InputError(shown, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:  # grew after the stat
        raise InputError(shown, f"holds more than {_size_text(limit)}; input files may hold at most that")
    return data


def read_text(path: str | os.PathLike, *, limit: int, label: str | None = None) -> str:
    """The UTF-8 text of the regular file ``path`` (see :func:`read_bytes`), a leading BOM dropped."""
    data = read_bytes(path, limit=limit, label=label)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        shown = repr(str(path)) if label is None else label
        raise InputError(shown, f"is not UTF-8 text (byte {exc.start} on line {line})") from None
    return text[1:] if text.startswith(_BOM) else text


def resolve_inside(base_dir: str | os.PathLike, given: str, *, allow_outside: bool = False, label: str) -> Path:
    """``given`` (a path written in a scenario) resolved against ``base_dir``.

    It must stay inside ``base_dir`` (after following ``..`` and symbolic links) unless
    ``allow_outside``: a scenario from someone else cannot read any file of the machine.
    Raises :class:`InputError` naming ``label`` (e.g. ``tle_file 'x.tle'``)."""
    base = Path(base_dir).resolve()
    p = Path(given)
    full = p if p.is_absolute() else base / p
    if allow_outside:
        return full
    try:
        inside = full.resolve().is_relative_to(base)
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        inside = False
    if not inside:
        raise InputError(
            label,
            "is outside the scenario file's folder; scenario paths must stay inside it "
            "(move the file there, or pass --allow-outside-paths to sim run/validate)",
        )
    return full


def snippet(value: object, limit: int = MAX_ECHO_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters (``...`` marks the cut): what a message may quote."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")


def clip_quoted(message: str, limit: int = MAX_ECHO_CHARS) -> str:
    """``message`` with every quoted part longer than ``limit`` characters cut (file content an
    error quotes, e.g. a whole TLE line), so no message echoes more than a few characters of a file."""

    def cut(m: re.Match) -> str:
        s = m.group(0)
        return s if len(s) <= limit else s[: limit - 4] + "..." + s[-1]

    return _QUOTED.sub(cut, message)
