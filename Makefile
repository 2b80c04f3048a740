# Harmonie — two commands for a newcomer: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FRONTEND_SOURCES := $(shell find frontend -type f 2>/dev/null)
ADDRPORT ?= 127.0.0.1:8000

.PHONY: run test setup setup-test assets system-packages migrate demo bench schema worker clean help audit fuzz load

help:
	@echo "make run    - installeer alles, maak de demo en start Harmonie op http://$(ADDRPORT)"
	@echo "make test   - installeer alles en draai de volledige testsuite"
	@echo "make bench  - draai de benchmarks (met de vergelijkingstools in dezelfde run)"
	@echo "make fuzz   - bestook elke importer met kapotte en vijandige invoer (apart van make test)"
	@echo "make load   - belastingstest: 50 gebruikers tegen PostgreSQL op 127.0.0.1 (apart van make test)"
	@echo "make schema - genereer openapi.yaml opnieuw uit de code"
	@echo "make audit  - controleer de Python- en npm-afhankelijkheden op bekende kwetsbaarheden"

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/.built: node_modules/.installed $(FRONTEND_SOURCES)
	npm run --silent build
	touch $@

assets: build/static/.built

setup: $(VENV)/.installed assets

setup-test: $(VENV)/.installed-test assets system-packages

system-packages:
	@bash scripts/ensure-system-packages.sh

migrate: setup
	$(BIN)/harmonie migrate --no-input -v 0

demo: migrate
	$(BIN)/harmonie demo

run: demo
	@echo "Harmonie start op http://$(ADDRPORT)/ (stoppen met Ctrl+C)"
	$(BIN)/harmonie serve $(ADDRPORT)

worker: migrate
	$(BIN)/harmonie worker

test: setup-test
	bash scripts/run-tests.sh

bench: setup-test
	$(BIN)/python benchmarks/run.py

# Fuzzing (docs/belasting-en-fuzzing.md): FUZZ_PARSER_CASES, FUZZ_SERVICE_CASES, FUZZ_WORKERS, HYPOTHESIS_PROFILE.
fuzz: setup-test
	$(BIN)/python -m fuzz.run

# Load test against PostgreSQL (LOAD_DATABASE_URL, LOAD_USERS, LOAD_RATE, LOAD_SECONDS; see the manual page).
load: setup-test
	$(BIN)/python -m load.run

# pip-audit + npm audit: fails on found vulnerabilities; only warns when the advisory database is
# unreachable (HARMONIE_AUDIT_STRICT=1 makes that fail too). See scripts/security-audit.py.
audit: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python scripts/security-audit.py

schema: setup
	$(BIN)/harmonie spectacular --file openapi.yaml --validate

clean:
	rm -rf $(VENV) node_modules build var .pytest_cache test-artifacts bench-results
