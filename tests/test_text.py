"""sim.text.plural: one wording of counts for the report, notes and command line."""

from __future__ import annotations

import pytest

from sim.text import plural


@pytest.mark.parametrize(
    "n, word, expected",
    [
        (1, "day", "1 day"),
        (1.0, "day", "1 day"),
        (7, "day", "7 days"),
        (0, "day", "0 days"),
        (0.5, "day", "0.5 days"),
        (1, "reboost", "1 reboost"),
        (3, "reboost", "3 reboosts"),
        (1, "analysis", "1 analysis"),
        (6, "analysis", "6 analyses"),
        (2, "pass", "2 passes"),
        (2, "city", "2 cities"),
        (2, "problem", "2 problems"),
    ],
)
def test_plural_is_singular_exactly_for_one(n, word, expected):
    assert plural(n, word) == expected


def test_plural_follows_the_number_shown():
    # 1.04 shown with one decimal is "1.0": still one; 0.999 with 3 significant digits is "0.999"
    assert plural(1.04, "day", fmt=".1f") == "1.0 day"
    assert plural(0.999, "day", fmt=".3g") == "0.999 days"
    assert plural(2, "person", "people") == "2 people"
