# Two commands matter: `make run` and `make test`. Both bootstrap .venv first (so does `make bench`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test reliability lint format migration bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ccsn-bot db upgrade
	$(BIN)/ccsn-bot start

test: $(STAMP)
	$(BIN)/ruff check core storage handlers bot demokit bench tests
	$(BIN)/ruff format --check core storage handlers bot demokit bench tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q

# Faults, hostile input and scale-out only (they are part of `make test` too).
reliability: $(STAMP)
	$(BIN)/pytest -q -m reliability

lint: $(STAMP)
	$(BIN)/ruff check core storage handlers bot demokit bench tests
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format core storage handlers bot demokit bench tests
	$(BIN)/ruff check --fix core storage handlers bot demokit bench tests

# New numbered migration from the models: make migration m="add ta requests"
migration: $(STAMP)
	$(BIN)/python -m storage.migrate $(m)
	$(BIN)/ruff format storage/migrations
	$(BIN)/ruff check --fix --quiet storage/migrations

# Benchmarks against a bare Bolt app; prints one table, writes bench/out/results.json.
# PostgreSQL too with BENCH_DATABASE_URL=postgresql://...; ARGS="--quick" or longer sizes.
bench: $(STAMP)
	$(BIN)/python -m bench $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
