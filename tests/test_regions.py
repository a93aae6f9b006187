"""Regions: geodesic areas against published and closed-form values, antimeridian handling, GeoJSON errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from validation import record

from sim import regions
from sim.errors import SimError
from sim.regions import Region, RegionError


def test_russia_area_matches_published_natural_earth_value():
    # reference_facts.md: 16,953,104 km^2 from the Natural Earth 1:10m shapes. We ship 1:50m,
    # whose generalised coastline (and fewer small Arctic islands) changes the area by
    # O(0.1 %); the issue asks for 0.5 %. Measured: +0.12 %.
    area = regions.russia().area_km2
    src = "Natural Earth 1:10m value (reference_facts.md)"
    record("Area of Russia (Natural Earth 1:50m, geodesic)", area, 16_953_104.0, 0.005, "km^2", src, rel=True)
    assert abs(area / 16_953_104.0 - 1.0) < 0.005


def test_arctic_area_equals_closed_form_ellipsoidal_zone():
    # pyproj's polygon area (densified parallel) against the closed-form area of an
    # ellipsoidal zone; both are exact up to the 0.25-deg densification of the parallel.
    a = regions.arctic()
    exact = regions.zone_area_km2(regions.ARCTIC_CIRCLE_DEG, 90.0)
    assert abs(a.area_km2 / exact - 1.0) < 1e-4
    assert abs(regions.ARCTIC_CIRCLE_DEG - 66.5607) < 1e-3


def test_equal_area_grid_sums_to_the_wgs84_surface_and_cells_are_nearly_equal():
    g = regions.equal_area_grid(100.0)
    # WGS84 ellipsoid surface area 510,065,621.72 km^2 (NIMA TR8350.2 derived constants)
    assert abs(g.area_km2.sum() - 510_065_621.72) < 1.0
    # cells are ~100 km x 100 km: rounding the cell count per band keeps them within a few %
    # except the polar caps (one band of a handful of cells)
    core = np.abs(g.lat_deg) < 85
    assert np.ptp(g.area_km2[core]) / np.mean(g.area_km2[core]) < 0.1
    assert abs(np.mean(g.area_km2[core]) / 1e4 - 1.0) < 0.02


def test_russia_grid_area_converges_to_polygon_area():
    # the grid's summed cell area approaches the polygon area as cells shrink (boundary error ~ perimeter x cell)
    r = regions.russia()
    err = [abs(r.grid(c).area_km2.sum() / r.area_km2 - 1.0) for c in (200.0, 50.0, 25.0)]
    assert err[-1] < 0.01
    assert err[2] < err[0]


def test_russia_contains_known_places_and_handles_the_antimeridian():
    r = regions.russia()
    # Moscow, Pevek (170 E), Provideniya (Chukotka, 173.2 W: east of the antimeridian), Kaliningrad
    inside = r.contains([55.76, 69.70, 64.42, 54.71], [37.62, 170.31, -173.23, 20.51])
    assert inside.all()
    # Nome (Alaska), Astana (Kazakhstan), Helsinki, Tokyo
    outside = r.contains([64.50, 51.17, 60.17, 35.68], [-165.41, 71.45, 24.94, 139.69])
    assert not outside.any()
    # longitude 190 E is the same place as 170 W
    assert r.contains(64.42, 186.77)


def test_northern_sea_route_corridor_area_and_ends():
    from pyproj import Geod

    width = 300.0
    nsr = regions.northern_sea_route(width)
    v = regions.nsr_vertices()
    lat = np.array([x[1] for x in v])
    lon = np.array([x[2] for x in v])
    length_km = Geod(ellps="WGS84").inv(lon[:-1], lat[:-1], lon[1:], lat[1:])[2].sum() / 1e3
    # corridor = length x width + the round ends (pi r^2), less overlaps at the bends:
    # within 5 % (the bends of the polyline overlap the discs by a few %)
    expected = length_km * width + np.pi * (width / 2) ** 2
    assert abs(nsr.area_km2 / expected - 1.0) < 0.05
    # the ends, both sides of the antimeridian where the route crosses it (~70 N), and not Moscow
    assert nsr.contains([70.4, 66.0, 70.0, 70.0], [58.0, -169.5, 179.99, -179.99]).all()
    assert not nsr.contains(55.76, 37.62)
    # the sailing route Kara Gate - Bering Strait is "about 5,600 km" (Wikipedia "Northern Sea Route");
    # the polyline's straight legs cut the corners of the winding route, so it is shorter, but by < 20 %
    assert 0.8 * 5600 < length_km <= 5600
    with pytest.raises(RegionError, match="width_km"):
        regions.northern_sea_route(0.0)


def test_land_area_close_to_published_total():
    # Earth's land area 148.94 million km^2 (CIA World Factbook, "World: Geography").
    # Natural Earth 1:50m generalises coastlines and drops small islands; measured -1.5 %.
    assert abs(regions.land().area_km2 / 148.94e6 - 1.0) < 0.03


def test_geojson_polygon_area_and_antimeridian_forms_agree(tmp_path):
    # a 2 x 2 deg box at the equator: ~49,450 km^2 (a narrow band: area = zone area x 2/360)
    box = {"type": "Polygon", "coordinates": [[[10, -1], [12, -1], [12, 1], [10, 1], [10, -1]]]}
    r = Region.from_geojson(box)
    assert abs(r.area_km2 / (regions.zone_area_km2(-1, 1) * 2 / 360) - 1.0) < 1e-4
    # the same box straddling 180 E written three ways: 179..181, 179..-179 and as a file
    a = Region.from_geojson({"type": "Polygon", "coordinates": [[[179, -1], [181, -1], [181, 1], [179, 1], [179, -1]]]})
    b = Region.from_geojson(
        {"type": "Polygon", "coordinates": [[[179, -1], [-179, -1], [-179, 1], [179, 1], [179, -1]]]}
    )
    p = tmp_path / "box.geojson"
    p.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"name": "box"}, "geometry": a.geometry.__geo_interface__}
                ],
            }
        )
    )
    c = Region.from_geojson(p)
    for x in (a, b, c):
        assert abs(x.area_km2 / r.area_km2 - 1.0) < 1e-4
        assert x.contains([0.0, 0.0, 0.0], [179.5, -179.5, 180.5]).all()
        assert not x.contains(0.0, 0.0)
    assert regions.get(str(p)).area_km2 == pytest.approx(c.area_km2)


@pytest.mark.parametrize(
    "bad, match",
    [
        ({"type": "FeatureCollection", "features": []}, "empty"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "self-intersect"),
        ({"type": "Point", "coordinates": [0, 0]}, "allowed: Polygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [0, 95], [1, 95], [0, 0]]]}, "latitude"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [2, 0], [0, 0]]]}, "invalid|empty"),
        ({"coordinates": []}, "type"),
    ],
)
def test_bad_geojson_raises_sim_error(bad, match):
    with pytest.raises(SimError, match=match):
        Region.from_geojson(bad)


def test_bad_geojson_files(tmp_path):
    with pytest.raises(RegionError, match="missing.geojson.: file not found"):
        Region.from_geojson(tmp_path / "missing.geojson")
    f = tmp_path / "broken.geojson"
    f.write_text("{not json")
    with pytest.raises(RegionError, match="not valid JSON"):
        Region.from_geojson(f)
    with pytest.raises(SimError, match="unknown region"):
        regions.get("atlantis")


def test_named_data_points_lie_in_russia():
    # independent check of the shipped coordinates against the Natural Earth polygon
    from shapely.geometry import Point

    from sim.coverage import ground_stations

    r = regions.russia()
    pts = [(x[1], x[2]) for x in regions.cities()] + [(s.lat_deg, s.lon_deg) for s in ground_stations("russia")]
    # coastal towns (Dikson, Anadyr) sit a few km outside the generalised 1:50m coastline:
    # allow 0.1 deg (< 11 km); measured worst 0.043 deg (Anadyr)
    dist = [r.geometry.distance(Point(lon, lat)) for lat, lon in pts]
    assert max(dist) < 0.1
    assert np.mean(r.contains([p[0] for p in pts], [p[1] for p in pts])) > 0.8
