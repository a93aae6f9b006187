"""Coverage figures: revisit maps over Russia, an Arctic polar map, passes per day per station.

Inputs are results of :mod:`sim.coverage` (``CoverageResult``, ``PassList``); nothing is
computed here beyond picking the quantity to colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .base import grouped_bar_figure, map_axes, pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..coverage import CoverageResult, Pass

__all__ = ["arctic_map_figure", "coverage_map_figure", "passes_per_day_figure"]

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


def _panels(result, quantity, projection, extent, ncols, size):
    import cartopy.crs as ccrs

    label, fn, cmap = _quantity(result, quantity)
    # never-seen points are grey for every quantity (their max gap would otherwise be
    # drawn as the whole span and dominate the colour scale)
    values = np.where(np.isfinite(result.first_seen_s), fn(result), np.nan)
    finite = values[np.isfinite(values)]
    vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    n = len(result.names)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    plt = pyplot()
    fig = plt.figure(figsize=(size[0] * ncols, size[1] * nrows))
    gs = fig.add_gridspec(nrows, ncols)
    sc = None
    for k, name in enumerate(result.names):
        _, ax = map_axes(fig, projection, extent=extent, scale="50m", subplot=gs[k // ncols, k % ncols])
        v = values[k]
        unseen = ~np.isfinite(v)
        if unseen.any():
            ax.scatter(
                result.lon_deg[unseen],
                result.lat_deg[unseen],
                s=4.0,
                c="#9a9a9a",
                marker="s",
                transform=ccrs.PlateCarree(),
                linewidths=0,
                label="never seen",
            )
        sc = ax.scatter(
            result.lon_deg[~unseen],
            result.lat_deg[~unseen],
            c=v[~unseen],
            s=4.0,
            marker="s",
            cmap=cmap,
            vmin=vmin,
            vmax=vmax,
            transform=ccrs.PlateCarree(),
            linewidths=0,
        )
        share = (np.isfinite(result.first_seen_s[k]) * result.area_km2).sum() / result.area_km2.sum()
        ax.set_title(f"{name}: {100 * share:.0f}% of {result.region} seen", fontsize=10)
    if sc is not None:
        fig.colorbar(sc, ax=fig.axes, shrink=0.7, label=label)
    fig.suptitle(
        f"{label} over {result.region}, {result.duration_s / 86400:.3g} days, footprint: "
        f"{result.footprint} (grey: never seen)",
        fontsize=11,
    )
    return fig


def coverage_map_figure(result: CoverageResult, quantity: str = "mean_gap_h", *, ncols: int = 2) -> Figure:
    """Side-by-side maps over Russia (Albers equal-area) of a revisit quantity per orbit.

    ``result``: a :class:`sim.coverage.CoverageResult`; ``quantity``: one of
    "mean_gap_h", "max_gap_h", "time_covered_pct", "accesses_per_day", "first_seen_h".
    """
    import cartopy.crs as ccrs

    proj = ccrs.AlbersEqualArea(central_longitude=100.0, central_latitude=60.0, standard_parallels=(50.0, 70.0))
    return _panels(result, quantity, proj, [20.0, 190.0, 40.0, 82.0], ncols, (7.0, 4.2))


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
        (5.5, 5.5),
    )


def passes_per_day_figure(pass_list: Sequence[Pass], *, days: float | None = None, title: str | None = None) -> Figure:
    """Bars: passes per day per ground station, one colour per orbit.

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
        ylabel="passes per day",
        xlabel="ground station",
        title=title or f"Passes per day per station ({days:.3g} days)",
    )
