"""Trade maps of a sweep (:func:`sim.sweep.run`): metric vs inclination x altitude, reboost vs altitude.

Figures only: the Dataset in, a matplotlib ``Figure`` out. The ISS and the ROS candidates
are marked at their nominal inclination and altitude (:data:`MARKS`, from
:mod:`sim.presets`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..outputs import write_bytes_atomic
from .base import outside_legend, pyplot, resolve_styles

if TYPE_CHECKING:
    import xarray as xr
    from matplotlib.figure import Figure

__all__ = ["MARKS", "launch_access_figure", "reboost_figure", "save_sweep_figures", "trade_map_figure"]

#: label -> (inclination deg, altitude km) of the compared stations (sim.presets: iss_nominal, ros_polar,
#: ros_sso (97.03 deg: sun-synchronous at 400 km), ros_51).
MARKS = {"ISS": (51.64, 415.0), "ROS 96.8": (96.8, 400.0), "ROS SSO": (97.03, 400.0), "ROS 51.6": (51.6, 415.0)}


def _marks(marks):
    return MARKS if marks is None else dict(marks)


def _node_slice(ds, node):
    """The 2-D (inclination, altitude) slice of the node axis: a value, or the mean over it (None)."""
    dim = "ltan_hours" if "ltan_hours" in ds.dims else "raan_deg"
    if node is None:
        if ds.sizes[dim] == 1:
            return ds.isel({dim: 0}), f"{dim.replace('_', ' ')} {float(ds[dim][0]):g}"
        return ds.mean(dim), f"mean over {ds.sizes[dim]} values of {dim.replace('_', ' ')}"
    return ds.sel({dim: node}, method="nearest"), f"{dim.replace('_', ' ')} {float(node):g}"


def _mark(ax, marks, styles=None, x_is_inclination=True):
    marks = _marks(marks)
    st = resolve_styles(list(marks), styles)
    for name, (inc, alt) in marks.items():
        x, y = (inc, alt) if x_is_inclination else (alt, inc)
        ax.plot(
            [x],
            [y],
            marker=st[name]["marker"],
            markersize=11,
            color=st[name]["color"],
            markeredgecolor="black",
            markeredgewidth=0.6,
            linestyle="none",
            label=name,
        )


def trade_map_figure(
    ds: xr.Dataset,
    var: str = "russia_share_seen",
    *,
    node: float | None = None,
    site: str | None = None,
    marks: Mapping[str, tuple[float, float]] | None = None,
    title: str | None = None,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Figure:
    """A filled map of ``var`` over inclination (x) and altitude (y), stations marked.

    ``node``: the ltan/raan value to show (default: the only one, or the mean over them);
    ``site``: for per-site variables (``launch_per_day``) the site key (default: sum over sites).
    ``styles``: station name -> kwargs of the marks (default :func:`sim.plots.station_styles`).
    """
    plt = pyplot()
    if var not in ds:
        raise KeyError(f"{var!r} is not in the sweep; it has {', '.join(ds.data_vars)}")
    sl, node_label = _node_slice(ds, node)
    da = sl[var]
    if "site" in da.dims:
        da = da.sel(site=site) if site is not None else da.sum("site")
    inc = ds["inclination_deg"].values
    alt = ds["altitude_km"].values
    z = da.transpose("altitude_km", "inclination_deg").values
    fig, ax = plt.subplots(figsize=(8.5, 5.5))
    scale = 100.0 if da.attrs.get("units") == "1" else 1.0
    unit = "%" if scale == 100.0 else da.attrs.get("units", "")
    if len(inc) > 1 and len(alt) > 1:
        m = ax.pcolormesh(inc, alt, z * scale, shading="nearest", cmap="viridis")
        if np.isfinite(z).sum() > 3 and np.nanmax(z) > np.nanmin(z):
            cs = ax.contour(inc, alt, z * scale, levels=6, colors="white", linewidths=0.6)
            ax.clabel(cs, fontsize=7, fmt="%.3g")
    else:
        I, A = np.meshgrid(inc, alt)
        m = ax.scatter(I.ravel(), A.ravel(), c=(z * scale).ravel(), s=120, cmap="viridis")
    fig.colorbar(m, ax=ax, label=f"{da.attrs.get('description', var)} [{unit}]")
    _mark(ax, marks, styles)
    ax.set_xlabel("inclination [deg]")
    ax.set_ylabel("altitude [km] (mean a - 6378.137 km)")
    outside_legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=4)
    extra = f", {site}" if site else (", all sites" if "site" in sl[var].dims else "")
    ax.set_title(
        title
        or f"{var} ({node_label}{extra}; {ds.attrs.get('days', '?'):g} days from "
        f"{str(ds.attrs.get('start', ''))[:10]})",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def reboost_figure(
    ds: xr.Dataset,
    *,
    node: float | None = None,
    inclinations: Sequence[float] | np.ndarray | None = None,
    marks: Mapping[str, tuple[float, float]] | None = None,
    var: str = "reboost_dv_m_s_per_year",
    styles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Figure:
    """Reboost delta-v per year versus altitude, one line per inclination, stations marked (``styles``)."""
    plt = pyplot()
    sl, node_label = _node_slice(ds, node)
    da = sl[var]
    incs = ds["inclination_deg"].values
    if inclinations is None:
        pick = np.unique(np.linspace(0, len(incs) - 1, min(6, len(incs))).round().astype(int))
        inclinations = incs[pick]
    fig, ax = plt.subplots(figsize=(8, 5))
    cmap = plt.get_cmap("plasma")
    for k, i in enumerate(inclinations):
        line = da.sel(inclination_deg=i, method="nearest")
        ax.plot(
            ds["altitude_km"].values,
            line.values,
            "-o",
            markersize=3,
            color=cmap(k / max(1, len(inclinations) - 1) * 0.85),
            label=f"i = {float(i):g} deg",
        )
    st = resolve_styles(list(_marks(marks)), styles)
    for name, (inc, alt) in _marks(marks).items():
        y = da.sel(inclination_deg=inc, altitude_km=alt, method="nearest")
        ax.plot(
            [alt],
            [float(y)],
            marker=st[name]["marker"],
            markersize=11,
            color=st[name]["color"],
            markeredgecolor="black",
            markeredgewidth=0.6,
            linestyle="none",
            label=f"{name} (nearest grid point)",
        )
    ax.set_yscale("log")
    ax.set_xlabel("altitude [km] (mean a - 6378.137 km)")
    ax.set_ylabel("reboost delta-v [m/s per year]")
    ax.grid(True, which="both", alpha=0.3)
    outside_legend(ax)
    ax.set_title(f"Reboost delta-v against drag ({node_label})", fontsize=10)
    fig.tight_layout()
    return fig


def launch_access_figure(
    ds: xr.Dataset,
    *,
    node: float | None = None,
    altitude_km: float | None = None,
    marks: Mapping[str, tuple[float, float]] | None = None,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Figure:
    """Launch opportunities per day from each site versus inclination (one altitude), stations marked (``styles``)."""
    plt = pyplot()
    sl, node_label = _node_slice(ds, node)
    alt = float(ds["altitude_km"].values[len(ds["altitude_km"]) // 2]) if altitude_km is None else altitude_km
    da = sl["launch_per_day"].sel(altitude_km=alt, method="nearest")
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for s in ds["site"].values:
        ax.step(ds["inclination_deg"].values, da.sel(site=s).values, where="mid", label=str(s), linewidth=1.6)
    st = resolve_styles(list(_marks(marks)), styles)
    for name, (inc, _) in _marks(marks).items():
        ax.axvline(inc, color=st[name]["color"], linestyle=st[name]["linestyle"], linewidth=1)
        ax.text(inc, ax.get_ylim()[1] * 0.97, name, rotation=90, va="top", ha="right", fontsize=7)
    ax.set_xlabel("inclination [deg]")
    ax.set_ylabel("allowed in-plane opportunities [per day]")
    outside_legend(ax, title="site")
    ax.set_title(f"Launch access by site ({float(da['altitude_km']):g} km, {node_label})", fontsize=10)
    fig.tight_layout()
    return fig


def save_sweep_figures(ds: xr.Dataset, folder: str | PathLike[str]) -> list[Path]:
    """Draw the standard trade maps of ``ds`` into ``folder`` (PNG); return the paths."""
    plt = pyplot()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for var in (
        "russia_share_seen",
        "arctic_share_seen",
        "russia_revolution_share",
        "contact_min_per_day",
        "russia_mean_gap_h",
        "saa_min_per_day",
    ):
        if var in ds:
            jobs.append((f"trade_{var}.png", lambda v=var: trade_map_figure(ds, v)))
    if "reboost_dv_m_s_per_year" in ds:
        jobs.append(("reboost_vs_altitude.png", lambda: reboost_figure(ds)))
    if "launch_per_day" in ds:
        jobs.append(("launch_access.png", lambda: launch_access_figure(ds)))
    out = []
    for name, make in jobs:
        fig = make()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110)
        plt.close(fig)
        out.append(write_bytes_atomic(folder / name, buf.getvalue()))
    return out
