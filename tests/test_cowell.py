"""Cowell propagator: physics checks (energy, angular momentum, analytic J2 rates), events, bad input.

Comparisons with boinor and Orekit are in tests/test_orekit_validation.py (marker ``validation``).
"""

import numpy as np
import pytest

import sim
from sim import constants as C
from sim.errors import ModelError, SimError
from sim.propagation import cowell
from sim.timeutil import time_range

EPOCH = "2025-01-01T00:00:00"


def _energy(r, v):
    return 0.5 * np.sum(v * v, axis=-1) - C.MU_EARTH / np.linalg.norm(r, axis=-1)


def test_two_body_conserves_energy_and_angular_momentum():
    orb = sim.Orbit.from_classical(
        [6800.0, 7500.0], [0.001, 0.1], [51.6, 98.0], [10.0, 200.0], [0.0, 45.0], [0.0, 90.0], epoch=EPOCH
    )
    t = time_range(orb.epoch[0], step_s=600.0, days=1.0)
    res = cowell.integrate(orb, t, zonal_degree=0, true_pole=False, rtol=1e-12, atol=1e-9)
    e = _energy(res.r, res.v)
    h = np.linalg.norm(np.cross(res.r, res.v), axis=-1)
    # DOP853 at rtol 1e-12 over ~15 orbits: relative drift far below 1e-10
    assert np.max(np.abs(e / e[:, :1] - 1)) < 1e-10
    assert np.max(np.abs(h / h[:, :1] - 1)) < 1e-10
    # and the two-body solution itself (Kepler's equation on the GCRS osculating elements of the
    # same initial state) within 1 cm. (Not orb.propagate(model="kepler"): that is Kepler in TEME,
    # a frame of date that turns against GCRS by precession, ~5 m a day at this radius.)
    from sim.propagation.kepler import propagate_elements, rv2coe, true_to_mean

    a, e, i, raan, argp, nu = rv2coe(res.r[:, 0], res.v[:, 0])
    dt = np.arange(len(t)) * 600.0
    rk, _ = propagate_elements(
        a[:, None], e[:, None], i[:, None], raan[:, None], argp[:, None], true_to_mean(nu, e)[:, None], dt[None, :]
    )
    assert np.max(np.linalg.norm(res.r - rk, axis=-1)) < 0.01


def test_zonal_field_conserves_energy_and_polar_angular_momentum():
    # With only zonal harmonics about a fixed axis, the energy (incl. the zonal potential) and the
    # axial component of angular momentum are exact integrals.
    orb = sim.Orbit.circular(420.0, 51.64, 30.0, epoch=EPOCH)
    t = time_range(orb.epoch[0], step_s=300.0, days=1.0)
    res = cowell.integrate(orb, t, zonal_degree=6, true_pole=False, rtol=1e-12, atol=1e-9)
    r, v = res.r[0], res.v[0]
    rn = np.linalg.norm(r, axis=-1)
    s = r[:, 2] / rn
    P = [np.ones_like(s), s]
    for n in range(2, 7):
        P.append(((2 * n - 1) * s * P[-1] - (n - 1) * P[-2]) / n)
    J = {2: C.J2, 3: C.J3, 4: C.J4, 5: C.J5, 6: C.J6}
    U = -C.MU_EARTH / rn * (1 - sum(J[n] * (C.R_EARTH / rn) ** n * P[n] for n in range(2, 7)))
    E = 0.5 * np.sum(v * v, axis=-1) + U
    hz = np.cross(r, v)[:, 2]
    # relative 1e-11 of the energy is ~0.3 mm/s-equivalent: integration error only
    assert np.max(np.abs(E / E[0] - 1)) < 1e-11
    assert np.max(np.abs(hz / hz[0] - 1)) < 1e-11


def test_j2_node_regression_matches_secular_theory():
    # Over 5 days the node of a 420 km / 51.64 deg orbit regresses at the J2 secular rate
    # (-4.95 deg/day at ~417 km in reference_facts.md). Tolerance 0.5 %: J4 and the mean-vs-
    # osculating difference of a shift the rate by ~0.3 %.
    orb = sim.Orbit.circular(420.0, 51.64, epoch=EPOCH)
    t = time_range(orb.epoch[0], step_s=600.0, days=5.0)
    res = cowell.integrate(orb, t, zonal_degree=2, true_pole=False)
    h = np.cross(res.r[0], res.v[0])
    node = np.unwrap(np.arctan2(h[:, 0], -h[:, 1]))
    rate = np.degrees(np.polyfit(np.arange(len(t)) * 600.0 / 86400.0, node, 1)[0])
    expected = orb.nodal_rate_deg_per_day[0]
    assert rate == pytest.approx(expected, rel=5e-3)


