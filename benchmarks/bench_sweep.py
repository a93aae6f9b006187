"""Sweep throughput on Dask: candidates per second on 1 and 2 workers, parallel efficiency.

The workload of issue 8: 2,000 candidates (40 inclinations 50-100 deg x 25 altitudes
300-500 km x 2 node local times) x 3 days of Russia coverage (share of Russia seen,
revisit), each chunk of 50 candidates one Dask task running the batched core
(:func:`sim.coverage.coverage`, 60 s steps, 50 km grid -- the sweep defaults). Each
LocalCluster (processes, ``threads_per_worker=1``, numba on one thread per task) is
warmed up (imports, region grid, compiled kernels) before it is timed, so the figures
are the steady-state throughput a long sweep sees.

Efficiency = rate(2 workers) / (2 x rate(1 worker)); target >= 80 %. On a shared machine
other processes take cores too: the load average is printed with the result, and the
workers' CPU seconds (so "cores used" = CPU / wall shows whether the workers got their cores;
the CPU seconds per candidate show whether the work itself scales).

Usage: python benchmarks/bench_sweep.py [--candidates 2000] [--days 3] [--workers 1,2] [--smoke]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time


def _spec(n_candidates: int, days: float, chunk: int):
    from sim.sweep import SweepSpec

    n_node = 2
    n_alt = 25 if n_candidates >= 500 else 5
    n_inc = max(1, round(n_candidates / (n_alt * n_node)))
    return SweepSpec.from_dict(
        {
            "axes": {
                "inclination_deg": {"start": 50.0, "stop": 100.0, "num": n_inc},
                "altitude_km": {"start": 300.0, "stop": 500.0, "num": n_alt},
                "ltan_hours": [6.0, 12.0],
            },
            "days": days,
            "metrics": ["coverage_russia"],
            "chunk_size": chunk,
        }
    )


def _time_sweeps(spec, counts):
    """Wall and worker-CPU seconds for the sweep on each worker count, growing ONE LocalCluster.

    Cluster start-up is not timed."""
    import logging

    from dask.distributed import Client, LocalCluster

    from sim import sweep

    # warm-up: one tiny chunk on every worker (imports, Russia grid, numba kernels from the disk cache)
    warm = sweep.SweepSpec(
        **{
            **spec.to_dict(),
            "inclination_deg": (60.0,),
            "altitude_km": (400.0,),
            "node": (12.0,),
            "days": 1.0,
            "chunk_size": 1,
        }
    )
    import tqdm.auto  # noqa: F401
    import xarray  # noqa: F401  (imported by the client while assembling; keep it out of the timing)

    out, cpu = {}, {}
    with (
        LocalCluster(
            n_workers=min(counts),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        for n in sorted(counts):
            cluster.scale(n)
            client.wait_for_workers(n)
            client.run(lambda: sweep.evaluate(sweep.candidate_orbits(warm), warm))
            cpu0 = client.run(_cpu_seconds)
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                ds = sweep.run(spec, client=client, work_dir=tmp, progress=False)
                out[n] = time.perf_counter() - t0
            cpu1 = client.run(_cpu_seconds)
            cpu[n] = sum(cpu1[w] - cpu0.get(w, 0.0) for w in cpu1)
            assert ds.attrs["complete"] == 1
    return out, cpu


def _cpu_seconds() -> float:
    """User + system CPU seconds of this (worker) process, all its threads."""
    t = os.times()
    return t.user + t.system


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--candidates", type=int, default=2000)
    p.add_argument("--days", type=float, default=3.0)
    p.add_argument("--chunk-size", type=int, default=50)
    p.add_argument("--workers", default="1,2", help="comma-separated worker counts to time")
    p.add_argument("--smoke", action="store_true", help="tiny sizes (< 20 s)")
    a = p.parse_args(argv)
    if a.smoke:
        a.candidates, a.days, a.chunk_size = 40, 1.0, 10
    spec = _spec(a.candidates, a.days, a.chunk_size)
    counts = [int(x) for x in a.workers.split(",")]
    res: dict = {
        "candidates": spec.n_candidates,
        "days": spec.days,
        "chunks": spec.n_chunks,
        "chunk_size": spec.chunk_size,
    }
    wall, cpu = _time_sweeps(spec, counts)
    for n, secs in wall.items():
        res[f"seconds_{n}_workers"] = secs
        res[f"worker_cpu_seconds_{n}_workers"] = cpu[n]
        res[f"cores_used_{n}_workers"] = cpu[n] / secs
        res[f"candidates_per_s_{n}_workers"] = spec.n_candidates / secs
    if 1 in counts and 2 in counts:
        res["parallel_efficiency"] = res["candidates_per_s_2_workers"] / (2.0 * res["candidates_per_s_1_workers"])
        # work per candidate on 2 workers vs 1 (1.0 = no parallel overhead), immune to other load
        res["cpu_efficiency"] = res["worker_cpu_seconds_1_workers"] / max(res["worker_cpu_seconds_2_workers"], 1e-9)
    res["candidates_per_cpu_second"] = spec.n_candidates / max(res[f"worker_cpu_seconds_{min(counts)}_workers"], 1e-9)
    res["load_average_1min"] = os.getloadavg()[0]
    res["cpu_count"] = os.cpu_count() or 1
    print(
        f"sweep benchmark: {spec.n_candidates} candidates x {spec.days:g} days of Russia coverage, "
        f"{spec.n_chunks} chunks of {spec.chunk_size}"
    )
    for n in counts:
        print(
            f"  {n} worker(s): {res[f'seconds_{n}_workers']:7.1f} s  "
            f"{res[f'candidates_per_s_{n}_workers']:7.2f} candidates/s  "
            f"(workers' CPU {res[f'worker_cpu_seconds_{n}_workers']:.1f} s = "
            f"{res[f'cores_used_{n}_workers']:.2f} cores)"
        )
    if "parallel_efficiency" in res:
        print(
            f"  parallel efficiency 1 -> 2 workers: {100 * res['parallel_efficiency']:.0f} % (target >= 80 %); "
            f"CPU per candidate 1 vs 2 workers: {100 * res['cpu_efficiency']:.0f} %"
        )
    print(f"  {res['candidates_per_cpu_second']:.1f} candidates per worker CPU-second")
    print(f"  load average {res['load_average_1min']:.1f} on {res['cpu_count']} cores")
    return res


if __name__ == "__main__":
    main()
