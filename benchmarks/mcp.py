"""What MCP costs: a tool call over stdio and over HTTP against `toolkit.acall` on the same sandbox
server (pacing off), and the server's start-up to a usable `tools/list`."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from cio_toolkit import CustomerIOToolkit
from tests.servers import MCP_COMMAND, McpHttpServer, clean_environment, rpc

from .common import KEY, Row, sandbox_server

TOOL = "customerio_get_person_attributes"
ACCEPT = {"Accept": "application/json, text/event-stream"}
ARGUMENTS = {"customer_id": "1"}


async def _stdio_session(env: dict[str, str], stack: AsyncExitStack) -> ClientSession:
    parameters = StdioServerParameters(
        command=MCP_COMMAND[0], args=[*MCP_COMMAND[1:], "--rate-limit", "off"], env=env
    )
    quiet = stack.enter_context(open(os.devnull, "w"))  # noqa: SIM115 (closed with the stack)
    read, write = await stack.enter_async_context(stdio_client(parameters, errlog=quiet))
    session: ClientSession = await stack.enter_async_context(ClientSession(read, write))
    await session.initialize()
    return session


async def _http_session(url: str, stack: AsyncExitStack) -> ClientSession:
    http = await stack.enter_async_context(httpx.AsyncClient(timeout=30))
    read, write, _ = await stack.enter_async_context(streamable_http_client(url, http_client=http))
    session: ClientSession = await stack.enter_async_context(ClientSession(read, write))
    await session.initialize()
    return session


def _round_trip(session: ClientSession) -> Awaitable[types.CallToolResult]:
    """`tools/call` through the SDK's session, without `call_tool`'s client-side check of the
    answer against its output schema (which compiles the schema anew on every call)."""
    params = types.CallToolRequestParams(name=TOOL, arguments=ARGUMENTS)
    request = types.CallToolRequest(params=params)
    return session.send_request(types.ClientRequest(request), types.CallToolResult)


async def _calls(url: str, rounds: int) -> dict[str, float]:
    """Median seconds per call for each path, rounds interleaved so drift hits all alike."""
    env = clean_environment(CUSTOMERIO_APP_API_KEY=KEY, CUSTOMERIO_BASE_URL=url)
    kit = CustomerIOToolkit(KEY, base_url=url, rate_limit=False)
    with McpHttpServer("--rate-limit", "off", env=env) as server:
        async with AsyncExitStack() as stack:
            stdio = await _stdio_session(env, stack)
            http = await _http_session(server.url, stack)
            plain = await stack.enter_async_context(httpx.AsyncClient(timeout=30))
            message = rpc(1, "tools/call", name=TOOL, arguments=ARGUMENTS)
            callers: dict[str, Callable[[], Awaitable[Any]]] = {
                "toolkit.acall": lambda: kit.acall(TOOL, ARGUMENTS),
                "stdio": lambda: _round_trip(stdio),
                "HTTP": lambda: _round_trip(http),
                "stdio, call_tool": lambda: stdio.call_tool(TOOL, ARGUMENTS),
                "HTTP, plain POST": lambda: plain.post(server.url, json=message, headers=ACCEPT),
            }
            samples: dict[str, list[float]] = {name: [] for name in callers}
            for round_ in range(rounds + 5):
                for name, call in callers.items():
                    started = time.perf_counter()
                    await call()
                    if round_ >= 5:  # the first rounds warm connections and caches
                        samples[name].append(time.perf_counter() - started)
    await kit.aclose()
    return {name: statistics.median(times) for name, times in samples.items()}


async def _start_up(url: str) -> float:
    """From starting `cio-toolkit mcp` to the answer of its first `tools/list`."""
    env = clean_environment(CUSTOMERIO_APP_API_KEY=KEY, CUSTOMERIO_BASE_URL=url)
    started = time.perf_counter()
    async with AsyncExitStack() as stack:
        session = await _stdio_session(env, stack)
        await session.list_tools()
        elapsed = time.perf_counter() - started
    return elapsed


def run(quick: bool) -> list[Row]:
    rounds, starts = (20, 2) if quick else (300, 7)
    with sandbox_server(limits=False) as url:
        medians = asyncio.run(_calls(url, rounds))
        start_up = statistics.median(asyncio.run(_start_up(url)) for _ in range(starts))
    direct = medians["toolkit.acall"]
    rows = [Row("MCP: toolkit.acall, the floor", f"{direct * 1000:.2f} ms (median of {rounds})")]
    for transport in ("stdio", "HTTP"):
        ratio = medians[transport] / direct
        rows.append(
            Row(
                f"MCP: a tool call over {transport} vs toolkit.acall",
                f"{medians[transport] * 1000:.2f} ms",
                f"{ratio:.2f}x",
                "<= 2.0x",
                ratio <= 2.0,
            )
        )
    plain = medians["HTTP, plain POST"]
    rows.append(
        Row(
            "MCP:   the same over HTTP as one plain POST, no MCP client",
            f"{plain * 1000:.2f} ms (the server's share, and httpx's)",
            f"{plain / direct:.2f}x",
        )
    )
    checked = medians["stdio, call_tool"]
    rows.append(
        Row(
            "MCP:   the same over stdio through ClientSession.call_tool",
            f"{checked * 1000:.2f} ms (the SDK checks each answer's outputSchema)",
            f"{checked / direct:.2f}x",
        )
    )
    rows.append(
        Row(
            "MCP: start-up to a usable tools/list (stdio, key checked)",
            f"{start_up:.2f} s (median of {starts})",
            "",
            "<= 1.5 s",
            start_up <= 1.5,
        )
    )
    return rows
