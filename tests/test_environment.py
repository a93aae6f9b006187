"""Beta angle, eclipses, LTAN and the SAA/horn radiation proxy (sim.environment)."""

import numpy as np
import pytest
from validation import record

import sim.presets as P
from sim import environment as E
from sim.constants import R_EARTH
from sim.errors import SimError
from sim.orbits import Orbit, period_s
from sim.timeutil import time_range, to_time

EPOCH = "2027-03-01T00:00:00"


def _obliquity_deg(t):
    T = (to_time(t).tt.jd[0] - 2451545.0) / 36525.0
    return (84381.448 - 46.8150 * T) / 3600.0  # IAU 1980 mean obliquity (Lieske 1977)


def test_iss_max_beta_is_inclination_plus_obliquity():
    # ISS-like orbits with 12 node phases (every 30 deg): over a year the envelope of the
    # ~60-day beta cycle must reach i + eps (geometry: the normal is i from the pole, the
    # Sun up to eps from the equator) and never exceed it.
    raan = np.arange(0.0, 360.0, 30.0)
    orb = Orbit.circular(415.0, 51.64, raan_deg=raan, epoch="2027-01-01")
    t = time_range("2027-01-01", days=365.25, step_s=1800.0)
    beta = E.beta_angle(orb, t)
    assert beta.shape == (12, len(t))
    limit = 51.64 + _obliquity_deg("2027-06-21")
    # 0.2 deg: the tolerance. Sampling (30 min, 12 phases) costs < 0.05 deg.
    record("ISS maximum beta angle over a year", np.abs(beta).max(), limit, 0.2, "deg", "i + obliquity (geometry)")
    assert abs(np.abs(beta).max() - limit) < 0.2
    # Upper side: only the Sun's ecliptic latitude (< 1") and nothing else can exceed it.
    assert np.abs(beta).max() < limit + 0.01


def test_beta_j2_analytic_matches_propagated_state():
    # Mean-element normal (fast path) vs r x v of the propagated J2 state: the secular
    # model has no short-period terms, so they must agree to numerical precision.
    orb = P.get(list(P.COMPARISON))
    t = time_range(EPOCH, days=2, step_s=600.0)
    b1 = E.beta_angle(orb, t)
    r, v = orb.propagate(t, model="j2", frame="TEME")
    h = np.cross(r, v)
    s = E.sun_position_teme(t)
    b2 = np.degrees(
        np.arcsin(
            np.einsum(
                "otk,tk->ot",
                h / np.linalg.norm(h, axis=-1, keepdims=True),
                s / np.linalg.norm(s, axis=-1, keepdims=True),
            )
        )
    )
    assert np.abs(b1 - b2).max() < 1e-6


def _beta0_polar_orbits(offsets_deg, alt_km=415.0):
    # Polar orbits with the node at the Sun's right ascension (beta = 0) and offsets from it
    # (beta ~ offset for small offsets), two-body, so the geometry is exactly cylindrical.
    s = E.sun_position_teme(EPOCH)[0]
    ra = np.degrees(np.arctan2(s[1], s[0]))
    return Orbit.circular(alt_km, 90.0, raan_deg=(ra + np.asarray(offsets_deg)) % 360.0, epoch=EPOCH)


def test_eclipse_fraction_at_beta_zero_equals_cylinder_geometry():
    orb = _beta0_polar_orbits([0.0])
    ecl = E.eclipses(orb, EPOCH, 0.5, model="cylindrical", propagator="kepler", oblate=False)
    assert len(ecl) >= 6
    frac = ecl.duration_s / period_s(orb.a[0])
    expected = np.arcsin(R_EARTH / orb.a[0]) / np.pi  # 0.3912 at 415 km
    # 1e-4 of a period is 0.55 s: covers the Sun's 0.02 deg motion over half a day
    # (beta stays within ~0.01 deg of 0) and the 0.01 s refinement tolerance.
    assert np.abs(frac - expected).max() < 1e-4
    assert abs(E.eclipse_fraction_cylindrical(orb.altitude_km[0], 0.0) - expected) < 1e-12


