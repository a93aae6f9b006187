"""Altitude versus time: with reboosts marked, and decay without reboost per solar activity level.

Results of :mod:`sim.lifetime` in, a matplotlib ``Figure`` out; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..text import plural
from .base import add_notes, line_kwargs, pyplot, resolve_styles, same_orbit_notes, station_styles

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..lifetime import DecayResult, ReboostBudget

__all__ = ["decay_figure", "lifetime_figure"]


_ALT_LABEL = "orbit-mean altitude (km)\n(mean |r| - 6378.137 km)"


def _start_note(result: Any) -> str:
    """Why the curves start above/below the nominal altitude: orbit-mean altitude vs ``altitude_km``."""
    alt = getattr(result, "altitude_km", None)
    if alt is None or not len(result.names):
        return ""
    parts = []
    for k, name in enumerate(result.names):
        if k < len(alt) and len(result.mean_alt_km[k]) and np.isfinite(alt[k]):
            parts.append(f"{name} {float(alt[k]):g} km -> {float(result.mean_alt_km[k][0]):.1f} km")
    if not parts:
        return ""
    return (
        "Curves start at the orbit-mean altitude (mean |r| - 6378.137 km), not at altitude_km "
        "(mean semi-major axis - 6378.137 km; README Conventions): " + ", ".join(parts)
    )


def lifetime_figure(
    result: ReboostBudget | DecayResult,
    *,
    title: str | None = None,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Figure:
    """One panel per orbit, side by side: orbit-mean altitude (km) versus days, reboosts marked.

    ``result`` is a :class:`sim.lifetime.ReboostBudget` (band shaded, each burn a dotted
    vertical line "reboost burn", the yearly delta-v in each panel's title) or a
    :class:`sim.lifetime.DecayResult` (re-entry marked with a cross). ``styles``: station
    name -> kwargs (default :func:`sim.plots.station_styles`). A note under the panels says
    where each curve starts (orbit-mean altitude) against its ``altitude_km``.
    """
    from matplotlib.lines import Line2D

    plt = pyplot()
    names = [str(n) for n in result.names]
    st = resolve_styles(names, styles)
    n = len(names)
    fig, axes = plt.subplots(1, n, figsize=(3.8 * n + 1.2, 4.3), sharey=True, squeeze=False)
    band = getattr(result, "band_km", None)
    handles = []
    for i, ax in enumerate(axes[0]):
        name = names[i]
        t, h = result.t_days[i], result.mean_alt_km[i]
        kw = line_kwargs(st[name], markevery=False)
        kw.update(marker=None, linewidth=1.4)
        ax.plot(t, h, label=name, **kw)
        handles.append(Line2D([], [], label=name, **kw))
        sub = name
        if band is not None:
            lo, hi = np.asarray(band, dtype=float).reshape(-1, 2)[min(i, len(np.asarray(band).reshape(-1, 2)) - 1)]
            ax.axhspan(lo, hi, color="0.92", zorder=0)
            bd = result.burn_days[i]
            for d in bd:
                ax.axvline(d, color="k", lw=0.8, ls=(0, (2, 2)), zorder=1)
            nb = len(bd)
            sub += f"\n{result.dv_per_year_m_s[i]:.1f} m/s per year, {plural(nb, 'reboost')}"
        else:
            re = result.reentry_days[i]
            if np.isfinite(re):
                ax.plot([re], [h[-1] if len(h) else 0.0], "x", color="k", ms=8)
                sub += f"\nre-entry after {re:.0f} days"
        ax.set_title(sub, fontsize=9)
        ax.set_xlabel("days since epoch (d)")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel(_ALT_LABEL)
    if band is not None:
        from matplotlib.patches import Patch

        handles.append(Line2D([], [], color="k", lw=0.8, ls=(0, (2, 2)), label="reboost burn"))
        handles.append(Patch(color="0.92", label="altitude band held"))
    act = result.activity
    fig.suptitle(
        title or f"Altitude and reboosts, solar activity {act.name} (F10.7 {act.f107:g}, Ap {act.ap:g})", fontsize=10
    )
    right = 1.0 - 1.7 / fig.get_figwidth()
    add_notes(fig, _wrap(_start_note(result), fig), right=right)
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(right, 0.55), fontsize=8, frameon=False)
    return fig


def _wrap(text: str, fig: Figure) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=int(fig.get_figwidth() * 15)) if text else []


def decay_figure(
    results: Iterable[DecayResult],
    *,
    colours: Sequence[str] | None = None,
    title: str | None = None,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
    same_orbit: Sequence[tuple[str, str]] = (),
) -> Figure:
    """Decay without reboost: one panel per solar activity level, one line per station.

    ``results``: :class:`sim.lifetime.DecayResult` objects (one per level, e.g. from
    ``lifetime.decay(orbits, crafts, level)``), all for the same stations. Each panel shows
    the orbit-mean altitude (km) against days since the epoch, titled with its level's
    F10.7 (sfu) and Ap. ``styles``: station name -> kwargs (default
    :func:`sim.plots.station_styles` with ``colours``, one '#rrggbb' per station): stations
    with the same decay (pairs at one altitude) stay apart by line style and width.
    The legend is right of the panels; notes under them say where the curves start
    (orbit-mean altitude against ``altitude_km``) and which stations share a plane.
    """
    plt = pyplot()
    results = list(results)
    n = len(results)
    names = [str(x) for x in results[0].names] if results else []
    st = resolve_styles(names, styles) if styles else station_styles(names, colours)
    fig, axes = plt.subplots(1, n, figsize=(4.3 * n + 2.2, 4.4), sharey=True, squeeze=False)
    for ax, d in zip(axes[0], results):
        for k, name in enumerate(d.names):
            ax.plot(d.t_days[k], d.mean_alt_km[k], label=name, **line_kwargs(st[str(name)]))
        act = d.activity
        ax.set_title(f"{act.name} solar activity (F10.7 {act.f107:g}, Ap {act.ap:g})", fontsize=9)
        ax.set_xlabel("days since epoch (d)")
        ax.grid(alpha=0.3)
    axes[0, 0].set_ylabel(_ALT_LABEL)
    days = max((d.days for d in results), default=0.0)
    fig.suptitle(title or f"Decay without reboost over {days:g} days")
    right = 1.0 - 1.3 / fig.get_figwidth()
    notes = same_orbit_notes(same_orbit, names) + (_wrap(_start_note(results[0]), fig) if results else [])
    add_notes(fig, notes, right=right)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="center left", bbox_to_anchor=(right, 0.55), fontsize=8, frameon=False)
    return fig
