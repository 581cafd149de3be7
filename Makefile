# Everything a fresh machine needs: `make run` serves, `make test` checks. Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATABASE := var/returns.db
HOST ?= 127.0.0.1
PORT ?= 8000
export DATABASE_URL ?= sqlite:///$(abspath $(DATABASE))
# make synth N=2000 DB=path/to.db writes a synthetic database (never the real one).
N ?= 2000
DB ?= var/synth-2k.db

.PHONY: run edge test test-record catalog messages lint types pytest seed db glossary clean browser edge-server synth bench profile soak audit lock reference

# Debian packages the tests and benchmarks need; installed only when missing (as root).
define apt_install
	@command -v $(1) >/dev/null || { [ "$$(id -u)" = 0 ] \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(2) >/dev/null; } \
	  || echo "warning: $(1) is missing and cannot be installed without root (apt-get install $(2))"
endef

# Three sets of packages, each installed once from its lock (exact versions with the hashes PyPI
# serves, so a changed file is refused): what serving needs (make run; it runs from the checkout, as
# the image does); frictionless, to validate data/ when it changes (make seed); the developer tools
# (make test, bench), then the project itself, editable, its dependencies already there.
$(VENV)/.runtime: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.edit: $(VENV)/.runtime requirements-edit.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements-edit.lock
	touch $@

# --no-build-isolation: the build backend (setuptools) comes from the hashed lock, not fetched unchecked.
# pip check: the locked versions meet pyproject.toml's ranges (a lock not remade after an edit fails here).
$(BIN)/.installed: $(VENV)/.edit requirements-dev.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $@

# The Ukrainian catalog (app/locale), compiled for the server: git keeps the .po, make compiles the .mo.
CATALOG := app/locale/uk/LC_MESSAGES/messages
$(CATALOG).mo: $(CATALOG).po $(VENV)/.runtime
	$(BIN)/pybabel compile --statistics -i $< -o $@

catalog: $(CATALOG).mo

# For a translator: extract the English msgids of app/ into messages.pot and merge them into the
# Ukrainian .po (new or changed phrases empty, removed ones kept as #~ comments); then fill in the .po and run make.
messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -w 100 --add-location=file --sort-by-file --omit-header -c "Translators:" \
	  -o app/locale/messages.pot app
	$(BIN)/pybabel update -w 100 --no-fuzzy-matching -i app/locale/messages.pot -o $(CATALOG).po -l uk

# data/ is the source of truth. `make seed` renders it and compares the result with seed.sql (the
# contents, not the files' times): the same, and nothing is done; different, and data/ is validated
# (frictionless, then the data checks) and seed.sql rewritten; a seed.sql edited by hand is refused.
# On any problem it prints one line per problem, exits 1 and leaves seed.sql as it was.
# It also rewrites docs/editing.md's glossary when data/datapackage.json's descriptions change.
seed: $(VENV)/.edit
	$(BIN)/python -m app.seed
	$(BIN)/python -m app.seed --glossary docs/editing.md

# docs/editing.md's glossary, made anew from the descriptions in data/datapackage.json.
glossary: $(VENV)/.runtime
	$(BIN)/python -m app.seed --glossary docs/editing.md

# The one way to build the database: migrations, then seed.sql, then the data checks. seed.sql is
# rewritten only when its contents change, so its time tells make whether to rebuild; DATABASE_URL's
# file is first built again if it is missing or not the one its build checked (damaged, overwritten).
db: seed
	@$(BIN)/python -m app.build_db --repair
	@$(MAKE) --no-print-directory $(DATABASE)

