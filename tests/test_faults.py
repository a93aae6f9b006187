"""Bad inputs and faults, as a careless user or an attacker would try them (issue 13).

Every case drives the command line in-process (``sim.cli.main([...])``) through
:func:`cli_fails`, which asserts what the issue promises for each of them:

* exit status 2;
* the message is a fixed number of lines (one, unless the case says otherwise: a scenario
  file's problem list is a header line plus one line per problem), and holds no traceback;
* every file the user had before is still there, byte for byte.

Sections: output paths (``--out``), the output swap under kills and concurrent runs,
reproducible outputs, names that would collide in metric keys, CSV formula injection,
command-line values blamed on their option. Other engineers add their fault classes
(input files, sweeps, library edges, physics edges) as further sections below.

We run as root here, so permission bits do not stop us: the "unwritable folder" case patches
``os.access`` (which ``sim.outputs`` consults, and which does answer False for root on a
read-only file system) instead of relying on ``chmod``.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

import pytest

from sim.cli import main
from sim.outputs import MARKER, OutputError, check_output_file, check_output_folder, csv_cell, reserve_folder
from sim.runner import AnalysisResult, metric_key
from sim.scenario import ScenarioError, parse_scenario

ROOT = Path(__file__).resolve().parents[1]

TINY = """
[scenario]
name = "tiny"
[time]
start = 2027-01-01T00:00:00
days = 0.05
step_s = 60
[[stations]]
name = "{name}"
preset = "ros_polar"
[outputs]
ground_track_hours = 0.5
"""


# ---------------------------------------------------------------- helpers


def snapshot(paths: Iterable[Path]) -> dict[Path, bytes]:
    """Contents of every file under ``paths`` (files or folders), to compare after a case."""
    out = {}
    for p in paths:
        p = Path(p)
        if p.is_file():
            out[p] = p.read_bytes()
        elif p.is_dir():
            out.update({q: q.read_bytes() for q in sorted(p.rglob("*")) if q.is_file()})
    return out


def run_cli(*argv) -> int:
    """``sim ARGV`` in this process (paths may be Path objects); its exit status."""
    return main([str(a) for a in argv])


def cli_fails(argv: list[str], capsys, *, match: str, keep: Iterable[Path] = (), lines: int = 1) -> str:
    """Run ``sim ARGV``; assert exit 2, ``lines`` lines of message matching ``match``, no traceback,
    and every file under ``keep`` unchanged. Returns the message."""
    before = snapshot(keep)
    assert before or not list(keep), "a case must protect at least one existing user file"
    rc = run_cli(*argv)
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "Traceback" not in err
    shown = [ln for ln in err.splitlines() if ln.strip()]
    assert len(shown) == lines, err
    assert shown[0].startswith("sim: error: ")
    assert re.search(match, err), err
    assert snapshot(keep) == before, "a user file was changed or lost"
    return err


@pytest.fixture
def scenario(tmp_path, monkeypatch) -> Path:
    """A one-station, 72-minute scenario file in a fresh working folder."""
    monkeypatch.chdir(tmp_path)
    p = tmp_path / "s.toml"
    p.write_text(TINY.format(name="A"))
    return p


@pytest.fixture
def no_compute(monkeypatch):
    """Any analysis run fails the test: output problems must be found before computing."""
    import sim.runner

    def forbidden(*a, **k):
        raise AssertionError("computed before checking the output path")

    monkeypatch.setattr(sim.runner, "run_scenario", forbidden)


def fake_output(folder: Path, text: str) -> None:
    """A minimal sim output folder (report.html + marker) written through the real swap."""
    with reserve_folder(folder) as dest, dest.staging() as tmp:
        (tmp / "report.html").write_text(text)
        dest.record("report.html")


# ---------------------------------------------------------------- output paths, checked before computing


def test_out_is_an_existing_file(scenario, capsys, no_compute):
    f = scenario.parent / "notes.txt"
    f.write_text("mine")
    cli_fails(["run", scenario, "--out", f], capsys, match="--out .*notes.txt is an existing file", keep=[f, scenario])


def test_out_below_a_file(scenario, capsys, no_compute):
    f = scenario.parent / "notes.txt"
    f.write_text("mine")
    cli_fails(
        ["run", scenario, "--out", "notes.txt/report"], capsys, match="--out .*notes.txt is a file", keep=[f, scenario]
    )


def test_out_is_the_scenario_file(scenario, capsys, no_compute):
    cli_fails(["run", scenario, "--out", scenario], capsys, match="is the input file", keep=[scenario])


def test_out_is_the_folder_holding_the_scenario(scenario, capsys, no_compute):
    (scenario.parent / "thesis.tex").write_text("years of work")
    cli_fails(
        ["run", scenario, "--out", "."], capsys, match="--out . holds the input file s.toml", keep=[scenario.parent]
    )


def test_out_folder_with_user_files_is_refused(scenario, capsys, no_compute):
    home = scenario.parent / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    cli_fails(
        ["run", scenario, "--out", home],
        capsys,
        match="not written by sim .*choose a new or empty folder",
        keep=[home, scenario],
    )


def test_user_file_added_to_a_sim_output_is_never_deleted(scenario, capsys):
    out = scenario.parent / "o"
    assert run_cli("run", scenario, "--out", out, "--no-progress") == 0
    capsys.readouterr()
    assert (out / MARKER).is_file()
    (out / "my_notes.md").write_text("keep me")
    (out / "tables" / "edited.csv").write_text("mine")
    err = cli_fails(
        ["run", scenario, "--out", out], capsys, match="holds files sim did not write", keep=[out, scenario]
    )
    assert "my_notes.md" in err and "tables/edited.csv" in err


def test_scenario_file_inside_its_own_output_folder(scenario, capsys):
    out = scenario.parent / "o"
    assert run_cli("run", scenario, "--out", out, "--no-progress") == 0
    capsys.readouterr()
    inside = out / "s.toml"
    inside.write_bytes(scenario.read_bytes())
    cli_fails(["run", inside, "--out", out], capsys, match="holds the input file s.toml", keep=[out])


def test_unwritable_folder(scenario, capsys, monkeypatch, no_compute):
    locked = scenario.parent / "locked"
    locked.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if Path(p) == locked else real(p, mode, **k))
    cli_fails(
        ["run", scenario, "--out", locked / "report"], capsys, match="--out .*locked is not writable", keep=[scenario]
    )


def test_validate_checks_the_output_folder_too(scenario, capsys):
    f = scenario.parent / "notes.txt"
    f.write_text("mine")
    cli_fails(
        ["validate", scenario, "--out", f], capsys, match="--out .*notes.txt is an existing file", keep=[f, scenario]
    )
    home = scenario.parent / "home"
    home.mkdir()
    (home / "a.txt").write_text("mine")
    cli_fails(["validate", scenario, "--out", home], capsys, match="not written by sim", keep=[home, scenario])
    assert run_cli("validate", scenario, "--out", scenario.parent / "new") == 0
    assert "output folder" in capsys.readouterr().out


def test_decay_out_checked_before_computing(tmp_path, capsys, monkeypatch):
    import sim.lifetime

    monkeypatch.setattr(sim.lifetime, "reboost_budget", lambda *a, **k: pytest.fail("computed first"))
    f = tmp_path / "figs"
    f.write_text("a file, not a folder")
    cli_fails(
        ["decay", "iss", "--solar", "low", "--out", f], capsys, match="--out .*figs is an existing file", keep=[f]
    )
    d = tmp_path / "d"
    (d / "lifetime_low.png").mkdir(parents=True)
    (d / "lifetime_low.png" / "x").write_text("mine")
    cli_fails(
        ["decay", "iss", "--solar", "low", "--out", d], capsys, match="lifetime_low.png in it is a folder", keep=[d]
    )


def test_demo_out_checked_before_computing(tmp_path, capsys, monkeypatch):
    import sim.groundtrack

    monkeypatch.setattr(sim.groundtrack, "ground_track", lambda *a, **k: pytest.fail("computed first"))
    f = tmp_path / "out"
    f.write_text("a file")
    cli_fails(["demo", "--out", f], capsys, match="--out .*out is an existing file", keep=[f])


def test_check_output_file_for_single_file_outputs(tmp_path):
    """What ``sim sweep --out FILE.nc`` uses: refuses a folder, an input file, a path below a file."""
    (tmp_path / "dir").mkdir()
    spec = tmp_path / "spec.toml"
    spec.write_text("x")
    with pytest.raises(OutputError, match="--out .*dir is a folder"):
        check_output_file(tmp_path / "dir")
    with pytest.raises(OutputError, match="is an input file"):
        check_output_file(spec, inputs=[spec])
    with pytest.raises(OutputError, match="spec.toml is a file"):
        check_output_file(spec / "x.nc")
    assert check_output_file(tmp_path / "new" / "x.nc") == (tmp_path / "new" / "x.nc").resolve()
    assert not (tmp_path / "new").exists()  # checking writes nothing
    assert spec.read_text() == "x"


def test_replace_false_allows_a_folder_with_other_files(tmp_path):
    (tmp_path / "mine.txt").write_text("x")
    assert check_output_folder(tmp_path, replace=False) == tmp_path.resolve()
    with pytest.raises(OutputError, match="not written by sim"):
        check_output_folder(tmp_path)


# ---------------------------------------------------------------- the swap: kills, leftovers, concurrent runs


def test_second_run_to_a_locked_folder_fails_at_once(scenario, capsys, no_compute):
    out = scenario.parent / "o"
    fake_output(out, "previous")
    with reserve_folder(out):  # another run holds the folder
        cli_fails(
            ["run", scenario, "--out", out],
            capsys,
            match=r"another sim run is writing .*o \(--out\)",
            keep=[out, scenario],
        )
    assert not (scenario.parent / ".o.lock").exists()  # released and removed


def test_lock_holds_across_processes(tmp_path):
    out = tmp_path / "o"
    code = textwrap.dedent(f"""
        from sim.outputs import OutputError, reserve_folder
        try:
            with reserve_folder({str(out)!r}):
                print("locked")
        except OutputError as exc:
            print(exc)
    """)
    with reserve_folder(out):
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert r.stdout.startswith("another sim run is writing"), r.stdout + r.stderr
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "locked"


def test_kill_between_the_renames_is_repaired_by_the_next_run(tmp_path):
    """A process killed (os._exit, no clean-up) right after the old report was moved aside:
    --out is missing; the next run puts the previous report back and removes the leftovers."""
    out = tmp_path / "o"
    code = textwrap.dedent(f"""
        import os
        from sim import outputs

        def write(text):
            with outputs.reserve_folder({str(out)!r}) as dest, dest.staging() as tmp:
                (tmp / "report.html").write_text(text)
                dest.record("report.html")

        write("previous")
        outputs._between_renames = lambda: os._exit(9)
        write("new")
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 9, r.stderr
    left = sorted(p.name for p in tmp_path.iterdir())
    assert "o" not in left and any(n.startswith(".o.old-") for n in left) and any(n.startswith(".o.tmp-") for n in left)
    with reserve_folder(out) as dest:
        assert any("restored the previous output" in m for m in dest.recovered)
    assert (out / "report.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_leftovers_of_a_killed_run_are_cleaned_but_user_files_kept(tmp_path):
    out = tmp_path / "o"
    fake_output(out, "current")
    stale_old = tmp_path / ".o.old-4242"  # killed after the second rename, before deleting the old one
    fake_output(stale_old, "older")
    (tmp_path / ".o.tmp-4243").mkdir()  # killed right after creating the temporary folder
    lookalike = tmp_path / ".o.tmp-notes"  # not sim's: holds a user file and no marker
    lookalike.mkdir()
    (lookalike / "n.txt").write_text("mine")
    with reserve_folder(out):
        pass
    assert (out / "report.html").read_text() == "current"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".o.tmp-notes", "o"]
    assert (lookalike / "n.txt").read_text() == "mine"


