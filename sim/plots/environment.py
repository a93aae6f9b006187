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

__all__ = [
    "beta_angle_figure",
    "eclipse_minutes_figure",
    "saa_map_figure",
    "trapped_flux_map_figure",
    "cutoff_map_figure",
    "dose_rate_figure",
    "dose_share_figure",
]


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


def _track_lines(ax: Any, dose: Mapping[str, Any], names: list[str], st: dict, max_points: int, pc: Any) -> list:
    from .base import split_at_dateline

    handles = []
    for i, name in enumerate(names):
        n = min(len(dose["lat_deg"][i]), max_points)
        kw = line_kwargs(st[name], markevery=False)
        kw.update(marker="none", linewidth=0.8)
        first = True
        for lo, la in split_at_dateline(dose["lon_deg"][i][:n], dose["lat_deg"][i][:n]):
            (h,) = ax.plot(lo, la, transform=pc, label=name if first else None, **kw)
            if first:
                handles.append(h)
            first = False
    return handles


def _legend_below(fig: Any, handles: list) -> None:
    """The stations' legend under the map (outside its data area), the map shrunk to make room."""
    rows = len(handles)
    fig.tight_layout(rect=(0.0, (0.35 + 0.22 * rows) / fig.get_figheight(), 1.0, 1.0))
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.01), fontsize=8, frameon=False)


