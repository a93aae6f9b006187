"""Bad input at sim's library edges (issue 13, deliverables 7 and 8).

Every case calls a public function with a wrong type, shape, NaN/NaT, an empty or huge value
and asserts: the error is the expected :class:`sim.errors.SimError` subclass, its message is
one line (< 300 characters) naming the argument, and it carries no traceback or numpy/astropy
internals. Then the physics edges: re-entry from a low orbit, radial/unbound state vectors,
one date rule and one minimum-altitude rule shared by the library and the scenario schema.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import sim
from sim import constants as C
from sim import coverage, environment, launch, lifetime
from sim.atmosphere import EXPONENTIAL_TABLE, AtmosphereError, exponential_density, msis_density
from sim.environment import EnvironmentError_
from sim.errors import ElementError, ModelError, PresetError, SimError, TimeInputError, TLEError
from sim.frames import convert, itrs_to_geodetic
from sim.launch import LaunchSite, SiteError
from sim.regions import RegionError, equal_area_grid

EPOCH = "2027-01-01T00:00:00"
ORB = sim.Orbit.circular(400.0, 51.6, epoch=EPOCH)
T = sim.time_range(EPOCH, step_s=600.0, days=0.05)
_SUN = np.array([[1.5e11, 0.0, 0.0]])  # one Sun position (TEME, m)
_OMM = {
    "OBJECT_NAME": "ISS (ZARYA)",
    "OBJECT_ID": "1998-067A",
    "EPOCH": "2025-08-10T12:00:00.000000",
    "MEAN_MOTION": 15.5,
    "ECCENTRICITY": 0.0003,
    "INCLINATION": 51.64,
    "RA_OF_ASC_NODE": 100.0,
    "ARG_OF_PERICENTER": 50.0,
    "MEAN_ANOMALY": 300.0,
    "NORAD_CAT_ID": 25544,
    "BSTAR": 0.0002,
}
#: What a message must never contain: a traceback or the internals of numpy/astropy/ERFA.
_INTERNALS = ("Traceback", "ERFA", "dtf2d", "broadcast together", "ufunc", "ndarray", "array([", "\n")


def _no_omm_field(field):
    rec = dict(_OMM)
    del rec[field]
    return rec


# (call, expected SimError subclass, the argument the message must name)
CASES = [
    # the known failures of issue 13
    (lambda: sim.Orbit.circular([400, 500, 600], [51.6, 97]), ElementError, "inclination_deg"),
    (lambda: sim.Orbit.from_tle(None, None), TLEError, "line1"),
    (lambda: sim.Orbit.from_omm(5), TLEError, "OMM"),
    (lambda: sim.time_range(EPOCH, step_s=1e-3, days=1e3), TimeInputError, "step_s"),
    (lambda: sim.ground_track(ORB, np.array(["NaT"], dtype="datetime64[s]")), TimeInputError, "NaT"),
    (lambda: sim.to_time("2027-13-01"), TimeInputError, "month"),
    (lambda: sim.Orbit.from_omm(_no_omm_field("NORAD_CAT_ID")), TLEError, "NORAD_CAT_ID"),
    (lambda: sim.Orbit.from_omm(dict(_OMM, EPOCH="10 Aug 2025")), TLEError, "EPOCH"),
    (lambda: sim.Orbit.from_omm(dict(_OMM, MEAN_MOTION="fast")), TLEError, "MEAN_MOTION"),
    # wrong types where a number belongs
    (lambda: sim.Orbit.circular(None, 51.6), ElementError, "altitude_km"),
    (lambda: sim.Orbit.circular("400", 51.6), ElementError, "altitude_km"),
    (lambda: sim.Orbit.circular(True, 51.6), ElementError, "altitude_km"),
    (lambda: sim.Orbit.circular(400, {"deg": 51.6}), ElementError, "inclination_deg"),
    (lambda: sim.Orbit.circular(400, float("nan")), ElementError, "inclination_deg"),
    (lambda: sim.Orbit.circular(float("inf"), 51.6), ElementError, "altitude_km"),
    (lambda: sim.Orbit.sun_synchronous(500, None), ElementError, "ltan_hours"),
    (lambda: sim.Orbit.from_classical(7000, "0.01", 51.6), ElementError, "eccentricity"),
    (
        lambda: sim.Orbit.from_classical(7000, 0.01, 51.6, mean_anomaly_deg=[1, 2, 3], raan_deg=[1, 2]),
        ElementError,
        "raan_deg",
    ),
    (lambda: sim.Orbit.from_state([7e6, 0, 0], None, EPOCH), ElementError, "v"),
    (lambda: sim.Orbit.from_state(np.ones((2, 2)), np.ones((2, 2)), EPOCH), ElementError, "shaped"),
    (lambda: sim.Orbit.from_state([7e6, 0, 0], [0, 7500, 0], EPOCH, frame="ECEF"), ModelError, "frame"),
    (lambda: sim.Orbit.circular(400, 51.6, names="ISS"), ElementError, "names"),
    (lambda: sim.Orbit.circular(400, 51.6, altitude_kind=np.ones(2)), ElementError, "altitude_kind"),
    (lambda: sim.Orbit.from_tles("1 25544U"), TLEError, "pairs"),
    (lambda: sim.Orbit.from_tles([("1 25544U",)]), TLEError, "element set 0"),
    (lambda: sim.Orbit.concat([ORB, "iss"]), ElementError, "orbits"),
    (lambda: ORB["x"], ElementError, "index"),
    (lambda: ORB[5], ElementError, "index"),
    (lambda: ORB.propagate(T, model={"j2": 1}), ModelError, "model"),
    (lambda: ORB.propagate(T, frame=None), ModelError, "frame"),
    (lambda: ORB.to_sgp4_satrecs(np.ones(2)), ModelError, "gravity"),
    (lambda: sim.Orbit.from_boinor("orbit"), ElementError, "orb"),
    # times
    (lambda: sim.to_time(None), TimeInputError, "times"),
    (lambda: sim.to_time(5.0), TimeInputError, "times"),
    (lambda: sim.to_time([]), TimeInputError, "times"),
    (lambda: sim.to_time("1900-01-01"), TimeInputError, "1957"),
    (lambda: sim.to_time("2207-01-01"), TimeInputError, "2100"),
    (lambda: sim.to_time(np.array(["2027-01-01", "NaT"], dtype="datetime64[s]")), TimeInputError, "index 1"),
    (lambda: sim.time_range(EPOCH, step_s=None, days=1), TimeInputError, "step_s"),
    (lambda: sim.time_range(EPOCH, step_s=60, days=True), TimeInputError, "days"),
    (lambda: sim.time_range(EPOCH, step_s=60, days=float("nan")), TimeInputError, "days"),
    (lambda: sim.time_range(EPOCH, step_s=np.array([]), days=1), TimeInputError, "step_s"),
    (lambda: sim.time_range(EPOCH, "2026-01-01", step_s=60), TimeInputError, "stop"),
    # analyses
    (lambda: sim.ground_track(None, T), ElementError, "orbit"),
    (lambda: sim.ground_track(ORB, T, model=np.ones(2)), ModelError, "model"),
    (lambda: coverage.region_coverage("iss", "russia", EPOCH, 0.1, 10.0), ElementError, "orbit"),
    (lambda: coverage.region_coverage(ORB, "russia", EPOCH, np.array([]), 10.0), SimError, "days"),
    (lambda: coverage.region_coverage(ORB, "russia", EPOCH, 0.1, np.ones((2, 2))), SimError, "footprint"),
    (lambda: coverage.point_revisit(ORB, "55.7", 37.6, EPOCH, 0.1, 10.0), SimError, "lat_deg"),
    (lambda: coverage.point_revisit(ORB, [55.7, 60.0], [37.6], EPOCH, 0.1, 10.0), SimError, "lon_deg"),
    (lambda: launch.windows(ORB, "baikonur_31", EPOCH, days="one"), TimeInputError, "days"),
    (lambda: launch.windows(ORB, "baikonur_31", EPOCH, days=1, plane=np.ones(2)), SimError, "plane"),
    (lambda: launch.windows(ORB, "baikonur_31", EPOCH, days=1, directions=None), SimError, "directions"),
    (lambda: launch.windows(None, "baikonur_31", EPOCH, days=1), ElementError, "target"),
    (lambda: launch.opportunities_per_day(None), ElementError, "orbit"),
    (lambda: launch.site(np.ones((2, 2))), PresetError, "site"),
    (lambda: environment.beta_angle(None, T), EnvironmentError_, "orbit"),
    (lambda: environment.eclipses(ORB, EPOCH, "2027-01-02", step_s="30"), EnvironmentError_, "step_s"),
    (lambda: environment.eclipses(ORB, EPOCH, "2027-01-02", model=np.ones(2)), ModelError, "shadow model"),
    (lambda: environment.radiation_exposure(ORB, EPOCH, days=np.ones((2, 2))), EnvironmentError_, "days"),
    (lambda: environment.field_grid(EPOCH, alt_range_km=None), EnvironmentError_, "alt_range_km"),
    (lambda: environment.field_grid(EPOCH, step_deg="2"), EnvironmentError_, "step_deg"),
    (lambda: environment.geomagnetic_latitude_deg("north", 0.0, 400.0, EPOCH), EnvironmentError_, "lat_deg"),
    (lambda: msis_density(EPOCH, 0.0, 0.0, float("nan")), AtmosphereError, "alt_km"),
    (lambda: msis_density(EPOCH, "equator", 0.0, 400.0), AtmosphereError, "lat_deg"),
    (lambda: msis_density(EPOCH, np.array([]), 0.0, 400.0), AtmosphereError, "lat_deg"),
    (lambda: exponential_density({"h": 1}), AtmosphereError, "alt_km"),
    (lambda: sim.atmosphere.solar_activity(np.ones((2, 2))), AtmosphereError, "solar_activity"),
    (lambda: convert(np.ones((1, 1, 2)), None, T[:1], "GCRS", "ITRS"), ModelError, "r"),
    (lambda: convert(np.ones((1, 1, 3)), None, T[:1], 5, "ITRS"), ModelError, "from frame"),
    (lambda: itrs_to_geodetic(None), ModelError, "r_itrs"),
    (lambda: lifetime.decay(None, days=1), ModelError, "orbit"),
    (lambda: lifetime.decay(ORB, days=np.ones(2)), ModelError, "days"),
    (lambda: lifetime.reboost_budget(ORB, years="1"), ModelError, "years"),
    (lambda: lifetime.reboost_budget(ORB, band_km=np.ones((2, 2)), years=0.01), ModelError, "band_km"),
    (lambda: lifetime.drag_dv_per_year(ORB, span_days=[]), ModelError, "span_days"),
    (lambda: lifetime.default_band_km("400"), ModelError, "altitude_km"),
    (lambda: sim.spacecraft.spacecraft(np.ones((2, 2))), PresetError, "spacecraft"),
    (lambda: sim.presets.get({"name": "iss"}), PresetError, "preset"),
    # the last unclean failures of the fuzz harness (raw TypeError/IndexError or a multi-line repr)
    (lambda: coverage.passes(ORB, None, EPOCH, "2027-01-01T06:00:00"), SimError, "station"),
    (lambda: coverage.passes(ORB, {}, EPOCH, "2027-01-01T06:00:00"), SimError, "station"),
    (lambda: coverage.passes(ORB, np.array([]), EPOCH, "2027-01-01T06:00:00"), SimError, "station"),
    (lambda: coverage.contact_minutes_per_day(ORB, 5.0, EPOCH, 0.2), SimError, "stations"),
    (lambda: coverage.contact_minutes_per_day(ORB, np.ones((2, 2)), EPOCH, 0.2), SimError, "stations"),
    (lambda: coverage.city_revisit(ORB, EPOCH, 0.1, 10.0, cities=True), SimError, "cities"),
    (lambda: coverage.city_revisit(ORB, EPOCH, 0.1, 10.0, cities=np.ones((2, 2))), SimError, "cities"),
    (lambda: coverage.city_revisit(ORB, EPOCH, 0.1, 10.0, cities=[(55.7, 37.6)]), SimError, "cities[0]"),
    (lambda: coverage.region_coverage(ORB, np.ones((2, 2)), EPOCH, 0.1, 10.0), PresetError, "region"),
    (lambda: coverage.revolutions_over(ORB, 42, EPOCH, 1.0), PresetError, "region"),
    (lambda: coverage.region_coverage(ORB, "russia", EPOCH, 0.1, 10.0, cell_km=None), RegionError, "cell_km"),
    (lambda: coverage.region_coverage(ORB, "russia", EPOCH, 0.1, 10.0, cell_km="50"), RegionError, "cell_km"),
    (lambda: coverage.region_coverage(ORB, "russia", EPOCH, 0.1, 10.0, cell_km=np.ones(2)), RegionError, "cell_km"),
    (lambda: equal_area_grid(0.5), RegionError, "cell_km"),
    (lambda: environment.shadow_function(None, _SUN), ModelError, "r_teme"),
    (lambda: environment.shadow_function("far", _SUN), ModelError, "r_teme"),
    (lambda: environment.shadow_function(np.ones((2, 2)), _SUN), ModelError, "r_teme"),
    (lambda: environment.shadow_function(np.full((1, 2, 3), 7e6), np.ones((3, 3))), ModelError, "sun_teme"),
    (lambda: environment.illuminated_fraction(np.full((2, 3), 7e6), {}), ModelError, "sun_teme"),
    (lambda: environment.eclipse_beta_limit_deg("abc"), ElementError, "altitude_km"),
    (lambda: environment.eclipse_beta_limit_deg({}), ElementError, "altitude_km"),
    (lambda: environment.eclipse_fraction_cylindrical(400.0, "abc"), EnvironmentError_, "beta_deg"),
    (lambda: environment.eclipse_fraction_cylindrical({}, 0.0), ElementError, "altitude_km"),
    (lambda: environment.eclipse_fraction_cylindrical([400, 500], [0, 10, 20]), EnvironmentError_, "beta_deg"),
    (lambda: environment.ltan_hours(ORB, T, kind=np.ones((2, 2))), ModelError, "kind"),
    (lambda: environment.ltan_hours(ORB, T, kind=np.array([])), ModelError, "kind"),
    (lambda: LaunchSite.custom(None, 45.0), SiteError, "latitude_deg"),
    (lambda: LaunchSite.custom("north", 45.0), SiteError, "latitude_deg"),
    (lambda: LaunchSite.custom(45.0, np.ones((2, 2))), SiteError, "longitude_deg"),
    (lambda: LaunchSite.custom(45.0, 63.3, {}), SiteError, "altitude_m"),
    (lambda: launch.plane_change_dv_m_s("abc", 7600.0), SimError, "angle_deg"),
    (lambda: launch.plane_change_dv_m_s(1.0, {}), SimError, "speed_m_s"),
    (lambda: launch.plane_change_dv_m_s([1.0, 2.0], [7600.0, 7700.0, 7800.0]), SimError, "speed_m_s"),
    (
        lambda: launch.windows(ORB, "baikonur_31", EPOCH, days=1, insertion_perigee_km=None),
        SimError,
        "insertion_perigee",
    ),
    (
        lambda: launch.windows(ORB, "baikonur_31", EPOCH, days=1, insertion_perigee_km="197"),
        SimError,
        "insertion_perigee",
    ),
    (lambda: launch.windows(ORB, "baikonur_31", EPOCH, days=1, insertion_apogee_km=-1.0), SimError, "insertion_apogee"),
    (lambda: sim.atmosphere.msis_table({}), AtmosphereError, "solar_activity"),
    (lambda: sim.atmosphere.msis_table(np.ones((2, 2))), AtmosphereError, "solar_activity"),
    (lambda: sim.atmosphere.msis_table([140.0, 140.0]), AtmosphereError, "solar_activity"),
]


@pytest.mark.parametrize(("call", "error", "argument"), CASES, ids=[f"case{i:02d}" for i in range(len(CASES))])
def test_bad_input_is_one_clear_line(call, error, argument):
    with pytest.raises(error) as info:
        call()
    msg = str(info.value)
    assert isinstance(info.value, SimError)
    assert argument in msg, msg
    assert len(msg) < 300, msg
    for bad in _INTERNALS:
        assert bad not in msg, (bad, msg)


def test_there_are_enough_cases():
    assert len(CASES) >= 35


# ---------------------------------------------------------------- memory guard


def test_time_grid_memory_guard_gives_the_count_and_a_step():
    with pytest.raises(TimeInputError) as info:
        sim.time_range(EPOCH, step_s=1e-3, days=1e3)
    msg = str(info.value)
    assert "86,400,000,001 times" in msg  # 1e3 days / 1 ms + 1
    assert f"{C.MAX_TIME_SAMPLES:,}" in msg and "step_s >=" in msg
    # the largest grid allowed is built: 1 day at 1 s is 86,401 samples
    assert len(sim.time_range(EPOCH, step_s=1.0, days=1.0)) == 86_401


# ---------------------------------------------------------------- one date rule


@pytest.mark.parametrize("when", ["1956-12-31T23:59:59", "2101-01-01T00:00:00"])
def test_dates_outside_1957_2100_are_refused_by_library_and_schema(when):
    from sim.schema import to_datetime

    with pytest.raises(TimeInputError, match=f"{C.MIN_YEAR}-{C.MAX_YEAR}"):
        sim.to_time(when)
    with pytest.raises(ValueError, match=f"between {C.MIN_YEAR} and {C.MAX_YEAR}"):
        to_datetime(when)


def test_dates_at_the_limits_are_accepted_everywhere():
    from sim.schema import to_datetime

    for when in ("1957-01-01T00:00:00", "2100-12-31T23:59:59"):
        assert sim.to_time(when).isot[0].startswith(when[:19])
        assert to_datetime(when).isoformat() == when


# ---------------------------------------------------------------- one minimum-altitude rule


def test_min_altitude_is_one_rule_for_library_and_scenario():
    from sim.scenario import Circular, Classical, SunSynchronous

    assert C.MIN_ALTITUDE_KM == 100.0
    for build in (
        lambda: sim.Orbit.circular(50, 51.6),
        lambda: sim.Orbit.circular(C.MIN_ALTITUDE_KM, 51.6),
        lambda: sim.Orbit.sun_synchronous(C.MIN_ALTITUDE_KM, 10.5),
        lambda: sim.Orbit.from_classical(7000.0, 0.08, 51.6),  # perigee 61.9 km
    ):
        with pytest.raises(ElementError, match="100"):
            build()
    for model, fields in (
        (Circular, {"altitude_km": C.MIN_ALTITUDE_KM, "inclination_deg": 51.6}),
        (SunSynchronous, {"altitude_km": C.MIN_ALTITUDE_KM, "ltan_hours": 10.5}),
        (Classical, {"semi_major_axis_km": 7000.0, "eccentricity": 0.08, "inclination_deg": 51.6}),
    ):
        with pytest.raises(ValueError, match="100"):
            model(**fields)
    # just above the rule both accept: a 100.5 km circular orbit and a 101 km perigee
    assert sim.Orbit.circular(100.5, 51.6).altitude_km[0] == pytest.approx(100.5)
    a = C.R_EARTH / 1e3 + 101.0
    assert sim.Orbit.from_classical(a / (1 - 0.01), 0.01, 51.6).perigee_altitude_km[0] == pytest.approx(101.0)
    Classical(semi_major_axis_km=a / (1 - 0.01), eccentricity=0.01, inclination_deg=51.6)


# ---------------------------------------------------------------- state vectors


@pytest.mark.parametrize(
    ("r", "v", "needle"),
    [
        ([7e6, 0, 0], [7000, 0, 0], "radial"),  # issue 13: gave a = 2e24 km
        ([7e6, 0, 0], [0, 0, 0], "zero angular momentum"),
        ([0, 7e6, 0], [0, -3000, 0], "radial"),
        # escape speed at 7,000 km is sqrt(2 mu / r) = 10,671.7 m/s
        ([7e6, 0, 0], [0, 10_671.75, 0], "parabolic or hyperbolic"),
        ([7e6, 0, 0], [0, 12_000, 0], "parabolic or hyperbolic"),
    ],
)
def test_radial_and_unbound_states_are_refused(r, v, needle):
    with pytest.raises(ElementError, match=needle) as info:
        sim.Orbit.from_state(r, v, EPOCH)
    assert len(str(info.value)) < 300


def test_bound_state_just_under_escape_speed_is_accepted():
    v_esc = math.sqrt(2 * C.MU_EARTH / 7e6)
    orb = sim.Orbit.from_state([7e6, 0, 0], [0, 0.9 * v_esc, 0], EPOCH, to_mean=False)
    # vis-viva: a = 1 / (2/r - v^2/mu) = r / (2 - 0.81 * 2) = 7e6 / 0.38
    assert orb.a[0] == pytest.approx(7e6 / 0.38, rel=1e-9)


# ---------------------------------------------------------------- re-entry from a low orbit


def _analytic_lifetime_days(h0_km, h1_km, cda_over_m, inc_deg=0.0):
    """King-Hele's circular-orbit decay, da/dt = -rho(h) sqrt(mu a) F (Cd A/m), integrated from h0
    to h1 in the exponential atmosphere of Vallado, *Fundamentals* 4th ed. Table 8-4 (sim's
    EXPONENTIAL_TABLE), with the co-rotation factor F = (1 - omega r cos i / v)^2."""
    h = np.linspace(h1_km, h0_km, 20001)
    a = C.R_EARTH + h * 1e3
    v = np.sqrt(C.MU_EARTH / a)
    F = (1.0 - C.OMEGA_EARTH * a * math.cos(math.radians(inc_deg)) / v) ** 2
    rate = exponential_density(h, EXPONENTIAL_TABLE) * np.sqrt(C.MU_EARTH * a) * F * cda_over_m  # m/s
    return float(np.trapezoid(1.0 / rate, h * 1e3)) / C.DAY_S


def test_150_km_orbit_reenters_as_the_analytic_decay_says():
    """An equatorial 150 km orbit (geodetic = geocentric height there) in the same exponential
    atmosphere re-enters (120 km) when King-Hele's integral says, within 15 %: the J2 offset
    of the mean radius (a few km, i.e. ~10-20 % of density at a 20 km scale height) and the
    integrator's orbit-mean altitude are what the analytic estimate leaves out."""
    orb = sim.Orbit.circular(150.0, 0.0, epoch=EPOCH)
    res = lifetime.decay(orb, "ros_stage2", days=30, atmosphere="exponential")
    sc = sim.spacecraft.spacecraft("ros_stage2")
    ref = _analytic_lifetime_days(orb.orbit_mean_altitude_km[0], 120.0, sc.cd_area_over_mass)
    assert np.isfinite(res.reentry_days[0])
    assert res.reentry_days[0] == pytest.approx(ref, rel=0.15)
    assert res.reentry_days[0] < 1.0  # hours, not days: SMAD (Wertz & Larson) Fig. 8-4 puts 150 km under a day


