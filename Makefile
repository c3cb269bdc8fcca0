# Two commands on a fresh machine: `make run` and `make test`. Everything else is set up on the way.
VENV   ?= .venv
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 5000
KB     := $(VENV)/bin/kb
MO     := translations/en/LC_MESSAGES/messages.mo

.PHONY: run dev test test-fast setup db check-seed messages clean bench loadtest

$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed $(MO)

# The English UI catalogue, compiled from its .po (the .mo is a build artefact, not committed).
$(MO): translations/en/LC_MESSAGES/messages.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d translations

# After adding or changing a UI string: extract every msgid, merge them into the English .po, then translate.
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k lazy_gettext --no-wrap --sort-by-file --project=Opgavebasen \
		-o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-wrap --no-fuzzy-matching

# Migrate the database ($$KB_DATABASE_URL, default SQLite in instance/) and load the seed knowledge.
db: setup
	$(KB) db upgrade
	$(KB) seed

run: db
	$(VENV)/bin/gunicorn -c python:kb.gunicorn_conf --bind $(HOST):$(PORT) --workers 2 'kb.app:create_app()'

dev: db
	$(KB) run --debug --host $(HOST) --port $(PORT)

check-seed: setup
	$(KB) check-seed

# One pytest worker per core (pytest-xdist); PYTEST_WORKERS=0 runs in this process, e.g. for a debugger.
PYTEST_WORKERS ?= auto
test: db
	$(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Quick feedback, under 2 minutes on 2 cores: the unit, integration and security tests on SQLite only, without the
# tests marked slow (real gunicorn servers, big imports, PDF layout, the benchmark) and without the browser, the
# engine's properties at 50 examples instead of 200; `make test` (CI) runs all of it on both engines. Or only the
# paths given, e.g. make test-fast PYTEST_ARGS=tests/unit. The tests make their own databases: setup, not db.
test-fast: setup
	KB_PROPERTY_EXAMPLES=50 $(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal -q --backend sqlite \
		-m "not slow" $(if $(PYTEST_ARGS),$(PYTEST_ARGS),tests/unit tests/integration tests/search tests/security)

# Benchmark on a synthetic national-size catalogue, SQLite and (when the server binaries exist) PostgreSQL; prints
# the figures and writes docs/benchmark.md. Scale down: make bench BENCH_ARGS="--tasks 5000 --queries 50 --duration 5".
# wrk drives the load test; as root with apt-get it is installed here, otherwise the load figures say they were skipped.
bench: setup
	$(VENV)/bin/python -c 'import pyinstrument, pypdf' 2>/dev/null || $(VENV)/bin/pip install -q -e '.[test,bench]'
	command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ apt-get install -y -q wrk || { apt-get update -q && apt-get install -y -q wrk; }; }; } || \
		echo "wrk is not installed: the load figures will be skipped"
	$(VENV)/bin/python -m benchmark run $(BENCH_ARGS)

# Many users at once against gunicorn + a throw-away PostgreSQL (tests/load/mixed.py): reads and plan edits, then
# every confirmed edit is counted in the database. make loadtest LOAD_ARGS="--users 50 --seconds 60".
LOAD_ARGS ?= --users 50 --seconds 60
loadtest: setup
	$(VENV)/bin/python -m tests.load.mixed $(LOAD_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
