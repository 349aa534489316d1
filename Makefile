# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format messages bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "Koers needs Python 3.11 or newer as '$(PYTHON)' (e.g. make run PYTHON=python3.12)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

## Serve Koers with the demo organisation at http://localhost:8000 (SQLite, embedded worker).
run: $(STAMP)
	$(BIN)/koers run --demo

## The whole test suite: on SQLite, then on PostgreSQL + Redis when they are configured.
test: $(STAMP)
	$(BIN)/ruff check koers benchmarks
	$(BIN)/python -m pytest
	@if [ -n "$$KOERS_TEST_DATABASE_URL" ] || [ "$$KOERS_REQUIRE_SERVICES" = "1" ]; then \
		echo "== again on PostgreSQL with tasks on Redis =="; \
		KOERS_TEST_BACKEND=services $(BIN)/python -m pytest -m "not browser and not embedded"; \
	else \
		echo "== PostgreSQL/Redis run skipped: set KOERS_TEST_DATABASE_URL and KOERS_TEST_REDIS_URL to include it =="; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check koers benchmarks
	$(BIN)/ruff format --check koers benchmarks

format: $(STAMP)
	$(BIN)/ruff check --fix koers benchmarks
	$(BIN)/ruff format koers benchmarks

## Update the translation catalogues after changing UI text, then compile them.
messages: $(STAMP)
	cd koers && KOERS_DATA_DIR=$$(mktemp -d) ../$(BIN)/koers makemessages --locale nl --no-obsolete --no-location --ignore "tests/*"
	cd koers && KOERS_DATA_DIR=$$(mktemp -d) ../$(BIN)/koers compilemessages --locale nl

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