def test_decay_report_says_reentry_instead_of_a_budget():
    """`sim decay --altitude 150` printed nan and 1,400 burns a year; it now reports the re-entry."""
    low = sim.Orbit.circular(150.0, 51.6, epoch=EPOCH, names=["low"])
    b = lifetime.reboost_budget(low, years=1.0)
    assert not b.held[0] and np.isnan(b.dv_m_s[0]) and np.isnan(b.burns_per_year[0])
    assert 0.1 < b.reentry_days[0] < 1.0
    table = b.table()
    assert "re-enters after" in table and "hours" in table and "nan" not in table.split("\n")[2][60:]
    assert np.isfinite(b.initial_decay_km_per_day[0]) and b.initial_decay_km_per_day[0] > 10.0


def test_cli_decay_from_150_km_reports_reentry(capsys):
    from sim.cli import main

    assert main(["decay", "--altitude", "150", "--inclination", "51.6", "--solar", "moderate"]) == 0
    out = capsys.readouterr().out
    assert "re-enters after" in out and "without reboost" in out


# ---------------------------------------------------------------- forms that now work


def test_msis_table_takes_a_list_of_indices_like_the_tuple():
    """msis_table is cached on the SolarActivity: a list [f107, f107a, ap] used to fail with
    'unhashable type: list'; it now gives the very table of the tuple, and a level name in any
    case shares the named level's table."""
    from sim.atmosphere import msis_table

    by_list = msis_table([140.0, 140.0, 15.0])
    assert by_list is msis_table((140.0, 140.0, 15.0))
    assert (by_list.activity.f107, by_list.activity.f107a, by_list.activity.ap) == (140.0, 140.0, 15.0)
    assert msis_table("Moderate") is msis_table("moderate")
    # same indices as the "moderate" level, so the same densities (ln rho equal to 1e-12)
    assert np.allclose(by_list.log_rho, msis_table("moderate").log_rho, rtol=0.0, atol=1e-12)


