"""Ground-station passes against Skyfield, physical limits, contact time, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.time import TimeDelta

from sim import presets
from sim.coverage import FootprintError, Station, contact_minutes_per_day, ground_stations, passes
from sim.errors import SimError

MOSCOW = Station("Moscow", 55.76, 37.62, 150.0, 10.0)
KHABAROVSK = Station("Khabarovsk", 48.48, 135.08, 80.0, 10.0)


@pytest.mark.validation
def test_passes_match_skyfield_find_events_for_a_real_iss_element_set():
    # The newest shipped ISS TLE through SGP4 on both sides, 3 days from its epoch, 10 deg mask,
    # two stations. Skyfield (builtin timescale) finds events to ~0.5 s itself (find_discrete
    # epsilon); the issue asks for 1 s. Measured: rise/set within 0.25 s, culmination within 0.1 s,
    # maximum elevation within 0.002 deg (tolerance 0.05 deg: Skyfield's culmination time error
    # of 0.5 s changes the elevation by < 0.01 deg near the top of a pass).
    from skyfield.api import EarthSatellite, load, wgs84

    _, l1, l2 = presets.iss_element_sets()[-1]
    iss = presets.get("iss")
    start = iss.epoch[0]
    stop = start + TimeDelta(3 * 86400.0, format="sec")
    ours = passes(iss, [MOSCOW, KHABAROVSK], start, stop, 10.0, model="sgp4")

    ts = load.timescale(builtin=True)
    sat = EarthSatellite(l1, l2, "ISS", ts)
    n_checked = 0
    for st in (MOSCOW, KHABAROVSK):
        topos = wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.height_m)
        t, ev = sat.find_events(topos, ts.from_astropy(start), ts.from_astropy(stop), altitude_degrees=10.0)
        # drop events of passes cut by the window so that both sides list whole passes
        while len(ev) and ev[0] != 0:
            t, ev = t[1:], ev[1:]
        while len(ev) and ev[-1] != 2:
            t, ev = t[:-1], ev[:-1]
        mine = [p for p in ours if p.station == st.name and not p.partial]
        rises, culms, sets = t[ev == 0], t[ev == 1], t[ev == 2]
        assert len(mine) == len(rises) == len(sets) == len(culms) > 5
        for p, r, c, s in zip(mine, rises, culms, sets):
            assert abs((ts.from_astropy(p.rise) - r) * 86400.0) < 1.0
            assert abs((ts.from_astropy(p.culmination) - c) * 86400.0) < 1.0
            assert abs((ts.from_astropy(p.set) - s) * 86400.0) < 1.0
            alt = (sat - topos).at(c).altaz()[0].degrees
            assert p.max_elevation_deg == pytest.approx(alt, abs=0.05)
            assert p.duration_s == pytest.approx(p.set_s - p.rise_s)
            n_checked += 1
    assert n_checked > 15


def test_no_passes_beyond_the_reach_of_an_inclined_orbit():
    # ISS 51.64 deg, 10 deg mask: lambda ~ 12.5 deg, so a station at 75 N never sees it;
    # a polar orbit passes over it several times a day.
    orb = presets.get(["iss_nominal", "ros_polar"])
    arctic = Station("Arctic", 75.0, 100.0, 0.0, 10.0)
    ps = passes(orb, arctic, "2027-01-01", "2027-01-02", model="j2")
    names = {p.orbit for p in ps}
    assert "ISS" not in names
    assert sum(p.orbit == "ROS 96.8" for p in ps) >= 6
    assert all(10.0 <= p.max_elevation_deg <= 90.0 for p in ps)
    # a pass at 400 km over a 10 deg mask lasts at most ~2 x 1,340 km / 7.2 km/s ~ 7 min
    assert all(0 < p.duration_s < 8 * 60 for p in ps)


def test_contact_minutes_agree_with_pass_durations_and_network_union():
    orb = presets.get(["iss_nominal", "ros_polar"])
    net = ground_stations("russia")[:4]
    c = contact_minutes_per_day(orb, net, "2027-01-01", 1.0, step_s=5.0)
    ps = passes(orb, net, "2027-01-01", "2027-01-02", step_s=5.0)
    for i, name in enumerate(orb.names):
        for s, st in enumerate(net):
            total = sum(p.duration_s for p in ps if p.orbit == name and p.station == st.name) / 60.0
            n = sum(p.orbit == name and p.station == st.name for p in ps)
            # sampling every 5 s miscounts each pass by at most one sample at each end
            assert abs(c["per_station"][i, s] - total) <= n * 2 * 5.0 / 60.0 + 1e-9
        assert c["per_station"][i].max() <= c["network"][i] <= c["per_station"][i].sum() + 1e-9


def test_station_preset_and_pass_table():
    net = ground_stations("russia")
    assert len(net) >= 10 and all(st.source for st in net)
    ps = passes(presets.get("ros_polar"), net[0], "2027-01-01", "2027-01-02")
    arr = ps.as_arrays()
    assert set(arr) >= {"rise", "culmination", "set", "max_elevation_deg", "duration_s"}
    assert np.all(np.diff(arr["rise_s"]) > 0)
    assert np.all((arr["rise_s"] < arr["culmination_s"]) & (arr["culmination_s"] < arr["set_s"]))


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda o: passes(o, MOSCOW, "2027-01-01", "2027-01-02", 95.0), FootprintError),
        (lambda o: passes(o, MOSCOW, "2027-01-02", "2027-01-01"), SimError),
        (lambda o: passes(o, Station("x", 95.0, 0.0), "2027-01-01", "2027-01-02"), SimError),
        (lambda o: ground_stations("atlantis"), SimError),
        (lambda o: contact_minutes_per_day(o, "russia", "2027-01-01", 1.0, min_elevation_deg=-5), FootprintError),
    ],
)
def test_bad_pass_input(call, exc):
    with pytest.raises(exc):
        call(presets.get("ros_polar"))
