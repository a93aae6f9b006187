"""Regions on the Earth: Russia, the Arctic, the Northern Sea Route, land, any GeoJSON polygon.

A :class:`Region` is a polygon (shapely, longitude/latitude in degrees, longitudes in
[-180, 180]) with a geodesic area on the WGS84 ellipsoid (``pyproj.Geod``) and an
equal-area grid of points for coverage statistics (:meth:`Region.grid`).

Named regions (``get(name)``)
-----------------------------
``"russia"``
    Natural Earth admin-0 countries 1:50m (public domain, v5.1, shipped in
    ``sim/data/naturalearth``), ``ADM0_A3 == "RUS"``. Natural Earth already cuts Russia at
    the antimeridian (Chukotka is two pieces, east and west of 180 deg), so every piece
    lies in [-180, 180]. Its geodesic area is 16.96 million km^2; ``reference_facts.md``
    gives 16,953,104 km^2 from the 1:10m shapes (``tests/test_regions.py`` checks 0.5 %).
``"arctic"``
    Everything north of the Arctic Circle, 90 deg minus the mean obliquity of the
    ecliptic at J2000 (IAU 2006: 84381.406 arcsec = 23.43928 deg), i.e. 66.5607 deg N.
``"northern_sea_route"``
    A corridor of ``width_km`` (default 300 km) around a polyline from the Kara Gate to the
    Bering Strait (vertices with sources in ``sim/data/regions/northern_sea_route.csv``).
``"land"``
    Natural Earth 1:50m land polygons (all continents and islands, Antarctica included).

Any country of the shipped admin-0 shapes is available as ``country("FIN")`` (ISO A3 or
name), and any GeoJSON Polygon/MultiPolygon/Feature/FeatureCollection as
:meth:`Region.from_geojson`. Polygons whose longitudes run past +-180 deg (or whose edges
jump across the antimeridian, e.g. 170 -> -170) are unwrapped and cut at 180 deg.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import constants as C
from .errors import PresetError, SimError, as_float, check_range, describe
from .inputs import MAX_ELEMENT_FILE_BYTES, InputError, read_text, snippet

__all__ = [
    "Region",
    "RegionError",
    "Grid",
    "get",
    "names",
    "country",
    "arctic",
    "russia",
    "land",
    "northern_sea_route",
    "nsr_vertices",
    "cities",
    "equal_area_grid",
    "zone_area_km2",
    "ARCTIC_CIRCLE_DEG",
    "WGS84_A_KM",
    "WGS84_F",
]

# Aliases of sim.constants (the one definition of each), kept as public names of this module.
#: Arctic Circle latitude, deg (``sim.constants.ARCTIC_CIRCLE_DEG``: 90 - J2000 obliquity).
ARCTIC_CIRCLE_DEG = C.ARCTIC_CIRCLE_DEG
#: WGS84 semi-major axis (km) and flattening (``sim.constants.R_EARTH``, ``FLATTENING``).
WGS84_A_KM = C.R_EARTH / 1e3
#: WGS84 flattening (``sim.constants.FLATTENING``)
WGS84_F = C.FLATTENING
#: Authalic (equal-area) radius of WGS84, km (``sim.constants.R_AUTHALIC``).
AUTHALIC_RADIUS_KM = C.R_AUTHALIC / 1e3

_NE = "naturalearth/shapefiles/natural_earth"


class RegionError(SimError, ValueError):
    """A region (GeoJSON, polygon, corridor) that cannot be used."""


def _data(*parts):
    return resources.files("sim").joinpath("data", *parts)


# ------------------------------------------------------------------ geometry helpers


def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


def zone_area_km2(lat1_deg: ArrayLike, lat2_deg: ArrayLike) -> np.ndarray | float:
    """Area (km^2) of the WGS84 ellipsoid between two parallels (whole circle of longitude).

    Latitudes in degrees, broadcast together; a float for two scalar latitudes.

    Closed form for an oblate ellipsoid: the area from the equator to latitude phi is
    ``pi b^2 [sin(phi)/(1 - e^2 sin^2 phi) + ln((1 + e sin phi)/(1 - e sin phi)) / (2 e)]``.
    """
    a = WGS84_A_KM
    e2 = C.E2_EARTH
    e = np.sqrt(e2)
    b2 = a * a * (1.0 - e2)

    def upto(lat):
        s = np.sin(np.radians(np.asarray(lat, float)))
        return np.pi * b2 * (s / (1.0 - e2 * s * s) + np.log((1.0 + e * s) / (1.0 - e * s)) / (2.0 * e))

    return np.abs(upto(lat2_deg) - upto(lat1_deg))


def _geodesic_area_km2(geom) -> float:
    """Geodesic area (km^2) of a lon/lat polygon on WGS84 (edges densified to 0.25 deg first).

    Densifying makes an edge that is straight in longitude/latitude (a parallel, as in the
    Arctic box, or a long Natural Earth edge) follow that line instead of a geodesic.
    """
    import shapely

    g = shapely.segmentize(geom, 0.25)
    area, _ = _geod().geometry_area_perimeter(g)
    return abs(area) / 1e6


def _split_antimeridian(geom):
    """Cut a lon/lat geometry whose longitudes run outside [-180, 180] and shift the pieces back."""
    import shapely
    from shapely.affinity import translate
    from shapely.geometry import box

    minx, _, maxx, _ = geom.bounds
    if minx >= -180.0 and maxx <= 180.0:
        return geom
    pieces = []
    for shift in (-720, -360, 0, 360, 720):
        window = box(-180.0 - shift, -90.0, 180.0 - shift, 90.0)
        part = geom.intersection(window)
        if not part.is_empty:
            pieces.append(translate(part, xoff=shift))
    return _polygonal(shapely.union_all(pieces))


def _polygonal(geom):
    """Keep the polygonal part of a geometry, as a MultiPolygon."""
    from shapely.geometry import MultiPolygon, Polygon

    if isinstance(geom, Polygon):
        return MultiPolygon([geom]) if not geom.is_empty else MultiPolygon()
    if isinstance(geom, MultiPolygon):
        return geom
    polys = []
    for g in getattr(geom, "geoms", []):
        if isinstance(g, Polygon):
            polys.append(g)
        elif isinstance(g, MultiPolygon):
            polys.extend(g.geoms)
    return MultiPolygon(polys)


def _unwrap_ring(coords):
    """Unwrap a ring's longitudes (deg) so no edge jumps by more than 180 deg."""
    c = np.asarray(coords, float)
    lon = np.degrees(np.unwrap(np.radians(c[:, 0])))
    if lon.min() > 180.0 or lon.max() < -180.0:  # keep the ring near the main window
        lon -= 360.0 * np.round(lon.mean() / 360.0)
    return np.column_stack([lon, c[:, 1]])


