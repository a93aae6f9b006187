"""Figures: results in, matplotlib ``Figure`` out; no computation of their own.

Maps use cartopy with the Natural Earth shapes shipped in ``sim/data/naturalearth``
(1:110m and 1:50m), so drawing never touches the network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from cartopy.crs import Projection
    from cartopy.mpl.geoaxes import GeoAxes
    from matplotlib.figure import Figure
    from matplotlib.gridspec import SubplotSpec
    from matplotlib.legend import Legend
    from numpy.typing import ArrayLike

    from ..orbits import Orbit

__all__ = [
    "STATION_COLOURS",
    "add_notes",
    "bar_kwargs",
    "colour_for",
    "ground_track_figure",
    "grouped_bar_figure",
    "line_kwargs",
    "map_axes",
    "outside_legend",
    "pyplot",
    "resolve_styles",
    "same_orbit_notes",
    "same_orbit_pairs",
    "split_at_dateline",
    "station_styles",
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


_LINESTYLES = ("-", "--", "-.", ":")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_HATCHES = {"-": "", "--": "///", "-.": "...", ":": "xxx"}


def station_styles(names: Sequence[str], colours: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
    """One matplotlib style per station, chosen once and used by every figure of a report.

    Returns ``{name: {"color", "linestyle", "marker", "linewidth", "markersize", "zorder",
    "markevery"}}`` (``markevery`` staggers the markers of lines that coincide; use
    :func:`line_kwargs` for ``ax.plot`` and :func:`bar_kwargs` for ``ax.bar``, whose hatch
    follows the line style):
    the colour is ``colours[k]`` (default :func:`colour_for`); line style and marker cycle
    independently (4 styles x 8 markers), so no two of up to 32 stations share
    (colour, linestyle, marker) even when their colours coincide. Earlier stations are drawn
    wider and underneath (``zorder`` grows with the index, ``linewidth`` shrinks), so a
    station flying under another (the same plane) stays visible as a wide band around the
    narrower, dashed line on top.
    """
    names = [str(n) for n in names]
    if colours is not None and len(colours) != len(names):
        from ..errors import SimError

        raise SimError(f"colours must hold one colour per station ({len(names)}), got {len(colours)}")
    out: dict[str, dict[str, Any]] = {}
    for k, name in enumerate(names):
        out[name] = {
            "color": colours[k] if colours is not None else colour_for(name, k),
            "linestyle": _LINESTYLES[k % len(_LINESTYLES)],
            "marker": _MARKERS[(k + k // len(_MARKERS)) % len(_MARKERS)],
            "linewidth": max(3.4 - 0.8 * k, 1.0),
            "markersize": max(7.5 - 1.2 * k, 3.5),
            "zorder": 2.0 + 0.1 * k,
            "markevery": (round(0.023 * k % 0.1, 3), 0.1),  # staggered: coinciding lines show every marker
        }
    return out


def resolve_styles(
    names: Sequence[str], styles: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """``styles`` completed for ``names``: each station's given keys over :func:`station_styles`' defaults."""
    base = station_styles(names)
    if styles:
        for name in base:
            base[name].update(styles.get(name, {}))
    return base


def line_kwargs(style: Mapping[str, Any], *, markevery: bool = True) -> dict[str, Any]:
    """Keyword arguments of ``ax.plot`` for a station's ``style``; ``markevery`` False: a marker on every point."""
    keys = ("color", "linestyle", "marker", "linewidth", "markersize", "zorder") + (("markevery",) if markevery else ())
    return {k: style[k] for k in keys if k in style}


