"""Scenario files: the shipped ones load, paths are relative to the file, every problem is
reported at once with its field and line, and the command line never shows a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.errors import SimError
from sim.scenario import MAX_DAYS, ScenarioError, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))

MINIMAL = """
[scenario]
name = "t"
[time]
start = 2027-01-01T00:00:00
days = 1
[[stations]]
name = "A"
circular = { altitude_km = 400, inclination_deg = 51.6 }
"""


def test_the_four_shipped_scenarios_exist_and_load():
    names = {p.name for p in SCENARIOS}
    assert {
        "iss_vs_ros.toml",
        "ros_inclination_trade.toml",
        "launch_windows_2027.toml",
        "arctic_coverage.toml",
    } <= names
    for p in SCENARIOS:
        sc = load_scenario(p)
        assert len(sc.orbits) == len(sc.stations) >= 1
        assert list(sc.orbits.names) == sc.station_names
        # every shipped scenario is documented with comments
        assert sum(line.lstrip().startswith("#") for line in p.read_text().splitlines()) >= 5, p.name


def test_flagship_stations_are_the_published_orbits():
    sc = load_scenario(ROOT / "scenarios" / "iss_vs_ros.toml")
    orb = sc.orbits
    assert sc.station_names == ["ISS", "ROS 96.8", "ROS SSO", "ROS 51.6"]
    assert sc.time.start.isoformat() == "2027-01-01T00:00:00"
    # inclinations and altitudes from reference_facts.md; the SSO inclination at 400 km is the
    # derived J2 value 97.030 deg quoted there (rounded to 0.001 deg, hence the 0.001 tolerance)
    np.testing.assert_allclose(orb.inclination_deg, [51.64, 96.8, 97.030, 51.6], atol=1e-3)
    np.testing.assert_allclose(orb.altitude_km, [415, 400, 400, 415], atol=1e-9)
    # sun-synchronous: node follows the mean Sun, 360 deg per 365.2422 days (to 1e-4 deg/day)
    assert orb.nodal_rate_deg_per_day[2] == pytest.approx(360 / 365.2422, abs=1e-4)


def test_paths_are_relative_to_the_scenario_file(tmp_path, monkeypatch, data_dir, iss_tles):
    sub = tmp_path / "deep" / "folder"
    (sub / "elements").mkdir(parents=True)
    shutil.copy(data_dir / "iss_tle_validated.txt", sub / "elements" / "iss.txt")
    shutil.copy(data_dir / "iss_omm_2024-09_2025-03.json", sub / "elements" / "omm.json")
    (sub / "s.toml").write_text(
        MINIMAL
        + """
[[stations]]
name = "ISS TLE"
tle_file = "elements/iss.txt"
[[stations]]
name = "ISS OMM"
omm_file = "elements/omm.json"
"""
    )
    monkeypatch.chdir(tmp_path)  # a different working directory than the scenario's
    sc = load_scenario("deep/folder/s.toml")
    orb = sc.orbits
    # the newest element set of each file is used: compare with the raw file contents
    newest_tle = iss_tles[-1]
    assert orb.inclination_deg[1] == pytest.approx(float(newest_tle[2][8:16]), abs=1e-4)
    assert orb.epoch[1].isot[:10] == "2025-08-10"
    assert orb.epoch[2].isot.startswith("2025-03-09")
    assert "elements/iss.txt" in sc.source_of(1)


def test_every_problem_is_reported_at_once_with_its_line(tmp_path):
    text = """[scenario]
name = "many problems"
colour = "red"

[time]
start = 2027-01-01T00:00:00
days = -3
step_s = "fast"

[[stations]]
name = "A"
preset = "mir"

[[stations]]
name = "B"
tle_file = "nowhere.txt"

[coverage]
regions = ["russia", "atlantis"]