def test_eclipse_fraction_follows_beta_formula_and_conical_brackets_cylindrical():
    orb = _beta0_polar_orbits([20.0, 45.0, 60.0, 68.0, 75.0])
    cyl = E.eclipses(orb, EPOCH, 0.3, model="cylindrical", propagator="kepler", oblate=False)
    con = E.eclipses(orb, EPOCH, 0.3, model="conical", propagator="kepler", oblate=False)
    mid = cyl.entry_s + 0.5 * cyl.duration_s
    t_mid = E._times_at(cyl.start, mid)
    for i in range(4):  # betas ~20, 45, 60, 68 deg: eclipses
        m = cyl.orbit_index == i
        assert m.sum() >= 3
        beta = E.beta_angle(orb[i], t_mid[m], model="kepler")[0]
        expected = E.eclipse_fraction_cylindrical(orb.altitude_km[i], beta)
        # 3e-4 (1.7 s): the Sun's motion during an orbit (0.07 deg) changes beta slightly.
        assert np.abs(cyl.duration_s[m] / period_s(orb.a[i]) - expected).max() < 3e-4
    assert not np.any(cyl.orbit_index == 4)  # beta ~75 deg > 69.9 deg limit: no eclipse
    # Conical: penumbra entry before the cylinder's entry, umbra entry after it, and the
    # mid-penumbra within ~1 s of it (the cylinder boundary is the Sun's centre on the limb).
    for i in range(3):
        c, k = cyl.for_orbit(i), con.for_orbit(i)
        n = min(len(c), len(k))
        assert np.all(k.entry_s[:n] < c.entry_s[:n]) and np.all(c.entry_s[:n] < k.umbra_entry_s[:n])
        assert np.abs(0.5 * (k.entry_s[:n] + k.umbra_entry_s[:n]) - c.entry_s[:n]).max() < 1.0


def test_no_eclipse_above_beta_70_for_iss_and_sunlight_days_consistent():
    orb = P.get("iss_nominal")
    days = 70
    ecl = E.eclipses(orb, "2027-06-01", float(days), model="conical", step_s=60.0)
    t = time_range("2027-06-01", days=days, step_s=600.0)
    beta = np.abs(E.beta_angle(orb, t)[0])
    assert beta.max() > 72.0  # the window holds a high-beta season (checked, not assumed)
    mid = E._times_at(ecl.start, ecl.entry_s + 0.5 * ecl.duration_s)
    beta_ecl = np.abs(E.beta_angle(orb, mid)[0])
    # Reference: "no eclipse above about 70 deg" (reference_facts.md). Cylinder limit
    # asin(R/(R+h)) = 69.88 deg; the penumbra adds at most the Sun's radius (0.27 deg).
    assert beta_ecl.max() < E.eclipse_beta_limit_deg(415.0) + 0.3
    assert beta_ecl.max() > 65.0
    # Days of continuous sunlight from the table agree with beta: every day whose |beta|
    # stays above 70.2 deg is fully sunlit, every day dipping below 69 deg is not.
    n_sun = E.sunlight_days(ecl)[0]
    per_day = beta[: days * 144].reshape(days, 144)
    surely_lit = int((per_day.min(axis=1) > 70.2).sum())
    surely_dark = int((per_day.min(axis=1) < 69.0).sum())
    assert surely_lit <= n_sun <= days - surely_dark
    assert n_sun >= 1


def test_ltan_drift_of_polar_candidate_and_sso():
    orb = P.get(["ros_polar", "ros_sso"])
    drift = E.ltan_drift_deg_per_day(orb)
    # reference_facts.md: 96.8 deg at 400 km drifts about -0.03 deg/day against the Sun.
    assert abs(drift[0] - (-0.03)) < 0.005
    assert abs(drift[1]) < 1e-6
    t = time_range("2027-01-01", days=100, step_s=86400.0)
    lt = E.ltan_hours(orb, t)
    assert abs(lt[1, 0] - 12.0) < 1e-6 and np.abs(lt[1] - 12.0).max() < 1e-4  # SSO holds 12:00
    slope = np.polyfit(np.arange(len(t)), np.unwrap(lt[0] * np.pi / 12) * 12 / np.pi, 1)[0]
    assert abs(slope - drift[0] / 15.0) < 1e-5


