"""Execute every notebook in notebooks/ top to bottom; any error (or warning output) fails the test.

The notebooks are the tutorial: they must run on a fresh machine, offline, each in under
two minutes on the 2-core reference machine. They run in a Jupyter kernel of *this*
interpreter: the test writes a kernelspec named ``python3`` pointing at ``sys.executable``
(ipykernel's own ``write_kernel_spec``) into a temporary folder and puts that folder first
on ``JUPYTER_PATH``, so neither a kernel registered elsewhere on the machine nor a missing
``jupyter kernelspec install`` step can change which Python runs the notebooks.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
#: The shipped tutorial notebooks (a deleted or renamed one must fail the suite, not vanish from it).
REQUIRED = (
    "01_quickstart.ipynb",
    "02_coverage_of_russia.ipynb",
    "03_launch_windows.ipynb",
    "04_costs_light_radiation.ipynb",
    "05_trade_sweep.ipynb",
    "06_two_stations.ipynb",
)
#: A hang guard, not a speed test (no test may depend on how fast the machine is): nbclient stops a
#: cell that runs longer than this, s. The notebooks take well under 2 minutes each on the 2-core
#: reference machine; a cell that needs 10 minutes is stuck, not slow.
CELL_TIMEOUT_S = 600
# Lines on stderr that mean a notebook is not clean (a user would see a warning box).
_BAD_STDERR = re.compile(r"(Warning|Traceback|Error)\b")


def test_notebooks_exist():
    names = {p.name for p in NOTEBOOKS}
    for required in REQUIRED:
        assert required in names


def test_notebooks_are_stored_without_outputs():
    import nbformat

    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path.name}: clear the outputs"


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    from ipykernel.kernelspec import write_kernel_spec

    root = tmp_path_factory.mktemp("jupyter")
    write_kernel_spec(str(root / "kernels" / "python3"))
    old = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "MPLBACKEND")}
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(root)] + ([old["JUPYTER_PATH"]] if old["JUPYTER_PATH"] else []))
    os.environ.pop("MPLBACKEND", None)  # the kernel's inline backend draws the figures
    yield root
    for k, val in old.items():
        if val is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = val


def test_kernel_runs_this_interpreter(kernel_env):
    # The notebooks must run in the project's venv (where sim and its dependencies are
    # installed), whatever kernels are registered elsewhere on the machine.
    import sys

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sys, sim; print(sys.executable)")]
    NotebookClient(nb, kernel_name="python3", timeout=60).execute()
    assert nb.cells[0].outputs[0]["text"].strip() == sys.executable


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_clean(path, kernel_env):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=CELL_TIMEOUT_S, resources={"metadata": {"path": str(NOTEBOOK_DIR)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    bad = []
    n_images = 0
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr" and _BAD_STDERR.search(out["text"]):
                bad.append(f"cell {i}: {out['text'][:300]}")
            if out.get("output_type") in ("display_data", "execute_result") and "image/png" in out.get("data", {}):
                n_images += 1
    assert not bad, f"{path.name} printed warnings/errors:\n" + "\n".join(bad)
    # every notebook draws at least one figure inline (the figures are half the tutorial)
    assert n_images >= 1, f"{path.name}: no inline figure was produced"