def test_old_layout_leftover_is_restored(tmp_path):
    """Before the marker, sim moved the old report to .DIR.old-XXXX/previous; it is restored too."""
    out = tmp_path / "o"
    prev = tmp_path / ".o.old-k3j_x9" / "previous"
    prev.mkdir(parents=True)
    (prev / "summary.json").write_text(json.dumps({"schema": "sim.summary/1", "files": {"report": "report.html"}}))
    (prev / "report.html").write_text("previous")
    with reserve_folder(out):
        pass
    assert (out / "report.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_failed_second_rename_puts_the_previous_report_back(tmp_path, monkeypatch):
    out = tmp_path / "o"
    fake_output(out, "previous")
    real = os.rename

    def rename(a, b):
        if Path(a).name.startswith(".o.tmp-"):
            raise OSError(28, "No space left on device")
        real(a, b)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError):
        fake_output(out, "new")
    assert (out / "report.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_folder_written_before_the_marker_is_still_replaced(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "summary.json").write_text(
        json.dumps({"schema": "sim.summary/1", "files": {"report": "report.html", "tables": ["tables/m.csv"]}})
    )
    (out / "report.html").write_text("old")
    (out / "tables").mkdir()
    (out / "tables" / "m.csv").write_text("a")
    fake_output(out, "new")
    assert (out / "report.html").read_text() == "new" and not (out / "tables").exists()


