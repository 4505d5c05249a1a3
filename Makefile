# Two commands set everything up on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run    install, migrate the SQLite database in instance/, load the demo office, serve
#   make test   install the dev dependencies and run the whole suite
# Both install the Debian packages they need (scripts/os-packages) and the Python packages
# from the lock (requirements/*.txt, with hashes): the same commit installs the same versions.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := notary
# pip in hash-checking mode: every package, direct or not, must be in the lock with its hash.
PIP_LOCKED := $(BIN)/python -m pip install --quiet --require-hashes --no-deps
# The project itself: built with the locked setuptools, nothing fetched for the build.
PIP_PROJECT := $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .

.PHONY: screenshots run test install install-dev translations lint typecheck serve gunicorn extract clean \
	bench lock os-packages os-packages-test

os-packages:
	scripts/os-packages run
os-packages-test:
	scripts/os-packages run test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements/runtime.txt pyproject.toml | $(BIN)/python
	$(PIP_LOCKED) -r requirements/runtime.txt
	$(PIP_PROJECT)
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt pyproject.toml | $(BIN)/python
	$(PIP_LOCKED) -r requirements/dev.txt
	$(PIP_PROJECT)
	touch $@ $(VENV)/.installed

# Refresh the lock to the newest versions pyproject.toml allows (both files, the dev set
# constrained to the runtime set's versions). A refresh lands only with a green .ci/run.
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links --upgrade
lock: $(VENV)/.installed-dev
	$(BIN)/pip-compile $(LOCK_FLAGS) --all-build-deps -o requirements/runtime.txt pyproject.toml
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra dev -c requirements/runtime.txt \
		-o requirements/dev.txt pyproject.toml

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# Compiled catalogs are build output (git-ignored); compiling also checks placeholders.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d notary/translations 2>&1 | tail -n 2

# A random SECRET_KEY, written once, never committed.
instance/config.py:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@

run: os-packages install instance/config.py
	$(BIN)/python scripts/public-address instance/config.py $(HOST) $(PORT)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

gunicorn: os-packages install instance/config.py
	$(BIN)/python scripts/public-address instance/config.py $(HOST) $(PORT)
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --no-control-socket "notary:create_app()"

test: os-packages-test install-dev
	$(BIN)/ruff check notary tests
	$(BIN)/pytest

# The browser stories on SQLite, every page they visit checked (PageChecks) and photographed
# into a fresh folder: make screenshots, then look through test-artifacts/screenshots/<run>/.
screenshots: os-packages-test install-dev
	@folder=test-artifacts/screenshots/$$(date +%Y%m%d-%H%M%S); mkdir -p $$folder; \
	env -u TEST_DATABASE_URL E2E_SCREENSHOTS=$$PWD/$$folder $(BIN)/pytest -q tests/e2e -k sqlite; \
	status=$$?; echo "$$(ls $$folder/*.png 2>/dev/null | wc -l) screenshots in $$folder"; exit $$status

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
