"""``sim windows`` on the command line: table, JSON, element-set files and one-line errors."""

from __future__ import annotations

import json
import math

import pytest

from sim import constants as C
from sim import presets
from sim.cli import main
from sim.timeutil import seconds_between, to_time


def _run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_from_tle_file_reproduces_soyuz_ms21_window(tmp_path, capsys):
    comment, l1, l2 = [s for s in presets.iss_element_sets() if "22071.78032407" in s[1]][0]
    f = tmp_path / "iss.tle"
    f.write_text(f"ISS (ZARYA)\n{l1}\n{l2}\n")
    code, out, err = _run(
        capsys,
        [
            "windows",
            "--site",
            "baikonur_31",
            "--tle-file",
            str(f),
            "--start",
            "2022-03-18T00:00",
            "--days",
            "1",
            "--json",
        ],
    )
    assert code == 0, err
    rows = json.loads(out)
    assert [r["direction"] for r in rows] == ["ascending", "descending"]
    for r in rows:
        for key in ("in_plane_utc", "liftoff_utc", "direction", "azimuth_deg", "phase_deg", "profiles"):
            assert key in r
        assert r["in_plane_utc"].endswith("Z")
    # Soyuz MS-21 lifted off at 15:55:18 UTC (reference_facts.md): within 3 min, 2-orbit phase.
    assert rows[0]["liftoff_utc"].startswith("2022-03-18T15:5")
    assert "2-orbit" in rows[0]["profiles"]
    assert abs(rows[0]["azimuth_deg"] - 62.0) < 1.0


def test_omm_file_and_table(tmp_path, capsys):
    rec = [r for r in presets.iss_omm_records() if r["EPOCH"].startswith("2024-11-21T08:34:27")][0]
    f = tmp_path / "iss.json"
    f.write_text(json.dumps(rec))
    code, out, err = _run(
        capsys, ["windows", "--site", "baikonur_31", "--omm-file", str(f), "--start", "2024-11-21", "--days", "1"]
    )
    assert code == 0, err
    assert "ascending" in out and "descending" in out and "2-day" in out
    # Progress MS-29 lifted off at 12:22 UTC; the listed (same-day profile) liftoff is 12:19-12:20
    assert "2024-11-21T12:19" in out or "2024-11-21T12:20" in out


def test_preset_unreachable_shows_cost(capsys):
    code, out, err = _run(
        capsys,
        [
            "windows",
            "--site",
            "plesetsk_43",
            "--preset",
            "iss_nominal",
            "--start",
            "2027-01-01",
            "--days",
            "2",
            "--json",
        ],
    )
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(r["direction"] == "closest" for r in rows)
    assert all(r["plane_change_dv_m_s"] > 1000 for r in rows)  # 11 deg plane change from 62.9 N


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["--site", "mars", "--preset", "iss"], "unknown launch site"),
        (["--site", "baikonur_31", "--preset", "nope"], "unknown preset"),
        (["--site", "baikonur_31", "--tle-file", "/no/such/file"], "file not found"),
        (["--site", "baikonur_31", "--preset", "iss", "--days", "1000"], "--days must be in (0, 731]"),
        (["--site", "baikonur_31", "--preset", "iss", "--start", "yesterday"], "start"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, argv, needle):
    full = ["windows"] + argv
    if "--start" not in argv:
        full += ["--start", "2027-01-01"]
    if "--days" not in argv:
        full += ["--days", "1"]
    code, out, err = _run(capsys, full)
    assert code == 2
    lines = [ln for ln in err.strip().splitlines() if ln]
    assert len(lines) == 1 and lines[0].startswith("sim: error:") and needle in lines[0], err


def test_malformed_element_files(tmp_path, capsys):
    bad_tle = tmp_path / "bad.tle"
    comment, l1, l2 = presets.iss_element_sets()[0]
    bad_tle.write_text(l1[:-1] + ("0" if l1[-1] != "0" else "1") + "\n" + l2 + "\n")  # wrong checksum
    bad_omm = tmp_path / "bad.json"
    bad_omm.write_text('{"OBJECT_NAME": "ISS"}')
    not_json = tmp_path / "x.json"
    not_json.write_text("{oops")
    for flag, path, needle in (
        ("--tle-file", bad_tle, "checksum"),
        ("--omm-file", bad_omm, "missing field"),
        ("--omm-file", not_json, "not valid JSON"),
    ):
        code, out, err = _run(
            capsys, ["windows", "--site", "baikonur_31", flag, str(path), "--start", "2027-01-01", "--days", "1"]
        )
        assert code == 2 and needle in err and len(err.strip().splitlines()) == 1, err


