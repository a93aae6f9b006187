"""Launch-window calendar: time of day of each window across the days, per site and station."""

from __future__ import annotations

import numpy as np

from .base import _pyplot, colour_for

__all__ = ["window_calendar_figure"]

_MARKERS = {"ascending": "^", "descending": "v", "closest": "o"}


def window_calendar_figure(tables, *, labels=None, title: str | None = None, time: str = "liftoff"):
    """Calendar of launch windows: UTC day on x, UTC time of day on y, one panel per table.

    ``tables``: a :class:`sim.launch.WindowTable` or a sequence of them (e.g. one per
    site/station pair); ``labels``: panel titles (default "station from site").
    ``time``: "liftoff" (default) or "in_plane". Markers: up triangle ascending
    (northbound), down triangle descending, circle closest approach (plane never reached);
    filled = allowed by the site and in-plane, hollow = forbidden or needing a plane change
    (its delta-v is in the table).
    """
    from matplotlib.dates import DateFormatter

    from ..timeutil import offline_iers

    plt = _pyplot()
    if not isinstance(tables, (list, tuple)):
        tables = [tables]
    n = len(tables)
    fig, axes = plt.subplots(n, 1, figsize=(11, 2.3 + 1.9 * n), sharex=True, squeeze=False)
    for k, (ax, tab) in enumerate(zip(axes[:, 0], tables)):
        label = labels[k] if labels else f"{tab.target_name} from {tab.site.name.split(' (')[0]}"
        colour = colour_for(tab.target_name, k)
        times = tab.liftoff_utc if time == "liftoff" else tab.in_plane_utc
        if len(tab):
            with offline_iers():
                dts = np.atleast_1d(times.utc.to_datetime())
            days = np.array([np.datetime64(d.date()) for d in dts]).astype("datetime64[D]").astype(object)
            hours = np.array([d.hour + d.minute / 60 + d.second / 3600 for d in dts])
            free = tab.azimuth_allowed & tab.in_plane
            for direction, marker in _MARKERS.items():
                for ok in (True, False):
                    m = (tab.direction == direction) & (free == ok)
                    if not m.any():
                        continue
                    ax.scatter(days[m], hours[m], marker=marker, s=14, linewidths=0.8,
                               facecolors=colour if ok else "none", edgecolors=colour,
                               label=f"{direction}{'' if ok else ' (forbidden / plane change)'}")
            ax.legend(loc="upper right", fontsize=7, framealpha=0.85, ncol=2)
        else:
            ax.text(0.5, 0.5, "no windows", transform=ax.transAxes, ha="center")
        ax.set_ylim(0, 24)
        ax.set_yticks(range(0, 25, 6))
        ax.set_ylabel(f"{time.replace('_', '-')} UTC, h")
        ax.set_title(label, fontsize=9, loc="left")
        ax.grid(alpha=0.3)
    axes[-1, 0].xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
