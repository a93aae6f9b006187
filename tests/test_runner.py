"""End to end: every shipped scenario runs (on short spans) and its report and summary.json hold
every station and metric with physically sensible values; runs are reproducible byte for byte;
outputs appear atomically."""

from __future__ import annotations

import csv
import json
import math
import re
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.errors import SimError
from sim.report import SCHEMA, write_outputs
from sim.runner import ANALYSES, Analysis, run_scenario
from sim.scenario import load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
MU_KM3_S2 = 398600.4418  # WGS84 GM, km^3/s^2 (independent of sim.constants for the period check)


def short_overrides(path: Path, maps: bool = False) -> dict:
    """Shorten every span a scenario asks for (sections it lacks are left absent).

    Revisit maps take seconds each to draw; only the Arctic scenario draws one (``maps``)."""
    raw = tomllib.loads(path.read_text())
    ov = {"time.days": 1.0}
    if "coverage" in raw:
        ov.update({"coverage.within_days": [0.5, 1.0], "coverage.cell_km": 150.0, "coverage.step_s": 60.0})
        ov["coverage.maps"] = ["arctic"] if maps else []
    if "ground_stations" in raw:
        ov["ground_stations.days"] = 0.5
    if "launch" in raw:
        ov["launch.days"] = 2.0
    if "environment" in raw:
        ov["environment.days"] = 1.0
    if "lifetime" in raw:
        ov.update({"lifetime.decay_days": 4.0, "lifetime.years": 0.03})
    return ov


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each shipped scenario run once through the command line on short spans."""
    out = {}
    for p in SCENARIOS:
        sc = load_scenario(p, overrides=short_overrides(p, maps=p.stem == "arctic_coverage"))
        d = tmp_path_factory.mktemp(p.stem) / "out"
        write_outputs(run_scenario(sc, progress=False), d)
        out[p.stem] = (sc, d, json.loads((d / "summary.json").read_text()))
    return out


def test_every_scenario_writes_every_output(runs):
    assert set(runs) >= {"iss_vs_ros", "ros_inclination_trade", "launch_windows_2027", "arctic_coverage"}
    for name, (sc, d, s) in runs.items():
        assert s["schema"] == SCHEMA
        stations = sc.station_names
        assert [x["name"] for x in s["stations"]] == stations
        # the analyses the file asks for all ran for real (every module has landed)
        wanted = {"orbit"} | {
            a
            for a, sec in (
                ("coverage", "coverage"),
                ("passes", "ground_stations"),
                ("launch", "launch"),
                ("environment", "environment"),
                ("lifetime", "lifetime"),
                ("coorbital", "coorbital"),
            )
            if getattr(sc, sec) is not None
        }
        assert set(s["analyses"]) == wanted, name
        assert all(a["status"] == "ok" for a in s["analyses"].values()), (name, s["analyses"])
        assert len(s["metrics"]) >= 10
        html = (d / "report.html").read_text()
        for m in s["metrics"].values():
            assert set(m["values"]) == set(stations)  # every station in every metric
            assert m["unit"] and m["definition"] and m["label"]
            assert _esc(m["label"]) in html  # and in the side-by-side table
        for st in stations:
            assert _esc(st) in html
        # every figure is a PNG file and embedded in the page; every table is a CSV with a header
        figs = s["files"]["figures"]
        assert figs and all((d / f).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for f in figs)
        for region in sc.coverage.maps if sc.coverage else []:
            assert f"figures/coverage_{region}_revisit_map.png" in figs
        assert html.count("<img ") == len(figs) and html.count("data:image/png;base64,") == len(figs)
        for t in s["files"]["tables"]:
            with open(d / t, newline="") as fh:
                rows = list(csv.reader(fh))
            assert rows and rows[0]
        with open(d / "tables" / "metrics.csv", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0][3 : 3 + len(stations)] == stations and len(rows) == 1 + len(s["metrics"])
        assert "http://" not in html.replace("http://www.w3.org", "") and "<script" not in html  # self-contained
        for pkg in ("numpy", "astropy", "sgp4", "python"):
            assert pkg in s["software"] and pkg in html


def _esc(text: str) -> str:
    import html

    return html.escape(text)


def _v(s, key):
    return s["metrics"][key]["values"]


def test_orbit_metrics_are_physical(runs):
    for _, (_, _, s) in runs.items():
        for st in s["stations"]:
            n = st["name"]
            a = st["semi_major_axis_km"]
            assert 150 < _v(s, "orbit.altitude_km")[n] < 2000
            # Kepler's third law from the element table (independent of sim.orbits), to 1e-6
            assert _v(s, "orbit.period_min")[n] == pytest.approx(
                2 * math.pi * math.sqrt(a**3 / MU_KM3_S2) / 60, rel=1e-5
            )
            assert _v(s, "orbit.revs_per_day")[n] == pytest.approx(1440 / _v(s, "orbit.nodal_period_min")[n], rel=1e-5)
            # highest latitude = inclination (or 180 - i); the geodetic latitude exceeds the geocentric
            # by up to 0.19 deg and 30-60 s sampling can miss the peak by a few 0.01 deg
            i = st["inclination_deg"]
            peak = min(i, 180 - i)
            assert peak - 0.1 < _v(s, "orbit.max_latitude_deg")[n] < peak + 0.25
            if peak < 66.0:
                assert _v(s, "orbit.time_north_of_arctic_circle_pct")[n] == 0


def test_coverage_metrics_are_physical(runs):
    for _, (sc, _, s) in runs.items():
        if sc.coverage is None:
            continue
        keys = [k for k in s["metrics"] if k.startswith("coverage.")]
        for k in keys:
            for v in _v(s, k).values():
                assert v is None or (v >= 0 and (not k.endswith("_pct") or v <= 100 + 1e-9)), (k, v)
        for reg in sc.coverage.regions:
            a, b = (_v(s, f"coverage.{reg}.seen_within_{x:g}d_pct") for x in (0.5, 1.0))
            assert all(b[n] >= a[n] for n in a)  # seen within 1 d contains seen within 12 h
        incl = {st["name"]: st["inclination_deg"] for st in s["stations"]}
        alt = {st["name"]: _v(s, "orbit.altitude_km")[st["name"]] for st in s["stations"]}
        if "arctic" in sc.coverage.regions and sc.coverage.footprint.min_elevation_deg is not None:
            eps = math.radians(sc.coverage.footprint.min_elevation_deg)
            for n, i in incl.items():
                # footprint edge (Wertz & Larson eq. 5-17): an orbit never covers latitudes above i + lambda
                lam = math.degrees(math.acos(6371.0 * math.cos(eps) / (6371.0 + alt[n])) - eps)
                if min(i, 180 - i) + lam < 66.3:
                    assert _v(s, "coverage.arctic.seen_within_1d_pct")[n] == 0
        if "russia" in sc.coverage.regions:
            r = _v(s, "coverage.russia.seen_within_1d_pct")
            polar = [n for n, i in incl.items() if i > 80]
            low = [n for n, i in incl.items() if i < 55]
            for p_ in polar:
                for q in low:
                    assert r[p_] > r[q]  # a polar orbit sees more of Russia than a 51.6 deg one


def test_revisit_statistics_describe_the_points_seen_and_never_seen_is_its_own_share(runs):
    # never seen + seen within the span = 100 %; a region never seen has no gap statistics (not
    # "the whole span"), and the gaps of the points seen are within the span.
    for _, (sc, _, s) in runs.items():
        if sc.coverage is None or not sc.coverage.revisit:
            continue
        span_h = 24.0 * max(sc.coverage.within_days)
        for reg in sc.coverage.regions:
            never = _v(s, f"coverage.{reg}.never_seen_pct")
            seen = _v(s, f"coverage.{reg}.seen_within_{max(sc.coverage.within_days):g}d_pct")
            for n in never:
                assert never[n] + seen[n] == pytest.approx(100.0, abs=1e-4)  # summary.json keeps 6 digits
                for k in ("mean_max_gap_h", "worst_gap_h"):
                    v = _v(s, f"coverage.{reg}.{k}")[n]
                    if never[n] == pytest.approx(100.0, abs=1e-9):
                        assert v is None, (reg, n, k, v)
                    else:
                        assert 0 < v <= span_h + 1e-6, (reg, n, k, v)
                m = _v(s, f"coverage.{reg}.mean_revisit_h")[n]
                assert m is None or m <= _v(s, f"coverage.{reg}.mean_max_gap_h")[n] + 1e-9


def test_every_figure_has_a_caption_and_the_report_opens_with_the_claims(runs):
    import html as _html

    for name, (_sc, d, s) in runs.items():
        text = (d / "report.html").read_text()
        for a in s["analyses"].values():
            assert set(a["captions"]) == set(a["figures"]), name
            for fig, cap in a["captions"].items():
                # one sentence saying what to see, shown under the figure in the page
                assert len(cap) > 40 and cap.endswith(".") and "nan" not in cap.lower().split(), (fig, cap)
                assert _html.escape(cap) in text, (fig, cap)
        # wording: no "1 days", "1 reboosts", "1 analyses"
        assert not re.search(r"\b1 (days|reboosts|analyses|stations|passes)\b", text), name
        if name != "iss_vs_ros":
            continue
        # the headline table comes first and links each claim to a section that exists
        assert text.index("id='answer'") < text.index("id='summary'") < text.index("id='a-orbit'")
        head = text[text.index("id='answer'") : text.index("id='summary'")]
        for link in set(re.findall(r"href='#(a-[\w-]+)'", head)):
            assert f"id='{link}'" in text, link
        for claim in ("every one and a half hours", "2 km/month", "Crimea is included"):
            assert claim in _html.unescape(head), claim
        # a number in the headline is the metric's number
        v = _v(s, "coverage.russia.revolutions_over_pct")["ISS"]
        assert f"{v:.3g}" in head


def test_pass_launch_environment_lifetime_metrics_are_physical(runs):
    s = runs["iss_vs_ros"][2]
    names = [x["name"] for x in s["stations"]]
    for n in names:
        assert 0 < _v(s, "passes.network_contact_min_per_day")[n] < 1440
        # at 400-415 km a pass above 5 deg lasts at most ~9 min (horizon geometry)
        assert 1 < _v(s, "passes.mean_pass_duration_min")[n] < 10
        assert 5 <= _v(s, "passes.mean_max_elevation_deg")[n] <= 90
    # Baikonur to the ISS: the northbound azimuth sin(Az_i) = cos(i)/cos(lat) = 63.6 deg inertial, a
    # couple of degrees less after the Earth-rotation correction (reference: 62 deg in launch_sites.csv)
    assert 58 < _v(s, "launch.baikonur_31.ascending_azimuth_deg")["ISS"] < 64
    # Plesetsk (62.9 N) cannot reach 51.6 deg in plane; it reaches the polar plane directly
    assert _v(s, "launch.plesetsk_43.min_plane_change_dv_m_s")["ISS"] > 500
    assert _v(s, "launch.plesetsk_43.min_plane_change_dv_m_s")["ROS 96.8"] == 0
    for n in names:
        i = next(x["inclination_deg"] for x in s["stations"] if x["name"] == n)
        # |beta| never exceeds inclination + obliquity (23.44 deg) for a prograde orbit
        assert _v(s, "environment.beta_max_abs_deg")[n] <= min(i, 180 - i) + 23.44 + 0.1 or i > 90
        # shadow: at most the cylindrical beta-0 fraction (~39% of a 92.8-min orbit) of each day
        assert 0 <= _v(s, "environment.eclipse_min_per_day")[n] <= 0.40 * 1440
        assert _v(s, "environment.eclipses_per_day")[n] <= _v(s, "orbit.revs_per_day")[n] + 1
        low, mod, high = (_v(s, f"lifetime.{lvl}.decay_km_per_day")[n] for lvl in ("low", "moderate", "high"))
        assert 0 < low < mod < high < 2  # decay grows with solar activity
        assert _v(s, "lifetime.high.reboost_dv_m_s_per_year")[n] > _v(s, "lifetime.low.reboost_dv_m_s_per_year")[n]
    assert _v(s, "environment.saa_ratio_to_first")["ISS"] == pytest.approx(1.0)
    horn = _v(s, "environment.horn_ratio_to_first")
    # polar orbits spend far longer at high geomagnetic latitude than the 51.6 deg ones
    assert horn["ISS"] == pytest.approx(1.0) and horn["ROS 96.8"] > 5 * horn["ROS 51.6"]


def test_same_scenario_twice_gives_byte_identical_outputs(runs, tmp_path, monkeypatch):
    """Every file, report.html and the PNGs included (no wall-clock time or timing is written)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    p = ROOT / "scenarios" / "iss_vs_ros.toml"
    first = runs["iss_vs_ros"][1]
    sc = load_scenario(p, overrides=short_overrides(p))
    again = tmp_path / "again"
    write_outputs(run_scenario(sc, progress=False), again)
    files = sorted(q.relative_to(first) for q in first.rglob("*") if q.is_file())
    assert files == sorted(q.relative_to(again) for q in again.rglob("*") if q.is_file())
    assert {"report.html", "summary.json", ".sim-output"} <= {str(f) for f in files}
    assert any(f.suffix == ".png" for f in files)
    for f in files:
        assert (again / f).read_bytes() == (first / f).read_bytes(), f