# ------------------------------------------------------------------ grids


@dataclass(frozen=True)
class Grid:
    """Points of an equal-area grid: centres (deg) and the area (km^2) each point stands for."""

    lat_deg: np.ndarray
    lon_deg: np.ndarray
    area_km2: np.ndarray
    cell_km: float

    def __len__(self) -> int:
        return len(self.lat_deg)

    def unit_vectors(self) -> np.ndarray:
        """(n, 3) unit vectors of the points on a sphere (geodetic lat/lon used as spherical)."""
        lat, lon = np.radians(self.lat_deg), np.radians(self.lon_deg)
        return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def equal_area_grid(cell_km: float = 25.0, lat_min_deg: float = -90.0, lat_max_deg: float = 90.0) -> Grid:
    """Cell centres of a global equal-area grid between two latitudes.

    Latitude bands of height ``cell_km`` (on the authalic sphere); each band holds
    ``round(360 cos(lat) / dlat)`` cells of equal longitude width, so every cell is
    about ``cell_km`` x ``cell_km``. The area of each cell is exact on WGS84 (the band's
    zone area divided by its number of cells), so weights are exact even where rounding
    makes cells of neighbouring bands differ by up to a few per cent.
    """
    check_range("cell_km", cell_km, 1.0, 2000.0, unit="km", error=RegionError, scalar=True)
    cell_km = as_float(cell_km, "cell_km", "km", scalar=True, error=RegionError)
    dlat = np.degrees(cell_km / AUTHALIC_RADIUS_KM)
    nb = max(1, int(round(180.0 / dlat)))
    edges = np.linspace(-90.0, 90.0, nb + 1)
    keep = (edges[1:] >= lat_min_deg - 1e-9) & (edges[:-1] <= lat_max_deg + 1e-9)
    lo, hi = edges[:-1][keep], edges[1:][keep]
    centre = 0.5 * (lo + hi)
    ncell = np.maximum(1, np.round(360.0 * np.cos(np.radians(centre)) / (180.0 / nb)).astype(np.int64))
    band = np.repeat(np.arange(len(centre)), ncell)
    j = np.arange(band.size) - np.repeat(np.cumsum(ncell) - ncell, ncell)
    lon = -180.0 + (j + 0.5) * 360.0 / ncell[band]
    area = (zone_area_km2(lo, hi) / ncell)[band]
    return Grid(lat_deg=centre[band], lon_deg=lon, area_km2=area, cell_km=float(cell_km))


