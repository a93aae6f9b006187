"""sim.coorbital against independent references: closed-form J2 rates, spherical trigonometry,
two-body propagation of each Lambert arc, a second Lambert solver (lamberthub's Gooding 1990),
the Hohmann transfer, and brute-force sampling of the range."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sim
from sim import coorbital as co
from sim.constants import DAY_S, J2, MU_EARTH, R_EARTH
from sim.errors import CoorbitalError, SimError
from sim.propagation.kepler import propagate_elements, rv2coe, true_to_mean

START = "2027-01-01T00:00:00"


def _nodal_rate_closed_form(alt_km: float, inc_deg: float) -> float:
    """J2 secular node rate of a circular orbit, deg/day: -3/2 n J2 (Re/a)^2 cos i (Vallado eq. 9-41)."""
    a = R_EARTH + alt_km * 1e3
    n = math.sqrt(MU_EARTH / a**3)
    return math.degrees(-1.5 * n * J2 * (R_EARTH / a) ** 2 * math.cos(math.radians(inc_deg))) * DAY_S


def _kepler_arrival(r1: np.ndarray, w1: np.ndarray, tof: float) -> tuple[np.ndarray, np.ndarray]:
    """Two-body state after ``tof`` s from (r1, w1), in the same inertial frame."""
    a, e, inc, raan, argp, nu = rv2coe(r1, w1)
    return propagate_elements(a, e, inc, raan, argp, true_to_mean(nu, e), tof)


# ---------------------------------------------------------------- alignment


def test_differential_nodal_rate_and_realignment_period_match_closed_form_j2():
    a = sim.Orbit.circular(415, 51.64, names=["A"])
    b = sim.Orbit.circular(370, 51.6, raan_deg=20, names=["B"])
    al = co.alignment_windows(a, b, START, 365)
    expected = _nodal_rate_closed_form(370, 51.6) - _nodal_rate_closed_form(415, 51.64)
    # same formula evaluated independently: agreement to rounding (1e-12 relative)
    assert al.differential_nodal_rate_deg_per_day == pytest.approx(expected, rel=1e-12)
    assert al.realignment_period_days == pytest.approx(360.0 / abs(expected), rel=1e-12)
    # the window's minimum is where the nodes meet: 20 deg / |rate| days after the start (1 s)
    (w,) = al.windows
    t_min = (w.min_time - sim.to_time(START)[0]).to_value("s")
    assert t_min == pytest.approx(20.0 / abs(expected) * DAY_S, abs=1.0)


def test_window_edges_and_minimum_are_the_threshold_and_inclination_difference():
    a = sim.Orbit.circular(415, 51.64, names=["A"])
    b = sim.Orbit.circular(370, 51.6, raan_deg=20, names=["B"])
    (w,) = co.alignment_windows(a, b, START, 365, max_plane_angle_deg=0.5).windows
    g = co.geometry(a, b, [w.start, w.min_time, w.end])
    # geometry() measures the planes from propagated states, the windows are solved on the
    # elements: the two agree to round-off (1e-7 deg)
    assert g.plane_angle_deg[0, [0, 2]] == pytest.approx([0.5, 0.5], abs=1e-7)
    assert g.plane_angle_deg[0, 1] == pytest.approx(0.04, abs=1e-7)  # |51.64 - 51.6| at equal nodes
    assert w.min_plane_angle_deg == pytest.approx(0.04, abs=1e-9)


def test_sgp4_windows_agree_with_the_mean_element_windows():
    a = sim.Orbit.circular(415, 51.64, names=["A"])
    b = sim.Orbit.circular(370, 51.6, raan_deg=20, names=["B"])
    mean = co.alignment_windows(a, b, START, 365).windows
    osc = co.alignment_windows(a, b, START, 365, model="sgp4").windows
    # one window each (the orbit-averaged osculating plane does not split it at the edges); SGP4's
    # mean elements differ slightly from the J2 model's (Brouwer vs Kozai mean motion): the edges
    # agree within half a day of a 21-day window
    assert len(mean) == len(osc) == 1
    for attr in ("start", "end", "min_time"):
        assert abs((getattr(mean[0], attr) - getattr(osc[0], attr)).to_value("day")) < 0.5


# ---------------------------------------------------------------- geometry


@pytest.mark.parametrize(("inc_b", "dnode"), [(51.6, 37.0), (51.6, -150.0), (97.0, 120.0), (51.6, 0.0)])
def test_plane_angle_and_node_difference_match_spherical_trigonometry(inc_b, dnode):
    inc_a = 51.6
    a = sim.Orbit.circular(415, inc_a, raan_deg=10.0)
    b = sim.Orbit.circular(400, inc_b, raan_deg=10.0 + dnode)
    g = co.geometry(a, b, START, model="kepler")
    ia, ib, dn = map(math.radians, (inc_a, inc_b, dnode))
    expected = math.degrees(math.acos(math.cos(ia) * math.cos(ib) + math.sin(ia) * math.sin(ib) * math.cos(dn)))
    if inc_b == inc_a:  # sin(theta/2) = sin i sin(dOmega/2)
        expected_eq = math.degrees(2 * math.asin(abs(math.sin(ia) * math.sin(dn / 2))))
        assert expected == pytest.approx(expected_eq, abs=1e-6)
    # states -> r x v in TEME: exact to round-off (1e-6 deg; arccos above loses digits near 0)
    assert g.plane_angle_deg[0, 0] == pytest.approx(expected, abs=1e-6)
    assert g.node_difference_deg[0, 0] == pytest.approx(dnode, abs=1e-9)


def test_phase_range_and_altitude_difference():
    a = sim.Orbit.circular(415, 51.6, arglat_deg=10.0)
    b = sim.Orbit.circular(402, 51.6, arglat_deg=40.0)
    g = co.geometry(a, b, START, model="kepler")
    assert g.phase_deg[0, 0] == pytest.approx(30.0, abs=1e-9)
    ra, rb = R_EARTH + 415e3, R_EARTH + 402e3  # law of cosines between the two circles, 30 deg apart
    chord = math.sqrt(ra**2 + rb**2 - 2 * ra * rb * math.cos(math.radians(30.0)))
    assert g.range_km[0, 0] == pytest.approx(chord / 1e3, rel=1e-12)
    # geodetic heights at latitudes ~8 and ~31 deg differ from the radii by the ellipsoid's
    # flattening (up to 21 km): only the sign and size are asserted (13 km lower, +-10 km)
    assert -23.0 < g.altitude_difference_km[0, 0] < -3.0
    wrapped = co.geometry(a, sim.Orbit.circular(415, 51.6, arglat_deg=200.0), START, model="kepler")
    assert wrapped.phase_deg[0, 0] == pytest.approx(-170.0, abs=1e-9)  # wrapped into (-180, 180]


def test_batched_pairs_and_identical_orbits():
    a = sim.Orbit.circular(415, 51.6, names=["A"])
    b = sim.Orbit.circular([415, 370], 51.6, raan_deg=[0.0, 5.0], names=["same", "low"])
    g = co.geometry(a, b, sim.time_range(START, step_s=600, days=1))
    assert g.plane_angle_deg.shape == (2, 145)
    assert g.names == (("A", "same"), ("A", "low"))
    assert np.all(g.plane_angle_deg[0] == 0.0) and np.all(g.range_km[0] == 0.0)
    als = co.alignment_windows(a, b, START, 30)
    assert isinstance(als, list) and len(als) == 2
    same = als[0]
    assert same.realignment_period_days == math.inf and same.differential_nodal_rate_deg_per_day == 0.0
    assert len(same.windows) == 1 and same.windows[0].min_plane_angle_deg == 0.0
    assert same.windows[0].duration_days == pytest.approx(30.0, abs=1e-9)
    assert same.to_rows()[0]["from"] == "A"
    assert co.phasing(415, 0.0, 0.0).phase_drift_deg_per_day == 0.0
    assert co.phasing(415, 0.0, 10.0).days_to_target == math.inf


def test_epochs_far_apart_are_propagated_to_the_same_times():
    a = sim.Orbit.circular(415, 51.6, epoch="2027-01-01")
    r, v = a.propagate("2030-06-01", model="j2", frame="TEME")
    later = sim.Orbit.from_state(r[0, 0], v[0, 0], "2030-06-01", frame="TEME", to_mean=False)
    g = co.geometry(a, later, sim.time_range("2031-01-01", step_s=3600, days=1))
    # the same orbit described 3.4 years apart: planes within 1e-6 deg, positions within 10 m
    # (the J2 model's mean motion re-derived from the state; float round-off over ~20,000 revs)
    assert np.max(g.plane_angle_deg) < 1e-6
    assert np.max(g.range_km) < 0.01


# ---------------------------------------------------------------- close approaches


def _dense_minima(a, b, days: float, threshold_km: float, step_s: float = 1.0):
    t = sim.time_range(START, step_s=step_s, days=days)
    ra, _ = a.propagate(t, frame="TEME")
    rb, _ = b.propagate(t, frame="TEME")
    rng = np.linalg.norm(rb[0] - ra[0], axis=-1) / 1e3
    # interior minima, and the span's ends when the range rises from the start / falls to the end
    interior = np.flatnonzero((rng[1:-1] < rng[:-2]) & (rng[1:-1] <= rng[2:])) + 1
    i = np.concatenate([[0] if rng[1] >= rng[0] else [], interior, [len(rng) - 1] if rng[-2] > rng[-1] else []])
    i = i.astype(int)[rng[i.astype(int)] <= threshold_km]
    return i * step_s, rng[i]


@pytest.mark.parametrize(
    ("b_alt", "b_node", "days", "threshold", "b_arglat"),
    [(400.0, 3.0, 1.0, 500.0, 2.0), (395.0, 0.0, 3.0, 300.0, -20.0), (395.0, 0.0, 1.0, 300.0, 2.0)],
    ids=["crossing-planes", "same-plane-overtaking", "same-plane-leaving"],
)
def test_close_approaches_match_brute_force_sampling(b_alt, b_node, days, threshold, b_arglat):
    a = sim.Orbit.circular(415, 51.6)
    b = sim.Orbit.circular(b_alt, 51.6, raan_deg=b_node, arglat_deg=b_arglat)
    found = co.close_approaches(a, b, START, days, threshold_km=threshold)
    t_ref, r_ref = _dense_minima(a, b, days, threshold)
    t0 = sim.to_time(START)[0]
    t_found = np.array([(c.time - t0).to_value("s") for c in found])
    r_found = np.array([c.range_km for c in found])
    assert len(found) == len(t_ref) > 0
    # the dense scan is 1 s apart: minima agree within 1 s; the refined range is never above the
    # sampled one and below it by at most what 0.5 s of relative motion changes near a minimum (10 m)
    assert np.max(np.abs(t_found - t_ref)) < 1.0
    assert np.all(r_found <= r_ref + 1e-9) and np.all(r_ref - r_found < 0.01)


def test_close_approach_at_the_start_and_for_identical_orbits():
    a = sim.Orbit.circular(415, 51.6)
    (c,) = co.close_approaches(a, a, START, 1.0)
    assert c.range_km == 0.0 and c.time.isot.startswith("2027-01-01T00:00:00")


# ---------------------------------------------------------------- phasing


def test_phasing_mir_lowered_13_km_below_salyut_7():
    # Salyut 7 ~355 km, Mir lowered by ~13 km (1986): drift from the J2 secular argument-of-latitude
    # rates; the Kepler-only estimate 3/2 n da/a differs by the J2 terms (~0.3%): 1% tolerance
    p = co.phasing(355.0, 13.0, 30.0, inclination_deg=51.6)
    a = R_EARTH + 355e3
    kepler = math.degrees(1.5 * math.sqrt(MU_EARTH / a**3) * 13e3 / a) * DAY_S
    assert p.phase_drift_deg_per_day == pytest.approx(kepler, rel=0.01)
    assert 15.0 < p.phase_drift_deg_per_day < 18.0  # ~16.6 deg/day: 2,500-4,000 km (21-34 deg) in 1.3-2.1 days
    assert p.days_to_target == pytest.approx(30.0 / p.phase_drift_deg_per_day, rel=1e-12)
    behind = co.phasing(355.0, 13.0, -30.0)  # target behind: go round the other way
    assert behind.days_to_target == pytest.approx(330.0 / p.phase_drift_deg_per_day, rel=1e-12)
    higher = co.phasing(355.0, -13.0, -30.0)  # a higher chaser falls back onto a target behind it
    assert higher.phase_drift_deg_per_day < 0 and higher.days_to_target == pytest.approx(
        30.0 / -higher.phase_drift_deg_per_day, rel=1e-12
    )


# ---------------------------------------------------------------- transfers


def test_hohmann_transfer_between_coplanar_circular_orbits():
    ra, rb = R_EARTH + 415e3, R_EARTH + 370e3
    at = 0.5 * (ra + rb)
    hohmann = abs(math.sqrt(MU_EARTH / ra) - math.sqrt(MU_EARTH * (2 / ra - 1 / at))) + abs(
        math.sqrt(MU_EARTH / rb) - math.sqrt(MU_EARTH * (2 / rb - 1 / at))
    )
    t_half = math.pi * math.sqrt(at**3 / MU_EARTH)
    period_t = 2 * t_half
    a = sim.Orbit.circular(415, 51.6, raan_deg=30.0, names=["A"])
    for revs in (0, 3):
        tof = t_half + revs * period_t
        # b placed so that it is 180 deg from a's start after tof: the Hohmann timing
        u0 = 180.0 - math.degrees(math.sqrt(MU_EARTH / rb**3) * tof)
        b = sim.Orbit.circular(370, 51.6, raan_deg=30.0, arglat_deg=u0 % 360.0, names=["B"])
        s = co.transfers(
            a,
            b,
            START,
            1 / 24,
            min_flight_h=(tof - 1800) / 3600,
            max_flight_h=(tof + 1800) / 3600,
            flight_step_h=10 / 3600,
            departure_step_min=0.5,
            model="kepler",
            keep=1,
        )
        (t,) = s.best
        # the exact 180 deg transfer is the one point Lambert cannot solve (collinear): the grid
        # (10 s of flight, 30 s of departure) lands next to it, where the excess over Hohmann is
        # second order: 3 mm/s measured, 0.02 m/s (0.1%) allowed
        assert t.dv_total_m_s == pytest.approx(hohmann, abs=0.02)
        assert t.revolutions == revs
        # co-planar in TEME of date; in GCRS the frame of date turns by ~1e-7 rad over hours
        assert t.dv_plane_change_m_s < 1e-2 and t.plane_angle_deg < 1e-4


def _best_search():
    iss = sim.Orbit.circular(415, 51.64, names=["ISS"])
    ros = sim.Orbit.circular(370, 51.6, raan_deg=20, names=["ROS"])
    return iss, ros, co.transfers(iss, ros, "2027-06-15", 2, keep=3, departure_step_min=20.0, flight_step_h=1.0)


def _kepler_legs():
    """Best transfers of a two-body search and each leg's end states (GCRS)."""
    iss = sim.Orbit.circular(415, 51.64, names=["ISS"])
    ros = sim.Orbit.circular(370, 51.6, raan_deg=0.5, arglat_deg=30.0, names=["ROS"])
    s = co.transfers(iss, ros, START, 1, keep=3, model="kepler", departure_step_min=20.0, flight_step_h=1.0)
    assert len(s.best) == 3
    for t in s.best:
        r1, v1 = (x[0, 0] for x in iss.propagate(t.departure, model="kepler"))
        r2, v2 = (x[0, 0] for x in ros.propagate(t.arrival, model="kepler"))
        yield t, r1, v1, r2, v2, t.flight_time_h * 3600.0


