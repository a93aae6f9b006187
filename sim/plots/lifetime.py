"""Altitude versus time with reboosts marked (results of :mod:`sim.lifetime` in, Figure out)."""

from __future__ import annotations

import numpy as np

from .base import _pyplot, colour_for

__all__ = ["lifetime_figure"]


def lifetime_figure(result, *, title: str | None = None):
    """One panel per orbit, side by side: orbit-mean altitude (km) versus days, reboosts marked.

    ``result`` is a :class:`sim.lifetime.ReboostBudget` (band shaded, burns as triangles and
    the yearly delta-v in each panel's title) or a :class:`sim.lifetime.DecayResult`
    (re-entry marked with a cross).
    """
    plt = _pyplot()
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
    axes[0][0].set_ylabel("orbit-mean altitude (km)")
    act = result.activity
    fig.suptitle(title or f"Altitude and reboosts, solar activity {act.name} "
                          f"(F10.7 {act.f107:g}, Ap {act.ap:g})", fontsize=10)
    fig.tight_layout()
    return fig
