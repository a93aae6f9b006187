"""Trapped belts (AE8/AP8 through aep8), cutoff rigidity and the calibrated dose rate (sim.radiation)."""

import warnings

import numpy as np
import pytest

import sim.presets as P
from sim import environment as E
from sim import radiation as R
from sim.errors import SimError, TimeInputError
from sim.groundtrack import ground_track
from sim.orbits import Orbit
from sim.timeutil import time_range

START = "2026-06-01"


def _direct_aep8(lat, lon, alt, particle, solar, energy_MeV):
    """The package's own evaluation (field line tracing per point): the reference of the table,
    at the same IRBEM-unit positions (R.aep8_location) the table was built from."""
    import aep8
    import astropy.units as u
    from astropy.time import Time

    loc = R.aep8_location(lat, lon, alt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        f = aep8.model(particle, solar).integral_flux(loc, Time("2000-01-01"), energy_MeV * u.MeV).value
    return np.nan_to_num(f)


@pytest.mark.parametrize(
    ("particle", "solar", "energy", "tol_mean"), [("p", "min", 10.0, 0.01), ("p", "max", 30.0, 0.01)]
)
def test_table_matches_aep8_along_an_iss_track(particle, solar, energy, tol_mean):
    # One day of an ISS track (1440 points) through the package's own (L, B/B0) tracing and
    # through sim's 2 deg x 3 deg x 50 km table. Measured: orbit means agree to 0.03-0.3 %,
    # points above 10 % of the peak to a median 1-1.5 % (max ~6 %). Tolerances: 1 % on the
    # mean (what the dose uses), 5 % on the median point.
    orb = Orbit.circular(415.0, 51.64, epoch="2025-01-01")
    lat, lon, alt = (x[0] for x in ground_track(orb, time_range("2025-01-01", days=1, step_s=60)))
    direct = _direct_aep8(lat, lon, alt, particle, solar, energy)
    table = R.trapped_flux(lat, lon, alt, particle=particle, energy_MeV=energy, solar=solar)
    assert abs(table.mean() / direct.mean() - 1.0) < tol_mean
    big = direct > 0.1 * direct.max()
    assert big.sum() > 20
    assert np.median(np.abs(table[big] / direct[big] - 1.0)) < 0.05


def test_electron_table_matches_aep8_on_average():
    # AE8MIN above 1 MeV: the outer-belt horns sit on steep L gradients that the 2 x 3 deg
    # grid smooths; measured +3.4 % on the ISS-track mean. Tolerance 8 %.
    orb = Orbit.circular(415.0, 51.64, epoch="2025-01-01")
    lat, lon, alt = (x[0] for x in ground_track(orb, time_range("2025-01-01", days=1, step_s=60)))
    direct = _direct_aep8(lat, lon, alt, "e", "min", 1.0)
    table = R.trapped_flux(lat, lon, alt, particle="e", solar="min")
    assert abs(table.mean() / direct.mean() - 1.0) < 0.08


def test_package_documentation_example():
    # aep8's README: AP8MAX above 10 MeV at lon 15 E, lat 45 S, 300 km = 3.04495297 cm^-2 s^-1,
    # computed with aep8's own unit (positions in 6378.1 km Earth radii): reproduced exactly through
    # the package. sim's table at the same point hands IRBEM its own unit (R.aep8_location, 6371.2 km),
    # about 7 km higher, which on the SAA's steep southern edge is +13 %; against the package fed the
    # same position the table is within its interpolation error (the point lies between grid
    # latitudes; measured 3.435 vs 3.429, +0.2 %). Tolerance 10 %.
    import aep8
    import astropy.units as u
    from astropy.coordinates import EarthLocation
    from astropy.time import Time

    loc = EarthLocation.from_geodetic(15.0 * u.deg, -45.0 * u.deg, 300.0 * u.km)
    readme = aep8.model("p", "max").integral_flux(loc, Time("2000-01-01"), 10 * u.MeV).value
    assert readme == pytest.approx(3.04495297, rel=1e-6)
    f = R.trapped_flux(-45.0, 15.0, 300.0, particle="p", solar="max")
    direct = _direct_aep8(np.array([-45.0]), np.array([15.0]), np.array([300.0]), "p", "max", 10.0)[0]
    assert direct > 1.05 * readme  # the unit matters at this point
    assert f == pytest.approx(direct, rel=0.10)


@pytest.mark.parametrize("solar", ["min", "max"])
def test_saa_maximum_at_400_km(solar):
    # Published AP8 picture at LEO: the SAA proton maximum near 30 S, 40-50 W, of order
    # 1e3 cm^-2 s^-1 above 10 MeV at 400-500 km (IRBEM/SPENVIS AP8 maps). With the westward
    # drift to 2025 the model's peak is at 35.5 S 57 W (AP8MIN, field epoch 1960) and 36.5 S
    # 47 W (AP8MAX, 1970); the northward drift (~0.1 deg/yr) is not modelled, hence ~5 deg
    # south. Tolerances: latitude 25-40 S, longitude 35-60 W; magnitude 300-3000 (a factor
    # ~3 around 1e3; measured 1217 min / 651 max).
    la = np.arange(-60.0, 10.01, 0.5)
    lo = np.arange(-100.0, 40.01, 0.5)
    La, Lo = np.meshgrid(la, lo, indexing="ij")
    f = R.trapped_flux(La, Lo, 400.0, solar=solar, year=2025.0)
    i = np.unravel_index(np.argmax(f), f.shape)
    assert -40.0 <= La[i] <= -25.0
    assert -60.0 <= Lo[i] <= -35.0
    assert 300.0 < f[i] < 3000.0
    # Without the drift the peak is the model epoch's, east of today's by the drift.
    f0 = R.trapped_flux(La, Lo, 400.0, solar=solar)
    j = np.unravel_index(np.argmax(f0), f0.shape)
    epoch = 1960.0 if solar == "min" else 1970.0
    assert Lo[j] - Lo[i] == pytest.approx(R.SAA_DRIFT_DEG_PER_YEAR * (2025.0 - epoch), abs=1.0)


def test_solar_max_protons_below_solar_min():
    # AP8MAX < AP8MIN at LEO (the denser atmosphere at solar maximum removes inner-belt
    # protons): a physical property of the models, ratio about 0.5 at 400 km.
    orb = Orbit.circular(415.0, 51.64, epoch=START)
    fmin = R.orbit_radiation(orb, START, 5, solar="min")["proton_flux_cm2_s"][0]
    fmax = R.orbit_radiation(orb, START, 5, solar="max")["proton_flux_cm2_s"][0]
    assert 0.3 < fmax / fmin < 0.8


def test_cutoff_rigidity_south_east_asia_and_poles():
    # Trajectory-traced world grids (Shea & Smart, 20 km altitude) peak at ~15-17 GV over
    # the equator near South-East Asia/India and fall below 1 GV in the polar caps. The
    # eccentric-dipole Stormer value: measured 17.1 GV maximum at 20 km. Tolerance 15-17.5 GV
    # (the approximation is ~10-20 % off traced values at low latitude).
    lat = np.arange(-10.0, 20.01, 1.0)[:, None]
    lon = np.arange(90.0, 130.01, 1.0)[None, :]
    rc = R.cutoff_rigidity_GV(lat, lon, 20.0, "2025-01-01")
    assert 15.0 <= rc.max() <= 17.5
    # Poleward of 70 deg geomagnetic latitude (centred dipole) at 400 km: below 1 GV.
    La, Lo = np.meshgrid(np.arange(-89.0, 89.1, 2.0), np.arange(-180.0, 180.0, 5.0), indexing="ij")
    caps = np.abs(E.geomagnetic_latitude_deg(La, Lo, 400.0, "2025-01-01")) >= 70.0
    assert caps.sum() > 100
    assert R.cutoff_rigidity_GV(La[caps], Lo[caps], 400.0, "2025-01-01").max() < 1.0


def test_cutoff_centred_limit_is_stormer():
    # Independent analytic check: at the geomagnetic equator and r = a the centred-dipole
    # Stormer cutoff is B0 a c / 4 (14.9 GV for the 1950s dipole, ~14.2 GV now); IGRF-14's
    # B0 must give that, and the offset centre must sit where it is commonly placed.
    pole, centre, b0 = R.eccentric_dipole(2025.0)
    st = b0 * 1e-9 * R.IGRF_RADIUS_M * 299_792_458.0 / 4.0 / 1e9
    assert st == pytest.approx(14.2, abs=0.2)
    d = np.linalg.norm(centre)
    # The commonly cited offset: ~550-600 km towards the western Pacific (~20 N, 140 E).
    assert 500e3 < d < 650e3
    lat_c = np.degrees(np.arcsin(centre[2] / d))
    lon_c = np.degrees(np.arctan2(centre[1], centre[0]))
    assert 10.0 < lat_c < 30.0 and 125.0 < lon_c < 155.0
    # cutoff_rigidity_GV at points on the dipole equator at distance r from the offset centre
    # (towards the offset and away from it, through sim.frames' geodetic conversion) is the
    # analytic st * (a / r)^2 (round trip of the conversion: rel 1e-9).
    from sim.frames import itrs_to_geodetic

    e = centre - (centre @ pole) * pole
    e /= np.linalg.norm(e)
    for sign in (1.0, -1.0):
        for r in (R.IGRF_RADIUS_M + 800e3, R.IGRF_RADIUS_M + 1200e3):  # both sides above ground
            lat, lon, h = itrs_to_geodetic(centre + sign * r * e)
            rc = R.cutoff_rigidity_GV(np.degrees(lat), np.degrees(lon), h / 1e3, "2025-01-01")
            assert float(rc) == pytest.approx(st * (R.IGRF_RADIUS_M / r) ** 2, rel=1e-9)


def test_gcr_fraction_is_physical():
    # 1 in free space at solar minimum, lower at solar maximum, monotonic in the cutoff, and
    # the polar orbit sees more GCR than the ISS (lower mean cutoff).
    rc = np.linspace(0.0, 20.0, 41)
    fmin = R.gcr_free_space_fraction(rc, "min")
    fmax = R.gcr_free_space_fraction(rc, "max")
    assert fmin[0] == pytest.approx(1.0, abs=1e-3)
    assert np.all(np.diff(fmin) < 0) and np.all(fmax < fmin)
    assert R.earth_shadow_factor(6378137.0 + 400e3) == pytest.approx(
        0.5 * (1 + np.sqrt(1 - (6378.137 / 6778.137) ** 2))
    )


def _published(rec):
    """The row's published value and which model output it is compared with."""
    if np.isfinite(rec["total_mGy_per_day"]):
        return rec["total_mGy_per_day"], "total_mGy_per_day"
    return rec["gcr_mGy_per_day"], "gcr_mGy_per_day"


def _split(rec):
    """True for a row with its published trapped/GCR split."""
    return bool(np.isfinite(rec["trapped_mGy_per_day"]) and np.isfinite(rec["gcr_mGy_per_day"]))


def _columns():
    rows = R.calibration_data()
    return rows, *(
        np.array([r[k] for r in rows]) for k in ("total_mGy_per_day", "gcr_mGy_per_day", "trapped_mGy_per_day")
    )


def test_calibration_rows_carry_their_quote():
    # Verifiability: every row has the stored excerpt it was read from, the number as written
    # there (inside the excerpt) and an address; the number converts to the row's value in
    # mGy/day (uGy / 1000, cGy x 10; a quoted range, or two quoted values, give their middle).
    # A split row's parts add up to its total, and "equally divided" means two equal halves.
    import re

    scale = {"\u03bcGy": 1e-3, "\u00b5Gy": 1e-3, "microGy": 1e-3, "mGy": 1.0, "cGy": 10.0}
    pattern = r"([0-9.]+)(?:\s*-\s*([0-9.]+))?(?:\s*\u00b1\s*[0-9.]+)?\s*(\u03bcGy|\u00b5Gy|microGy|mGy|cGy)"
    splits = 0
    for rec in R.calibration_data():
        assert rec["quoted_value"] in rec["quote"], rec["id"]
        assert rec["address"].startswith("http"), rec["id"]
        value, _ = _published(rec)
        found = re.findall(pattern, rec["quoted_value"].replace("\u2013", "-"))
        numbers = [float(x) * scale[u] for a, b, u in found for x in (a, b) if x]
        assert numbers, rec["id"]
        assert (min(numbers) + max(numbers)) / 2.0 == pytest.approx(value, rel=1e-9), rec["id"]
        if _split(rec):
            splits += 1
            parts = rec["trapped_mGy_per_day"] + rec["gcr_mGy_per_day"]
            assert parts == pytest.approx(rec["total_mGy_per_day"], rel=1e-9), rec["id"]
            if "equally divided" in rec["quote"]:
                assert rec["trapped_mGy_per_day"] == pytest.approx(rec["gcr_mGy_per_day"], rel=1e-9), rec["id"]
    assert splits >= 1  # the split the calibration's trapped/GCR constants rest on


def test_iss_reproduces_the_calibration_measurements():
    # Each published measurement re-run as a fresh orbit (51.64 deg, its altitude, its dates and
    # phase): with the mean constants the model must reproduce each published ISS total within
    # 25 % (measured -17 % to +11 %: the solar-minimum PADLES totals come out low, the
    # solar-maximum ones high) and the Mir total within 40 % (measured +33 %: AP8's proton flux
    # doubles from 350 to 400 km, the measured totals do not -- PADLES at 350 km and Mir's TEPC at
    # 400 km both read ~0.3 mGy/day -- so one k_trap cannot fit both; module shielding and
    # instruments differ too). Each total must lie inside the model's own calibration band (6 %
    # slack: a 10-day orbit started at another time of day samples the SAA differently; measured
    # up to 5.6 % in the orbit-mean AP8 flux at 350 km). The Mir split's GCR share (0.5) must lie
    # inside the model's share band at that orbit (measured 0.22-0.50; 2 % slack). The GCR-only
    # row (EXPOSE-R, silicon, outside) must lie inside the model's GCR band: its GCR constant is
    # averaged with Mir's TEPC one (tissue, inside), 1.8x larger, so the mean GCR part reads it
    # 40 % high (measured 0.114 against 0.0814 mGy/day).
    for rec in R.calibration_data():
        t0, t1 = np.datetime64(rec["start"]), np.datetime64(rec["end"])
        mid = str(t0 + (t1 - t0) // 2)
        orb = Orbit.circular(rec["iss_altitude_km"], 51.64, epoch=mid)
        d = E.radiation_dose(orb, mid, 10, solar=rec["solar"])
        value, key = _published(rec)
        if key == "total_mGy_per_day":
            tol = 0.40 if _split(rec) else 0.25
            assert float(d[key][0]) == pytest.approx(value, rel=tol), rec["id"]
        assert d[f"{key}_low"][0] <= value * 1.06, rec["id"]
        assert value <= d[f"{key}_high"][0] * 1.06, rec["id"]
        if _split(rec):
            share = rec["gcr_mGy_per_day"] / rec["total_mGy_per_day"]
            assert d["gcr_share_low"][0] - 0.02 <= share <= d["gcr_share_high"][0] + 0.02, rec["id"]


def test_leave_one_out_predicts_the_held_out_measurement():
    # Not circular: the constants fitted on the other rows predict each held-out ISS total within
    # 30 % (measured -18, -11, -13 % for the PADLES rows, +5 and +13 % for the two solar-maximum
    # rows). The held-out Mir total is predicted 49 % high (the altitude mismatch of the test
    # above, and the only split is gone): asserted only to be over, within 60 %.
    rows, total, gcr, trapped = _columns()
    c = R.calibration()
    assert np.isfinite(total).sum() >= 2 and np.isfinite(gcr).sum() >= 2
    for i in np.flatnonzero(np.isfinite(total)):
        keep = np.arange(len(rows)) != i
        k_trap, k_gcr = R.fit_dose_constants(c["flux"][keep], c["index"][keep], total[keep], gcr[keep], trapped[keep])
        pred = k_trap.mean() * c["flux"][i] + k_gcr[np.isfinite(gcr[keep])].mean() * c["index"][i]
        if _split(rows[i]):
            assert total[i] < pred < 1.6 * total[i], rows[i]["id"]
        else:
            assert pred == pytest.approx(total[i], rel=0.30), rows[i]["id"]


def test_fit_dose_constants_recovers_known_constants():
    # Independent check of the fit: totals, a GCR rate and a split made from known constants give
    # them back; a split row alone fixes both constants.
    flux, index = np.array([8.0, 6.0, 9.0, 15.0]), np.array([0.12, 0.07, 0.12, 0.13])
    total = np.array([0.025 * 8.0 + 0.7 * 0.12, 0.025 * 6.0 + 0.7 * 0.07, np.nan, 0.025 * 15.0 + 0.7 * 0.13])
    gcr = np.array([np.nan, np.nan, 0.7 * 0.12, 0.7 * 0.13])
    trapped = np.array([np.nan, np.nan, np.nan, 0.025 * 15.0])
    k_trap, k_gcr = R.fit_dose_constants(flux, index, total, gcr, trapped)
    np.testing.assert_allclose(k_trap, 0.025, rtol=1e-12)
    np.testing.assert_allclose(k_gcr, 0.7, rtol=1e-12)
    k_trap, k_gcr = R.fit_dose_constants(flux[3:], index[3:], total[3:], gcr[3:], trapped[3:])
    assert (k_trap[0], k_gcr[0]) == pytest.approx((0.025, 0.7), rel=1e-12)
    with pytest.raises(R.RadiationError, match="GCR-only"):
        R.fit_dose_constants(flux, index, total, [np.nan] * 4)


def test_calibration_is_iss_only():
    # The model never uses the polar-orbit claim it is compared with: every calibration row is a
    # measurement on a 51.6 deg station (the ISS, or Mir in the same orbit) at 330-430 km.
    for rec in R.calibration_data():
        assert 330.0 <= rec["iss_altitude_km"] <= 430.0
        assert "polar" not in " ".join(map(str, rec.values())).lower()


def test_polar_over_iss_ratio_and_band():
    # The polar orbit: less SAA (0.5x the protons), far more GCR (lower cutoff). The ratio comes
    # with a band from the calibration spread that contains it.
    orb = P.get(["iss_nominal", "ros_polar"])
    d = E.radiation_dose(orb, START, 5, solar="min")
    assert d["proton_flux_cm2_s"][1] < d["proton_flux_cm2_s"][0]
    assert d["gcr_mGy_per_day"][1] > 1.5 * d["gcr_mGy_per_day"][0]
    assert d["ratio_low"][1] <= d["ratio"][1] <= d["ratio_high"][1]
    assert d["ratio"][0] == 1.0
    assert np.all(d["below_fraction"][1] >= d["below_fraction"][0])
    np.testing.assert_allclose(d["total_mGy_per_day"], d["trapped_mGy_per_day"] + d["gcr_mGy_per_day"])
    np.testing.assert_allclose(d["proton_fluence_cm2_per_day"], d["proton_flux_cm2_s"] * 86400.0)


def _orbit_means(orb, start, days, solar):
    """Orbit-mean AP8 proton flux (> 10 MeV) and GCR index, computed here from the track: the
    reference of the ratios dose_rate reports."""
    from sim.frames import geodetic_to_itrs

    t = time_range(start, days=days, step_s=60)[:-1]
    mid = t[len(t) // 2 : len(t) // 2 + 1]
    lat, lon, alt = ground_track(orb, t)
    flux = R.trapped_flux(lat, lon, alt, solar=solar, year=float(mid.decimalyear[0])).mean(axis=1)
    r = np.linalg.norm(geodetic_to_itrs(np.radians(lat), np.radians(lon), alt * 1e3), axis=-1)
    rc = R.cutoff_rigidity_GV(lat, lon, alt, mid)
    index = (R.gcr_free_space_fraction(rc, solar) * R.earth_shadow_factor(r)).mean(axis=1)
    return flux, index


def test_dose_ratio_is_a_line_in_the_reference_gcr_share():
    # ratio(s) = (1 - s) * flux_ratio + s * gcr_ratio: at s = 0 the trapped-proton flux ratio, at
    # s = 1 the GCR-index ratio, both recomputed here from the tracks (same functions, same step:
    # agreement to 1e-9); the calibrated share puts the calibrated ratio on the line exactly (the
    # constants cancel: 1e-12); the calibrated share is the mean constants' GCR part of the
    # reference's total and lies inside its band.
    orb = P.get(["iss_nominal", "ros_polar"])
    d = E.radiation_dose(orb, START, 2, solar="min")
    flux, index = _orbit_means(orb, START, 2, "min")
    fr, gr = flux / flux[0], index / index[0]
    np.testing.assert_allclose(R.ratio_at_gcr_share(d["flux_ratio"], d["gcr_index_ratio"], 0.0), fr, rtol=1e-9)
    np.testing.assert_allclose(R.ratio_at_gcr_share(d["flux_ratio"], d["gcr_index_ratio"], 1.0), gr, rtol=1e-9)
    assert fr[1] < 1.0 < gr[1]  # the polar orbit: fewer SAA protons, more GCR
    s = d["reference_gcr_share"]
    np.testing.assert_allclose(R.ratio_at_gcr_share(d["flux_ratio"], d["gcr_index_ratio"], s), d["ratio"], rtol=1e-12)
    c = d["calibration"]
    g0 = c["k_gcr"].mean() * index[0]
    assert s == pytest.approx(g0 / (c["k_trap"].mean() * flux[0] + g0), rel=1e-9)
    assert d["reference_gcr_share_low"] <= s <= d["reference_gcr_share_high"]
    np.testing.assert_allclose(d["gcr_share"], d["gcr_mGy_per_day"] / d["total_mGy_per_day"], rtol=1e-12)


def test_implied_share_inverts_the_line():
    # gcr_share_for_ratio is the inverse of ratio_at_gcr_share on [0, 1], NaN outside it and
    # where the two ratios are equal (the reference itself); dose_rate's claim shares give back
    # the published ratios they were computed for (what the claims imply, not an input).
    fr, gr = np.array([0.53, 1.3, 0.9]), np.array([2.36, 0.8, 0.9])
    s = np.linspace(0.0, 1.0, 11)[:, None]
    r = R.ratio_at_gcr_share(fr, gr, s)
    back = R.gcr_share_for_ratio(fr[:2], gr[:2], r[:, :2])
    np.testing.assert_allclose(back, np.broadcast_to(s, back.shape), atol=1e-12)
    assert np.isnan(R.gcr_share_for_ratio(0.53, 2.36, 3.0)) and np.isnan(R.gcr_share_for_ratio(0.9, 0.9, 0.9))
    orb = P.get(["iss_nominal", "ros_polar"])
    d = E.radiation_dose(orb, START, 2, solar="min")
    claims = np.asarray(R.PUBLISHED_POLAR_DOSE_RATIOS)
    implied = d["claim_gcr_share"][1]
    assert np.all((implied > 0.0) & (implied < 1.0))
    np.testing.assert_allclose(R.ratio_at_gcr_share(d["flux_ratio"][1], d["gcr_index_ratio"][1], implied), claims)
    assert np.all(np.isnan(d["claim_gcr_share"][0]))
    with pytest.raises(R.RadiationError, match="share"):
        R.ratio_at_gcr_share(0.5, 2.0, 1.5)


@pytest.mark.parametrize(
    ("call", "exc", "word"),
    [
        (lambda o: E.radiation_dose(o, START, 1, proton_MeV=500.0), R.RadiationError, "proton_MeV"),
        (lambda o: E.radiation_dose(o, START, 1, electron_MeV=0.01), R.RadiationError, "electron_MeV"),
        (lambda o: E.radiation_dose(o, START, 1, solar="medium"), SimError, "solar"),
        (lambda o: E.radiation_dose(o, "2031-06-01", 1), TimeInputError, "IGRF"),
        (lambda o: E.radiation_dose(Orbit.circular(1200.0, 51.6, epoch=START), START, 1), R.RadiationError, "1000"),
        (lambda o: E.radiation_dose(o, START, 1, reference=3), R.RadiationError, "reference"),
        (lambda o: E.radiation_dose(None, START, 1), SimError, "orbit"),
        (lambda o: R.trapped_flux(0.0, 0.0, 400.0, particle="n"), SimError, "particle"),
    ],
)
def test_bad_input_is_a_sim_error(call, exc, word):
    orb = Orbit.circular(415.0, 51.64, epoch=START)
    with pytest.raises(exc, match=word):
        call(orb)


def test_figures_draw_what_they_are_given():
    # The four figures take results only: the bars' heights are the dose components, the share
    # figure's lines run from the flux ratio (share 0) to the GCR-index ratio (share 1), the maps
    # draw the given grids and one track per station.
    import matplotlib.pyplot as plt

    from sim.plots.environment import cutoff_map_figure, dose_rate_figure, dose_share_figure, trapped_flux_map_figure

    orb = Orbit.circular([416.0, 400.0], [51.64, 96.8], epoch=START, names=["ISS", "polar"])
    d = E.radiation_dose(orb, START, 1, return_tracks=True)
    fig = dose_rate_figure(d)
    bars = [p for p in fig.axes[0].patches if p.get_height() > 0]
    heights = sorted(round(p.get_height(), 12) for p in bars)
    parts = (*d["trapped_mGy_per_day"], *d["gcr_mGy_per_day"], *d["total_mGy_per_day"])
    assert heights == sorted(round(float(v), 12) for v in parts)
    plt.close(fig)
    fig = dose_share_figure(d)  # one line per station: the reference flat at 1, the other from x_flux to x_gcr
    lines = {ln.get_label().split(" ")[0].rstrip(":"): ln for ln in fig.axes[0].get_lines() if ln.get_label()[0] != "_"}
    np.testing.assert_allclose(lines["ISS"].get_ydata(), 1.0)
    y = lines["polar"].get_ydata()
    assert (y[0], y[-1]) == pytest.approx((d["flux_ratio"][1], d["gcr_index_ratio"][1]), rel=1e-12)
    plt.close(fig)
    for fig in (
        trapped_flux_map_figure(R.flux_map(400.0, step_deg=5.0), d),
        cutoff_map_figure(R.cutoff_map(400.0, START, step_deg=5.0), d),
    ):
        labels = [t.get_text() for t in fig.legends[0].get_texts()]
        assert [lab.split(":")[0] for lab in labels] == ["ISS", "polar"]
        plt.close(fig)


DOSE_TOML = """[scenario]
name = "dose"
[time]
start = 2026-06-01T00:00:00
days = 0.05
step_s = 60
[[stations]]
name = "High"
circular = {{altitude_km = {alt}, inclination_deg = 51.6}}
[environment]
beta = false
eclipses = false
radiation = false
"""


def test_scenario_dose_options_are_checked(tmp_path, monkeypatch, capsys):
    # sim validate refuses what the dose estimate would refuse, on one line naming the field:
    # an orbit above the AE8/AP8 table, an energy outside the AP8 table; a 400 km orbit is fine.
    from sim.cli import main

    monkeypatch.chdir(tmp_path)
    p = tmp_path / "s.toml"
    p.write_text(DOSE_TOML.format(alt=1200))
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err
    assert "environment.dose" in err and "150-1000 km" in err and "Traceback" not in err
    p.write_text(DOSE_TOML.format(alt=400) + "proton_MeV = 500\n")
    assert main(["validate", str(p)]) == 2
    assert "proton_MeV" in capsys.readouterr().err
    p.write_text(DOSE_TOML.format(alt=400) + 'solar = "max"\n')
    assert main(["validate", str(p)]) == 0


def test_shipped_table_is_what_the_generator_builds():
    # data/aep8_geomagnetic_grid.npz was built by tabulate_geomagnetic_coordinates: a few grid
    # nodes rebuilt now (SAA, equator, horn, polar cap, both altitude ends) equal the shipped
    # float32 values exactly.
    from importlib import resources

    with np.load(resources.files("sim") / "data" / "aep8_geomagnetic_grid.npz") as npz:
        g = {k: npz[k] for k in npz.files}
    ii, jj, kk = [0, 27, 45, 60, 90], [10, 45, 60, 100, 120], [0, 5, 17]
    fresh = R.tabulate_geomagnetic_coordinates(g["lat_deg"][ii], g["lon_deg"][jj], g["alt_km"][kk])
    for key in ("L_jensen_cain_1960", "BB0_jensen_cain_1960", "L_gsfc_1266", "BB0_gsfc_1266"):
        np.testing.assert_array_equal(fresh[key], g[key][np.ix_(ii, jj, kk)], err_msg=key)


def test_sweep_dose_metric_is_nan_outside_the_table_only():
    # Sweep altitudes reach 2,000 km, the AE8/AP8 table 1,000 km: a 1,200 km candidate gets NaN
    # (it used to raise and fail the chunk's radiation metrics); the 400 km candidate beside it
    # keeps the single-candidate radiation_dose value (rel 1e-12: same code, same inputs). The
    # |B| grid of the SAA proxy is a coarse 10 deg one here (its values are not checked).
    from sim import sweep
    from sim.sweep import metrics as M

    spec = sweep.SweepSpec(
        inclination_deg=(51.6,), altitude_km=(400.0, 1200.0), node=(12.0,), days=1.0, metrics=("radiation",)
    )
    orb = sweep.candidate_orbits(spec)
    assert list(R.dose_orbits_inside(orb)) == [True, False]
    out = M.evaluate(orb, spec, field_grid=E.field_grid(spec.start, (380.0, 1240.0), step_deg=10.0))
    one = E.radiation_dose(orb[0], spec.start, spec.days, solar="min")
    for var, key in (("dose_mGy_per_day", "total_mGy_per_day"), ("dose_gcr_mGy_per_day", "gcr_mGy_per_day")):
        assert out[var][0] == pytest.approx(float(one[key][0]), rel=1e-12)
        assert np.isnan(out[var][1])


def test_gcr_fraction_matches_the_integrated_spectrum():
    # Independent reference: the force-field spectrum of Usoskin et al. 2005 (Burger LIS)
    # integrated here with scipy's quad, above the kinetic energy of each rigidity, over the total
    # at solar minimum. The table (trapezoid on 4000 log points, linear in rigidity) agrees to
    # ~4e-6; tolerance 2e-5. (The flux below 1 MeV used to be added at every rigidity: +0.02 % at
    # 10 GV, +0.3 % at 50 GV.)
    from scipy.integrate import quad

    tr = 0.93827208816  # proton rest energy, GeV (CODATA 2018)

    def j(t, phi):
        tl = t + phi
        pl = np.sqrt(tl * (tl + 2 * tr))
        return 1.9e4 * pl**-2.78 / (1 + 0.4866 * pl**-2.51) * t * (t + 2 * tr) / (tl * (tl + 2 * tr))

    def above(t, phi):
        return quad(j, t, np.inf, args=(phi,), limit=500, epsrel=1e-11)[0]

    phi_min = R.MODULATION_GV["min"]
    total = quad(j, 0.0, 10.0, args=(phi_min,), limit=500, epsrel=1e-11, points=[1e-3, 1e-2, 0.1, 1.0])[0]
    total += above(10.0, phi_min)
    for rc in (0.5, 3.0, 10.0, 15.0):
        t = np.sqrt(rc * rc + tr * tr) - tr
        for solar in R.SOLAR_PHASES:
            ref = above(t, R.MODULATION_GV[solar]) / total
            assert R.gcr_free_space_fraction(rc, solar) == pytest.approx(ref, rel=2e-5), (rc, solar)