def test_circular_target_matches_the_library(capsys):
    from sim import launch
    from sim.orbits import Orbit

    argv = ["windows", "--site", "baikonur_31", "--circular", "415,51.6", "--raan", "-30", "--arglat", "40"]
    code, out, err = _run(capsys, argv + ["--start", "2027-03-01T06:00", "--days", "2", "--json"])
    assert code == 0, err
    rows = json.loads(out)
    # the same orbit built by hand: circular, epoch = --start, RAAN/arglat as given
    orbit = Orbit.circular(
        415.0, 51.6, -30.0, 40.0, epoch="2027-03-01T06:00", names=["circular 415 km 51.6 deg RAAN -30"]
    )
    assert rows == launch.windows(orbit, "baikonur_31", "2027-03-01T06:00:00", days=2).to_rows()
    assert [r["window"] for r in rows if r["direction"] == "ascending"] == ["in-plane"] * 2
    # The node sets the time: 30 deg more RAAN moves the in-plane instant 30 deg of Earth rotation
    # relative to the plane (~2 h, by the psi rate 360 deg per 23.6 h) later.
    code, out2, _ = _run(capsys, argv[:-3] + ["0", "--start", "2027-03-01T06:00", "--days", "2", "--json"])
    later = json.loads(out2)
    a, b = (next(r for r in x if r["direction"] == "ascending") for x in (rows, later))
    dt = seconds_between(to_time(a["in_plane_utc"])[0], to_time(b["in_plane_utc"])[0])
    psi_rate = (C.OMEGA_EARTH - orbit.nodal_rate_deg_per_day[0] * math.pi / 180 / 86400) * 180 / math.pi
    assert float(dt) % (360 / psi_rate) == pytest.approx(30.0 / psi_rate, abs=5.0)


def test_vostochny_to_51_6_is_a_closest_approach_dog_leg(capsys):
    argv = ["windows", "--site", "vostochny_1s", "--circular", "415,51.6", "--raan", "120"]
    code, out, err = _run(capsys, argv + ["--start", "2027-01-01", "--days", "3", "--json"])
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 3  # one closest approach per sidereal day
    assert {r["window"] for r in rows} == {"dog-leg"} and {r["direction"] for r in rows} == {"closest"}
    assert not any(r["in_plane"] for r in rows)
    # Independent reference: a due-east launch at the closest approach flies an orbit inclined by the
    # site's geocentric latitude (WGS84: tan(phi_c) = (1 - f)^2 tan(phi)), so the dog-leg is phi_c - 51.6 deg.
    f = 1 / 298.257223563
    phi_c = math.degrees(math.atan((1 - f) ** 2 * math.tan(math.radians(51.884167))))
    for r in rows:
        # 0.005 deg: the site's 278 m altitude shifts the geocentric latitude by 0.0008 deg
        assert r["plane_change_deg"] == pytest.approx(phi_c - 51.6, abs=0.005)
        assert r["azimuth_inertial_deg"] == pytest.approx(90.0, abs=1e-6)
    code, out, err = _run(capsys, argv + ["--start", "2027-01-01", "--days", "1"])
    assert code == 0 and "dog-leg" in out and "closest" in out and "in-plane  " not in out


@pytest.mark.parametrize(
    "extra,needle",
    [
        (["--circular", "415,51.6"], "--raan DEG is required with --circular"),
        (["--circular", "415,51.6", "--raan", "400"], "--raan must be in [-360, 360] deg"),
        (["--circular", "415,51.6", "--raan", "0", "--arglat", "-361"], "--arglat must be in [-360, 360] deg"),
        (["--circular", "415", "--raan", "0"], "--circular must be ALT,INC"),
        (["--circular", "50,51.6", "--raan", "0"], "--circular: altitude_km must be in (100"),
        (["--circular", "415,190", "--raan", "0"], "--circular: inclination_deg must be in [0, 180]"),
        (["--preset", "iss", "--raan", "10"], "--raan and --arglat go with --circular"),
    ],
)
def test_circular_option_errors_are_one_line(capsys, extra, needle):
    code, out, err = _run(capsys, ["windows", "--site", "baikonur_31", *extra, "--start", "2027-01-01", "--days", "1"])
    assert code == 2
    lines = [ln for ln in err.strip().splitlines() if ln]
    assert len(lines) == 1 and lines[0].startswith("sim: error:") and needle in lines[0], err
