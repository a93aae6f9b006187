"""Errors raised for a user's mistake.

Every error a user can cause (bad input, bad file, unknown name) is a :class:`SimError`
subclass whose message names the field and the allowed values. The command line prints
the message on one line and exits with status 2, never a traceback.
"""

from __future__ import annotations


class SimError(Exception):
    """Base class of every error caused by user input."""


class ElementError(SimError, ValueError):
    """Orbital elements or state vectors out of their allowed range."""


class TLEError(SimError, ValueError):
    """A two-line element set or OMM record that cannot be read."""


class PresetError(SimError, KeyError):
    """An unknown preset, site or other named item."""

    def __str__(self) -> str:  # KeyError quotes its message; we want plain text
        return str(self.args[0]) if self.args else ""


class TimeInputError(SimError, ValueError):
    """Times that cannot be understood."""


class ModelError(SimError, ValueError):
    """An unknown model name or an option a model does not support."""


def check_range(
    name: str,
    value,
    low: float,
    high: float,
    *,
    unit: str = "",
    low_open: bool = False,
    high_open: bool = False,
    error: type[SimError] = ElementError,
) -> None:
    """Raise ``error`` naming ``name`` and the allowed range if any value is outside it."""
    import numpy as np

    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise error(f"{name} must be finite, got {value!r}")
    bad_low = arr <= low if low_open else arr < low
    bad_high = arr >= high if high_open else arr > high
    bad = bad_low | bad_high
    if np.any(bad):
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        u = f" {unit}" if unit else ""
        shown = arr[bad].ravel()[:3]
        raise error(f"{name} must be in {lo}{low:g}, {high:g}{hi}{u}, got {shown.tolist()}")
