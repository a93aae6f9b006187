"""Coverage figures: revisit maps over Russia, an Arctic polar map, passes per day per station.

Inputs are results of :mod:`sim.coverage` (``CoverageResult``, ``PassList``); nothing is
computed here beyond picking the quantity to colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .base import grouped_bar_figure, map_axes, pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..coverage import CoverageResult, Pass

__all__ = ["arctic_map_figure", "coverage_map_figure", "passes_per_day_figure"]

_NEVER_SEEN = "#9a9a9a"

_QUANTITIES = {
    "mean_gap_h": ("mean revisit gap (h)", lambda r: r.mean_gap_s / 3600.0, "viridis_r"),
    "max_gap_h": ("maximum gap (h)", lambda r: r.max_gap_s / 3600.0, "viridis_r"),
    "time_covered_pct": ("time covered (%)", lambda r: 100.0 * r.time_covered, "viridis"),
    "accesses_per_day": ("accesses per day", lambda r: r.n_access / (r.duration_s / 86400.0), "viridis"),
    "first_seen_h": ("first seen after (h)", lambda r: r.first_seen_s / 3600.0, "magma_r"),
}


def _quantity(result, quantity):
    from ..errors import SimError

    if quantity not in _QUANTITIES:
        raise SimError(f"quantity must be one of {', '.join(_QUANTITIES)}, got {quantity!r}")
    return _QUANTITIES[quantity]


def _panels(result, quantity, projection, extent, ncols, size, ticks):
    import cartopy.crs as ccrs
    from matplotlib.patches import Patch

    label, fn, cmap = _quantity(result, quantity)
    # never-seen points are grey for every quantity (their max gap would otherwise be
    # drawn as the whole span and dominate the colour scale)
    values = np.where(np.isfinite(result.first_seen_s), fn(result), np.nan)
    finite = values[np.isfinite(values)]
    vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    n = len(result.names)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    pc = ccrs.PlateCarree()
    if extent is None:  # the region's own bounding box in the projection (no lat-lon box edges, no notch)
        xy = projection.transform_points(pc, np.asarray(result.lon_deg, float), np.asarray(result.lat_deg, float))
        x0, x1 = np.nanmin(xy[:, 0]), np.nanmax(xy[:, 0])
        y0, y1 = np.nanmin(xy[:, 1]), np.nanmax(xy[:, 1])
        pad = 0.04 * max(x1 - x0, y1 - y0)
        box = (x0 - pad, x1 + pad, y0 - pad, y1 + pad)
        aspect = (box[3] - box[2]) / (box[1] - box[0])
        size = (size[0], max(2.2, size[0] * aspect) + 0.5)
    plt = pyplot()
    fig = plt.figure(figsize=(size[0] * ncols + 1.6, size[1] * nrows + 0.9))
    gs = fig.add_gridspec(nrows, ncols)
    sc = None
    for k, name in enumerate(result.names):
        _, ax = map_axes(
            fig, projection, extent=extent, scale="50m", subplot=gs[k // ncols, k % ncols], gridlines=False
        )
        if extent is None:
            ax.set_extent(box, crs=projection)
        # graticule with labels inside the map, along one meridian and one parallel (cartopy's
        # edge labels land in the corners of a conic/azimuthal map)
        ax.gridlines(draw_labels=False, linewidth=0.3, color="#999999", alpha=0.7, xlocs=ticks[0], ylocs=ticks[1])
        x0, x1, y0, y1 = ax.get_extent(crs=projection)
        labels = [(ticks[2], lat, f"{lat:g}\N{DEGREE SIGN}N") for lat in ticks[1]]
        for lon in ticks[0]:
            e = ((lon + 180) % 360) - 180
            hemi = "" if e in (0, -180) else ("E" if e > 0 else "W")
            labels.append((lon, ticks[3], f"{abs(e):g}\N{DEGREE SIGN}{hemi}"))
        for lon, lat, text in labels:
            x, y = projection.transform_point(lon, lat, pc)
            if x0 < x < x1 and y0 < y < y1:  # only labels inside the map
                ax.text(x, y, text, transform=projection, fontsize=7, color="0.2", ha="center", va="center", zorder=6)
        v = values[k]
        unseen = ~np.isfinite(v)
        if unseen.any():
            ax.scatter(
                result.lon_deg[unseen],
                result.lat_deg[unseen],
                s=7.0,
                c=_NEVER_SEEN,
                marker="s",
                transform=pc,
                linewidths=0,
            )
        sc = ax.scatter(
            result.lon_deg[~unseen],
            result.lat_deg[~unseen],
            c=v[~unseen],
            s=7.0,
            marker="s",
            cmap=cmap,
            vmin=vmin,
            vmax=vmax,
            transform=pc,
            linewidths=0,
        )
        share = (np.isfinite(result.first_seen_s[k]) * result.area_km2).sum() / result.area_km2.sum()
        ax.set_title(f"{name}: {100 * share:.0f} % of {result.region} seen", fontsize=10)
    fig.suptitle(
        f"{label} over {result.region}, {result.duration_s / 86400:.3g} days, footprint: {result.footprint}",
        fontsize=11,
    )
    fig.tight_layout(rect=(0.0, 0.0, 1.0 - 1.5 / fig.get_figwidth(), 1.0))
    if sc is not None:
        cax = fig.add_axes((1.0 - 1.2 / fig.get_figwidth(), 0.3, 0.18 / fig.get_figwidth(), 0.55))
        fig.colorbar(sc, cax=cax, label=label)
    fig.legend(
        handles=[Patch(facecolor=_NEVER_SEEN, label="never seen")],
        loc="upper left",
        bbox_to_anchor=(1.0 - 1.45 / fig.get_figwidth(), 0.25),
        fontsize=8,
        frameon=False,
    )
    return fig


def coverage_map_figure(result: CoverageResult, quantity: str = "mean_gap_h", *, ncols: int = 2) -> Figure:
    """Maps over Russia (Lambert azimuthal equal-area, sized to the region) of a revisit quantity per orbit.

    ``result``: a :class:`sim.coverage.CoverageResult`; ``quantity``: one of
    "mean_gap_h", "max_gap_h", "time_covered_pct", "accesses_per_day", "first_seen_h".
    """
    import cartopy.crs as ccrs

    proj = ccrs.LambertAzimuthalEqualArea(central_longitude=100.0, central_latitude=62.0)
    ticks = (list(range(30, 181, 30)), [50, 60, 70, 80], 100.0, 47.0)
    return _panels(result, quantity, proj, None, ncols, (6.5, 3.5), ticks)


def arctic_map_figure(
    result: CoverageResult, quantity: str = "mean_gap_h", *, ncols: int = 2, min_lat_deg: float = 60.0
) -> Figure:
    """The same maps on a north polar stereographic projection (the Arctic, the Northern Sea Route)."""
    import cartopy.crs as ccrs

    return _panels(
        result,
        quantity,
        ccrs.NorthPolarStereo(central_longitude=100.0),
        [-180.0, 180.0, min_lat_deg, 90.0],
        ncols,
        (5.0, 5.0),
        (list(range(-180, 180, 30)), [70, 80], 100.0, min_lat_deg + 1.0),
    )


def passes_per_day_figure(
    pass_list: Sequence[Pass],
    *,
    days: float | None = None,
    title: str | None = None,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Figure:
    """Bars: passes per day per ground station, one style per orbit (``styles``,
    default :func:`sim.plots.station_styles`).

    ``pass_list`` from :func:`sim.coverage.passes`; ``days``: the span searched, days (default:
    the last set time, at least 1 day). Stations and orbits in order of first appearance.
    """
    orbits = list(dict.fromkeys(p.orbit for p in pass_list))
    stations = list(dict.fromkeys(p.station for p in pass_list))
    if days is None:
        span = max((p.set_s for p in pass_list), default=86400.0)
        days = max(span / 86400.0, 1.0)
    counts = np.array(
        [[sum(p.orbit == o and p.station == s for p in pass_list) for s in stations] for o in orbits], dtype=float
    ).reshape(len(orbits), len(stations))
    return grouped_bar_figure(
        stations,
        counts / days,
        orbits,
        ylabel="passes per day (1/day)",
        xlabel="ground station",
        title=title or f"Passes per day per station ({days:.3g} days)",
        styles=styles,
    )
