"""`cio-toolkit mcp`: the toolkit's tools over the Model Context Protocol, stdio or HTTP."""

from __future__ import annotations

import hmac
import ipaddress
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import ConfigurationError, CustomerIOError

if TYPE_CHECKING:
    import asyncio

    from mcp import types
    from mcp.server.lowlevel import Server
    from starlette.types import ASGIApp, Receive, Scope, Send

    from .operation import Operation
    from .toolkit import CustomerIOToolkit

# What the server tells a client about its tools as a whole, without writes and with them.
INSTRUCTIONS = "Read-only tools for one Customer.io workspace."
WRITE_INSTRUCTIONS = (
    "Tools for one Customer.io workspace. Find what you act on first (list broadcasts, "
    "segments, transactional templates; read a template to learn which message_data keys it "
    "takes), then act, then check what happened with the tool each write's answer names. "
    "Writes message real people and cannot be undone."
)
# The server's own bearer token for HTTP, where `--token` is not given.
TOKEN_VARIABLE = "CIO_TOOLKIT_MCP_TOKEN"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def _title(operation: Operation[Any, Any]) -> str:
    """`customerio_get_broadcast_trigger` as "Get broadcast trigger"."""
    return operation.method_name.replace("_", " ").capitalize()


def tool_definitions(toolkit: CustomerIOToolkit) -> list[types.Tool]:
    """Each selected tool as MCP lists it: the toolkit's name, description and schema, an
    output schema, and annotations as the specification defines them."""
    from mcp import types

    tools = []
    for operation in toolkit.operations:
        spec = toolkit.spec(operation.name)
        write = operation.is_write
        annotations = types.ToolAnnotations(
            title=_title(operation),
            readOnlyHint=not write,
            # A message that went out cannot be called back: treated as destructive, so
            # clients confirm it. Sending again sends again: not idempotent.
            destructiveHint=True if write else None,
            idempotentHint=False if write else None,
            # Writes reach people outside the workspace; reads stay within it.
            openWorldHint=write,
        )
        tools.append(
            types.Tool(
                name=spec.name,
                title=_title(operation),
                description=spec.description,
                inputSchema=spec.parameters,
                outputSchema=spec.output_schema,
                annotations=annotations,
            )
        )
    return tools


def build_server(toolkit: CustomerIOToolkit) -> Server[Any, Any]:
    """An MCP server offering `toolkit`'s tools, made from the registry like every adapter.

    A call's errors that a model can act on (bad arguments, not found, refused by a guardrail,
    unreachable) come back as a tool result marked `isError`, in the same words LangChain and
    LlamaIndex give; the key never appears in any of them.
    """
    from mcp import types
    from mcp.server.lowlevel import Server

    writes = any(op.is_write for op in toolkit.operations)
    server: Server[Any, Any] = Server(
        "cio-toolkit",
        version=__version__,
        instructions=WRITE_INSTRUCTIONS if writes else INSTRUCTIONS,
    )
    tools = tool_definitions(toolkit)

    @server.list_tools()  # type: ignore[no-untyped-call, untyped-decorator]
    async def list_tools() -> list[types.Tool]:
        return tools

    # The core checks arguments itself, naming each bad field; the SDK's own check would
    # answer first, in other words.
    @server.call_tool(validate_input=False)  # type: ignore[untyped-decorator]
    async def call_tool(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        try:
            output = await toolkit.ainvoke(name, arguments)
        except CustomerIOError as error:  # configuration errors too: the server keeps serving
            return types.CallToolResult(
                content=[types.TextContent(type="text", text=str(error))], isError=True
            )
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=output.text)],
            structuredContent=output.structured,
        )

    return server


def check_workspace(toolkit: CustomerIOToolkit) -> None:
    """Fail at start-up, not at the first call, when the key is missing or refused.

    Raises:
        ConfigurationError: no key, or Customer.io refused it (HTTP 401 or 403).
    """
    from .errors import AuthenticationError, PermissionDeniedError

    try:
        toolkit.client.list_segments()
    except (AuthenticationError, PermissionDeniedError) as refused:
        raise ConfigurationError(
            f"Customer.io refused the App API key ({refused}). Set CUSTOMERIO_APP_API_KEY to a "
            "key from Settings > API Credentials > App API Keys, for the right region."
        ) from None