def test_lambert_legs_propagate_to_the_target():
    from sim.coorbital import lambert_point

    for t, r1, v1, r2, v2, tof in _kepler_legs():
        w1 = np.array(t.transfer_velocity_m_s)
        assert np.linalg.norm(w1 - v1) == pytest.approx(t.dv_departure_m_s, abs=1e-6)
        # two-body propagation of the arc (sim.propagation.kepler, same GCRS frame): within 1 m
        r_end, w_end = _kepler_arrival(r1, w1, tof)
        assert np.linalg.norm(r_end - r2) < 1.0
        assert np.linalg.norm(v2 - w_end) == pytest.approx(t.dv_arrival_m_s, abs=1e-3)
        # the grid's value is the solver's cheapest arc over all revolution counts
        assert lambert_point(MU_EARTH, R_EARTH + 100e3, r1, v1, r2, v2, tof, 100, 100, 1e-10)[0] == pytest.approx(
            t.dv_total_m_s, abs=1e-6
        )


@pytest.mark.slow  # lamberthub compiles its numba code on first use (~5 s)
def test_lambert_legs_agree_with_a_second_solver():
    from lamberthub import gooding1990

    for t, r1, v1, r2, v2, tof in _kepler_legs():
        # Gooding's method (lamberthub) for the same revolutions: the cheaper branch matches to 1 mm/s
        best = min(
            (gooding1990(MU_EARTH, r1, r2, tof, M=t.revolutions, low_path=lp, rtol=1e-12) for lp in (True, False)),
            key=lambda vv: np.linalg.norm(vv[0] - v1) + np.linalg.norm(v2 - vv[1]),
        )
        assert np.linalg.norm(best[0] - np.array(t.transfer_velocity_m_s)) < 1e-3


