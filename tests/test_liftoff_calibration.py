"""The liftoff lead of sim.launch, calibrated on real Soyuz/Progress launches from Baikonur to the ISS.

``sim/data/liftoff_sample.csv`` holds the sample (liftoff to the second from public records, each
with its source, the profile flown and the real ISS element set used) and the model's values for
it. These tests recompute the values from the element sets, so a change of the data or of the
window model that moves a launch's lead by more than the CSV's rounding fails here, and the
default lead and the liftoff interval must follow the recomputed statistics.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from sim import constants as C
from sim import launch, presets
from sim.orbits import Orbit
from sim.timeutil import seconds_between, to_time


@pytest.fixture(scope="module")
def sample():
    return launch.liftoff_sample()


@pytest.fixture(scope="module")
def mean_cal():
    return launch.lead_calibration("mean")


def test_sample_is_real_launches_with_sources(sample):
    assert len(sample) >= 10
    missions = [r["mission"] for r in sample]
    assert len(set(missions)) == len(missions)
    assert all(m.startswith(("Soyuz MS-", "Progress MS-")) for m in missions)
    assert {r["site"] for r in sample} <= {"baikonur_31", "baikonur_1"}
    for r in sample:
        assert float(r["liftoff_precision_s"]) <= 1.0, r["mission"]  # liftoff to the second
        assert r["profile"] in {p.name for p in launch.DEFAULT_PROFILES}, r["mission"]
        assert "." in r["liftoff_source"] and "/" in r["liftoff_source"], r["mission"]  # a page address
        # plane timing tolerates a few weeks of element-set age (10.7 s for 32 days, module docstring)
        assert abs(float(r["element_age_days"])) <= 40.0, r["mission"]


def _node_rate_deg_per_day(orbit: Orbit) -> float:
    """Secular J2 node rate written out (Vallado eq. 9-41), independent of sim.propagation.j2."""
    a, e, i = float(orbit.a[0]), float(orbit.ecc[0]), float(orbit.inc[0])
    n = math.sqrt(C.MU_EARTH / a**3)
    p = a * (1 - e * e)
    return math.degrees(-1.5 * n * C.J2 * (C.R_EARTH / p) ** 2 * math.cos(i)) * 86400.0


def test_added_element_sets_chain_with_the_validated_ones():
    # The sets found for the sample (sim/data/iss_tle_launch_sample.txt) must be real: checksums
    # (from_tle checks them), revolution number and node consistent with the nearest validated set.
    text = (launch.resources.files("sim") / "data" / launch.LAUNCH_SAMPLE_TLE_FILE).read_text()
    lines = text.splitlines()
    pairs = [(a, b) for a, b in zip(lines, lines[1:]) if a.startswith("1 ") and b.startswith("2 ")]
    assert len(pairs) == 3
    validated = [Orbit.from_tle(l1, l2) for _, l1, l2 in presets.iss_element_sets()]
    for l1, l2 in pairs:
        o = Orbit.from_tle(l1, l2)
        ref = min(validated, key=lambda v: abs(float(seconds_between(v.epoch[0], o.epoch[0]))))
        days = float(seconds_between(ref.epoch[0], o.epoch[0])) / 86400.0
        assert abs(days) < 40.0
        rate = 0.5 * (_node_rate_deg_per_day(ref) + _node_rate_deg_per_day(o))
        predicted = math.degrees(float(ref.raan[0])) + rate * days
        miss = (math.degrees(float(o.raan[0])) - predicted + 180.0) % 360.0 - 180.0
        # 0.05 deg: drag changes the node rate by ~0.1% over a month (0.005 deg), element noise ~0.01 deg;
        # a fabricated set with a reused or invented RAAN misses by degrees.
        assert abs(miss) < 0.05, (l1, miss)
        revs_per_day = 0.5 * (ref.satrecs[0].no_kozai + o.satrecs[0].no_kozai) * 1440.0 / (2 * math.pi)
        assert abs(o.satrecs[0].revnum - (ref.satrecs[0].revnum + revs_per_day * days)) < 1.0, l1


@pytest.mark.parametrize("plane,column", [("mean", "lead_s"), ("osculating", "lead_osculating_s")])
def test_recomputed_leads_match_the_shipped_table(sample, mean_cal, plane, column):
    cal = mean_cal if plane == "mean" else launch.lead_calibration(plane)
    assert cal.missions == tuple(r["mission"] for r in sample)
    # 0.06 s: the CSV rounds to 0.1 s; the windows are solved to 1 ms.
    np.testing.assert_allclose(cal.lead_s, [float(r[column]) for r in sample], atol=0.06)
    if plane == "mean":
        np.testing.assert_allclose(cal.offset_s, [float(r["offset_s"]) for r in sample], atol=0.06)
        np.testing.assert_allclose(cal.profile_shift_s, [float(r["profile_shift_s"]) for r in sample], atol=0.06)
        np.testing.assert_allclose(cal.element_age_days, [float(r["element_age_days"]) for r in sample], atol=0.06)
        ip = to_time([r["in_plane_utc"] for r in sample])
        np.testing.assert_allclose(seconds_between(ip, cal.in_plane_utc), 0.0, atol=0.002)
        # the offset is what it says: in-plane instant minus the real liftoff
        np.testing.assert_allclose(cal.offset_s, seconds_between(cal.liftoff_utc, cal.in_plane_utc), atol=1e-5)


def test_default_lead_is_the_sample_median_and_the_range_holds_the_sample(mean_cal):
    leads = [float(x) for x in mean_cal.lead_s]
    st = mean_cal.stats()
    # statistics (stdlib) as the independent implementation of the summary numbers
    assert st["n"] == len(leads) >= 10
    assert st["median_s"] == pytest.approx(statistics.median(leads), abs=1e-9)
    assert st["mean_s"] == pytest.approx(statistics.mean(leads), abs=1e-9)
    assert st["std_s"] == pytest.approx(statistics.stdev(leads), abs=1e-9)
    # the default is the median to the nearest 0.5 s; the range is min..max rounded outwards to 0.5 s
    assert launch.DEFAULT_LEAD_S == round(2 * statistics.median(leads)) / 2
    lo, hi = launch.LEAD_SAMPLE_RANGE_S
    assert lo == math.floor(2 * min(leads)) / 2 and hi == math.ceil(2 * max(leads)) / 2
    # the numbers quoted in the module docstring (and reference_facts.md)
    doc = launch.__doc__
    for value in (st["mean_s"], st["std_s"], st["median_s"], st["min_s"], st["max_s"]):
        assert f"{value:.1f}" in doc, value
    # same-day profiles agree closely; the lead is physically below the ascent time (529 s)
    same_day = np.array([p != "2-day" for p in mean_cal.profiles])
    assert mean_cal.stats(same_day)["std_s"] < 10.0
    assert 0 < min(leads) and max(leads) < launch.DEFAULT_ASCENT_S / 2


def test_every_real_liftoff_lies_in_its_predicted_liftoff_window(sample, mean_cal):
    # End to end with the defaults: the window a user gets for that day (its element set) must hold
    # the real liftoff in the interval of the profile flown.
    for k, r in enumerate(sample):
        orbit = launch._sample_element_set(r["element_set"])
        actual = to_time(r["liftoff_utc"])[0]
        tab = launch.windows(orbit, r["site"], r["liftoff_utc"][:10], days=1, directions="ascending")
        i = int(np.argmin(np.abs(seconds_between(actual, tab.liftoff_utc))))
        row = tab.to_rows()[i]
        early, late = to_time(row["profile_liftoff_window_utc"][r["profile"]])
        assert float(seconds_between(early, actual)) >= -1e-3, r["mission"]
        assert float(seconds_between(actual, late)) >= -1e-3, r["mission"]
        assert row["window"] == "in-plane" and row["direction"] == "ascending", r["mission"]
        # and the listed profile liftoff is off by exactly the launch's departure from the median
        off = float(seconds_between(to_time(row["profile_liftoff_utc"][r["profile"]])[0], actual))
        assert off == pytest.approx(launch.DEFAULT_LEAD_S - mean_cal.lead_s[k], abs=0.01), r["mission"]
