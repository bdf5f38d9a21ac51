"""`make bench` works: the whole benchmark suite runs at tiny sizes (a smoke run, no targets)."""

from __future__ import annotations

import subprocess
import sys


def test_the_benchmarks_run_and_print_one_table() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"],
        capture_output=True, text=True, check=True, timeout=300,
    ).stdout  # fmt: skip
    for measure in (
        "import cio_toolkit vs httpx+pydantic floor",
        "import + CustomerIOToolkit() (core reads) vs floor",
        "frameworks loaded by langchain_tools() / llamaindex_tools()",
        "call: toolkit.call vs raw",
        "pacing: 30 concurrent reads at 10/s",
        "pacing: 300 concurrent sends at 100/s",
        "job one: list + metrics for 14 running campaigns",
        "definitions: CustomerIOToolkit() (core, read-only)",
        "definitions: read_only=False (core and the writes' checks)",
        'definitions: tools="all", read_only=False',
        "output: full person profile",
        "example jobs done from these outputs alone",
        "memory: growth per extra 1,000 concurrent calls",
        "memory: peak RSS above idle under a gzip bomb",
        "memory: peak RSS above idle under a 50 MB answer",
        "pacing: 4 processes x 10 reads (Redis) at 10/s",
        "MCP: a tool call over stdio vs the SDK's minimal MCPServer",
        "MCP: a tool call over HTTP vs the SDK's minimal MCPServer",
        "MCP: start-up to a usable tools/list",
        "eval: the catalog's jobs done by the scripted stand-in",
        "tracing: a call with its spans recorded vs sampled out",
    ):
        assert measure in out, measure
    assert "0 x 429" in out and "targets are not judged" in out
