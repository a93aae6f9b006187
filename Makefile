# Two commands do everything on a fresh machine with Python >= 3.11:
#   make run   - set up .venv, install sim, run the flagship ISS vs ROS comparison (output in out/)
#   make test  - set up .venv, install sim with its test extras, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_RUN  := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
PYTEST_ARGS ?=

.PHONY: run test test-slow bench bench-smoke clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "sim needs Python >= 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel

# Re-install only when the dependency list changes (the package itself is installed editable).
$(STAMP_RUN): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(STAMP_TEST): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/sim demo --out out

test: $(STAMP_TEST)
	$(BIN)/python -m pytest -m "not slow" -n 2 $(PYTEST_ARGS)

test-slow: $(STAMP_TEST)
	$(BIN)/python -m pytest -m "slow" $(PYTEST_ARGS)

bench: $(STAMP_TEST)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) out .pytest_cache
