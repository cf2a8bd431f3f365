# Two commands do all set-up on a fresh Debian machine with Python 3.11: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# JupyterHub's proxy for the hub tests: node's configurable-http-proxy from npm, as JupyterHub and its Helm chart
# run it, in the virtualenv (deploy/jupyterhub_config.py finds it beside the interpreter).
PROXY := $(BIN)/configurable-http-proxy
PROXY_VERSION := 4.6.3
# Debian packages the tests need; installed as root with apt-get when missing.
DEBIAN_PACKAGES := chromium espeak-ng fonts-dejavu-core libreoffice-impress nodejs postgresql
# What `make serve` needs of them: the Swedish voice and the font of the narrated stand-in films.
SERVE_DEBIAN_PACKAGES := espeak-ng fonts-dejavu-core
# The port `make serve` listens on (127.0.0.1): `make serve PORT=9000`.
PORT ?= 8866

# Two xdist workers, one test file at a time each (its module and session fixtures are built once), the files
# with the most measured seconds first (tests/conftest.py orders them by tests/slow.txt): most tests wait on
# servers, kernels and browsers, so two workers pay even on a 2-core machine.
PARALLEL := -n 2 --dist loadfile --no-loadscope-reorder

$(PROXY): $(STAMP) | debian
	@command -v npm >/dev/null || $(MAKE) --no-print-directory debian DEBIAN_PACKAGES=npm
	npm install --silent --no-audit --no-fund --prefix $(VENV)/proxy configurable-http-proxy@$(PROXY_VERSION)
	ln -sf ../proxy/node_modules/.bin/configurable-http-proxy $@

.PHONY: serve test test-hub test-fast test-js test-postgresql lint typecheck bench given-names demo-clip debian clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip check
	touch $@

debian:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then echo "Please install as root:$$missing" >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

films/media/demo.webm: $(STAMP) src/resurskurs/films/demo_clip.py films/demo.yaml
	$(BIN)/resurskurs demo-clip

demo-clip: films/media/demo.webm

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: $(STAMP) debian $(PROXY) demo-clip lint test-js
	$(BIN)/resurskurs check
	$(BIN)/python -m pytest $(PARALLEL) --durations=30

# Everyday work: everything but the lanes that need a browser, LibreOffice, PostgreSQL, a hub or many seconds
# (markers set by tests/conftest.py), under two minutes on a 2-core machine.
test-fast: $(STAMP) debian demo-clip test-js
	$(BIN)/python -m pytest $(PARALLEL) -m "not browser and not libreoffice and not postgresql and not slow and not hub"

# The widgets' pure functions, with node's built-in test runner.
test-js: debian
	node --test tests/js/

# A real JupyterHub from deploy/jupyterhub_config.py, its hub and gradebook databases on a throwaway PostgreSQL.
test-hub: $(STAMP) debian $(PROXY)
	$(BIN)/python -m pytest -m hub tests/hub

# The gradebook tests again on a throwaway PostgreSQL server (Debian's, started by tests/databases.py).
test-postgresql: $(STAMP) debian
	RESURSKURS_TEST_DB=postgresql $(BIN)/python -m pytest tests/test_databases.py tests/test_exercises.py tests/test_tracking.py tests/test_gradebook.py tests/test_grading.py tests/test_backend_contract.py \
		tests/test_privacy_register.py tests/test_privacy_export.py tests/test_privacy_erase.py tests/test_privacy_audit.py tests/test_privacy_files.py \
		tests/test_roster_sync.py tests/test_privacy_retention.py tests/test_figure_snapshots.py tests/test_hand_in_totals.py \
		tests/test_privacy_service.py

serve: $(STAMP) demo-clip
	@$(MAKE) --no-print-directory debian DEBIAN_PACKAGES="$(SERVE_DEBIAN_PACKAGES)"
	$(BIN)/resurskurs check
	$(BIN)/resurskurs stand-ins
	$(BIN)/resurskurs demo
	$(BIN)/resurskurs serve --demo --port $(PORT)

bench: $(STAMP) debian demo-clip
	$(BIN)/python -m benchmarks

# The privacy guard's name list from Faker's name lists and Debian's Swedish word lists (names_build.py says which).
given-names: $(STAMP)
	@$(MAKE) --no-print-directory debian DEBIAN_PACKAGES="wswedish hunspell hunspell-sv-se"
	$(BIN)/python -W ignore::UserWarning -m resurskurs.tracking.names_build

clean:
	rm -rf $(VENV) var films/media/demo.webm films/media/demo.jpg