def test_j2_transfer_arcs_meet_the_target_under_the_j2_model():
    iss, ros, s = _best_search()
    assert s.best and s.porkchop is not None
    for t in s.best:
        r1, _ = (x[0, 0] for x in iss.propagate(t.departure))
        r2, v2 = (x[0, 0] for x in ros.propagate(t.arrival))
        arc = sim.Orbit.from_state(r1, np.array(t.transfer_velocity_m_s), t.departure, to_mean=False)
        r_end, w_end = (x[0, 0] for x in arc.propagate(t.arrival))
        # the two-body Lambert arc with its J2 secular drift taken out (three refinements) meets ROS
        # within 50 m after up to 48 h of J2 propagation (measured 5-9 m: the frame of date moves
        # during the flight; a two-body arc without the drift misses by hundreds of km); the arrival
        # impulse it implies agrees within 0.05 m/s (measured < 0.01 m/s)
        assert np.linalg.norm(r_end - r2) < 50.0
        assert np.linalg.norm(v2 - w_end) == pytest.approx(t.dv_arrival_m_s, abs=0.05)


def test_reported_j2_transfers_are_refined_to_the_fixed_point():
    # The command line's default case (ISS -> ROS 370 km, one day): after the grid's three passes
    # some 27-revolution arcs still missed ROS by 70-82 m under J2 propagation; the transfers
    # reported are refined on to the fixed point, whose floor is 3-9 m (measured; the frame of date
    # moving during the flight): 15 m allowed. The arrival impulse agrees within 0.02 m/s (measured
    # < 0.002 m/s).
    iss, ros = sim.presets.get("iss_nominal"), sim.presets.get("ros_51_low")
    s = co.transfers(iss, ros, START, 1, keep=5)
    assert len(s.best) == 5 and max(t.revolutions for t in s.best) >= 20
    for t in s.best:
        r1, _ = (x[0, 0] for x in iss.propagate(t.departure))
        r2, v2 = (x[0, 0] for x in ros.propagate(t.arrival))
        arc = sim.Orbit.from_state(r1, np.array(t.transfer_velocity_m_s), t.departure, to_mean=False)
        r_end, w_end = (x[0, 0] for x in arc.propagate(t.arrival))
        assert np.linalg.norm(r_end - r2) < 15.0
        assert np.linalg.norm(v2 - w_end) == pytest.approx(t.dv_arrival_m_s, abs=0.02)


