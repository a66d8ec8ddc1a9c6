# Targets used by the README and by .ci/run. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: help run test lint typecheck bench screenshots clean

help:  ## show this help
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,hid]'
	touch $@

run: $(STAMP)  ## set up the embedded database with sample data and serve on http://127.0.0.1:8000
	$(BIN)/inspect-svc init
	$(BIN)/inspect-svc serve

test: $(STAMP)  ## run the whole test suite (SQLite, PostgreSQL, browser, devices) with the coverage gate
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest --cov --cov-report=term --cov-fail-under=92

bench: $(STAMP)  ## run the benchmarks and print their ratios
	for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

screenshots: $(STAMP)  ## refresh the README's screenshots in docs/screenshots/ from the browser tests
	INSPECT_SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/browser

clean:  ## remove the virtualenv and local state
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
