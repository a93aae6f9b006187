"""sim.kernels: one MSIS interpolation with a pinned behaviour outside the table, and the layering.

The NRLMSIS table spans 80-2,000 km (it stopped at 1,000 km while the sweep's altitude axis
reached 2,000 km). Outside it the altitude axis is extrapolated log-linearly with the end
cell's slope (latitude clamped, day of year and local time periodic); the Cowell
integrator, :func:`sim.atmosphere.msis_table_density` and the sweep all go through the
same compiled kernel.
"""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pytest

import sim
from sim import atmosphere as A
from sim.kernels.msis import msis_density

SIM = Path(sim.__file__).parent


@pytest.fixture(scope="module")
def table():
    return A.msis_table("moderate")


def _node_point(tab, i_doy, i_lat, i_lst):
    """(doy, lat, lst) exactly on table nodes, so only the altitude axis interpolates."""
    return tab.doy0 + i_doy * tab.ddoy, tab.lat0_deg + i_lat * tab.dlat_deg, i_lst * tab.dlst_h


@pytest.mark.parametrize("node", [(0, 0, 0), (5, 7, 13), (17, 18, 23), (11, 9, 6)])
def test_msis_table_is_continuous_and_extrapolates_the_end_cells(table, node):
    doy, lat, lst = _node_point(table, *node)
    L = table.log_rho[node[0], :, node[1], node[2]]
    top, bottom = table.alt0_km + table.dalt_km * (len(L) - 1), table.alt0_km
    assert (bottom, top) == (80.0, A.MSIS_TABLE_TOP_KM) == (80.0, 2000.0)
    rho = lambda h: A.msis_table_density(table, doy, h, lat, lst)  # noqa: E731
    # at the end nodes and at 1,000 km (the old top): the tabulated value (to rounding)
    assert rho(top) == pytest.approx(math.exp(L[-1]), rel=1e-12)
    assert rho(bottom) == pytest.approx(math.exp(L[0]), rel=1e-12)
    assert rho(1000.0) == pytest.approx(math.exp(L[92]), rel=1e-12)
    # continuity across 80, 1,000 and 2,000 km: +-1 mm changes density by the local slope
    # only (scale heights here are > 5 km: relative change < 2e-6 / 5 = 4e-7)
    for h in (bottom, 1000.0, top):
        assert rho(h + 1e-6) / rho(h - 1e-6) == pytest.approx(1.0, abs=1e-6)
    # above 1,000 km, through the table and beyond it: strictly decreasing
    above = np.array([1000.5, 1010.0, 1100.0, 1500.0, 1999.0, 2000.5, 2100.0, 3000.0])
    r_above = rho(above)
    assert np.all(np.diff(np.concatenate([[rho(1000.0)], r_above])) < 0)
    # beyond the top: exactly the last cell's log-linear law
    beyond = above[above > top]
    slope = (L[-1] - L[-2]) / table.dalt_km  # per km, negative
    assert slope < 0
    np.testing.assert_allclose(np.log(rho(beyond)), L[-1] + slope * (beyond - top), rtol=0, atol=1e-9)
    # below the table: the first cell's law (density keeps rising downwards)
    below = np.array([79.0, 70.0])
    np.testing.assert_allclose(
        np.log(rho(below)), L[0] + (L[1] - L[0]) / table.dalt_km * (below - bottom), rtol=0, atol=1e-9
    )
    assert rho(70.0) > rho(79.0) > rho(bottom)


def test_msis_table_follows_nrlmsis_up_to_2000_km_where_both_old_rules_failed(table):
    # Table against direct NRLMSIS 2.1 at random points above 1,000 km: within 4 % (measured
    # 2.1 % max, 0.7 % rms at moderate activity), where the 1,000 km table clamped gave
    # 15-30x and extrapolated with its top cell 0.01-0.45x the density at 2,000 km.
    rng = np.random.default_rng(3)
    n = 60
    doy = rng.integers(1, 365, n).astype(float)
    lat = rng.uniform(-80.0, 80.0, n)
    lst = rng.uniform(0.0, 24.0, n)
    alt = rng.uniform(1000.0, 2000.0, n)
    dates = np.datetime64("2001-01-01T00:00", "ms") + ((doy - 1) * 86400e3 + lst * 3600e3).astype("timedelta64[ms]")
    direct = A.msis_density(dates, lat, 0.0, alt, "moderate")
    tab = A.msis_table_density(table, doy + lst / 24.0, alt, lat, lst)
    assert np.max(np.abs(tab / direct - 1.0)) < 0.04
    # what the old 1,000 km table did at 2,000 km, from the table's own nodes
    L = table.log_rho
    clamp_over_true = np.exp(L[:, 92] - L[:, -1])  # rho(1000) / rho(2000)
    extrap_over_true = np.exp(L[:, 92] + (L[:, 92] - L[:, 91]) * 100.0 - L[:, -1])
    assert np.all(clamp_over_true > 10.0)
    assert np.all(extrap_over_true < 0.6)


