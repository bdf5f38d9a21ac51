"""`cio-toolkit mcp` with the clients people use, each where it installs: the 2.x SDK in each
protocol era (2026-07-28, 2025-11-25, 2025-06-18), the 1.x SDK and langchain-mcp-adapters from a
venv of their own (they require mcp<2), LangChain's own adapter, llama-index-tools-mcp, and the
MCP Inspector."""

from __future__ import annotations

import json
import os
import subprocess
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest

from cio_toolkit import REGISTRY, CustomerIOToolkit
from cio_toolkit.jobs import NEWSLETTER_REPORT, SEGMENT_SIZE, example_jobs
from cio_toolkit.mcp_server import TOOL_LIST_TTL_MS
from cio_toolkit.sandbox import Sandbox
from tests.cases import CORE_READS
from tests.mcp_clients import TRANSPORTS, served
from tests.servers import (
    INITIALIZE,
    INITIALIZED,
    MCP_COMMAND,
    REQUIRED_VARIABLE,
    McpHttpServer,
    clean_environment,
    rpc,
)

ROOT = Path(__file__).parent.parent
INSPECTOR = ROOT / ".venv" / "npm" / "node_modules" / ".bin" / "mcp-inspector"
# The venv `make test` builds for the clients that still require mcp<2.
MCP1_PYTHON = ROOT / ".venv" / "clients" / "mcp1" / "bin" / "python"
SIZE = {"segment_id": 2, "name": "Pro plan", "count": 172}  # segment 2 of the seeded workspace
MISSING = "Customer.io has no segment 987654; list segments to find valid ids."
EVERY_READ = ("--tools", "all")
MODERN = "2026-07-28"


def every_read() -> list[str]:
    return [spec.name for spec in CustomerIOToolkit.sandbox(tools="all").specs]


# -- the 2.x SDK's client, in each era of the protocol -----------------------------------------


@pytest.mark.parametrize(("mode", "version"), [(MODERN, MODERN), ("auto", MODERN),
                                               ("legacy", "2025-11-25")])  # fmt: skip
@TRANSPORTS
async def test_the_2x_client_in_each_mode_lists_and_calls(
    transport: str, mode: str, version: str
) -> None:
    """`auto` discovers (`server/discover`) and so speaks 2026-07-28: no `initialize`, each
    request carrying its version; `legacy` is the handshake of 2025-11-25."""
    async with served(transport, "--sandbox", *EVERY_READ, mode=mode) as client:
        listed = await client.list_tools()
        size = await client.call_tool("customerio_get_segment_size", {"segment_id": 2})
        missing = await client.call_tool("customerio_get_segment_size", {"segment_id": 987654})
        assert client.protocol_version == version
        if mode != MODERN:  # told it the version, the client asks nothing before its call
            assert client.server_info is not None and client.server_info.name == "cio-toolkit"
    assert [tool.name for tool in listed.tools] == every_read()  # the same order every time
    assert size.structured_content == SIZE and not size.is_error
    assert missing.is_error and missing.content[0].text == MISSING  # type: ignore[union-attr]
    if version == MODERN:  # the list is the same for every client and for five minutes
        assert (listed.ttl_ms, listed.cache_scope) == (TOOL_LIST_TTL_MS, "public")


def _modern(number: int, method: str, **params: Any) -> dict[str, Any]:
    """A 2026-07-28 request: no session, the version and the client in its own `_meta`."""
    meta = {"io.modelcontextprotocol/protocolVersion": MODERN,
            "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "1"},
            "io.modelcontextprotocol/clientCapabilities": {}}  # fmt: skip
    return rpc(number, method, **params, _meta=meta)