def test_transfer_arcs_stay_above_the_atmosphere_between_distant_planes():
    iss = sim.Orbit.circular(415, 51.64, names=["ISS"])
    far = sim.Orbit.circular(370, 51.6, raan_deg=60.0, names=["far"])  # planes ~47 deg apart
    s = co.transfers(iss, far, START, 0.25, keep=2, departure_step_min=30.0, flight_step_h=2.0)
    assert s.best
    for t in s.best:
        r1, _ = (x[0, 0] for x in iss.propagate(t.departure))
        w1 = np.array(t.transfer_velocity_m_s)
        # the arc sampled every ~10 s (two-body; the J2 drift rotates it, radii unchanged): above
        # 100 km everywhere (arcs through the Earth were the "cheapest" before the rule)
        a, e, inc, raan, argp, nu = rv2coe(r1, w1)
        dt = np.linspace(0.0, t.flight_time_h * 3600.0, int(t.flight_time_h * 360) + 2)
        r, _ = propagate_elements(a, e, inc, raan, argp, true_to_mean(nu, e), dt)
        assert np.min(np.linalg.norm(r, axis=-1)) >= R_EARTH + 100e3 - 1.0
        # the combined burn still pays most of the out-of-plane turn: a pure 47 deg plane change
        # at 7.7 km/s is 6.1 km/s; more than 2 km/s is asserted (found: ~5.9 km/s)
        assert t.dv_total_m_s > 2.0e3 and t.plane_angle_deg > 40.0


