"""The README stays true: its Python example runs, and the commands it names exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_python_example_runs():
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks, "README must show a Python example"
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {})


SHELL = "\n".join(re.findall(r"```sh\n(.*?)```", README, re.S))


@pytest.mark.parametrize("command", sorted(set(re.findall(r"^sim (\w+)", SHELL, re.M))))
def test_every_sim_command_in_readme_exists(command):
    from sim.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert command in sub.choices


def test_two_commands_and_shipped_paths():
    assert "make run" in README and "make test" in README
    for path in re.findall(r"`((?:scenarios|notebooks|sim/data)/[\w./-]+)`", README):
        assert (ROOT / path).exists(), path
