"""Where sim writes: output paths checked before any computation, nothing lost on the way.

Every command that writes calls this module first, before it computes anything, so a bad
``--out`` is reported in one line at once instead of after minutes of work:

* :func:`check_output_folder` -- a folder that sim replaces as a whole (``sim run --out DIR``)
  or writes its own files into (``sim demo``, ``sim decay``): it must be a folder or not exist,
  its nearest existing ancestor must be a writable folder, and it must not hold the input
  (scenario) file.
* :func:`check_output_file` -- one file sim writes (``sim sweep --out FILE.nc``): not a folder,
  its folder writable, not one of the inputs.

A folder sim replaces is recognised by its marker file ``.sim-output`` (JSON: tool, version,
and the list of files sim wrote there). An existing folder is replaced only when it is empty
or when every entry in it is listed in its marker (a folder written before the marker existed
is recognised by its ``summary.json`` of schema ``sim.summary/*`` and the files it lists); a
folder holding anything else -- the user's own files, the scenario file itself -- is refused
and nothing in it is touched.

The swap (:meth:`OutputFolder.staging`) survives a kill at any instant::

    write everything into   PARENT/.DIR.tmp-<pid>
    rename DIR          ->  PARENT/.DIR.old-<pid>      (only when DIR exists)
    rename .DIR.tmp-<pid> -> DIR
    delete .DIR.old-<pid>

A run that finds ``.DIR.tmp-*`` / ``.DIR.old-*`` left by a killed run cleans them up first,
after putting a stranded previous output back at ``DIR`` when ``DIR`` is missing, so the
previous report is always either at ``DIR`` or restored there by the next run. Only entries
recognised as sim's (holding the marker, or empty) are ever deleted.

Two runs to one folder cannot interleave: :func:`reserve_folder` takes a non-blocking
``fcntl.flock`` on ``PARENT/.DIR.lock`` for the whole run, and the second run fails at once
with "another sim run is writing DIR".

CSV files go through :func:`write_csv`, which neutralises spreadsheet formulas (a text cell
starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading single quote,
as OWASP recommends; plain numbers such as ``-5.2`` are data and are left alone).

Public API::

    OutputError                                   # a SimError naming the option
    MARKER = ".sim-output"
    check_output_folder(path, option="--out", inputs=(), replace=True) -> Path
    check_output_file(path, option="--out", inputs=()) -> Path
    reserve_folder(path, option="--out", inputs=()) -> OutputFolder   # context manager
    write_bytes_atomic(path, data) / write_csv(path, columns, rows) / csv_cell(value)
"""

from __future__ import annotations

import contextlib
import csv
import errno
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Self

from .errors import SimError

__all__ = [
    "MARKER",
    "OutputError",
    "OutputFolder",
    "check_output_file",
    "check_output_folder",
    "csv_cell",
    "reserve_folder",
    "write_bytes_atomic",
    "write_csv",
]

#: Name of the file that marks a folder as written by sim (JSON: tool, version, files).
MARKER = ".sim-output"
_TOOL = "sim"


class OutputError(SimError):
    """An output path that cannot be written, or whose writing would lose something sim did not write."""


# ---------------------------------------------------------------- checks (no side effects)


def _nearest_existing(path: Path) -> Path:
    p = path
    while not os.path.lexists(p) and p.parent != p:
        p = p.parent
    return p


def _writable_folder(path: Path, shown: str, option: str) -> None:
    """``path`` (absolute, may not exist) can be created/written: its nearest existing ancestor
    is a folder we may write into."""
    anc = _nearest_existing(path.parent if path.parent != path else path)
    if not anc.is_dir():
        raise OutputError(
            f"{option} {shown}: {anc} is a file, not a folder, so {shown} cannot be created; choose another path"
        )
    if not os.access(anc, os.W_OK | os.X_OK):
        raise OutputError(
            f"{option} {shown}: the folder {anc} is not writable (permission denied or a read-only "
            "file system); choose another folder"
        )


