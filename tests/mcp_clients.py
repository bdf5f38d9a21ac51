"""The 2.x SDK's own MCP client on `cio-toolkit mcp`, over stdio or streamable HTTP, in any of
the protocol's modes: what the MCP tests talk to the server through."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from tests.servers import MCP_COMMAND, McpHttpServer, clean_environment

TRANSPORTS = pytest.mark.parametrize("transport", ["stdio", "http"])


@asynccontextmanager
async def stdio(
    *flags: str, env: dict[str, str] | None = None, mode: str = "auto"
) -> AsyncIterator[Client]:
    """The SDK's client with `cio-toolkit mcp` run as a subprocess, in the protocol `mode`
    ("auto": `server/discover`, so 2026-07-28 with this server; "legacy": `initialize`)."""
    server = StdioServerParameters(
        command=MCP_COMMAND[0], args=[*MCP_COMMAND[1:], *flags], env=env or clean_environment()
    )
    with open(os.devnull, "w") as quiet:
        async with Client(stdio_client(server, errlog=quiet), mode=mode) as client:
            yield client


@asynccontextmanager
async def over_http(
    url: str, token: str | None = None, mode: str = "auto"
) -> AsyncIterator[Client]:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(streamable_http_client(url, http_client=http), mode=mode) as client,
    ):
        yield client


@asynccontextmanager
async def served(transport: str, *flags: str, mode: str = "auto") -> AsyncIterator[Client]:
    """The SDK's client with the server, over `transport`, in the protocol `mode`."""
    if transport == "stdio":
        async with stdio(*flags, mode=mode) as client:
            yield client
        return
    with McpHttpServer(*flags) as server:
        async with over_http(server.url, mode=mode) as client:
            yield client