def test_2026_07_28_over_http_byte_for_byte_with_no_initialize() -> None:
    headers = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": MODERN}
    with McpHttpServer("--sandbox") as server:

        def post(message: dict[str, Any]) -> dict[str, Any]:
            method = {"Mcp-Method": message["method"]}  # routing headers, as 2026-07-28 has
            if "name" in message["params"]:
                method["Mcp-Name"] = message["params"]["name"]
            said = httpx.post(server.url, json=message, headers={**headers, **method}, timeout=10)
            assert said.status_code == 200, said.text
            return dict(said.json())

        discovered = post(_modern(1, "server/discover"))["result"]
        listed = [post(_modern(2, "tools/list"))["result"] for _ in range(2)]
        called = post(_modern(3, "tools/call", name="customerio_list_segments",
                              arguments={"name": "VIP"}))["result"]  # fmt: skip
    assert MODERN in discovered["supportedVersions"]
    assert discovered["capabilities"]["tools"] == {"listChanged": False}
    assert "Read-only tools for one Customer.io workspace" in discovered["instructions"]
    assert listed[0] == listed[1] and [tool["name"] for tool in listed[0]["tools"]] == CORE_READS
    # Five minutes, as the README says, for any client (the same list for every caller).
    assert (listed[0]["ttlMs"], listed[0]["cacheScope"]) == (TOOL_LIST_TTL_MS, "public")
    assert TOOL_LIST_TTL_MS == 5 * 60 * 1000
    assert called["structuredContent"]["count"] == 1 and called["isError"] is False


@pytest.mark.parametrize("version", ["2025-06-18", "2025-03-26"])
def test_an_older_clients_handshake_over_stdio_gets_its_own_version(version: str) -> None:
    """What clients of 2025 still send: `initialize` with their version, answered in it."""
    initialize = {**INITIALIZE, "params": {**INITIALIZE["params"], "protocolVersion": version}}
    with subprocess.Popen([*MCP_COMMAND, "--sandbox"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          env=clean_environment()) as server:  # fmt: skip
        assert server.stdin is not None and server.stdout is not None
        for message in (initialize, INITIALIZED, rpc(1, "tools/list")):
            server.stdin.write(json.dumps(message).encode() + b"\n")
        server.stdin.flush()
        said = [json.loads(server.stdout.readline()) for _ in range(2)]
        server.stdin.close()
    assert said[0]["result"]["protocolVersion"] == version
    assert [tool["name"] for tool in said[1]["result"]["tools"]] == CORE_READS
    assert "ttlMs" not in said[1]["result"]  # a field of 2026-07-28 only


# -- the 1.x SDK and langchain-mcp-adapters, from their own venv -------------------------------


@pytest.fixture
def mcp1_python() -> Path:
    if not MCP1_PYTHON.exists():
        if os.environ.get(REQUIRED_VARIABLE):
            pytest.fail(f"{MCP1_PYTHON} is missing; CI must run the 1.x clients")
        pytest.skip("the venv of the 1.x MCP clients is missing (make test builds it)")
    return MCP1_PYTHON


def _from_the_1x_venv(python: Path, client: str, transport: str, *target: str) -> Any:
    """tests/clients/mcp1.py run by the 1.x venv's Python, against this venv's server."""
    ran = subprocess.run(
        [str(python), str(ROOT / "tests" / "clients" / "mcp1.py"), client, transport, *target],
        capture_output=True, text=True, timeout=120, env=clean_environment(),
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


@TRANSPORTS
@pytest.mark.parametrize("client", ["sdk", "langchain"])
def test_the_1x_sdk_and_langchain_mcp_adapters_list_and_call(
    mcp1_python: Path, client: str, transport: str
) -> None:
    command = [str(ROOT / MCP_COMMAND[0]), *MCP_COMMAND[1:], "--sandbox", *EVERY_READ]
    if transport == "stdio":
        said = _from_the_1x_venv(mcp1_python, client, "stdio", *command)
    else:
        with McpHttpServer("--sandbox", *EVERY_READ) as server:
            said = _from_the_1x_venv(mcp1_python, client, "http", server.url)
    assert said["tools"] == every_read()
    if client == "sdk":  # the 1.x client checks structured content against the output schema
        assert (said["protocol_version"], said["server"]) == ("2025-11-25", "cio-toolkit")
        assert all(said["read_only"])
        assert said["size"] == {"is_error": False, "structured": SIZE}
        assert said["missing"] == {"is_error": True, "text": MISSING}
    else:  # what the model reads
        assert json.loads(said["size"]) == SIZE and said["missing"] == MISSING


# -- agents through MCP ------------------------------------------------------------------------


async def test_a_langchain_agent_through_langchains_own_mcp_adapter() -> None:
    from langchain.agents import create_agent
    from langchain_core._api import LangChainBetaWarning

    from langchain_customerio.testing import ScriptedChatModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LangChainBetaWarning)
        from langchain.mcp import MCPAdapter

    config = {"mcpServers": {"customerio": {
        "command": str(ROOT / MCP_COMMAND[0]), "args": [*MCP_COMMAND[1:], "--sandbox", *EVERY_READ],
        "env": clean_environment()}}}  # fmt: skip
    async with MCPAdapter(config) as adapter:
        tools = await adapter.list_tools()
        agent = create_agent(ScriptedChatModel(script=example_jobs), tools=tools)
        state = await agent.ainvoke({"messages": [{"role": "user", "content": SEGMENT_SIZE}]})
    assert [tool.name for tool in tools] == every_read()
    pro = len(Sandbox().members(2))
    assert state["messages"][-1].content == f'{pro:,} people are in the segment "Pro plan" (2).'


async def test_a_llamaindex_agent_through_llama_index_tools_mcp() -> None:
    from llama_index.core.agent.workflow import FunctionAgent
    from llama_index.tools.mcp import BasicMCPClient, McpToolSpec

    from llama_index.tools.customerio.testing import scripted_llm

    client = BasicMCPClient(MCP_COMMAND[0], args=[*MCP_COMMAND[1:], "--sandbox", "--tools", "all"],
                            env=clean_environment())  # fmt: skip
    tools = await McpToolSpec(client=client).to_tool_list_async()
    agent = FunctionAgent(tools=tools, llm=scripted_llm(example_jobs))
    answer = str(await agent.run(user_msg=NEWSLETTER_REPORT))
    expected = json.loads(
        CustomerIOToolkit.sandbox(Sandbox(rate_limits=False), tools="all").call(
            "customerio_get_newsletter_metrics", {"newsletter_id": 204, "days": 30}
        )
    )
    assert answer.startswith('"Product update: automations" (204), sent ')
    assert f"open rate {expected['rates']['open_rate']:.1%}" in answer


# -- the MCP Inspector -----------------------------------------------------------------------------


@pytest.fixture
def inspector() -> Path:
    if not INSPECTOR.exists():
        if os.environ.get(REQUIRED_VARIABLE):
            pytest.fail(f"{INSPECTOR} is missing; CI must run the MCP Inspector")
        pytest.skip("the MCP Inspector is not installed (make installs it where npm exists)")
    return INSPECTOR


def _inspect(inspector: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(inspector), "--cli", *arguments],
        capture_output=True, text=True, timeout=120, env=clean_environment(), cwd=ROOT,
    )  # fmt: skip


