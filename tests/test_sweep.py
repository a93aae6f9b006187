"""Trade sweeps: values equal the single-candidate analyses, 1 and 2 Dask workers agree bit for
bit, an interrupted (or killed) sweep resumes to the same Dataset, chunk files that cannot be
reused (foreign, copied, corrupt, truncated) are named and recomputed, bad input fails clearly
before any computation."""

from __future__ import annotations

import math
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim import coverage as cv
from sim import sweep
from sim.orbits import Orbit

START = "2027-01-01T00:00:00"


def _small_spec(**kw):
    base = dict(
        inclination_deg=(51.6, 96.8),
        altitude_km=(400.0, 415.0),
        node=(30.0, 200.0),
        node_axis="raan_deg",
        days=1.0,
        chunk_size=3,
        start=START,
    )
    base.update(kw)
    return sweep.SweepSpec(**base)


def _strip_run_attrs(ds):
    ds = ds.copy()
    for k in ("compute_seconds_this_run", "chunks_computed_this_run"):
        ds.attrs.pop(k, None)
    return ds


@pytest.fixture(scope="module")
def small_sync_work(tmp_path_factory):
    """The small spec run uninterrupted in this process: (spec, Dataset, work folder)."""
    spec = _small_spec()
    work = tmp_path_factory.mktemp("sync")
    return spec, sweep.run(spec, scheduler="sync", work_dir=work, progress=False), work


@pytest.fixture(scope="module")
def small_sync(small_sync_work):
    spec, ds, _ = small_sync_work
    return spec, ds


# ------------------------------------------------------------------ values = single-candidate analyses


@pytest.mark.parametrize("inc, alt, raan", [(51.6, 400.0, 30.0), (96.8, 415.0, 200.0), (96.8, 400.0, 30.0)])
def test_sweep_values_equal_single_candidate(small_sync, inc, alt, raan):
    spec, ds = small_sync
    pt = ds.sel(inclination_deg=inc, altitude_km=alt, raan_deg=raan)
    orb = Orbit.circular(alt, inc, raan_deg=raan, epoch=START)  # built independently of the sweep
    fp = cv.Footprint(min_elevation_deg=10.0)
    # The same batched analyses on a batch of one: the kernels are per orbit, so equality is to
    # round-off (1e-12 relative), not a tolerance on physics.
    for region in ("russia", "arctic"):
        s = cv.coverage(orb, region, START, 1.0, fp, 60.0, cell_km=50.0).summary()
        assert float(pt[f"{region}_share_seen"]) == pytest.approx(s["share_seen"][0], rel=1e-12)
        assert float(pt[f"{region}_time_covered"]) == pytest.approx(s["time_covered"][0], rel=1e-12)
        np.testing.assert_allclose(float(pt[f"{region}_max_gap_h"]), s["mean_max_gap_h"][0], rtol=1e-12)
        np.testing.assert_allclose(float(pt[f"{region}_mean_gap_h"]), s["mean_gap_h"][0], rtol=1e-12)
    assert float(pt["russia_revolution_share"]) == pytest.approx(
        cv.revolutions_over(orb, "russia", START, 1.0, step_s=60.0)[0], rel=1e-12
    )
    assert float(pt["contact_min_per_day"]) == pytest.approx(
        cv.contact_minutes_per_day(orb, "russia", START, 1.0, step_s=60.0)["network"][0], rel=1e-12
    )
    # physics sanity on the way: the values are shares in [0, 1]
    assert 0.0 < float(pt["russia_share_seen"]) <= 1.0


def test_polar_sees_more_of_russia_and_the_arctic(small_sync):
    _, ds = small_sync
    polar = ds.sel(inclination_deg=96.8, altitude_km=400.0)
    iss_like = ds.sel(inclination_deg=51.6, altitude_km=400.0)
    # Footprint at 10 deg elevation from 400 km reaches ~15.6 deg of central angle: a 51.6 deg orbit
    # never sees north of ~67 deg, so the Arctic (north of 66.56 deg) is almost unseen.
    assert float(iss_like["arctic_share_seen"].max()) < 0.05
    assert float(polar["arctic_share_seen"].min()) > 0.9
    assert float(polar["russia_share_seen"].min()) > float(iss_like["russia_share_seen"].max())


