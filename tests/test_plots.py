"""Figures of sim.plots that sim run draws (grouped bars, launch calendar, decay): results in,
a Figure out, with labelled axes and exactly the data given (nothing recomputed)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

import sim.plots
import sim.presets
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


# ------------------------------------------------------------------ the figure check (issue 15)

_UNIT = re.compile(r"\(.+\)|\[.+\]")


@pytest.fixture(scope="module")
def flagship_figures():
    """Every figure of a short flagship run: {key: Figure}, and the station names."""
    from sim.runner import run_scenario
    from sim.scenario import load_scenario

    sc = load_scenario(
        Path(__file__).resolve().parents[1] / "scenarios" / "iss_vs_ros.toml",
        overrides={
            "time.days": 1,
            "coverage.within_days": [1],
            "coverage.cell_km": 200,
            "ground_stations.days": 1,
            "launch.days": 2,
            "environment.days": 1,
            "lifetime.decay_days": 5,
            "lifetime.years": 0.05,
            "lifetime.solar_activity": ["moderate", "high"],
        },
    )
    res = run_scenario(sc, progress=False)
    figs = {k: f for a in res.analyses for k, f in a.figures.items()}
    yield figs, [s.name for s in sc.stations]
    sim.plots.pyplot().close("all")


def _legend_entries(fig):
    """[(label, (colour, linestyle, marker, hatch))] of every legend of ``fig`` (axes and figure legends)."""
    from matplotlib.colors import to_hex
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + list(fig.legends)
    out = []
    for leg in legends:
        for handle, text in zip(leg.legend_handles, leg.get_texts()):
            if isinstance(handle, Line2D):
                style = (to_hex(handle.get_color()), handle.get_linestyle(), handle.get_marker(), None)
            elif isinstance(handle, Patch):
                style = (to_hex(handle.get_facecolor()), None, None, handle.get_hatch())
            else:
                style = (None, None, None, None)
            out.append((text.get_text(), style))
    return legends, out


def test_every_figure_shows_every_station_with_its_own_style(flagship_figures):
    """Each per-station figure names each of its stations once in a legend (or a panel title), the
    stations' legend styles (colour, line style, marker, hatch) are pairwise distinct, and the
    ISS/ROS 51.6 pair (one plane) is said on the figures where they overlap."""
    figs, names = flagship_figures
    expected = {
        "ground_tracks",
        "area_seen",
        "passes_per_day",
        "calendar",
        "beta_angle",
        "eclipse_minutes",
        "saa_map",
        "decay",
    }
    assert expected <= set(figs), sorted(figs)
    for key, fig in figs.items():
        if key.startswith("revisit") or key.endswith("_map") and key != "saa_map":
            titles = " ".join(ax.get_title() for ax in fig.axes)
            assert all(n in titles for n in names), (key, titles)  # one panel per station
            continue
        _, entries = _legend_entries(fig)
        drawn = (
            names
            if not key.startswith("reboost_")
            else [n for n in names if n in " ".join(a.get_title() for a in fig.axes)]
        )
        styles = {}
        for n in drawn:
            mine = [s for label, s in entries if label == n or label.startswith(f"{n} (") or label.startswith(f"{n}:")]
            assert len(mine) == 1, (key, n, [label for label, _ in entries])
            styles[n] = mine[0]
        assert len(set(styles.values())) == len(styles), (key, styles)  # no two stations look alike
    # the ISS and ROS 51.6 fly one plane (sim.presets.ros_51): the figures where they overlap say so
    for key in ("ground_tracks", "calendar", "beta_angle", "eclipse_minutes"):
        assert "ROS 51.6 flies the ISS's plane" in " ".join(t.get_text() for t in figs[key].texts), key


def test_every_figure_has_units_and_legends_outside_the_data(flagship_figures):
    """Axes (not maps) carry labels with a unit in parentheses or brackets; a legend never overlaps
    an axes' data area; time axes with dates show the year."""
    from cartopy.mpl.geoaxes import GeoAxes

    figs, _ = flagship_figures
    for key, fig in figs.items():
        if not hasattr(fig.canvas, "get_renderer"):  # a figure the runner closed: attach an Agg canvas
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            FigureCanvasAgg(fig)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legends, _ = _legend_entries(fig)
        for ax in fig.axes:
            if isinstance(ax, GeoAxes) or not ax.get_visible():
                continue
            is_colorbar = ax.get_label() == "<colorbar>"
            ylabel, xlabel = ax.get_ylabel(), ax.get_xlabel()
            if is_colorbar:
                assert _UNIT.search(ylabel or xlabel), (key, ylabel, xlabel)
                continue
            shared_y = ax.get_subplotspec() is not None and ax.get_subplotspec().colspan.start > 0 and not ylabel
            assert shared_y or _UNIT.search(ylabel), (key, ylabel)
            if xlabel and not ax.containers:  # bars have categories on x
                assert _UNIT.search(xlabel), (key, xlabel)
            if xlabel.startswith("date"):
                ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
                assert ticks and all(re.search(r"\b20\d\d\b", t) for t in ticks), (key, ticks)
        for leg in legends:
            box = leg.get_window_extent(renderer)
            for ax in fig.axes:
                if ax.get_label() == "<colorbar>":
                    continue
                assert not box.overlaps(ax.get_window_extent(renderer)), (key, ax.get_title())


