"""Atmosphere models: NRLMSIS 2.1 (offline), its table, the exponential model, solar levels."""

import numpy as np
import pytest

from sim import atmosphere as A
from sim.errors import SimError


def test_msis_offline_and_ordered_by_solar_activity():
    # pymsis only reaches for the network when an index is missing: with all three given it
    # must work here without one, and density must rise with solar activity.
    dates = np.datetime64("2024-11-01T12:00") + (np.arange(24) * 3600e3).astype("timedelta64[ms]")
    rho = {lv: A.msis_density(dates, 0.0, 0.0, 415.0, lv).mean() for lv in ("low", "moderate", "high")}
    assert rho["low"] < rho["moderate"] < rho["high"]
    # Published order of magnitude at ~400 km: 1e-13..1e-11 kg/m^3 from solar min to max
    # (Vallado 2013 Table 8-4 gives 3.7e-12 at 400 km for mean activity).
    assert 1e-13 < rho["low"] < 1e-12 and 1e-12 < rho["moderate"] < 1e-11 and 3e-12 < rho["high"] < 3e-11
    # the exponential table at 400 km is its tabulated base value
    assert A.exponential_density(400.0) == pytest.approx(3.725e-12)
    assert A.exponential_density(450.0) == pytest.approx(1.585e-12)


def test_msis_table_matches_direct_calls():
    # The integrator's table (15-day x 10 km x 10 deg x 1 h grid) against pymsis at random
    # points (same convention: longitude 0, local solar time = UT). Tolerance: 5 % max, 1.5 % rms
    # (measured 3 % and 0.8 %): the interpolation error of the grid.
    tab = A.msis_table("iss_2024")
    rng = np.random.default_rng(1)
    n = 150
    doy = rng.uniform(1, 365, n).round()
    alt = rng.uniform(200, 800, n)
    lat = rng.uniform(-85, 85, n)
    lst = rng.uniform(0, 24, n)
    dates = np.datetime64("2001-01-01T00:00", "ms") + ((doy - 1) * 86400e3 + lst * 3600e3).astype("timedelta64[ms]")
    direct = A.msis_density(dates, lat, 0.0, alt, "iss_2024")
    table = A.msis_table_density(tab, doy + lst / 24.0, alt, lat, lst)
    rel = table / direct - 1
    assert np.max(np.abs(rel)) < 0.05
    assert np.sqrt(np.mean(rel**2)) < 0.015


def test_solar_activity_levels_and_errors():
    assert A.solar_activity("HIGH").f107 == 250.0
    assert A.solar_activity((150, 140, 10)).ap == 10.0
    with pytest.raises(SimError, match="low, moderate, high"):
        A.solar_activity("extreme")
    with pytest.raises(SimError, match="f107"):
        A.SolarActivity(10.0, 100.0, 4.0)
