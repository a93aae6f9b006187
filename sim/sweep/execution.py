"""How a sweep runs: chunks, the work folder of finished chunks, Dask, the Dataset, NetCDF.

Chunk files. The client writes every finished chunk to ``work/chunk_NNNNN.npz``
(atomically: a ``partial*`` temporary, then a rename) next to ``spec.json``. Each file
carries, besides the metric arrays, the spec's fingerprint (``__fingerprint__``), its own
chunk index (``__chunk__``) and a SHA-256 of its arrays (``__checksum__``). On a rerun a
chunk file is reused only when all three match and it holds every variable of the spec
with the chunk's number of candidates; any other file named like a chunk (another spec's,
one copied over another, a corrupt, truncated or pre-checksum file) is reported by name
(a :class:`ChunkWarning`), deleted and recomputed. ``spec.json`` of another spec stops
the run (:class:`~sim.sweep.SweepError`): the folder belongs to another sweep.

Test hook. With the environment variable ``SIM_SWEEP_STOP_AFTER_CHUNKS=N`` (N >= 1) the
process sends itself SIGKILL right after saving its N-th chunk: a kill at a known point,
so the resume test does not depend on the machine's speed. Not for normal use.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import tempfile
import time
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..outputs import write_bytes_atomic
from .metrics import VARIABLES, candidate_orbits, evaluate, radiation_field
from .spec import MAX_CANDIDATES, SchedulerError, SweepError, SweepSpec

if TYPE_CHECKING:
    import xarray
    from dask.distributed import Client

__all__ = [
    "STOP_AFTER_ENV",
    "ChunkWarning",
    "assemble",
    "check_out_path",
    "check_size",
    "chunk_bounds",
    "load",
    "run",
    "save",
    "spec_of",
]

#: Environment variable of the test hook (see the module docstring).
STOP_AFTER_ENV = "SIM_SWEEP_STOP_AFTER_CHUNKS"
_TITLE = "sim orbit trade sweep"
_FP, _K, _SUM = "__fingerprint__", "__chunk__", "__checksum__"


class ChunkWarning(UserWarning):
    """A chunk file in the work folder cannot be reused (foreign, copied, corrupt, truncated): recomputed."""


# ============================================================== chunks


def chunk_bounds(spec: SweepSpec, k: int) -> tuple[int, int]:
    """Flat candidate indices [lo, hi) of chunk ``k`` (C order over inclination, altitude, node)."""
    lo = k * spec.chunk_size
    return lo, min(lo + spec.chunk_size, spec.n_candidates)


def _evaluate_chunk(spec_dict: dict, k: int, field_grid=None) -> tuple[int, dict]:
    """The Dask task: chunk ``k`` of the sweep, numba on one thread (the worker owns one core)."""
    import numba

    numba.set_num_threads(1)
    spec = SweepSpec(**spec_dict)
    lo, hi = chunk_bounds(spec, k)
    return k, evaluate(candidate_orbits(spec, np.arange(lo, hi)), spec, field_grid)


def _checksum(values: dict) -> str:
    h = hashlib.sha256()
    for name in sorted(values):
        a = np.ascontiguousarray(values[name])
        h.update(name.encode())
        h.update(a.dtype.str.encode())
        h.update(repr(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _chunk_path(work: Path, k: int) -> Path:
    return work / f"chunk_{k:05d}.npz"


class _Saver:
    """Writes chunk files; counts them for the test hook."""

    def __init__(self, work: Path, spec: SweepSpec):
        self.work, self.fp, self.n = work, spec.fingerprint(), 0
        stop = os.environ.get(STOP_AFTER_ENV, "").strip()
        self.stop_after = int(stop) if stop.isdigit() and int(stop) >= 1 else None

    def __call__(self, k: int, values: dict) -> None:
        tmp = self.work / f"partial{os.getpid()}_chunk_{k:05d}.npz"  # never matches chunk_*.npz
        meta = {_FP: np.array(self.fp), _K: np.array(k, dtype=np.int64), _SUM: np.array(_checksum(values))}
        np.savez(tmp, **values, **meta)
        os.replace(tmp, _chunk_path(self.work, k))
        self.n += 1
        if self.stop_after is not None and self.n >= self.stop_after:
            os.kill(os.getpid(), signal.SIGKILL)  # the test hook: a kill right after chunk N


def _read_chunk(path: Path, spec: SweepSpec, k: int, fp: str) -> dict | str:
    """The chunk's arrays, or why the file cannot be reused."""
    if not zipfile.is_zipfile(path):
        return "is not a readable chunk file (not an .npz archive: empty, cut short or overwritten)"
    try:
        with np.load(path, allow_pickle=False) as z:
            data = {name: z[name] for name in z.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        return f"is not a readable chunk file ({type(exc).__name__}: {str(exc)[:80]})"
    try:
        got_fp, got_k, got_sum = str(data.pop(_FP)), int(data.pop(_K)), str(data.pop(_SUM))
    except (KeyError, TypeError, ValueError):
        return "carries no sweep fingerprint, chunk index and checksum (foreign or written by an older sim)"
    if got_fp != fp:
        return f"was written for another sweep (spec fingerprint {got_fp[:12]}, this sweep {fp[:12]})"
    if got_k != k:
        return f"holds chunk {got_k}, not chunk {k} (copied over another chunk file)"
    if got_sum != _checksum(data):
        return "fails its checksum (corrupt)"
    lo, hi = chunk_bounds(spec, k)
    want = {name for name, (metric, _, _) in VARIABLES.items() if metric in spec.metrics}
    if set(data) != want:
        return f"holds the variables {sorted(data)}, expected {sorted(want)}"
    bad = [name for name, v in data.items() if v.shape[:1] != (hi - lo,)]
    if bad:
        return f"holds the wrong number of candidates for {', '.join(sorted(bad))} (truncated)"
    return data


def _reject(path: Path, why: str) -> None:
    warnings.warn(f"sweep: chunk file {path} {why}; recomputing it", ChunkWarning, stacklevel=3)
    path.unlink(missing_ok=True)


# ============================================================== work folder and output path


def _work_dir_for(out, spec: SweepSpec) -> Path:
    if out is not None:
        p = Path(out)
        return p.with_name(p.name + ".parts")
    return Path(".sweep-" + spec.fingerprint()[:12])


def _prepare_work_dir(work: Path, spec: SweepSpec) -> set[int]:
    """Create/validate the work folder; return the indices of reusable finished chunks."""
    if work.exists() and not work.is_dir():
        raise SweepError(f"work folder {work} exists and is not a folder")
    try:
        work.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SweepError(f"cannot create the work folder {work}: {exc.strerror or exc}") from None
    meta = work / "spec.json"
    fp = spec.fingerprint()
    old = None
    if meta.exists():
        try:
            old = json.loads(meta.read_text())["fingerprint"]
        except (OSError, ValueError, KeyError, TypeError):
            warnings.warn(
                f"sweep: {meta} is unreadable; rewriting it (chunk files carry their own fingerprint)",
                ChunkWarning,
                stacklevel=2,
            )
        if old is not None and old != fp:
            raise SweepError(
                f"work folder {work} holds chunks of a different sweep (spec changed); "
                f"delete it or choose another --out/work_dir"
            )
    if old is None:
        write_bytes_atomic(meta, json.dumps({"fingerprint": fp, "spec": spec.to_dict()}, indent=1).encode())
    for f in work.glob("partial*_chunk_*.npz"):  # left by a process killed while writing
        f.unlink(missing_ok=True)
    done = set()
    for f in sorted(work.glob("chunk_*.npz")):
        try:
            k = int(f.stem.split("_")[1])
        except (IndexError, ValueError):
            continue
        if not 0 <= k < spec.n_chunks:
            _reject(f, f"is chunk {k} of a sweep with more chunks than this one ({spec.n_chunks})")
            continue
        got = _read_chunk(f, spec, k, fp)
        if isinstance(got, str):
            _reject(f, got)
        else:
            done.add(k)
    return done


def _is_sweep_file(path: Path) -> bool:
    try:
        import h5py

        with h5py.File(path, "r") as f:
            title = f.attrs.get("title")
    except (OSError, ValueError):
        return False
    if isinstance(title, bytes):
        title = title.decode(errors="replace")
    return title == _TITLE


def check_out_path(out: str | os.PathLike[str]) -> Path:
    """Refuse an unusable ``out`` before any computation (one-line :class:`SweepError`).

    ``out`` must be a ``.nc`` path that is not a folder; an existing file is overwritten only
    when it is a sim sweep; its folder must exist or be creatable, and be writable (tested
    by creating and removing a temporary file there); ``OUT.parts`` must not be a file.
    """
    p = Path(out)
    if p.suffix.lower() == ".zarr":
        raise SweepError(f"--out {p}: Zarr output needs the zarr package, which sim does not install; use a .nc file")
    if p.is_dir():
        raise SweepError(f"--out {p} is an existing folder; give the path of a .nc file")
    if p.exists() and not p.is_file():
        raise SweepError(f"--out {p} exists and is not a regular file")
    if p.is_file() and not _is_sweep_file(p):
        raise SweepError(
            f"--out {p} exists and is not a sim sweep file; sim overwrites only its own "
            f"results: choose another path or move the file away"
        )
    parts = p.with_name(p.name + ".parts")
    if parts.exists() and not parts.is_dir():
        raise SweepError(f"--out {p}: {parts} (the folder of finished chunks) exists and is not a folder")
    folder = p.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".sim-write-check-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise SweepError(f"--out {p}: cannot write to the folder {folder} ({exc.strerror or exc})") from None
    return p


def check_size(spec: SweepSpec, allow_large: bool = False) -> None:
    """Refuse a sweep of more than :data:`~sim.sweep.MAX_CANDIDATES` candidates unless ``allow_large``."""
    n = spec.n_candidates
    if n > MAX_CANDIDATES and not allow_large:
        raise SweepError(
            f"the sweep has {n:,} candidates, more than {MAX_CANDIDATES:,}; pass allow_large=True "
            f"(CLI --allow-large) to run it"
        )


# ============================================================== running


def _connect(scheduler, workers, connect_timeout_s):
    """(client, cluster-or-None). ``scheduler`` None/"local": a LocalCluster of ``workers``
    single-threaded processes (default: one per core)."""
    import logging

    from dask import distributed

    if scheduler in (None, "local"):
        n = int(workers) if workers else (os.cpu_count() or 1)
        if n < 1:
            raise SweepError(f"workers must be >= 1, got {workers}")
        try:
            cluster = distributed.LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
            )
        except Exception as exc:  # noqa: BLE001  (start-up fails in many ways: no loopback, ports, spawn)
            why = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
            raise SchedulerError(
                f"could not start a local Dask cluster ({type(exc).__name__}"
                f"{': ' + why if why else ''}); run in this process with --scheduler sync "
                f"(scheduler='sync') or give --scheduler ADDRESS"
            ) from None
        try:
            return distributed.Client(cluster), cluster
        except Exception as exc:  # noqa: BLE001
            cluster.close()
            raise SchedulerError(
                f"could not connect to the local Dask cluster ({type(exc).__name__}); run with --scheduler sync"
            ) from None
    if workers:
        raise SweepError("--workers sizes a local cluster; with --scheduler the cluster's own workers are used")
    try:
        client = distributed.Client(str(scheduler), timeout=f"{float(connect_timeout_s)}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(
            f"cannot reach the Dask scheduler at {scheduler!r} within {connect_timeout_s:g} s "
            f"({exc}); start one with `dask scheduler` or omit --scheduler for a local "
            f"cluster"
        ) from None
    return client, None