def trapped_flux_map_figure(
    flux_map: tuple[ArrayLike, ArrayLike, ArrayLike],
    dose: Mapping[str, Any] | None = None,
    *,
    altitude_km: float = 400.0,
    label: str = "AP8 protons > 10 MeV",
    title: str | None = None,
    max_track_points: int = 300,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Figure:
    """World map of a trapped integral flux (log colour scale, cm^-2 s^-1) with the stations' tracks.

    ``flux_map``: ``(lat_deg, lon_deg, flux)`` from :func:`sim.radiation.flux_map`; ``dose``:
    optional dict of :func:`sim.environment.radiation_dose` with ``return_tracks=True`` (the
    first ``max_track_points`` of each track are drawn, one line style per station; the legend
    gives each station's orbit-averaged proton flux).
    """
    import cartopy.crs as ccrs
    from matplotlib.colors import LogNorm

    lat, lon, f = (np.asarray(x, float) for x in flux_map)
    plt = pyplot()
    fig = plt.figure(figsize=(11, 6.2))
    _, ax = map_axes(fig)
    pc = ccrs.PlateCarree()
    top = int(np.ceil(np.log10(max(float(np.nanmax(f)), 1.0))))
    levels = 10.0 ** np.arange(top - 4.0, top + 0.01, 0.25)
    cs = ax.contourf(lon, lat, np.clip(f, levels[0], None), levels=levels, norm=LogNorm(), cmap="magma_r", transform=pc)
    fig.colorbar(cs, ax=ax, shrink=0.75, label=f"{label} at {altitude_km:.0f} km (cm$^{{-2}}$ s$^{{-1}}$)")
    if dose is not None:
        names = [str(n) for n in dose["names"]]
        st = resolve_styles(names, styles)
        handles = _track_lines(ax, dose, names, st, max_track_points, pc)
        for h, i in zip(handles, range(len(names))):
            h.set_label(f"{names[i]}: {dose['proton_flux_cm2_s'][i]:.1f} cm$^{{-2}}$ s$^{{-1}}$ orbit mean")
        _legend_below(fig, handles)
    ax.set_title(title or f"Trapped flux ({label}) at {altitude_km:.0f} km with the stations' tracks")
    return fig


def cutoff_map_figure(
    cutoff_map: tuple[ArrayLike, ArrayLike, ArrayLike],
    dose: Mapping[str, Any] | None = None,
    *,
    altitude_km: float = 400.0,
    title: str | None = None,
    max_track_points: int = 300,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Figure:
    """World map of the vertical cutoff rigidity (GV) with contours and the stations' tracks.

    ``cutoff_map``: ``(lat_deg, lon_deg, cutoff_GV)`` from :func:`sim.radiation.cutoff_map`;
    ``dose`` as in :func:`trapped_flux_map_figure` (the legend gives each station's mean cutoff
    and GCR index).
    """
    import cartopy.crs as ccrs

    lat, lon, rc = (np.asarray(x, float) for x in cutoff_map)
    plt = pyplot()
    fig = plt.figure(figsize=(11, 6.2))
    _, ax = map_axes(fig)
    pc = ccrs.PlateCarree()
    cs = ax.contourf(lon, lat, rc, levels=np.arange(0.0, 18.1, 1.0), cmap="viridis", alpha=0.8, transform=pc)
    cl = ax.contour(lon, lat, rc, levels=[1.0, 3.0, 6.0, 10.0, 14.0], colors="white", linewidths=0.7, transform=pc)
    ax.clabel(cl, fmt="%g GV", fontsize=7)
    fig.colorbar(cs, ax=ax, shrink=0.75, label=f"vertical cutoff rigidity at {altitude_km:.0f} km (GV)")
    if dose is not None:
        names = [str(n) for n in dose["names"]]
        st = resolve_styles(names, styles)
        handles = _track_lines(ax, dose, names, st, max_track_points, pc)
        for h, i in zip(handles, range(len(names))):
            h.set_label(f"{names[i]}: mean {dose['cutoff_mean_GV'][i]:.1f} GV, GCR index {dose['gcr_index'][i]:.2f}")
        _legend_below(fig, handles)
    ax.set_title(title or "Geomagnetic cutoff rigidity (Stormer, IGRF-14 eccentric dipole)")
    return fig


def dose_rate_figure(
    dose: Mapping[str, Any],
    *,
    title: str | None = None,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Figure:
    """Absorbed dose rate (mGy/day) per station in three groups: trapped protons, galactic cosmic
    rays and their total, the total with the calibration band as an error bar and its ratio to the
    reference station written above it.

    ``dose``: the dict of :func:`sim.environment.radiation_dose`; one bar style per station
    (:func:`sim.plots.grouped_bar_figure`).
    """
    from .base import add_notes, grouped_bar_figure

    names = [str(n) for n in dose["names"]]
    trapped = np.asarray(dose["trapped_mGy_per_day"], float)
    gcr = np.asarray(dose["gcr_mGy_per_day"], float)
    total = np.asarray(dose["total_mGy_per_day"], float)
    ref = int(dose.get("reference", 0))
    fig = grouped_bar_figure(
        ["trapped protons (AP8)", "galactic cosmic rays", "total"],
        np.stack([trapped, gcr, total], axis=1),
        names,
        ylabel="absorbed dose rate (mGy/day)",
        title=title
        or f"Dose rate inside ISS-like shielding, solar {dose['solar']} (ratio to {names[ref]}; SPEs excluded)",
        styles=styles,
    )
    ax = fig.axes[0]
    n = len(names)
    width = 0.8 / max(n, 1)
    lo = total - np.asarray(dose["total_mGy_per_day_low"], float)
    hi = np.asarray(dose["total_mGy_per_day_high"], float) - total
    xk = 2.0 + (np.arange(n) - (n - 1) / 2) * width
    ax.errorbar(xk, total, yerr=[lo, hi], fmt="none", ecolor="0.2", capsize=4)
    for k in range(n):
        text = f"{total[k]:.2f}" if k == ref else f"x{dose['ratio'][k]:.2f}"
        ax.text(xk[k], total[k] + hi[k], text, ha="center", va="bottom", fontsize=7, rotation=90)
    ax.set_ylim(0.0, float(np.max(total + hi)) * 1.35 + 1e-9)
    ratios = [
        f"{names[k]}: x{dose['ratio'][k]:.2f} ({dose['ratio_low'][k]:.2f}-{dose['ratio_high'][k]:.2f}) of {names[ref]}"
        for k in range(n)
        if k != ref
    ]
    add_notes(
        fig,
        [
            "Error bars: the calibration band (the spread of the constants fitted on each calibration measurement).",
            *ratios,
        ],
    )
    return fig


def dose_share_figure(
    dose: Mapping[str, Any],
    *,
    title: str | None = None,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Figure:
    """Dose ratio to the reference station against the reference's GCR share of its dose (0-1).

    One straight line per station, ``ratio(s) = (1 - s) * flux_ratio + s * gcr_index_ratio``
    (:func:`sim.radiation.ratio_at_gcr_share`; the reference itself at 1); the share the
    calibration implies (a vertical line, its band shaded) and the published +20-30 %
    polar-orbit claims as a horizontal band, drawn for comparison only. ``dose``: the dict of
    :func:`sim.environment.radiation_dose`.
    """
    from ..radiation import ratio_at_gcr_share

    plt = pyplot()
    names = [str(n) for n in dose["names"]]
    st = resolve_styles(names, styles)
    ref = int(dose.get("reference", 0))
    fr = np.asarray(dose["flux_ratio"], float)
    gr = np.asarray(dose["gcr_index_ratio"], float)
    s_cal = float(dose["reference_gcr_share"])
    s_lo, s_hi = float(dose["reference_gcr_share_low"]), float(dose["reference_gcr_share_high"])
    claims = np.asarray(dose["claim_ratios"], float)
    s = np.linspace(0.0, 1.0, 101)
    fig, ax = plt.subplots(figsize=(10, 4.8))
    ax.axhspan(
        float(claims.min()),
        float(claims.max()),
        facecolor="none",
        edgecolor="0.55",
        hatch="///",
        linewidth=0.0,
        zorder=0,
        label=f"published polar-orbit claims +{(claims.min() - 1) * 100:.0f}-{(claims.max() - 1) * 100:.0f} % "
        "(compared, not an input)",
    )
    ax.axvspan(s_lo, s_hi, color="0.3", alpha=0.12, zorder=0, label=f"calibration band {s_lo:.2f}-{s_hi:.2f}")
    ax.axvline(s_cal, color="0.2", linewidth=1.2, linestyle=":", label=f"calibrated {names[ref]} GCR share {s_cal:.2f}")
    notes = []
    for k, name in enumerate(names):
        kw = line_kwargs(st[name], markevery=False)
        kw["marker"] = "none"
        if k == ref:
            ax.plot(s, np.ones_like(s), label=f"{name} (reference)", **kw)
            continue
        y = ratio_at_gcr_share(fr[k], gr[k], s)
        ax.plot(s, y, label=f"{name}: protons x{fr[k]:.2f}, GCR x{gr[k]:.2f}", **kw)
        ax.plot([s_cal], [float(ratio_at_gcr_share(fr[k], gr[k], s_cal))], "o", color=kw.get("color"), zorder=5)
        implied = ", ".join(
            f"+{(c - 1) * 100:.0f} % at {v:.2f}" if np.isfinite(v) else f"+{(c - 1) * 100:.0f} % at none in 0-1"
            for c, v in zip(claims, dose["claim_gcr_share"][k])
        )
        notes.append(f"{name}: the claims would hold at a GCR share of the {names[ref]}'s dose of {implied}")
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(bottom=0.0)
    ax.set_xlabel(f"GCR share of the {names[ref]}'s dose (fraction, 0-1)")
    ax.set_ylabel(f"dose rate relative to {names[ref]} (ratio)")
    ax.grid(alpha=0.3)
    outside_legend(ax)
    ax.set_title(title or f"What the dose ratio rests on: the {names[ref]}'s GCR share (solar {dose['solar']})")
    add_notes(
        fig,
        [
            "Lines: trapped-proton and GCR-index ratios (no calibration), mixed by the reference's GCR share; "
            "dots: the calibrated share."
        ]
        + notes,
    )
    return fig