# ---------------------------------------------------------------- reproducible outputs


def _png_chunks(data: bytes) -> list[bytes]:
    pos, out = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos : pos + 8])
        out.append(kind)
        pos += 12 + n
    return out


def test_rerun_is_byte_identical_and_dated_only_by_source_date_epoch(scenario, capsys, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a, b = scenario.parent / "a", scenario.parent / "b"
    assert run_cli("run", scenario, "--out", a, "--no-progress") == 0
    assert run_cli("run", scenario, "--out", b, "--no-progress") == 0
    fa, fb = snapshot([a]), snapshot([b])
    assert [p.relative_to(a) for p in fa] == [p.relative_to(b) for p in fb]
    assert list(fa.values()) == list(fb.values())
    html = (a / "report.html").read_text()
    assert "Generated by sim" in html and " on 20" not in html
    pngs = [p for p in fa if p.suffix == ".png"]
    assert pngs and all(set(_png_chunks(fa[p])) <= {b"IHDR", b"pHYs", b"IDAT", b"IEND"} for p in pngs)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
    assert run_cli("run", scenario, "--out", a, "--no-progress") == 0
    assert "Generated by sim 0.1.0 on 2027-01-01T00:00:00Z." in (a / "report.html").read_text()


def test_bad_source_date_epoch_is_reported_before_computing(scenario, capsys, monkeypatch, no_compute):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    cli_fails(["run", scenario, "--out", "o"], capsys, match="SOURCE_DATE_EPOCH must be whole seconds", keep=[scenario])


# ---------------------------------------------------------------- names that would collide in metric keys

GEO = {
    "type": "Feature",
    "properties": {},
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[35.0, 54.0], [40.0, 54.0], [40.0, 57.0], [35.0, 57.0], [35.0, 54.0]]],
    },
}