def run(
    spec: SweepSpec | dict[str, Any],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    out: str | os.PathLike[str] | None = None,
    work_dir: str | os.PathLike[str] | None = None,
    progress: bool = True,
    max_chunks: int | None = None,
    client: Client | None = None,
    connect_timeout_s: float = 5.0,
    allow_large: bool = False,
) -> xarray.Dataset:
    """Run (or resume) a sweep; return its ``xarray.Dataset``.

    ``spec``: a :class:`SweepSpec` or the dict :meth:`SweepSpec.from_dict` reads.

    ``scheduler``: None or "local" (a LocalCluster of ``workers`` single-threaded
    processes, default one per core), "sync" (in this process, no Dask), or the address of
    an existing dask.distributed scheduler. ``client``: an existing ``dask.distributed.Client``
    to use as is. ``out``: NetCDF file to write (atomically) when the sweep is complete
    (checked before any computation); ``work_dir``: folder of finished chunks (default
    ``OUT.parts`` next to ``out``, or ``.sweep-<hash>`` in the current folder); a rerun
    resumes from it. ``max_chunks``: stop after computing this many new chunks (the dataset
    then has NaN where chunks are missing and ``attrs["complete"] == 0``). ``progress``: a
    tqdm bar over finished chunks. ``allow_large``: run more than
    :data:`~sim.sweep.MAX_CANDIDATES` candidates.
    """
    if not isinstance(spec, SweepSpec):
        spec = SweepSpec.from_dict(spec)
    check_size(spec, allow_large)
    if out is not None:
        check_out_path(out)
    work = Path(work_dir) if work_dir is not None else _work_dir_for(out, spec)
    done = _prepare_work_dir(work, spec)
    todo = [k for k in range(spec.n_chunks) if k not in done]
    if max_chunks is not None:
        todo = todo[: max(0, int(max_chunks))]
    t0 = time.perf_counter()
    if todo:
        _compute(
            spec,
            todo,
            _Saver(work, spec),
            scheduler=scheduler,
            workers=workers,
            progress=progress,
            client=client,
            connect_timeout_s=connect_timeout_s,
        )
    elapsed = time.perf_counter() - t0
    ds = assemble(spec, work)
    ds.attrs["compute_seconds_this_run"] = float(elapsed)
    ds.attrs["chunks_computed_this_run"] = len(todo)
    if out is not None and ds.attrs["complete"]:
        save(ds, out)
    return ds


