"""Launch windows (sim.launch) against real launches, closed-form geometry and Skyfield."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from validation import record

from sim import constants as C
from sim import launch, presets
from sim.errors import ElementError, SimError, TimeInputError, TLEError
from sim.orbits import Orbit
from sim.timeutil import seconds_between, to_time


def _tle(epoch_str):
    sets = [s for s in presets.iss_element_sets() if epoch_str in s[1]]
    assert sets, epoch_str
    return Orbit.from_tle(sets[0][1], sets[0][2], name="ISS")


def _omm(epoch_prefix):
    recs = [r for r in presets.iss_omm_records() if r["EPOCH"].startswith(epoch_prefix)]
    assert recs, epoch_prefix
    return Orbit.from_omm(recs[0])


# Real launches from Baikonur Site 31 (reference_facts.md; the whole calibration sample of 12 launches is
# checked in test_liftoff_calibration.py): (mission, element-set loader, actual liftoff UTC, profile flown)
REAL_LAUNCHES = [
    ("Soyuz MS-21", lambda: _tle("22071.78032407"), "2022-03-18T15:55:18.451", "2-orbit"),
    ("Progress MS-29", lambda: _omm("2024-11-21T08:34:27"), "2024-11-21T12:22:23", "2-day"),
]


@pytest.mark.parametrize("mission,loader,liftoff,profile", REAL_LAUNCHES, ids=[r[0] for r in REAL_LAUNCHES])
def test_real_launch_lies_near_a_predicted_ascending_window(mission, loader, liftoff, profile):
    orbit = loader()
    actual = to_time(liftoff)[0]
    tab = launch.windows(orbit, "baikonur_31", liftoff[:10] + "T00:00:00", days=1)
    asc = tab.select(tab.direction == "ascending")
    assert len(asc) >= 1
    dt = seconds_between(actual, asc.liftoff_utc)
    k = int(np.argmin(np.abs(dt)))
    # Issue requirement: within 3 minutes of the predicted window's liftoff_utc (the default lead
    # is for same-day profiles, so a 2-day launch sits ~2 min later; see sim.launch docstring).
    assert abs(dt[k]) < 180.0, f"{mission}: predicted liftoff {asc.liftoff_utc[k].isot} vs actual {liftoff}"
    row = asc[k]
    assert row.azimuth_allowed
    # The phase at insertion must allow the profile actually flown.
    assert profile in row.profiles, f"{mission}: phase {row.phase_deg:.1f} deg allows {row.profiles}"
    # The profile-specific liftoff (differential J2 regression pre-compensated) is closer still.
    # 30 s: these two launches are in the 12-launch sample the lead (196.5 s, its median) comes from;
    # their implied leads are 201.6 and 191.8 s; 30 s leaves room for the element sets' own plane
    # error (~0.02 deg = ~5 s). Not an independent check of the lead itself (test_liftoff_calibration).
    dt_p = float(seconds_between(actual, row.profile_liftoff_utc[profile]))
    assert abs(dt_p) < 30.0, f"{mission}: {profile} liftoff off by {dt_p:.1f} s"


def test_fast_profile_excluded_for_two_day_launch():
    # Progress MS-29 flew a 2-day profile: its phase (~250 deg) must not allow the 2-orbit one.
    tab = launch.windows(_omm("2024-11-21T08:34:27"), "baikonur_31", "2024-11-21T12:00", days=0.1)
    assert len(tab) == 1 and tab.direction[0] == "ascending"
    assert tab[0].profiles == ("2-day",)


def test_progress_ms07_geometry_falls_in_two_orbit_band():
    # Independent cross-check of the 2-orbit band: for Progress MS-07 the ISS was 165 km
    # south-west of the Baikonur pad at liftoff (spaceflight101), i.e. behind the pad along the
    # north-east track by 165 km / R. Phase at insertion = that + ISS motion during ascent - downrange.
    iss = presets.get("iss_nominal")
    n_deg_s = math.degrees(math.sqrt(C.MU_EARTH / iss.a[0] ** 3))
    phase = -math.degrees(165e3 / C.R_MEAN) + n_deg_s * launch.DEFAULT_ASCENT_S - launch.DEFAULT_INSERTION_DOWNRANGE_DEG
    prof = launch.DEFAULT_PROFILES[0]
    ins_a = C.R_EARTH + 0.5 * (launch.INSERTION_PERIGEE_KM + launch.INSERTION_APOGEE_KM) * 1e3
    centre = float(prof.centre_deg(iss.a[0], ins_a))
    assert prof.name == "2-orbit"
    assert abs(phase - centre) <= prof.width_deg / 2, (phase, centre)


def test_insertion_downrange_from_published_state_vector():
    # Agapov (SeeSat-L 1997-12-17): Progress M-37 separation state at 00:08:49.04 after liftoff from
    # Baikonur site 1, Earth-fixed (EFG) r = (355.203, 4117.639, 5092.747) km. Inertial angle from the
    # pad at liftoff: rotate the point back by the Earth's rotation during ascent.
    pad = launch.site("baikonur_1").itrs_m
    efg = np.array([355.203, 4117.639, 5092.747]) * 1e3
    w = C.OMEGA_EARTH * 529.04
    rot = np.array([[math.cos(w), -math.sin(w), 0], [math.sin(w), math.cos(w), 0], [0, 0, 1]])
    ins = rot @ efg
    ang = math.degrees(math.acos(pad @ ins / np.linalg.norm(pad) / np.linalg.norm(ins)))
    assert abs(ang - launch.DEFAULT_INSERTION_DOWNRANGE_DEG) < 0.05  # rounding of the stored default


def test_azimuth_matches_spherical_trigonometry():
    tab = launch.windows("iss_nominal", "baikonur_31", "2027-01-01", days=3)
    asc = tab.select(tab.direction == "ascending")
    st = launch.site("baikonur_31")
    phi = math.radians(st.geocentric_latitude_deg)
    inc = math.radians(51.64)
    az_i = math.degrees(math.asin(math.cos(inc) / math.cos(phi)))  # sin Az = cos i / cos lat
    v = math.sqrt(C.MU_EARTH / presets.get("iss_nominal").a[0])
    v_e = C.OMEGA_EARTH * np.linalg.norm(st.itrs_m) * math.cos(phi)
    az_rot = math.degrees(math.atan2(v * math.sin(math.radians(az_i)) - v_e, v * math.cos(math.radians(az_i))))
    # 0.02 deg: the formula ignores polar motion (< 1e-6 rad) and uses the same geocentric latitude.
    np.testing.assert_allclose(asc.azimuth_inertial_deg, az_i, atol=0.02)
    np.testing.assert_allclose(asc.azimuth_deg, az_rot, atol=0.02)
    # Published: Soyuz launches to the ISS fly an azimuth of about 62 deg (launch_sites.csv notes).
    assert abs(asc.azimuth_deg.mean() - 62.0) < 0.7
    # Descending crossing is the mirror image (180 - Az) and Baikonur forbids it.
    desc = tab.select(tab.direction == "descending")
    np.testing.assert_allclose(desc.azimuth_inertial_deg, 180.0 - az_i, atol=0.02)
    assert not desc.azimuth_allowed.any() and (desc.plane_change_dv_m_s > 1000).all()


def test_window_period_follows_nodal_regression():
    orb = presets.get("iss_nominal")
    tab = launch.windows(orb, "baikonur_31", "2027-01-01", days=30)
    asc = tab.select(tab.direction == "ascending")
    t = seconds_between(asc.in_plane_utc[0], asc.in_plane_utc)
    spacing = np.diff(t)
    # Expected: the site's sidereal angle minus the node advance: 2 pi / (omega_E - raan_dot).
    raan_dot = math.radians(orb.nodal_rate_deg_per_day[0]) / C.DAY_S
    expected = 2 * math.pi / (C.OMEGA_EARTH - raan_dot)
    # 1 s: GMST (astropy/ERFA) vs the constant omega_E differ by < 1e-8 relative; root tolerance 1 ms.
    np.testing.assert_allclose(spacing, expected, atol=1.0)
    # Issue: "about 23 h 56 min minus the nodal drift": ~20 min less than a sidereal day for the ISS
    # (4.95 deg/day / 361 deg/day of the site), i.e. ~23 min earlier each solar day.
    drift_min = (2 * math.pi / C.OMEGA_EARTH - spacing.mean()) / 60.0
    assert 19.0 < drift_min < 21.0


@pytest.mark.parametrize("key", sorted(launch.sites()))
def test_polar_target_gives_two_windows_a_day(key):
    tab = launch.windows("ros_polar", key, "2027-03-01", days=20)
    days, counts = launch.windows_per_day(tab)
    # 20 days; windows repeat every ~23 h 59 min (96.8 deg: node advances +0.7 deg/day)
    assert len(days) == 20
    assert abs(counts.sum() - 40) <= 1
    assert set(tab.direction) == {"ascending", "descending"}
    assert tab.in_plane.all()


def test_in_plane_instants_agree_with_brentq():
    from scipy.optimize import brentq

    orbit = _tle("22071.78032407")
    for plane in ("mean", "osculating"):
        tab = launch.windows(orbit, "baikonur_31", "2022-03-18", days=2, plane=plane)
        g = launch._Geometry(orbit, launch.site("baikonur_31"), tab.start, 2 * C.DAY_S, plane, "sgp4")
        ts = seconds_between(tab.start, tab.in_plane_utc)
        for t in ts:
            root = brentq(lambda x, g=g: float(g.f(np.array([x]))[0][0]), t - 300.0, t + 300.0, xtol=1e-4)
            assert abs(root - t) < 0.01  # issue: solved to under 1 s; we ask 1 ms and check 10 ms


@pytest.mark.validation
def test_in_plane_instants_agree_with_skyfield_brute_force():
    """Independent geometry: Skyfield GCRS states of the TLE and of the site, 2-s grid, sign changes."""
    from skyfield.api import EarthSatellite, load, wgs84

    sets = [s for s in presets.iss_element_sets() if "22071.78032407" in s[1]][0]
    ts_sf = load.timescale(builtin=True)
    sat = EarthSatellite(sets[1], sets[2], "ISS", ts_sf)
    st = launch.site("baikonur_31")
    place = wgs84.latlon(st.latitude_deg, st.longitude_deg, elevation_m=st.altitude_m)
    secs = np.arange(0.0, 86400.0, 2.0)
    t = ts_sf.utc(2022, 3, 18, 0, 0, secs)
    sp = sat.at(t)
    r, v = sp.position.m.T, sp.velocity.m_per_s.T
    s = place.at(t).position.m.T
    f = np.sum(np.cross(r, v) * s, axis=-1)
    i = np.nonzero(np.sign(f[:-1]) != np.sign(f[1:]))[0]
    brute = secs[i] - f[i] * (secs[i + 1] - secs[i]) / (f[i + 1] - f[i])
    ours_osc = launch.windows(_tle("22071.78032407"), "baikonur_31", "2022-03-18", days=1, plane="osculating")
    ours_mean = launch.windows(_tle("22071.78032407"), "baikonur_31", "2022-03-18", days=1)
    t_osc = seconds_between(to_time("2022-03-18")[0], ours_osc.in_plane_utc)
    t_mean = seconds_between(to_time("2022-03-18")[0], ours_mean.in_plane_utc)
    assert len(brute) == len(t_osc) == 2
    # Osculating plane: same physics, independent frames/UT1 -> under 1 s (issue: < 1 s).
    src = "Skyfield brute force (2 s grid)"
    record("Baikonur in-plane instants (osculating): worst difference", np.abs(t_osc - brute).max(), None, 1, "s", src)
    np.testing.assert_allclose(t_osc, brute, atol=1.0)
    # Mean plane: differs by the short-period J2 wobble of the node and inclination
    # (~0.02-0.03 deg / 0.254 deg per min of window time = up to ~10 s); bound 20 s.
    np.testing.assert_allclose(t_mean, brute, atol=20.0)


def test_site_above_inclination_costs_a_plane_change():
    for key, preset in (("vostochny_1s", "ros_51"), ("plesetsk_43", "iss_nominal"), ("vostochny_1s", "iss_nominal")):
        tab = launch.windows(preset, key, "2027-01-01", days=5)
        assert len(tab) >= 4  # one closest approach per sidereal day, never an empty result
        assert set(tab.direction) == {"closest"} and not tab.in_plane.any()
        st = launch.site(key)
        orb = presets.get(preset)
        expected = st.geocentric_latitude_deg - orb.inclination_deg[0]  # due-east launch: planes differ by lat - i
        np.testing.assert_allclose(tab.plane_change_deg, expected, atol=0.01)
        v = math.sqrt(C.MU_EARTH / orb.a[0])
        # 0.2 m/s = 0.0015 deg: polar motion (~0.3") and the closest-approach instant taken on the
        # mean plane are left out of the closed form.
        np.testing.assert_allclose(tab.plane_change_dv_m_s, 2 * v * math.sin(math.radians(expected) / 2), atol=0.2)
        assert (tab.payload_penalty_kg > 0).all()
        np.testing.assert_allclose(tab.azimuth_inertial_deg, 90.0, atol=1e-6)
    # Vostochny -> ROS 51.6: 51.69 deg geocentric vs 51.6 deg: a ~0.1 deg dog-leg, ~12 m/s.
    tab = launch.windows("ros_51", "vostochny_1s", "2027-01-01", days=2)
    assert 5.0 < tab.plane_change_dv_m_s[0] < 20.0


def test_forbidden_azimuth_costs_and_retrograde_directions():
    tab = launch.windows("ros_polar", "baikonur_31", "2027-01-01", days=2)
    asc = tab.select(tab.direction == "ascending")
    desc = tab.select(tab.direction == "descending")
    # Retrograde 96.8 deg: northbound launch heads north-north-west (sin Az = cos i / cos lat < 0).
    assert ((asc.azimuth_deg > 340) & (asc.azimuth_deg < 352)).all() and asc.azimuth_allowed.all()
    assert (asc.plane_change_dv_m_s == 0).all() and (asc.payload_penalty_kg == 0).all()
    assert (~desc.azimuth_allowed).all() and (desc.plane_change_deg > 90).all()
    np.testing.assert_allclose(desc.payload_penalty_kg, launch.DEFAULT_LAUNCHER.payload_kg)


def test_launcher_model_slope_matches_rocket_equation_derivative():
    lm = launch.DEFAULT_LAUNCHER
    assert lm.payload_penalty_kg(0.0) == pytest.approx(0.0, abs=1e-9)
    c = C.G0 * lm.isp_s
    m0 = lm.stage_dry_kg + lm.stage_propellant_kg + lm.payload_kg
    mf = lm.stage_dry_kg + lm.payload_kg
    slope = m0 * mf / (c * lm.stage_propellant_kg)  # -dMpl/d(dv) from d(dv)/dMpl = c (1/M0 - 1/Mf)
    assert lm.payload_penalty_kg(1.0) == pytest.approx(slope, rel=1e-3)
    pen = lm.payload_penalty_kg(np.array([10.0, 100.0, 1000.0, 1e5]))
    assert np.all(np.diff(pen) > 0) and pen[-1] == lm.payload_kg


def test_table_exports(tmp_path):
    tab = launch.windows("iss_nominal", "ksc_39a", "2027-01-01", days=2)
    rows = tab.to_rows()
    text = json.dumps(rows)
    back = json.loads(text)
    for key in ("in_plane_utc", "liftoff_utc", "direction", "azimuth_deg", "phase_deg", "profiles"):
        assert key in back[0]
    assert back[0]["in_plane_utc"].endswith("Z") and "T" in back[0]["liftoff_utc"]
    assert back[0] == tab[0].to_dict()
    path = tmp_path / "w.csv"
    tab.to_csv(path)
    assert len(path.read_text().strip().splitlines()) == len(tab) + 1
    # KSC allows both a north-east and a south-east launch to ... only azimuths 35-120: ISS SE (137) is out
    assert tab.select(tab.direction == "ascending").azimuth_allowed.all()


def test_user_site_and_sites_listing():
    assert {"baikonur_31", "baikonur_1", "vostochny_1s", "plesetsk_43", "ksc_39a"} <= set(launch.sites())
    for st in launch.sites().values():
        assert st.source and st.limits_basis
    user = launch.site("5.24,-52.77")  # Kourou, no limits
    tab = launch.windows("iss_nominal", user, "2027-01-01", days=1)
    assert tab.azimuth_allowed.all() and len(tab) == 2
    custom = launch.LaunchSite.custom(45.0, 10.0, azimuth_range_deg=(0, 90))
    assert custom.azimuth_allowed([45.0, 350.0]).tolist() == [True, False]


def test_bad_input_raises_sim_errors():
    with pytest.raises(SimError, match="unknown launch site 'mars'.*baikonur_31"):
        launch.windows("iss_nominal", "mars", "2027-01-01", days=1)
    with pytest.raises(TimeInputError, match="start must be before stop"):
        launch.windows("iss_nominal", "baikonur_31", "2027-02-01", "2027-01-01")
    with pytest.raises(TimeInputError, match="at most"):
        launch.windows("iss_nominal", "baikonur_31", "2027-01-01", days=800)
    with pytest.raises(TimeInputError):
        launch.windows("iss_nominal", "baikonur_31", "not a date", days=1)
    with pytest.raises(TLEError):
        Orbit.from_tle(
            "1 25544U 98067A   22071.78032407  .00021395  00000-0  39008-3 0  9990",
            "2 25544  51.6424  94.0370 0004047 256.5103  89.8846 15.49386383330227",
        )
    with pytest.raises(ElementError, match="exactly one orbit"):
        launch.windows(presets.get(["iss_nominal", "ros_51"]), "baikonur_31", "2027-01-01", days=1)
    with pytest.raises(SimError, match="plane"):
        launch.windows("iss_nominal", "baikonur_31", "2027-01-01", days=1, plane="wobbly")
    with pytest.raises(SimError, match="latitude"):
        launch.LaunchSite.custom(95.0, 0.0)


def test_window_calendar_figure():
    from sim.plots import window_calendar_figure

    tabs = [
        launch.windows("iss_nominal", "baikonur_31", "2027-01-01", days=20),
        launch.windows("ros_51", "vostochny_1s", "2027-01-01", days=20),
    ]
    fig = window_calendar_figure(tabs, title="test")
    axes = fig.get_axes()
    assert len(axes) == 2
    # one marker per window in each panel, on the 0-24 h axis
    n_points = [sum(len(c.get_offsets()) for c in ax.collections) for ax in axes]
    assert n_points == [len(t) for t in tabs]
    ys = np.concatenate([c.get_offsets()[:, 1] for c in axes[0].collections])
    assert ys.min() >= 0 and ys.max() < 24
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_osculating_plane_survives_long_spans():
    # SGP4's node rate (drag lowers the orbit) drifts away from the J2 mean rate over months;
    # the osculating search brackets on its own plane, so it still finds two crossings a day.
    tab = launch.windows("iss", "baikonur_31", "2025-08-10", days=300, plane="osculating")
    days, counts = launch.windows_per_day(tab)
    # windows recur every 2 pi / (omega_E - raan_dot) = ~23 h 36 min: 86400 / 84980 per day and direction
    assert abs(counts.sum() - 2 * 300 * 86400 / 84980) < 3


@pytest.mark.parametrize("start", ["2026-11-15", "2026-12-01", "2027-03-01"])
def test_osculating_refinement_far_from_epoch(start):
    # The shipped ISS set (epoch 2025-08-10) propagated 15-19 months by SGP4 has its node
    # ~17 deg from the J2 mean plane's. Newton steps with the mean plane's derivative cycled
    # there ("did not converge" from about 2026-11-15); the bracketed refinement must land
    # every crossing on the osculating plane itself: site . normal = 0 to < 1e-6 (~6 m).
    tab = launch.windows("iss", "baikonur_31", start, days=2, plane="osculating")
    assert len(tab) == 4  # two crossings a day, one ascending and one descending
    from sim.frames import teme_to_itrs_matrix
    from sim.timeutil import offline_iers

    orbit = presets.get("iss")
    t = to_time([w.in_plane_utc for w in tab])
    r, v = orbit.propagate(t, model="sgp4", frame="TEME")
    normal = np.cross(r[0], v[0])
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    s = launch.site("baikonur_31").itrs_m
    with offline_iers():
        site_teme = np.einsum("tji,j->ti", teme_to_itrs_matrix(t), s / np.linalg.norm(s))
    assert np.max(np.abs(np.sum(normal * site_teme, axis=-1))) < 1e-6


def test_dog_leg_rows_are_labelled_and_costed():
    # Baikonur -> ISS: the north-east crossing flies straight in; the south-east one is forbidden
    # (no drop zones): it is a dog-leg, costed, never "in-plane".
    tab = launch.windows("iss_nominal", "baikonur_31", "2027-01-01", days=3)
    asc, desc = tab.direction == "ascending", tab.direction == "descending"
    assert (tab.window[asc] == "in-plane").all() and (tab.plane_change_deg[asc] == 0).all()
    assert (tab.window[desc] == "dog-leg").all() and (tab.plane_change_deg[desc] > 1).all()
    assert tab.in_plane[desc].all() and not tab.azimuth_allowed[desc].any()  # the pad is in the plane, no launch is
    np.testing.assert_array_equal(tab.dog_leg, tab.plane_change_deg > 0)
    # Vostochny (51.9 N) -> 51.6 deg: never in the plane: the closest approach with its dog-leg.
    ros = Orbit.circular(415.0, 51.6, 30.0, epoch="2027-01-01", names=["ROS 51.6"])
    v = launch.windows(ros, "vostochny_1s", "2027-01-01", days=3)
    assert len(v) >= 3 and set(v.window) == {"dog-leg"} and set(v.direction) == {"closest"}
    rows = v.to_rows()
    assert all(r["window"] == "dog-leg" and not r["in_plane"] and r["plane_change_dv_m_s"] > 5 for r in rows)
    # A site whose inclination range excludes the target: in the plane, right azimuth, still a dog-leg,
    # costed as the distance to the range (60 - 51.64 deg).
    st = launch.LaunchSite.custom(45.92, 63.34, inclination_range_deg=(60.0, 99.0), key="north_only")
    w = launch.windows("iss_nominal", st, "2027-01-01", days=2, directions="ascending")
    assert set(w.window) == {"dog-leg"} and w.in_plane.all()
    np.testing.assert_allclose(w.plane_change_deg, 60.0 - presets.get("iss_nominal").inclination_deg[0], atol=1e-9)


def test_liftoff_window_spans_the_calibration_scatter():
    lo, hi = launch.LEAD_SAMPLE_RANGE_S
    for lead in (launch.DEFAULT_LEAD_S, 0.0, 300.0):
        tab = launch.windows("iss_nominal", "baikonur_31", "2027-01-01", days=2, lead_s=lead)
        np.testing.assert_allclose(seconds_between(tab.liftoff_utc, tab.in_plane_utc), lead, atol=1e-6)
        np.testing.assert_allclose(
            seconds_between(tab.liftoff_earliest_utc, tab.liftoff_utc), hi - launch.DEFAULT_LEAD_S, atol=1e-6
        )
        np.testing.assert_allclose(
            seconds_between(tab.liftoff_utc, tab.liftoff_latest_utc), launch.DEFAULT_LEAD_S - lo, atol=1e-6
        )
    row = tab.to_rows()[0]
    # stable keys kept, new keys added
    for key in ("in_plane_utc", "liftoff_utc", "direction", "profiles", "profile_liftoff_utc"):
        assert key in row
    early, late = to_time(row["liftoff_window_utc"])
    assert early < to_time(row["liftoff_utc"])[0] < late
    for p, (e, la) in row["profile_liftoff_window_utc"].items():
        t = to_time(row["profile_liftoff_utc"][p])[0]
        assert float(seconds_between(to_time(e)[0], t)) == pytest.approx(hi - launch.DEFAULT_LEAD_S, abs=1e-3)
        assert float(seconds_between(t, to_time(la)[0])) == pytest.approx(launch.DEFAULT_LEAD_S - lo, abs=1e-3)
