"""MCP over streamable HTTP: stateless at `/mcp`, behind a bearer token and an `Origin` check."""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._errors import ConfigurationError
from .._settings import unsendable_at
from ._tools import build_server

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

    from .._toolkit import CustomerIOToolkit

TOKEN_VARIABLE = "CIO_TOOLKIT_MCP_TOKEN"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


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
        if self.token is not None and unsendable_at(self.token) is not None:
            # A header carries it: only printable ASCII can be compared, and sent by clients.
            raise ConfigurationError(
                "The MCP token must be printable ASCII with no spaces (a pasted smart quote?)."
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
        # Its own address too: on 127.0.0.2, clients say `Host: 127.0.0.2:port`.
        self.hosts = (*options.allowed_hosts, options.host)
        # As the SDK's DNS-rebinding check: on loopback, or wherever names are given.
        self.checks_host = is_loopback(options.host) or bool(options.allowed_hosts)

    def host_allowed(self, host: str) -> bool:
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return host in self.hosts or name in self.hosts or name in LOOPBACK_NAMES

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
        # Refusals name the flag that allows what was refused: their reader runs the server.
        if origin is not None and not self.origin_allowed(origin):
            allow = "Origin not allowed (a browser app of your own: --allow-origin)."
            await _refuse(scope, receive, send, 403, allow)
            return
        if self.checks_host and not self.host_allowed(headers.get("host", "")):
            allow = "Host not allowed (the name clients reach the server by: --allow-host)."
            await _refuse(scope, receive, send, 421, allow)
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
        allowed_hosts=[*loopback_hosts, *options.allowed_hosts, options.host, f"{options.host}:*"],
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


def bound_socket(options: HttpOptions) -> socket.socket:
    """The listening socket, bound here so a taken port is one line, not uvicorn's traceback.

    Raises:
        ConfigurationError: the address could not be bound.
    """
    host = options.host.strip("[]")
    # IPPROTO_TCP said, not left 0: asyncio sets TCP_NODELAY only on sockets that say it, and
    # without it every answer waits out the client's delayed ACK (about 40 ms a request).
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, options.port))
    except OSError as error:
        listener.close()
        raise ConfigurationError(
            f"Could not listen on {options.host}:{options.port}: {error.strerror or error}; "
            "another server may have it (choose another --port)."
        ) from None
    return listener


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
    serving = asyncio.ensure_future(server.serve(sockets=[bound_socket(options)]))
    while not server.started:
        if serving.done():
            with contextlib.suppress(SystemExit):  # uvicorn exits on a failed start-up
                serving.result()
            raise ConfigurationError(f"Could not listen on {options.host}:{options.port}.")
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    host = f"[{options.host}]" if ":" in options.host else options.host
    print(f"MCP server (streamable HTTP) at http://{host}:{port}/mcp", file=sys.stderr, flush=True)
    await serving