# ---------------------------------------------------------------- the command line and atomic outputs

MINIMAL = """
[scenario]
name = "tiny"
[time]
start = 2027-01-01T00:00:00
days = 0.1
step_s = 60
[[stations]]
name = "A"
preset = "ros_polar"
[outputs]
ground_track_hours = 1
"""


def test_cli_run_prints_where_the_report_is(tmp_path, monkeypatch, capsys):
    (tmp_path / "s.toml").write_text(MINIMAL)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "s.toml", "--no-progress"]) == 0
    out = capsys.readouterr().out
    report = tmp_path / "out" / "s" / "report.html"  # default: out/<file stem>
    assert f"report:  {report}" in out and report.is_file()
    assert main(["run", "s.toml", "--out", "elsewhere", "--days", "0.05", "--no-progress"]) == 0
    s = json.loads((tmp_path / "elsewhere" / "summary.json").read_text())
    assert s["scenario"]["days"] == 0.05


def test_kernels_need_compiling_detects_a_cold_or_stale_cache(tmp_path, monkeypatch):
    import os
    import shutil

    import sim.kernels
    from sim.commands.run import kernels_need_compiling

    src = Path(sim.kernels.__file__).parent
    copy = tmp_path / "kernels"
    copy.mkdir()
    for f in src.glob("*.py"):
        shutil.copy(f, copy / f.name)
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setattr(sim.kernels, "__file__", str(copy / "__init__.py"))
    assert kernels_need_compiling()  # a fresh clone: no __pycache__
    cache = copy / "__pycache__"
    cache.mkdir()
    tag = f"py{sys.version_info.major}{sys.version_info.minor}"
    for f in copy.glob("*.py"):
        (cache / f"{f.stem}.kernel-1.{tag}.nbi").write_bytes(b"")
    assert not kernels_need_compiling()  # every kernel module has a fresh index
    old = (copy / "access.py").stat().st_mtime
    os.utime(cache / f"access.kernel-1.{tag}.nbi", (old - 10, old - 10))
    assert kernels_need_compiling()  # an index older than its source is stale