$(DATABASE): $(VENV)/.runtime seed.sql alembic.ini $(wildcard migrations/*.py migrations/versions/*.py) app/models.py app/checks.py app/build_db.py app/db.py
	$(BIN)/python -m app.build_db

run: db catalog
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m app.serve

# nginx on EDGE_PORT as the HTTP cache in front of the app on PORT (WEB_CONCURRENCY workers);
# deploy/nginx.conf.template is its config. Ctrl-C stops both.
EDGE_PORT ?= 8080
edge: db catalog edge-server
	HOST=$(HOST) PORT=$(PORT) EDGE_PORT=$(EDGE_PORT) $(BIN)/python -m deploy.edge

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/hadolint --failure-threshold warning Dockerfile

types: $(BIN)/.installed
	$(BIN)/mypy

browser:
	$(call apt_install,chromium,chromium)

edge-server:
	$(call apt_install,nginx,nginx)

# pytest exits 5 when it collected no tests: that is a failure here, not a pass.
pytest: $(BIN)/.installed catalog browser edge-server
	$(BIN)/coverage run -m pytest; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	  [ $$status -eq 0 ] || exit $$status
	$(BIN)/coverage report

test: lint types pytest

# The data tests alone (tests/test_record.py): what CI will say of data/ as it stands, in seconds.
test-record: db catalog $(BIN)/.installed
	$(BIN)/pytest -p no:cacheprovider tests/test_record.py

# Rewrite the recording of every answer (tests/__snapshots__/test_reference/) after a deliberate change;
# review its diff before committing it.
reference: $(BIN)/.installed catalog
	$(BIN)/pytest tests/test_reference.py --snapshot-update

synth: $(BIN)/.installed
	$(BIN)/python -m bench.synth --events $(N) --database $(DB)

var/synth-2k.db: $(BIN)/.installed bench/synth.py $(wildcard migrations/versions/*.py) app/checks.py app/build_db.py app/db.py
	$(BIN)/python -m bench.synth --events 2000 --database $@

# Project vs. the floor (a constant-body FastAPI route), real data and 2,000 events; see docs/benchmarks.md.
# Then the edge: nginx's cached answers against the same limit, and how many requests reach the app.
bench: db catalog var/synth-2k.db $(BIN)/.installed edge-server
	$(call apt_install,wrk,wrk)
	$(BIN)/python -m bench.run --database $(DATABASE) --synthetic var/synth-2k.db
	$(BIN)/python -m bench.edge --database $(DATABASE)

# Where one uncached request spends its time (pyinstrument, in-process): make profile URL=/stats/summary
URL ?= /stats/yearly?as_of=2025-06-01
profile: db catalog $(BIN)/.installed
	$(BIN)/python -m bench.profile "$(URL)"

# 64 connections for 60 s over every read endpoint: zero errors, memory within 10%.
soak: db catalog $(BIN)/.installed
	$(call apt_install,wrk,wrk)
	$(BIN)/python -m bench.soak --database $(DATABASE)

# Known vulnerabilities in every pinned version, from what PyPI's JSON API serves; a pin it cannot
# check is named, and the exit status says so (0 clean, 1 vulnerable, 2 something unchecked).
audit:
	$(PYTHON) scripts/audit.py requirements.lock requirements-edit.lock requirements-dev.lock

# Re-pin the three locks from pyproject.toml's ranges with uv (one resolution valid on every platform
# and Python >= 3.11, hashes from PyPI alone: no local index or pip.conf takes part). Each lock is
# constrained by the one below it, so a package has one version in all three. A pin already in a
# lock is kept unless a range excludes it; UPGRADE=1 takes the newest versions the ranges allow.
UV_VERSION := 0.13.10
LOCK = var/lock-venv/bin/uv pip compile --quiet --no-config --system-certs --universal --python-version 3.11 \
  --generate-hashes --custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade) pyproject.toml
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv && var/lock-venv/bin/pip install --quiet uv==$(UV_VERSION)
	$(LOCK) -o requirements.lock
	$(LOCK) --extra edit -c requirements.lock -o requirements-edit.lock
	$(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	  | $(LOCK) - --extra edit --extra dev -c requirements-edit.lock -o requirements-dev.lock
	rm -rf var/lock-venv

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .coverage