def _resolved(path) -> Path:
    try:
        return Path(os.path.abspath(os.fspath(path))).resolve()
    except (OSError, RuntimeError, TypeError, ValueError) as exc:
        raise OutputError(f"--out {path!r}: not a usable path ({exc})") from None


def _inputs(inputs: Iterable) -> list[Path]:
    return [_resolved(p) for p in inputs if p is not None]


def _manifest(folder: Path) -> set[str] | None:
    """Relative paths sim wrote into ``folder`` (from its marker, or a legacy summary.json), or None."""
    marker = folder / MARKER
    if marker.is_file():
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("tool") == _TOOL and isinstance(data.get("files"), list):
                return {str(f) for f in data["files"]} | {MARKER}
        except (OSError, ValueError):
            return None
        return None
    summary = folder / "summary.json"
    if summary.is_file():  # written by sim before the marker existed
        try:
            data = json.loads(summary.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not (isinstance(data, dict) and str(data.get("schema", "")).startswith("sim.summary")):
            return None
        files = data.get("files") if isinstance(data.get("files"), dict) else {}
        out = {"summary.json", str(files.get("report", "report.html"))}
        for key in ("figures", "tables"):
            if isinstance(files.get(key), list):
                out |= {str(f) for f in files[key]}
        return out
    return None


def _foreign_entries(folder: Path, manifest: set[str]) -> list[str]:
    """Entries under ``folder`` that sim did not write (folders holding only sim's files are sim's)."""
    allowed = set(manifest)
    for f in manifest:
        parts = Path(f).parts
        for i in range(1, len(parts)):
            allowed.add(str(Path(*parts[:i])))
    out = []
    for root, dirs, files in os.walk(folder):
        rel_root = Path(root).relative_to(folder)
        for name in sorted(dirs) + sorted(files):
            rel = str(rel_root / name) if str(rel_root) != "." else name
            if rel not in allowed:
                out.append(rel)
        dirs[:] = [d for d in dirs if str(rel_root / d if str(rel_root) != "." else d) in allowed]
    return sorted(out)


def _check_existing_folder(out: Path, shown: str, option: str, inputs: list[Path]) -> None:
    for inp in inputs:
        if inp == out or out in inp.parents:
            raise OutputError(
                f"{option} {shown} holds the input file {inp.name}, which replacing the folder would "
                "delete; choose another output folder"
            )
    try:
        with os.scandir(out) as it:
            empty = next(it, None) is None
    except OSError as exc:
        raise OutputError(f"{option} {shown}: cannot read the folder ({exc.strerror or exc})") from None
    if empty:
        return
    manifest = _manifest(out)
    if manifest is None:
        raise OutputError(
            f"{option} {shown} is a folder that is not empty and was not written by sim (no {MARKER} "
            "marker); sim never deletes files it did not write: choose a new or empty folder"
        )
    foreign = _foreign_entries(out, manifest)
    if foreign:
        shown_names = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputError(
            f"{option} {shown} holds files sim did not write ({shown_names}); sim never deletes them: "
            "move them out or choose another folder"
        )


def check_output_folder(
    path: str | os.PathLike[str], *, option: str = "--out", inputs: Iterable = (), replace: bool = True
) -> Path:
    """Check, before any computation, that sim may write the folder ``path``; return it resolved.

    ``replace=True``: the folder is replaced as a whole (it must not exist, be empty, or hold
    only files sim wrote). ``replace=False``: sim writes its own named files into it (it must
    be a folder or not exist). In both cases its nearest existing ancestor must be a writable
    folder and it must not be (or, when replaced, hold) one of the ``inputs`` files.
    Raises :class:`OutputError` naming ``option``. Writes nothing.
    """
    shown = os.fspath(path) if isinstance(path, (str, os.PathLike)) else repr(path)
    if not shown.strip():
        raise OutputError(f"{option} must name a folder, got an empty path")
    out = _resolved(path)
    ins = _inputs(inputs)
    if out.parent == out:
        raise OutputError(f"{option} {shown} is the root of a file system; choose a folder of its own")
    if os.path.lexists(out) and not out.is_dir():
        what = "the input file" if out in ins else "an existing file"
        raise OutputError(f"{option} {shown} is {what}, not a folder; choose a folder")
    _writable_folder(out, shown, option)
    if out.is_dir():
        if not os.access(out, os.W_OK | os.X_OK):
            raise OutputError(
                f"{option} {shown}: the folder is not writable (permission denied or a read-only "
                "file system); choose another folder"
            )
        if replace:
            _check_existing_folder(out, shown, option, ins)
    return out


def check_output_file(path: str | os.PathLike[str], *, option: str = "--out", inputs: Iterable = ()) -> Path:
    """Check, before any computation, that sim may write the file ``path``; return it resolved.

    It must not be a folder or one of the ``inputs``, and its folder (or nearest existing
    ancestor) must be a writable folder. Raises :class:`OutputError` naming ``option``."""
    shown = os.fspath(path) if isinstance(path, (str, os.PathLike)) else repr(path)
    if not shown.strip():
        raise OutputError(f"{option} must name a file, got an empty path")
    out = _resolved(path)
    if out.is_dir():
        raise OutputError(f"{option} {shown} is a folder; give a file name")
    if out in _inputs(inputs):
        raise OutputError(f"{option} {shown} is an input file; writing it would overwrite it: choose another name")
    if os.path.lexists(out) and not out.is_file():
        raise OutputError(f"{option} {shown} exists and is not a regular file")
    _writable_folder(out, shown, option)
    return out


# ---------------------------------------------------------------- the reserved output folder

#: Called between the two renames of the swap (tests replace it to simulate a kill there).
_between_renames = None


class OutputFolder:
    """An output folder reserved for this run: locked, cleaned of a killed run's leftovers, checked.

    Use :func:`reserve_folder` as a context manager (the lock is held until it exits); write
    into ``with folder.staging() as tmp: ...`` and list each file written with :meth:`record`
    (they go into the marker). Leaving the ``staging`` block without an exception swaps
    ``tmp`` into place; with one, ``tmp`` is removed and the previous output is untouched."""

    def __init__(self, path: str | os.PathLike[str], *, option: str = "--out", inputs: Iterable = ()) -> None:
        self.shown = os.fspath(path)
        self.option = option
        self.inputs = list(inputs)
        self.path = check_output_folder(path, option=option, inputs=self.inputs)
        self.recovered: list[str] = []  # what was cleaned or restored (for a note to the user)
        self._fd: int | None = None
        self._lock = self.path.parent / f".{self.path.name}.lock"
        self._files: list[str] = []

    # -- lock
    def _acquire(self) -> None:
        import fcntl

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"{self.option} {self.shown}: cannot create {self.path.parent} ({exc.strerror or exc})"
            ) from None
        for _ in range(5):
            try:
                fd = os.open(self._lock, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise OutputError(
                    f"{self.option} {self.shown}: cannot create the lock file {self._lock} ({exc.strerror or exc})"
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise OutputError(
                        f"another sim run is writing {self.shown} ({self.option}); wait for it to "
                        "finish or choose another folder"
                    ) from None
                raise OutputError(
                    f"{self.option} {self.shown}: cannot lock {self._lock} ({exc.strerror or exc})"
                ) from None
            try:  # the lock file may have been removed by the run that held it: lock the current one
                same = os.stat(self._lock).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self._fd = fd
                return
            os.close(fd)
        raise OutputError(f"another sim run is writing {self.shown} ({self.option})")  # pragma: no cover

    def _release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._lock)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        self._acquire()
        try:
            self._recover()
            check_output_folder(self.path, option=self.option, inputs=self.inputs)
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._release()

    # -- leftovers of a killed run
    def _leftovers(self, kind: str) -> list[Path]:
        pat = re.compile(rf"\.{re.escape(self.path.name)}\.{kind}-[A-Za-z0-9_]+")
        try:
            names = os.listdir(self.path.parent)
        except OSError:
            return []
        return sorted(self.path.parent / n for n in names if pat.fullmatch(n))

    @staticmethod
    def _sim_content(p: Path) -> Path | None:
        """The sim output held by leftover ``p`` (itself, or ``p/previous`` of older sim), else None."""
        if not p.is_dir() or p.is_symlink():
            return None
        if _manifest(p) is not None:
            return p
        prev = p / "previous"
        if prev.is_dir() and _manifest(prev) is not None and len(os.listdir(p)) == 1:
            return prev
        return None

    def _recover(self) -> None:
        olds = [(p, self._sim_content(p)) for p in self._leftovers("old")]
        olds = [(p, c) for p, c in olds if c is not None]
        if olds and not os.path.lexists(self.path):
            p, c = max(olds, key=lambda pc: pc[1].stat().st_mtime)
            os.rename(c, self.path)
            self.recovered.append(f"restored the previous output of {self.shown} left by an interrupted run")
        for p, _ in olds:
            if os.path.lexists(p):
                shutil.rmtree(p)
                self.recovered.append(f"removed {p.name} left by an interrupted run")
        for p in self._leftovers("tmp"):
            if p.is_dir() and not p.is_symlink() and (self._sim_content(p) is not None or not os.listdir(p)):
                shutil.rmtree(p)
                self.recovered.append(f"removed {p.name} left by an interrupted run")

    # -- writing
    def record(self, rel: str) -> None:
        """Note that this run wrote ``rel`` (relative path) into the staging folder."""
        self._files.append(str(rel))

    def _marker_text(self) -> str:
        from .version import __version__

        return json.dumps({"tool": _TOOL, "version": __version__, "files": sorted(set(self._files))}, indent=1) + "\n"

    @contextlib.contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh folder to write into; moved into place when the block ends without an exception."""
        if self._fd is None:
            raise RuntimeError("OutputFolder.staging() outside its 'with' block")  # a bug in the caller
        tmp = self.path.parent / f".{self.path.name}.tmp-{os.getpid()}"
        if os.path.lexists(tmp):  # our own pid's leftover: recognised as sim's by _recover, else refuse
            raise OutputError(f"{self.option} {self.shown}: {tmp} is in the way (not written by sim); remove it")
        try:
            tmp.mkdir()
            (tmp / MARKER).write_text(self._marker_text(), encoding="utf-8")  # recognisable from the start
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise OutputError(f"cannot create the output folder {self.shown}: {exc.strerror or exc}") from None
        try:
            self._files = []
            yield tmp
            (tmp / MARKER).write_text(self._marker_text(), encoding="utf-8")
            os.chmod(tmp, 0o777 & ~_umask())
            self._swap(tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def _swap(self, tmp: Path) -> None:
        out = self.path
        check_output_folder(out, option=self.option, inputs=self.inputs)  # nothing foreign appeared meanwhile
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if os.path.lexists(out):
            os.rename(out, old)
            if _between_renames is not None:
                _between_renames()
            try:
                os.rename(tmp, out)
            except BaseException:
                os.rename(old, out)  # put the good one back
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, out)


def reserve_folder(path: str | os.PathLike[str], *, option: str = "--out", inputs: Iterable = ()) -> OutputFolder:
    """Check ``path`` (see :func:`check_output_folder`) and return an :class:`OutputFolder`;
    entering it takes the lock, cleans a killed run's leftovers and checks again."""
    return OutputFolder(path, option=option, inputs=inputs)


def _umask() -> int:
    m = os.umask(0)
    os.umask(m)
    return m


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}"
    try:
        tmp.write_bytes(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


# ---------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula: text starting with ``= + - @``, tab or
    CR gets a leading single quote (OWASP); plain numbers (``-5.2``, ``+3e4``) and non-text
    values are unchanged; None becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(path: str | os.PathLike[str], columns: Iterable, rows: Iterable[Iterable]) -> Path:
    """Write a CSV file (header ``columns``, then ``rows``), every cell through :func:`csv_cell`."""
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([csv_cell(c) for c in columns])
        for row in rows:
            w.writerow([csv_cell(v) for v in row])
    return path
