# The README's two commands: `make demo` and `make test`. Both install everything first
# (as root on Debian: apt for Dafny; pip for the project; registries for the rest).
PYTHON ?= python3
# Two workers; whole files per worker so expensive module fixtures (warm Dafny and Lean
# sessions) are built once. About 40 min on 2 cores (3031 tests, 39:19 measured 2026-12-07).
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: install demo test lint

install:
	@# Debian's own python3 runs sandboxed code under a private uid (it cannot reach a user's venv);
	@# PostgreSQL is the job store for teams (the service tests start a private cluster);
	@# chromium is the real browser the run viewer's test drives through Playwright (never its own browser builds).
	@{ command -v dafny && test -x /usr/bin/python3 && test -x /usr/lib/postgresql/15/bin/initdb && test -x /usr/bin/chromium; } >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dafny python3 postgresql chromium; }
	$(PYTHON) -m pip install -q -e '.[dev,scale]'
	proofroute setup

demo: install
	proofroute spec check specs/examples/*.toml
	proofroute demo

test: install
	$(PYTHON) -m pytest $(PYTEST_ARGS)

lint:
	ruff check .
