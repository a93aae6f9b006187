"""Shared test fixtures. Tests never use the network: astropy IERS is offline inside sim."""

from __future__ import annotations

import os

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def iss_tles():
    """The shipped real ISS element sets, as (comment, line1, line2), oldest first."""
    from sim.presets import iss_element_sets

    return iss_element_sets()


@pytest.fixture(scope="session")
def data_dir():
    from importlib import resources

    return resources.files("sim") / "data"
