"""Trade sweeps over the ROS orbit design space, run on Dask, results as an xarray Dataset.

A sweep is the full grid of circular candidate orbits spanned by three axes,
``inclination_deg`` x ``altitude_km`` x ``ltan_hours`` (local mean solar time of the
ascending node at ``start``; or ``raan_deg``), every candidate scored on the same metrics
over the same span. The design is the batched core taken to a cluster:

* **Chunks, not candidates.** The flattened grid is cut into chunks of ``chunk_size``
  candidates; each chunk is ONE Dask task that builds its candidates as one batched
  :class:`~sim.orbits.Orbit` and runs each batched analysis once on the whole batch.
  Inside a task numba runs on one thread (workers are ``threads_per_worker=1``
  processes), so a machine's cores are used by its workers and 1 -> 2 workers measures
  real parallel scaling.
* **Any cluster, unchanged.** ``scheduler=None`` starts a ``LocalCluster`` sized to the
  machine (one single-threaded worker process per core); ``scheduler="tcp://host:8786"``
  uses an existing dask.distributed cluster as it is (workers need ``sim`` installed);
  ``scheduler="sync"`` runs the chunks in the calling process without Dask (debugging).
  An unreachable scheduler raises :class:`SchedulerError` after ``connect_timeout_s``.
* **Resumable.** The client (not the workers: they may be on other machines) writes every
  finished chunk to ``work_dir/chunk_NNNNN.npz`` (atomically) next to ``spec.json``, with
  the spec's fingerprint, the chunk's index and a checksum inside; a rerun with the same
  spec computes only the missing chunks, and recomputes (with a :class:`ChunkWarning`
  naming the file) any chunk file that is foreign, copied over another, corrupt or
  truncated. Values are bitwise the same whatever the number of workers or
  interruptions (each candidate is computed by the same code in the same chunk).
* **Bounded.** More than :data:`MAX_CANDIDATES` candidates need ``allow_large=True``
  (CLI ``--allow-large``); ``out`` is checked before any computation.
* **Labelled output.** :func:`run` returns an ``xarray.Dataset`` with coordinates
  ``inclination_deg``, ``altitude_km``, ``ltan_hours`` (or ``raan_deg``) and ``site``,
  units and definitions in each variable's attrs, the spec as JSON in ``attrs["spec"]``;
  :func:`save` writes NetCDF-4 (h5netcdf) atomically, :func:`load` reads it back.

Metrics (``SweepSpec.metrics``; the definitions are those of the single-candidate
analyses, which a test checks value for value):

``coverage_russia`` / ``coverage_arctic``
    :func:`sim.coverage.coverage` over ``days``: ``*_share_seen`` (area share seen at
    least once), ``*_mean_gap_h`` (over points seen twice), ``*_max_gap_h`` (area-weighted
    mean of per-point maximum gaps over the points seen; NaN when none is),
    ``*_time_covered``; footprint ``footprint`` (default: a ground observer
    sees the station above 10 deg), time step ``step_s``, grid ``cell_km``.
``revolutions_russia``
    :func:`sim.coverage.revolutions_over`: share of complete revolutions whose ground
    track enters Russia.
``contact``
    :func:`sim.coverage.contact_minutes_per_day` with the Russian ground-station network
    (each station's own mask), sampled every ``contact_step_s``: ``contact_min_per_day``.
``launch``
    ``launch_per_day`` (dims ``..., site``): in-plane launch opportunities per day from
    each site whose ground-relative azimuth and inclination the site allows:
    :func:`sim.launch.opportunities_per_day`, the closed form of :func:`sim.launch.windows`.
``reboost``
    ``reboost_dv_m_s_per_year``: :func:`sim.lifetime.drag_dv_per_year`, a fast analytic
    drag estimate checked against :func:`sim.lifetime.reboost_budget`.
``radiation`` (opt-in: the IGRF field grid costs ~30 s once)
    ``saa_min_per_day``, ``horn_min_per_day``: :func:`sim.environment.radiation_exposure`
    with the field grid (:func:`radiation_field`) evaluated once on the client and
    shipped to the workers.

The package: :mod:`sim.sweep.spec` (what to compute: :class:`SweepSpec`, axes, limits),
:mod:`sim.sweep.metrics` (the metric table, :func:`evaluate`), :mod:`sim.sweep.execution`
(chunks, work folder, Dask, :func:`run`, :func:`save`/:func:`load`).
"""

from __future__ import annotations

from ..launch import opportunities_per_day as launch_opportunities_per_day
from ..lifetime import drag_dv_per_year
from .execution import (
    STOP_AFTER_ENV,
    ChunkWarning,
    assemble,
    check_out_path,
    check_size,
    chunk_bounds,
    load,
    run,
    save,
    spec_of,
)
from .metrics import VARIABLES, candidate_orbits, evaluate, radiation_field
from .spec import (
    DEFAULT_METRICS,
    DEFAULT_SITES,
    MAX_CANDIDATES,
    METRICS,
    SchedulerError,
    SweepAxes,
    SweepError,
    SweepSpec,
    parse_axis,
)

__all__ = [
    "DEFAULT_METRICS",
    "DEFAULT_SITES",
    "MAX_CANDIDATES",
    "METRICS",
    "STOP_AFTER_ENV",
    "VARIABLES",
    "ChunkWarning",
    "SchedulerError",
    "SweepAxes",
    "SweepError",
    "SweepSpec",
    "assemble",
    "candidate_orbits",
    "check_out_path",
    "check_size",
    "chunk_bounds",
    "drag_dv_per_year",
    "evaluate",
    "launch_opportunities_per_day",
    "load",
    "parse_axis",
    "radiation_field",
    "run",
    "save",
    "spec_of",
]
