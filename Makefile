# Every target bootstraps what it needs: a .venv from uv.lock, node_modules from package-lock.json.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: venv generate check-generated test test-matrix test-real unit contract lint demo bench dist update-spec clean

venv: $(VENV)/.synced
$(VENV)/.synced: pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --quiet --frozen --inexact --extra dev --extra cli
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

generate: venv
	$(BIN)/python -m codegen.generate

check-generated: venv
	$(BIN)/python -m codegen.generate --check

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict wassist_api_client/_*.py wassist_api_client/_cli wassist_api_client/webhooks.py wassist_api_client/testing codegen scripts noxfile.py tests/pregenerated.py  # the glob includes __init__.py
	$(BIN)/mypy --strict --python-version 3.10 wassist_api_client/_*.py wassist_api_client/_cli wassist_api_client/webhooks.py wassist_api_client/testing  # the runtime, for the oldest Python it supports
	$(BIN)/mypy wassist_api_client

# The whole suite: lint, unit, pipeline, client, models, contract (Prism) and example tests.
test: venv node_modules/.installed lint
	$(BIN)/python -m pytest

# The runtime suites on CPython 3.10, 3.12 and 3.13 (noxfile.py; nox is pinned in the dev extra), generated
# once on this venv's 3.11. Interpreters from PATH or the pyenv root; MATRIX_ALLOW_MISSING=1 skips a missing one.
test-matrix: venv node_modules/.installed
	$(BIN)/nox --noxfile noxfile.py

# The real-spec corpus (tests/specs/real/SOURCES.json): each spec generated and contract-tested (static, round
# trip, Prism), large ones sampled; prints operations, time and peak memory per spec, fails above 2 GB.
test-real: venv node_modules/.installed
	$(BIN)/python -m scripts.test_real

contract: venv node_modules/.installed
	$(BIN)/python -m pytest tests/contract

# Regenerate, start a mock of the API (Prism when Node is on PATH, else the package's served fake),
# create a link session through the client.
demo: venv
	if command -v node >/dev/null && command -v npm >/dev/null; then $(MAKE) --no-print-directory node_modules/.installed; fi
	$(BIN)/python -m codegen.generate
	$(BIN)/python -m scripts.demo

bench: venv
	$(BIN)/python -m scripts.bench

# An sdist and a wheel in dist/, built offline with the pinned hatchling.
dist: venv
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist

update-spec: venv
	$(BIN)/python -m codegen.update_spec $(if $(SPEC),--spec "$(SPEC)")

clean:
	rm -rf $(VENV) node_modules build dist .nox