def _compute(spec, todo, saver, *, scheduler, workers, progress, client, connect_timeout_s):
    from tqdm import (
        tqdm,  # tqdm.auto warns in Jupyter without ipywidgets, even when disabled
    )

    spec_dict = spec.to_dict()

    def bar():
        return tqdm(
            total=len(todo),
            desc=f"sweep ({spec.n_candidates} candidates)",
            unit="chunk",
            disable=not progress,
            leave=False,
        )

    if scheduler == "sync" and client is None:
        grid = radiation_field(spec) if "radiation" in spec.metrics else None
        with bar() as b:
            for k in todo:
                _, values = _evaluate_chunk(spec_dict, k, grid)
                saver(k, values)
                b.update(1)
        return
    from dask.distributed import as_completed

    own_cluster = None
    if client is None:
        client, own_cluster = _connect(scheduler, workers, connect_timeout_s)
    try:
        grid = None
        if "radiation" in spec.metrics:
            grid = client.scatter(radiation_field(spec), broadcast=True)
        tag = spec.fingerprint()[:10]
        futures = [
            client.submit(_evaluate_chunk, spec_dict, k, grid, key=f"sweep-{tag}-{k}", pure=False, retries=1)
            for k in todo
        ]
        with bar() as b:
            for fut in as_completed(futures):
                k, values = fut.result()
                saver(k, values)  # the client persists: workers may be on other machines
                fut.release()
                b.update(1)
    finally:
        if own_cluster is not None:
            client.close()
            own_cluster.close()


