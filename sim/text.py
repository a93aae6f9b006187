"""Wording shared by the report, the runner's notes, figures and the command line.

One helper for counts with their unit, so "1 day", "7 days", "1 reboost" and "0.5 days" come
out right everywhere (the lowest layer: anything in sim may import it).

Public API::

    plural(n, word, plural_form=None, fmt="g") -> str     # "1 day", "3 days", "1.5 days"
"""

from __future__ import annotations

import math

__all__ = ["plural"]

_IRREGULAR = {"passes": "passes", "pass": "passes", "analysis": "analyses", "city": "cities", "activity": "activities"}


def plural(n: float, word: str, plural_form: str | None = None, fmt: str = "g") -> str:
    """``n`` formatted with ``fmt`` and ``word``, singular exactly when the shown number is 1.

    ``plural(1, "day")`` is ``"1 day"``, ``plural(7, "day")`` ``"7 days"``, ``plural(0.5, "day")``
    ``"0.5 days"``, ``plural(1, "reboost")`` ``"1 reboost"``; ``plural_form`` overrides the
    regular English plural (``word + "s"``, ``-y`` -> ``-ies``, ``-s``/``-sh``/``-ch``/``-x`` -> ``-es``).
    """
    shown = format(n, fmt) if isinstance(n, (int, float)) or hasattr(n, "__float__") else str(n)
    try:
        one = math.isfinite(float(shown.replace(",", ""))) and float(shown.replace(",", "")) == 1.0
    except ValueError:
        one = False
    if one:
        return f"{shown} {word}"
    if plural_form is None:
        plural_form = _IRREGULAR.get(word) or _regular_plural(word)
    return f"{shown} {plural_form}"


def _regular_plural(word: str) -> str:
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    return word + "s"