def test_ltan_axis_places_the_node_like_sun_synchronous_presets():
    from sim import presets

    spec = sweep.SweepSpec(inclination_deg=(97.0,), altitude_km=(400.0,), node=(12.0, 6.0), start="2027-01-01T00:00:00")
    orb = sweep.candidate_orbits(spec)
    sso = presets.get("ros_sso")  # Orbit.sun_synchronous(400 km, LTAN 12 h), same epoch
    assert orb.raan_deg[0] == pytest.approx(sso.raan_deg[0], abs=1e-9)
    # 6 h earlier local time = node 90 deg further west
    assert (orb.raan_deg[0] - orb.raan_deg[1]) % 360.0 == pytest.approx(90.0, abs=1e-9)


def test_launch_opportunities_match_launch_windows():
    from sim import launch

    orbs = Orbit.circular([415.0, 400.0, 400.0], [51.64, 96.8, 65.0], raan_deg=[10.0, 100.0, 250.0], epoch=START)
    sites = ("baikonur_31", "vostochny_1s", "plesetsk_43")
    per_day = launch.opportunities_per_day(orbs, sites)
    assert sweep.launch_opportunities_per_day is launch.opportunities_per_day  # the sweep re-exports it
    days = 20.0
    for i in range(len(orbs)):
        for j, s in enumerate(sites):
            tab = launch.windows(orbs[i], s, START, days=days)
            # in-plane crossings whose azimuth and inclination the site allows (launch.py's
            # azimuth_allowed is the site's arc only; 'closest' rows are dog-legs, not in-plane)
            n_allowed = int(np.sum(tab.in_plane & tab.azimuth_allowed & tab.inclination_allowed))
            # the closed form is a rate; a 20-day window can hold one more or one fewer crossing per
            # direction at its two ends: at most 2 windows apart
            assert abs(n_allowed - per_day[i, j] * days) <= 2.0, (i, s, n_allowed, per_day[i, j])
    # ISS from Baikonur: northbound only (southbound excluded by the corridor), ~1 per day
    assert per_day[0, 0] == pytest.approx(1.0, abs=0.05)
    # Vostochny (51.9 N) cannot reach 51.64 deg in plane
    assert per_day[0, 1] == 0.0


def test_reboost_estimate_matches_cowell_budget():
    from sim import lifetime

    orbs = Orbit.circular([400.0, 400.0], [96.8, 51.6], epoch=START, names=["ROS 96.8", "ROS 51.6"])
    est = lifetime.drag_dv_per_year(orbs, "moderate", "ros_stage2")
    assert sweep.drag_dv_per_year is lifetime.drag_dv_per_year  # the sweep re-exports it
    # Cowell with J2-J6 and NRLMSIS drag, holding the orbit in a 10 km band centred on 400 km
    bud = lifetime.reboost_budget(orbs, "ros_stage2", (395.0, 405.0), "moderate", years=1.0)
    # 5 % (measured 0.2 %; 350 and 450 km: 0.2 % and 0.9 %): the estimate averages density over
    # latitude/local time/season on the circular orbit; the budget integrates the decaying orbit
    # (band-mean altitude, J2 eccentricity, discrete burns: one burn more or fewer is ~3 %)
    np.testing.assert_allclose(est, bud.dv_per_year_m_s, rtol=0.05)
    # lower orbits cost more: density scale height ~60 km at 400 km
    lo, hi = lifetime.drag_dv_per_year(Orbit.circular([350.0, 450.0], [51.6, 51.6], epoch=START))
    assert lo / hi > 3.0


# ------------------------------------------------------------------ 1 vs 2 workers