def assemble(spec: SweepSpec, work: str | os.PathLike[str]) -> xarray.Dataset:
    """The Dataset from the chunk files in ``work`` (missing chunks: NaN, ``attrs["complete"] = 0``).

    Only chunk files that carry this spec's fingerprint, their own index and a valid checksum
    are used; any other is reported (:class:`ChunkWarning`) and left out.
    """
    import xarray as xr

    work = Path(work)
    fp = spec.fingerprint()
    n = spec.n_candidates
    arrays: dict[str, np.ndarray] = {}
    n_done = 0
    for k in range(spec.n_chunks):
        f = _chunk_path(work, k)
        if not f.exists():
            continue
        values = _read_chunk(f, spec, k, fp)
        if isinstance(values, str):
            _reject(f, values)
            continue
        n_done += 1
        lo, hi = chunk_bounds(spec, k)
        for name, val in values.items():
            if name not in arrays:
                arrays[name] = np.full((n,) + val.shape[1:], np.nan)
            arrays[name][lo:hi] = val
    node = spec.node_axis
    coords = {
        "inclination_deg": (
            "inclination_deg",
            np.asarray(spec.inclination_deg),
            {"units": "deg", "long_name": "inclination"},
        ),
        "altitude_km": (
            "altitude_km",
            np.asarray(spec.altitude_km),
            {"units": "km", "long_name": "mean altitude above the equatorial radius"},
        ),
        node: (
            node,
            np.asarray(spec.node),
            {
                "units": "h" if node == "ltan_hours" else "deg",
                "long_name": "local mean solar time of the ascending node at start"
                if node == "ltan_hours"
                else "RAAN at start (TEME)",
            },
        ),
    }
    dims = ("inclination_deg", "altitude_km", node)
    if "launch" in spec.metrics:
        coords["site"] = ("site", np.asarray(spec.sites, dtype=str), {"long_name": "launch site key"})
    data_vars = {}
    for name, (metric, units, desc) in VARIABLES.items():
        if metric not in spec.metrics:
            continue
        val = arrays.get(name)
        extra = (len(spec.sites),) if name == "launch_per_day" else ()
        if val is None:
            val = np.full((n,) + extra, np.nan)
        data_vars[name] = (
            dims + (("site",) if extra else ()),
            val.reshape(spec.shape + extra),
            {"units": units, "description": desc, "metric": metric},
        )
    ds = xr.Dataset(data_vars, coords=coords)
    ds.attrs.update(
        {
            "title": _TITLE,
            "spec": json.dumps(spec.to_dict(), sort_keys=True),
            "fingerprint": fp,
            "start": spec.start,
            "days": float(spec.days),
            "footprint": json.dumps(spec.footprint),
            "complete": int(n_done == spec.n_chunks),
            "chunks_done": n_done,
            "n_chunks": spec.n_chunks,
            "n_candidates": n,
            "propagation": "analytic J2 (mean elements), fast GMST frame path",
        }
    )
    return ds


def save(ds: xarray.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write ``ds`` to NetCDF-4 (h5netcdf engine), atomically (temp file, then rename)."""
    path = check_out_path(path)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    try:
        ds.to_netcdf(tmp, engine="h5netcdf")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def load(path: str | os.PathLike[str]) -> xarray.Dataset:
    """Read a sweep written by :func:`save` (loaded into memory, file closed)."""
    import xarray as xr

    path = Path(path)
    if not path.is_file():
        raise SweepError(f"no sweep file at {path}")
    if not _is_sweep_file(path):
        raise SweepError(f"{path} is not a sim sweep file (NetCDF written by sim.sweep.save)")
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def spec_of(ds: xarray.Dataset) -> SweepSpec:
    """The :class:`SweepSpec` stored in a sweep Dataset's attrs."""
    return SweepSpec(**json.loads(ds.attrs["spec"]))
