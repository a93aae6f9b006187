"""Figures: results in, matplotlib ``Figure`` out; no computation of their own.

One module per analysis (``base`` holds the shared helpers: map axes, one style per station,
grouped bars); everything public is re-exported here so users write
``sim.plots.ground_track_figure(...)``. ``sim run`` draws its figures with these same
functions.
"""

from __future__ import annotations

from .base import (
    STATION_COLOURS,
    add_notes,
    bar_kwargs,
    colour_for,
    ground_track_figure,
    grouped_bar_figure,
    line_kwargs,
    map_axes,
    outside_legend,
    pyplot,
    resolve_styles,
    same_orbit_notes,
    same_orbit_pairs,
    split_at_dateline,
    station_styles,
    use_offline_cartopy,
)
from .coorbital import geometry_figure, porkchop_figure
from .coverage import arctic_map_figure, coverage_map_figure, passes_per_day_figure
from .environment import beta_angle_figure, eclipse_minutes_figure, saa_map_figure
from .launch import window_calendar_figure
from .lifetime import decay_figure, lifetime_figure
from .sweep import launch_access_figure, reboost_figure, trade_map_figure

__all__ = [
    "STATION_COLOURS",
    "add_notes",
    "bar_kwargs",
    "line_kwargs",
    "outside_legend",
    "resolve_styles",
    "same_orbit_notes",
    "same_orbit_pairs",
    "station_styles",
    "arctic_map_figure",
    "beta_angle_figure",
    "colour_for",
    "coverage_map_figure",
    "decay_figure",
    "eclipse_minutes_figure",
    "geometry_figure",
    "porkchop_figure",
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
