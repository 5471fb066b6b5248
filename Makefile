# The project's menu. `make run` serves the site; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DEBUG ?= true
PORT ?= 8000

.PHONY: run test install migrate load lint check reset-db bench e2e

# The address the development server's pages link to, on the port it serves.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install migrate load
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest -m e2e

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

migrate: install
	$(BIN)/python manage.py migrate --verbosity 0

load: install
	$(BIN)/python manage.py load_gfmd

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# Only the browser tests, which a bare `pytest` leaves out (`make test` runs them after the rest); they drive
# Debian's chromium at /usr/bin/chromium.
e2e: install
	$(BIN)/python -m pytest -m e2e tests/e2e

lint: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

reset-db:
	rm -f db.sqlite3
	rm -rf var/exports

# Pages at the real size and at 100x on SQLite and PostgreSQL, gunicorn under load, and Datasette
# for comparison; see docs/benchmarks.md. Needs the PostgreSQL server BENCH_POSTGRES names.
bench: install
	command -v wrk >/dev/null || apt-get install -y wrk
	command -v redis-server >/dev/null || apt-get install -y redis-server
	$(BIN)/python bench/run.py
