"""NRLMSIS 2.1 density-table interpolation: the one implementation, used by the Cowell force
model, :func:`sim.atmosphere.msis_table_density` and the sweep (through the latter).

The table (:class:`sim.atmosphere.MsisTable`) holds ``log_rho[doy, alt, lat, lst]``, the
natural log of the total mass density (kg/m^3) on regular axes described by the 7-vector
``p = (doy0, ddoy, alt0_km, dalt_km, lat0_deg, dlat_deg, dlst_h)`` (local solar time
starts at 0 h). Interpolation is multilinear in **log density** on the four axes
(so log-linear, i.e. exponential, in altitude). Outside the table:

* altitude: **log-linear extrapolation** of the end cell beyond both ends (below the
  first node and above the last: 80 and 2,000 km for the shipped table): the density
  keeps falling with the scale height of the last 10 km cell, continuous at the end
  nodes. Clamping would hold the top density constant up to any altitude (the measured
  errors of both rules: :mod:`sim.atmosphere`);
* latitude: clamped to the table (it covers -90..90 deg, so this only guards rounding);
* day of year: periodic with period ``n_doy * ddoy`` (365.25 days);
* local solar time: periodic with period ``n_lst * dlst_h`` (24 h).
"""

from __future__ import annotations

import math

from numba import njit, prange

from .interp import cell_clamped, cell_extrapolated, cell_periodic


@njit(cache=True, fastmath=False)
def msis_density(logrho, p, doy, alt_km, lat_deg, lst_h):
    """Density (kg/m^3) interpolated from the NRLMSIS table at one point (see the module doc)."""
    nd, na, nl, ns = logrho.shape
    i0, i1, wd = cell_periodic((doy - p[0]) / p[1], nd)
    j0, wa = cell_extrapolated((alt_km - p[2]) / p[3], na)
    k0, wl = cell_clamped((lat_deg - p[4]) / p[5], nl)
    m0, m1, ws = cell_periodic(lst_h / p[6], ns)
    acc = 0.0
    for a_i in range(2):
        fa = (1.0 - wa) if a_i == 0 else wa
        for d_i in range(2):
            fd = (1.0 - wd) if d_i == 0 else wd
            di = i0 if d_i == 0 else i1
            for l_i in range(2):
                fl = (1.0 - wl) if l_i == 0 else wl
                for s_i in range(2):
                    fs = (1.0 - ws) if s_i == 0 else ws
                    si = m0 if s_i == 0 else m1
                    acc += fa * fd * fl * fs * logrho[di, j0 + a_i, k0 + l_i, si]
    return math.exp(acc)


@njit(cache=True, parallel=True, fastmath=False)
def msis_density_many(logrho, p, doy, alt_km, lat_deg, lst_h, out):
    """:func:`msis_density` at every point of the flat (n,) arrays, written into ``out`` (n,)."""
    for i in prange(out.shape[0]):
        out[i] = msis_density(logrho, p, doy[i], alt_km[i], lat_deg[i], lst_h[i])
