"""What crosses the network: transports with a deadline per attempt, proxies, bounded answers."""

from __future__ import annotations

import contextlib
import contextvars
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

if TYPE_CHECKING:
    import httpcore

# When the attempt under way must be over (time.monotonic()), for every network step it takes.
# A context variable: the sync client sends from the caller's thread and the async one from the
# caller's task, so each attempt sees its own deadline.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "cio_toolkit_deadline", default=None
)
# Most of an answer Customer.io has a use for is well under 1 MB; the largest legitimate ones are
# a 1,000-person search page (~80 KB), a big workspace's campaign list (~1.5 MB for 5,000) and
# years of hourly metrics (~8 MB for 10 years). Anything past this is not an App API answer.
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
# What we ask for: the encodings `BoundedBody` can inflate a bounded amount at a time.
ACCEPT_ENCODING = "gzip, deflate"
_READ = 64 * 1024


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Every network step inside must end within `seconds` from now, however slowly data comes.

    A step that would outlast it is cut off with httpx's own timeout error (connect, write or
    read), so the retry rules treat it as any other timeout.
    """
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def _remaining(timeout: float | None, step: str) -> float | None:
    """The step's timeout (`step` is connect, read or write), shortened to what the attempt's
    deadline leaves; past the deadline, httpcore's own timeout error for that step."""
    ends = _deadline.get()
    if ends is None:
        return timeout
    left = ends - time.monotonic()
    if left <= 0:
        import httpcore  # loaded by httpx's transport by now; not at `import cio_toolkit`

        error = {
            "connect": httpcore.ConnectTimeout,
            "read": httpcore.ReadTimeout,
            "write": httpcore.WriteTimeout,
        }[step]
        raise error("the attempt's deadline passed")
    return left if timeout is None else min(timeout, left)