[lifetime]
solar_activity = ["extreme"]
"""
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(ScenarioError) as ei:
        load_scenario(p)
    probs = {pr.path: pr for pr in ei.value.problems}
    lines = text.splitlines()

    def line_of(fragment):
        return next(i + 1 for i, ln in enumerate(lines) if fragment in ln)

    expected = {
        "scenario.colour": 'colour = "red"',
        "time.days": "days = -3",
        "time.step_s": 'step_s = "fast"',
        "stations[0].preset": 'preset = "mir"',
        "stations[1]": 'name = "B"',
        "coverage.regions": "atlantis",
        "lifetime.solar_activity[0]": "extreme",
    }
    assert set(expected) <= set(probs), probs.keys()
    for path, frag in expected.items():
        if path == "stations[1]":  # a whole-station problem points at its [[stations]] header
            assert probs[path].line == line_of(frag) - 1
        else:
            assert probs[path].line == line_of(frag), path
    assert "unknown key" in probs["scenario.colour"].message and "description" in probs["scenario.colour"].message
    assert (
        "nowhere.txt" in probs["stations[1]"].message
        and "relative to the scenario file" in probs["stations[1]"].message
    )
    assert "atlantis" in probs["coverage.regions"].message and "russia" in probs["coverage.regions"].message
    assert "mir" in probs["stations[0].preset"].message and "iss_nominal" in probs["stations[0].preset"].message


def test_toml_syntax_error_names_the_line():
    text = MINIMAL + "\n[launch\nsites = []\n"
    with pytest.raises(ScenarioError) as ei:
        parse_scenario(text)
    (prob,) = ei.value.problems
    assert "not valid TOML" in prob.message
    assert prob.line == text.splitlines().index("[launch") + 1


@pytest.mark.parametrize(
    "time_block, fragment",
    [
        ("start = 2027-01-01T00:00:00\ndays = 1\nstop = 2027-01-03T00:00:00", "exactly one of 'days' or 'stop'"),
        ("start = 2027-01-01T00:00:00\nstop = 2026-12-31T00:00:00", "must be after start"),
        ("start = 2027-01-01T00:00:00\nstop = 2035-01-01T00:00:00", "at most 731"),
        (f"start = 2027-01-01T00:00:00\ndays = {MAX_DAYS + 1}", "less than or equal to 731"),
        ("start = 2027-01-01T00:00:00\ndays = 700\nstep_s = 10", "time steps"),
        ("start = 2027-01-01T00:00:00\ndays = nan", "finite"),
        ("start = 3000-01-01T00:00:00\ndays = 1", "between 1957 and 2100"),
    ],
)
def test_bad_time_spans(time_block, fragment):
    text = MINIMAL.replace("start = 2027-01-01T00:00:00\ndays = 1", time_block)
    with pytest.raises(ScenarioError) as ei:
        parse_scenario(text)
    assert any(fragment in p.message for p in ei.value.problems), ei.value.problems


def test_time_accepts_offsets_strings_and_stop():
    sc = parse_scenario(
        MINIMAL.replace(
            "start = 2027-01-01T00:00:00\ndays = 1", 'start = "2027-01-01T03:00:00+03:00"\nstop = 2027-01-02T12:00:00Z'
        )
    )
    assert sc.time.start.isoformat() == "2027-01-01T00:00:00"  # +03:00 converted to UTC
    assert sc.time.span_days == pytest.approx(1.5)
    assert sc.orbits.epoch[0].isot == "2027-01-01T00:00:00.000"  # element orbits take time.start


def test_orbit_sources_must_be_exactly_one():
    text = MINIMAL.replace(
        "circular = { altitude_km = 400, inclination_deg = 51.6 }",
        'circular = { altitude_km = 400, inclination_deg = 51.6 }\npreset = "ros_51"',
    )
    with pytest.raises(ScenarioError, match="exactly one orbit source"):
        parse_scenario(text)
    with pytest.raises(ScenarioError, match="exactly one orbit source"):
        parse_scenario(MINIMAL.replace("circular = { altitude_km = 400, inclination_deg = 51.6 }", ""))


def test_sgp4_needs_element_sets():
    with pytest.raises(ScenarioError, match="sgp4"):
        parse_scenario(MINIMAL + '[propagation]\nmodel = "sgp4"\n')


def test_duplicate_station_names_rejected():
    with pytest.raises(ScenarioError, match="unique"):
        parse_scenario(MINIMAL + '[[stations]]\nname = "A"\npreset = "ros_polar"\n')


def test_overrides_replace_days_and_stop():
    sc = parse_scenario(MINIMAL.replace("days = 1", "stop = 2027-01-05T00:00:00"), overrides={"time.days": 2})
    assert sc.time.span_days == 2
    assert sc.environment is None  # an override never adds a section the file does not have
    sc = parse_scenario(MINIMAL + "[environment]\ndays = 60\n", overrides={"time.days": 365})
    assert sc.environment.days == 365  # the environment span follows --days
    with pytest.raises(ScenarioError, match="731"):
        parse_scenario(MINIMAL, overrides={"time.days": 5000})


def test_error_is_a_sim_error_and_message_lists_problems():
    with pytest.raises(SimError) as ei:
        parse_scenario("[scenario]\nname = 3\n", source="x.toml")
    msg = str(ei.value)
    assert msg.startswith("x.toml: ") and "time" in msg and "stations" in msg and "scenario.name" in msg


def test_cli_validate_reports_all_problems_and_exits_2(tmp_path, capsys):
    p = tmp_path / "bad.toml"
    p.write_text(MINIMAL.replace("days = 1", "days = 0") + "[outputs]\ndpi = 5\nfoo = 1\n")
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err
    assert "3 problems" in err and "time.days" in err and "outputs.dpi" in err and "outputs.foo" in err
    assert "Traceback" not in err
    for line in err.strip().splitlines()[1:]:
        assert f"{p}:" in line  # file:line: prefix on every problem
    assert main(["validate", str(tmp_path / "missing.toml")]) == 2
    assert "file not found" in capsys.readouterr().err
    good = tmp_path / "good.toml"
    good.write_text(MINIMAL)
    assert main(["validate", str(good)]) == 0
    assert "OK" in capsys.readouterr().out


def test_cli_run_with_invalid_file_writes_nothing(tmp_path, capsys):
    p = tmp_path / "bad.toml"
    p.write_text(MINIMAL.replace("days = 1", "days = 'x'"))
    out = tmp_path / "out"
    assert main(["run", str(p), "--out", str(out), "--no-progress"]) == 2
    assert not out.exists() and sorted(x.name for x in tmp_path.iterdir()) == ["bad.toml"]
    assert "time.days" in capsys.readouterr().err


def test_footprint_must_exist_at_the_station_altitude():
    # a 75 deg sensor half-angle looks past the horizon at 400 km (the Earth's angular radius
    # seen from 400 km is asin(6371 / 6771) = 70.2 deg); caught when validating, not mid-run
    text = MINIMAL + "[coverage]\nregions = ['arctic']\nfootprint = { half_angle_deg = 75 }\n"
    with pytest.raises(ScenarioError) as ei:
        parse_scenario(text)
    (p,) = ei.value.problems
    assert p.path == "coverage.footprint" and "horizon" in p.message
    assert p.line == text.splitlines().index("footprint = { half_angle_deg = 75 }") + 1
    parse_scenario(text.replace("75", "65"))  # inside the horizon: fine


def test_sweep_table_is_validated_and_read_by_sim_sweep(tmp_path):
    """A scenario may carry its design-space sweep; `sim validate` checks it, `sim sweep --spec` reads it."""
    from sim.cli import build_parser
    from sim.commands.sweep import spec_from_args

    shipped = ROOT / "scenarios" / "ros_inclination_trade.toml"
    assert load_scenario(shipped).sweep is not None
    spec = spec_from_args(build_parser().parse_args(["sweep", "--spec", str(shipped)]))
    assert spec.n_candidates == 11 * 5 * 2  # 50..100 step 5, 300..500 step 50, two node times

    base = shipped.read_text().split("[sweep]")[0]
    for table, message in [
        ("[sweep]\ndays = 1\n[sweep.axes]\ninclination_deg = '50:100:5'\n", "altitude_km"),
        ("[sweep]\naxes = 3\n", "sweep"),
        (
            "[sweep]\n[sweep.axes]\ninclination_deg = [50]\naltitude_km = [400]\nwobble = [1]\n",
            "sweep.axes.wobble: unknown key",
        ),
    ]:
        bad = tmp_path / "bad.toml"
        bad.write_text(base + table)
        with pytest.raises(SimError, match=message):
            load_scenario(bad)


def test_input_tables_use_the_analysis_classes_limits_and_build_them():
    """footprint, spacecraft and custom launch sites are checked with the limits of
    sim.coverage.Footprint, sim.spacecraft.Spacecraft and sim.launch.LaunchSite (one place),
    reported at their field with its line, and build those objects."""
    from sim.coverage import Footprint
    from sim.launch import LaunchSite
    from sim.spacecraft import Spacecraft

    text = (
        MINIMAL.replace(
            "circular = { altitude_km = 400, inclination_deg = 51.6 }",
            "circular = { altitude_km = 400, inclination_deg = 51.6 }\nspacecraft = { mass_kg = -5, area_m2 = 100 }",
        )
        + """
