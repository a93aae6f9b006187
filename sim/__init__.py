"""sim: compare the ISS orbit with the candidate orbits of Russia's planned station (ROS).

The public surface::

    import sim
    iss = sim.presets.get("iss")                      # a real element set
    ros = sim.Orbit.circular(400, 96.8)               # or sim.presets.get("ros_polar")
    r, v = ros.propagate(times)                       # GCRS, m and m/s, (n_orbits, n_times, 3)
    lat, lon, alt = sim.ground_track(ros, times)      # deg, deg, km

sim never changes astropy's global IERS settings on import; see :mod:`sim.timeutil`.
"""

from __future__ import annotations

from . import presets
from .errors import SimError
from .groundtrack import ground_track
from .orbits import Orbit
from .timeutil import configure_offline_iers, time_range, to_time
from .version import __version__

__all__ = [
    "Orbit",
    "SimError",
    "ground_track",
    "presets",
    "time_range",
    "to_time",
    "configure_offline_iers",
    "__version__",
]