def test_integrator_kernel_and_public_function_agree_bit_for_bit(table):
    # the integrator calls the scalar kernel msis_density; the public function loops the
    # same kernel over flat arrays: identical numbers inside and outside the table,
    # including wrapped day of year / local time and out-of-range latitude
    rng = np.random.default_rng(7)
    n = 300
    doy = rng.uniform(-30.0, 400.0, n)
    alt = rng.uniform(40.0, 2100.0, n)
    lat = rng.uniform(-95.0, 95.0, n)
    lst = rng.uniform(-3.0, 27.0, n)
    alt[:6] = [80.0, 1000.0, 79.999, 1000.001, 1500.0, 2000.0]
    vec = A.msis_table_density(table, doy, alt, lat, lst)
    p = table.kernel_params()
    one = np.array([msis_density(table.log_rho, p, d, h, la, s) for d, h, la, s in zip(doy, alt, lat, lst)])
    np.testing.assert_array_equal(vec, one)
    assert np.all(np.isfinite(vec)) and np.all(vec > 0)
    # broadcasting: a (3, 1) altitude column against a (4,) latitude row
    grid = A.msis_table_density(table, 100.0, np.array([[300.0], [1000.0], [1500.0]]), np.linspace(-60, 60, 4), 12.0)
    assert grid.shape == (3, 4) and np.all(grid[0] > grid[1]) and np.all(grid[1] > grid[2])
    # periodic axes: a day-of-year period and 24 h later give the same density (to the
    # rounding of the shifted fractional index, amplified by up to 1e3 km of extrapolation)
    np.testing.assert_allclose(A.msis_table_density(table, doy + 365.25, alt, lat, lst + 24.0), vec, rtol=1e-10)
    # latitude is clamped: beyond the poles equals the pole
    np.testing.assert_array_equal(
        A.msis_table_density(table, 50.0, 400.0, [95.0, -95.0], 3.0),
        A.msis_table_density(table, 50.0, 400.0, [90.0, -90.0], 3.0),
    )


def test_sweep_drag_above_1000_km_falls_with_altitude(table):
    # drag_dv_per_year (the sweep's reboost metric) goes through msis_table_density. With the
    # sweep's old clamp (the 1,000 km density at every altitude above it) the 1,500 and
    # 2,000 km budgets were ~0.9x the 1,000 km one (only v^2 changed): 1.82e-2, 1.69e-2 and
    # 1.56e-2 m/s/yr at 1,000 / 1,500 / 2,000 km (ROS stage 2, 51.6 deg, moderate activity);
    # now 1.76e-2, 2.9e-3 and 7.6e-4.
    from sim import sweep

    orb = sim.Orbit.circular([1000.0, 1500.0, 2000.0], 51.6, epoch="2025-01-01")
    dv = sweep.drag_dv_per_year(orb, "moderate", "ros_stage2")
    print(f"drag dv per year at 1,000 / 1,500 / 2,000 km: {dv[0]:.3e} / {dv[1]:.3e} / {dv[2]:.3e} m/s")
    assert dv[0] > dv[1] > dv[2] > 0
    v2 = sim.constants.MU_EARTH / orb.a  # v^2: what alone changed under the clamp
    clamp_ratio = v2[1:] / v2[0]  # 0.94, 0.88 (co-rotation factor aside)
    assert np.all(clamp_ratio > 0.75)
    assert dv[1] / dv[0] < 0.3 * clamp_ratio[0]
    assert dv[2] / dv[0] < 0.1 * clamp_ratio[1]


# ------------------------------------------------------------------ layering

_KERNEL_IMPORTS = {"__future__", "math", "typing", "numpy", "numba"}


def _imports(path: Path) -> list[tuple[str, int, tuple[str, ...]]]:
    """(module, level, imported names) of every import statement in a file, at any depth."""
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out += [(a.name, 0, ()) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append((node.module or "", node.level, tuple(a.name for a in node.names)))
    return out


def test_kernels_import_only_numpy_math_numba_and_constants():
    files = sorted((SIM / "kernels").glob("*.py"))
    assert {f.stem for f in files} >= {"geodetic", "j2track", "interp", "msis", "forces", "dop853", "access"}
    for f in files:
        for mod, level, _ in _imports(f):
            if level == 0:
                assert mod.split(".")[0] in _KERNEL_IMPORTS, f"{f.name} imports {mod}"
            elif level == 1:
                assert (SIM / "kernels" / f"{mod}.py").exists(), f"{f.name} imports .{mod}"
            else:
                assert level == 2 and mod == "constants", f"{f.name} imports {'.' * level}{mod}"
