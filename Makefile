# Two commands for a newcomer:  make run  |  make test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?=
JOBS   ?= 2
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

## Installs everything, checks style (ruff) and types (mypy), and runs the whole test suite (unit, AppTest, browser)
## on JOBS processes (default 2; the slowest 15 tests are listed at the end).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# mypy checks the types while the tests run (one core for about 20 s, which the test workers leave idle while
	@# they wait for browsers and servers); its findings are printed after the tests, and either failing fails `make test`
	@$(BIN)/mypy > $(VENV)/mypy.log 2>&1 & types=$$!; \
	  $(BIN)/python -m pytest -n $(JOBS); tests=$$?; \
	  wait $$types; typed=$$?; echo "mypy:"; cat $(VENV)/mypy.log; \
	  test $$tests -eq 0 && test $$typed -eq 0

## Start from an empty database instead of the demo data.
init-empty: $(STAMP)
	$(BIN)/python -m indicators init --empty

init-demo: $(STAMP)
	$(BIN)/python -m indicators init --demo

bench: $(STAMP)
	$(BIN)/python benchmarks/compute.py

clean:
	rm -rf $(VENV) .pytest_cache