# ------------------------------------------------------------------ regions


@dataclass(frozen=True, eq=False)
class Region:
    """A polygonal region of the Earth (lon/lat degrees on WGS84) with a geodesic area."""

    name: str
    geometry: object  # shapely MultiPolygon, lon in [-180, 180]
    source: str = ""
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        import shapely

        geom = _polygonal(_split_antimeridian(self.geometry))
        if geom.is_empty or geom.area == 0.0:
            raise RegionError(f"region {self.name!r} is empty (no polygon with an area)")
        shapely.prepare(geom)
        object.__setattr__(self, "geometry", geom)

    # ---------------------------------------------------------- properties
    @property
    def area_km2(self) -> float:
        """Geodesic area on WGS84, km^2 (pyproj.Geod, edges densified to 0.25 deg)."""
        if "area" not in self._cache:
            self._cache["area"] = _geodesic_area_km2(self.geometry)
        return self._cache["area"]

    @property
    def bounds_deg(self) -> tuple[float, float, float, float]:
        """(lon_min, lat_min, lon_max, lat_max) in degrees."""
        return tuple(float(x) for x in self.geometry.bounds)

    def contains(self, lat_deg: ArrayLike, lon_deg: ArrayLike) -> np.ndarray | np.bool_:
        """True where the points (deg, any matching shapes) lie inside the region (vectorised).

        A numpy bool for one scalar point."""
        import shapely

        lat = np.asarray(lat_deg, float)
        lon = (np.asarray(lon_deg, float) + 180.0) % 360.0 - 180.0
        return shapely.contains_xy(self.geometry, lon, lat)

    def grid(self, cell_km: float = 25.0) -> Grid:
        """The points of :func:`equal_area_grid` (``cell_km`` cells) that lie inside the region."""
        cell_km = as_float(cell_km, "cell_km", "km", scalar=True, error=RegionError)
        key = ("grid", cell_km)
        if key not in self._cache:
            _, lat0, _, lat1 = self.bounds_deg
            g = equal_area_grid(cell_km, lat0, lat1)
            inside = self.contains(g.lat_deg, g.lon_deg)
            if not inside.any():  # a region smaller than one cell: keep its representative point
                p = self.geometry.representative_point()
                self._cache[key] = Grid(np.array([p.y]), np.array([p.x]), np.array([self.area_km2]), float(cell_km))
            else:
                self._cache[key] = Grid(g.lat_deg[inside], g.lon_deg[inside], g.area_km2[inside], float(cell_km))
        return self._cache[key]

    def __repr__(self) -> str:
        return f"Region({self.name!r}, area={self.area_km2:,.0f} km^2)"

    # ---------------------------------------------------------- constructors
    @classmethod
    def from_geojson(cls, src: str | Path | dict[str, Any], *, name: str | None = None) -> Region:
        """A region from GeoJSON: a path to a file, a JSON string, or an already parsed dict.

        Accepts Polygon, MultiPolygon, Feature and FeatureCollection (polygonal features are
        merged; a Feature whose geometry is null, which RFC 7946 allows, is skipped). Coordinates
        are ``[lon, lat]`` in degrees (RFC 7946). A file is read by :func:`sim.inputs.read_text`
        (a regular file of at most 10 MiB).
        Raises :class:`RegionError` for non-polygonal or empty geometry, features that are not
        objects, coordinates outside [-90, 90] latitude, self-intersecting rings, and a ring
        running all the way around the Earth (an edge from -180 to 180 deg reads as crossing
        the antimeridian and leaves no area: give such a region in pieces).
        """
        import shapely
        from shapely.geometry import Polygon, shape

        label = name
        if isinstance(src, dict):
            obj = src
        else:
            text = None
            if isinstance(src, Path) or (isinstance(src, str) and not src.lstrip().startswith("{")):
                p = Path(src)
                try:
                    text = read_text(p, limit=MAX_ELEMENT_FILE_BYTES, label=f"GeoJSON file {str(p)!r}")
                except InputError as exc:
                    raise RegionError(str(exc)) from None
                label = label or p.stem
            else:
                text = str(src)
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise RegionError(f"GeoJSON {label or ''}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
            except RecursionError:
                raise RegionError(f"GeoJSON {label or ''}: not valid JSON (nested too deeply)") from None
        label = label or "geojson"
        geoms = _geometries(obj, label)
        if obj.get("type") == "Feature":
            props = obj.get("properties")
            label = name or (str(props.get("name"))[:60] if isinstance(props, dict) and props.get("name") else label)
        polys = []
        for k, gj in enumerate(geoms):
            if gj.get("type") not in ("Polygon", "MultiPolygon"):
                raise RegionError(
                    f"GeoJSON {label!r}: geometry {k} is a {snippet(gj.get('type'))}; allowed: Polygon, MultiPolygon"
                )
            if not isinstance(gj.get("coordinates"), list) or not gj["coordinates"]:
                raise RegionError(
                    f"GeoJSON {label!r}: geometry {k} needs 'coordinates', a non-empty list of rings of [lon, lat]"
                )
            try:
                g = shape(gj)
            except Exception as exc:  # shapely raises several types on malformed coordinates
                raise RegionError(f"GeoJSON {label!r}: geometry {k} has malformed coordinates ({exc})") from None
            for poly in getattr(g, "geoms", [g]):
                if poly.is_empty:
                    continue
                lat = np.asarray(poly.exterior.coords)[:, 1]
                if np.any(np.abs(lat) > 90.0):
                    raise RegionError(
                        f"GeoJSON {label!r}: latitude outside [-90, 90] deg (coordinates must be [lon, lat])"
                    )
                if not poly.is_valid:
                    raise RegionError(
                        f"GeoJSON {label!r}: polygon {k} is invalid "
                        f"({shapely.is_valid_reason(poly)}); rings must not self-intersect"
                    )
                shell = _unwrap_ring(poly.exterior.coords)
                holes = [_unwrap_ring(r.coords) for r in poly.interiors]
                unwrapped = Polygon(shell, holes)
                if poly.area > 0.0 and unwrapped.area < 1e-9 * poly.area:
                    raise RegionError(
                        f"GeoJSON {label!r}: polygon {k} runs all the way around the Earth: an edge of 180 deg "
                        "or more of longitude reads as crossing the antimeridian (RFC 7946), which leaves no "
                        "area; give it as pieces less than 180 deg wide (or use the built-in 'land' or 'arctic')"
                    )
                polys.append(unwrapped)
        if not polys or all(p.area == 0 for p in polys):
            raise RegionError(f"GeoJSON {label!r} is empty: it holds no polygon with an area")
        return cls(label, shapely.union_all(polys), source="GeoJSON")

    @classmethod
    def from_polygon(cls, lonlat: ArrayLike, *, name: str = "polygon") -> Region:
        """A region from one ring of ``(lon, lat)`` vertices in degrees."""
        return cls.from_geojson({"type": "Polygon", "coordinates": [np.asarray(lonlat, float).tolist()]}, name=name)


def _what(value) -> str:
    if value is None:
        return "null"
    kinds = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}
    kind = kinds.get(type(value), type(value).__name__)
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} ({snippet(value)})"


