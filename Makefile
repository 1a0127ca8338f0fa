# Zhichao: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := backend:create_app
PG_ADMIN_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
REDIS_URL_TEST ?= redis://127.0.0.1:6379/15

.PHONY: run test setup system-deps venv node lint bench simulate audit clean

setup: system-deps venv node

## System packages: SpatiaLite for the embedded mode, PostGIS and Chromium for the test suite.
system-deps:
	@bash tools/system_deps.sh $(if $(filter test,$(MAKECMDGOALS)),--test,)

$(BIN)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

venv: $(BIN)/.installed

pwa/node_modules/.installed: pwa/package.json pwa/package-lock.json
	cd pwa && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## The officer app's modules, bundled into one file (one request instead of fifteen on a slow link).
pwa/app/dist/app.js: pwa/node_modules/.installed $(filter-out pwa/app/sw.js,$(wildcard pwa/app/*.js))
	cd pwa && npm run --silent build

node: pwa/node_modules/.installed pwa/app/dist/app.js

## Serve the demo: embedded SpatiaLite in instance/, demo data, every role. RESET=1 starts afresh,
## SIMULATE=1 also replays demo traffic.
run: setup
	@if [ "$(RESET)" = "1" ]; then rm -f instance/zhichao.sqlite instance/zhichao.sqlite-*; echo "instance/ reset"; fi
	ZHICHAO_DEMO=1 $(BIN)/flask db upgrade
	ZHICHAO_DEMO=1 $(BIN)/flask demo seed
	@echo "Zhichao demo: http://$(HOST):$(PORT)/  API docs: http://$(HOST):$(PORT)/api/docs  (users: see README)"
	@if [ "$(SIMULATE)" = "1" ]; then (sleep 3; ZHICHAO_DEMO=1 $(BIN)/flask demo simulate --url http://$(HOST):$(PORT)) & fi; \
	ZHICHAO_DEMO=1 HOST=$(HOST) PORT=$(PORT) exec $(BIN)/python wsgi.py

simulate: venv
	ZHICHAO_DEMO=1 $(BIN)/flask demo simulate --url http://$(HOST):$(PORT)

## The whole suite against real SpatiaLite, PostGIS and Redis (fails, never skips, when one is missing).
test: setup
	$(BIN)/python tools/check_services.py
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)
	$(BIN)/ruff check backend tests bench tools migrations/env.py
	$(BIN)/mypy

lint: venv
	$(BIN)/ruff check backend tests bench tools migrations/env.py
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/bench_matcher.py
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_pwa.py

audit: venv
	ZHICHAO_DEMO=1 $(BIN)/flask audit verify

clean:
	rm -rf $(VENV) pwa/node_modules .pytest_cache .mypy_cache .ruff_cache
