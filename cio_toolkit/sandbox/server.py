"""The sandbox over real loopback HTTP, for clients in other processes and for benchmarks."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from .workspace import Sandbox

logger = logging.getLogger("cio_toolkit.sandbox")


class _Handler(BaseHTTPRequestHandler):
    # Keep-alive, as Customer.io's servers and httpx's pool expect.
    protocol_version = "HTTP/1.1"
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        request = httpx.Request(
            self.command,
            f"http://{self.headers.get('Host', 'localhost')}{self.path}",
            headers=dict(self.headers.items()),
            content=self.rfile.read(length) if length else b"",
        )
        try:
            response = self.server.sandbox.handle(request)
        except httpx.TransportError:
            # An injected network fault: hang up without an answer, as a dropped connection does.
            self.close_connection = True
            return
        content = response.read()
        self.send_response(response.status_code)
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("sandbox: " + format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Many concurrent clients (the load test opens hundreds of connections at once).
    request_queue_size = 1024

    def __init__(self, sandbox: Sandbox, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.sandbox = sandbox


class SandboxServer:
    """A sandbox workspace on http://127.0.0.1:PORT, served from a background thread.

    `with SandboxServer() as server:` then point a toolkit at `base_url=server.url`.
    Port 0 picks a free port.
    """

    def __init__(self, sandbox: Sandbox | None = None, *, host: str = "127.0.0.1", port: int = 0):
        self.sandbox = sandbox or Sandbox()
        self._server = _Server(self.sandbox, host, port)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SandboxServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="cio-toolkit-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (`cio-toolkit sandbox`)."""
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
