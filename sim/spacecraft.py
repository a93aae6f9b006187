"""Spacecraft drag properties: mass, drag area and drag coefficient, with sourced defaults.

Defaults (:data:`DEFAULTS`, :func:`spacecraft`)
-----------------------------------------------
``iss``
    Mass 419,725 kg (NASA, "International Space Station Facts and Figures": 925,335 lb).
    Drag area 1,400 m^2 -- an *estimate*: NASA gives 2,500 m^2 (27,000 sq ft) of solar
    array. Sun-tracking arrays turn once per orbit about the truss, which is normal to the
    flight direction, so on average 2/pi of their area faces the flow, times the mean
    cos(beta) over the ISS beta-angle range of +-75 deg (sin 75deg / 75deg = 0.74):
    ~1,180 m^2, plus ~250 m^2 for modules, truss and radiators. Feathering the arrays
    ("night glider") lowers it; expect +-30 %. Cd = 2.2, the customary value for LEO
    satellites (Vallado 2013, sec. 8.6.2).
``ros_stage1`` / ``ros_stage2``
    ROS masses as published: 55 t after the first stage and about 122 t at the end of
    stage two (RIA/TASS reporting of Energia's plan). The area is an *assumption*: ROS is a
    Mir-class station (4 m-class modules around a node, mass close to Mir's), so it is
    given Mir's area-to-mass ratio, 385 m^2 / 129,700 kg (Mir's mean cross-section and
    mass used for its re-entry prediction: ESA, 6th European Conference on Space Debris,
    paper 148), i.e. 163 m^2 and 362 m^2. Cd = 2.2.

Drag acceleration scales with ``cd * drag_area_m2 / mass_kg``: a reboost budget is
proportional to it, so a different area scales every delta-v in proportion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from .errors import PresetError, SimError, describe

__all__ = ["Spacecraft", "DEFAULTS", "DEFAULT_CD", "spacecraft", "SpacecraftError", "for_orbit_name"]

#: Default drag coefficient: the customary value for LEO satellites (Vallado 2013, sec. 8.6.2).
DEFAULT_CD = 2.2


class SpacecraftError(SimError, ValueError):
    """Non-physical spacecraft properties (negative mass, area or drag coefficient)."""


@dataclass(frozen=True)
class Spacecraft:
    """Mass (kg), drag reference area (m^2) and drag coefficient (dimensionless)."""

    mass_kg: float
    drag_area_m2: float
    cd: float = DEFAULT_CD
    name: str = "spacecraft"

    #: Allowed range of each field, (low, high, low_open): mass and Cd must be > 0, the area
    #: may be 0 (no drag); the upper limits only catch unit mistakes (1e7 kg is 24 ISSs).
    #: The scenario schema checks a station's ``spacecraft`` table with these (:meth:`check_field`).
    LIMITS: ClassVar[dict[str, tuple]] = {
        "mass_kg": (0.0, 1e7, True),
        "drag_area_m2": (0.0, 1e5, False),
        "cd": (0.0, 10.0, True),
    }

    def __post_init__(self):
        for field in self.LIMITS:
            self.check_field(field, getattr(self, field))

    @classmethod
    def check_field(cls, name: str, value: float, *, label: str | None = None) -> None:
        """Raise :class:`SpacecraftError` naming ``label`` (default ``name``) unless ``value`` is allowed."""
        shown = label or name
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise SpacecraftError(f"{shown} must be a number, got {describe(value)}") from None
        low, high, low_open = cls.LIMITS[name]
        if not (math.isfinite(v) and (v > low if low_open else v >= low) and v <= high):
            raise SpacecraftError(
                f"{shown} must be finite and in {'(' if low_open else '['}{low:g}, {high:g}], got {describe(value)}"
            )

    @property
    def area_to_mass(self) -> float:
        """A/m in m^2/kg."""
        return self.drag_area_m2 / self.mass_kg

    @property
    def ballistic_coefficient(self) -> float:
        """m / (Cd A) in kg/m^2 (larger: less drag)."""
        return self.mass_kg / (self.cd * self.drag_area_m2) if self.drag_area_m2 > 0 else math.inf

    @property
    def cd_area_over_mass(self) -> float:
        """Cd A / m in m^2/kg (what the drag acceleration uses)."""
        return self.cd * self.drag_area_m2 / self.mass_kg


_MIR_AREA_TO_MASS = 385.0 / 129_700.0

#: The default spacecraft by key (ISS; ROS stages with Mir's area-to-mass ratio).
DEFAULTS = {
    "iss": Spacecraft(419_725.0, 1_400.0, DEFAULT_CD, "ISS"),
    "ros_stage1": Spacecraft(55_000.0, round(55_000.0 * _MIR_AREA_TO_MASS, 0), DEFAULT_CD, "ROS stage 1"),
    "ros_stage2": Spacecraft(122_000.0, round(122_000.0 * _MIR_AREA_TO_MASS, 0), DEFAULT_CD, "ROS stage 2"),
}


def spacecraft(name: str | Spacecraft) -> Spacecraft:
    """The default spacecraft called ``name`` (one of :data:`DEFAULTS`); a :class:`Spacecraft` is returned as is."""
    if isinstance(name, Spacecraft):
        return name
    key = str(name).strip().lower()
    if key not in DEFAULTS:
        raise PresetError(f"unknown spacecraft {describe(name)}; choose one of: {', '.join(DEFAULTS)}")
    return DEFAULTS[key]


def for_orbit_name(orbit_name: str) -> Spacecraft:
    """Default spacecraft for a preset orbit: ISS for ISS orbits, ROS stage 2 for ROS candidates."""
    return DEFAULTS["iss"] if "iss" in orbit_name.lower() else DEFAULTS["ros_stage2"]