@pytest.mark.parametrize(
    "regions, match",
    [
        ('{name = "box", geojson = "b.geojson"}, {name = "box", geojson = "b.geojson"}', "'box' is used twice"),
        (
            '{name = "Box A", geojson = "b.geojson"}, {name = "box_a", geojson = "b.geojson"}',
            "'box_a' gives the same metric key 'box_a' as 'Box A'",
        ),
        ('{name = "Russia", geojson = "b.geojson"}', "'Russia' is taken by the built-in region 'russia'"),
        ('{name = "land", geojson = "b.geojson"}', "'land' is taken by the built-in region"),
    ],
)
def test_region_names_that_collide_are_refused(scenario, capsys, regions, match):
    (scenario.parent / "b.geojson").write_text(json.dumps(GEO))
    scenario.write_text(TINY.format(name="A") + f"[coverage]\nregions = []\ngeojson_regions = [{regions}]\n")
    cli_fails(["validate", scenario], capsys, match="coverage.geojson_regions: name " + match, lines=2, keep=[scenario])


def test_site_keys_that_collide_are_refused(scenario, capsys):
    scenario.write_text(
        TINY.format(name="A") + '[launch]\nsites = ["baikonur_31"]\ncustom_sites = '
        '[{key = "Baikonur-31", latitude_deg = 45.9, longitude_deg = 63.3}]\n'
    )
    cli_fails(
        ["validate", scenario],
        capsys,
        match="launch.custom_sites: key 'Baikonur-31' gives the same metric key",
        lines=2,
        keep=[scenario],
    )


def test_metric_keys_are_unique_per_analysis():
    """The runner refuses to report two values under one key (a bug, since validation keeps names apart)."""
    assert metric_key("Russia A") == metric_key("russia_a") == "russia_a"
    res = AnalysisResult("coverage", "Coverage")
    res.metric("russia_a.seen_pct", "a", "%", "d", [1.0], ["S"])
    with pytest.raises(RuntimeError, match="bug: metric key 'coverage.russia_a.seen_pct' is produced twice"):
        res.metric("russia_a.seen_pct", "b", "%", "d", [2.0], ["S"])


# ---------------------------------------------------------------- CSV formula injection


@pytest.mark.parametrize(
    "cell, written",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-5.2", "-5.2"),  # negative numbers are data
        ("+3e4", "+3e4"),
        (-5.2, -5.2),
        ("2027-01-01T00:00:00", "2027-01-01T00:00:00"),
        ("ISS", "ISS"),
        (None, ""),
    ],
)
def test_csv_cells_are_neutralised(cell, written):
    assert csv_cell(cell) == written


def test_station_named_like_a_formula_is_written_inert(scenario, capsys):
    scenario.write_text(TINY.format(name="=HYPERLINK(1)"))
    out = scenario.parent / "o"
    assert run_cli("run", scenario, "--out", out, "--no-progress") == 0
    header = (out / "tables" / "metrics.csv").read_text().splitlines()[0]
    assert header.startswith("metric,label,unit,")
    assert "'=HYPERLINK" in header and ",=HYPERLINK" not in header and ',"=HYPERLINK' not in header


# ---------------------------------------------------------------- command-line values blamed on the option


@pytest.mark.parametrize("days", ["-1", "0", "nan", "inf", "1e9"])
def test_run_days_blamed_on_the_option(scenario, capsys, days, no_compute):
    err = cli_fails(
        ["run", scenario, "--days", days], capsys, match=r"--days must be in \(0, 731\] days", keep=[scenario]
    )
    assert "s.toml" not in err and "line" not in err


