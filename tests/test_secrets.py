"""The API key never shows: not in outputs, errors, reprs, logs, audit records, notebook outputs or
MCP messages.

Every tool, every error path and every log path runs with a recognisable key over real HTTP (the
sandbox's loopback server, which checks the key, so a test passing on a 401 proves nothing).
"""

from __future__ import annotations

import inspect
import json
import logging
import pickle
import socket
import subprocess
import threading
import traceback
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import nbformat
import pytest
from nbclient import NotebookClient

from cio_toolkit import CustomerIOClient, CustomerIOToolkit, TransportError, WriteAttempt
from cio_toolkit.cli import main
from cio_toolkit.sandbox import Fault, Sandbox, SandboxServer
from tests.cases import EVERY_TOOL_ONCE
from tests.conftest import API_KEY, FAST_RETRY
from tests.servers import (
    INITIALIZE,
    INITIALIZED,
    MCP_COMMAND,
    McpHttpServer,
    clean_environment,
    rpc,
)

FAULTS = [
    None,
    Fault(status=400, body={"meta": {"error": "bad"}}),
    Fault(status=401),
    Fault(status=403),
    Fault(status=404),
    Fault(status=422, body={"errors": [{"detail": "no", "status": "422"}]}),
    Fault(status=429),
    Fault(status=500, body="<html>oops</html>"),
    Fault(status=200, body="{garbled"),
    Fault(error=httpx.RemoteProtocolError),
]


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(Sandbox(api_key=API_KEY, rate_limits=False)) as running:
        yield running