[coverage]
regions = ['arctic']
footprint = { half_angle_deg = 95 }
[launch]
sites = []
custom_sites = [{ key = "north", latitude_deg = 95, longitude_deg = 10 }]
"""
    )
    with pytest.raises(ScenarioError) as ei:
        parse_scenario(text)
    probs = {p.path: p for p in ei.value.problems}
    lines = text.splitlines()
    for path, fragment, limit in [
        ("stations[0].spacecraft.mass_kg", "spacecraft =", "(0, 1e+07]"),
        ("coverage.footprint.half_angle_deg", "footprint =", "(0, 90)"),
        ("launch.custom_sites[0].latitude_deg", "custom_sites =", "[-90, 90]"),
    ]:
        assert path in probs, probs.keys()
        assert limit in probs[path].message and path.rsplit(".", 1)[-1] in probs[path].message
        assert probs[path].line == next(i + 1 for i, ln in enumerate(lines) if ln.startswith(fragment))
    sc = parse_scenario(text.replace("-5", "5e5").replace("= 95 }", "= 30 }").replace("= 95,", "= 62.9,"))
    fp = sc.coverage.footprint.build()
    assert type(fp) is Footprint and fp.half_angle_deg == 30
    site = sc.launch.custom_sites[0].build()
    assert type(site) is LaunchSite and site.latitude_deg == 62.9 and site.name == "north"
    craft = sc.stations[0].spacecraft.build("A")
    assert type(craft) is Spacecraft and craft.cd == 2.2 and craft.name == "A"
    # exactly one class of each name in sim
    import sim.scenario as scenario_module

    assert not any(hasattr(scenario_module, n) for n in ("Footprint", "LaunchSite", "Spacecraft"))