# distributed's comm layer can leave a socket for the garbage collector when a cluster shuts
# down (distributed/node.py); that ResourceWarning is distributed's, not sim's.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_one_and_two_workers_give_identical_results(tmp_path, small_sync):
    import logging

    import xarray as xr
    from dask.distributed import Client, LocalCluster, get_task_stream

    spec, ds_sync = small_sync
    results = {}
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
        ) as cluster,
        Client(cluster) as client,
    ):
        for n in (1, 2):
            cluster.scale(n)
            client.wait_for_workers(n)
            with get_task_stream(client) as ts:
                results[n] = sweep.run(spec, client=client, work_dir=tmp_path / f"w{n}", progress=False)
            used = {t["worker"] for t in ts.data if str(t.get("key", "")).startswith("sweep-")}
            assert len(used) == n, f"{n} workers requested, tasks ran on {len(used)}"
    import gc

    gc.collect()  # collect distributed's stray sockets here, under this test's filters
    xr.testing.assert_identical(_strip_run_attrs(results[1]), _strip_run_attrs(results[2]))
    xr.testing.assert_identical(_strip_run_attrs(results[1]), _strip_run_attrs(ds_sync))


# ------------------------------------------------------------------ resume


def test_resume_after_interruption_gives_the_same_dataset(tmp_path, small_sync):
    import xarray as xr

    spec, full = small_sync
    work = tmp_path / "parts"
    part = sweep.run(spec, scheduler="sync", work_dir=work, progress=False, max_chunks=1)
    assert part.attrs["complete"] == 0 and part.attrs["chunks_done"] == 1
    assert np.isnan(part["russia_share_seen"].values).sum() == spec.n_candidates - spec.chunk_size
    out = tmp_path / "sweep.nc"
    resumed = sweep.run(spec, scheduler="sync", work_dir=work, out=out, progress=False)
    assert resumed.attrs["chunks_computed_this_run"] == spec.n_chunks - 1
    xr.testing.assert_identical(_strip_run_attrs(resumed), _strip_run_attrs(full))
    # and the NetCDF file reloads to the same values
    back = sweep.load(out)
    xr.testing.assert_identical(_strip_run_attrs(back), _strip_run_attrs(resumed))
    assert sweep.spec_of(back) == spec


def test_killed_process_resumes(tmp_path):
    """SIGKILL a real `sim sweep` process right after its 2nd chunk; the rerun completes from them.

    The kill comes from the documented test hook SIM_SWEEP_STOP_AFTER_CHUNKS (the process kills
    itself after saving chunk N), so where it lands does not depend on the machine's speed.
    """
    import xarray as xr

    out = tmp_path / "k.nc"
    parts = Path(str(out) + ".parts")
    args = [
        "--inclination",
        "55:95:10",
        "--altitude",
        "400",
        "--ltan",
        "12",
        "--days",
        "1",
        "--chunk-size",
        "1",
        "--metrics",
        "coverage_russia,launch",
        "--scheduler",
        "sync",
        "--no-progress",
        "--out",
        str(out),
    ]
    env = {**os.environ, sweep.STOP_AFTER_ENV: "2"}
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "sweep", *args],
        cwd=tmp_path,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=300,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    assert sorted(f.name for f in parts.glob("chunk_*.npz")) == ["chunk_00000.npz", "chunk_00001.npz"]
    assert not out.exists()
    from sim.cli import build_parser
    from sim.commands.sweep import spec_from_args

    spec = spec_from_args(build_parser().parse_args(["sweep", *args]))
    resumed = sweep.run(spec, scheduler="sync", out=out, work_dir=parts, progress=False)
    assert resumed.attrs["chunks_computed_this_run"] == 5 - 2
    fresh = sweep.run(spec, scheduler="sync", work_dir=tmp_path / "fresh", progress=False)
    xr.testing.assert_identical(_strip_run_attrs(resumed), _strip_run_attrs(fresh))


