"""Two stations together: plane angle and phase over time, and the transfer porkchop.

Results of :mod:`sim.coorbital` in, a matplotlib ``Figure`` out; nothing is computed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .base import colour_for, outside_legend, pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..coorbital import Geometry, TransferSearch

__all__ = ["geometry_figure", "porkchop_figure"]


def geometry_figure(geometry: Geometry, *, title: str | None = None) -> Figure:
    """Plane angle (deg, top) and phase (deg, b ahead of a, bottom) versus UTC time, one line per pair.

    ``geometry``: a :class:`sim.coorbital.Geometry`.
    """
    plt = pyplot()
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 6), sharex=True, constrained_layout=True)
    t = geometry.times.to_datetime()
    for k, (na, nb) in enumerate(geometry.names):
        label = f"{nb} relative to {na}"
        colour = colour_for(nb, k)
        ax1.plot(t, geometry.plane_angle_deg[k], color=colour, label=label)
        ax2.plot(t, geometry.phase_deg[k], color=colour, lw=0.8, label=label)
    ax1.set_ylabel("plane angle (deg)")
    ax2.set_ylabel("phase: b ahead of a (deg)")
    ax2.set_ylim(-180, 180)
    ax2.set_yticks(np.arange(-180, 181, 90))
    ax2.set_xlabel("UTC")
    for ax in (ax1, ax2):
        ax.grid(True, alpha=0.3)
    outside_legend(ax1)
    ax1.set_title(title or "Plane angle and phase between the stations")
    fig.autofmt_xdate()
    return fig


def porkchop_figure(search: TransferSearch, *, title: str | None = None, levels: int = 20) -> Figure:
    """Total transfer delta-v (m/s, filled contours) over departure (UTC) x flight time (h), the
    cheapest transfer marked; an empty axes with a note when ``search`` found none.

    ``search``: a :class:`sim.coorbital.TransferSearch`; ``levels``: number of contour levels.
    """
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 5.5), constrained_layout=True)
    pc = search.porkchop
    name = f"{search.names[0]} -> {search.names[1]}"
    ax.set_title(title or f"Transfer delta-v, {name}")
    if pc is None or not search.best:
        ax.text(0.5, 0.5, "no transfer found", ha="center", va="center", transform=ax.transAxes)
        return fig
    dep = pc.departures.to_datetime()
    dv = np.ma.masked_invalid(pc.dv_total_m_s.T)
    best = search.best[0]
    # The colour scale spans the cheap region (best to 3x best + 100 m/s, or the 90th percentile if
    # lower): the grid's expensive corners reach thousands of m/s and would flatten everything a
    # crew could fly into one colour. Dearer points take the top colour (extend="max").
    lo = float(np.nanmin(pc.dv_total_m_s))
    cap = min(float(np.nanpercentile(pc.dv_total_m_s, 90)), 3.0 * best.dv_total_m_s + 100.0)
    bounds = np.linspace(lo, max(cap, lo + 1.0), levels + 1)
    if min(dv.shape) >= 2:
        cs = ax.contourf(dep, pc.flight_time_h, dv, levels=bounds, cmap="viridis", extend="max")
    else:  # one departure or one flight time (a short span, min_flight_h == max_flight_h): no contours
        d_grid, t_grid = np.meshgrid(np.asarray(dep, dtype=object), pc.flight_time_h)
        ok = ~np.ma.getmaskarray(dv)
        cs = ax.scatter(
            d_grid[ok], t_grid[ok], c=np.ma.getdata(dv)[ok], cmap="viridis", vmin=bounds[0], vmax=bounds[-1], s=25
        )
    fig.colorbar(cs, ax=ax, label="total delta-v (m/s)", extend="max")
    ax.plot(
        best.departure.to_datetime(),
        best.flight_time_h,
        marker="*",
        ms=14,
        color="red",
        mec="white",
        ls="none",
        label=f"best: {best.dv_total_m_s:.1f} m/s, {best.flight_time_h:g} h, {best.revolutions} rev",
    )
    ax.set_xlabel("departure (UTC)")
    ax.set_ylabel("flight time (h)")
    ax.legend(loc="upper right", fontsize=8)
    fig.autofmt_xdate()
    return fig
