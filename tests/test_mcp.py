"""`cio-toolkit mcp` as a client sees it, through the official 2.x SDK's client over stdio and
streamable HTTP, and byte for byte: tools, answers, errors, writes, limits, tokens, start-up.
Other clients and older protocol versions: test_mcp_clients.py."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from cio_toolkit import REGISTRY, CustomerIOToolkit, ToolOutput
from cio_toolkit.sandbox import Sandbox, SandboxServer
from tests.cases import CORE_READS, EVERY_TOOL_ONCE, SEND
from tests.conftest import API_KEY
from tests.mcp_clients import TRANSPORTS, over_http, served, stdio
from tests.servers import (
    INITIALIZE,
    INITIALIZED,
    MCP_COMMAND,
    McpHttpServer,
    clean_environment,
    rpc,
)

ROOT = Path(__file__).parent.parent
INSPECTOR = ROOT / ".venv" / "npm" / "node_modules" / ".bin" / "mcp-inspector"
EVERY_TOOL = ("--tools", "all", "--write")
# Tools whose output does not move with the clock: compared word for word with the toolkit's.
STABLE = ("customerio_list_segments", "customerio_get_segment_size",
          "customerio_list_transactional_messages", "customerio_get_transactional_message",
          "customerio_get_person_segments", "customerio_list_campaigns")  # fmt: skip


def local(**options: Any) -> CustomerIOToolkit:
    """The same toolkit in this process, on its own sandbox: what the server should say."""
    return CustomerIOToolkit.sandbox(Sandbox(rate_limits=False), rate_limit=False, **options)


def text_of(result: Any) -> str:
    (content,) = result.content
    return str(content.text)


# -- what a client is shown ------------------------------------------------------------------------


@TRANSPORTS
async def test_the_tools_listed_are_the_toolkits_with_schemas_and_annotations(
    transport: str,
) -> None:
    async with served(transport, "--sandbox", *EVERY_TOOL) as session:
        listed = (await session.list_tools()).tools
    kit = local(read_only=False, tools="all")
    assert [tool.name for tool in listed] == list(REGISTRY)
    for tool in listed:
        spec, op = kit.spec(tool.name), REGISTRY[tool.name]
        assert (tool.description, tool.input_schema) == (spec.description, spec.parameters)
        assert tool.output_schema == spec.output_schema == op.output_schema
        hints = tool.annotations
        assert hints is not None and hints.title == tool.title and tool.title
        if op.is_write:  # the specification's meanings: it changes things, for good, outside
            assert (hints.read_only_hint, hints.destructive_hint, hints.idempotent_hint) == (
                False, True, False
            )  # fmt: skip
            assert hints.open_world_hint is True
        else:
            assert hints.read_only_hint is True and hints.open_world_hint is False


@TRANSPORTS
async def test_read_only_by_default_and_presets_choose(transport: str) -> None:
    async with served(transport, "--sandbox") as session:
        listed = [tool.name for tool in (await session.list_tools()).tools]
        refused = await session.call_tool("customerio_send_transactional_email", SEND)
    assert listed == [spec.name for spec in CustomerIOToolkit("k").specs]
    assert refused.is_error and text_of(refused) == (
        "customerio_send_transactional_email can send messages and this server is read-only: "
        "it offers write tools only when started with --write."
    )
    tools = ("--tools", "customerio_get_segment_size,core")
    async with served(transport, "--sandbox", *tools) as session:
        listed = [tool.name for tool in (await session.list_tools()).tools]
    assert listed == ["customerio_get_segment_size", *CORE_READS]


# -- every tool, answered --------------------------------------------------------------------------


@TRANSPORTS
async def test_every_tool_answers_with_text_and_structured_content(transport: str) -> None:
    kit = local(read_only=False, tools="all")
    # The server's own pacing on: the sandbox answers 429 past 10 requests a second, as Customer.io
    # does, and retries alone (jittered, a few tenths of a second) may not outlast its window.
    async with served(transport, "--sandbox", *EVERY_TOOL) as session:
        await session.list_tools()  # the client checks each answer against its outputSchema
        for tool, arguments in EVERY_TOOL_ONCE:
            result = await session.call_tool(tool, arguments)
            assert not result.is_error, (tool, text_of(result))
            assert result.structured_content == json.loads(text_of(result)), tool
            if tool in STABLE:
                assert text_of(result) == kit.call(tool, arguments), tool


@TRANSPORTS
async def test_a_write_goes_out_only_with_write_and_names_its_check(transport: str) -> None:
    async with served(transport, "--sandbox", "--write") as session:
        sent = await session.call_tool("customerio_send_transactional_email", SEND)
        assert not sent.is_error and sent.structured_content is not None
        check = sent.structured_content["check"]
        delivery = await session.call_tool(check["tool"], check["arguments"])
    assert delivery.structured_content is not None
    assert delivery.structured_content["state"] in ("sent", "delivered")


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("customerio_get_campaign_metrics", {"campaign_id": 0}),  # refused before sending
        ("customerio_get_campaign_metrics", {"campaign_id": 404}),  # Customer.io's 404
        ("customerio_list_segments", {"nme": "typo"}),
    ],
)
@TRANSPORTS
async def test_errors_come_back_as_tool_results_in_langchains_words(
    transport: str, tool: str, arguments: dict[str, Any]
) -> None:
    lc = {t.name: t for t in local().langchain_tools()}[tool]
    expected = lc.invoke({"type": "tool_call", "id": "1", "name": tool, "args": arguments})
    assert expected.status == "error"
    async with served(transport, "--sandbox") as session:
        result = await session.call_tool(tool, arguments)
    assert result.is_error and text_of(result) == expected.content


async def test_the_write_guardrails_are_flags() -> None:
    elsewhere = {**SEND, "to": "someone@elsewhere.example"}
    guarded = ("--sandbox", "--write", "--allow-recipients", "example.com")
    async with stdio(*guarded, "--max-broadcast-recipients", "1") as session:
        refused = await session.call_tool("customerio_send_transactional_email", elsewhere)
        allowed = await session.call_tool("customerio_send_transactional_email", SEND)
        too_many = await session.call_tool("customerio_trigger_broadcast",
                                           {"broadcast_id": 101, "ids": ["1", "2"]})  # fmt: skip
        listed = {tool.name: tool.description for tool in (await session.list_tools()).tools}
    assert refused.is_error and "someone@elsewhere.example" not in text_of(refused)
    assert "allow" in text_of(refused) and not allowed.is_error
    assert too_many.is_error and "at most 1" in text_of(too_many)
    assert "at most 1 people inline" in listed["customerio_trigger_broadcast"]
    async with stdio("--sandbox", "--write", "--dry-run") as session:
        dry = await session.call_tool("customerio_send_transactional_email", SEND)
    assert not dry.is_error and dry.structured_content is not None
    assert (dry.structured_content["dry_run"], dry.structured_content["sent"]) == (True, False)


def test_each_write_leaves_one_audit_line_on_stderr_even_when_the_client_cancels_it() -> None:
    """A send that went out, then one cancelled (`notifications/cancelled`) while at Customer.io:
    `sent`, then `unknown`; each once, sent once, and the server goes on serving."""
    sandbox = Sandbox(api_key=API_KEY, rate_limits=False)
    with SandboxServer(sandbox) as workspace:
        env = clean_environment(CUSTOMERIO_APP_API_KEY=API_KEY, CUSTOMERIO_BASE_URL=workspace.url)
        with subprocess.Popen([*MCP_COMMAND, "--write"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) as server:  # fmt: skip
            assert server.stdin is not None and server.stdout is not None
            answers: dict[int, dict[str, Any]] = {}

            def say(message: dict[str, Any]) -> None:
                assert server.stdin is not None
                server.stdin.write(json.dumps(message) + "\n")
                server.stdin.flush()

            def answer(number: int) -> dict[str, Any]:
                assert server.stdout is not None
                while number not in answers:  # a cancelled request may be answered, or not
                    said = json.loads(server.stdout.readline())
                    answers[said["id"]] = said
                return answers[number]

            send = "customerio_send_transactional_email"
            say(INITIALIZE), answer(0), say(INITIALIZED)
            say(rpc(1, "tools/call", name=send, arguments=SEND))
            assert not answer(1)["result"]["isError"]
            sandbox.inject("/v1/send/email", delay=1.0)
            say(rpc(2, "tools/call", name=send, arguments=SEND))
            time.sleep(0.4)  # the send is at Customer.io, its answer not yet back
            say({"jsonrpc": "2.0", "method": "notifications/cancelled",
                 "params": {"requestId": 2, "reason": "the user stopped it"}})  # fmt: skip
            say(rpc(3, "tools/call", name="customerio_list_segments", arguments={}))
            assert not answer(3)["result"]["isError"]
            server.stdin.close()
            log = server.stderr.read() if server.stderr else ""
    audit = [line.split("audit: ", 1)[1] for line in log.splitlines() if " audit: " in line]
    assert len(audit) == 2, log
    assert audit[0].startswith(f"{send} sent: to audience, 1 named, reference 2, result ")
    assert audit[1].startswith(f"{send} unknown: ") and "CancelledError" in audit[1]
    assert sandbox.received[("POST", "/v1/send/email")] == 2
    assert API_KEY not in log and "A-1" not in log  # no key, no message data


def test_a_line_over_the_limit_is_dropped_to_its_end_and_the_server_serves_on() -> None:
    """stdin read on the event loop (pipes): a 20 MiB line is not kept and none of it runs,
    not even the valid call that ends it past the limit; it is answered as a parse error and
    the next request is answered as usual."""
    tail = json.dumps(rpc(9, "tools/list"))
    oversized = b" " * (20 * 2**20) + tail.encode()  # one line of valid JSON, past the limit
    with subprocess.Popen([*MCP_COMMAND, "--sandbox"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          env=clean_environment()) as server:  # fmt: skip
        assert server.stdin is not None and server.stdout is not None
        lines = [json.dumps(INITIALIZE).encode(), json.dumps(INITIALIZED).encode(), oversized]
        server.stdin.write(b"\n".join([*lines, json.dumps(rpc(2, "tools/list")).encode(), b""]))
        server.stdin.flush()
        said = [json.loads(server.stdout.readline()) for _ in range(3)]
        server.stdin.close()  # at the end of stdin the SDK cancels what is in flight: read first
        said += [json.loads(line) for line in server.stdout.read().splitlines()]
    assert [message.get("id") for message in said] == [0, None, 2]
    assert said[1]["error"]["code"] == -32700 and "16 MiB" in said[1]["error"]["message"]
    assert len(said[2]["result"]["tools"]) == len(CORE_READS)


def test_stdin_from_a_file_is_served_by_the_sdks_own_reader(tmp_path: Path) -> None:
    """Neither a pipe nor a socket: the SDK reads it, in its worker thread."""
    messages = tmp_path / "messages.jsonl"
    messages.write_text(json.dumps(INITIALIZE) + "\n")
    with messages.open("rb") as stdin:
        served = subprocess.run([*MCP_COMMAND, "--sandbox"], stdin=stdin, capture_output=True,
                                env=clean_environment(), timeout=60)  # fmt: skip
    assert json.loads(served.stdout)["result"]["serverInfo"]["name"] == "cio-toolkit"


def test_a_missing_or_refused_key_stops_the_server_at_start_up() -> None:
    started = subprocess.run(
        MCP_COMMAND, capture_output=True, text=True, timeout=60, env=clean_environment()
    )
    assert started.returncode == 2 and "CUSTOMERIO_APP_API_KEY" in started.stderr
    # The command line's words, once: its flag and the variable, no Python argument.
    assert "add --sandbox" in started.stderr and "api_key=" not in started.stderr
    assert started.stderr.count("CUSTOMERIO_APP_API_KEY") == 1
    with SandboxServer(Sandbox(api_key="the-right-key", rate_limits=False)) as workspace:
        env = clean_environment(CUSTOMERIO_APP_API_KEY=API_KEY, CUSTOMERIO_BASE_URL=workspace.url)
        refused = subprocess.run(MCP_COMMAND, capture_output=True, text=True, timeout=60, env=env)
    assert refused.returncode == 2
    assert "error: Customer.io refused the App API key (HTTP 401). Set CUSTOMERIO_APP_API_KEY" in (
        refused.stderr
    )
    assert refused.stderr.count("CUSTOMERIO_APP_API_KEY") == 1 and "--region eu" in refused.stderr
    assert API_KEY not in refused.stderr + refused.stdout


def test_a_write_tool_without_write_says_the_flag() -> None:
    command = [*MCP_COMMAND, "--sandbox", "--tools", "customerio_send_transactional_email"]
    started = subprocess.run(
        command, capture_output=True, text=True, timeout=60, env=clean_environment()
    )
    assert started.returncode == 2
    assert started.stderr.strip().splitlines()[-1] == (
        "error: customerio_send_transactional_email can send messages: add --write to offer them."
    )
    assert "read_only" not in started.stderr


def test_a_port_already_taken_is_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        started = subprocess.run(
            [*MCP_COMMAND, "--sandbox", "--http", "--port", port],
            capture_output=True, text=True, timeout=60, env=clean_environment(),
        )  # fmt: skip
    assert started.returncode == 2 and "Traceback" not in started.stderr
    (error,) = [line for line in started.stderr.splitlines() if line.startswith("error:")]
    assert f"127.0.0.1:{port}" in error and "--port" in error


async def test_a_workspace_with_a_right_key_is_served() -> None:
    with SandboxServer(Sandbox(api_key=API_KEY, rate_limits=False)) as workspace:
        env = clean_environment(CUSTOMERIO_APP_API_KEY=API_KEY, CUSTOMERIO_BASE_URL=workspace.url)
        async with stdio(env=env) as session:
            result = await session.call_tool("customerio_list_segments", {"name": "VIP"})
    assert json.loads(text_of(result))["count"] == 1


# -- streamable HTTP -------------------------------------------------------------------------------


async def test_http_serves_the_same_tools_and_writes() -> None:
    with McpHttpServer(
        "--sandbox", "--write", "--tools", "core,customerio_get_segment_size"
    ) as server:
        async with over_http(server.url) as session:
            listed = [tool.name for tool in (await session.list_tools()).tools]
            size = await session.call_tool("customerio_get_segment_size", {"segment_id": 2})
            sent = await session.call_tool("customerio_send_transactional_email", SEND)
    core = [spec.name for spec in CustomerIOToolkit("k", read_only=False).specs]
    assert listed == [*core, "customerio_get_segment_size"]
    assert size.structured_content == {"segment_id": 2, "name": "Pro plan", "count": 172}
    assert not sent.is_error and sent.structured_content is not None
    assert sent.structured_content["check"]["tool"] == "customerio_get_message"


async def test_http_answers_leave_at_once_with_tcp_nodelay() -> None:
    """asyncio sets TCP_NODELAY only on a listener made for IPPROTO_TCP: without it each answer
    waits out the client's delayed ACK, about 40 ms a request (`make bench` shows the calls)."""
    import asyncio

    from cio_toolkit.mcp_server import HttpOptions, bound_socket

    accepted: list[asyncio.BaseTransport] = []

    class Accept(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            accepted.append(transport)

    listener = bound_socket(HttpOptions(port=0))
    server = await asyncio.get_running_loop().create_server(Accept, sock=listener)
    async with server:
        _, writer = await asyncio.open_connection(*listener.getsockname())
        while not accepted:
            await asyncio.sleep(0.01)
        served = accepted[0].get_extra_info("socket")
        assert served.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        writer.close()


def test_a_call_over_2026_07_28_http_finds_its_schema_without_listing_every_tool() -> None:
    """The SDK checks a modern call's `Mcp-Param-*` headers against the tool's input schema:
    given no lookup it would run, and serialize, the whole tool list on every call."""
    from cio_toolkit.mcp_server import build_server

    kit = local(tools="all")
    lookup = build_server(kit).get_tool_input_schema
    assert lookup is not None
    assert (
        lookup("customerio_get_segment_size") == kit.spec("customerio_get_segment_size").parameters
    )
    assert lookup("no_such_tool") is None


def _post(url: str, **headers: str) -> httpx.Response:
    """A raw `tools/list` as any HTTP client would send it."""
    accept = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    return httpx.post(url, json=body, headers={**accept, **headers}, timeout=10)


async def test_off_loopback_a_token_of_its_own_is_required() -> None:
    env = clean_environment(CUSTOMERIO_APP_API_KEY=API_KEY)
    bare = subprocess.run([*MCP_COMMAND, "--sandbox", "--http", "--host", "0.0.0.0"],
                          capture_output=True, text=True, timeout=60, env=env)  # fmt: skip
    assert bare.returncode == 2 and "needs a bearer token of the server's own" in bare.stderr
    with McpHttpServer("--sandbox", "--host", "0.0.0.0", "--token", "open-sesame") as server:
        url = server.url.replace("0.0.0.0", "127.0.0.1")
        assert _post(url).status_code == 401
        wrong = _post(url, Authorization="Bearer nope")
        assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
        assert _post(url, Authorization="Bearer open-sesame").status_code == 200
        async with over_http(url, token="open-sesame") as session:
            assert len((await session.list_tools()).tools) == len(CORE_READS)


def test_the_token_is_never_the_customerio_key() -> None:
    with SandboxServer(Sandbox(api_key=API_KEY, rate_limits=False)) as workspace:
        env = clean_environment(CUSTOMERIO_APP_API_KEY=API_KEY, CUSTOMERIO_BASE_URL=workspace.url)
        same = subprocess.run([*MCP_COMMAND, "--http", "--token", API_KEY],
                              capture_output=True, text=True, timeout=60, env=env)  # fmt: skip
    assert same.returncode == 2 and "must not be the Customer.io key" in same.stderr
    assert API_KEY not in same.stderr


def test_origin_and_host_are_checked_on_loopback() -> None:
    with McpHttpServer("--sandbox", "--allow-origin", "https://app.example") as server:
        port = server.url.split(":")[2].split("/")[0]
        refused = _post(server.url, Origin="https://evil.example")
        assert refused.status_code == 403 and "--allow-origin" in refused.text
        assert _post(server.url, Origin=f"http://localhost:{port}").status_code == 200
        assert _post(server.url, Origin="https://app.example").status_code == 200
        assert _post(server.url).status_code == 200  # no Origin: not a browser
        rebound = _post(server.url, Host="evil.example")  # DNS rebinding
        assert rebound.status_code == 421 and "--allow-host" in rebound.text


def test_http_is_stateless_so_replicas_share_nothing_but_redis(redis_server: Any) -> None:
    """Each request stands alone: a client may reach any replica, and replicas pace together
    through one Redis. No replica holds a stream open for a client (GET is 405, at once)."""
    pacing = ("--tools", "all", "--rate-limit", redis_server.url)
    with McpHttpServer("--sandbox", *pacing) as first, McpHttpServer("--sandbox", *pacing) as other:
        headers = {"Accept": "application/json, text/event-stream"}
        opened = httpx.post(first.url, json=INITIALIZE, headers=headers, timeout=10)
        assert opened.status_code == 200 and "mcp-session-id" not in opened.headers
        call = rpc(2, "tools/call", name="customerio_get_segment_size", arguments={"segment_id": 2})
        answered = httpx.post(other.url, json=call, headers=headers, timeout=10).json()
        stream = httpx.get(first.url, headers={"Accept": "text/event-stream"}, timeout=10)
        assert (stream.status_code, stream.headers["allow"]) == (405, "POST")
    assert not answered["result"]["isError"], answered
    assert answered["result"]["structuredContent"] == {
        "segment_id": 2,
        "name": "Pro plan",
        "count": 172,
    }
    import redis

    assert redis.Redis.from_url(redis_server.url).keys("cio-toolkit:*")  # the budget they share


def test_output_cut_with_no_list_to_trim_keeps_its_shape() -> None:
    """A long text is shortened in place: the structured value and the text stay one value,
    still what the output schema says."""
    from jsonschema import Draft202012Validator

    sandbox = Sandbox(rate_limits=False)
    profile = {"customer": {"id": "1", "attributes": {"essay": "x" * 5_000}}}
    sandbox.inject("/v1/customers/1/attributes", status=200, body=profile)
    kit = CustomerIOToolkit.sandbox(sandbox, rate_limit=False)
    full = kit.invoke("customerio_get_person_attributes", {"customer_id": "1"})
    cut = ToolOutput.of(full.result, limit=1_000, narrow="ask for less")
    assert len(cut.text) <= 1_000 and json.loads(cut.text) == cut.structured
    assert cut.structured["truncated"] == (
        f"cut attributes.essay to {len(cut.structured['attributes']['essay']):,} of 5,000 "
        "characters; ask for less"
    )
    assert cut.structured["attributes"]["essay"].endswith("x…")
    Draft202012Validator(REGISTRY["customerio_get_person_attributes"].output_schema).validate(
        cut.structured
    )


def test_the_instructions_speak_of_writes_only_when_there_are_some() -> None:
    from cio_toolkit.mcp_server import build_server

    assert "Read-only" in (build_server(local()).instructions or "")
    assert "cannot be undone" in (build_server(local(read_only=False)).instructions or "")


def test_the_instructions_name_every_toolset_and_how_many_tools_are_here() -> None:
    from cio_toolkit.mcp_server import build_server
    from cio_toolkit.operations import PRESETS

    said = build_server(local(tools="support")).instructions or ""
    offered = len(local(tools="support").operations)
    assert f"These are {offered} of the {len(REGISTRY)} tools" in said
    for preset in PRESETS:
        assert f"{preset}: " in said, preset
    # What no tool answers is said, so a model says so rather than estimates.
    assert "does not give revenue, inbox placement" in said
    assert said == local(tools="support").instructions  # the same for every framework


def test_the_command_line_offers_mcp() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "cio_toolkit.cli", "--help"], capture_output=True, text=True
    )
    assert "mcp" in shown.stdout


