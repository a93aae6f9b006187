"""Fuzzing the scenario loader: whatever the file holds, loading ends in a valid Scenario or a
SimError with a message; never another exception, and nothing is written."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.errors import SimError
from sim.scenario import Scenario, ScenarioError, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = {p.name: p.read_text() for p in sorted((ROOT / "scenarios").glob("*.toml"))}
BASE = tomllib.loads(SHIPPED["iss_vs_ros.toml"])

FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def check(text: str, base_dir) -> None:
    """The property: a Scenario or a ScenarioError with a non-empty message, nothing else."""
    try:
        sc = parse_scenario(text, base_dir=base_dir, source="fuzz.toml")
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError lists at least one problem"
        assert all(p.message for p in exc.problems)
        assert str(exc).startswith("fuzz.toml: ")
        return
    assert isinstance(sc, Scenario)
    assert len(sc.orbits) == len(sc.stations)


# ---------------------------------------------------------------- a tiny TOML writer


def _key(k: str) -> str:
    return k if k and all(c.isalnum() or c in "_-" for c in k) and k.isascii() else json.dumps(k, ensure_ascii=False)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def to_toml(doc: dict) -> str:
    """Top-level tables as [headers], lists of tables as [[headers]], everything else inline."""
    lines = []
    for k, v in doc.items():
        if not isinstance(v, (dict, list)):
            lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in doc.items():
        if isinstance(v, dict):
            lines.append(f"[{_key(k)}]")
            lines += [f"{_key(kk)} = {_value(vv)}" for kk, vv in v.items()]
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for item in v:
                lines.append(f"[[{_key(k)}]]")
                lines += [f"{_key(kk)} = {_value(vv)}" for kk, vv in item.items()]
        elif isinstance(v, list):
            lines.insert(0, f"{_key(k)} = {_value(v)}")
    return "\n".join(lines) + "\n"


def test_writer_round_trips_the_flagship():
    assert tomllib.loads(to_toml(BASE)) == BASE


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(),
    st.sampled_from(["russia", "iss", "j2", "2027-01-01", "", "low", "#ff0000", "nan"]),
)
values = st.recursive(
    scalars.filter(lambda x: x is not None),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12,
)


def _paths(doc, prefix=()):
    """Every path into the document (dict keys and list indices)."""
    out = []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.append(prefix + (k,))
            out += _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.append(prefix + (i,))
            out += _paths(v, prefix + (i,))
    return out


ALL_PATHS = _paths(BASE)


def _get_parent(doc, path):
    node = doc
    for p in path[:-1]:
        node = node[p]
    return node


@st.composite
def mutated_documents(draw):
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _get_parent(doc, path)
        action = draw(st.sampled_from(["replace", "delete", "unknown_key"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(values)
    return doc


# ---------------------------------------------------------------- the properties


@FUZZ
@given(doc=mutated_documents())
def test_wrong_types_missing_fields_unknown_keys(doc, tmp_path):
    try:
        text = to_toml(doc)
    except TypeError:
        return
    check(text, tmp_path)
    assert not any(tmp_path.iterdir())


@FUZZ
@given(name=st.sampled_from(sorted(SHIPPED)), data=st.data())
def test_truncated_and_corrupted_files(name, data, tmp_path):
    text = SHIPPED[name]
    cut = data.draw(st.integers(0, len(text)))
    check(text[:cut], tmp_path)
    pos = data.draw(st.integers(0, len(text) - 1))
    junk = data.draw(st.text(min_size=1, max_size=5))
    check(text[:pos] + junk + text[pos + 1 :], tmp_path)
    lines = text.splitlines()
    drop = data.draw(st.integers(0, len(lines) - 1))
    check("\n".join(lines[:drop] + lines[drop + 1 :]), tmp_path)
    assert not any(tmp_path.iterdir())


@FUZZ
@given(text=st.text(max_size=400))
def test_random_text(text, tmp_path):
    check(text, tmp_path)


@FUZZ
@given(
    days=st.one_of(st.floats(), st.integers(min_value=-(10**30), max_value=10**30)),
    step=st.one_of(st.floats(), st.integers(min_value=-(10**9), max_value=10**9)),
    section=st.sampled_from(["time", "coverage", "launch", "lifetime", "environment", "ground_stations"]),
)
def test_huge_and_silly_spans(days, step, section, tmp_path):
    doc = copy.deepcopy(BASE)
    key = {
        "time": "days",
        "coverage": "revisit_days",
        "launch": "days",
        "lifetime": "decay_days",
        "environment": "days",
        "ground_stations": "days",
    }[section]
    doc[section][key] = days
    if section in ("time", "coverage", "environment"):
        doc[section]["step_s"] = step
    check(to_toml(doc), tmp_path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_binary_files_and_the_command_line_write_nothing(raw, tmp_path_factory):
    """Through the real file path and `sim run`: exit 2 (or a run that fails cleanly), no output."""
    d = tmp_path_factory.mktemp("fz")
    p = d / "s.toml"
    p.write_bytes(raw)
    try:
        load_scenario(p)
    except ScenarioError:
        pass
    out = d / "out"
    cwd = os.getcwd()
    os.chdir(d)
    try:
        code = main(["run", str(p), "--out", str(out), "--no-progress"])
    finally:
        os.chdir(cwd)
    assert code == 2
    assert sorted(x.name for x in d.iterdir()) == ["s.toml"]


def test_every_problem_path_is_a_string_and_sim_error():
    with pytest.raises(SimError) as ei:
        parse_scenario(to_toml({"time": {"start": 5}, "stations": [{"name": 1}], "zzz": 1}))
    assert all(isinstance(p.path, str) for p in ei.value.problems)
    assert {p.path for p in ei.value.problems} >= {"time.start", "stations[0].name", "zzz", "scenario"}