def _geometries(obj, label: str) -> list[dict]:
    """The geometry objects of a parsed GeoJSON object (Feature/FeatureCollection unpacked);
    RegionError naming the member that is not what RFC 7946 says it must be."""
    if not isinstance(obj, dict) or "type" not in obj:
        raise RegionError(f"GeoJSON {label!r}: expected an object with a 'type' member")
    kind = obj["type"]
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise RegionError(f"GeoJSON {label!r}: 'features' must be a list of Feature objects, got {_what(features)}")
        out = []
        for k, f in enumerate(features):
            if not isinstance(f, dict):
                raise RegionError(f"GeoJSON {label!r}: feature {k} is {_what(f)}, not a Feature object")
            g = f.get("geometry")
            if g is None:  # RFC 7946: an unlocated feature; nothing to add
                continue
            if not isinstance(g, dict):
                raise RegionError(
                    f"GeoJSON {label!r}: feature {k}: 'geometry' must be an object or null, got {_what(g)}"
                )
            out.append(g)
        return out
    if kind == "Feature":
        g = obj.get("geometry")
        if g is None:
            return []
        if not isinstance(g, dict):
            raise RegionError(f"GeoJSON {label!r}: 'geometry' must be an object or null, got {_what(g)}")
        return [g]
    return [obj]


