# Khabar — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: demo test lint typecheck bench install clean docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the offline demo: local mirror of real Arabic outlets → pipeline → reader on :$(PORT)
demo: $(STAMP)
	$(BIN)/khabar demo --port $(PORT)

## Lint, type-check and run every test (what CI runs)
test: $(STAMP)
	$(BIN)/ruff check src tests bench scripts data
	$(BIN)/ruff format --check src tests bench scripts data
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts data
	$(BIN)/ruff format --check src tests bench scripts data

typecheck: $(STAMP)
	$(BIN)/mypy

## Benchmarks (not part of CI; several need ../shared/data; the 1M-document search speed run
## takes long). Paste the printed tables into bench/RESULTS.md with the date and machine.
bench: $(STAMP)
	$(BIN)/python bench/ingest.py --pages 2000 --write bench/RESULTS.md
	$(BIN)/python bench/extraction.py
	for set in aeb eval arabic; do $(BIN)/python bench/extraction_speed.py --set $$set || exit 1; done
	$(BIN)/python bench/arabic_dates.py
	$(BIN)/python bench/sections.py
	$(BIN)/python bench/search_relevance.py
	$(BIN)/python bench/search_speed.py --docs 1000000
	$(BIN)/python bench/dedupe.py
	$(BIN)/python bench/entities.py
	$(BIN)/python bench/stories.py
	$(BIN)/python bench/distributed.py --baseline
	$(BIN)/python bench/postgres_scale.py --docs 1000000 --workers 1 2 4 --write bench/RESULTS.md
	$(BIN)/python bench/dedupe_scale.py --docs 10000,100000,1000000 --sqlite 100000
	$(BIN)/python bench/web_load.py --articles 100000 --seconds 60 --clients 50
	$(BIN)/python bench/related.py --articles 100000,1000000

docs: $(STAMP)
	$(BIN)/python scripts/cli_reference.py > docs/cli.md

clean:
	rm -rf $(VENV) build dist *.egg-info khabar-demo.db*