def test_passes_over_a_lat_lon_pair_match_the_same_station():
    """``station=(lat_deg, lon_deg)`` is documented; it raised "'float' object is not iterable"."""
    moscow = coverage.Station("station", 55.75, 37.62)
    stop = "2027-01-01T12:00:00"
    by_pair = coverage.passes(ORB, (55.75, 37.62), EPOCH, stop)
    by_station = coverage.passes(ORB, moscow, EPOCH, stop)
    assert len(by_pair) == len(by_station) >= 1
    assert np.allclose(by_pair.column("rise_s"), by_station.column("rise_s"), rtol=0.0, atol=1e-6)
    assert np.all(by_pair.column("max_elevation_deg") >= moscow.min_elevation_deg)


def test_range_errors_print_the_value_as_given_not_as_a_list():
    # "got -5", not "got [-5.0]" (a one-line message a user reads); arrays show up to three bad values
    from sim.errors import ElementError, check_range

    with pytest.raises(ElementError, match=r"^threshold_km must be in \(0, 100000\] km, got -5$"):
        check_range("threshold_km", -5.0, 0.0, 1e5, low_open=True, unit="km", scalar=True)
    with pytest.raises(ElementError, match=r"got -1, -2, -3 \(and 2 more\)$"):
        check_range("x", np.array([-1.0, -2.0, -3.0, -4.0, -5.0, 1.0]), 0.0, 10.0)