# ------------------------------------------------------------------ chunk files that cannot be reused


def _rerun_equals_full(small_sync_work, tmp_path, damage, match, n_recomputed=1):
    """Copy the finished work folder, ``damage(work)`` it, rerun: one ChunkWarning per bad file naming
    it (``match``), only those chunks recomputed, and the Dataset identical to the uninterrupted run."""
    import xarray as xr

    spec, full, done = small_sync_work
    work = tmp_path / "work"
    shutil.copytree(done, work)
    damage(work)
    with pytest.warns(sweep.ChunkWarning, match=match) as rec:
        again = sweep.run(spec, scheduler="sync", work_dir=work, progress=False)
    assert len([w for w in rec if issubclass(w.category, sweep.ChunkWarning)]) == n_recomputed
    assert again.attrs["chunks_computed_this_run"] == n_recomputed
    assert again.attrs["complete"] == 1
    xr.testing.assert_identical(_strip_run_attrs(again), _strip_run_attrs(full))
    return str(rec[0].message)


def test_foreign_chunk_is_recomputed_even_without_spec_json(small_sync_work, tmp_path):
    # another sweep over the same grid (launch only) wrote chunk 1; spec.json is gone, so only the
    # fingerprint inside the chunk file can tell (before: its launch column was silently mixed in)
    other = _small_spec(metrics=("launch",))
    other_work = tmp_path / "other"
    sweep.run(other, scheduler="sync", work_dir=other_work, progress=False)

    def damage(work):
        (work / "spec.json").unlink()
        shutil.copy(other_work / "chunk_00001.npz", work / "chunk_00001.npz")

    msg = _rerun_equals_full(small_sync_work, tmp_path, damage, r"chunk_00001\.npz was written for another sweep")
    assert str(tmp_path / "work" / "chunk_00001.npz") in msg and "recomputing" in msg


def test_chunk_copied_over_another_is_recomputed(small_sync_work, tmp_path):
    def damage(work):
        shutil.copy(work / "chunk_00000.npz", work / "chunk_00001.npz")  # same spec, same size, wrong rows

    _rerun_equals_full(small_sync_work, tmp_path, damage, r"chunk_00001\.npz holds chunk 0, not chunk 1")


def test_corrupt_chunk_is_recomputed(small_sync_work, tmp_path):
    def damage(work):
        f = work / "chunk_00002.npz"
        raw = bytearray(f.read_bytes())
        raw[200:260] = b"\xff" * 60  # bytes overwritten inside the archive
        f.write_bytes(bytes(raw))
        (work / "chunk_00000.npz").write_bytes(b"this is not a zip file")

    msg = _rerun_equals_full(
        small_sync_work, tmp_path, damage, r"chunk_0000[02]\.npz is not a readable chunk file", n_recomputed=2
    )
    assert "chunk_00000.npz is not a readable chunk file (not an .npz archive" in msg


def test_tampered_chunk_fails_its_checksum(small_sync_work, tmp_path):
    def damage(work):
        f = work / "chunk_00001.npz"
        with np.load(f) as z:
            data = {k: z[k] for k in z.files}
        data["russia_share_seen"] = data["russia_share_seen"] * 0.5  # values changed, checksum kept
        np.savez(f, **data)

    _rerun_equals_full(small_sync_work, tmp_path, damage, r"chunk_00001\.npz fails its checksum")


def test_truncated_chunk_is_recomputed(small_sync_work, tmp_path):
    def damage(work):
        f = work / "chunk_00000.npz"
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])  # a copy cut short

    _rerun_equals_full(small_sync_work, tmp_path, damage, r"chunk_00000\.npz is not a readable chunk file")