# -- stdio ---------------------------------------------------------------------------------------


async def serve_stdio(toolkit: CustomerIOToolkit) -> None:
    """Serve over stdin/stdout until the client closes them."""
    from mcp.server.stdio import stdio_server

    server = build_server(toolkit)
    async with (
        _pipes() as (stdin, stdout),
        stdio_server(stdin, stdout) as (read, write),  # type: ignore[arg-type]
    ):
        await server.run(read, write, server.create_initialization_options())


# The longest line read from stdin: a send's largest message (1 MB of content, 2 MB of
# attachments as base64, JSON escapes) several times over. A longer one is dropped, not kept.
MAX_STDIN_LINE = 16 * 2**20


@asynccontextmanager
async def _pipes() -> AsyncIterator[tuple[_LinesIn | None, _LinesOut | None]]:
    """stdin and stdout on the event loop, where both are pipes or sockets (as MCP clients
    start a server: Python's with pipes, Node's with socket pairs).

    The SDK's own reads each line and writes each message in a worker thread: three thread
    hand-offs a call, about a third of the time the server adds to one. Elsewhere (a terminal,
    a file, Windows) None: the SDK's own.
    """
    import asyncio
    import os
    import stat

    def streams(fd: int) -> bool:
        mode = os.fstat(fd).st_mode
        return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)

    if sys.platform == "win32" or not (streams(0) and streams(1)):
        yield None, None
        return
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=MAX_STDIN_LINE, loop=loop)
    read_pipe, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
    )
    write_pipe, protocol = await loop.connect_write_pipe(
        lambda: asyncio.streams.FlowControlMixin(loop), sys.stdout
    )
    writer = asyncio.StreamWriter(write_pipe, protocol, None, loop)
    try:
        yield _LinesIn(reader), _LinesOut(writer)
    finally:
        read_pipe.close()
        writer.close()


class _LinesIn:
    """stdin's lines as the SDK's stdio transport iterates them: UTF-8 with bad bytes replaced,
    and a line over `MAX_STDIN_LINE` given as an empty one, which the SDK answers as not JSON."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self.reader = reader

    def __aiter__(self) -> _LinesIn:
        return self

    async def __anext__(self) -> str:
        try:
            line = await self.reader.readline()
        except ValueError:  # over the limit: asyncio has dropped what it held of the line
            return "\n"
        if not line:
            raise StopAsyncIteration
        return line.decode("utf-8", errors="replace")


class _LinesOut:
    """stdout as the SDK's stdio transport writes it: text, then a flush that waits until the
    pipe has taken it."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer

    async def write(self, text: str) -> None:
        self.writer.write(text.encode("utf-8"))

    async def flush(self) -> None:
        await self.writer.drain()


