"""Figures: results in, matplotlib ``Figure`` out; no computation of their own.

One module per analysis (``base`` holds the shared map helpers); everything public is
re-exported here so users write ``sim.plots.ground_track_figure(...)``.
"""

from __future__ import annotations

from .base import STATION_COLOURS, colour_for, ground_track_figure, map_axes, split_at_dateline, use_offline_cartopy

__all__ = ["STATION_COLOURS", "colour_for", "ground_track_figure", "map_axes", "split_at_dateline",
           "use_offline_cartopy"]
from .environment import beta_angle_figure, eclipse_minutes_figure, saa_map_figure  # noqa: E402
__all__ += ["beta_angle_figure", "eclipse_minutes_figure", "saa_map_figure"]
from .launch import window_calendar_figure  # noqa: E402
__all__ += ["window_calendar_figure"]
from .coverage import arctic_map_figure, coverage_map_figure, passes_per_day_figure  # noqa: E402
__all__ += ["arctic_map_figure", "coverage_map_figure", "passes_per_day_figure"]
from .lifetime import lifetime_figure  # noqa: E402
__all__ += ["lifetime_figure"]
from .sweep import launch_access_figure, reboost_figure, trade_map_figure  # noqa: E402
__all__ += ["launch_access_figure", "reboost_figure", "trade_map_figure"]
