"""The documentation site's generators and checks (docs/_ext/simdocs), without building the site.

`make test` builds the real site after the tests (warnings are errors); these tests check the
pieces that make that build meaningful: modules are discovered (a new one gets its page with no
list to edit), the public-name check fails on an undocumented name or one missing from the
reference (shown on a throw-away package, and through a real Sphinx build of it), the scenario
reference holds every key with the type, unit, default and range read from the schema, and the
validation page shows exactly what the reference tests recorded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Literal

import annotated_types as at
import pytest
import validation as recorder
from pydantic import BaseModel, Field

DOCS = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(DOCS / "_ext"))
from simdocs import api, schema_ref  # noqa: E402
from simdocs import validation as page  # noqa: E402

# ---------------------------------------------------------------- a throw-away package


def _package(tmp_path: Path, files: dict[str, str]) -> str:
    """Write a uniquely named package under tmp_path, put it on sys.path; return its name."""
    name = f"fakepkg_{uuid.uuid4().hex[:8]}"
    root = tmp_path / name
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    return name


@pytest.fixture
def fake(tmp_path):
    names = []

    def make(files):
        names.append(_package(tmp_path, files))
        return names[-1]

    yield make
    sys.path.remove(str(tmp_path))
    for mod in [m for m in sys.modules if any(m == n or m.startswith(n + ".") for n in names)]:
        del sys.modules[mod]


GOOD = {
    "__init__.py": '''
        """A package."""
        from .core import Thing, speed_km_s

        __all__ = ["Thing", "speed_km_s", "core"]
        from . import core
    ''',
    "core.py": '''
        """Core."""

        __all__ = ["Thing", "speed_km_s", "LIMIT_KM"]

        #: Highest altitude, km.
        LIMIT_KM = 100.0


        class Thing:
            """A thing."""


        def speed_km_s(x: float) -> float:
            """Speed, km/s, of :class:`Thing` ``x``."""
            return x


        def helper(x: float) -> float:
            """Not in __all__: documented in its own section."""
            return x
    ''',
    "_private.py": '''"""Private."""\n''',
    "sub/__init__.py": '''"""Sub-package."""\n''',
    "sub/extra.py": '''
        """A module with no __all__: its functions, classes and data are public."""

        RATE = 2.0  # no docstring comment: must be flagged


        def go() -> None:
            pass
    ''',
}


def test_discovery_finds_every_public_module_and_skips_private_and_skipped(fake):
    pkg = fake(GOOD)
    mods = api.discover(pkg, skip={f"{pkg}.sub.extra": "left out"})
    assert mods == [pkg, f"{pkg}.core", f"{pkg}.sub"]
    assert f"{pkg}._private" not in api.discover(pkg, skip={})
    assert f"{pkg}.sub.extra" in api.discover(pkg, skip={})
    # sim itself: the kernels are left out on purpose, every other module has a page
    sim_mods = api.discover("sim")
    assert "sim.orbits" in sim_mods and "sim.scenario" in sim_mods
    assert not any(m.startswith("sim.kernels") for m in sim_mods)


def test_a_new_module_gets_its_page_without_editing_the_docs(fake, tmp_path):
    pkg = fake(GOOD)
    out = tmp_path / "api"
    ref = api.build_reference(pkg, skip={})
    pages = {p.name for p in api.write_pages(ref, out, skip={})}
    assert {f"{pkg}.rst", f"{pkg}.core.rst", f"{pkg}.sub.rst", f"{pkg}.sub.extra.rst", "index.rst"} == pages
    core = (out / f"{pkg}.core.rst").read_text()
    # each name documented once, at its home; the package links to it
    assert ":members: Thing, speed_km_s, LIMIT_KM" in core  # __all__ order
    assert ".. autofunction:: helper" in core
    init = (out / f"{pkg}.rst").read_text()
    assert f":obj:`{pkg}.core.Thing`" in init and ":no-members:" in init
    # a module that disappears loses its page
    ref.modules.remove(f"{pkg}.sub.extra")
    api.write_pages(ref, out, skip={})
    assert not (out / f"{pkg}.sub.extra.rst").exists()


def test_public_name_check_flags_undocumented_and_unlisted_names(fake):
    pkg = fake(GOOD)
    ref = api.build_reference(pkg, skip={})
    found = api.problems(ref)
    # the module without __all__: its undocumented function and its data without '#:' comment
    assert f"{pkg}.sub.extra.go: public name without a docstring" in " ".join(found)
    assert any(p.startswith(f"{pkg}.sub.extra.RATE") for p in found)
    assert len(found) == 2, found
    # names the built reference does not contain are reported too
    documented = {f"{pkg}.core.Thing", f"{pkg}.core.LIMIT_KM", f"{pkg}.sub.extra.go", f"{pkg}.sub.extra.RATE"}
    documented |= {pkg, f"{pkg}.core"}
    missing = api.problems(ref, documented)
    assert any(p == f"{pkg}.core.speed_km_s: public name missing from the API reference" for p in missing)


def test_public_name_check_passes_once_documented(fake):
    files = dict(GOOD)
    files["sub/extra.py"] = '''
        """A module with no __all__."""

        #: Rate, 1/s.
        RATE = 2.0


        def go() -> None:
            """Go."""
    '''
    pkg = fake(files)
    assert api.problems(api.build_reference(pkg, skip={})) == []


def test_every_public_name_of_sim_is_documented():
    # the same check `make test`'s docs build runs (there also: present in the built reference)
    problems = api.problems(api.build_reference("sim"))
    assert problems == [], "\n".join(problems)


def _sphinx(tmp_path: Path, pkg: str, extra: str = "") -> subprocess.CompletedProcess:
    src = tmp_path / "site"
    src.mkdir()
    (src / "conf.py").write_text(
        textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(DOCS / "_ext")!r})
        extensions = ["sphinx.ext.autodoc", "simdocs"]
        simdocs_package = {pkg!r}
        simdocs_skip = {{}}
        simdocs_scenario_model = ""
        simdocs_records = {str(tmp_path / "none")!r}
        simdocs_tests = {str(tmp_path / "none")!r}
        nitpicky = True
        html_theme = "basic"
        """)
    )
    (src / "index.rst").write_text("Test\n====\n\n.. toctree::\n\n   api/index\n" + extra)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q", str(src), str(tmp_path / "o")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_sphinx_build_fails_on_undocumented_name_and_broken_reference(fake, tmp_path):
    pkg = fake(GOOD)
    res = _sphinx(tmp_path, pkg, extra=f"\nSee :func:`{pkg}.core.no_such_function`.\n")
    assert res.returncode != 0
    assert f"{pkg}.sub.extra.go: public name without a docstring" in res.stderr
    assert f"reference target not found: {pkg}.core.no_such_function" in res.stderr


