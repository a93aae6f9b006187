"""Cell helpers for tabulated axes: the one place that decides what happens at a table's ends."""

from __future__ import annotations

import math

from numba import njit


@njit(cache=True, inline="always")
def cell_extrapolated(x, n):
    """Cell index i (0..n-2) and weight of node i+1 for fractional index x; linear beyond the ends.

    Outside [0, n-1] the first or last cell is kept and the weight leaves [0, 1], so the
    interpolant continues the end cell's straight line (continuous at the end nodes).
    """
    i = int(math.floor(x))
    if i < 0:
        i = 0
    elif i > n - 2:
        i = n - 2
    return i, x - i


@njit(cache=True, inline="always")
def cell_clamped(x, n):
    """Cell index i (0..n-2) and weight of node i+1 for fractional index x clamped to [0, n-1]."""
    if x < 0.0:
        x = 0.0
    elif x > n - 1:
        x = n - 1.0
    i = int(math.floor(x))
    if i > n - 2:
        i = n - 2
    return i, x - i


@njit(cache=True, inline="always")
def cell_periodic(x, n):
    """Nodes i0, i1 and weight of i1 for fractional index x on a periodic axis of n nodes."""
    x = x - n * math.floor(x / n)
    i0 = int(math.floor(x))
    w = x - i0
    i0 = i0 % n
    return i0, (i0 + 1) % n, w


@njit(cache=True, fastmath=False)
def interp3(grid, tg0, dtg, t, out):
    """Linear interpolation of a (n, 3) table sampled every ``dtg`` from ``tg0`` at ``t`` into ``out`` (3,).

    Beyond the table the end cells are extrapolated (:func:`cell_extrapolated`).
    """
    i, w = cell_extrapolated((t - tg0) / dtg, grid.shape[0])
    for k in range(3):
        out[k] = grid[i, k] * (1.0 - w) + grid[i + 1, k] * w