def test_cli_names_a_rejected_chunk_on_one_warning_line(small_sync_work, tmp_path, capsys):
    from sim.cli import main

    spec, _, done = small_sync_work
    toml = tmp_path / "s.toml"
    toml.write_text(
        "[sweep]\ndays = 1.0\nchunk_size = 3\nstart = 2027-01-01T00:00:00\n"
        "[sweep.axes]\ninclination_deg = [51.6, 96.8]\naltitude_km = [400, 415]\nraan_deg = [30, 200]\n"
    )
    out = tmp_path / "o.nc"
    shutil.copytree(done, Path(str(out) + ".parts"))
    (Path(str(out) + ".parts") / "chunk_00002.npz").write_bytes(b"")
    assert main(["sweep", "--spec", str(toml), "--scheduler", "sync", "--out", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if "chunk_00002.npz" in ln]
    assert len(lines) == 1 and lines[0].startswith("warning: sweep: chunk file ") and "Traceback" not in err
    assert sweep.spec_of(sweep.load(out)) == spec


# ------------------------------------------------------------------ radiation (shared field grid)


def test_radiation_metric_equals_radiation_exposure(tmp_path):
    from sim import environment as env

    spec = sweep.SweepSpec(
        inclination_deg=(51.6, 96.8), altitude_km=(400.0,), node=(12.0,), days=1.0, metrics=("radiation",)
    )
    ds = sweep.run(spec, scheduler="sync", work_dir=tmp_path, progress=False)
    orb = sweep.candidate_orbits(spec)
    ref = env.radiation_exposure(orb, START, days=1.0)
    # same IGRF grid nodes (20 km altitude layers), same interpolation: equal to round-off
    np.testing.assert_allclose(ds["saa_min_per_day"].values.ravel(), ref["saa_min_per_day"], rtol=1e-12)
    np.testing.assert_allclose(ds["horn_min_per_day"].values.ravel(), ref["horn_min_per_day"], rtol=1e-12)
    # the dose rate of the same metric is the single-candidate radiation_dose (solar minimum)
    dose = env.radiation_dose(orb, START, 1.0, solar="min")
    np.testing.assert_allclose(ds["dose_mGy_per_day"].values.ravel(), dose["total_mGy_per_day"], rtol=1e-12)
    # the sweep's grid is shared through radiation_exposure's field_grid keyword: same numbers
    grid = sweep.radiation_field(spec)
    shared = env.radiation_exposure(orb, START, days=1.0, field_grid=grid)
    np.testing.assert_array_equal(shared["saa_min_per_day"], ds["saa_min_per_day"].values.ravel())
    # a grid that does not reach the tracks' altitudes (the polar candidate flies up to ~421 km
    # geodetic) is refused instead of extrapolated
    g_lat, g_lon, g_alt, B = grid
    low = (g_lat, g_lon, g_alt[:2], B[:, :, :2])
    with pytest.raises(env.EnvironmentError_, match=r"field_grid covers altitudes .* the tracks reach"):
        env.radiation_exposure(orb, START, days=1.0, field_grid=low)
    assert env.radiation_exposure.__kwdefaults__["step_s"] == env.RADIATION_STEP_S


@pytest.mark.slow
def test_dose_metric_equals_radiation_dose(tmp_path):
    # The sweep's dose rate is the single-candidate radiation_dose (solar minimum) of each
    # candidate, batched: equal to round-off, over inclination x altitude (6-10 s: its own IGRF
    # grid; the default run checks the dose in test_radiation_metric_equals_radiation_exposure).
    from sim import environment as env

    spec = sweep.SweepSpec(
        inclination_deg=(51.6, 96.8), altitude_km=(400.0, 440.0), node=(12.0,), days=1.0, metrics=("radiation",)
    )
    ds = sweep.run(spec, scheduler="sync", work_dir=tmp_path, progress=False)
    orb = sweep.candidate_orbits(spec)
    ref = env.radiation_dose(orb, START, 1.0, solar="min")
    for var, key in (
        ("dose_mGy_per_day", "total_mGy_per_day"),
        ("dose_trapped_mGy_per_day", "trapped_mGy_per_day"),
        ("dose_gcr_mGy_per_day", "gcr_mGy_per_day"),
    ):
        np.testing.assert_allclose(ds[var].values.ravel(), ref[key], rtol=1e-12)
    # one at a time too (batching does not change a candidate's value)
    one = env.radiation_dose(orb[3], START, 1.0, solar="min")
    assert ds["dose_mGy_per_day"].values.ravel()[3] == pytest.approx(float(one["total_mGy_per_day"][0]), rel=1e-12)
    # physics across the grid: higher orbits see more trapped protons
    trapped = ds["dose_trapped_mGy_per_day"].values.reshape(2, 2)
    assert np.all(trapped[:, 1] > trapped[:, 0])


# ------------------------------------------------------------------ errors


@pytest.mark.filterwarnings("ignore::ResourceWarning")  # distributed's failed connect attempts (see above)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_unreachable_scheduler_is_a_clear_error_quickly(tmp_path, monkeypatch):
    # "Quickly" means within the user's connect_timeout_s, not distributed's default 30 s. No
    # wall-clock assertion (no test may depend on how fast the machine is): the real Client is
    # called, and the timeout it was given is checked.
    from dask import distributed  # the module sim.sweep calls Client through

    seen = []
    real_client = distributed.Client

    def spy(*args, **kwargs):
        seen.append(kwargs.get("timeout"))
        return real_client(*args, **kwargs)

    monkeypatch.setattr(distributed, "Client", spy)
    spec = _small_spec(metrics=("launch",))
    with pytest.raises(sweep.SchedulerError, match="cannot reach the Dask scheduler .* within 1 s"):
        sweep.run(spec, scheduler="tcp://127.0.0.1:9", work_dir=tmp_path, progress=False, connect_timeout_s=1.0)
    assert seen == ["1.0s"]
    import gc

    gc.collect()


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(inclination_deg=(0.0, 50.0)), "inclination_deg"),
        (dict(altitude_km="300:200:10"), "stop must be >= start"),
        (dict(metrics=("coverage_mars",)), "metrics must be"),
        (dict(node_axis="ltan_hours", node=(25.0,)), "ltan_hours"),
        (dict(days=0.1), "days"),
        (dict(sites=("cape_york",)), "unknown launch site"),
        (dict(footprint={"min_elevation_deg": 95.0}), "min_elevation_deg"),
    ],
)
def test_bad_spec_is_a_sim_error(kw, match):
    from sim.errors import SimError

    with pytest.raises(SimError, match=match):
        _small_spec(**kw)


