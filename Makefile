# resetlab: two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
REPORT ?= report.html

.PHONY: run test lint typecheck bench bench-quick eval-reader clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[web]'
	touch $@

$(TESTSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,web,reader]'
	touch $(STAMP) $@

## make run: install into .venv, build the store from the repository's files, write the report
run: $(STAMP)
	$(BIN)/resetlab run -o $(REPORT) --budget quick --results results

## make test: install test extras, then ruff, mypy and pytest
test: $(TESTSTAMP) lint typecheck
	sh scripts/install_browser.sh
	$(BIN)/python -m pytest --run-slow

lint: $(TESTSTAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(TESTSTAMP)
	$(BIN)/mypy

bench: $(TESTSTAMP)
	$(BIN)/python benchmarks/run.py --full --write docs/benchmarks.md
	$(BIN)/python benchmarks/engine_rates.py --compile --write docs/benchmarks.md
	$(BIN)/python benchmarks/import_scale.py --rows 50000000 --write docs/benchmarks.md
	$(BIN)/python benchmarks/cli_rate.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/backtest_workers.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/regimes_scale.py --write docs/benchmarks.md

bench-quick: $(TESTSTAMP)
	$(BIN)/python benchmarks/run.py --quick
	$(BIN)/python benchmarks/engine_rates.py --quick
	$(BIN)/python benchmarks/import_scale.py --rows 2000000
	$(BIN)/python benchmarks/cli_rate.py --quick
	$(BIN)/python benchmarks/backtest_workers.py --quick
	$(BIN)/python benchmarks/regimes_scale.py --sizes 2000 8000 --repeat 1

eval-reader: $(TESTSTAMP)
	$(BIN)/python scripts/eval_reader.py --write docs/reader.md

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
