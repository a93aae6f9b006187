"""Analytic Sun and Moon (sim.ephemeris) against astropy's get_body (independent reference)."""

import numpy as np
import pytest
from astropy.coordinates import get_body
from astropy.time import Time, TimeDelta
from validation import record

from sim.ephemeris import moon_position_gcrs, sun_position_gcrs
from sim.errors import TimeInputError
from sim.timeutil import offline_iers


def _epochs(n=1500):
    # 2000-2060 covers the ISS era and any ROS flight; irregular spacing so the samples
    # do not alias with the year or the month.
    rng = np.random.default_rng(7)
    days = np.sort(rng.uniform(0.0, 60 * 365.25, n))
    return Time("2000-01-01T00:00:00", scale="utc") + TimeDelta(days * 86400.0, format="sec")


def _reference(body, t):
    with offline_iers():
        c = get_body(body, t)
        return c.cartesian.xyz.to_value("m").T


def _angle_deg(a, b):
    cos = np.sum(a * b, axis=-1) / np.linalg.norm(a, axis=-1) / np.linalg.norm(b, axis=-1)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def test_sun_direction_within_001_deg_of_astropy():
    t = _epochs()
    mine, ref = sun_position_gcrs(t), _reference("sun", t)
    assert mine.shape == (len(t), 3)
    ang = _angle_deg(mine, ref)
    # Issue 7 requirement: 0.01 deg. The truncated VSOP87 series measures ~0.0007 deg max;
    # assert the requirement, and a tighter 0.002 deg so a regression to the two-term
    # low-precision formula (0.008 deg) is caught.
    record("Sun direction 2000-2060, worst angle", ang.max(), None, 0.01, "deg", "astropy get_body")
    assert ang.max() < 0.01
    assert ang.max() < 0.002
    # Distance: the truncated radius series is good to ~2e-5 relative (~3,000 km).
    rel = np.abs(np.linalg.norm(mine, axis=1) / np.linalg.norm(ref, axis=1) - 1)
    assert rel.max() < 5e-5


def test_moon_within_stated_tolerance_of_astropy():
    t = _epochs()
    mine, ref = moon_position_gcrs(t), _reference("moon", t)
    ang = _angle_deg(mine, ref)
    # Montenbruck & Gill's low-precision series: "a few arcminutes"; measured 0.076 deg max.
    # Tolerance 0.15 deg (9') = the stated accuracy with a margin.
    record("Moon direction 2000-2060, worst angle", ang.max(), None, 0.15, "deg", "astropy get_body")
    assert ang.max() < 0.15
    # Distance: M&G state ~500 km; measured 520 km max. Tolerance 1,000 km.
    dr = np.abs(np.linalg.norm(mine, axis=1) - np.linalg.norm(ref, axis=1))
    record("Moon distance 2000-2060, worst difference", dr.max(), None, 1.0e6, "m", "astropy get_body")
    assert dr.max() < 1.0e6


def test_scalar_and_string_times_accepted():
    r = sun_position_gcrs("2027-03-20T12:00:00")
    assert r.shape == (1, 3)
    # Near the March equinox the Sun is close to the +x axis (declination ~0).
    dec = np.degrees(np.arcsin(r[0, 2] / np.linalg.norm(r[0])))
    assert abs(dec) < 0.5
    assert moon_position_gcrs(["2027-01-01", "2027-01-02"]).shape == (2, 3)


def test_bad_time_raises_sim_error():
    with pytest.raises(TimeInputError):
        sun_position_gcrs("not a time")
