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

bench: $(VENV)/.installed
	$(PY) -m bench.ussd_hop

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