def test_zero_values_and_no_eclipse_are_drawn():
    """A 0 % bar is a visible mark labelled "0 %"; a station with no eclipse is drawn and said."""
    fig = sim.plots.grouped_bar_figure(
        ["Russia", "Arctic"], [[69.0, 0.0], [100.0, 100.0]], ["ISS", "ROS 96.8"], ylabel="area seen (%)"
    )
    (ax,) = fig.axes
    assert "0 %" in [t.get_text() for t in ax.texts]
    marks = [ln for ln in ax.get_lines() if np.allclose(ln.get_ydata(), 0.0)]
    assert len(marks) == 1 and marks[0].get_linewidth() >= 2  # visible on the axis


def test_station_styles_are_distinct_and_stack_earlier_underneath():
    names = [f"S{k}" for k in range(12)]
    st = sim.plots.station_styles(names, ["#000000"] * 12)  # even with one colour for all
    keys = {(s["color"], s["linestyle"], s["marker"]) for s in st.values()}
    assert len(keys) == 12
    z = [st[n]["zorder"] for n in names]
    w = [st[n]["linewidth"] for n in names]
    assert z == sorted(z) and w == sorted(w, reverse=True)  # later on top, narrower
    assert sim.plots.station_styles(["ISS"])["ISS"]["color"] == sim.plots.STATION_COLOURS["ISS"]
    with pytest.raises(SimError, match="colours must hold one colour per station"):
        sim.plots.station_styles(["ISS", "ROS 96.8"], ["#000000"])
    pairs = sim.plots.same_orbit_pairs(sim.presets.get(["iss_nominal", "ros_polar", "ros_51"]))
    assert pairs == [("ISS", "ROS 51.6")]  # 0.04 deg apart (51.64 vs 51.6, same node)


def test_same_plane_is_said_on_the_figure():
    """ISS and ROS 51.6 share a plane (the preset's stated assumption): same_orbit= says so under the
    figure, and the ISS is drawn wider underneath the ROS 51.6 line."""
    orb = sim.presets.get(["iss_nominal", "ros_51"])
    pairs = sim.plots.same_orbit_pairs(orb)
    lat = np.array([[0.0, 20.0, 40.0], [0.0, 20.0, 40.0]])
    lon = np.array([[0.0, 30.0, 60.0], [0.0, 30.0, 60.0]])
    fig = sim.plots.ground_track_figure(lat, lon, orb.names, same_orbit=pairs)
    assert any("ROS 51.6 flies the ISS's plane (RAAN offset 0 deg)" in t.get_text() for t in fig.texts)
    iss, ros = fig.axes[0].get_lines()[:2]
    assert iss.get_linewidth() > ros.get_linewidth() and iss.get_zorder() < ros.get_zorder()
    assert "same plane as the ISS" in sim.presets.describe("ros_51")