def test_sphinx_build_passes_for_a_documented_package(tmp_path):
    files = dict(GOOD)
    files["sub/extra.py"] = '''"""No public names."""\n'''
    pkg = _package(tmp_path, files)
    try:
        res = _sphinx(tmp_path, pkg, extra=f"\nSee :func:`{pkg}.speed_km_s` (a re-export).\n")
    finally:
        sys.path.remove(str(tmp_path))
    assert res.returncode == 0, res.stderr


# ---------------------------------------------------------------- scenario reference


class _Inner(BaseModel):
    """``[inner]``: an inner table."""

    step_s: float = Field(default=30.0, ge=1.0, le=3600.0, description="time step, s")
    mode: Literal["a", "b"] = "a"


class _Outer(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    span: float = Field(default=2.0, gt=0, description="length, days")
    inner: _Inner = Field(default_factory=_Inner)
    items: list[_Inner] = Field(default_factory=list, max_length=3)


def _row(text: str, key: str) -> list[str]:
    """The six cells of the table row of ``key``."""
    lines = text.splitlines()
    k = lines.index(f"   * - ``{key}``")
    return [lines[k][7:]] + [ln[7:] for ln in lines[k + 1 : k + 6]]


def test_schema_reference_reads_types_units_defaults_and_ranges():
    text = schema_ref.render(_Outer)
    assert _row(text, "step_s") == ["``step_s``", "number", "s", "``30``", ">= 1, <= 3600", "time step, s"]
    assert _row(text, "mode")[1:5] == ["string", "", '``"a"``', 'one of ``"a"``, ``"b"``']
    assert _row(text, "name")[3:5] == ["**required**", "at least 1 character(s), at most 40 character(s)"]
    assert _row(text, "span")[1:5] == ["number", "days", "``2``", "> 0"]
    assert "``[[items]]``" in text and "``[inner]``" in text
    keys = ["name", "span", "inner", "items", "inner.step_s", "inner.mode", "items.step_s", "items.mode"]
    assert schema_ref.all_keys(_Outer) == keys


class _Named(BaseModel):
    pairs: list[tuple[str, str]] = Field(default_factory=list)
    energy_MeV: float = 1.0
    flight_h: float = 2.0


def test_schema_reference_units_of_every_suffix_and_nested_array_types():
    """The scenario's ``proton_MeV`` and ``max_flight_h`` name their units; an array of pairs reads
    as one (it was "array of array of 2 stringss")."""
    text = schema_ref.render(_Named)
    assert _row(text, "pairs")[1] == "array of arrays of 2 strings"
    assert _row(text, "energy_MeV")[2] == "MeV" and _row(text, "flight_h")[2] == "h"


def test_scenario_reference_lists_every_key_with_its_schema_limits():
    from sim.scenario import Scenario

    text = schema_ref.render(Scenario)
    for path, model, _ in schema_ref.sections(Scenario):
        for name, field in model.model_fields.items():
            assert f"   * - ``{name}``" in text, f"{path}.{name} missing"
            bounds = [c for c in schema_ref._constraints(field.annotation, field) if isinstance(c, at.Ge | at.Le)]
            if bounds:  # some row of this key shows every bound the schema sets
                rows = [r for r in text.split("   * - ") if r.startswith(f"``{name}``")]
                assert any(all(_fmt(c) in r for c in bounds) for r in rows), f"{path}.{name}: {bounds}"
    assert "``[time]``" in text and "``[[stations]]``" in text and "``[stations.circular]``" in text


def _fmt(c) -> str:
    return f">= {schema_ref._num(c.ge)}" if isinstance(c, at.Ge) else f"<= {schema_ref._num(c.le)}"


# ---------------------------------------------------------------- validation page


def test_record_writes_one_line_per_comparison_and_the_page_shows_the_latest(tmp_path, monkeypatch):
    monkeypatch.setattr(recorder, "RECORD_DIR", tmp_path)
    recorder.record("thing vs reference", 1.05, 1.0, 0.1, "m", "a book")
    recorder.record("difference to a library", 3.0, None, 2.0, "s", "a library")
    recorder.record("thing vs reference", 1.02, 1.0, 0.1, "m", "a book")  # the rerun wins
    files = list(tmp_path.glob("records-*.jsonl"))
    assert len(files) == 1
    lines = [json.loads(x) for x in files[0].read_text().splitlines()]
    assert len(lines) == 3 and lines[0]["passed"] is True and lines[1]["passed"] is False
    assert lines[0]["test"] == os.environ["PYTEST_CURRENT_TEST"].rsplit(" (", 1)[0]
    assert "test_docs.py::test_record_writes_one_line" in lines[0]["test"]
    records = page.load(tmp_path)
    assert [r["measured"] for r in records] == [3.0, 1.02]  # record order; the rerun replaced 1.05
    text = page.render(records, wired=[])
    assert "2 comparisons recorded by 1 tests, 1 within tolerance" in text
    assert "difference to a library **(outside tolerance)**" in text
    assert "+- 0.1" in text and "<= 2" in text


def test_a_rerun_replaces_the_tests_earlier_records(tmp_path, monkeypatch):
    monkeypatch.setattr(recorder, "RECORD_DIR", tmp_path)
    monkeypatch.setattr(recorder, "_RUN", "run-a")
    recorder.record("old name of a quantity", 1.0, 1.0, 0.1, "m", "a book")
    monkeypatch.setattr(recorder, "_RUN", "run-b")
    recorder.record("new name of the quantity", 1.0, 1.0, 0.1, "m", "a book")
    assert [r["quantity"] for r in page.load(tmp_path)] == ["new name of the quantity"]
    # a test that no longer records (not among the wired tests) leaves no row
    assert "Not recorded in this build" in page.render(page.load(tmp_path), wired=["tests/test_x.py::test_other"])


def test_validation_page_without_records_says_so_and_lists_wired_tests(tmp_path):
    text = page.render(page.load(tmp_path / "nothing"), page.wired_tests(Path(__file__).parent))
    assert "Not recorded in this build" in text
    assert "tests/test_sgp4.py::test_vallado_verification_through_sim_wrapper" in text
    assert "tests/test_orekit_validation.py::test_zonals_and_exponential_drag_match_orekit" in text


def test_relative_tolerance_rule():
    assert recorder.within(1.25, 1.0, 0.3, rel=True) and not recorder.within(1.35, 1.0, 0.3, rel=True)
    assert recorder.within(-4.955, -4.957, 0.02) and not recorder.within(0.5, None, 0.4)


# ---------------------------------------------------------------- the pages' own examples


def test_scenario_examples_in_the_docs_are_valid():
    import re

    from sim.scenario import parse_scenario

    blocks = [
        (path.name, m.group(1))
        for path in sorted(DOCS.rglob("*.md"))
        if "_build" not in path.parts
        for m in re.finditer(r"```toml\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    ]
    assert blocks  # getting-started has one
    for name, text in blocks:
        parse_scenario(text, source=name)  # raises ScenarioError naming the key and line


# ---------------------------------------------------------------- build settings


def test_docs_build_is_offline_and_make_test_builds_with_warnings_as_errors():
    import ast

    conf = ast.parse((DOCS / "conf.py").read_text())
    names = {t.id: node.value for node in conf.body if isinstance(node, ast.Assign) for t in node.targets}
    extensions = ast.literal_eval(names["extensions"])
    assert "sphinx.ext.intersphinx" not in extensions  # no inventory downloads
    assert ast.literal_eval(names["nitpicky"]) is True
    make = subprocess.run(["make", "-n", "test", "docs"], cwd=DOCS.parent, capture_output=True, text=True)
    sphinx_lines = [ln for ln in make.stdout.splitlines() if "sphinx" in ln]
    assert len(sphinx_lines) == 2 and all(" -W " in ln and " -n " in ln for ln in sphinx_lines), make.stdout
    assert "SIM_DOCS_EXECUTE=1" in sphinx_lines[1] and "SIM_DOCS_EXECUTE" not in sphinx_lines[0]
