"""Figures: results in, matplotlib ``Figure`` out; no computation of their own.

Maps use cartopy with the Natural Earth shapes shipped in ``sim/data/naturalearth``
(1:110m and 1:50m), so drawing never touches the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from cartopy.crs import Projection
    from cartopy.mpl.geoaxes import GeoAxes
    from matplotlib.figure import Figure
    from matplotlib.gridspec import SubplotSpec
    from numpy.typing import ArrayLike

__all__ = [
    "STATION_COLOURS",
    "colour_for",
    "ground_track_figure",
    "grouped_bar_figure",
    "map_axes",
    "pyplot",
    "split_at_dateline",
    "use_offline_cartopy",
]

#: Default colours per station name, stable across figures.
STATION_COLOURS = {
    "ISS": "#1f77b4",
    "ROS 96.8": "#d62728",
    "ROS SSO": "#ff7f0e",
    "ROS 51.6": "#2ca02c",
    "ROS 98": "#9467bd",
}
_CYCLE = ["#1f77b4", "#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def colour_for(name: str, index: int) -> str:
    """The '#rrggbb' colour of station ``name`` (:data:`STATION_COLOURS`), else the ``index``-th of a cycle."""
    return STATION_COLOURS.get(name, _CYCLE[index % len(_CYCLE)])


def use_offline_cartopy() -> None:
    """Point cartopy at the shipped Natural Earth files and forbid downloads."""
    import cartopy

    path = str(resources.files("sim") / "data" / "naturalearth")
    cartopy.config["pre_existing_data_dir"] = path
    cartopy.config["data_dir"] = path  # nothing is written outside the shipped folder


def pyplot() -> ModuleType:
    """``matplotlib.pyplot``, on the Agg backend outside a notebook (figures are saved, never shown)."""
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        try:
            import IPython

            if IPython.get_ipython() is None:
                matplotlib.use("Agg")
        except ImportError:
            matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def map_axes(
    fig: Figure | None = None,
    projection: Projection | None = None,
    *,
    extent: Sequence[float] | None = None,
    scale: str = "110m",
    subplot: int | SubplotSpec = 111,
) -> tuple[Figure, GeoAxes]:
    """``(fig, ax)``: a cartopy GeoAxes with coastlines and borders from the shipped shapes, on ``fig``.

    ``fig`` None: a new 11 x 5.8 in figure. ``projection`` None: ``PlateCarree``. ``extent``:
    ``[lon_min, lon_max, lat_min, lat_max]`` deg (None: the whole globe).
    """
    import cartopy.crs as ccrs
    import cartopy.feature as cfeature

    use_offline_cartopy()
    plt = pyplot()
    fig = fig or plt.figure(figsize=(11, 5.8))
    ax = fig.add_subplot(subplot, projection=projection or ccrs.PlateCarree())
    if extent is not None:
        ax.set_extent(extent, crs=ccrs.PlateCarree())
    else:
        ax.set_global()
    ax.add_feature(cfeature.LAND.with_scale(scale), facecolor="#f2efe6", edgecolor="none")
    ax.add_feature(cfeature.COASTLINE.with_scale(scale), linewidth=0.5, edgecolor="#555555")
    ax.add_feature(cfeature.BORDERS.with_scale(scale), linewidth=0.3, edgecolor="#888888")
    ax.gridlines(draw_labels=True, linewidth=0.3, color="#aaaaaa", alpha=0.6)
    return fig, ax


def split_at_dateline(lon: ArrayLike, lat: ArrayLike) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pieces ``(lon, lat)`` of a track cut where it jumps across +-180 deg (no streaks on maps)."""
    cuts = np.nonzero(np.abs(np.diff(lon)) > 180.0)[0] + 1
    return list(zip(np.split(np.asarray(lon, float), cuts), np.split(np.asarray(lat, float), cuts)))


def ground_track_figure(
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    names: Sequence[str],
    *,
    title: str | None = None,
    colours: Sequence[str] | None = None,
) -> Figure:
    """Ground tracks of several orbits on a world map. ``lat_deg``/``lon_deg``: (n_orbits, n_times)."""
    import cartopy.crs as ccrs

    fig, ax = map_axes()
    for k, name in enumerate(names):
        c = colours[k] if colours else colour_for(name, k)
        for j, (lo, la) in enumerate(split_at_dateline(lon_deg[k], lat_deg[k])):
            ax.plot(
                lo,
                la,
                transform=ccrs.PlateCarree(),
                color=c,
                linewidth=max(2.4 - 0.4 * k, 0.8),
                label=name if j == 0 else None,
            )
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def grouped_bar_figure(
    groups: Sequence[str],
    values: ArrayLike,
    names: Sequence[str],
    *,
    ylabel: str,
    xlabel: str = "",
    title: str | None = None,
    colours: Sequence[str] | None = None,
) -> Figure:
    """Grouped bars: one group per entry of ``groups``, one bar per station in each group.

    ``values``: (n_stations, n_groups), in the unit ``ylabel`` names (e.g. "% of area seen",
    "passes per day"); a NaN draws as an empty bar (0). ``names``: the stations, in the
    order of ``values``' rows; ``colours``: one '#rrggbb' per station (default
    :func:`colour_for`). Nothing is computed here: the values are drawn as given.
    """
    plt = pyplot()
    groups = [str(g) for g in groups]
    values = np.asarray(values, dtype=float).reshape(len(names), len(groups))
    fig, ax = plt.subplots(figsize=(min(max(6.0, 1.6 * len(groups) + 3), 12.0), 4.6))
    n = len(names)
    width = 0.8 / max(n, 1)
    x = np.arange(len(groups))
    for k, name in enumerate(names):
        c = colours[k] if colours else colour_for(name, k)
        ax.bar(x + (k - (n - 1) / 2) * width, np.nan_to_num(values[k], nan=0.0), width, label=name, color=c)
    if len(groups) > 5:
        ax.set_xticks(x, groups, rotation=35, ha="right", fontsize=8)
    else:
        ax.set_xticks(x, groups)
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, ncols=min(n, 4))
    fig.tight_layout()
    return fig
