"""Numba kernels of sim: compiled loops on plain floats and numpy arrays, one home for each.

Every compiled kernel of the package lives here, under a public name, and the modules
above call it (no module imports another's private kernel):

============  ==========================================================================
module        kernels
============  ==========================================================================
geodetic      Bowring's geodetic latitude/height (WGS84 or any ellipsoid)
j2track       Kepler state from elements; the J2 secular propagator; the fused J2 ground track
interp        cell helpers for tabulated axes (extrapolated, clamped, periodic) and a 3-vector table
msis          NRLMSIS 2.1 table interpolation (scalar and over flat arrays)
forces        the Cowell force model (zonal harmonics, drag, Sun and Moon) as one record
dop853        the batched Dormand-Prince 8(5,3) integrator with re-entry and reboost events
access        the coverage access kernel (first/last seen, accesses, gaps per grid point)
passes        ground-station passes: rise, culmination and set on Hermite-interpolated samples
lambert       Lambert transfer geometry: feasible revolutions, speed bounds, perigee test, J2 drift
============  ==========================================================================

Kernels import only numpy, math, numba and :mod:`sim.constants`: no astropy, scipy,
matplotlib or pydantic (the DOP853 tableau is passed in by the caller,
:mod:`sim.propagation.cowell`). numba is a hard dependency of sim: there is no
pure-Python fallback. Every kernel is compiled with ``cache=True``.
"""

from __future__ import annotations