def bar_kwargs(style: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments of ``ax.bar`` for a station's ``style``: its colour and a hatch from its line style."""
    return {
        "color": style.get("color"),
        "hatch": style.get("hatch", _HATCHES.get(style.get("linestyle", "-"), "")),
        "edgecolor": "white",
        "linewidth": 0.5,
    }


def same_orbit_pairs(orbit: Orbit, tolerance_deg: float = 0.1) -> list[tuple[str, str]]:
    """Pairs ``(earlier, later)`` of station names of ``orbit`` whose planes are within ``tolerance_deg`` at the epoch
    (:meth:`sim.Orbit.same_plane_pairs`); the figures annotate these pairs (``same_orbit=``) because their tracks
    overlap."""
    return orbit.same_plane_pairs(tolerance_deg)


def same_orbit_notes(same_orbit: Sequence[tuple[str, str]], names: Sequence[str] | None = None) -> list[str]:
    """One sentence per pair ``(a, b)`` of ``names``: "b flies the a's plane (RAAN offset 0 deg): ...".

    The pairs are those of :func:`same_orbit_pairs` (planes within 0.1 deg: a RAAN offset of 0 deg).
    """
    out = []
    for pair in same_orbit:
        a, b = str(pair[0]), str(pair[1])
        if names is not None and (a not in names or b not in names):
            continue
        out.append(
            f"{b} flies the {a}'s plane (RAAN offset 0 deg): where they coincide, the {a} is the wider mark underneath"
        )
    return out


def add_notes(fig: Figure, notes: Sequence[str], *, right: float = 1.0, fontsize: float = 8.0) -> None:
    """Lay ``fig`` out (tight, data within ``right`` of the width) with ``notes`` as lines of text under it."""
    notes = [n for n in notes if n]
    height = fig.get_figheight()
    bottom = (0.08 + 0.16 * len(notes)) / height if notes else 0.0
    fig.tight_layout(rect=(0.0, bottom, right, 1.0))
    if notes:
        fig.text(0.01, 0.02 / height, "\n".join(notes), ha="left", va="bottom", fontsize=fontsize, color="0.2")


def outside_legend(ax: Any, **kwargs: Any) -> Legend:
    """A legend to the right of ``ax``, outside its data area."""
    kw = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "borderaxespad": 0.0, "fontsize": 8}
    kw.update(kwargs)
    return ax.legend(**kw)


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
    gridlines: bool = True,
) -> tuple[Figure, GeoAxes]:
    """``(fig, ax)``: a cartopy GeoAxes with coastlines and borders from the shipped shapes, on ``fig``.

    ``fig`` None: a new 11 x 5.8 in figure. ``projection`` None: ``PlateCarree``. ``extent``:
    ``[lon_min, lon_max, lat_min, lat_max]`` deg (None: the whole globe). ``gridlines``:
    labelled graticule (False: none, the caller draws its own).
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
    if gridlines:
        gl = ax.gridlines(draw_labels=True, linewidth=0.3, color="#aaaaaa", alpha=0.6)
        gl.top_labels = gl.right_labels = False
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
    styles: Mapping[str, Mapping[str, Any]] | None = None,
    same_orbit: Sequence[tuple[str, str]] = (),
) -> Figure:
    """Ground tracks of several orbits on a world map. ``lat_deg``/``lon_deg``: (n_orbits, n_times).

    ``styles``: station name -> matplotlib kwargs (default :func:`station_styles`, with
    ``colours`` if given); ``same_orbit``: pairs of stations flying one plane, said under the map.
    """
    import cartopy.crs as ccrs

    names = [str(n) for n in names]
    st = resolve_styles(names, styles) if styles else station_styles(names, colours)
    fig, ax = map_axes()
    for k, name in enumerate(names):
        for j, (lo, la) in enumerate(split_at_dateline(lon_deg[k], lat_deg[k])):
            ax.plot(
                lo,
                la,
                transform=ccrs.PlateCarree(),
                label=name if j == 0 else None,
                **line_kwargs(st[name]),
            )
    outside_legend(ax, title="station")
    if title:
        ax.set_title(title)
    add_notes(fig, same_orbit_notes(same_orbit, names))
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
    styles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Figure:
    """Grouped bars: one group per entry of ``groups``, one bar per station in each group.

    ``values``: (n_stations, n_groups), in the unit ``ylabel`` names (e.g. "area seen (%)",
    "passes per day (1/day)"); a NaN draws as an empty bar (0) marked "n/a", a zero as a thin
    mark labelled "0" (with "%" when the label is in percent), so neither looks like missing
    data. ``names``: the stations, in the order of ``values``' rows; ``styles``: station name
    -> kwargs (default :func:`station_styles` with ``colours``, one '#rrggbb' per station):
    colour and a hatch per line style, so stations stay apart even in grey. The legend is
    above the axes, outside the bars. Nothing is computed here: the values are drawn as given.
    """
    plt = pyplot()
    groups = [str(g) for g in groups]
    names = [str(n) for n in names]
    st = resolve_styles(names, styles) if styles else station_styles(names, colours)
    values = np.asarray(values, dtype=float).reshape(len(names), len(groups))
    fig, ax = plt.subplots(figsize=(min(max(6.0, 1.6 * len(groups) + 3), 12.0), 4.8))
    n = len(names)
    width = 0.8 / max(n, 1)
    x = np.arange(len(groups))
    top = np.nanmax(values) if np.isfinite(values).any() else 1.0
    top = top if top > 0 else 1.0
    zero = "0 %" if "%" in ylabel else "0"
    for k, name in enumerate(names):
        xk = x + (k - (n - 1) / 2) * width
        ax.bar(xk, np.nan_to_num(values[k], nan=0.0), width, label=name, **bar_kwargs(st[name]))
        for xi, v in zip(xk, values[k]):
            if not np.isfinite(v) or v == 0.0:
                ax.plot(
                    [xi - 0.45 * width, xi + 0.45 * width],
                    [0.0, 0.0],
                    color=st[name]["color"],
                    lw=3,
                    solid_capstyle="butt",
                )
                ax.text(
                    xi, 0.01 * top, zero if np.isfinite(v) else "n/a", ha="center", va="bottom", fontsize=7, rotation=90
                )
    if len(groups) > 5:
        ax.set_xticks(x, groups, rotation=35, ha="right", fontsize=8)
    else:
        ax.set_xticks(x, groups)
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, top * 1.05)
    if title:
        ax.set_title(title, pad=24)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(
        fontsize=8, ncols=min(n, 6), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, borderaxespad=0.2
    )
    fig.tight_layout()
    return fig
