"""Figures of sim.plots that sim run draws (grouped bars, launch calendar, decay): results in,
a Figure out, with labelled axes and exactly the data given (nothing recomputed)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import sim.plots
from sim import launch
from sim.atmosphere import LEVELS
from sim.errors import SimError
from sim.lifetime import DecayResult


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    sim.plots.pyplot().close("all")


def test_grouped_bar_figure_draws_the_values_given():
    values = np.array([[12.5, 80.0, np.nan], [30.0, 99.5, 4.0]])  # (stations, groups), % of area
    fig = sim.plots.grouped_bar_figure(
        ["Russia", "Arctic", "NSR"],
        values,
        ["ISS", "ROS 96.8"],
        ylabel="% of area seen",
        xlabel="region",
        colours=["#1f77b4", "#d62728"],
    )
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_ylabel() == "% of area seen" and ax.get_xlabel() == "region"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Russia", "Arctic", "NSR"]
    assert len(ax.containers) == 2  # one bar series per station
    heights = np.array([[b.get_height() for b in c] for c in ax.containers])
    np.testing.assert_array_equal(heights, np.nan_to_num(values))  # exact: drawn as given, NaN as 0
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ISS", "ROS 96.8"]


def test_window_calendar_one_panel_per_site_with_every_station():
    """The form sim run uses: {panel title: [tables]}, several stations in one panel."""
    tabs = {
        site: [launch.windows(p, site, "2027-01-01", days=5) for p in ("iss_nominal", "ros_polar")]
        for site in ("baikonur_31", "plesetsk_43")
    }
    fig = sim.plots.window_calendar_figure(tabs, colours={"ISS": "#000000"}, title="t")
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    for ax, (site, ts) in zip(fig.axes, tabs.items()):
        assert ax.get_title(loc="left") == site
        assert ax.get_ylabel() == "liftoff UTC (h)"
        pts = np.concatenate([c.get_offsets() for c in ax.collections])
        assert len(pts) == sum(len(t) for t in ts)  # one marker per window
        assert pts[:, 1].min() >= 0 and pts[:, 1].max() < 24
    assert fig.axes[-1].get_xlabel() == "date (UTC)"
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[:2] == ["ISS", "ROS 96.8"]  # stations told apart by colour, one legend for the figure
    # the colour given for ISS is used for its markers (edge colour black)
    edge = {tuple(c.get_edgecolors()[0]) for c in fig.axes[0].collections}
    assert (0.0, 0.0, 0.0, 1.0) in edge


def test_window_calendar_usable_only_and_bad_time():
    tab = launch.windows("iss_nominal", "plesetsk_43", "2027-01-01", days=3)  # 62.9 N: never in the 51.6 plane
    assert len(tab) > 0 and not tab.in_plane.any()
    fig = sim.plots.window_calendar_figure(tab)
    assert sum(len(c.get_offsets()) for c in fig.axes[0].collections) == len(tab)
    fig = sim.plots.window_calendar_figure(tab, usable_only=True)
    assert not fig.axes[0].collections  # nothing usable, nothing drawn
    assert "no usable windows" in [t.get_text() for t in fig.axes[0].texts]
    with pytest.raises(SimError, match="time must be one of liftoff, in_plane"):
        sim.plots.window_calendar_figure(tab, time="launch")


def test_decay_figure_one_panel_per_level_one_line_per_station():
    t = np.linspace(0.0, 30.0, 31)
    results = [
        DecayResult(
            ("ISS", "ROS 96.8"),
            [None, None],
            LEVELS[lvl],
            30.0,
            [t, t],
            [415.0 - r * t, 400.0 - 2 * r * t],
            np.array([np.nan, np.nan]),
        )
        for lvl, r in (("low", 0.02), ("high", 0.2))
    ]
    fig = sim.plots.decay_figure(results, colours=["#1f77b4", "#d62728"])
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert fig.axes[0].get_ylabel().startswith("orbit-mean altitude") and "km" in fig.axes[0].get_ylabel()
    for ax, d in zip(fig.axes, results):
        assert ax.get_xlabel() == "days since epoch (d)"
        assert f"F10.7 {d.activity.f107:g}" in ax.get_title()
        lines = ax.get_lines()
        assert len(lines) == 2
        for line, h in zip(lines, d.mean_alt_km):
            np.testing.assert_array_equal(line.get_ydata(), h)  # exact: drawn as given
    assert fig._suptitle.get_text() == "Decay without reboost over 30 days"