@pytest.mark.parametrize("days", ["-1", "0"])
def test_validate_and_windows_days_blamed_on_the_option(scenario, capsys, days):
    cli_fails(["validate", scenario, "--days", days], capsys, match=r"--days must be in", keep=[scenario])
    cli_fails(
        ["windows", "--site", "baikonur_31", "--preset", "iss", "--start", "2027-01-01", "--days", days],
        capsys,
        match=r"--days must be in \(0, 731\] days",
        keep=[scenario],
    )


def test_days_too_many_steps_names_the_option(scenario, capsys):
    scenario.write_text(TINY.format(name="A").replace("step_s = 60", "step_s = 10"))
    err = cli_fails(
        ["validate", scenario, "--days", "300"],
        capsys,
        match=r"time steps.*\(days from --days 300",
        lines=2,
        keep=[scenario],
    )
    assert "time:" in err


def test_library_overrides_blamed_on_the_given_option():
    with pytest.raises(ScenarioError) as info:
        parse_scenario(TINY.format(name="A"), overrides={"time.days": -2.0}, blame={"time.days": "--days"})
    (p,) = info.value.problems
    assert p.path == "--days" and p.line is None and "greater than 0" in p.message


# ---------------------------------------------------------------- input files: regular, capped, inside, not echoed
# A scenario names element-set and GeoJSON files; sim reads them (and the scenario itself) through
# sim.inputs: regular files only, size caps, paths inside the scenario's folder, echoes capped.


def iss_tle() -> str:
    """The newest shipped ISS element set (two lines)."""
    from sim.presets import iss_element_sets

    return "\n".join(iss_element_sets()[-1][1:]) + "\n"


def with_station(scenario: Path, key: str, value: str) -> None:
    """The tiny scenario with a second station whose orbit source is ``key = value``."""
    scenario.write_text(TINY.format(name="A") + f'[[stations]]\nname = "B"\n{key} = "{value}"\n')


def with_region(scenario: Path, geojson: str) -> None:
    scenario.write_text(
        TINY.format(name="A")
        + f'[coverage]\nregions = []\ngeojson_regions = [{{name = "box", geojson = "{geojson}"}}]\n'
    )


@pytest.fixture
def alarm():
    """A guard: a case that would block (a FIFO opened for reading) fails after 20 s instead of
    hanging the suite. Only a regression ever reaches it; the time does not depend on speed."""
    import signal

    def timeout(*_):
        raise TimeoutError("blocked reading an input file: a FIFO was opened")

    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("key", ["tle_file", "omm_file"])
def test_element_file_that_is_a_fifo_is_refused_without_blocking(scenario, capsys, alarm, key):
    os.mkfifo(scenario.parent / "pipe")
    with_station(scenario, key, "pipe")
    cli_fails(
        ["validate", scenario],
        capsys,
        match=f"stations.1.: {key} 'pipe': is a FIFO .*not a regular file",
        lines=2,
        keep=[scenario],
    )


def test_geojson_that_is_a_fifo_is_refused_without_blocking(scenario, capsys, alarm):
    os.mkfifo(scenario.parent / "pipe.geojson")
    with_region(scenario, "pipe.geojson")
    cli_fails(["validate", scenario], capsys, match="'pipe.geojson': is a FIFO", lines=2, keep=[scenario])


def test_scenario_that_is_a_fifo_is_refused_without_blocking(scenario, capsys, alarm):
    pipe = scenario.parent / "s2.toml"
    os.mkfifo(pipe)
    cli_fails(["validate", pipe], capsys, match="s2.toml: 1 problem", lines=2, keep=[scenario])
    cli_fails(["run", pipe, "--out", "o"], capsys, match="s2.toml: 1 problem", lines=2, keep=[scenario])


@pytest.mark.parametrize("key", ["tle_file", "omm_file"])
def test_dev_zero_as_element_file_is_refused(scenario, capsys, key):
    with_station(scenario, key, "/dev/zero")
    err = cli_fails(
        ["validate", scenario, "--allow-outside-paths"],
        capsys,
        match="'/dev/zero': is a device",
        lines=2,
        keep=[scenario],
    )
    assert "MemoryError" not in err


def test_dev_zero_as_scenario_and_as_windows_input(scenario, capsys):
    cli_fails(["validate", "/dev/zero"], capsys, match=r"/dev/zero: 1 problem", lines=2, keep=[scenario])
    for flag in ("--tle-file", "--omm-file"):
        cli_fails(
            ["windows", "--site", "baikonur_31", flag, "/dev/zero", "--start", "2027-01-01", "--days", "1"],
            capsys,
            match=f"{flag} '/dev/zero': is a device, not a regular file",
            keep=[scenario],
        )


