# Two commands set everything up on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run    install, migrate the SQLite database in instance/, load the demo office, serve
#   make test   install the dev dependencies and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := notary

.PHONY: run test install install-dev translations lint typecheck serve gunicorn extract clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# Compiled catalogs are build output (git-ignored); compiling also checks placeholders.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d notary/translations 2>&1 | tail -n 2

# A random SECRET_KEY, written once, never committed.
instance/config.py:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@

run: install instance/config.py
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

gunicorn: install instance/config.py
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --no-control-socket "notary:create_app()"

test: install-dev
	$(BIN)/ruff check notary tests
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check notary tests
	$(BIN)/mypy

# Benchmarks, not tests: generate a register, measure it on SQLite and PostgreSQL (when it
# answers on 127.0.0.1:5432), write bench/report.md and bench/report.json.
# Quick by default; the full run: make bench BENCH_CASES=1000000 (consultations: 3x cases).
BENCH_CASES ?= 20000
bench: install
	bench/prepare.sh
	BENCH_CASES=$(BENCH_CASES) $(BIN)/python bench/run.py

# Refresh the catalog after changing UI text: then translate the new entries in messages.po.
extract: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs '.* __pycache__ .venv' -o notary/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i notary/translations/messages.pot -d notary/translations -l zh_Hans_CN --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
