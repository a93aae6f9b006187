"""Launch-window calendar: time of day of each window across the days, per site and station.

One figure serves the library and the runner (``sim run``'s "calendar"): results of
:func:`sim.launch.windows` in, a matplotlib ``Figure`` out; nothing is computed here
beyond reading each window's UTC date and time of day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .base import pyplot, resolve_styles, same_orbit_notes

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
    styles: Mapping[str, Mapping[str, Any]] | None = None,
    same_orbit: Sequence[tuple[str, str]] = (),
) -> Figure:
    """Calendar of launch windows: UTC date on x, UTC time of day (h) on y, one panel per row.

    ``tables``: a :class:`sim.launch.WindowTable`, a sequence of them (one panel each, titled
    by ``labels``, default "station from site"), or a mapping ``{panel title: WindowTable or
    sequence of WindowTables}`` to draw several stations in one panel (e.g. every station
    from one site, as ``sim run`` does), told apart by colour.
    ``time``: "liftoff" (default: the in-plane instant minus the liftoff lead) or "in_plane".
    ``styles``: station name -> kwargs (default :func:`sim.plots.station_styles`; its colour
    and line style tell the stations apart, markers tell the direction); ``colours``: station
    name -> '#rrggbb' over the styles' colours.
    ``usable_only``: draw only the windows the site allows and that need no plane change.
    ``same_orbit``: pairs of stations flying one plane (their markers coincide; the earlier is
    drawn larger), said under the panels. A station with no in-plane window from a site gets a
    note with the reason from its table: the site's latitude above the plane's inclination, and
    the smallest plane change of its closest approaches.

    Markers: up triangle ascending (northbound), down triangle descending, circle closest
    approach (plane never reached); filled = ``window == "in-plane"`` (allowed by the site and
    in the plane), hollow = ``"dog-leg"`` (a forbidden azimuth or inclination, or the closest
    approach: the plane change and its delta-v are in the table).
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
    order: dict[str, int] = {}  # station -> index of first appearance (default styles, legend order)
    for _, tabs in panels:
        for tab in tabs:
            order.setdefault(tab.target_name, len(order))
    st = resolve_styles(list(order), styles)
    for name, c in (colours or {}).items():
        if name in st:
            st[name]["color"] = c
    notes = same_orbit_notes(same_orbit, list(order))
    for _, tabs in panels:
        for tab in tabs:
            if len(tab) and not tab.in_plane.any():
                site = tab.site.name.split(" (")[0].split(" Site")[0]
                lat, inc = tab.site.latitude_deg, tab.inclination_deg
                above = abs(lat) > min(inc, 180.0 - inc)
                why = f"site latitude above the {inc:.1f} deg plane" if above else "plane not reached"
                notes.append(
                    f"{tab.target_name} from {site} ({abs(lat):.1f} {'N' if lat >= 0 else 'S'}): no in-plane window, "
                    f"{why}; dog-leg from the closest approach (circles): "
                    f"{np.nanmin(tab.plane_change_deg):.1f} deg plane change"
                )
    fig, axes = plt.subplots(n, 1, figsize=(11, 2.3 + 1.9 * n + 0.17 * len(notes)), sharex=True, squeeze=False)
    directions: set[str] = set()
    hollow = False
    for ax, (label, tabs) in zip(axes[:, 0], panels):
        drawn = False
        for j, tab in enumerate(tabs):
            name = tab.target_name
            usable = tab.window == "in-plane"  # flies straight into the plane; else a dog-leg
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
                            facecolors=st[name]["color"] if ok else "none",
                            edgecolors=st[name]["color"],
                            zorder=st[name].get("zorder", 2.0),
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
            Line2D([], [], ls=st[s].get("linestyle", "-"), lw=1.5, marker="s", ms=7, color=st[s]["color"], label=s)
            for s in order
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
                label="hollow: dog-leg\n(plane change needed)",
            )
        )
    axes[-1, 0].set_xlabel("date (UTC)")
    axes[-1, 0].xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    if title:
        fig.suptitle(title)
    bottom = (0.1 + 0.17 * len(notes)) / fig.get_figheight() if notes else 0.0
    fig.tight_layout(rect=(0, bottom, 0.8 if handles else 1.0, 1))
    if notes:
        fig.text(0.01, 0.01, "\n".join(notes), fontsize=8, color="0.2", ha="left", va="bottom")
    if handles:
        fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.8, 0.5), fontsize=8, frameon=False)
    return fig
