"""The three named altitudes of an orbit, and the one default reboost band.

``altitude_km`` (mean semi-major axis minus 6378.137 km) is what scenarios and presets give;
``orbit_mean_altitude_km`` (mean geocentric distance of the osculating orbit minus 6378.137 km)
is what the decay tables and reboost bands use; ``mean_geodetic_altitude_km`` (mean height
above the WGS84 ellipsoid of the osculating orbit) is what the atmosphere sees. The last two
are computed from SGP4 and checked here against a numerical integration.
"""

from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest

import sim
from sim import constants as C
from sim import lifetime, presets, regions
from sim.errors import SimError
from sim.frames import itrs_to_geodetic
from sim.scenario import ScenarioError, parse_scenario


def _cowell_averages_km(orb: sim.Orbit, n: int = 720) -> tuple[np.ndarray, np.ndarray]:
    """Independent reference: Cowell (J2-J6, no drag) over one nodal period from the epoch,
    ITRS through sim.frames, WGS84 height from itrs_to_geodetic; (orbit-mean, geodetic) in km."""
    geoc, geod = [], []
    for k in range(len(orb)):
        one = orb[k]
        t = one.epoch[0] + (np.arange(n) / n * float(one.nodal_period_s[0])) * u.s
        r, _ = one.propagate(t, model="cowell", frame="ITRS")
        geoc.append((np.mean(np.linalg.norm(r[0], axis=-1)) - C.R_EARTH) / 1e3)
        geod.append(np.mean(itrs_to_geodetic(r[0])[2]) / 1e3)
    return np.array(geoc), np.array(geod)


def test_orbit_averaged_altitudes_agree_with_a_numerical_integration():
    orb = presets.get(["iss_nominal", "ros_polar", "ros_sso"])
    ref_geoc, ref_geod = _cowell_averages_km(orb)
    # SGP4's short-period theory vs a J2-J6 integration over the same revolution: measured
    # differences 3-5 m; 20 m allowed
    np.testing.assert_allclose(orb.orbit_mean_altitude_km, ref_geoc, atol=0.02)
    np.testing.assert_allclose(orb.mean_geodetic_altitude_km, ref_geod, atol=0.02)


def test_the_issue_numbers_are_orbit_mean_altitudes_and_the_geodetic_ones_differ():
    """Issue 12 quotes 404.7 km (400 km polar) and 414.3 km (415 km ISS) as geodetic altitudes:
    they are the orbit-mean (geocentric) altitudes of the osculating orbits. Above the ellipsoid
    the polar orbit flies at 415.2 km and the ISS at 420.8 km: 5.6 km apart, not 15 (or 9.6)."""
    iss, polar = presets.get(["iss_nominal", "ros_polar"])
    assert iss.altitude_km[0] == pytest.approx(415.0) and polar.altitude_km[0] == pytest.approx(400.0)
    assert iss.orbit_mean_altitude_km[0] == pytest.approx(414.25, abs=0.05)
    assert polar.orbit_mean_altitude_km[0] == pytest.approx(404.67, abs=0.05)
    assert iss.mean_geodetic_altitude_km[0] == pytest.approx(420.83, abs=0.05)
    assert polar.mean_geodetic_altitude_km[0] == pytest.approx(415.23, abs=0.05)

    # the ellipsoid's part: a polar orbit spends half its time where the surface is up to 21 km
    # closer to the centre, an orbit at 51.6 deg less: mean flattening deficit a f sin^2(i) / 2
    def deficit(i):
        return C.R_EARTH / 1e3 * C.FLATTENING * np.sin(np.radians(i)) ** 2 / 2

    for o in (iss, polar):
        offset = o.mean_geodetic_altitude_km[0] - o.orbit_mean_altitude_km[0]
        assert offset == pytest.approx(deficit(o.inclination_deg[0]), abs=0.1)


@pytest.mark.parametrize("inclination_deg", [51.6, 96.8])
def test_circular_geodetic_option_round_trips(inclination_deg):
    orb = sim.Orbit.circular(400.0, inclination_deg, altitude_kind="geodetic")
    assert orb.mean_geodetic_altitude_km[0] == pytest.approx(400.0, abs=0.05)
    # and the numerical integration agrees that it flies 400 km above the ellipsoid on average
    assert _cowell_averages_km(orb)[1][0] == pytest.approx(400.0, abs=0.05)
    # the mean altitude it needed: lower by the ellipsoid and short-period offsets (> 5 km)
    assert orb.altitude_km[0] < 395.0
    sso = sim.Orbit.sun_synchronous(400.0, 10.5, altitude_kind="geodetic")
    assert sso.mean_geodetic_altitude_km[0] == pytest.approx(400.0, abs=0.05)
    with pytest.raises(SimError, match="altitude_kind"):
        sim.Orbit.circular(400.0, 51.6, altitude_kind="ellipsoidal")


def test_scenario_altitude_kind_builds_the_geodetic_orbit():
    text = """
[scenario]
name = "t"
[time]
start = 2027-01-01T00:00:00
days = 1
[[stations]]
name = "mean"
circular = { altitude_km = 400, inclination_deg = 96.8 }
[[stations]]
name = "geodetic"
circular = { altitude_km = 400, inclination_deg = 96.8, altitude_kind = "geodetic" }
"""
    orb = parse_scenario(text).orbits
    assert orb.altitude_km[0] == pytest.approx(400.0)
    assert orb.mean_geodetic_altitude_km[1] == pytest.approx(400.0, abs=0.05)
    with pytest.raises(ScenarioError) as ei:
        parse_scenario(text.replace('"geodetic" }', '"radar" }'))
    (p,) = ei.value.problems
    assert p.path == "stations[1].circular.altitude_kind" and "'mean'" in p.message


def test_one_arctic_circle():
    assert regions.ARCTIC_CIRCLE_DEG == C.ARCTIC_CIRCLE_DEG == pytest.approx(90.0 - 23.439279, abs=1e-6)
    assert regions.WGS84_A_KM * 1e3 == C.R_EARTH and regions.WGS84_F == C.FLATTENING
    # the authalic radius from its closed form: Moritz (2000) gives R2 = 6371007.1810 m for GRS80,
    # whose flattening differs from WGS84's by 1e-10 (a few tenths of a mm here)
    assert C.R_AUTHALIC == pytest.approx(6371007.181, abs=0.01)


def test_one_default_reboost_band():
    np.testing.assert_allclose(lifetime.default_band_km(415.0), [410.0, 420.0])
    np.testing.assert_allclose(lifetime.default_band_km([400.0, 415.0]), [[395.0, 405.0], [410.0, 420.0]])
    assert lifetime.DEFAULT_BAND_HALF_WIDTH_KM == 5.0
    # the one lower limit, the same message from the library and from a scenario
    for bad in ((140.0, 160.0), (420.0, 410.0), (400.0, 2100.0)):
        with pytest.raises(SimError, match=r"band_km must be \[low, high\] with 150 <= low < high <= 2000 km"):
            lifetime.check_band_km(bad)
    lifetime.check_band_km((150.0, 160.0))  # the limit itself is allowed
    text = """
[scenario]
name = "t"
[time]
start = 2027-01-01T00:00:00
days = 1
[[stations]]
name = "A"
circular = { altitude_km = 400, inclination_deg = 51.6 }
[lifetime]
band_km = [140, 160]
"""
    with pytest.raises(ScenarioError) as ei:
        parse_scenario(text)
    (p,) = ei.value.problems
    assert p.path == "lifetime.band_km" and "150 <= low" in p.message
    assert p.line == text.splitlines().index("band_km = [140, 160]") + 1