def test_without_an_alignment_window_the_day_of_the_smallest_plane_angle_is_searched():
    # ISS and a 51.6 deg orbit whose node is 20 deg away and closing at ~0.12 deg/day: no window
    # in 20 days, the planes closest at the end of the span. The search must cover the last day
    # (not the whole span: ~3 s per day), and its best transfer must beat the same search on the
    # first day, where the planes are ~1.8 deg further apart (15.6 against 13.8 deg; ~240 m/s more
    # plane change at 7.7 km/s).
    iss = sim.Orbit.circular(415, 51.64, names=["ISS"])
    low = sim.Orbit.circular(370, 51.6, raan_deg=20.0, names=["low"])
    days = 20.0
    kw = {"keep": 1, "departure_step_min": 30.0, "flight_step_h": 2.0, "max_flight_h": 12.0}
    assert co.alignment_windows(iss, low, START, days).windows == ()
    s = co.transfers(iss, low, START, days, **kw)
    assert not s.aligned and s.best
    t0 = sim.timeutil.to_time(START)[0]
    dep_days = [float(sim.timeutil.seconds_between(t0, t.departure)) / DAY_S for t in s.best]
    assert all(days - co.FALLBACK_SEARCH_DAYS - 1e-9 <= d <= days for d in dep_days)
    searched = sim.timeutil.seconds_between(t0, s.porkchop.departures) / DAY_S  # +-24 h of the best, if searched
    assert searched.min() >= days - co.FALLBACK_SEARCH_DAYS - 1e-9 and searched.max() <= days + 1e-9
    g = co.geometry(iss, low, [t0, s.best[0].departure])
    assert g.plane_angle_deg[0, 1] < g.plane_angle_deg[0, 0] - 1.5
    first = co.transfers(iss, low, START, 1.0, max_plane_angle_deg=0.01, **kw)
    assert not first.aligned and s.best[0].dv_total_m_s < first.best[0].dv_total_m_s - 100.0
    assert co.transfers(iss, iss, START, 1.0, **kw).aligned