# -- the README's client configurations ------------------------------------------------------------

README = (ROOT / "README.md").read_text()
MCP_SECTION = README.split("## MCP: ", 1)[1].split("\n## ", 1)[0]


def test_the_readmes_http_replica_command_serves() -> None:
    """The replica command as written, on a free loopback port, with Redis left out (its own
    test covers it) and the README's token."""
    blocks = re.findall(r"```bash\n(.*?)```", MCP_SECTION, flags=re.S)
    (command,) = [block for block in blocks if "CIO_TOOLKIT_MCP_TOKEN=" in block]
    words = command.replace("\\\n", " ").split()
    env = dict(word.split("=", 1) for word in words[:2])
    flags = words[words.index("mcp") + 1 :]
    flags[flags.index("--port") + 1] = "0"
    del flags[flags.index("--rate-limit") : flags.index("--rate-limit") + 2]
    with SandboxServer(Sandbox(api_key=env["CUSTOMERIO_APP_API_KEY"])) as workspace:
        environment = clean_environment(**env, CUSTOMERIO_BASE_URL=workspace.url)
        with McpHttpServer(*[f for f in flags if f != "--http"], env=environment) as replica:
            url = replica.url.replace("0.0.0.0", "127.0.0.1")
            bearer = f"Bearer {env['CIO_TOOLKIT_MCP_TOKEN']}"
            assert _post(url, Authorization=bearer, Host="mcp.northwind.example").status_code == 200
            assert _post(url, Host="mcp.northwind.example").status_code == 401


