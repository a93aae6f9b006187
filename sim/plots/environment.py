"""Figures for light, shadow and radiation (results of :mod:`sim.environment` in, Figures out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .base import colour_for, map_axes, pyplot, split_at_dateline

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
) -> Figure:
    """Beta angle (deg) against days since the start, one line per station.

    ``days`` (n_times,), ``beta_deg`` (n_orbits, n_times) from :func:`sim.environment.beta_angle`;
    ``beta_limits_deg`` (n_orbits,) optional: the |beta| above which an orbit has no eclipse,
    drawn as dashed lines.
    """
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(11, 4.8))
    for i, name in enumerate(names):
        ax.plot(days, beta_deg[i], lw=1.2, color=colour_for(name, i), label=name)
        if beta_limits_deg is not None:
            for sgn in (1, -1):
                ax.axhline(sgn * beta_limits_deg[i], color=colour_for(name, i), lw=0.6, ls="--", alpha=0.6)
    ax.set_xlabel("days since start")
    ax.set_ylabel("beta angle (deg)")
    ax.set_ylim(-90, 90)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(title or "Solar beta angle (dashed: no eclipse beyond)")
    fig.tight_layout()
    return fig


def eclipse_minutes_figure(ecl: Eclipses, *, title: str | None = None) -> Figure:
    """Eclipse duration (minutes, whole shadow) of every revolution against days since the start.

    ``ecl``: an :class:`sim.environment.Eclipses` table. Revolutions without an eclipse
    (continuous sunlight) show as gaps at zero.
    """
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(11, 4.5))
    for i, name in enumerate(ecl.names):
        m = ecl.orbit_index == i
        ax.plot(
            ecl.entry_s[m] / 86400.0,
            ecl.duration_s[m] / 60.0,
            ".",
            ms=1.5,
            color=colour_for(name, i),
            label=f"{name} ({int(m.sum())} eclipses)",
        )
    ax.set_xlabel("days since start")
    ax.set_ylabel("eclipse per orbit (min)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8, markerscale=6)
    ax.set_title(title or f"Eclipse minutes per orbit ({ecl.model} shadow)")
    fig.tight_layout()
    return fig


def saa_map_figure(
    rad: Mapping[str, Any], *, altitude_km: float = 400.0, title: str | None = None, max_track_points: int = 3000
) -> Figure:
    """Map of |B| at ``altitude_km`` (IGRF) with the SAA contour and each ground track.

    ``rad``: the dict from ``radiation_exposure(..., return_tracks=True)``. Track points
    inside the SAA are drawn thicker; the legend gives minutes per day inside.
    """
    import cartopy.crs as ccrs

    g_lat, g_lon, g_alt, B = rad["grid"]
    k = int(np.argmin(np.abs(g_alt - altitude_km)))
    fig, ax = map_axes()
    pc = ccrs.PlateCarree()
    cs = ax.contourf(
        g_lon, g_lat, B[:, :, k] / 1000.0, levels=np.arange(18, 69, 3), cmap="Greys", alpha=0.45, transform=pc
    )
    ax.contour(g_lon, g_lat, B[:, :, k], levels=[rad["threshold_nT"]], colors="crimson", linewidths=1.5, transform=pc)
    fig.colorbar(cs, ax=ax, shrink=0.7, label=f"|B| at {g_alt[k]:.0f} km (uT)")
    for i, name in enumerate(rad["names"]):
        lat, lon, inside = rad["lat_deg"][i], rad["lon_deg"][i], rad["in_saa"][i]
        n = min(len(lat), max_track_points)
        c = colour_for(name, i)
        for lo, la in split_at_dateline(lon[:n], lat[:n]):
            ax.plot(lo, la, lw=0.5, color=c, alpha=0.6, transform=pc)
        ax.plot(
            lon[:n][inside[:n]],
            lat[:n][inside[:n]],
            ".",
            ms=2.5,
            color=c,
            transform=pc,
            label=f"{name}: {rad['saa_min_per_day'][i]:.0f} min/day in SAA, "
            f"{rad['horn_min_per_day'][i]:.0f} at |geomag. lat| >= {rad['horn_gmlat_deg']:.0f}",
        )
    ax.legend(loc="lower left", fontsize=7, markerscale=3)
    ax.set_title(title or f"South Atlantic Anomaly: |B| < {rad['threshold_nT']:.0f} nT (red contour)")
    return fig
