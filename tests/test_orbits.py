"""Orbit constructors, derived quantities, element <-> state round trips and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from validation import record

import sim
from sim import constants as C
from sim.errors import ElementError, ModelError, PresetError, SimError, TimeInputError
from sim.propagation.kepler import coe2rv, mean_to_true, rv2coe

# ------------------------------------------------------------------ round trips (hypothesis)

elements = st.tuples(
    st.floats(6600e3, 45000e3),  # a, m
    st.one_of(st.just(0.0), st.floats(1e-9, 1e-6), st.floats(1e-6, 0.9)),  # e incl. near-circular
    st.one_of(
        st.just(0.0), st.floats(1e-9, 1e-6), st.floats(0.0, np.pi), st.just(np.pi)
    ),  # inclination incl. near-equatorial, retrograde
    st.floats(0.0, 2 * np.pi),
    st.floats(0.0, 2 * np.pi),
    st.floats(0.0, 2 * np.pi),
)


@settings(max_examples=300, deadline=None)
@given(elements)
def test_state_round_trip(el):
    """coe -> rv -> coe -> rv reproduces the state (the element values themselves are
    ill-defined for circular/equatorial orbits, the state is not)."""
    a, e, i, raan, argp, nu = el
    if a * (1 - e) < 6500e3:
        a = 6500e3 / (1 - e)
    r, v = coe2rv(a, e, i, raan, argp, nu)
    r2, v2 = coe2rv(*rv2coe(r, v))
    assert np.linalg.norm(r2 - r) < 1e-6 * np.linalg.norm(r)
    assert np.linalg.norm(v2 - v) < 1e-6 * np.linalg.norm(v)
    a2, e2, i2, *_ = rv2coe(r, v)
    assert a2 == pytest.approx(a, rel=1e-9)
    assert abs(e2 - e) < 1e-8
    assert abs(i2 - i) < 1e-6


@settings(max_examples=100, deadline=None)
@given(
    st.floats(6700e3, 42000e3),
    st.floats(0.0, 0.8),
    st.floats(0.01, 3.13),
    st.floats(0, 2 * np.pi),
    st.floats(0, 2 * np.pi),
    st.floats(0, 2 * np.pi),
)
def test_two_body_energy_and_angular_momentum_conserved(a, e, i, raan, argp, M):
    if a * (1 - e) < 6500e3:
        e = 1 - 6500e3 / a
    orb = sim.Orbit.from_classical(
        a / 1e3, e, np.degrees(i), np.degrees(raan), np.degrees(argp), np.degrees(M), epoch="2027-01-01"
    )
    t = sim.time_range(orb.epoch[0], step_s=orb.period_s[0] / 37.0, days=2 * orb.period_s[0] / C.DAY_S)
    r, v = orb.propagate(t, model="kepler", frame="TEME")
    energy = 0.5 * np.sum(v * v, -1) - C.MU_EARTH / np.linalg.norm(r, axis=-1)
    h = np.cross(r, v)
    assert np.ptp(energy) < 1e-9 * abs(energy).max()
    assert np.abs(h - h[:, :1]).max() < 1e-9 * np.linalg.norm(h, axis=-1).max()
    assert energy[0, 0] == pytest.approx(-C.MU_EARTH / (2 * a), rel=1e-10)


def test_from_state_round_trip_through_gcrs():
    orb = sim.Orbit.from_classical(6800.0, 0.001, 51.64, 120.0, 30.0, 200.0, epoch="2027-02-01")
    r, v = orb.propagate(orb.epoch, model="kepler")  # GCRS
    back = sim.Orbit.from_state(r[0, 0], v[0, 0], orb.epoch, to_mean=False)
    for name in ("a", "ecc", "inc", "raan", "argp", "mean_anomaly"):
        assert getattr(back, name)[0] == pytest.approx(getattr(orb, name)[0], abs=1e-7, rel=1e-9), name


@pytest.mark.validation
def test_boinor_round_trip():
    import astropy.units as u

    orb = sim.presets.get("ros_polar")
    b = orb.to_boinor()
    assert b.attractor.name == "Earth"
    # boinor's own classical elements of the same state (GCRS plane) agree with sim's to the
    # TEME-GCRS plane tilt (precession-nutation, ~0.35 deg by 2027)
    assert abs(b.inc.to_value(u.deg) - orb.inclination_deg[0]) < 0.5
    # default pair: osculating state out, mean elements back (fixed point to ~1e-6 m)
    back = sim.Orbit.from_boinor(b)
    for name in ("a", "ecc", "inc", "raan", "argp", "mean_anomaly"):
        assert getattr(back, name)[0] == pytest.approx(getattr(orb, name)[0], abs=1e-8, rel=1e-10), name
    # two-body pair: exact state round trip
    b2 = orb.to_boinor(osculating=False)
    back2 = sim.Orbit.from_boinor(b2, to_mean=False)
    r1, _ = orb.propagate(orb.epoch, model="kepler")
    r2, _ = back2.propagate(orb.epoch, model="kepler")
    record("boinor round trip (two-body state)", np.linalg.norm(r1 - r2), None, 1e-3, "m", "boinor Orbit")
    assert np.linalg.norm(r1 - r2) < 1e-3
    # the osculating state carries the J2 short-period term of a: ~6 km above the mean at u = 0
    assert (b.a.to_value(u.km) - orb.semi_major_axis_km[0]) == pytest.approx(
        1.5 * C.J2 * C.R_EARTH**2 / orb.a[0] * np.sin(orb.inc[0]) ** 2 / 1e3, rel=0.02
    )


# ------------------------------------------------------------------ constructors and quantities


def test_circular_and_derived_quantities():
    orb = sim.Orbit.circular([400, 415], [96.8, 51.64])
    assert len(orb) == 2
    np.testing.assert_allclose(orb.altitude_km, [400, 415])
    # Keplerian period at a = 6793.137 km: 92.87 min (independent: 2 pi sqrt(a^3/mu))
    assert orb.period_s[1] / 60 == pytest.approx(2 * np.pi * np.sqrt((6793.137e3) ** 3 / 3.986004418e14) / 60)
    # ISS: published 15.54 rev/day at a ~408-410 km (2019); J2 nodal revs/day at 415 km: 15.5
    assert orb.revs_per_day[1] == pytest.approx(15.5, abs=0.05)
    # published J2 theory at 417 km: -4.95 deg/day
    assert sim.orbits.nodal_rate_deg_per_day(C.R_EARTH + 417e3, 0.0, 51.64) == pytest.approx(-4.95, abs=0.01)


def test_quantity_input_and_indexing():
    import astropy.units as u

    orb = sim.Orbit.circular(400 * u.km, 1.6894 * u.rad, names=["x"])
    assert orb.inclination_deg[0] == pytest.approx(np.degrees(1.6894))
    both = sim.Orbit.concat([orb, sim.presets.get("iss")])
    assert len(both) == 2 and both.names[1] == "ISS"
    assert both[1].satrecs[0] is not None and both[0].satrecs == (None,)
    r, _ = both.propagate(both.epoch[1], model="sgp4")
    assert np.all(np.isfinite(r))
    assert both[-1].names == ("ISS",)


def test_sgp4_model_on_nominal_orbits_agrees_with_j2_at_epoch():
    """A nominal orbit gets an SGP4 record with the same Brouwer mean elements."""
    orb = sim.presets.get("ros_polar")
    sat = orb.to_sgp4_satrecs()[0]
    assert sat.a * sat.radiusearthkm * 1e3 == pytest.approx(orb.a[0], rel=1e-12)
    r1, _ = orb.propagate(orb.epoch, model="sgp4", frame="TEME")
    r2, _ = orb.propagate(orb.epoch, model="j2", frame="TEME")
    # SGP4 adds short-period terms at epoch; the J2 model has none: a few km apart
    assert np.linalg.norm(r1 - r2) < 20e3


def test_true_anomaly_input():
    orb = sim.Orbit.from_classical(7000, 0.05, 10, true_anomaly_deg=90.0)
    assert orb.true_anomaly_deg[0] == pytest.approx(90.0)
    assert np.degrees(mean_to_true(orb.mean_anomaly, orb.ecc))[0] == pytest.approx(90.0)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(semi_major_axis_km=7000, eccentricity=1.0, inclination_deg=10), "eccentricity"),
        (dict(semi_major_axis_km=7000, eccentricity=-0.1, inclination_deg=10), "eccentricity"),
        (dict(semi_major_axis_km=7000, eccentricity=0.0, inclination_deg=181), "inclination_deg"),
        (dict(semi_major_axis_km=7000, eccentricity=0.0, inclination_deg=-1), "inclination_deg"),
        (dict(semi_major_axis_km=6000, eccentricity=0.0, inclination_deg=10), "perigee"),
        (dict(semi_major_axis_km=7000, eccentricity=0.5, inclination_deg=10), "perigee"),
        (dict(semi_major_axis_km="big", eccentricity=0.0, inclination_deg=10), "semi_major_axis_km"),
    ],
)
def test_bad_elements_name_the_field(kwargs, field):
    with pytest.raises(ElementError, match=field) as info:
        sim.Orbit.from_classical(**kwargs)
    assert isinstance(info.value, SimError)


def test_other_bad_input():
    with pytest.raises(ElementError, match=r"altitude_km must be in \(100"):
        sim.Orbit.circular(-10, 51.6)
    with pytest.raises(PresetError, match="choose one of: iss"):
        sim.presets.get("mir")
    with pytest.raises(ModelError, match="model must be one of"):
        sim.presets.get("iss").propagate("2027-01-01", model="magic")
    with pytest.raises(TimeInputError, match="'yesterday-ish' is not a valid ISO 8601 UTC time"):
        sim.presets.get("iss").propagate("yesterday-ish")
    with pytest.raises(ElementError, match="ltan_hours"):
        sim.Orbit.sun_synchronous(400, 25)
    with pytest.raises(ElementError, match="sun-synchronous"):
        sim.orbits.sun_synchronous_inclination_deg(8000)
    with pytest.raises(ModelError, match="gravity"):
        sim.Orbit.from_tle(*sim.presets.iss_element_sets()[-1][1:], gravity="egm2008")
