# The two quick-start commands: `make demo` and `make test`. Both create their own virtual
# environment in .venv on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= build/demo

.PHONY: demo test lint typecheck pytest install install-dev docs vendor-js clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs the package with what `metasummary demo` needs.
install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

# Installs everything the checks need. torch is pinned to the CPU build first so the
# `semantic` extra does not pull a multi-gigabyte CUDA build.
install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,semantic,web]'

demo: install
	rm -rf $(DEMO_DIR)
	$(BIN)/metasummary demo $(DEMO_DIR)

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev
	$(BIN)/pytest

test: lint typecheck pytest

docs: install
	$(BIN)/python -m metasummary.cli.reference > docs/cli.md

# Re-vendors htmx, SortableJS and pdf.js from npm at the versions pinned in the script.
vendor-js:
	scripts/vendor-js

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache test-artifacts