def test_the_mcp_inspector_lists_and_calls_over_stdio(inspector: Path) -> None:
    server = [*MCP_COMMAND, "--sandbox", "--tools", "all", "--write"]
    listed = _inspect(inspector, "--strict", *server, "--method", "tools/list")
    assert listed.returncode == 0, listed.stderr
    # --strict: the Inspector's own portability check of every schema finds nothing.
    assert "Warning" not in listed.stderr and "rror" not in listed.stderr
    assert [t["name"] for t in json.loads(listed.stdout)["tools"]] == list(REGISTRY)
    called = _inspect(inspector, *server, "--method", "tools/call", "--tool-name",
                      "customerio_get_segment_size", "--tool-arg", "segment_id=2")  # fmt: skip
    assert json.loads(called.stdout)["structuredContent"] == {
        "segment_id": 2,
        "name": "Pro plan",
        "count": 172,
    }


def test_the_mcp_inspector_over_http_with_a_token(inspector: Path) -> None:
    with McpHttpServer("--sandbox", "--token", "inspector-token") as server:
        auth = ("--header", "Authorization: Bearer inspector-token")
        listed = _inspect(inspector, server.url, *auth, "--method", "tools/list")
        refused = _inspect(inspector, server.url, "--method", "tools/list")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)["tools"]) == len(CORE_READS)
    assert refused.returncode != 0