def test_sweep_start_follows_the_one_date_rule():
    # scenarios refuse dates before 1957; so does a sweep (it used to accept 1900)
    with pytest.raises(sweep.SweepError, match=r"start: date-time must be between 1957 and 2100"):
        _small_spec(start="1900-01-01T00:00:00")
    assert _small_spec(start="2027-01-01").start == "2027-01-01T00:00:00.000"


def test_sweep_table_problems_are_scenario_problems_with_path_and_line():
    from sim.scenario import ScenarioError, parse_scenario

    base = (Path(__file__).parents[1] / "scenarios" / "ros_inclination_trade.toml").read_text().split("[sweep]")[0]
    text = base + (
        '[sweep]\ndays = 1\nstart = 1900-01-01T00:00:00\n[sweep.axes]\ninclination_deg = "50:100:5"\n'
        "altitude_km = [100, 400]\n"
    )
    with pytest.raises(ScenarioError) as ei:
        parse_scenario(text)
    lines = text.splitlines()
    got = {p.path: p for p in ei.value.problems}
    assert got["sweep.axes.altitude_km"].line == lines.index("altitude_km = [100, 400]") + 1
    assert "altitude_km must be in [150, 2000] km" in got["sweep.axes.altitude_km"].message
    assert got["sweep.start"].line == lines.index("start = 1900-01-01T00:00:00") + 1
    assert "between 1957 and 2100" in got["sweep.start"].message
    # a valid table becomes the SweepSpec itself
    ok = parse_scenario(text.replace("1900", "2027").replace("[100, 400]", "[300, 400]"))
    assert isinstance(ok.sweep, sweep.SweepSpec) and ok.sweep.n_candidates == 11 * 2