def test_its_own_loopback_address_is_an_allowed_host() -> None:
    with McpHttpServer("--sandbox", "--host", "127.0.0.2", "--token", "t0ken") as server:
        assert server.url.startswith("http://127.0.0.2:")
        listed = _post(server.url, Authorization="Bearer t0ken")
        rebound = _post(server.url, Authorization="Bearer t0ken", Host="evil.example")
    assert listed.status_code == 200, listed.text
    assert rebound.status_code == 421


def test_a_token_that_cannot_go_in_a_header_is_one_line() -> None:
    started = subprocess.run(
        [*MCP_COMMAND, "--sandbox", "--http", "--port", "0", "--token", "caf\u00e9-token"],
        capture_output=True, text=True, timeout=60, env=clean_environment(),
    )  # fmt: skip
    assert started.returncode == 2 and "Traceback" not in started.stderr
    (said,) = [line for line in started.stderr.splitlines() if line.startswith("error:")]
    assert "printable ASCII" in said and "caf" not in said


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_server_stopped_mid_send_leaves_its_audit_line_and_no_traceback(
    stop: signal.Signals,
) -> None:
    """How clients stop a stdio server: SIGTERM (or Ctrl+C's SIGINT) while a send that reached
    Customer.io awaits its answer. The send is cancelled, says `unknown`, once, and the server
    ends without a traceback."""
    sandbox = Sandbox(api_key=API_KEY, rate_limits=False)
    with SandboxServer(sandbox) as workspace:
        env = clean_environment(CUSTOMERIO_APP_API_KEY=API_KEY, CUSTOMERIO_BASE_URL=workspace.url)
        with subprocess.Popen([*MCP_COMMAND, "--write"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) as server:  # fmt: skip
            assert server.stdin is not None and server.stdout is not None
            sandbox.inject("/v1/send/email", delay=5.0)
            send = rpc(1, "tools/call", name="customerio_send_transactional_email", arguments=SEND)
            for message in (INITIALIZE, INITIALIZED, send):
                server.stdin.write(json.dumps(message) + "\n")
            server.stdin.flush()
            server.stdout.readline()  # the handshake's answer
            deadline = time.monotonic() + 20
            while not sandbox.received[("POST", "/v1/send/email")] and time.monotonic() < deadline:
                time.sleep(0.02)
            server.send_signal(stop)
            _, log = server.communicate(timeout=20)
    audit = [line.split("audit: ", 1)[1] for line in log.splitlines() if " audit: " in line]
    assert len(audit) == 1 and audit[0].startswith("customerio_send_transactional_email unknown")
    assert "Traceback" not in log and server.returncode == 0


def test_a_client_that_never_reads_stderr_is_still_served() -> None:
    """The specification lets a client ignore the server's stderr. 600 sends write about 70 KB
    of audit lines, more than a pipe holds: every answer still comes, and no line is lost."""
    sends = 600
    sandbox = Sandbox(api_key=API_KEY, rate_limits=False)
    with SandboxServer(sandbox) as workspace:
        env = clean_environment(CUSTOMERIO_APP_API_KEY=API_KEY, CUSTOMERIO_BASE_URL=workspace.url)
        with subprocess.Popen([*MCP_COMMAND, "--write", "--rate-limit", "off"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env) as server:  # fmt: skip
            assert server.stdin is not None and server.stdout is not None
            assert server.stderr is not None
            calls = [rpc(n, "tools/call", name="customerio_send_transactional_email",
                         arguments=SEND) for n in range(1, sends + 1)]  # fmt: skip
            lines = [json.dumps(m).encode() for m in (INITIALIZE, INITIALIZED, *calls)]
            # A server that blocks on stderr would never answer: stop it, and the test, at 60 s.
            watchdog = threading.Timer(60, server.kill)
            watchdog.start()
            try:
                server.stdin.write(b"\n".join(lines) + b"\n")
                server.stdin.flush()
                answered = [json.loads(server.stdout.readline() or "{}") for _ in range(sends + 1)]
                server.stdin.close()  # only now is stderr read, as a client that looks at the end
                log = server.stderr.read().decode()
            finally:
                watchdog.cancel()
    assert sorted(a["id"] for a in answered) == list(range(sends + 1))
    assert sandbox.received[("POST", "/v1/send/email")] == sends
    assert sum(" audit: " in line for line in log.splitlines()) == sends
