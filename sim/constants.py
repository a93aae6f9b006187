"""Physical constants in one place, SI units (metres, seconds, radians).

Earth shape: WGS84. Gravity field: EGM96/EGM2008 zonal coefficients (unnormalised
J_n = -C_n0), with mu and Re from WGS84 as used by boinor/poliastro and Orekit's
``Constants.WGS84_*`` / ``EIGEN5C`` values to the digits that matter here.
"""

from __future__ import annotations

import math

#: Earth's gravitational parameter, m^3/s^2 (WGS84, incl. atmosphere)
MU_EARTH = 3.986004418e14
#: Equatorial radius, m (WGS84)
R_EARTH = 6378137.0
#: Flattening (WGS84)
FLATTENING = 1.0 / 298.257223563
#: First eccentricity squared (WGS84)
E2_EARTH = FLATTENING * (2.0 - FLATTENING)
#: Polar radius, m
R_POLAR = R_EARTH * (1.0 - FLATTENING)
#: Mean Earth radius, m (IUGG R1 = (2a+b)/3)
R_MEAN = (2.0 * R_EARTH + R_POLAR) / 3.0
#: Earth rotation rate, rad/s (WGS84, IERS conventions)
OMEGA_EARTH = 7.292115e-5

#: Zonal harmonics J2..J6 (unnormalised, EGM96). J2 is the value from reference_facts.md.
J2 = 1.08262668e-3
#: J3 (unnormalised, EGM96)
J3 = -2.53265649e-6
#: J4 (unnormalised, EGM96)
J4 = -1.61962159e-6
#: J5 (unnormalised, EGM96)
J5 = -2.27296083e-7
#: J6 (unnormalised, EGM96)
J6 = 5.40681239e-7
#: (J2, J3, J4, J5, J6), in that order
ZONALS = (J2, J3, J4, J5, J6)

#: Mean motion of the mean Sun around the Earth (one tropical year), rad/s.
#: A sun-synchronous orbit's node precesses at this rate.
TROPICAL_YEAR_S = 365.2421897 * 86400.0
#: Mean motion of the mean Sun, rad/s (2 pi per tropical year)
SUN_MEAN_MOTION = 2.0 * math.pi / TROPICAL_YEAR_S

#: Standard gravity for the rocket equation, m/s^2
G0 = 9.80665

#: Seconds per day
DAY_S = 86400.0

#: WGS72 constants used to fit TLE/OMM mean elements (SGP4 default)
MU_EARTH_WGS72 = 3.986008e14
#: WGS72 equatorial radius, m (SGP4 default)
R_EARTH_WGS72 = 6378135.0
#: WGS72 J2 (SGP4 default)
J2_WGS72 = 1.082616e-3

#: Julian year, days and seconds (IAU): the "per year" of rates (reboost delta-v per year,
#: burns per year). Distinct from the tropical year above, which drives the mean Sun.
JULIAN_YEAR_DAYS = 365.25
#: Julian year, s
JULIAN_YEAR_S = JULIAN_YEAR_DAYS * DAY_S
#: Mean Sun's motion in right ascension, deg/day (one tropical year)
SUN_MEAN_MOTION_DEG_PER_DAY = math.degrees(SUN_MEAN_MOTION) * DAY_S

#: Astronomical unit, m (IAU 2012 Resolution B2, exact)
AU_M = 149_597_870_700.0
#: Sun's gravitational parameter, m^3/s^2 (IAU 2015 nominal / DE430)
MU_SUN = 1.32712440018e20
#: Moon's gravitational parameter, m^3/s^2 (DE430: 4902.800066 km^3/s^2)
MU_MOON = 4.902800066e12
#: Nominal solar radius, m (IAU 2015 Resolution B3)
R_SUN = 695_700_000.0

#: Obliquity of the ecliptic at J2000, deg (IAU 2006 precession: 84381.406 arcsec)
OBLIQUITY_J2000_DEG = 84381.406 / 3600.0
#: Latitude of the Arctic Circle, deg: 90 deg minus the J2000 obliquity (66.5607 deg N).
#: Fixed at J2000 so that every figure is reproducible; the circle creeps north by about
#: 15 m a year as the obliquity decreases (0.0002 deg over a decade, below any grid here).
ARCTIC_CIRCLE_DEG = 90.0 - OBLIQUITY_J2000_DEG

#: Authalic (equal-area) radius of the WGS84 ellipsoid, m: the sphere of the same surface
#: area, ``R2 = a sqrt((1 + (1 - e^2) / (2e) ln((1 + e) / (1 - e))) / 2)`` = 6371007.18 m
#: (Moritz 2000, "Geodetic Reference System 1980", R2 = 6371007.1810 m for GRS80).
R_AUTHALIC = R_EARTH * math.sqrt(
    0.5
    * (
        1.0
        + (1.0 - E2_EARTH)
        / (2.0 * math.sqrt(E2_EARTH))
        * math.log((1.0 + math.sqrt(E2_EARTH)) / (1.0 - math.sqrt(E2_EARTH)))
    )
)

#: Earliest and latest calendar year of any time sim accepts (``sim.to_time``, so every library
#: call, the CLI options, scenarios and sweep specs alike). 1957: Sputnik 1, the first artificial
#: satellite (4 October 1957) -- no element set, station or launch exists before, and the TLE
#: two-digit year starts there (57-99 = 1957-1999). 2100 is a policy bound, not a model's limit
#: (GMST-1982 and IAU 2006 precession hold for centuries): the data sim carries end much sooner
#: (bundled IERS UT1-UTC predictions about a year past their release, then held; ERFA's leap-second
#: table "dubious" five years past its release; IGRF-14 to 2030), so a year past 2100 is a typo
#: (2207 for 2027), not an analysis, and is refused rather than run on 70+ years of held data.
MIN_YEAR = 1957
#: Latest calendar year a date may have (see MIN_YEAR above)
MAX_YEAR = 2100

#: Lowest altitude of an orbit sim builds from user elements, km: a circular or sun-synchronous
#: ``altitude_km`` and a classical orbit's perigee (``a (1 - e) - 6378.137 km``) must be above it
#: (the Karman line: below ~100 km an orbit decays within one revolution). The one rule of the
#: library constructors (``sim.Orbit.circular``, ``sun_synchronous``, ``from_classical``) and the
#: scenario schema (``circular``, ``sun_synchronous``, ``classical`` stations).
MIN_ALTITUDE_KM = 100.0

#: Largest number of samples of one time grid (``sim.time_range`` and every analysis grid built
#: on it): 10 million times are ~0.5 GB of astropy Time arrays and positions; beyond that a
#: mistyped step (1e-3 s over 1,000 days = 8.6e10 samples, 644 GiB) is refused with the count.
MAX_TIME_SAMPLES = 10_000_000

#: Longest analysis span, days (two years): scenarios, sweeps and launch-window searches. Beyond
#: it the analytic J2 plane, a fixed solar activity and the bundled Earth-orientation
#: predictions stop being meaningful.
MAX_SPAN_DAYS = 731.0
