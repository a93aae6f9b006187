"""Launch-window calendar: time of day of each window across the days, per site and station.

One figure serves the library and the runner (``sim run``'s "calendar"): results of
:func:`sim.launch.windows` in, a matplotlib ``Figure`` out; nothing is computed here
beyond reading each window's UTC date and time of day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .base import colour_for, pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..launch import WindowTable

    Tables = WindowTable | Sequence[WindowTable] | Mapping[str, WindowTable | Sequence[WindowTable]]

__all__ = ["window_calendar_figure"]

_MARKERS = {"ascending": "^", "descending": "v", "closest": "o"}
_MARKER_TEXT = {
    "ascending": "ascending (northbound)",
    "descending": "descending (southbound)",
    "closest": "closest approach\n(plane not reached)",
}
_TIMES = ("liftoff", "in_plane")


def _panels(tables: Tables, labels: Sequence[str] | None) -> list[tuple[str | None, list]]:
    """``[(panel title or None, [WindowTable, ...]), ...]`` from the accepted input shapes."""
    if isinstance(tables, Mapping):
        return [(str(k), list(v) if isinstance(v, Sequence) else [v]) for k, v in tables.items()]
    if not isinstance(tables, Sequence):
        tables = [tables]
    return [(labels[k] if labels else None, [t]) for k, t in enumerate(tables)]


def window_calendar_figure(
    tables: Tables,
    *,
    labels: Sequence[str] | None = None,
    title: str | None = None,
    time: str = "liftoff",
    colours: Mapping[str, str] | None = None,
    usable_only: bool = False,
) -> Figure:
    """Calendar of launch windows: UTC date on x, UTC time of day (h) on y, one panel per row.

    ``tables``: a :class:`sim.launch.WindowTable`, a sequence of them (one panel each, titled
    by ``labels``, default "station from site"), or a mapping ``{panel title: WindowTable or
    sequence of WindowTables}`` to draw several stations in one panel (e.g. every station
    from one site, as ``sim run`` does), told apart by colour.
    ``time``: "liftoff" (default: the in-plane instant minus the liftoff lead) or "in_plane".
    ``colours``: station name -> '#rrggbb' (default :func:`sim.plots.colour_for`).
    ``usable_only``: draw only the windows the site allows and that need no plane change.

    Markers: up triangle ascending (northbound), down triangle descending, circle closest
    approach (plane never reached); filled = allowed by the site and in-plane, hollow =
    forbidden azimuth or needing a plane change (its delta-v is in the table).
    """
    from matplotlib.dates import DateFormatter
    from matplotlib.lines import Line2D

    from ..errors import SimError
    from ..timeutil import offline_iers

    if time not in _TIMES:
        raise SimError(f"time must be one of {', '.join(_TIMES)}, got {time!r}")
    panels = _panels(tables, labels)
    if not panels:
        raise SimError("tables must hold at least one WindowTable")
    plt = pyplot()
    n = len(panels)
    fig, axes = plt.subplots(n, 1, figsize=(11, 2.3 + 1.9 * n), sharex=True, squeeze=False)
    order: dict[str, int] = {}  # station -> index of first appearance (default colours, legend order)
    directions: set[str] = set()
    hollow = False
    for ax, (label, tabs) in zip(axes[:, 0], panels):
        drawn = False
        for j, tab in enumerate(tabs):
            name = tab.target_name
            order.setdefault(name, len(order))
            usable = tab.azimuth_allowed & tab.in_plane
            keep = usable if usable_only else np.ones(len(tab), bool)
            if not keep.any():
                continue
            with offline_iers():
                dts = np.atleast_1d((tab.liftoff_utc if time == "liftoff" else tab.in_plane_utc).utc.to_datetime())
            dates = np.array([d.date() for d in dts], dtype=object)
            hours = np.array([d.hour + d.minute / 60 + d.second / 3600 for d in dts])
            size = 16 + 12 * (len(tabs) - 1 - j)  # earlier stations larger: coinciding planes stay visible
            for direction, marker in _MARKERS.items():
                for ok in (True, False):
                    m = keep & (tab.direction == direction) & (usable == ok)
                    if m.any():
                        ax.scatter(
                            dates[m],
                            hours[m],
                            marker=marker,
                            s=size,
                            linewidths=0.9,
                            facecolors=_colour(name, order, colours) if ok else "none",
                            edgecolors=_colour(name, order, colours),
                        )
                        directions.add(direction)
                        hollow |= not ok
                        drawn = True
        if not drawn:
            ax.text(
                0.5,
                0.5,
                "no usable windows" if usable_only else "no windows",
                transform=ax.transAxes,
                ha="center",
                va="center",
            )
        if label is None:
            tab = tabs[0]
            label = f"{tab.target_name} from {tab.site.name.split(' (')[0]}"
        ax.set_ylim(0, 24)
        ax.set_yticks(range(0, 25, 6))
        ax.set_ylabel(f"{time.replace('_', '-')} UTC (h)")
        ax.set_title(label, fontsize=9, loc="left")
        ax.grid(alpha=0.3)
    handles = []
    if len(order) > 1:
        handles += [
            Line2D([], [], ls="none", marker="s", ms=7, color=_colour(s, order, colours), label=s) for s in order
        ]
    handles += [
        Line2D([], [], ls="none", marker=_MARKERS[d], ms=6, color="0.25", label=_MARKER_TEXT[d])
        for d in _MARKERS
        if d in directions
    ]
    if hollow:
        handles.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                ms=6,
                markerfacecolor="none",
                color="0.25",
                label="hollow: azimuth forbidden\nor plane change needed",
            )
        )
    axes[-1, 0].set_xlabel("date (UTC)")
    axes[-1, 0].xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    if title:
        fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 0.8, 1) if handles else None)
    if handles:
        fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.8, 0.5), fontsize=8, frameon=False)
    return fig


def _colour(name: str, order: dict[str, int], colours: Mapping[str, str] | None) -> str:
    return colours[name] if colours and name in colours else colour_for(name, order[name])