def test_sweep_larger_than_the_cap_needs_allow_large(tmp_path, capsys):
    from sim.cli import main

    spec = sweep.SweepSpec(inclination_deg="0.1:100:0.1", altitude_km="300:1300:1", node=(12.0,))
    assert spec.n_candidates == 1000 * 1001 > sweep.MAX_CANDIDATES
    work = tmp_path / "big"
    with pytest.raises(
        sweep.SweepError,
        match=r"^the sweep has 1,001,000 candidates, more than 1,000,000; "
        r"pass allow_large=True \(CLI --allow-large\)",
    ):
        sweep.run(spec, scheduler="sync", work_dir=work, progress=False)
    assert not work.exists()  # refused before anything was written
    sweep.check_size(spec, allow_large=True)  # the explicit option lets it through
    sweep.check_size(_small_spec())
    assert (
        main(
            [
                "sweep",
                "--inclination",
                "0.1:100:0.1",
                "--altitude",
                "300:1300:1",
                "--scheduler",
                "sync",
                "--out",
                str(tmp_path / "big.nc"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--allow-large" in err and "1,001,000" in err
    assert not (tmp_path / "big.nc.parts").exists()


def test_local_cluster_that_cannot_start_is_one_line(small_sync_work, tmp_path, monkeypatch, capsys):
    import xarray as xr
    from dask import distributed

    from sim.cli import main

    def no_loopback(*args, **kwargs):
        raise OSError(99, "Cannot assign requested address")

    monkeypatch.setattr(distributed, "LocalCluster", no_loopback)
    spec, full, done = small_sync_work
    work = tmp_path / "work"
    shutil.copytree(done, work)
    (work / "chunk_00001.npz").unlink()
    with pytest.raises(sweep.SchedulerError) as ei:
        sweep.run(spec, work_dir=work, workers=1, progress=False)
    msg = str(ei.value)
    assert msg.startswith("could not start a local Dask cluster (OSError") and "--scheduler sync" in msg
    assert "\n" not in msg and ei.value.__cause__ is None and ei.value.__suppress_context__
    # the suggested way works and gives the uninterrupted result
    again = sweep.run(spec, scheduler="sync", work_dir=work, progress=False)
    assert again.attrs["chunks_computed_this_run"] == 1
    xr.testing.assert_identical(_strip_run_attrs(again), _strip_run_attrs(full))
    capsys.readouterr()
    assert (
        main(
            [
                "sweep",
                "--inclination",
                "60",
                "--altitude",
                "400",
                "--workers",
                "1",
                "--no-progress",
                "--out",
                str(tmp_path / "c.nc"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--scheduler sync" in err and "Traceback" not in err


def test_unusable_out_is_refused_before_any_computation(tmp_path, capsys, monkeypatch):
    from sim.cli import main
    from sim.sweep import execution

    def no_compute(*args, **kwargs):
        raise AssertionError("computed before checking --out")

    monkeypatch.setattr(execution, "_compute", no_compute)
    folder = tmp_path / "results"
    folder.mkdir()
    mine = tmp_path / "notes.nc"
    mine.write_text("the user's own file")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cases = [
        (folder, "is an existing folder"),
        (mine, "exists and is not a sim sweep file"),
        (blocker / "o.nc", "cannot write to the folder"),
        (Path("/proc/sim_sweep_test/o.nc"), "cannot write to the folder"),  # unwritable even for root
        (tmp_path / "o.zarr", "Zarr"),
    ]
    for out, why in cases:
        assert (
            main(
                [
                    "sweep",
                    "--inclination",
                    "60",
                    "--altitude",
                    "400",
                    "--scheduler",
                    "sync",
                    "--no-progress",
                    "--out",
                    str(out),
                ]
            )
            == 2
        ), out
        err = capsys.readouterr().err
        assert err.startswith("sim: error: --out ") and why in err and err.count("\n") == 1, err
        assert not Path(str(out) + ".parts").exists()
        with pytest.raises(sweep.SweepError, match=why):
            sweep.run(_small_spec(metrics=("launch",)), scheduler="sync", out=out, progress=False)
    assert mine.read_text() == "the user's own file"  # nothing of the user's was touched
    if os.geteuid() != 0:  # permission bits do not bind root
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        with pytest.raises(sweep.SweepError, match="cannot write to the folder"):
            sweep.check_out_path(locked / "o.nc")


def test_changed_spec_refuses_old_work_folder(tmp_path):
    sweep.run(_small_spec(metrics=("launch",)), scheduler="sync", work_dir=tmp_path, progress=False)
    with pytest.raises(sweep.SweepError, match="different sweep"):
        sweep.run(_small_spec(metrics=("launch",), days=2.0), scheduler="sync", work_dir=tmp_path, progress=False)


def test_parse_axis_forms():
    assert sweep.parse_axis("a", "50:60:5") == (50.0, 55.0, 60.0)
    assert sweep.parse_axis("a", "1,2.5") == (1.0, 2.5)
    assert sweep.parse_axis("a", {"start": 300, "stop": 500, "num": 3}) == (300.0, 400.0, 500.0)
    assert sweep.parse_axis("a", 7) == (7.0,)
    assert len(sweep.parse_axis("a", "50:100:2.5")) == 21


# ------------------------------------------------------------------ command line and figures


@pytest.mark.filterwarnings("ignore::ResourceWarning")  # the unreachable-scheduler case (see above)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_cli_from_toml_and_errors(tmp_path, capsys):
    from sim.cli import main

    toml = tmp_path / "s.toml"
    toml.write_text(
        '[sweep]\ndays = 1\nmetrics = ["launch", "reboost"]\n'
        "[sweep.axes]\ninclination_deg = {start = 50, stop = 100, step = 25}\n"
        'altitude_km = [350, 450]\nltan_hours = "6,18"\n'
    )
    out = tmp_path / "o.nc"
    assert (
        main(
            [
                "sweep",
                "--spec",
                str(toml),
                "--scheduler",
                "sync",
                "--out",
                str(out),
                "--no-progress",
                "--figures",
                str(tmp_path / "fig"),
            ]
        )
        == 0
    )
    ds = sweep.load(out)
    assert dict(ds.sizes) == {"inclination_deg": 3, "altitude_km": 2, "ltan_hours": 2, "site": 3}
    assert (tmp_path / "fig" / "reboost_vs_altitude.png").stat().st_size > 10_000
    capsys.readouterr()
    assert (
        main(
            [
                "sweep",
                "--inclination",
                "50:100:x",
                "--altitude",
                "400",
                "--scheduler",
                "sync",
                "--out",
                str(tmp_path / "x.nc"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "inclination_deg" in err and "Traceback" not in err
    assert main(["sweep", "--altitude", "400"]) == 2
    assert (
        main(
            [
                "sweep",
                "--inclination",
                "60",
                "--altitude",
                "400",
                "--scheduler",
                "tcp://127.0.0.1:9",
                "--out",
                str(tmp_path / "y.nc"),
                "--no-progress",
            ]
        )
        == 2
    )
    assert "cannot reach" in capsys.readouterr().err
    import gc

    gc.collect()


def test_trade_map_figure(small_sync):
    from matplotlib.figure import Figure

    from sim.plots import trade_map_figure

    _, ds = small_sync
    fig = trade_map_figure(ds, "russia_share_seen")
    assert isinstance(fig, Figure)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "ISS" in labels and "ROS 96.8" in labels
    assert math.isfinite(float(ds["russia_share_seen"].mean()))
