"""Errors raised for a user's mistake.

Every error a user can cause (bad input, bad file, unknown name) is a :class:`SimError`
subclass whose message names the field and the allowed values. The command line prints
the message on one line and exits with status 2, never a traceback.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np


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


class CoorbitalError(SimError, ValueError):
    """Bad input to the two-station analyses of :mod:`sim.coorbital` (thresholds, spans, grids)."""


#: Longest excerpt of a user's value quoted in a message, characters.
_SHOWN = 60


def describe(value: Any) -> str:
    """A short, one-line description of a user's value for an error message (never a long repr)."""
    import numpy as np

    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        head = ", ".join(repr(x.item() if hasattr(x, "item") else x) for x in value.ravel()[:3])
        more = ", ..." if value.size > 3 else ""
        return f"an array of shape {value.shape} ([{head}{more}])"
    text = " ".join(repr(value).split())
    if len(text) > _SHOWN:
        text = text[: _SHOWN - 3] + "..."
    return text if isinstance(value, (str, int, float, list, tuple)) else f"{type(value).__name__} {text}"


def as_float(
    value: Any,
    name: str,
    unit: str = "",
    *,
    finite: bool = True,
    scalar: bool = False,
    error: type[SimError] = ElementError,
) -> np.ndarray | float:
    """``value`` as a float array (or a float if ``scalar``), or ``error`` naming ``name``.

    Numbers, sequences and arrays of numbers, and astropy Quantities (converted to ``unit``:
    "km", "m", "m/s", "deg", "h", "s", "day" or "" for dimensionless) are accepted; None,
    strings, booleans, dicts and other objects are refused, as are NaN/inf when ``finite``
    and more than one value when ``scalar``. The one number check at sim's public edges.
    """
    import numpy as np

    what = (
        f"a number{f' in {unit}' if unit else ''}"
        if scalar
        else f"a number or array of numbers{f' in {unit}' if unit else ''}"
    )
    if hasattr(value, "unit") and hasattr(value, "to_value"):
        import astropy.units as u

        target = {"deg": u.deg, "km": u.km, "m": u.m, "m/s": u.m / u.s, "h": u.h, "s": u.s, "day": u.day, "": u.one}[
            unit
        ]
        try:
            arr = np.asarray(value.to_value(target), dtype=float)
        except u.UnitConversionError:
            raise error(f"{name} must be {what}, got a quantity in {value.unit}") from None
    else:
        if value is None or isinstance(value, (str, bytes, bool, np.bool_, dict)):
            raise error(f"{name} must be {what}, got {describe(value)}")
        try:
            raw = np.asarray(value)
        except (TypeError, ValueError):  # ragged sequences
            raise error(f"{name} must be {what}, got {describe(value)}") from None
        if raw.dtype.kind not in "iuf":
            raise error(f"{name} must be {what}, got {describe(value)}")
        arr = raw.astype(float)
    if scalar and arr.size != 1:
        raise error(f"{name} must be a single number, got {arr.size} values")
    if finite and not np.all(np.isfinite(arr)):
        raise error(f"{name} must be finite, got {describe(value)}")
    return float(arr.reshape(-1)[0]) if scalar else arr


def broadcast(error: type[SimError] = ElementError, **named: Any) -> tuple[np.ndarray, ...]:
    """``np.broadcast_arrays`` of the named arrays, or ``error`` naming each argument's length."""
    import numpy as np

    arrays = [np.asarray(v) for v in named.values()]
    try:
        return np.broadcast_arrays(*arrays)
    except ValueError:
        sizes = ", ".join(f"{k} has {np.size(v)}" for k, v in zip(named, arrays))
        raise error(f"arguments must have one value or the same number of values each: {sizes}") from None


def check_range(
    name: str,
    value: Any,
    low: float,
    high: float,
    *,
    unit: str = "",
    low_open: bool = False,
    high_open: bool = False,
    error: type[SimError] = ElementError,
    scalar: bool = False,
) -> None:
    """Raise ``error`` naming ``name`` and the allowed range if any value is outside it (or is
    not a number, or, with ``scalar``, is not exactly one number)."""
    import numpy as np

    if scalar or not isinstance(value, np.ndarray):
        arr = as_float(value, name, finite=True, scalar=scalar, error=error)
    else:
        arr = value
    arr = np.asarray(arr, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise error(f"{name} must be finite, got {describe(value)}")
    bad_low = arr <= low if low_open else arr < low
    bad_high = arr >= high if high_open else arr > high
    bad = bad_low | bad_high
    if np.any(bad):
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        u = f" {unit}" if unit else ""
        shown = arr[bad].ravel()
        got = (
            f"{shown[0]:g}"
            if arr.size == 1
            else f"{', '.join(f'{x:g}' for x in shown[:3])}"
            + (f" (and {shown.size - 3} more)" if shown.size > 3 else "")
        )
        raise error(f"{name} must be in {lo}{low:g}, {high:g}{hi}{u}, got {got}")


def check_choice(
    name: str,
    value: Any,
    choices: Collection[str] | None = None,
    *,
    error: type[SimError] = ModelError,
    upper: bool = False,
) -> str:
    """``value`` as a str (upper-cased if ``upper``) that is one of ``choices`` (if given), or
    ``error`` naming ``name``, the allowed values and a short description of what was given."""
    allowed = f" one of {', '.join(map(str, choices))}" if choices is not None else " a name (str)"
    if not isinstance(value, str):
        raise error(f"{name} must be{allowed}, got {describe(value)}")
    text = value.upper() if upper else value
    if choices is not None and text not in choices:
        raise error(f"{name} must be{allowed}, got {describe(value)}")
    return text
