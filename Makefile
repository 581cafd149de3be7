# Everything a fresh machine needs: `make run` serves, `make test` checks. Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= var/returns.db
HOST ?= 127.0.0.1
PORT ?= 8000
export DATABASE_URL ?= sqlite:///$(abspath $(DB))

.PHONY: run test lint types pytest db clean browser

# Debian packages the tests and benchmarks need; installed only when missing (as root).
define apt_install
	@command -v $(1) >/dev/null || { [ "$$(id -u)" = 0 ] \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(2) >/dev/null; } \
	  || echo "warning: $(1) is missing and cannot be installed without root (apt-get install $(2))"
endef

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The one way to build the database: migrations, then seed.sql, then the data checks.
$(DB): $(BIN)/.installed seed.sql alembic.ini $(wildcard migrations/*.py migrations/versions/*.py) app/models.py app/checks.py app/build_db.py
	$(BIN)/python -m app.build_db

db: $(DB)

run: $(DB)
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m app.serve

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(BIN)/.installed
	$(BIN)/mypy

browser:
	$(call apt_install,chromium,chromium)

# pytest exits 5 when it collected no tests: that is a failure here, not a pass.
pytest: $(BIN)/.installed browser
	$(BIN)/coverage run -m pytest; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	  [ $$status -eq 0 ] || exit $$status
	$(BIN)/coverage report

test: lint types pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .coverage
