"""The toolkit's MCP server on a free loopback port in this process, for a try `--over mcp`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .._toolkit import CustomerIOToolkit


@contextmanager
def mcp_over_http(kit: CustomerIOToolkit) -> Iterator[str]:
    """Serve `kit` over streamable HTTP, as `cio-toolkit mcp --http` does, until the block
    ends; its URL. In this process, so the try's grader reads the same sandbox."""
    import asyncio

    import uvicorn

    from ..mcp_server import HttpOptions, bound_socket, http_app

    options = HttpOptions(port=0)
    listener = bound_socket(options)
    server = uvicorn.Server(uvicorn.Config(http_app(kit, options), log_level="warning"))
    thread = threading.Thread(
        target=lambda: asyncio.run(server.serve(sockets=[listener])), daemon=True
    )
    thread.start()
    try:
        while not server.started and thread.is_alive():
            threading.Event().wait(0.01)
        port = listener.getsockname()[1]
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        server.should_exit = True
        thread.join(10)


def call_over_mcp(url: str, name: str, arguments: dict[str, Any]) -> str:
    """One `tools/call` as any stateless client sends it; the text the model would read."""
    import httpx

    message = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
               "params": {"name": name, "arguments": arguments}}  # fmt: skip
    accept = {"Accept": "application/json, text/event-stream"}
    answer = httpx.post(url, json=message, headers=accept, timeout=60).json()
    if "error" in answer:
        return str(answer["error"]["message"])
    return "".join(part.get("text", "") for part in answer["result"]["content"])
