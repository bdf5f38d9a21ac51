"""What MCP costs: a tool call over stdio and over HTTP, ours against the SDK's own minimal
stateless server making the same call (`benchmarks.reference_mcp`) and against `toolkit.acall`,
all on one sandbox server (pacing off); and the server's start-up to a usable `tools/list`."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from typing import Any

import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from cio_toolkit import CustomerIOToolkit
from tests.servers import MCP_COMMAND, McpHttpServer, clean_environment, free_port

from .common import KEY, Row, python_env, sandbox_server

TOOL = "customerio_get_person_attributes"
ARGUMENTS = {"customer_id": "1"}
OURS = [*MCP_COMMAND, "--rate-limit", "off"]
REFERENCE = [sys.executable, "-m", "benchmarks.reference_mcp"]


@asynccontextmanager
async def _over_stdio(command: list[str], env: dict[str, str]) -> AsyncIterator[Client]:
    """The 2.x SDK's client, in the protocol it picks (2026-07-28 with both servers)."""
    server = StdioServerParameters(command=command[0], args=command[1:], env=env)
    with open(os.devnull, "w") as quiet:
        async with Client(stdio_client(server, errlog=quiet)) as client:
            yield client


@asynccontextmanager
async def _over_http(url: str) -> AsyncIterator[Client]:
    async with (
        httpx2.AsyncClient(timeout=30) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        yield client


@contextmanager
def _reference_http(env: dict[str, str]) -> Iterator[str]:
    """The reference server over streamable HTTP on a free port, once it accepts connections."""
    port = free_port()
    command = [*REFERENCE, "http", str(port)]
    quiet = subprocess.DEVNULL
    with subprocess.Popen(
        command, env={**python_env(), **env}, stdout=quiet, stderr=quiet
    ) as server:
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            server.terminate()


async def _calls(url: str, rounds: int) -> dict[str, float]:
    """Median seconds per `call_tool` on each path, rounds interleaved so drift hits all alike."""
    env = clean_environment(CUSTOMERIO_APP_API_KEY=KEY, CUSTOMERIO_BASE_URL=url)
    kit = CustomerIOToolkit(KEY, base_url=url, rate_limit=False)
    with McpHttpServer("--rate-limit", "off", env=env) as ours, _reference_http(env) as reference:
        async with AsyncExitStack() as stack:
            clients = {
                "stdio": await stack.enter_async_context(_over_stdio(OURS, env)),
                "HTTP": await stack.enter_async_context(_over_http(ours.url)),
                "reference stdio": await stack.enter_async_context(
                    _over_stdio([*REFERENCE, "stdio"], {**python_env(), **env})
                ),
                "reference HTTP": await stack.enter_async_context(_over_http(reference)),
            }
            for client in clients.values():  # the client checks answers against their schemas
                await client.list_tools()

            def calling(client: Client) -> Callable[[], Awaitable[Any]]:
                return lambda: client.call_tool(TOOL, ARGUMENTS)

            callers = {name: calling(client) for name, client in clients.items()}
            callers["toolkit.acall"] = lambda: kit.acall(TOOL, ARGUMENTS)
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
    async with _over_stdio(OURS, env) as client:
        await client.list_tools()
        return time.perf_counter() - started


def run(quick: bool) -> list[Row]:
    rounds, starts = (20, 2) if quick else (300, 7)
    with sandbox_server(limits=False) as url:
        medians = asyncio.run(_calls(url, rounds))
        start_up = statistics.median(asyncio.run(_start_up(url)) for _ in range(starts))
    direct = medians["toolkit.acall"]
    rows = [Row("MCP: toolkit.acall, the floor", f"{direct * 1000:.2f} ms (median of {rounds})")]
    for transport in ("stdio", "HTTP"):
        ours, reference = medians[transport], medians[f"reference {transport}"]
        versus = f"{ours * 1000:.2f} ms vs {reference * 1000:.2f} ms"
        ratio = ours / reference
        measure = f"MCP: a tool call over {transport} vs the SDK's minimal MCPServer"
        rows.append(Row(measure, versus, f"{ratio:.2f}x", "<= 0.8x", ratio <= 0.8))
        rows.append(Row("MCP:   the same vs toolkit.acall", "", f"{ours / direct:.2f}x"))
    shown = f"{start_up:.2f} s (median of {starts})"
    measure = "MCP: start-up to a usable tools/list (stdio, key checked)"
    rows.append(Row(measure, shown, "", "< 1 s", start_up < 1.0))
    return rows
