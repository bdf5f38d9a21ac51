# The README's commands. Each one sets up .venv first when it is missing or stale.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench generate clean

# The core and both framework packages, editable from this clone: the core's extras name the
# framework packages, and pip takes them from the local folders given beside it.
ADAPTERS := adapters/langchain_customerio adapters/llama_index

# The MCP Inspector (a real MCP client, from npm) for the suite's MCP tests, where npm exists;
# those tests skip without it, except in CI, where .ci/run makes sure Node.js is there.
INSPECTOR := @modelcontextprotocol/inspector@2.12.0

$(STAMP): pyproject.toml $(addsuffix /pyproject.toml,$(ADAPTERS))
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all,dev]' $(addprefix -e ,$(ADAPTERS))
	@if command -v npm >/dev/null 2>&1; then \
		npm install --prefix $(VENV)/npm --no-fund --no-audit --loglevel=error $(INSPECTOR); fi
	@touch $(STAMP)

# The MCP clients that still require mcp<2 (the 1.x SDK's own, langchain-mcp-adapters), in a venv
# of their own as their users have them: the suite runs them against this venv's server.
MCP1 := $(VENV)/clients/mcp1
MCP1_STAMP := $(MCP1)/.installed

$(MCP1_STAMP): Makefile
	@test -x $(MCP1)/bin/python || $(PYTHON) -m venv $(MCP1)
	$(MCP1)/bin/python -m pip install --quiet 'mcp>=1.20,<2' 'langchain-mcp-adapters>=0.3' \
		'langchain-core>=1,<2'
	@touch $(MCP1_STAMP)

# The demo needs the core alone (the sandbox and the scripted stand-in are in it): a first run
# installs three libraries, not the test stack.
DEMO_STAMP := $(VENV)/.demo

$(DEMO_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e .
	@touch $(DEMO_STAMP)

install: $(STAMP)

demo: $(DEMO_STAMP)
	$(BIN)/cio-toolkit demo

# On every core (worksteal: the slow end-to-end tests do not hold a worker's queue back), with
# the ten slowest tests named.
test: $(STAMP) $(MCP1_STAMP)
	$(BIN)/python -m pytest -n auto --dist worksteal --durations=10

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python .ci/methods.py --check

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Rewrites cio_toolkit/_methods.py (the clients' methods) from the operation registry; `make lint`
# fails when it has drifted.
generate: $(STAMP)
	$(BIN)/python .ci/methods.py

clean:
	rm -rf $(VENV) build dist *.egg-info
