# Two commands matter: `make run` and `make test`. Both bootstrap .venv first.
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
	$(BIN)/ruff check bot handlers storage tests
	$(BIN)/ruff format --check bot handlers storage tests
	$(BIN)/mypy
	$(BIN)/pytest -q

# Faults, hostile input and scale-out only (they are part of `make test` too).
reliability: $(STAMP)
	$(BIN)/pytest -q -m reliability

lint: $(STAMP)
	$(BIN)/ruff check bot handlers storage tests
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format bot handlers storage tests
	$(BIN)/ruff check --fix bot handlers storage tests

# New numbered migration from the models: make migration m="add ta requests"
migration: $(STAMP)
	$(BIN)/python -m storage.migrate $(m)
	$(BIN)/ruff check --fix --quiet storage/migrations
	$(BIN)/ruff format storage/migrations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
