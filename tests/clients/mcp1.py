"""The MCP clients that still need the 1.x SDK, run in a venv of their own against our server.

Run as `python mcp1.py CLIENT TRANSPORT TARGET...` by tests/test_mcp_clients.py with that venv's
Python: CLIENT is `sdk` (the 1.x SDK's ClientSession) or `langchain` (langchain-mcp-adapters),
TRANSPORT `stdio` (TARGET: the server's command line) or `http` (TARGET: its URL). It prints one
JSON object: the protocol version agreed, the tools listed, and what two calls gave back.
Standard library and that venv's packages only: this file never sees the main venv.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

SIZE = {"name": "customerio_get_segment_size", "arguments": {"segment_id": 2}}
MISSING = {"name": "customerio_get_segment_size", "arguments": {"segment_id": 987654}}


async def with_the_sdk(transport: str, target: list[str]) -> dict[str, Any]:
    """The 1.x SDK's own client: initialize, list, call (it checks structured content against
    each tool's output schema itself), and a call Customer.io answers 404."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client
    from mcp.client.streamable_http import streamablehttp_client

    if transport == "stdio":
        server = StdioServerParameters(command=target[0], args=target[1:], env=dict(os.environ))
        connection = stdio_client(server, errlog=open(os.devnull, "w"))  # noqa: SIM115
    else:
        connection = streamablehttp_client(target[0])
    async with connection as streams, ClientSession(streams[0], streams[1]) as session:
        started = await session.initialize()
        tools = (await session.list_tools()).tools
        size = await session.call_tool(SIZE["name"], SIZE["arguments"])
        missing = await session.call_tool(MISSING["name"], MISSING["arguments"])
    return {
        "protocol_version": started.protocolVersion,
        "server": started.serverInfo.name,
        "tools": [tool.name for tool in tools],
        "read_only": [bool(tool.annotations and tool.annotations.readOnlyHint) for tool in tools],
        "size": {"is_error": size.isError, "structured": size.structuredContent},
        "missing": {"is_error": missing.isError, "text": missing.content[0].text},
    }


async def with_langchain(transport: str, target: list[str]) -> dict[str, Any]:
    """langchain-mcp-adapters: its tools, and the same two calls through LangChain tools."""
    from langchain_mcp_adapters.client import MultiServerMCPClient

    connection: dict[str, Any]
    if transport == "stdio":
        connection = {"transport": "stdio", "command": target[0], "args": target[1:],
                      "env": dict(os.environ)}  # fmt: skip
    else:
        connection = {"transport": "streamable_http", "url": target[0]}
    tools = {
        tool.name: tool for tool in await MultiServerMCPClient({"cio": connection}).get_tools()
    }

    async def text(arguments: dict[str, Any]) -> str:
        """What the model reads: the tool message's text, from its content blocks."""
        blocks = await tools[SIZE["name"]].ainvoke(arguments)
        return "".join(block["text"] for block in blocks)

    return {"tools": list(tools), "size": await text(SIZE["arguments"]),
            "missing": await text(MISSING["arguments"])}  # fmt: skip


def main() -> None:
    client, transport, *target = sys.argv[1:]
    run = {"sdk": with_the_sdk, "langchain": with_langchain}[client]
    print(json.dumps(asyncio.run(run(transport, target)), default=str))


if __name__ == "__main__":
    main()