def test_plane_change_part_is_2_v_sin_half_angle():
    iss, ros, s = _best_search()
    for t in s.best:
        v = np.linalg.norm(ros.propagate(t.arrival)[1][0, 0])
        assert t.dv_plane_change_m_s == pytest.approx(2 * v * math.sin(math.radians(t.plane_angle_deg) / 2), rel=1e-9)
        # the plane angle the arc absorbs is the stations' differential one (~0.1-0.3 deg near the
        # alignment of 2027-06-15), not the ~10 deg both planes regress in 48 h
        assert 0.04 <= t.plane_angle_deg < 0.5
        assert t.dv_total_m_s == pytest.approx(t.dv_departure_m_s + t.dv_arrival_m_s, rel=1e-12)
        assert t.dv_in_plane_m_s <= t.dv_total_m_s + 1.0
    rows = s.to_rows()
    assert [r["dv_total_m_s"] for r in rows] == sorted(r["dv_total_m_s"] for r in rows)
    deps = sorted(t.departure for t in s.best)
    assert all((b - a).to_value("s") >= iss.period_s[0] for a, b in zip(deps, deps[1:]))


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda a, b: co.close_approaches(a, b, START, 1, threshold_km=0.0), "threshold_km"),
        (lambda a, b: co.close_approaches(a, b, START, 1, threshold_km=-5.0), "threshold_km"),
        (lambda a, b: co.close_approaches(a, b, START, -1), "days"),
        (lambda a, b: co.alignment_windows(a, b, START, 0), "days"),
        (lambda a, b: co.alignment_windows(a, b, START, 10, max_plane_angle_deg=200.0), "max_plane_angle_deg"),
        (lambda a, b: co.alignment_windows(a, b, START, 10, max_plane_angle_deg=0.0), "max_plane_angle_deg"),
        (lambda a, b: co.alignment_windows("iss", b, START, 10), "a must be a sim.Orbit"),
        (lambda a, b: co.geometry(a, None, START), "b must be a sim.Orbit"),
        (lambda a, b: co.transfers(a, b, START, 1, max_flight_h=0.0), "max_flight_h"),
        (lambda a, b: co.transfers(a, b, START, 1, min_flight_h=50.0), "min_flight_h"),
        (lambda a, b: co.transfers(a, b, START, 1, keep=0), "keep"),
        (lambda a, b: co.transfers(a, b, START, 1, departure_step_min=-1), "departure_step_min"),
        (lambda a, b: co.transfers(a, b, START, 1, max_revolutions=1.5), "max_revolutions"),
        (lambda a, b: co.phasing(415, 400, 10), "altitude_offset_km"),
        (lambda a, b: co.transfers(a, b, START, 3650, departure_step_min=0.1), "departure_step_min/flight_step_h"),
        (lambda a, b: co.alignment_windows(a, b, START, 10, model="nope"), "model"),
    ],
)
def test_bad_input_raises_sim_error_naming_the_argument(call, name):
    a = sim.Orbit.circular(415, 51.6)
    b = sim.Orbit.circular(370, 51.6)
    with pytest.raises(SimError, match=name):
        call(a, b)