def test_cli_says_when_it_compiles_and_shows_progress_inside_long_stages(tmp_path, monkeypatch, capsys):
    import sim.commands.run as run_cmd

    (tmp_path / "s.toml").write_text(
        MINIMAL + '[lifetime]\nsolar_activity = ["low"]\ndecay_days = 1\nreboost = true\nyears = 0.01\n'
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(run_cmd, "kernels_need_compiling", lambda: True)
    assert main(["run", "s.toml"]) == 0
    err = capsys.readouterr().err
    assert run_cmd.COMPILING_NOTE in err
    # the lifetime stage says what it is doing (tqdm's postfix on stderr), per activity level and band
    assert "decay of 1 station, low activity" in err and "reboost A, low activity" in err
    monkeypatch.setattr(run_cmd, "kernels_need_compiling", lambda: False)
    assert main(["run", "s.toml", "--no-progress"]) == 0
    assert run_cmd.COMPILING_NOTE not in capsys.readouterr().err


def test_a_failed_run_leaves_the_previous_report_untouched(tmp_path, monkeypatch):
    sc = parse_scenario(MINIMAL)
    out = tmp_path / "out"
    write_outputs(run_scenario(sc, progress=False), out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def boom(ctx, res):
        raise RuntimeError("simulated crash in an analysis")

    monkeypatch.setitem(ANALYSES, "boom", Analysis("boom", "Boom", boom))
    with pytest.raises(RuntimeError):
        write_outputs(run_scenario(sc, progress=False), out)
    monkeypatch.delitem(ANALYSES, "boom")

    import sim.report as rep

    def broken_html(*a, **k):
        raise KeyboardInterrupt  # interrupted while writing

    monkeypatch.setattr(rep, "_html", broken_html)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(run_scenario(sc, progress=False), out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folders left behind


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    sc = parse_scenario(MINIMAL)
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "thesis.tex").write_text("do not delete")
    with pytest.raises(SimError, match="not written by sim"):
        write_outputs(run_scenario(sc, progress=False), precious)
    assert (precious / "thesis.tex").read_text() == "do not delete"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_an_analysis_module_that_fails_to_import_stops_the_run(monkeypatch):
    """Every analysis module exists: an import error is a bug and must surface as itself,
    never turn into an analysis reported as "not available"."""
    import sys

    import sim

    sc = parse_scenario(MINIMAL + '[launch]\nsites = ["baikonur_31"]\ndays = 1\n')
    monkeypatch.delattr(sim, "launch", raising=False)
    monkeypatch.setitem(sys.modules, "sim.launch", None)  # importing it now raises ModuleNotFoundError
    with pytest.raises(ModuleNotFoundError, match="sim.launch"):
        run_scenario(sc, progress=False)


def test_an_import_error_inside_an_adapter_is_not_swallowed(monkeypatch):
    def needs_a_missing_module(ctx, res):
        import sim.module_that_does_not_exist  # noqa: F401

    monkeypatch.setitem(ANALYSES, "future", Analysis("future", "Future analysis", needs_a_missing_module))
    with pytest.raises(ModuleNotFoundError, match="sim.module_that_does_not_exist"):
        run_scenario(parse_scenario(MINIMAL), progress=False)


def test_a_propagator_that_fails_to_import_is_not_an_unknown_model(monkeypatch):
    """ "cowell" is always a model; if its module cannot be imported that error surfaces
    (it used to be swallowed and reported as an unknown model)."""
    import sys

    import sim
    import sim.propagation as prop

    monkeypatch.delattr(prop, "cowell", raising=False)
    monkeypatch.setitem(sys.modules, "sim.propagation.cowell", None)
    orb = sim.Orbit.circular(400.0, 51.6, epoch="2027-01-01T00:00:00")
    assert "cowell" in prop.models()
    with pytest.raises(ModuleNotFoundError, match="sim.propagation.cowell"):
        orb.propagate(sim.time_range("2027-01-01T00:00:00", step_s=60.0, days=0.01), model="cowell")


def test_cli_registers_every_command():
    from sim.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) >= {"run", "validate", "demo", "presets", "windows", "decay", "sweep"}


def test_the_runner_draws_no_figure_itself():
    """Figures come from sim.plots: sim/runner.py makes no matplotlib drawing call of its own."""
    import ast

    import sim.runner

    drawing = {"subplots", "figure", "add_subplot", "bar", "scatter", "plot", "suptitle", "set_ylabel", "legend"}
    tree = ast.parse(Path(sim.runner.__file__).read_text())
    calls = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    assert not calls & drawing, calls & drawing
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not [m for m in imported if m.split(".")[0] == "matplotlib"]


def test_runner_calendar_is_the_library_calendar(monkeypatch):
    """The runner's launch calendar is sim.plots.window_calendar_figure: one panel per site, one
    marker per window of every station, on the 0-24 h axis."""
    import matplotlib.pyplot as plt

    import sim.plots

    calls = []
    real = sim.plots.window_calendar_figure

    def spy(tables, **kw):
        fig = real(tables, **kw)
        calls.append((tables, fig))
        return fig

    monkeypatch.setattr(sim.plots, "window_calendar_figure", spy)
    sc = parse_scenario(
        MINIMAL.replace(
            'preset = "ros_polar"', 'preset = "ros_polar"\n[[stations]]\nname = "B"\npreset = "iss_nominal"'
        )
        + '[launch]\nsites = ["baikonur_31", "plesetsk_43"]\ndays = 3\n'
    )
    res = run_scenario(sc, progress=False, only=["launch"])
    fig = res.analyses[0].figures["calendar"]
    assert len(calls) == 1 and calls[0][1] is fig
    tables = calls[0][0]
    assert len(tables) == 2 and all(len(v) == 2 for v in tables.values())  # 2 sites x 2 stations
    for ax, tabs in zip(fig.axes, tables.values()):
        pts = np.concatenate([c.get_offsets() for c in ax.collections])
        assert len(pts) == sum(len(t) for t in tabs)
        assert pts[:, 1].min() >= 0 and pts[:, 1].max() < 24
        assert ax.get_ylabel() and ax.get_title(loc="left")
    # every usable window of the windows table is a filled marker
    usable = sum(bool(r[5]) and bool(r[7]) for r in res.analyses[0].tables["windows"].rows)
    filled = sum(
        len(c.get_offsets())
        for ax in fig.axes
        for c in ax.collections
        if len(c.get_facecolors()) and c.get_facecolors()[0, 3] > 0
    )
    assert 0 < filled == usable
    plt.close(fig)


def test_summary_metric_keys_follow_the_schema(runs):
    s = runs["iss_vs_ros"][2]
    for key, m in s["metrics"].items():
        assert re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", key), key
        assert key.split(".")[0] == m["analysis"] and key in s["analyses"][m["analysis"]]["metrics"]
    assert set(s) == {"schema", "scenario", "stations", "analyses", "metrics", "software", "files"}
    vals = [v for m in s["metrics"].values() for v in m["values"].values() if isinstance(v, float)]
    assert all(np.isfinite(vals))


def test_user_regions_sites_ground_stations_and_spacecraft(tmp_path):
    """Everything a user can add in a scenario file: a GeoJSON region (relative path), a launch
    site, a ground station and a spacecraft."""
    (tmp_path / "shapes").mkdir()
    box = {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[35.0, 54.0], [40.0, 54.0], [40.0, 57.0], [35.0, 57.0], [35.0, 54.0]]],
        },
    }
    (tmp_path / "shapes" / "moscow_box.geojson").write_text(json.dumps(box))
    (tmp_path / "s.toml").write_text("""
[scenario]
name = "user inputs"
[time]
start = 2027-01-01T00:00:00
days = 0.5
step_s = 60
[[stations]]
name = "ISS"
preset = "iss_nominal"
spacecraft = { mass_kg = 400000, area_m2 = 1500, cd = 2.2 }
[[stations]]
name = "Polar"
circular = { altitude_km = 400, inclination_deg = 96.8, raan_deg = 30 }
[coverage]
regions = []
geojson_regions = [{ name = "moscow_box", geojson = "shapes/moscow_box.geojson" }]
within_days = [0.5]
cell_km = 50
maps = []
[ground_stations]
network = "russia"
stations = [{ name = "My dish", latitude_deg = 55.0, longitude_deg = 37.0 }]
days = 0.5
[launch]
sites = []
custom_sites = [{ key = "kapustin_yar", name = "Kapustin Yar", latitude_deg = 48.57, longitude_deg = 45.9 }]
days = 1
[lifetime]
solar_activity = ["moderate"]
decay_days = 2
reboost = false
""")
    sc = load_scenario(tmp_path / "s.toml")
    res = run_scenario(sc, progress=False)
    write_outputs(res, tmp_path / "out")
    s = json.loads((tmp_path / "out" / "summary.json").read_text())
    seen = _v(s, "coverage.moscow_box.seen_within_0.5d_pct")
    assert all(0 <= v <= 100 for v in seen.values())
    # a 5 x 3 deg box at 55 N: a 96.8 deg orbit's footprint (~1,100 km across) sweeps it within 12 h
    assert seen["Polar"] > 0
    per_station = (tmp_path / "out" / "tables" / "passes_per_station.csv").read_text()
    assert "My dish" in per_station
    # Kapustin Yar (48.6 N) reaches both planes directly (latitude below both inclinations)
    assert _v(s, "launch.kapustin_yar.min_plane_change_dv_m_s") == {"ISS": 0.0, "Polar": 0.0}
    sc_table = (tmp_path / "out" / "tables" / "lifetime_spacecraft.csv").read_text()
    assert "400000" in sc_table and "1500" in sc_table


def test_sim_run_past_the_leap_second_table_prints_no_erfa_warning(tmp_path, capsys):
    # ERFA warns ("dubious year") about every UTC epoch past the bundled leap-second table, i.e.
    # any start from ~2029, which users ask for routinely; the sim command filters exactly that
    # warning for its process (sim.timeutil.DUBIOUS_YEAR_WARNING). The suite's own configuration
    # ignores it, so warnings are recorded here with every filter set to "always" first.
    import warnings

    from sim.cli import main

    scenario = tmp_path / "late.toml"
    scenario.write_text(
        '[scenario]\nname = "late"\n[time]\nstart = 2029-06-01T00:00:00\ndays = 1\nstep_s = 120\n'
        '[[stations]]\nname = "ISS"\npreset = "iss_nominal"\n'
    )
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert main(["run", str(scenario), "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    assert [str(w.message) for w in seen] == []