# -- streamable HTTP -----------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class HttpOptions:
    """How the HTTP server listens and whom it answers.

    Attributes:
        host: the address to bind; anything but loopback requires `token`.
        port: the port (0: any free one).
        token: the bearer token clients must send: the server's own, never the Customer.io key.
        allowed_origins: browser origins allowed besides loopback ones (`Origin` is checked on
            every request, as the specification requires of local servers).
        allowed_hosts: `Host` values allowed besides loopback ones (a load balancer's name).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    allowed_origins: Sequence[str] = field(default_factory=tuple)
    allowed_hosts: Sequence[str] = field(default_factory=tuple)

    def check(self, api_key: str) -> None:
        """Raises ConfigurationError for a setup that would expose the workspace."""
        if not is_loopback(self.host) and not self.token:
            raise ConfigurationError(
                f"Serving on {self.host} (not loopback) needs a bearer token of the server's own: "
                f"--token or {TOKEN_VARIABLE}."
            )
        if self.token and hmac.compare_digest(self.token, api_key):
            raise ConfigurationError(
                "The MCP token must not be the Customer.io key: clients would hold the key."
            )


async def _refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    text: str,
    headers: dict[str, str] | None = None,
) -> None:
    """Answer, in plain text, a request that MCP never sees."""
    from starlette.responses import PlainTextResponse

    await PlainTextResponse(text, status, headers=headers)(scope, receive, send)


class Guard:
    """ASGI middleware: the bearer token (when set) and the `Origin` header, before MCP sees a
    request. A browser page on another origin, or a client without the token, gets nothing."""

    def __init__(self, app: ASGIApp, options: HttpOptions) -> None:
        self.app = app
        self.token = options.token
        self.origins = tuple(options.allowed_origins)

    def origin_allowed(self, origin: str) -> bool:
        if origin in self.origins:
            return True
        scheme, _, rest = origin.partition("://")
        host = rest.rsplit(":", 1)[0] if not rest.endswith("]") else rest
        return scheme in ("http", "https") and host in LOOPBACK_NAMES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        origin = headers.get("origin")
        if origin is not None and not self.origin_allowed(origin):
            await _refuse(scope, receive, send, 403, "Origin not allowed.")
            return
        if self.token is not None:
            given = headers.get("authorization", "")
            scheme, _, credential = given.partition(" ")
            right = scheme.lower() == "bearer" and hmac.compare_digest(
                credential.strip().encode(), self.token.encode()
            )
            if not right:
                challenge = {"WWW-Authenticate": 'Bearer realm="cio-toolkit"'}
                await _refuse(scope, receive, send, 401, "A bearer token is required.", challenge)
                return
        await self.app(scope, receive, send)


def http_app(toolkit: CustomerIOToolkit, options: HttpOptions) -> ASGIApp:
    """The MCP endpoint at `/mcp`, stateless: no session lives in the process, so replicas
    behind a load balancer may each take any request (sharing pacing through Redis)."""
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from mcp.server.transport_security import TransportSecuritySettings

    loopback_hosts = [f"{name}:*" for name in LOOPBACK_NAMES] + list(LOOPBACK_NAMES)
    security = TransportSecuritySettings(
        # DNS rebinding reaches servers on loopback; elsewhere the token stands guard and the
        # Host is whatever name the load balancer is reached by, unless one is given.
        enable_dns_rebinding_protection=is_loopback(options.host) or bool(options.allowed_hosts),
        allowed_hosts=[*loopback_hosts, *options.allowed_hosts],
        allowed_origins=[*options.allowed_origins, *(f"http://{n}:*" for n in LOOPBACK_NAMES)],
    )
    manager = StreamableHTTPSessionManager(
        app=build_server(toolkit), stateless=True, json_response=True, security_settings=security
    )
    return Guard(_Endpoint(manager), options)


class _Endpoint:
    """The ASGI app: the session manager at `/mcp` (exactly: no redirect to `/mcp/`, which a
    client might follow elsewhere), 404 anywhere else, and its lifespan around the server's.
    A plain ASGI callable, where a web framework's routing would only add to every request."""

    def __init__(self, manager: Any) -> None:
        self.manager = manager

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] != "http" or scope["path"] != "/mcp":
            await _refuse(scope, receive, send, 404, "Not found: the MCP endpoint is /mcp.")
        elif scope["method"] == "GET":
            # A stateless server has nothing to push; the SDK would hold the stream open for
            # ever. The specification's answer for a server without one is 405.
            stream = "This server sends no stream of its own: POST each message."
            await _refuse(scope, receive, send, 405, stream, {"Allow": "POST"})
        else:
            await self.manager.handle_request(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        await receive()  # lifespan.startup
        async with self.manager.run():
            await send({"type": "lifespan.startup.complete"})
            await receive()  # lifespan.shutdown
        await send({"type": "lifespan.shutdown.complete"})


async def serve_http(toolkit: CustomerIOToolkit, options: HttpOptions) -> None:
    """Serve streamable HTTP until interrupted; say where on stderr once listening.

    Raises:
        ConfigurationError: the address could not be bound.
    """
    import asyncio

    import uvicorn

    config = uvicorn.Config(
        http_app(toolkit, options), host=options.host, port=options.port, log_level="warning"
    )
    server = uvicorn.Server(config)
    serving = asyncio.ensure_future(server.serve())
    while not server.started:
        if serving.done():
            serving.result()  # uvicorn's own error, if it raised one
            raise ConfigurationError(f"Could not listen on {options.host}:{options.port}.")
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    host = f"[{options.host}]" if ":" in options.host else options.host
    print(f"MCP server (streamable HTTP) at http://{host}:{port}/mcp", file=sys.stderr, flush=True)
    await serving
