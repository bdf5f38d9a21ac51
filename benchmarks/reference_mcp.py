"""The yardstick of `benchmarks.mcp`: the SDK's own minimal stateless `MCPServer` serving one
tool that makes the call ours makes (a person's attributes), with the SDK's defaults.

Run as `python -m benchmarks.reference_mcp stdio` or `... http PORT`, with CUSTOMERIO_BASE_URL
and CUSTOMERIO_APP_API_KEY set.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import httpx
from mcp.server.mcpserver import MCPServer


def build() -> MCPServer:
    # Warnings only: at its default (INFO) it logs each request to Customer.io, which ours does not.
    server = MCPServer("reference", log_level="WARNING")
    workspace = httpx.AsyncClient(
        base_url=os.environ["CUSTOMERIO_BASE_URL"], timeout=30,
        headers={"Authorization": f"Bearer {os.environ['CUSTOMERIO_APP_API_KEY']}"},
    )  # fmt: skip

    @server.tool()
    async def customerio_get_person_attributes(customer_id: str) -> dict[str, Any]:
        """A person's attributes."""
        answer = await workspace.get(f"/v1/customers/{customer_id}/attributes")
        answer.raise_for_status()
        attributes: dict[str, Any] = answer.json()
        return attributes

    return server


if __name__ == "__main__":
    transport, *port = sys.argv[1:]
    if transport == "stdio":
        build().run("stdio")
    else:
        build().run("streamable-http", port=int(port[0]), stateless_http=True, json_response=True)