def test_windows_element_file_that_is_a_fifo_or_folder(scenario, capsys, alarm):
    os.mkfifo(scenario.parent / "pipe")
    (scenario.parent / "dir").mkdir()
    for path, what in (("pipe", "a FIFO"), ("dir", "a folder")):
        cli_fails(
            ["windows", "--site", "baikonur_31", "--tle-file", path, "--start", "2027-01-01", "--days", "1"],
            capsys,
            match=f"--tle-file '{path}': is {what}",
            keep=[scenario],
        )


def test_sweep_spec_that_is_a_device(scenario, capsys):
    cli_fails(["sweep", "--spec", "/dev/zero"], capsys, match="--spec '/dev/zero': is a device", keep=[scenario])


@pytest.mark.parametrize("key, name", [("tle_file", "big.tle"), ("omm_file", "big.json")])
def test_element_file_over_the_size_cap(scenario, capsys, key, name):
    from sim.inputs import MAX_ELEMENT_FILE_BYTES

    with open(scenario.parent / name, "wb") as fh:  # sparse: no disk used
        fh.truncate(MAX_ELEMENT_FILE_BYTES + 1)
    with_station(scenario, key, name)
    cli_fails(["validate", scenario], capsys, match="input files may hold at most 10 MiB", lines=2, keep=[scenario])


def test_scenario_over_the_size_cap(scenario, capsys):
    from sim.inputs import MAX_SCENARIO_BYTES

    big = scenario.parent / "big.toml"
    big.write_text(TINY.format(name="A") + "# " + "x" * MAX_SCENARIO_BYTES + "\n")
    cli_fails(["validate", big], capsys, match="input files may hold at most 1 MiB", lines=2, keep=[scenario, big])


def test_scenario_that_is_a_folder(scenario, capsys):
    (scenario.parent / "d.toml").mkdir()
    cli_fails(["validate", "d.toml"], capsys, match="is a folder, not a scenario file", lines=2, keep=[scenario])


@pytest.mark.parametrize(
    "key, value",
    [
        ("tle_file", "../secret.tle"),
        ("tle_file", "{outside}/secret.tle"),
        ("omm_file", "../secret.json"),
        ("tle_file", "link.tle"),  # a symbolic link leading out of the folder
        ("geojson", "../secret.geojson"),
    ],
)
def test_scenario_paths_must_stay_inside_its_folder(tmp_path, capsys, monkeypatch, key, value):
    home = tmp_path / "work"
    home.mkdir()
    monkeypatch.chdir(home)
    (tmp_path / "secret.tle").write_text(iss_tle())
    (tmp_path / "secret.json").write_text("[]")
    (tmp_path / "secret.geojson").write_text(json.dumps(GEO))
    (home / "link.tle").symlink_to(tmp_path / "secret.tle")
    s = home / "s.toml"
    value = value.format(outside=tmp_path)
    if key == "geojson":
        with_region(s, value)
    else:
        with_station(s, key, value)
    cli_fails(
        ["validate", s],
        capsys,
        match="is outside the scenario file's folder.*--allow-outside-paths",
        lines=2,
        keep=[s, tmp_path / "secret.tle"],
    )


def test_allow_outside_paths_reads_them(tmp_path, capsys, monkeypatch):
    from sim.scenario import load_scenario

    home = tmp_path / "work"
    home.mkdir()
    monkeypatch.chdir(home)
    (tmp_path / "iss.tle").write_text(iss_tle())
    s = home / "s.toml"
    with_station(s, "tle_file", "../iss.tle")
    assert run_cli("validate", s, "--allow-outside-paths") == 0
    assert "OK: 2 stations (A, B)" in capsys.readouterr().out
    sc = load_scenario(s, allow_outside_paths=True)
    assert sc.station_names == ["A", "B"]
    with pytest.raises(ScenarioError, match="outside the scenario file's folder"):
        load_scenario(s)


def test_messages_do_not_echo_a_file(scenario, capsys):
    """A file of secrets that looks like a TLE: the message quotes at most 40 characters of it."""
    secret = "1 " + "S3CRET-" * 9 + "1234"  # 69 characters, starts like line 1
    line2 = "2 " + "PASSWORD" * 8 + "1234567"[:3]
    (scenario.parent / "x.tle").write_text(f"{secret[:69]}\n{line2[:69]}\n")
    with_station(scenario, "tle_file", "x.tle")
    err = cli_fails(["validate", scenario], capsys, match="'x.tle'", lines=2, keep=[scenario])
    assert "S3CRET-" * 6 not in err and "PASSWORD" * 5 not in err
    quoted = re.findall(r"'[^']*'", err)
    assert quoted and max(len(q) for q in quoted) <= 40


