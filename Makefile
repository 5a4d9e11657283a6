# Every target installs what it needs into .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080
FIXTURES ?= fixtures/default.yaml
PROFILE ?= quick
STATE ?=
SOAK_S ?= 60
REDOCLY_VERSION := 2.77.0

.PHONY: help install sandbox test conformance conformance-repeat contract-diff selftest lint bench fuzz soak screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the sandbox and the kit (editable, with dev tools)

sandbox: $(STAMP)  ## serve the sandbox on HOST:PORT with FIXTURES (STATE=path: durable), in the foreground (Ctrl+C stops it)
	$(BIN)/ledgerhq-sandbox serve --host $(HOST) --port $(PORT) --fixtures $(FIXTURES) $(if $(STATE),--state $(STATE))

# pytest exits 5 when it collected nothing: that is a failure here, never a pass.
test: $(STAMP)  ## run every test (pytest over tests/)
	$(BIN)/python -m pytest -q -p no:cacheprovider

# Options pass through: SEED, RULES (comma-separated), REPORT_DIR, QUIET=1, and REPORT (deprecated).
# make turns any failing command into its own exit status 2: CI should call ledgerhq-conformance directly.
conformance: $(STAMP)  ## run the conformance suite (against BASE_URL and TOKEN, else a fresh sandbox)
	$(BIN)/ledgerhq-conformance $(if $(BASE_URL),--base-url $(BASE_URL)) $(if $(TOKEN),--token $(TOKEN)) \
		$(if $(COMPANY_ID),--company-id $(COMPANY_ID)) $(if $(OTHER_TOKEN),--other-token $(OTHER_TOKEN)) \
		$(if $(OTHER_COMPANY_ID),--other-company-id $(OTHER_COMPANY_ID)) $(if $(API_KEY),--api-key $(API_KEY)) \
		$(if $(ORGANIZATION_ID),--organization-id $(ORGANIZATION_ID)) $(if $(MCP_TOKEN),--mcp-token $(MCP_TOKEN)) --profile $(PROFILE) \
		$(if $(SEED),--seed $(SEED)) $(if $(RULES),--rules $(RULES)) $(if $(REPORT_DIR),--report-dir $(REPORT_DIR)) \
		$(if $(filter-out 0,$(QUIET)),--quiet) $(if $(REPORT),--report $(REPORT)) \
		$(if $(CONTRACT),--contract $(CONTRACT)) \
		$(if $(INCLUDE),--include-operation $(INCLUDE)) $(if $(EXCLUDE),--exclude-operation $(EXCLUDE)) \
		$(if $(BASELINE),--baseline $(BASELINE)) $(if $(WRITE_BASELINE),--write-baseline)

# The quick profile RUNS times in a row against one sandbox that is never reset (default 50).
RUNS ?= 50
conformance-repeat: $(STAMP)  ## run the quick profile RUNS times (default 50) against one sandbox never reset
	REPEAT_RUNS=$(RUNS) $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_conformance_field.py -k repeated_runs

# OLD: a git ref (HEAD~1, a tag) or a file; NEW: the same, by default the contract of this tree. Exit 1 on a
# breaking change.
contract-diff: $(STAMP)  ## list breaking changes of the contract between OLD and NEW (a git ref or a file)
	$(if $(OLD),,$(error give OLD=<git ref or file>, e.g. make contract-diff OLD=HEAD~1))
	$(BIN)/ledgerhq-conformance diff $(OLD) $(or $(NEW),ledgerhq_contract/openapi.json) $(if $(FORMAT),--format $(FORMAT))

selftest: $(STAMP)  ## prove each check: the suite passes the sandbox and fails each faulty server
	$(BIN)/python -m faults.selftest --all-rules

lint: $(STAMP)  ## lint openapi.json (openapi-spec-validator, Redocly CLI)
	$(BIN)/python -m openapi_spec_validator openapi.json
	npx --yes @redocly/cli@$(REDOCLY_VERSION) lint --config redocly.yaml openapi.json

# One table and benchmarks/results.json: the sandbox beside Prism (installed into build/prism/ on first use)
# and a bare ASGI app, wrk on its own core (apt-get installs it when missing), the layers, start-up, the suite.
BENCH ?=
bench: $(STAMP)  ## the sandbox beside Prism and a bare ASGI app, in one table (BENCH=quick: a fast look)
	BENCH=$(BENCH) $(BIN)/python -m benchmarks.run

# Schemathesis' own CLI on a fresh sandbox: every check for FUZZ_TIME s, then >= 5,000 negative requests (no 5xx).
FUZZ_TIME ?= 240
fuzz: $(STAMP)  ## Schemathesis' own CLI, every check, then 5,000+ negative requests (not in make test)
	$(BIN)/python -m tools.fuzz --max-time $(FUZZ_TIME)

# A mixed load from 32 clients for SOAK_S seconds on 127.0.0.1, then the invariants.
soak: $(STAMP)  ## a mixed load from 32 clients for SOAK_S seconds, then the books' invariants
	SOAK_S=$(SOAK_S) $(BIN)/python -m benchmarks.soak

# Headless Debian chromium (apt-get install -y chromium when missing, as root), 127.0.0.1 only.
screenshots: $(STAMP)  ## retake docs/docs-page.png (the API docs) and docs/report-screenshot.png (a fresh HTML report)
	$(BIN)/python -m tools.screenshots --out docs

clean:  ## remove .venv, caches and reports
	rm -rf $(VENV) .pytest_cache .hypothesis reports

help:  ## list the targets, one line each
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /\1\t/' | expand -t 22