def test_true_ltan_differs_from_mean_by_equation_of_time():
    # Equation of time (apparent - mean solar time): about +16.4 min around 3 November and
    # -14.2 min around 11 February (Meeus 1998, ch. 28). Tolerance 0.5 min.
    orb = P.get("ros_sso")
    for date, eot in (("2027-11-03T12:00:00", 16.4), ("2027-02-11T12:00:00", -14.2)):
        d = (E.ltan_hours(orb, date, kind="true") - E.ltan_hours(orb, date, kind="mean"))[0, 0] * 60.0
        assert abs(d - eot) < 0.5


def test_field_grid_matches_ppigrf_and_geomagnetic_pole():
    import datetime as dt

    import ppigrf
    from scipy.interpolate import RegularGridInterpolator

    lat, lon, alt, B = E.field_grid("2027-01-01")
    rng = np.random.default_rng(3)
    pl, po, pa = rng.uniform(-60, 60, 40), rng.uniform(-180, 180, 40), rng.uniform(385, 435, 40)
    Be, Bn, Bu = ppigrf.igrf(po, pl, pa, dt.datetime(2027, 1, 1))
    ref = np.sqrt(Be**2 + Bn**2 + Bu**2)[0]
    got = RegularGridInterpolator((lat, lon, alt), B)(np.stack([pl, po, pa], -1))
    # Trilinear interpolation on the 2 deg grid: |B| varies smoothly; 0.5 % is ~100-250 nT.
    record("IGRF-14 |B| grid at 385-435 km, max relative error", np.abs(got / ref - 1).max(), None, 0.005, "", "ppigrf")
    assert np.abs(got / ref - 1).max() < 0.005
    # SAA minimum at 400 km lies over South America / the South Atlantic, below 20,000 nT.
    k = int(np.argmin(np.abs(alt - 400.0)))
    i, j = np.unravel_index(np.argmin(B[:, :, k]), B[:, :, k].shape)
    assert -40 < lat[i] < -10 and -75 < lon[j] < -10 and B[i, j, k] < 20_000
    # Geomagnetic north pole from IGRF-14 degree 1: 80.8 N, 72.7 W in 2025 (NOAA/NCEI pole
    # table). 0.3 deg covers rounding of the published position.
    gm = E.geomagnetic_latitude_deg(80.8, -72.7, 0.0, "2025-01-01")
    assert gm > 89.7


def test_radiation_proxy_ratios_and_sensitivity():
    orb = P.get(list(P.COMPARISON))
    res = {
        thr: E.radiation_exposure(orb, "2027-01-01", 2.0, saa_threshold_nT=thr)
        for thr in (20_000.0, 21_000.0, 22_000.0)
    }
    r = res[21_000.0]
    saa, horn = r["saa_min_per_day"], r["horn_min_per_day"]
    # The two 51.6 deg orbits see the same exposure (same latitude band) within 5 %.
    assert abs(saa[3] / saa[0] - 1) < 0.05 and abs(horn[3] / horn[0] - 1) < 0.25
    # Polar orbits spend a larger share of time poleward of the SAA latitudes: less SAA
    # time (ratio 0.6-0.75) and many times more at |geomagnetic lat| >= 60 deg. Fraction
    # of a polar orbit above 60 deg geomagnetic: ~1/3 of the time (~480 min/day).
    for thr in res:
        assert 0.55 < res[thr]["saa_ratio"][1] < 0.8
    assert horn[1] > 10 * horn[0]
    assert 380 < horn[1] < 560
    # ISS SAA minutes per day grow with the threshold (monotone, sanity).
    assert res[20_000.0]["saa_min_per_day"][0] < saa[0] < res[22_000.0]["saa_min_per_day"][0]