def _everything_about(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    for linked in (error.__cause__, error.__context__):
        if linked is not None:
            texts += _everything_about(linked)
    return texts


async def test_no_output_error_repr_log_or_audit_record_holds_the_key(
    server: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, the audit trail, httpx, httpcore
    attempts: list[WriteAttempt] = []
    kit = CustomerIOToolkit(
        API_KEY,
        base_url=server.url,
        read_only=False,
        tools="all",
        rate_limit=False,
        retry=FAST_RETRY,
        audit=attempts.append,
        audit_bodies=True,
    )
    langchain = {tool.name: tool for tool in kit.langchain_tools()}
    llama = {tool.metadata.name: tool for tool in kit.llamaindex_tools()}
    seen: list[str] = [repr(kit), repr(kit.settings), repr(kit.client), repr(kit.async_client)]
    seen += [repr(tool) for tool in langchain.values()] + [repr(t.metadata) for t in llama.values()]
    seen += [repr(kit.settings.model_dump()), str(kit.settings.model_dump_json())]
    for fault in FAULTS:
        for tool, arguments in EVERY_TOOL_ONCE:
            if fault is not None:
                server.sandbox.inject("*", fault, times=100)
            every_path = (
                partial(kit.call, tool, arguments),
                partial(kit.acall, tool, arguments),
                partial(langchain[tool].invoke, arguments),
                partial(langchain[tool].ainvoke, arguments),
                partial(llama[tool].call, **arguments),
                partial(llama[tool].acall, **arguments),
            )
            for attempt in every_path:
                try:
                    result = attempt()
                    seen.append(repr(await result if inspect.isawaitable(result) else result))
                except Exception as error:
                    seen += _everything_about(error)
            server.sandbox.clear_faults()
    seen += [record.getMessage() for record in caplog.records]
    seen += [repr(record.__dict__) for record in caplog.records]
    seen += [repr(attempt) for attempt in attempts]
    assert len(seen) > 300 and attempts
    assert not [text for text in seen if API_KEY in text]
    assert server.sandbox.outbox, "the key was accepted: the calls really ran"


def test_the_clients_and_the_cli_keep_it_too(
    server: SandboxServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with CustomerIOClient(API_KEY, base_url=server.url, rate_limit=False) as client:
        assert API_KEY not in repr(client) + repr(client.list_segments())
    monkeypatch.setenv("CUSTOMERIO_APP_API_KEY", API_KEY)
    monkeypatch.setenv("CUSTOMERIO_BASE_URL", server.url)
    for argv in (["demo"], ["tools"], ["call", "customerio_list_segments"], ["call", "nope"]):
        main(argv)
    server.sandbox.inject("*", status=401)
    main(["call", "customerio_list_campaigns"])
    out, err = capsys.readouterr()
    assert "customerio_list_segments" in out and API_KEY not in out + err


# Errors that end a call at once (a 5xx is retried, with the delays of the default policy: its
# text is held to the same test in-process, above).
MCP_FAULTS = [None, Fault(status=401), Fault(status=404), Fault(status=200, body="{garbled")]


def _calls() -> Iterator[dict[str, Any]]:
    """A tools/call for every tool, and one with arguments the core refuses."""
    for number, (tool, arguments) in enumerate(EVERY_TOOL_ONCE, start=10):
        yield rpc(number, "tools/call", name=tool, arguments=arguments)
    yield rpc(99, "tools/call", name="customerio_get_segment_size", arguments={"segment_id": 0})


def test_no_mcp_message_or_server_log_holds_the_key_over_stdio(server: SandboxServer) -> None:
    """Every message the server writes, as the bytes on its stdout, and all it logs."""
    env = clean_environment(CUSTOMERIO_APP_API_KEY=API_KEY, CUSTOMERIO_BASE_URL=server.url)
    command = [*MCP_COMMAND, "--write", "--tools", "all", "--rate-limit", "off"]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=env) as process:  # fmt: skip
        assert process.stdin is not None and process.stdout is not None
        said: list[str] = []

        def ask(message: dict[str, Any]) -> None:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(json.dumps(message) + "\n")
            process.stdin.flush()
            if "id" in message:
                said.append(process.stdout.readline())

        ask(INITIALIZE)
        ask(INITIALIZED)
        ask(rpc(1, "tools/list"))
        for fault in MCP_FAULTS:
            if fault is not None:
                server.sandbox.inject("*", fault, times=1000)
            for call in _calls():
                ask(call)
            server.sandbox.clear_faults()
        process.stdin.close()
        log = process.stderr.read() if process.stderr else ""
    answers = [json.loads(line) for line in said]
    assert len(answers) == 2 + len(MCP_FAULTS) * (len(EVERY_TOOL_ONCE) + 1)
    assert sum(a["result"].get("isError", False) for a in answers[2:]) > len(EVERY_TOOL_ONCE)
    assert server.sandbox.outbox, "the key was accepted: the calls really ran"
    assert API_KEY not in "".join(said) + log


def test_no_mcp_message_or_server_log_holds_the_key_over_http(server: SandboxServer) -> None:
    env = clean_environment(CUSTOMERIO_APP_API_KEY=API_KEY, CUSTOMERIO_BASE_URL=server.url)
    flags = ("--write", "--tools", "all", "--rate-limit", "off", "--token", "mcp-only-token")
    headers = {"Accept": "application/json, text/event-stream",
               "Authorization": "Bearer mcp-only-token"}  # fmt: skip
    said: list[str] = []
    with McpHttpServer(*flags, env=env) as mcp:
        for fault in MCP_FAULTS:
            if fault is not None:
                server.sandbox.inject("*", fault, times=1000)
            for message in [INITIALIZE, rpc(1, "tools/list"), *_calls()]:
                answer = httpx.post(mcp.url, json=message, headers=headers, timeout=30)
                said.append(f"{answer.status_code} {answer.headers} {answer.text}")
            server.sandbox.clear_faults()
        said.append(httpx.post(mcp.url, json=INITIALIZE, timeout=30).text)  # refused: no token
    assert all(line.startswith("200 ") for line in said[:-1]) and server.sandbox.outbox
    assert API_KEY not in "".join(said) + "".join(mcp.log)


@pytest.mark.parametrize("name", ["01_langchain_agent.ipynb", "02_llamaindex_agent.ipynb"])
def test_notebooks_run_with_a_key_and_never_show_it(
    name: str, server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUSTOMERIO_APP_API_KEY", API_KEY)  # the kernel inherits these
    monkeypatch.setenv("CUSTOMERIO_BASE_URL", server.url)
    monkeypatch.delenv("CIO_TOOLKIT_MODEL", raising=False)
    folder = Path(__file__).parent.parent / "notebooks"
    notebook = nbformat.read(folder / name, as_version=4)
    NotebookClient(notebook, timeout=120, resources={"metadata": {"path": folder}}).execute()
    shown = nbformat.writes(notebook)
    assert "Using your Customer.io workspace" in shown  # the key path, not the sandbox
    assert "Ada Lovelace has id 1" in shown
    assert API_KEY not in shown


def test_text_that_reads_like_instructions_stays_quoted_data() -> None:
    from cio_toolkit.sandbox.seed import INJECTION

    kit = CustomerIOToolkit.sandbox(rate_limit=False)
    text = kit.call("customerio_get_person_attributes", {"customer_id": "13"})
    assert json.loads(text)["attributes"]["company"] == INJECTION  # a value, nothing more
    assert text.count(INJECTION) == 1 and f'"company":{json.dumps(INJECTION)}' in text


# -- the key travels only to the configured host -----------------------------------------------


class RecordingProxy:
    """A loopback 'proxy' that records every byte it is sent and refuses to tunnel anything."""

    def __init__(self) -> None:
        self.received = b""
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    self.received += connection.recv(65_536)
                    connection.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        self._server.close()


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingProxy]:
    recording = RecordingProxy()
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(variable, recording.url)
    for variable in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(variable, raising=False)
    yield recording
    recording.close()


async def test_a_plain_http_base_url_never_goes_through_a_proxy(
    server: SandboxServer, proxy: RecordingProxy
) -> None:
    kit = CustomerIOToolkit(API_KEY, base_url=server.url, rate_limit=False)
    assert '"segments"' in kit.call("customerio_list_segments")
    assert '"segments"' in await kit.acall("customerio_list_segments")
    await kit.aclose()
    assert proxy.received == b""
    assert server.sandbox.received[("GET", "/v1/segments")] == 2


async def test_https_through_a_proxy_is_a_tunnel_the_proxy_cannot_read(
    proxy: RecordingProxy,
) -> None:
    kit = CustomerIOToolkit(API_KEY, rate_limit=False, retry=FAST_RETRY)  # api.customer.io
    with pytest.raises(TransportError):
        kit.call("customerio_list_segments")
    with pytest.raises(TransportError):
        await kit.acall("customerio_list_segments")
    await kit.aclose()
    assert proxy.received.startswith(b"CONNECT api.customer.io:443 HTTP/1.1")
    assert API_KEY.encode() not in proxy.received
    assert b"authorization" not in proxy.received.lower()


def test_no_proxy_and_the_scheme_choose_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    from cio_toolkit._wire import proxy_for

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "api-eu.customer.io")
    assert proxy_for("https://api.customer.io") == "http://proxy.internal:3128"
    assert proxy_for("https://api-eu.customer.io") is None  # NO_PROXY
    assert proxy_for("http://127.0.0.1:8765") is None  # plain http: never a proxy


def test_settings_and_toolkits_refuse_to_be_pickled() -> None:
    kit = CustomerIOToolkit(API_KEY)
    for thing in (kit.settings, kit, kit.client):
        with pytest.raises(TypeError, match="cannot be pickled") as refused:
            pickle.dumps(thing)
        assert API_KEY not in "".join(_everything_about(refused.value))