# ------------------------------------------------------------------ named regions


def _read_shapes(kind: str, name: str):
    import shapefile  # pyshp, installed with cartopy
    from shapely.geometry import shape

    path = str(_data(*_NE.split("/"), kind, name))
    with shapefile.Reader(path, encoding="utf-8") as r:
        fields = [f[0] for f in r.fields[1:]]
        for sr in r.iterShapeRecords():
            yield dict(zip(fields, sr.record)), shape(sr.shape.__geo_interface__)


@lru_cache(maxsize=32)
def country(key: str) -> Region:
    """A country of Natural Earth admin-0 1:50m by ISO A3 code (``"RUS"``) or name (``"Russia"``)."""
    k = str(key).strip().lower()
    for attrs, geom in _read_shapes("cultural", "ne_50m_admin_0_countries.shp"):
        if k in (
            str(attrs.get("ADM0_A3", "")).lower(),
            str(attrs.get("ISO_A3", "")).lower(),
            str(attrs.get("NAME", "")).lower(),
            str(attrs.get("NAME_LONG", "")).lower(),
        ):
            return Region(str(attrs["NAME"]), geom, source="Natural Earth 1:50m admin-0 countries v5.1 (public domain)")
    raise PresetError(f"unknown country {key!r}; use an ISO A3 code (e.g. 'RUS') or a Natural Earth name")


def russia() -> Region:
    """Russia from Natural Earth admin-0 1:50m (``ADM0_A3 == "RUS"``)."""
    return country("RUS")


@lru_cache(maxsize=4)
def arctic(lat_deg: float = ARCTIC_CIRCLE_DEG) -> Region:
    """Everything north of ``lat_deg`` (default the Arctic Circle, 66.5607 deg N)."""
    from shapely.geometry import box

    if not (0.0 <= lat_deg < 90.0):
        raise RegionError(f"lat_deg must be in [0, 90) deg, got {lat_deg!r}")
    return Region("Arctic", box(-180.0, lat_deg, 180.0, 90.0), source=f"north of {lat_deg:.4f} deg N")


@lru_cache(maxsize=1)
def land() -> Region:
    """All land (Natural Earth 1:50m land polygons)."""
    import shapely

    geoms = [g for _, g in _read_shapes("physical", "ne_50m_land.shp")]
    return Region(
        "Land",
        shapely.union_all([shapely.make_valid(g) for g in geoms]),
        source="Natural Earth 1:50m land v5.1 (public domain)",
    )


@lru_cache(maxsize=1)
def nsr_vertices() -> tuple[tuple[str, float, float, str], ...]:
    """Vertices of the Northern Sea Route polyline as ``(name, lat_deg, lon_deg, source)``, west to east."""
    text = _data("regions", "northern_sea_route.csv").read_text()
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple((r["name"], float(r["lat_deg"]), float(r["lon_deg"]), r["source"]) for r in rows)


