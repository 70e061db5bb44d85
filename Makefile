# Sokoni: `make run` starts the gateway with a worker on embedded defaults; `make test` tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench screens clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m gateway.cli.devserver

test: $(VENV)/.installed
	$(PY) -m pytest

screens: $(VENV)/.installed
	$(VENV)/bin/flask --app wsgi screens check

# The bench drives real processes with wrk (Debian's package), installed here when missing.
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || apt-get install -y wrk || (apt-get update && apt-get install -y wrk)
	$(PY) -m bench.run

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
