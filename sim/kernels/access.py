"""Coverage access kernel: per orbit and grid point, when and how often the footprint saw it."""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(cache=True, parallel=True)
def access_stats(pts, plat, sat, slat, lam, cosl):
    """Per orbit and grid point: first/last seen step, accesses, seen steps, max and summed interior gaps.

    pts (P, 3) unit vectors sorted by latitude ``plat`` (P,) rad; sat (N, T, 3) sub-point unit
    vectors; slat, lam, cosl (N, T): sub-point latitude, footprint central angle and its cosine.
    Only points within ``lam`` in latitude of the sub-point are tested (binary search).
    """
    n, T = slat.shape
    P = plat.shape[0]
    first = np.full((n, P), -1, np.int64)
    last = np.full((n, P), -1, np.int64)
    nacc = np.zeros((n, P), np.int64)
    nvis = np.zeros((n, P), np.int64)
    maxgap = np.zeros((n, P), np.int64)
    sumgap = np.zeros((n, P), np.int64)
    for i in prange(n):
        for t in range(T):
            lo_v = slat[i, t] - lam[i, t]
            hi_v = slat[i, t] + lam[i, t]
            a, b = 0, P
            while a < b:  # first index with plat >= lo_v
                m = (a + b) // 2
                if plat[m] < lo_v:
                    a = m + 1
                else:
                    b = m
            lo = a
            a, b = lo, P
            while a < b:  # first index with plat > hi_v
                m = (a + b) // 2
                if plat[m] <= hi_v:
                    a = m + 1
                else:
                    b = m
            hi = a
            sx, sy, sz, c = sat[i, t, 0], sat[i, t, 1], sat[i, t, 2], cosl[i, t]
            for p in range(lo, hi):
                if pts[p, 0] * sx + pts[p, 1] * sy + pts[p, 2] * sz >= c:
                    lv = last[i, p]
                    if lv < 0:
                        first[i, p] = t
                        nacc[i, p] = 1
                    elif lv != t - 1:
                        g = t - lv - 1
                        nacc[i, p] += 1
                        sumgap[i, p] += g
                        if g > maxgap[i, p]:
                            maxgap[i, p] = g
                    last[i, p] = t
                    nvis[i, p] += 1
    return first, last, nacc, nvis, maxgap, sumgap
