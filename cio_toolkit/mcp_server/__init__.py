"""`cio-toolkit mcp`: the toolkit's tools over the Model Context Protocol, stdio or HTTP.

`tools` maps the toolkit to an MCP server, `stdio` and `streamable_http` carry it, and
`options` is the command line that starts it.
"""

from .._instructions import INSTRUCTIONS, WRITE_INSTRUCTIONS
from ._stdio import serve_stdio
from ._streamable_http import (
    TOKEN_VARIABLE,
    Guard,
    HttpOptions,
    bound_socket,
    http_app,
    is_loopback,
    serve_http,
)
from ._tools import TOOL_LIST_TTL_MS, build_server, check_workspace, tool_definitions

__all__ = [
    "INSTRUCTIONS",
    "TOKEN_VARIABLE",
    "TOOL_LIST_TTL_MS",
    "WRITE_INSTRUCTIONS",
    "Guard",
    "HttpOptions",
    "bound_socket",
    "build_server",
    "check_workspace",
    "http_app",
    "is_loopback",
    "serve_http",
    "serve_stdio",
    "tool_definitions",
]
