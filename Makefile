# Two commands do everything on a fresh machine with Python >= 3.11:
#   make run   - set up .venv, install sim, run the flagship ISS vs ROS comparison (output in out/)
#   make test  - set up .venv, install sim with its test extras, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_RUN  := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
PYTEST_ARGS ?=

.PHONY: run test test-slow bench clean browser lint docs docs-check

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
	$(BIN)/sim run scenarios/iss_vs_ros.toml --out out/iss_vs_ros

# The report test renders report.html in headless Chromium (Debian's package). Installed
# here when missing and we are root with apt (CI, fresh machines); otherwise say how.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the report rendering test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium; the browser test will fail"; \
	  else echo "chromium is missing: install it (e.g. apt-get install chromium) for the browser test"; fi; }

# Architecture (layers and kernel purity: [tool.importlinter] in pyproject.toml) and style
# ([tool.ruff]) before the tests.
lint: $(STAMP_TEST)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check sim tests benchmarks
	$(BIN)/ruff format --check sim tests benchmarks

test: $(STAMP_TEST) browser lint
	$(BIN)/python -m pytest -m "not slow" -n 2 $(PYTEST_ARGS)
	$(MAKE) --no-print-directory docs-check

# The documentation site (docs/, Sphinx): `make test` builds it after the tests (whose reference
# comparisons fill the validation page) with warnings as errors (-W), every cross-reference checked
# (-n), from scratch (-E: an unchanged page still reports its problems), notebooks not executed,
# into docs/_build/check. `make docs` also executes the notebooks (outputs cached in
# docs/_build/.jupyter_cache) into docs/_build/html, running the recording tests first when no
# record exists yet. Both are offline: no intersphinx, no downloads.
SPHINX := $(BIN)/python -m sphinx -b html -n -W --keep-going -q
docs-check: $(STAMP_TEST)
	$(SPHINX) -E docs docs/_build/check

docs: $(STAMP_TEST)
	@ls docs/_build/validation/records-*.jsonl >/dev/null 2>&1 || \
	  $(BIN)/python -m pytest -m "not slow" -n 2 -q -p no:cacheprovider $$(grep -l "^from validation import" tests/test_*.py)
	SIM_DOCS_EXECUTE=1 $(SPHINX) docs docs/_build/html
	@echo "documentation: $(CURDIR)/docs/_build/html/index.html"

test-slow: $(STAMP_TEST)
	$(BIN)/python -m pytest -m "slow" $(PYTEST_ARGS)

bench: $(STAMP_TEST)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) out .pytest_cache docs/_build docs/api
