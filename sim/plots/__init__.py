"""Figures: results in, matplotlib ``Figure`` out; no computation of their own.

One module per analysis (``base`` holds the shared helpers: map axes, station colours,
grouped bars); everything public is re-exported here so users write
``sim.plots.ground_track_figure(...)``. ``sim run`` draws its figures with these same
functions.
"""

from __future__ import annotations

from .base import (
    STATION_COLOURS,
    colour_for,
    ground_track_figure,
    grouped_bar_figure,
    map_axes,
    pyplot,
    split_at_dateline,
    use_offline_cartopy,
)
from .coverage import arctic_map_figure, coverage_map_figure, passes_per_day_figure
from .environment import beta_angle_figure, eclipse_minutes_figure, saa_map_figure
from .launch import window_calendar_figure
from .lifetime import decay_figure, lifetime_figure
from .sweep import launch_access_figure, reboost_figure, trade_map_figure

__all__ = [
    "STATION_COLOURS",
    "arctic_map_figure",
    "beta_angle_figure",
    "colour_for",
    "coverage_map_figure",
    "decay_figure",
    "eclipse_minutes_figure",
    "ground_track_figure",
    "grouped_bar_figure",
    "launch_access_figure",
    "lifetime_figure",
    "map_axes",
    "passes_per_day_figure",
    "pyplot",
    "reboost_figure",
    "saa_map_figure",
    "split_at_dateline",
    "trade_map_figure",
    "use_offline_cartopy",
    "window_calendar_figure",
]