# The wrappers keep httpcore's network interfaces (`httpcore.NetworkBackend` and friends) by
# duck typing: subclassing them would import httpcore with cio_toolkit.
class _BoundedStream:
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _remaining(timeout, "read"))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _remaining(timeout, "write"))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> _BoundedStream:
        limit = _remaining(timeout, "connect")
        return _BoundedStream(self._stream.start_tls(ssl_context, server_hostname, limit))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _BoundedBackend:
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> _BoundedStream:
        limit = _remaining(timeout, "connect")
        return _BoundedStream(
            self._backend.connect_tcp(host, port, limit, local_address, socket_options)
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> _BoundedStream:
        limit = _remaining(timeout, "connect")
        return _BoundedStream(self._backend.connect_unix_socket(path, limit, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _AsyncBoundedStream:
    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, _remaining(timeout, "read"))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, _remaining(timeout, "write"))

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> _AsyncBoundedStream:
        limit = _remaining(timeout, "connect")
        return _AsyncBoundedStream(
            await self._stream.start_tls(ssl_context, server_hostname, limit)
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _AsyncBoundedBackend:
    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> _AsyncBoundedStream:
        limit = _remaining(timeout, "connect")
        return _AsyncBoundedStream(
            await self._backend.connect_tcp(host, port, limit, local_address, socket_options)
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> _AsyncBoundedStream:
        limit = _remaining(timeout, "connect")
        stream = await self._backend.connect_unix_socket(path, limit, socket_options)
        return _AsyncBoundedStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def proxy_for(base_url: str) -> str | None:
    """The proxy for Customer.io calls: from HTTPS_PROXY (or ALL_PROXY) and NO_PROXY, and only for
    an https base URL, which a proxy can only tunnel (CONNECT): it never sees the key. A plain
    http base URL (the loopback sandbox, tests) never goes through a proxy."""
    import urllib.request  # costly to import; needed only when a client is made

    parts = urlsplit(base_url)
    if parts.scheme != "https":
        return None
    if urllib.request.proxy_bypass(parts.netloc):  # NO_PROXY, on Linux
        return None
    found = urllib.request.getproxies_environment()
    return found.get("https") or found.get("all")


def _bounded_pool(transport: httpx.HTTPTransport | httpx.AsyncHTTPTransport) -> None:
    # httpx builds its httpcore pool itself and offers no way to pass a network backend; the pool
    # keeps it as `_network_backend` (httpcore 1.x). Checked here so a change fails loudly.
    pool: Any = transport._pool
    if not hasattr(pool, "_network_backend"):  # pragma: no cover - a future httpcore
        raise RuntimeError("cio_toolkit cannot bound this httpcore version's network calls")
    bounded = isinstance(transport, httpx.AsyncHTTPTransport)
    wrap = _AsyncBoundedBackend if bounded else _BoundedBackend
    pool._network_backend = wrap(pool._network_backend)


def http_transport(base_url: str) -> httpx.HTTPTransport:
    """The sync transport for `base_url`: deadlines enforced, the proxy chosen by `proxy_for`,
    certificates from SSL_CERT_FILE/SSL_CERT_DIR when set."""
    transport = httpx.HTTPTransport(proxy=proxy_for(base_url), trust_env=True)
    _bounded_pool(transport)
    return transport


def async_http_transport(base_url: str) -> httpx.AsyncHTTPTransport:
    """The async twin of `http_transport`."""
    transport = httpx.AsyncHTTPTransport(proxy=proxy_for(base_url), trust_env=True)
    _bounded_pool(transport)
    return transport


class AnswerTooLarge(Exception):
    """The answer went past `max_response_bytes` once decompressed."""


class AnswerUndecodable(Exception):
    """The answer's bytes could not be decompressed as its Content-Encoding says."""


class BoundedBody:
    """An answer's body, inflated a bounded amount at a time and refused past `limit` bytes.

    Hand-written because httpx inflates each chunk whole: a 64 KB piece of a gzip bomb becomes
    64 MB before anyone can count it.
    """

    @classmethod
    def of(cls, response: httpx.Response, limit: int) -> BoundedBody:
        """The body of `response`, with whatever is already in memory fed in.

        An answer built in memory (mock transports, the in-process sandbox) was read and decoded
        by httpx already; only its size is left to check. One from the network is fed by
        the caller, chunk by chunk, while `pending`.
        """
        if not response.is_stream_consumed:
            return cls(response.headers, limit)
        body = cls(httpx.Headers(), limit)
        body.feed(response.content)
        body.pending = False
        return body

    def __init__(self, headers: httpx.Headers, limit: int) -> None:
        self.limit = limit
        self.pending = True
        self._parts: list[bytes] = []
        self._size = 0
        encodings = [e.strip().lower() for e in headers.get("content-encoding", "").split(",")]
        encodings = [e for e in encodings if e and e != "identity"]
        if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "deflate")):
            raise AnswerUndecodable(f"unexpected Content-Encoding {', '.join(encodings)}")
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 32) if encodings else None

    def feed(self, chunk: bytes) -> None:
        if self._inflate is None:
            self._keep(chunk)
            return
        try:
            while chunk:
                self._keep(self._inflate.decompress(chunk, _READ))
                chunk = self._inflate.unconsumed_tail
        except zlib.error as error:
            raise AnswerUndecodable(f"the compressed body is corrupt ({error})") from None

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.limit:
            raise AnswerTooLarge(f"larger than {self.limit:,} bytes")
        if data:
            self._parts.append(data)

    def content(self) -> bytes:
        if self._inflate is not None:
            self._keep(self._inflate.flush())
            if not self._inflate.eof:
                raise AnswerUndecodable("the compressed body ends early")
        return b"".join(self._parts)


@dataclass(frozen=True)
class Answer:
    """What came back from one attempt: status, headers and the whole (decompressed) body.

    `unreadable` says why the body could not be had (too large, corrupt); `content` is then
    empty, and only the status and headers count.
    """

    status: int
    headers: httpx.Headers
    content: bytes
    unreadable: AnswerTooLarge | AnswerUndecodable | None = None

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300