def test_non_element_file_is_not_echoed(scenario, capsys):
    (scenario.parent / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n" * 3)
    with_station(scenario, "tle_file", "passwd")
    err = cli_fails(["validate", scenario], capsys, match="holds no two-line element set", lines=2, keep=[scenario])
    assert "root:x" not in err


def test_long_value_in_scenario_is_echoed_short(scenario, capsys):
    scenario.write_text(TINY.format(name="A").replace("days = 0.05", 'days = "' + "9" * 200 + 'x"'))
    err = cli_fails(["validate", scenario], capsys, match="time.days", lines=2, keep=[scenario])
    assert "9" * 41 not in err


def test_non_utf8_element_file(scenario, capsys):
    (scenario.parent / "x.tle").write_bytes(b"1 \xff\xfe\n")
    with_station(scenario, "tle_file", "x.tle")
    cli_fails(
        ["validate", scenario],
        capsys,
        match=r"'x.tle': is not UTF-8 text \(byte 2 on line 1\)",
        lines=2,
        keep=[scenario],
    )


def test_byte_order_mark_is_accepted(scenario, capsys):
    scenario.write_bytes(b"\xef\xbb\xbf" + TINY.format(name="A").encode())
    assert run_cli("validate", scenario) == 0
    assert "OK: 1 station (A)" in capsys.readouterr().out
    (scenario.parent / "x.tle").write_bytes(b"\xef\xbb\xbf" + iss_tle().encode())  # in an element file too
    with_station(scenario, "tle_file", "x.tle")
    assert run_cli("validate", scenario) == 0


# ---------------------------------------------------------------- GeoJSON content


@pytest.mark.parametrize(
    "obj, match",
    [
        ({"type": "FeatureCollection", "features": [None]}, "feature 0 is null, not a Feature object"),
        ({"type": "FeatureCollection", "features": [GEO, 5]}, r"feature 1 is a number \(5\), not a Feature"),
        ({"type": "FeatureCollection", "features": None}, "'features' must be a list of Feature objects, got null"),
        (
            {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": "x"}]},
            "'geometry' must be an object or null",
        ),
        ({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": None}}, "needs 'coordinates'"),
        (
            {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]},
            "is empty: it holds no polygon",
        ),
        (
            {"type": "Polygon", "coordinates": [[[-180, -80], [180, -80], [180, 80], [-180, 80], [-180, -80]]]},
            "runs all the way around the Earth",
        ),
    ],
)
def test_bad_geojson_content(scenario, capsys, obj, match):
    (scenario.parent / "b.geojson").write_text(json.dumps(obj))
    with_region(scenario, "b.geojson")
    err = cli_fails(["validate", scenario], capsys, match=match, lines=2, keep=[scenario])
    assert "AttributeError" not in err and "TypeError" not in err


# ---------------------------------------------------------------- booleans are not numbers


@pytest.mark.parametrize(
    "old, new, match",
    [
        ("days = 0.05", "days = true", "time.days: expected a number, got the boolean true"),
        ("step_s = 60", "step_s = false", "time.step_s: expected a number, got the boolean false"),
        ("ground_track_hours = 0.5", "ground_track_hours = 0.5\ndpi = true", "outputs.dpi: expected a number"),
        (
            "ground_track_hours = 0.5",
            "ground_track_hours = 0.5\nfigures = 1",
            "outputs.figures: Input should be a valid boolean",
        ),
    ],
)
def test_booleans_are_not_numbers(scenario, capsys, old, new, match):
    scenario.write_text(TINY.format(name="A").replace(old, new))
    cli_fails(["validate", scenario], capsys, match=match, lines=2, keep=[scenario])


# ---------------------------------------------------------------- validate refuses what run would refuse

RADIATION_2031 = TINY.replace("2027-01-01", "2031-01-01") + "[environment]\nbeta = false\neclipses = false\n"
LOW_LIFETIME = TINY.replace('preset = "ros_polar"', "circular = {{altitude_km = 100.5, inclination_deg = 51.6}}") + (
    '[lifetime]\nsolar_activity = ["low"]\ndecay_days = 1\n'
)


@pytest.mark.parametrize("command", ["validate", "run"])
def test_radiation_after_the_igrf_years(scenario, capsys, no_compute, command):
    scenario.write_text(RADIATION_2031.format(name="A"))
    cli_fails(
        [command, scenario],
        capsys,
        match=r"s.toml:\d+: environment.radiation: the IGRF-14 field covers 1900-2030, got the year 2031",
        lines=2,
        keep=[scenario],
    )


@pytest.mark.parametrize("command", ["validate", "run"])
def test_orbit_below_the_reentry_altitude_with_lifetime(scenario, capsys, no_compute, command):
    scenario.write_text(LOW_LIFETIME.format(name="A"))
    cli_fails(
        [command, scenario],
        capsys,
        match=r"lifetime: perigee at or below the re-entry altitude 120 km .*A \(100.5 km\)",
        lines=2,
        keep=[scenario],
    )


def test_radiation_before_2030_and_lifetime_above_120_km_validate(scenario, capsys):
    scenario.write_text(RADIATION_2031.format(name="A").replace("2031-01-01", "2029-12-20"))
    assert run_cli("validate", scenario) == 0
    scenario.write_text(LOW_LIFETIME.format(name="A").replace("100.5", "200"))
    assert run_cli("validate", scenario) == 0


# ---------------------------------------------------------------- element-set age

OLD_ISS = TINY.replace('preset = "ros_polar"', 'preset = "iss"')


def test_old_element_set_warns_once_per_station(scenario, capsys):
    scenario.write_text(OLD_ISS.format(name="ISS") + '[[stations]]\nname = "P"\npreset = "ros_polar"\n')
    assert run_cli("validate", scenario) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1  # the ISS only: ros_polar is an analytic orbit
    assert re.match(
        r"warning: ISS: the analysis starts 50\d\.\d days after the element set's epoch "
        r"\(2025-08-10T\d\d:\d\d:\d\d UTC; more than 14 days\)",
        err[0],
    ), err


def test_recent_element_set_does_not_warn(scenario, capsys):
    from sim.scenario import MAX_ELEMENT_AGE_DAYS

    assert MAX_ELEMENT_AGE_DAYS == 14.0
    scenario.write_text(OLD_ISS.format(name="ISS").replace("2027-01-01", "2025-08-20"))
    assert run_cli("validate", scenario) == 0
    assert capsys.readouterr().err == ""


def test_report_shows_element_age(scenario, capsys):
    scenario.write_text(OLD_ISS.format(name="ISS"))
    out = scenario.parent / "o"
    assert run_cli("run", scenario, "--out", out, "--no-progress") == 0
    assert "warning: ISS: the analysis starts" in capsys.readouterr().err
    import csv

    head, row = list(csv.reader((out / "tables" / "orbit_elements.csv").read_text().splitlines()))[:2]
    age = float(row[head.index("element_age_days")])
    summary = json.loads((out / "summary.json").read_text())
    # epoch 2025-08-10T11:37 UTC, start 2027-01-01T00:00: 508.5 days (to 0.01 day)
    assert age == pytest.approx(508.52, abs=0.01)
    assert summary["stations"][0]["element_age_days"] == pytest.approx(age, abs=1e-3)
    assert "Age at start (days)" in (out / "report.html").read_text()


def test_windows_warns_about_an_old_element_set(capsys):
    assert run_cli("windows", "--site", "baikonur_31", "--preset", "iss", "--start", "2027-01-01", "--days", "0.2") == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("warning: ISS: the analysis starts 508.5 days after")


# ---------------------------------------------------------------- sim windows options blamed on the option


def test_negative_site_coordinates_need_no_equals_sign(capsys):
    assert run_cli("windows", "--site", "-5.2,-52.8", "--preset", "ros_51", "--start", "2027-01-01", "--days", "1") == 0
    out = capsys.readouterr().out
    assert "from site at -5.2000, -52.8000" in out
    assert run_cli("windows", "--site=-5.2,-52.8", "--preset", "ros_51", "--start", "2027-01-01", "--days", "1") == 0
    assert capsys.readouterr().out == out


@pytest.mark.parametrize(
    "argv, match",
    [
        (["--site", "-95,10"], "latitude"),
        (["--start", "2027-13-01"], r"--start: expected an ISO 8601 UTC date-time .*got '2027-13-01'"),
        (["--start", "1900-01-01"], r"--start: date-time must be between 1957 and 2100"),
        (["--lead-s", "-5000"], r"--lead-s must be in \[-3600, 3600\] s"),
    ],
)
def test_windows_values_blamed_on_their_option(scenario, capsys, argv, match):
    base = {"--site": "baikonur_31", "--start": "2027-01-01", "--days": "1"}
    base.update(dict(zip(argv[::2], argv[1::2])))
    args = ["windows", "--preset", "ros_51"] + [x for kv in base.items() for x in kv] + argv[2:]
    err = cli_fails(args, capsys, match=match, keep=[scenario])
    assert len(err) < 300