@pytest.mark.parametrize(
    "call",
    [
        lambda: E.eclipses(P.get("iss_nominal"), EPOCH, 1.0, model="umbrella"),
        lambda: E.eclipses(P.get("iss_nominal"), EPOCH, "2027-02-01"),
        lambda: E.eclipses(P.get("iss_nominal"), EPOCH, 1.0, step_s=0.0),
        lambda: E.eclipses("ISS", EPOCH, 1.0),
        lambda: E.beta_angle(P.get("iss_nominal"), "yesterday-ish"),
        lambda: E.radiation_exposure(P.get("iss_nominal"), EPOCH, -1.0),
        lambda: E.radiation_exposure(P.get("iss_nominal"), EPOCH, 1.0, saa_threshold_nT=5.0),
        lambda: E.ltan_hours(P.get("ros_sso"), EPOCH, kind="sidereal"),
        lambda: E.field_grid("2040-01-01"),
        lambda: E.eclipse_beta_limit_deg(-5.0),
    ],
)
def test_bad_input_raises_sim_error(call):
    with pytest.raises(SimError):
        call()


@pytest.mark.validation
def test_iss_eclipse_times_match_skyfield_de421():
    """Real ISS element set, SGP4, against Skyfield's is_sunlit with the JPL DE421 ephemeris."""
    import warnings

    with warnings.catch_warnings():
        # skyfield-data warns on import that its bundled finals2000A.all (Earth orientation)
        # is old; only its de421.bsp is used here, so that warning does not apply.
        warnings.filterwarnings("ignore", message=".*has expired.*", category=RuntimeWarning)
        import skyfield_data

        bsp = str(skyfield_data.get_skyfield_data_path()) + "/de421.bsp"
    from skyfield.api import EarthSatellite, load
    from skyfield.jpllib import SpiceKernel
    from skyfield.searchlib import find_discrete

    _, l1, l2 = P.iss_element_sets()[-1]
    orb = Orbit.from_tle(l1, l2)
    start = orb.epoch[0]
    ecl = E.eclipses(orb, start, 1.0, model="cylindrical", propagator="sgp4", oblate=False)
    assert len(ecl) >= 14

    eph = SpiceKernel(bsp)
    ts = load.timescale(builtin=True)
    sat = EarthSatellite(l1, l2, ts=ts)

    def lit(t):
        return sat.at(t).is_sunlit(eph)

    lit.step_days = 60.0 / 86400.0
    jd0 = float(start.tt.jd)
    t0 = ts.tt_jd(jd0)
    t1 = ts.tt_jd(jd0 + 1.0)
    try:
        times, values = find_discrete(t0, t1, lit, epsilon=0.001 / 86400.0)
    finally:
        eph.close()  # else a ResourceWarning (= error) later
    sec = (times.tt - jd0) * 86400.0
    values = np.asarray(values).astype(bool)  # find_discrete returns 0/1 integers
    values = np.asarray(values).astype(bool)  # find_discrete returns 0/1 integers
    sky_entry, sky_exit = sec[~values], sec[values]
    # Issue 7 tolerance: 5 s. Measured difference is well below a second (Skyfield: point
    # Sun without aberration and Earth radius 6378.1366 km; sim: apparent Sun, 6378.137 km).
    for mine, ref in ((ecl.entry_s, sky_entry), (ecl.exit_s, sky_exit)):
        d = np.abs(mine[:, None] - ref[None, :]).min(axis=1)
        record("ISS eclipse entry/exit times, worst difference", d.max(), None, 5.0, "s", "Skyfield + JPL DE421")
        assert d.max() < 5.0
        print("max |sim - Skyfield| (s):", d.max())
        assert d.max() < 1.0


def test_figures_draw_one_series_per_station():
    from sim.plots import beta_angle_figure, eclipse_minutes_figure, saa_map_figure

    orb = P.get(["iss_nominal", "ros_polar"])
    t = time_range(EPOCH, days=2, step_s=3600.0)
    fig = beta_angle_figure(np.arange(len(t)) / 24, E.beta_angle(orb, t), orb.names)
    assert len(fig.axes[0].get_lines()) == 2
    ecl = E.eclipses(orb, EPOCH, 0.5, step_s=60.0)
    fig = eclipse_minutes_figure(ecl)
    assert len(fig.axes[0].get_lines()) == 2
    rad = E.radiation_exposure(orb, EPOCH, 0.2, return_tracks=True)
    fig = saa_map_figure(rad)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert len(labels) == 2 and "min/day in SAA" in labels[0]
    import matplotlib.pyplot as plt

    plt.close("all")