@lru_cache(maxsize=8)
def northern_sea_route(width_km: float = 300.0) -> Region:
    """The Northern Sea Route as a corridor ``width_km`` wide around the polyline of :func:`nsr_vertices`.

    The polyline is densified along geodesics (~10 km spacing); the corridor is the union of
    quadrilaterals offset by ``width_km / 2`` at right angles to the track on each side
    (``pyproj.Geod.fwd``) and of discs of that radius at the vertices (round joins and ends).
    Its area is therefore length x width + pi (width/2)^2 up to the overlap at the joins.
    """
    import shapely
    from shapely.geometry import Polygon

    if not (np.isfinite(width_km) and 1.0 <= width_km <= 2000.0):
        raise RegionError(f"width_km must be in [1, 2000] km, got {width_km!r}")
    g = _geod()
    v = nsr_vertices()
    lats = np.array([x[1] for x in v])
    lons = np.array([x[2] for x in v])
    pts_lon, pts_lat = [lons[:1]], [lats[:1]]
    for k in range(len(v) - 1):  # a loop over the 11 legs, not over points
        dist = g.inv(lons[k], lats[k], lons[k + 1], lats[k + 1])[2]
        n = max(1, int(np.ceil(dist / 10e3)))
        mid = np.array(g.npts(lons[k], lats[k], lons[k + 1], lats[k + 1], n - 1)).reshape(-1, 2)
        pts_lon.append(np.r_[mid[:, 0], lons[k + 1]])
        pts_lat.append(np.r_[mid[:, 1], lats[k + 1]])
    plon, plat = np.concatenate(pts_lon), np.concatenate(pts_lat)
    az = g.inv(plon[:-1], plat[:-1], plon[1:], plat[1:])[0]
    half = np.full(az.shape, width_km * 500.0)
    # offsets of both ends of each segment, to the left (-90) and right (+90) of its azimuth
    l0 = g.fwd(plon[:-1], plat[:-1], az - 90.0, half)[:2]
    r0 = g.fwd(plon[:-1], plat[:-1], az + 90.0, half)[:2]
    l1 = g.fwd(plon[1:], plat[1:], az - 90.0, half)[:2]
    r1 = g.fwd(plon[1:], plat[1:], az + 90.0, half)[:2]
    quads = np.stack([np.stack(l0, -1), np.stack(l1, -1), np.stack(r1, -1), np.stack(r0, -1)], axis=1)
    ang = np.linspace(0.0, 360.0, 73)[:-1]
    caps = [
        np.stack(g.fwd(np.full(72, lo), np.full(72, la), ang, np.full(72, width_km * 500.0))[:2], -1)
        for lo, la in zip(lons, lats)
    ]
    # every piece on one continuous longitude axis around the route's middle (58 E -> 190.5 E)
    fixed = []
    for r in [_unwrap_ring(q) for q in quads] + [_unwrap_ring(c) for c in caps]:
        r[:, 0] += 360.0 * np.round((120.0 - r[:, 0].mean()) / 360.0)
        fixed.append(Polygon(r).buffer(0))
    geom = shapely.union_all(fixed)
    return Region(
        "Northern Sea Route",
        geom,
        source=f"corridor {width_km:g} km wide, Kara Gate - Bering Strait (sim/data/regions/northern_sea_route.csv)",
    )


@lru_cache(maxsize=1)
def cities() -> tuple[tuple[str, float, float], ...]:
    """Named places in Russia as ``(name, lat_deg, lon_deg)`` (``sim/data/regions/cities.csv``)."""
    text = _data("regions", "cities.csv").read_text()
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple((r["name"], float(r["lat_deg"]), float(r["lon_deg"])) for r in rows)


_NAMED = {
    "russia": russia,
    "arctic": arctic,
    "northern_sea_route": northern_sea_route,
    "nsr": northern_sea_route,
    "land": land,
}


def names() -> list[str]:
    """Names accepted by :func:`get`."""
    return [n for n in _NAMED if n != "nsr"]


def get(region: str | Path | dict[str, Any] | Region, **options: Any) -> Region:
    """A :class:`Region` from a name (see :func:`names`), a Region, or a GeoJSON dict/path."""
    if isinstance(region, Region):
        return region
    if isinstance(region, dict):
        return Region.from_geojson(region)
    if isinstance(region, (str, Path)):
        key = str(region).strip().lower()
        if key in _NAMED:
            return _NAMED[key](**options)
        if key.endswith((".json", ".geojson")):
            return Region.from_geojson(region)
    raise PresetError(
        f"unknown region {describe(region)}; choose one of: {', '.join(names())}, a Region, or a GeoJSON file/dict"
    )
