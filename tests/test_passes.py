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


def _brute_force_passes(orbit, station, start, days, mask_deg, model):
    """Passes from a 1 s scan: elevation at every second (astropy-free frames path of
    Orbit.propagate, exact per-sample rotation), crossings interpolated linearly between seconds."""
    from sim.timeutil import time_range

    times = time_range(start, days=days, step_s=1.0)
    r = orbit.propagate(times, model=model, frame="ITRS")[0][0]
    rho = r - station.itrs_m()
    el = np.degrees(np.arcsin(rho @ station.up() / np.linalg.norm(rho, axis=1)))
    f = el - mask_deg
    up = np.nonzero((f[:-1] <= 0) & (f[1:] > 0))[0]
    down = np.nonzero((f[:-1] > 0) & (f[1:] <= 0))[0]
    rise = up + f[up] / (f[up] - f[up + 1])
    sets = down + f[down] / (f[down] - f[down + 1])
    if f[0] > 0:
        sets = sets[1:]
    rise = rise[: len(sets)]
    peaks = []
    for a, b in zip(rise, sets):  # the top sample and a parabola through it and its neighbours
        k = int(a) + int(np.argmax(el[int(a) : int(b) + 2]))
        ym, y0, yp = el[k - 1], el[k], el[k + 1]
        den = ym - 2.0 * y0 + yp
        peaks.append(y0 - 0.125 * (yp - ym) ** 2 / den if den < 0 else y0)
    return rise, sets, np.array(peaks), el


def _grazing_stations(orbit, start, mask_deg, target_deg, model, n=8):
    """Stations whose one pass peaks at ``target_deg``: placed across-track from sub-satellite points
    spread over the day, at the central angle tuned by secant steps on a 1 s scan around the peak."""
    from sim.timeutil import time_range

    times = time_range(start, days=1.0, step_s=1.0)
    r, v = orbit.propagate(times, model=model, frame="ITRS")
    r, v = r[0], v[0]
    k_c = np.linspace(3000, 80000, n).astype(int)
    p = r[k_c] / np.linalg.norm(r[k_c], axis=1)[:, None]
    nrm = np.cross(p, v[k_c])
    nrm /= np.linalg.norm(nrm, axis=1)[:, None]

    def peak(psi):
        u = np.cos(psi)[:, None] * p + np.sin(psi)[:, None] * nrm
        out = []
        for j in range(n):
            st = Station("g", np.degrees(np.arcsin(u[j, 2])), np.degrees(np.arctan2(u[j, 1], u[j, 0])), 0.0, mask_deg)
            win = slice(k_c[j] - 900, k_c[j] + 900)
            rho = r[win] - st.itrs_m()
            out.append(np.degrees(np.arcsin(rho @ st.up() / np.linalg.norm(rho, axis=1))).max())
        return np.array(out), u

    psi0 = np.full(n, np.radians(12.0))
    psi1 = psi0 + np.radians(0.2)
    e0, _ = peak(psi0)
    e1, u = peak(psi1)
    for _ in range(6):
        psi2 = psi1 + (target_deg - e1) * (psi1 - psi0) / (e1 - e0)
        psi0, e0 = psi1, e1
        psi1 = psi2
        e1, u = peak(psi1)
    return [
        Station(f"graze{j}", np.degrees(np.arcsin(u[j, 2])), np.degrees(np.arctan2(u[j, 1], u[j, 0])), 0.0, mask_deg)
        for j in range(n)
    ], e1


@pytest.mark.parametrize("model", ["j2", "sgp4"])
def test_grazing_passes_against_a_one_second_scan(model):
    # Eight stations placed so that one pass each peaks 0.05 deg above a 10 deg mask (found by a
    # 1 s scan): such a pass lasts ~27 s, less than half the 60 s search step. Every pass of the
    # day over each station (grazing and ordinary, 33 in all) is compared with the 1 s scan: none
    # missed or added, rise/set within 0.5 s (measured: < 0.01 s, mostly the scan's own linear
    # interpolation between seconds), maximum elevation within 0.01 deg of the scan's peak (its
    # top sample refined by a parabola). Stations tuned to peak 0.05 deg *below* the mask see no
    # pass at those times. Measured: rise/set 9 ms, maximum elevation 2e-5 deg (both models).
    orb = presets.get("iss_nominal")
    start = "2027-01-01T00:00:00"
    sts, peaks = _grazing_stations(orb, start, 10.0, 10.05, model)
    assert np.all(np.abs(peaks - 10.05) < 0.005)
    ps = passes(orb, sts, start, "2027-01-02T00:00:00", model=model)
    n_grazing = 0
    for st in sts:
        rise, sets, pk, _ = _brute_force_passes(orb, st, start, 1.0, 10.0, model)
        mine = [p for p in ps if p.station == st.name and not p.partial]
        assert len(mine) == len(rise) >= 1
        for p, a, b, e in zip(mine, rise, sets, pk):
            assert abs(p.rise_s - a) < 0.5 and abs(p.set_s - b) < 0.5
            assert p.max_elevation_deg == pytest.approx(e, abs=0.01)
            assert p.rise_s < p.culmination_s < p.set_s
            n_grazing += e < 10.1
        assert any(p.duration_s < 60.0 for p in mine)  # the grazing pass is shorter than a step
    assert n_grazing >= len(sts)
    below, peaks_below = _grazing_stations(orb, start, 10.0, 9.95, model)
    assert np.all(peaks_below < 10.0)
    for st in below:
        rise, _, _, _ = _brute_force_passes(orb, st, start, 1.0, 10.0, model)
        mine = passes(orb, st, start, "2027-01-02T00:00:00", model=model)
        assert len([p for p in mine if not p.partial]) == len(rise)


def test_parallel_and_serial_pass_kernels_agree(monkeypatch):
    # the kernel runs on all cores only for large problems; both drivers give identical passes
    from sim import coverage

    orb = presets.get(["iss_nominal", "ros_polar"])
    net = ground_stations("russia")[:5]
    serial = passes(orb, net, "2027-01-01", "2027-01-02", model="j2")
    monkeypatch.setattr(coverage, "PASS_PARALLEL_SAMPLES", 0)
    parallel = passes(orb, net, "2027-01-01", "2027-01-02", model="j2")
    assert len(serial) > 20
    assert serial.as_arrays()["rise_s"].tolist() == parallel.as_arrays()["rise_s"].tolist()
    assert serial.column("max_elevation_deg").tolist() == parallel.column("max_elevation_deg").tolist()


@pytest.mark.parametrize(
    "start, stop", [("2027-01-01T12:00:00", "2027-01-02T12:00:00"), ("2016-12-31T12:00:00", "2017-01-01T12:00:00")]
)
def test_pass_times_and_seconds_agree_across_a_leap_second(start, stop):
    # the second window holds the leap second 2016-12-31T23:59:60: rise/set times are built by
    # astropy's TAI arithmetic there, by plain UTC Julian dates elsewhere; both agree with rise_s
    from sim.timeutil import seconds_between, to_time

    ps = passes(presets.get("ros_polar"), MOSCOW, start, stop, model="j2")
    t0 = to_time(start)[0]
    assert len(ps) >= 3
    for p in ps:
        assert float(seconds_between(t0, p.rise)) == pytest.approx(p.rise_s, abs=1e-3)
        assert float(seconds_between(t0, p.set)) == pytest.approx(p.set_s, abs=1e-3)
