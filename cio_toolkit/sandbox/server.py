"""The sandbox over real loopback HTTP, for clients in other processes and for benchmarks.

One asyncio event loop serves every connection, with h11 (httpx's own HTTP/1.1 parser) speaking
the protocol. A thread per connection would stall under a hundred concurrent keep-alive
connections (GIL convoys); an ASGI server could not drop a connection without an answer, which
fault injection needs.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from functools import partial

import h11
import httpx

from .answers import wire_bytes
from .workspace import Sandbox

_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection"}


async def _read_request(
    connection: h11.Connection, reader: asyncio.StreamReader
) -> tuple[h11.Request, bytes] | None:
    """The next request on the connection, or None once the client has closed it."""
    request: h11.Request | None = None
    body = bytearray()
    while True:
        event = connection.next_event()
        if event is h11.NEED_DATA:
            connection.receive_data(await reader.read(65_536))
        elif isinstance(event, h11.Request):
            request = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage) and request is not None:
            return request, bytes(body)
        elif isinstance(event, h11.ConnectionClosed):
            return None


async def _serve_connection(
    sandbox: Sandbox,
    open_connections: set[asyncio.StreamWriter],
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
) -> None:
    connection = h11.Connection(h11.SERVER)
    open_connections.add(writer)
    try:
        while (received := await _read_request(connection, reader)) is not None:
            head, body = received
            headers = [(name.decode(), value.decode()) for name, value in head.headers]
            host = dict(headers).get("host", "localhost")
            request = httpx.Request(
                head.method.decode(), f"http://{host}{head.target.decode()}", headers=headers,
                content=body,
            )  # fmt: skip
            # An injected network fault raises httpx.TransportError: hang up without an answer.
            response = await sandbox.handle_async(request)
            content = wire_bytes(response)
            kept = [(k, v) for k, v in response.headers.items() if k.lower() not in _HOP_BY_HOP]
            answer = h11.Response(
                status_code=response.status_code,
                headers=[*kept, ("content-length", str(len(content)))],
            )
            writer.write(
                connection.send(answer)
                + connection.send(h11.Data(data=content))
                + connection.send(h11.EndOfMessage())
            )
            await writer.drain()
            if connection.our_state is not h11.DONE or connection.their_state is not h11.DONE:
                break
            connection.start_next_cycle()
    except (httpx.TransportError, h11.ProtocolError, ConnectionError):
        pass
    finally:
        open_connections.discard(writer)
        writer.close()


class SandboxServer:
    """A sandbox workspace on http://127.0.0.1:PORT.

    `with SandboxServer() as server:` serves from a background thread (its own event loop, so it
    may be started from sync or async code); point a toolkit at `base_url=server.url`.
    `serve_forever()` serves in this thread instead.

    Args:
        sandbox: the workspace to serve (a new `Sandbox()` by default).
        host: the address to listen on (loopback by default).
        port: the port; 0 picks a free one.
    """

    def __init__(
        self, sandbox: Sandbox | None = None, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.sandbox = sandbox or Sandbox()
        # Bound now, so `url` is known before serving starts.
        self._socket = socket.create_server((host, port), backlog=1024)
        self._loop = asyncio.new_event_loop()
        self._connections: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._socket.getsockname()[:2]
        return f"http://{host}:{port}"

    async def _listen(self) -> None:
        serve = partial(_serve_connection, self.sandbox, self._connections)
        self._server = await asyncio.start_server(serve, sock=self._socket)

    async def _shut_down(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._connections):
            writer.close()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def start(self) -> SandboxServer:
        listening = threading.Event()

        def serve() -> None:
            self._loop.run_until_complete(self._listen())
            listening.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, name="cio-toolkit-sandbox", daemon=True)
        self._thread.start()
        listening.wait()
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shut_down(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join()
        self._loop.close()
        self._socket.close()

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (`cio-toolkit sandbox`)."""
        self._loop.run_until_complete(self._listen())
        try:
            self._loop.run_forever()
        finally:
            self._loop.run_until_complete(self._shut_down())
            self._loop.close()
            self._socket.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
