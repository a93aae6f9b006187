"""Figures for light, shadow and radiation (results of :mod:`sim.environment` in, Figures out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .base import add_notes, line_kwargs, map_axes, outside_legend, pyplot, resolve_styles, same_orbit_notes

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from numpy.typing import ArrayLike

    from ..environment import Eclipses

__all__ = ["beta_angle_figure", "eclipse_minutes_figure", "saa_map_figure"]


def beta_angle_figure(
    days: ArrayLike,
    beta_deg: ArrayLike,
    names: Sequence[str],
    *,
    beta_limits_deg: ArrayLike | None = None,
    title: str | None = None,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
    same_orbit: Sequence[tuple[str, str]] = (),
) -> Figure:
    """Beta angle (deg) against days since the start, one line per station.

    ``days`` (n_times,), ``beta_deg`` (n_orbits, n_times) from :func:`sim.environment.beta_angle`;
    ``beta_limits_deg`` (n_orbits,) optional: the |beta| above which an orbit has no eclipse
    (beta*), drawn as dotted lines at +-beta* and labelled with the stations they belong to
    (stations within 0.5 deg of each other share a line). ``styles``: station name -> kwargs
    (default :func:`sim.plots.station_styles`); ``same_orbit``: pairs of stations flying one
    plane, said under the axes.
    """
    plt = pyplot()
    names = [str(n) for n in names]
    st = resolve_styles(names, styles)
    fig, ax = plt.subplots(figsize=(11, 4.8))
    for i, name in enumerate(names):
        ax.plot(days, beta_deg[i], label=name, **line_kwargs(st[name]))
    if beta_limits_deg is not None:
        limits = np.atleast_1d(np.asarray(beta_limits_deg, float))
        groups: list[tuple[float, list[str]]] = []
        for lim, name in zip(limits, names):
            for g in groups:
                if abs(g[0] - lim) < 0.5:
                    g[1].append(name)
                    break
            else:
                groups.append((float(lim), [name]))
        for g, (lim, who) in enumerate(groups):
            for sgn in (1, -1):
                ax.axhline(sgn * lim, color="0.3", lw=0.8, ls=":", zorder=1)
            label = f"|beta| > {lim:.1f} deg: no eclipse ({', '.join(who)})"
            for sgn, va in ((1, "top"), (-1, "bottom")):
                y = sgn * (lim - 1.5 - 5.0 * g)
                ax.text(
                    0.995, y, label, transform=ax.get_yaxis_transform(), fontsize=7, color="0.25", ha="right", va=va
                )
    ax.set_xlabel("days since start (d)")
    ax.set_ylabel("beta angle (deg)")
    ax.set_ylim(-90, 90)
    ax.grid(alpha=0.3)
    outside_legend(ax, title="station")
    ax.set_title(title or "Solar beta angle")
    add_notes(fig, same_orbit_notes(same_orbit, names))
    return fig


def eclipse_minutes_figure(
    ecl: Eclipses,
    *,
    title: str | None = None,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
    same_orbit: Sequence[tuple[str, str]] = (),
) -> Figure:
    """Eclipse duration (minutes, whole shadow) of every revolution against days since the start.

    ``ecl``: an :class:`sim.environment.Eclipses` table. A station with no eclipse in the
    span is drawn as a mark at zero along the whole span and says "no eclipse in the span"
    (legend and a note), so it is not mistaken for a missing line. ``styles``/``same_orbit``
    as in :func:`beta_angle_figure`.
    """
    plt = pyplot()
    names = [str(n) for n in ecl.names]
    st = resolve_styles(names, styles)
    fig, ax = plt.subplots(figsize=(11, 4.5))
    span_d = float(ecl.stop_s) / 86400.0
    notes = []
    for i, name in enumerate(names):
        m = ecl.orbit_index == i
        kw = line_kwargs(st[name], markevery=False)
        kw.update(linestyle="none", markersize=0.6 * kw.get("markersize", 5.0), markerfacecolor="none")
        if m.any():
            label = f"{name} ({int(m.sum())} eclipses)" if m.sum() != 1 else f"{name} (1 eclipse)"
            ax.plot(ecl.entry_s[m] / 86400.0, ecl.duration_s[m] / 60.0, label=label, **kw)
        else:
            x = np.linspace(0.0, span_d, 15)
            kw.update(markerfacecolor=kw.get("color"), clip_on=False)
            ax.plot(x, np.zeros_like(x), label=f"{name}: no eclipse in the span", **kw)
            notes.append(f"{name}: no eclipse in the span (continuous sunlight, |beta| above its no-eclipse limit)")
    ax.set_xlabel("days since start (d)")
    ax.set_ylabel("eclipse per orbit (min)")
    ax.set_xlim(0.0, max(span_d, 1e-3))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    outside_legend(ax, title="station")
    ax.set_title(title or f"Eclipse minutes per orbit ({ecl.model} shadow)")
    add_notes(fig, same_orbit_notes(same_orbit, names) + notes)
    return fig


def saa_map_figure(
    rad: Mapping[str, Any],
    *,
    altitude_km: float = 400.0,
    title: str | None = None,
    max_track_points: int = 3000,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
    same_orbit: Sequence[tuple[str, str]] = (),
) -> Figure:
    """Map of |B| (nT) at ``altitude_km`` (IGRF) with the SAA contour and each station's points inside it.

    ``rad``: the dict from ``radiation_exposure(..., return_tracks=True)``. Only the track
    points inside the SAA are drawn (the first ``max_track_points`` of each track), one
    marker per station (``styles``, default :func:`sim.plots.station_styles`); the legend,
    under the map, gives minutes per day inside the SAA and in the polar horns;
    ``same_orbit``: pairs of stations flying one plane (their points coincide), said under it.
    """
    import cartopy.crs as ccrs

    g_lat, g_lon, g_alt, B = rad["grid"]
    names = [str(n) for n in rad["names"]]
    st = resolve_styles(names, styles)
    k = int(np.argmin(np.abs(g_alt - altitude_km)))
    plt = pyplot()
    notes = same_orbit_notes(same_orbit, names)
    fig = plt.figure(figsize=(10, 4.8 + 0.2 * (len(names) + 1) + 0.2 * len(notes)))
    _, ax = map_axes(fig, extent=[-110.0, 50.0, -65.0, 20.0])
    pc = ccrs.PlateCarree()
    cs = ax.contourf(
        g_lon, g_lat, B[:, :, k], levels=np.arange(18000, 69001, 3000), cmap="Greys", alpha=0.45, transform=pc
    )
    thr = rad["threshold_nT"]
    ax.contour(g_lon, g_lat, B[:, :, k], levels=[thr], colors="crimson", linewidths=1.5, transform=pc)
    fig.colorbar(cs, ax=ax, shrink=0.8, label=f"|B| at {g_alt[k]:.0f} km (nT)")
    handles = []
    for i, name in enumerate(names):
        lat, lon, inside = rad["lat_deg"][i], rad["lon_deg"][i], rad["in_saa"][i]
        n = min(len(lat), max_track_points)
        kw = line_kwargs(st[name], markevery=False)
        kw.update(linestyle="none", markersize=0.6 * kw.get("markersize", 5.0))
        label = (
            f"{name}: {rad['saa_min_per_day'][i]:.0f} min/day in SAA, "
            f"{rad['horn_min_per_day'][i]:.0f} min/day at |geomag. lat| >= {rad['horn_gmlat_deg']:.0f} deg"
        )
        ax.plot(lon[:n][inside[:n]], lat[:n][inside[:n]], transform=pc, label=label, **kw)
        handles.append(ax.get_lines()[-1])
    ax.set_title(title or f"South Atlantic Anomaly: |B| < {thr:.0f} nT at {g_alt[k]:.0f} km (red contour)")
    fig.tight_layout(rect=(0.0, 0.05 + 0.2 * (len(names) + 1 + len(notes)) / fig.get_figheight(), 1.0, 0.97))
    if notes:
        fig.text(0.01, 0.01, "\n".join(notes), fontsize=8, color="0.2", ha="left", va="bottom")
    fig.canvas.draw()
    box = ax.get_tightbbox(fig.canvas.get_renderer())  # with the tick labels, display units
    _, y0 = ax.transAxes.inverted().transform((box.x0, box.y0))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, y0 - 0.01),
        fontsize=8,
        frameon=False,
        markerscale=1.6,
    )
    return fig
