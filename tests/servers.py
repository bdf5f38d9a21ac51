"""Real servers for tests and benchmarks: a `redis-server` on a free loopback port, a raw
loopback HTTP server that answers as slowly, or as hugely, as a test needs, and the toolkit's own
MCP server over HTTP in a subprocess.

No mocks: shared pacing is tested against Redis itself. Without `redis-server` on the machine the
tests that need it are skipped with the reason shown, except in CI (`CIO_TOOLKIT_CI=1`, set by
`.ci/run`, which installs Debian's package), where its absence fails them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

REQUIRED_VARIABLE = "CIO_TOOLKIT_CI"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """`redis-server` on 127.0.0.1, in a temporary folder, nothing persisted."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._folder = tempfile.TemporaryDirectory(prefix="cio-toolkit-redis-")
        self._command = [
            binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", self._folder.name, "--protected-mode", "yes",
        ]  # fmt: skip
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        self._process = subprocess.Popen(
            self._command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)

    def close(self) -> None:
        self.stop()
        self._folder.cleanup()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class RawServer:
    """A loopback server answering every request with `pieces()`, one every `interval` seconds:
    too slowly for any single read to time out, or (interval 0) a big answer, streamed."""

    def __init__(self, pieces: Callable[[], Iterable[bytes]], interval: float = 0.0) -> None:
        self.pieces, self.interval = pieces, interval
        self.requests = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            received = b""
            while b"\r\n\r\n" not in received:
                received += connection.recv(65_536)
            self.requests += 1
            for piece in self.pieces():
                if self._stopped.wait(self.interval):
                    return
                try:
                    connection.sendall(piece)
                except OSError:  # the client gave up
                    return

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopped.set()
        self._server.close()


def gzip_bomb(inflated: int) -> bytes:
    """`inflated` bytes of zeros, gzipped (a thousandth of the size), made a chunk at a time."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    parts = [squeeze.compress(zeros) for _ in range(inflated // len(zeros))]
    return b"".join([*parts, squeeze.flush()])


MCP_COMMAND = [sys.executable, "-m", "cio_toolkit.cli", "mcp"]


def rpc(number: int, method: str, **params: Any) -> dict[str, Any]:
    """A JSON-RPC request, for tests that speak MCP byte for byte rather than through a client."""
    return {"jsonrpc": "2.0", "id": number, "method": method, "params": params}


INITIALIZE = rpc(0, "initialize", protocolVersion="2025-06-18", capabilities={},
                 clientInfo={"name": "cio-toolkit-tests", "version": "1"})  # fmt: skip
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without any Customer.io or MCP setting, plus `extra`."""
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CUSTOMERIO_") and key != "CIO_TOOLKIT_MCP_TOKEN"
    }
    return {**kept, **extra}


class McpHttpServer:
    """`cio-toolkit mcp --http` in a subprocess on a free port; `log` holds what it printed."""

    def __init__(self, *flags: str, env: Mapping[str, str] | None = None) -> None:
        self.flags = flags
        self.env = dict(env) if env is not None else clean_environment()
        self.log: list[str] = []
        self.url = ""
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> McpHttpServer:
        self.process = subprocess.Popen(
            [*MCP_COMMAND, "--http", "--port", "0", *self.flags],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=self.env,
        )
        listening = threading.Event()

        def drain() -> None:
            assert self.process is not None and self.process.stderr is not None
            for line in self.process.stderr:
                self.log.append(line)
                if line.startswith("MCP server (streamable HTTP) at "):
                    self.url = line.rsplit(" at ", 1)[1].strip()
                    listening.set()
            listening.set()  # it exited

        threading.Thread(target=drain, daemon=True).start()
        listening.wait(30)
        if not self.url:
            self.__exit__()
            raise RuntimeError("the MCP server did not start: " + "".join(self.log))
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
