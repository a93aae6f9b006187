"""Look at the report as a reader would: render report.html in headless Chromium.

Needs Debian's ``chromium`` package (``make test`` installs it when missing; by hand:
``apt-get update && apt-get install -y chromium``). This test installs nothing itself and
is never skipped: without Chromium it fails and says how to get it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from sim.report import write_outputs
from sim.runner import run_scenario
from sim.scenario import load_scenario

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _chromium() -> str:
    for name in _CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    pytest.fail(
        "headless Chromium is needed to render report.html and was not found (looked for "
        f"{', '.join(_CANDIDATES)}). Install Debian's package: "
        "`apt-get update && apt-get install -y chromium` (`make test` does this when run as root)."
    )


def _run_chromium(args: list[str], tmp: Path, timeout: float = 120.0) -> subprocess.CompletedProcess:
    exe = _chromium()
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-extensions",
        f"--user-data-dir={tmp / 'chromium-profile'}",
        "--allow-file-access-from-files",
        *args,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}"
    return proc


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """A short flagship report (every analysis; revisit maps are checked in test_runner)."""
    p = ROOT / "scenarios" / "iss_vs_ros.toml"
    sc = load_scenario(
        p,
        overrides={
            "time.days": 1.0,
            "coverage.within_days": [1.0],
            "coverage.cell_km": 150.0,
            "coverage.step_s": 60.0,
            "coverage.maps": [],
            "ground_stations.days": 0.5,
            "launch.days": 2.0,
            "environment.days": 1.0,
            "lifetime.decay_days": 3.0,
            "lifetime.years": 0.02,
            "lifetime.solar_activity": ["moderate"],
        },
    )
    out = tmp_path_factory.mktemp("browser") / "report"
    write_outputs(run_scenario(sc, progress=False), out)
    return sc, out


def test_report_renders_with_every_station_table_and_figure(report, tmp_path):
    sc, out = report
    summary = json.loads((out / "summary.json").read_text())
    n_fig = len(summary["files"]["figures"])
    assert n_fig >= 6
    # A copy of the page with a probe that reports, after load, what the browser actually shows:
    # the visible text, the tables, and for every image whether it decoded and at what size.
    probe = tmp_path / "probe.html"
    probe.write_text(
        (out / "report.html")
        .read_text()
        .replace(
            "</body>",
            """<script>
window.addEventListener('load', function () {
  var imgs = Array.from(document.images).map(function (i) {
    return {ok: i.complete && i.naturalWidth > 0, w: i.naturalWidth, h: i.naturalHeight,
            shown_w: i.getBoundingClientRect().width, shown_h: i.getBoundingClientRect().height}; });
  var tables = Array.from(document.querySelectorAll('table')).map(function (t) { return t.rows.length; });
  var captions = Array.from(document.querySelectorAll('figure')).map(function (f) {
    var c = f.querySelector('figcaption'), i = f.querySelector('img');
    var below = c && i ? c.getBoundingClientRect().top >= i.getBoundingClientRect().bottom - 1 : false;
    return {text: c ? c.innerText : '', below: below}; });
  var answer = document.getElementById('answer');
  var head = document.querySelector('table.headline');
  var first = answer ? {top: answer.getBoundingClientRect().top + window.scrollY,
                        rows: head ? head.rows.length : 0} : null;
  var pre = document.createElement('pre');
  pre.id = 'probe-result';
  pre.textContent = JSON.stringify({images: imgs, tables: tables, captions: captions, answer: first,
                                    text: document.body.innerText});
  document.body.appendChild(pre);
});
</script></body>""",
        )
    )
    dom = _run_chromium(["--virtual-time-budget=10000", "--dump-dom", probe.as_uri()], tmp_path).stdout
    m = re.search(r'<pre id="probe-result">(.*?)</pre>', dom, re.S)
    assert m, "the probe did not run: the page did not finish loading in Chromium"
    import html as _html

    result = json.loads(_html.unescape(m.group(1)))
    images = result["images"]
    assert len(images) == n_fig
    for img in images:  # every figure decoded and is displayed at a readable size
        assert img["ok"] and img["w"] >= 300 and img["h"] >= 200, img
        assert img["shown_w"] >= 300, img
    text = result["text"]
    for name in sc.station_names:
        assert name in text
    for heading in ("Side-by-side summary", "Definitions", "Element sets and model choices", "Software"):
        assert heading in text
    # every figure says what to see: a caption sentence under it (the one in summary.json)
    captions = [c for a in summary["analyses"].values() for c in a["captions"].values()]
    assert len(result["captions"]) == n_fig == len(captions)
    for shown in result["captions"]:
        assert shown["below"] and len(shown["text"]) > 40, shown
        assert any(shown["text"].startswith(c[:40]) for c in captions), shown
    # the answer first: the claims table opens the page, within the first screen (900 px)
    assert result["answer"] is not None and result["answer"]["top"] < 900 and result["answer"]["rows"] >= 6
    n_metrics = len(summary["metrics"])
    assert max(result["tables"]) >= n_metrics + 1  # the side-by-side table holds every metric row


def test_screenshot_is_not_blank(report, tmp_path):
    sc, out = report
    shot = tmp_path / "report.png"
    _run_chromium(
        [
            "--window-size=1280,9000",  # the claims table opens the page: figures start lower
            "--virtual-time-budget=10000",
            f"--screenshot={shot}",
            (out / "report.html").as_uri(),
        ],
        tmp_path,
    )
    assert shot.is_file() and shot.stat().st_size > 50_000
    import matplotlib.image as mpimg

    img = mpimg.imread(shot)[..., :3]  # floats in 0..1
    assert img.shape[0] >= 4000 and img.shape[1] >= 1200
    grey = img.mean(axis=2)
    # not blank: a real share of the page is ink (text, table rules, figures), not background
    assert (grey < 0.8).mean() > 0.03
    # the station colours (legend chips and figure lines) are on the page
    for colour in sc.colours():
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
        near = np.all(np.abs(img - rgb) < 0.08, axis=2)
        assert near.sum() > 200, f"station colour {colour} barely visible in the screenshot"
    # figures make the page colourful: many distinct colours, not just text on white
    q = (img * 31).astype(np.int32)
    assert len(np.unique(q[..., 0] * 1024 + q[..., 1] * 32 + q[..., 2])) > 500
    keep = Path(out).parent / "report_screenshot.png"  # kept beside the report for a human to look at
    shutil.copy(shot, keep)