def test_mismatched_batches_are_refused():
    with pytest.raises(CoorbitalError, match="a must be one orbit or as many as b"):
        co.geometry(sim.Orbit.circular([400, 410], 51.6), sim.Orbit.circular([400, 410, 420], 51.6), START)


# ---------------------------------------------------------------- figures


def test_figures_draw_geometry_and_porkchop():
    from sim.plots import geometry_figure, porkchop_figure

    iss, ros, s = _best_search()
    g = co.geometry(iss, ros, sim.time_range("2027-06-01", step_s=3600, days=30))
    f1, f2 = geometry_figure(g), porkchop_figure(s)
    assert len(f1.axes) >= 2 and len(f2.axes) >= 1
    import matplotlib.pyplot as plt

    plt.close(f1)
    plt.close(f2)


def test_options_are_split_by_each_functions_signature():
    # One table of which option goes where: the signatures themselves (the CLI and the scenario use it).
    kw = co.options_by_function(model="sgp4", max_plane_angle_deg=2.0, threshold_km=50.0, max_flight_h=None)
    assert kw == {
        "geometry": {"model": "sgp4"},
        "alignment_windows": {"model": "sgp4", "max_plane_angle_deg": 2.0},
        "transfers": {"model": "sgp4", "max_plane_angle_deg": 2.0},
        "close_approaches": {"model": "sgp4", "threshold_km": 50.0},
    }
    with pytest.raises(CoorbitalError, match="unknown option.*: window_days"):
        co.options_by_function(window_days=3)
