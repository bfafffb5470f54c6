# Two commands for a newcomer:  make run  |  make test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?=
STAMP  := $(VENV)/.installed

.PHONY: run test install init-demo init-empty bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Installs everything and starts the app (demo data is loaded on first start).
run: $(STAMP)
	$(BIN)/integrationsmonitor start $(if $(PORT),--port $(PORT))

## Installs everything and runs the whole test suite (unit, AppTest, browser).
test: $(STAMP)
	$(BIN)/python -m pytest

## Start from an empty database instead of the demo data.
init-empty: $(STAMP)
	$(BIN)/python -m indicators init --empty

init-demo: $(STAMP)
	$(BIN)/python -m indicators init --demo

bench: $(STAMP)
	$(BIN)/python benchmarks/compute.py

clean:
	rm -rf $(VENV) .pytest_cache
