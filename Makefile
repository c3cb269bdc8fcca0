# Two commands on a fresh machine: `make run` and `make test`. Everything else is set up on the way.
VENV   ?= .venv
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 5000
KB     := $(VENV)/bin/kb

.PHONY: run dev test setup db check-seed clean

$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# Migrate the database ($$KB_DATABASE_URL, default SQLite in instance/) and load the seed knowledge.
db: setup
	$(KB) db upgrade
	$(KB) seed

run: db
	$(VENV)/bin/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - 'kb:create_app()'

dev: db
	$(KB) run --debug --host $(HOST) --port $(PORT)

check-seed: setup
	$(KB) check-seed

test: db
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
