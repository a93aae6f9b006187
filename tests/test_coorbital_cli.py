"""Two stations together from the outside: ``sim coorbital``, the ``[coorbital]`` scenario section,
the runner's adapter and the report section (issue 14).

The numbers the command line and the report show are the library's (:mod:`sim.coorbital` called
directly with the same inputs); the realignment period is checked against the closed-form J2 nodal
rates written out here; bad options and bad scenario fields are one-line errors naming the option,
or the field and its line."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from sim import coorbital, presets
from sim.cli import main
from sim.report import write_outputs
from sim.runner import pair_key, run_scenario
from sim.scenario import ScenarioError, parse_scenario

# Independent constants for the closed-form check (WGS84 / EGM96 values, not sim.constants).
MU_KM3_S2 = 398600.4418
RE_KM = 6378.137
J2 = 1.08262668e-3

#: A short, cheap case: the ISS and ROS 51.6 at 370 km over one day, transfers up to 6 h.
ARGS = ["coorbital", "--from", "iss_nominal", "--to", "ros_51_low", "--start", "2027-01-01", "--days", "1"]
FAST = ["--max-flight-h", "6"]


def _nodal_rate_deg_per_day(altitude_km: float, inclination_deg: float) -> float:
    """Secular J2 node rate of a circular orbit, deg/day: -1.5 n J2 (Re/a)^2 cos i (Vallado eq. 9-41, e = 0)."""
    a = RE_KM + altitude_km
    n = math.sqrt(MU_KM3_S2 / a**3)  # rad/s
    return math.degrees(-1.5 * n * J2 * (RE_KM / a) ** 2 * math.cos(math.radians(inclination_deg))) * 86400.0


def _run(argv, capsys) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


# ---------------------------------------------------------------- the command line


def test_cli_json_has_stable_keys_and_the_library_numbers(capsys):
    rc, out, err = _run(ARGS + FAST + ["--json"], capsys)
    assert rc == 0, err
    d = json.loads(out)
    assert set(d) == {
        "from",
        "to",
        "start_utc",
        "days",
        "model",
        "options",
        "alignment",
        "transfers",
        "transfers_aligned",
        "close_approaches",
    }
    assert d["from"] == {"preset": "iss_nominal", "name": "ISS"}
    assert d["to"] == {"preset": "ros_51_low", "name": "ROS 51.6 low"}
    assert set(d["alignment"]) == {
        "realignment_period_days",
        "differential_nodal_rate_deg_per_day",
        "threshold_deg",
        "min_possible_plane_angle_deg",
        "windows",
    }
    assert d["options"] == {"max_flight_h": 6.0}  # only what the user gave: the rest is the library's
    # the model in force is named (the library's default here), not null
    assert d["model"] == coorbital.transfers.__kwdefaults__["model"] == coorbital.geometry.__kwdefaults__["model"]
    # the same numbers as the library called directly
    a, b = presets.get("iss_nominal"), presets.get("ros_51_low")
    al = coorbital.alignment_windows(a, b, "2027-01-01T00:00:00", 1.0)
    assert d["alignment"]["realignment_period_days"] == pytest.approx(al.realignment_period_days, rel=1e-12)
    assert d["alignment"]["threshold_deg"] == al.threshold_deg
    assert d["alignment"]["windows"] == json.loads(json.dumps(al.to_rows()))
    search = coorbital.transfers(a, b, "2027-01-01T00:00:00", 1.0, max_flight_h=6.0)
    assert d["transfers"] == json.loads(json.dumps(search.to_rows()))
    close = coorbital.close_approaches(a, b, "2027-01-01T00:00:00", 1.0)
    assert [c["range_km"] for c in d["close_approaches"]] == pytest.approx([c.range_km for c in close], rel=1e-12)
    # and physically: 360 deg over the difference of the closed-form J2 node rates (370 vs 415 km,
    # 51.6 vs 51.64 deg). 0.5 %: the closed form uses the two-body mean motion, a model may add
    # J2's O(J2) correction to it (~1e-3 relative in the rate difference).
    rate = _nodal_rate_deg_per_day(370.0, 51.6) - _nodal_rate_deg_per_day(415.0, 51.64)
    assert d["alignment"]["differential_nodal_rate_deg_per_day"] == pytest.approx(rate, rel=5e-3)
    assert d["alignment"]["realignment_period_days"] == pytest.approx(360.0 / abs(rate), rel=5e-3)
    # both start in one plane: the first window opens at the start with the 0.04 deg inclination difference
    first = al.windows[0]
    assert first.min_plane_angle_deg == pytest.approx(0.04, abs=0.01)
    assert d["alignment"]["min_possible_plane_angle_deg"] == pytest.approx(0.04, abs=1e-9) and d["transfers_aligned"]


def test_a_pair_that_never_aligns_says_so(capsys):
    # ISS and the polar ROS: 45 deg apart at best. The text must not call the node-difference
    # period a "realignment period", and the transfer search says which day it covered.
    rc, out, err = _run(
        [
            "coorbital",
            "--from",
            "iss_nominal",
            "--to",
            "ros_polar",
            "--start",
            "2027-01-01",
            "--days",
            "2",
            "--max-flight-h",
            "4",
        ],
        capsys,
    )
    assert rc == 0, err
    assert "realignment period" not in out
    assert "the planes never come within 1 deg (inclinations 45.16 deg apart); their nodes cycle every 60.9 days" in out
    assert "(no alignment window: departures searched over 1 day around the smallest plane angle)" in out


def test_cli_text_prints_every_section_with_the_library_numbers(capsys):
    rc, out, err = _run(ARGS + FAST, capsys)
    assert rc == 0, err
    for head in ("realignment period", "Alignment windows", "Best transfers", "Close approaches"):
        assert head in out
    al = coorbital.alignment_windows(presets.get("iss_nominal"), presets.get("ros_51_low"), "2027-01-01", 1.0)
    assert f"{al.realignment_period_days:,.1f} days" in out
    assert f"{al.differential_nodal_rate_deg_per_day:+.4f} deg/day" in out


def test_the_issue_example_ros_51_on_top_of_the_iss_costs_the_plane_change_alone(capsys):
    # ros_51 flies where the ISS flies (same altitude, same node and argument of latitude at the epoch),
    # 0.04 deg apart in inclination: the only cost is turning the plane, 2 v sin(angle / 2) with the
    # circular speed sqrt(mu / a). 0.1 m/s: the combined Lambert arc may be a little cheaper or, on
    # the 0.5 h flight-time grid, a little dearer than the pure plane change (measured 5.348 vs 5.347).
    rc, out, err = _run(
        ["coorbital", "--from", "iss_nominal", "--to", "ros_51", "--start", "2027-01-01", "--days", "1", "--json"]
        + FAST,
        capsys,
    )
    assert rc == 0, err
    best = json.loads(out)["transfers"][0]
    v = math.sqrt(MU_KM3_S2 / (RE_KM + 415.0)) * 1e3
    assert best["dv_total_m_s"] == pytest.approx(2 * v * math.sin(math.radians(0.04) / 2), abs=0.1)


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--threshold-km", "-5"], "--threshold-km"),
        (["--max-plane-angle", "-1"], "--max-plane-angle"),
        (["--max-plane-angle", "nan"], "--max-plane-angle"),
        (["--max-flight-h", "-3"], "--max-flight-h"),
        (["--min-flight-h", "0"], "--min-flight-h"),
        (["--max-flight-h", "1"], "--min-flight-h"),  # under the library's shortest flight: says which option
        (["--model", "warp"], "--model"),
    ],
)
def test_bad_option_values_are_one_line_errors_naming_the_option(extra, option, capsys):
    rc, out, err = _run(ARGS + FAST + extra, capsys)
    assert rc == 2 and not out
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("sim: error: ") and option in err, err


@pytest.mark.parametrize(
    ("replace", "option"),
    [
        (("--days", "0"), "--days"),
        (("--days", "inf"), "--days"),
        (("--start", "next tuesday"), "--start"),
        (("--from", "mir"), "--from"),
        (("--to", "salyut_7"), "--to"),
    ],
)
def test_bad_days_start_and_presets_name_the_option(replace, option, capsys):
    argv = list(ARGS)
    argv[argv.index(replace[0]) + 1] = replace[1]
    rc, out, err = _run(argv, capsys)
    assert rc == 2 and not out and err.count("\n") == 1 and option in err, err
    if option in ("--from", "--to"):
        assert "ros_51_low" in err  # the allowed names


def test_out_writes_csv_and_png_and_leaves_other_files_alone(tmp_path, capsys):
    out = tmp_path / "pair"
    out.mkdir()
    mine = out / "notes.txt"
    mine.write_text("mine")
    rc, stdout, err = _run(ARGS + FAST + ["--out", out], capsys)
    assert rc == 0, err
    assert mine.read_text() == "mine"
    for name in ("alignment_windows.csv", "transfers.csv", "close_approaches.csv"):
        assert f"wrote {out / name}" in stdout
    with open(out / "alignment_windows.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    al = coorbital.alignment_windows(presets.get("iss_nominal"), presets.get("ros_51_low"), "2027-01-01", 1.0)
    assert len(rows) == len(al.windows) and (not rows or list(rows[0]) == list(al.to_rows()[0]))
    assert (out / "geometry.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # --json keeps stdout one JSON document (the file list goes to stderr)
    rc, stdout, err = _run(ARGS + FAST + ["--out", out, "--json"], capsys)
    assert rc == 0 and json.loads(stdout) and "wrote" in err


@pytest.mark.parametrize(
    "extra",
    [
        ["--days", "0.005", "--max-flight-h", "3"],  # 7 min of span: one departure (every 10 min)
        ["--days", "0.1", "--min-flight-h", "3", "--max-flight-h", "3"],  # one flight time
    ],
)
def test_out_draws_a_porkchop_of_one_row_or_one_column(extra, tmp_path, capsys):
    # a grid of one departure or one flight time has no contours; it was a matplotlib traceback
    argv = ARGS[:-2] + extra + ["--out", tmp_path / "pair", "--json"]
    rc, stdout, err = _run(argv, capsys)
    assert rc == 0, err
    assert json.loads(stdout)["transfers"]
    assert (tmp_path / "pair" / "porkchop.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_bad_out_folder_is_refused_before_any_computation(tmp_path, capsys, monkeypatch):
    def boom(*a, **k):
        raise AssertionError("computed before checking --out")

    monkeypatch.setattr(coorbital, "alignment_windows", boom)
    f = tmp_path / "file.txt"
    f.write_text("mine")
    rc, out, err = _run(ARGS + ["--out", f], capsys)
    assert rc == 2 and "--out" in err and err.count("\n") == 1
    assert f.read_text() == "mine"


# ---------------------------------------------------------------- the scenario section

SCENARIO = """\
[scenario]
name = "pair"
[time]
start = 2027-01-01T00:00:00
days = 1
step_s = 120
[[stations]]
name = "ISS"
preset = "iss_nominal"
[[stations]]
name = "ROS low"
preset = "ros_51_low"
[coorbital]
pairs = [["ISS", "ROS low"]]
max_flight_h = 6
"""


def _problems(text: str) -> list:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text)
    return info.value.problems


def _line_of(text: str, start: str) -> int:
    """The 1-based line of the [coorbital] section that starts with ``start``."""
    lines = text.splitlines()
    first = lines.index("[coorbital]")
    return next(n for n, line in enumerate(lines, 1) if n > first and line.startswith(start))


@pytest.mark.parametrize(
    ("old", "new", "path", "match"),
    [
        ('pairs = [["ISS", "ROS low"]]', 'pairs = [["ISS", "Mir"]]', "coorbital.pairs[0]", "unknown station"),
        ('pairs = [["ISS", "ROS low"]]', 'pairs = [["ISS", "ISS"]]', "coorbital.pairs[0]", "two different"),
        (
            'pairs = [["ISS", "ROS low"]]',
            'pairs = [["ISS", "ROS low"], ["ISS", "ROS low"]]',
            "coorbital.pairs[1]",
            "listed twice",
        ),
        ("max_flight_h = 6", "max_flight_h = 6\nthreshold_km = -4", "coorbital.threshold_km", "threshold_km"),
        ("max_flight_h = 6", "max_flight_h = 6\nmax_plane_angle_deg = -1", "coorbital.max_plane_angle_deg", ""),
        ("max_flight_h = 6", "max_flight_h = -6", "coorbital.max_flight_h", "max_flight_h"),
        ("max_flight_h = 6", "max_flight_h = 6\nmin_flight_h = 7", "coorbital.min_flight_h", "min_flight_h"),
        ("max_flight_h = 6", "max_flight_h = 6\nwindow = 3", "coorbital.window", "unknown key"),
        ("max_flight_h = 6", "max_flight_h = 6\ndays = 0", "coorbital.days", ""),
    ],
)
def test_scenario_errors_name_the_field_and_its_line(old, new, path, match):
    text = SCENARIO.replace(old, new)
    probs = _problems(text)
    assert [p.path for p in probs] == [path], probs
    key = path.split(".")[1].split("[")[0]
    assert probs[0].line == _line_of(text, key), probs
    assert match in probs[0].message


def test_sim_validate_catches_what_sim_run_would_refuse(tmp_path, capsys):
    f = tmp_path / "s.toml"
    f.write_text(SCENARIO.replace("max_flight_h = 6", "max_flight_h = 6\nthreshold_km = -4"))
    rc, _, err = _run(["validate", f], capsys)
    assert rc == 2 and f"s.toml:{_line_of(f.read_text(), 'threshold_km')}: coorbital.threshold_km: threshold_km" in err
    f.write_text(SCENARIO)
    rc, out, err = _run(["validate", f], capsys)
    assert rc == 0, err
    assert "analyses: orbit, coorbital;" in out  # the runner's own list of what `sim run` would run


def test_sim_validate_checks_the_options_without_computing(monkeypatch):
    # the thresholds are checked by coorbital.check_options (the library's one statement of the
    # ranges), not by running a search: validate must not propagate or solve anything
    from sim import coorbital

    def refuse(*_a, **_k):
        raise AssertionError("sim validate ran a coorbital analysis")

    for name in ("alignment_windows", "transfers", "close_approaches", "geometry"):
        monkeypatch.setattr(coorbital, name, refuse)
    text = SCENARIO.replace("max_flight_h = 6", "max_flight_h = 6\nthreshold_km = 50\nmax_plane_angle_deg = 2")
    parse_scenario(text)  # valid: no error, and nothing computed
    probs = _problems(SCENARIO.replace("max_flight_h = 6", "max_flight_h = 0\nmin_flight_h = 7"))
    assert [p.path for p in probs] == ["coorbital.max_flight_h"]  # reported once, at its own field


# ---------------------------------------------------------------- runner and report


def test_runner_and_report_section_hold_the_library_numbers(tmp_path):
    sc = parse_scenario(SCENARIO)
    results = run_scenario(sc, progress=False, only=["orbit", "coorbital"])
    res = next(a for a in results.analyses if a.name == "coorbital")
    key = pair_key("ISS", "ROS low")
    a, b = presets.get("iss_nominal"), presets.get("ros_51_low")
    al = coorbital.alignment_windows(a, b, "2027-01-01T00:00:00", 1.0)
    search = coorbital.transfers(a, b, "2027-01-01T00:00:00", 1.0, max_flight_h=6.0)
    period = res.values(f"{key}.realignment_period_days")
    assert period["ISS"] == period["ROS low"] == pytest.approx(al.realignment_period_days, rel=1e-12)
    best = res.values(f"{key}.cheapest_transfer_dv_m_s")
    assert best["ISS"] == pytest.approx(search.best[0].dv_total_m_s, rel=1e-12)
    assert len(res.tables["alignment_windows"].rows) == len(al.windows)
    assert len(res.tables["transfers"].rows) == len(search.best)
    assert "geometry" in res.figures and set(res.captions) == set(res.figures)
    d = tmp_path / "out"
    write_outputs(results, d)
    html = (d / "report.html").read_text()
    s = json.loads((d / "summary.json").read_text())
    assert "id='a-coorbital'" in html
    # the headline row names the pair as the scenario does, not by its metric key
    from sim.report import headline_rows

    row = next(r for r in headline_rows(results) if r["claim"].key == "crew_transfer")
    labels = [line[0] for line in row["lines"]]
    assert labels == ["ISS -> ROS low: cheapest transfer", "ISS -> ROS low: planes realign every"]
    assert s["metrics"][f"coorbital.{key}.realignment_period_days"]["values"]["ISS"] == pytest.approx(
        al.realignment_period_days, rel=1e-5
    )
    for t in ("alignment_windows", "transfers", "close_approaches"):
        assert (d / "tables" / f"coorbital_{t}.csv").is_file()
    with open(d / "tables" / "coorbital_transfers.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # the library's to_rows rounds delta-v to 1 mm/s
    assert float(rows[0]["dv_total_m_s"]) == pytest.approx(search.best[0].dv_total_m_s, abs=5e-4)
    figs = s["analyses"]["coorbital"]["figures"]
    assert "figures/coorbital_geometry.png" in figs
    if search.porkchop is not None:
        assert f"figures/coorbital_porkchop_{key}.png" in figs
    for f in figs:
        assert Path(d / f).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_runner_moves_the_pair_with_the_scenario_model():
    # [propagation] model = "kepler": no J2, so the nodes do not regress, the planes never drift apart
    # (realignment period infinite -> null) and the whole span is one alignment window.
    sc = parse_scenario(SCENARIO.replace("[coorbital]", '[propagation]\nmodel = "kepler"\n[coorbital]'))
    sc.outputs.figures = False
    res = run_scenario(sc, progress=False, only=["coorbital"]).analyses[0]
    key = pair_key("ISS", "ROS low")
    assert res.values(f"{key}.differential_nodal_rate_deg_per_day")["ISS"] == 0.0
    assert res.values(f"{key}.realignment_period_days")["ISS"] is None
    assert res.values(f"{key}.aligned_days")["ISS"] == pytest.approx(1.0, abs=1e-9)
    assert "propagation model kepler" in res.notes[0]


def test_runner_says_when_a_pair_never_aligns():
    # A pair 45 deg apart: no "realignment period" metric (it would be the node-difference period),
    # and a note that the transfer search covered the day around the smallest plane angle.
    text = SCENARIO.replace('preset = "ros_51_low"', 'preset = "ros_polar"').replace(
        "max_flight_h = 6", "max_flight_h = 3"
    )
    sc = parse_scenario(text)
    sc.outputs.figures = False
    res = run_scenario(sc, progress=False, only=["coorbital"]).analyses[0]
    key = pair_key("ISS", "ROS low")
    assert res.values(f"{key}.realignment_period_days") == {"ISS": None, "ROS low": None}
    assert res.values(f"{key}.differential_nodal_rate_deg_per_day")["ISS"] == pytest.approx(5.913, abs=1e-3)
    assert any("no alignment window in the span" in n for n in res.notes)
