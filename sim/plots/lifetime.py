"""Altitude versus time: with reboosts marked, and decay without reboost per solar activity level.

Results of :mod:`sim.lifetime` in, a matplotlib ``Figure`` out; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .base import colour_for, pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..lifetime import DecayResult, ReboostBudget

__all__ = ["decay_figure", "lifetime_figure"]


def lifetime_figure(result: ReboostBudget | DecayResult, *, title: str | None = None) -> Figure:
    """One panel per orbit, side by side: orbit-mean altitude (km) versus days, reboosts marked.

    ``result`` is a :class:`sim.lifetime.ReboostBudget` (band shaded, burns as triangles and
    the yearly delta-v in each panel's title) or a :class:`sim.lifetime.DecayResult`
    (re-entry marked with a cross).
    """
    plt = pyplot()
    n = len(result.names)
    fig, axes = plt.subplots(1, n, figsize=(3.6 * n + 0.8, 3.8), sharey=True, squeeze=False)
    band = getattr(result, "band_km", None)
    for i, ax in enumerate(axes[0]):
        name = result.names[i]
        c = colour_for(name, i)
        t, h = result.t_days[i], result.mean_alt_km[i]
        ax.plot(t, h, color=c, lw=1.2)
        sub = name
        if band is not None:
            lo, hi = np.asarray(band, dtype=float).reshape(-1, 2)[min(i, len(np.asarray(band).reshape(-1, 2)) - 1)]
            ax.axhspan(lo, hi, color="0.9", zorder=0)
            bd = result.burn_days[i]
            if len(bd):
                ax.plot(bd, np.full(len(bd), lo), "^", color="k", ms=5, label="reboost")
                ax.legend(loc="lower right", fontsize=7, frameon=False)
            sub += f"\n{result.dv_per_year_m_s[i]:.1f} m/s per year, {len(bd)} reboosts"
        else:
            re = result.reentry_days[i]
            if np.isfinite(re):
                ax.plot([re], [h[-1] if len(h) else 0.0], "x", color="k", ms=8)
                sub += f"\nre-entry after {re:.0f} days"
        ax.set_title(sub, fontsize=9)
        ax.set_xlabel("days since epoch")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("orbit-mean altitude, km (mean |r| - 6378.137 km)")
    act = result.activity
    fig.suptitle(
        title or f"Altitude and reboosts, solar activity {act.name} (F10.7 {act.f107:g}, Ap {act.ap:g})", fontsize=10
    )
    fig.tight_layout()
    return fig


def decay_figure(
    results: Iterable[DecayResult], *, colours: Sequence[str] | None = None, title: str | None = None
) -> Figure:
    """Decay without reboost: one panel per solar activity level, one line per station.

    ``results``: :class:`sim.lifetime.DecayResult` objects (one per level, e.g. from
    ``lifetime.decay(orbits, crafts, level)``), all for the same stations. Each panel shows
    the orbit-mean altitude (km) against days since the epoch, titled with its level's
    F10.7 (sfu) and Ap. ``colours``: one '#rrggbb' per station (default
    :func:`sim.plots.colour_for`).
    """
    plt = pyplot()
    results = list(results)
    n = len(results)
    fig, axes = plt.subplots(1, n, figsize=(4.3 * n + 1, 4.0), sharey=True, squeeze=False)
    for ax, d in zip(axes[0], results):
        for k, name in enumerate(d.names):
            ax.plot(d.t_days[k], d.mean_alt_km[k], color=colours[k] if colours else colour_for(name, k), label=name)
        act = d.activity
        ax.set_title(f"{act.name} solar activity (F10.7 {act.f107:g}, Ap {act.ap:g})", fontsize=9)
        ax.set_xlabel("days since epoch")
        ax.grid(alpha=0.3)
    axes[0, 0].set_ylabel("orbit-mean altitude, km (mean |r| - 6378.137 km)")
    axes[0, -1].legend(fontsize=8)
    days = max((d.days for d in results), default=0.0)
    fig.suptitle(title or f"Decay without reboost over {days:g} days")
    fig.tight_layout()
    return fig