def test_batch_equals_single_runs_and_backward_integration():
    orb = sim.Orbit.circular([400.0, 420.0, 600.0], [51.6, 96.8, 97.8], [0.0, 90.0, 200.0], epoch=EPOCH)
    t = time_range("2024-12-31T18:00:00", step_s=1800.0, days=0.5)  # starts 6 h before the epoch
    res = cowell.integrate(orb, t, spacecraft="iss", atmosphere="exponential")
    for i in range(3):
        one = cowell.integrate(orb[i], t, spacecraft="iss", atmosphere="exponential")
        # each orbit has its own step control: batch and single runs are bit-identical
        np.testing.assert_array_equal(res.r[i], one.r[0])
    # backward then forward again recovers the epoch state (drag-free, within 1 mm)
    r_b, v_b, _ = cowell.propagate(orb, t[:1], zonal_degree=6, rtol=1e-12, atol=1e-9)
    back = sim.Orbit.circular([400.0, 420.0, 600.0], 51.6, epoch=t[0])  # epochs only; state given below
    fwd = cowell.integrate(back, orb.epoch[:1], zonal_degree=6, rtol=1e-12, atol=1e-9, state=(r_b[:, 0], v_b[:, 0]))
    r0, _, _ = cowell.propagate(orb, orb.epoch[:1], zonal_degree=6)
    assert np.max(np.linalg.norm(fwd.r[:, 0] - r0[:, 0], axis=-1)) < 1e-3


def test_registered_as_model_and_frames():
    orb = sim.Orbit.circular(415.0, 51.64, epoch=EPOCH)
    t = time_range(orb.epoch[0], step_s=60.0, days=0.1)
    r_g, _ = orb.propagate(t, model="cowell", frame="GCRS")
    r_i, _ = orb.propagate(t, model="cowell", frame="ITRS")
    # rotation: same distance from the geocentre
    np.testing.assert_allclose(np.linalg.norm(r_g, axis=-1), np.linalg.norm(r_i, axis=-1), rtol=1e-12)
    # the cowell and analytic J2 models agree to the short-period J2 amplitude (< 15 km) over 2.4 h
    r_j, _ = orb.propagate(t, model="j2")
    assert np.max(np.linalg.norm(r_g - r_j, axis=-1)) < 15e3


def test_drag_lowers_energy_and_third_body_is_small():
    orb = sim.Orbit.circular(400.0, 51.6, epoch=EPOCH)
    t = time_range(orb.epoch[0], step_s=3600.0, days=1.0)
    free = cowell.integrate(orb, t, zonal_degree=0)
    drag = cowell.integrate(orb, t, zonal_degree=0, spacecraft="iss", atmosphere="exponential")
    e_free, e_drag = _energy(free.r, free.v)[0], _energy(drag.r, drag.v)[0]
    # energy loss rate = -rho v^3 CdA/(2m) averaged: with Vallado's 3.7e-12 kg/m3 at 400 km and
    # ISS CdA/m 7.3e-3 m2/kg: ~0.6 J/kg/s; over a day about 5e4 J/kg. Check order and sign (x/ 2).
    loss = e_free[-1] - e_drag[-1]
    expected = 3.725e-12 * 7670.0**3 * sim.spacecraft.DEFAULTS["iss"].cd_area_over_mass / 2 * 86400
    assert expected / 2 < loss < expected * 2
    # Sun + Moon move a 400 km orbit by metres to a few hundred metres in a day, not kilometres
    tb = cowell.integrate(orb, t, zonal_degree=0, third_body=True)
    d = np.linalg.norm(tb.r - free.r, axis=-1).max()
    assert 1.0 < d < 2000.0


def test_reentry_is_reported_and_states_after_it_are_nan():
    orb = sim.Orbit.circular(180.0, 51.6, epoch=EPOCH)
    t = time_range(orb.epoch[0], step_s=3600.0, days=10.0)
    res = cowell.integrate(
        orb, t, spacecraft=sim.spacecraft.Spacecraft(1000.0, 10.0), atmosphere="exponential", min_altitude_km=120.0
    )
    assert np.isfinite(res.reentry_s[0]) and 0 < res.reentry_s[0] < 10 * 86400
    after = (np.arange(len(t)) * 3600.0) > res.reentry_s[0]
    assert np.all(np.isnan(res.r[0, after])) and np.all(np.isfinite(res.r[0, ~after]))


def test_bad_input_raises_sim_errors():
    orb = sim.Orbit.circular(415.0, 51.64, epoch=EPOCH)
    t = time_range(orb.epoch[0], step_s=60.0, days=0.01)
    with pytest.raises(cowell.ReentryError, match="min_altitude_km"):
        # under the constructors' 100 km rule (sim.constants.MIN_ALTITUDE_KM): built from raw elements
        low = sim.Orbit(epoch=EPOCH, a=6378137.0 + 90e3, ecc=0.0, inc=0.9, raan=0.0, argp=0.0, mean_anomaly=0.0)
        cowell.integrate(low, t)
    with pytest.raises(ModelError, match="zonal_degree"):
        cowell.integrate(orb, t, zonal_degree=9)
    with pytest.raises(ModelError, match="atmosphere"):
        cowell.integrate(orb, t, spacecraft="iss", atmosphere="jacchia")
    with pytest.raises(SimError, match="solar_activity"):
        cowell.integrate(orb, t, spacecraft="iss", solar_activity="extreme")
    with pytest.raises(SimError, match="mass_kg"):
        sim.spacecraft.Spacecraft(-5.0, 10.0)
    with pytest.raises(SimError, match="drag_area_m2"):
        sim.spacecraft.Spacecraft(5.0, -10.0)
    with pytest.raises(SimError, match="spacecraft"):
        cowell.integrate(orb, t, spacecraft="soyuz")
