# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app

.PHONY: run test test-cluster install install-test lint loader migration translations clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/activate
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/activate node_modules/.bin/esbuild
	$(BIN)/pip install --quiet -e '.[test]'

# esbuild, pinned in package-lock.json: builds the page scripts (tests rebuild and compare).
node_modules/.bin/esbuild: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

## Create the venv, set up the database with the demo, and serve on http://127.0.0.1:5000
run: install
	$(FLASK) setup --demo
	@echo ""
	@echo "  Ad Manager: http://127.0.0.1:5000/  (first visit: create the admin account)"
	@echo "  Demo article page: http://127.0.0.1:5000/demo/article"
	@echo ""
	$(FLASK) run --host 127.0.0.1 --port 5000

## Lint, then run the whole test suite
# It includes the cluster-and-faults test (marker `slow`, 2 to 3 minutes: nginx, two app
# servers, workers killed, Redis and PostgreSQL stopped); `make test-cluster` runs it alone.
PYTEST_ARGS ?= --durations=15

test: install-test
	$(BIN)/ruff check .
	$(FLASK) translations compile > /dev/null
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .

## Rebuild static/embed.js and static/embed-head.js from static/embed-src/
loader: install node_modules/.bin/esbuild
	$(FLASK) build-loader

## Rewrite the initial migration from the models (before the first release only)
migration: install
	rm -f ad_manager/migrations/versions/0001_initial_schema.py
	DATABASE_URL=sqlite:///$$(mktemp -u /tmp/adm-migration-XXXXXX.sqlite3) $(FLASK) db revision --autogenerate --rev-id 0001 -m "initial schema"

translations: install
	$(FLASK) translations compile

## Two app servers behind nginx with workers killed and Redis/PostgreSQL stopped (minutes)
test-cluster: install-test
	$(BIN)/python -m pytest -m slow -s tests/serving/test_cluster.py
