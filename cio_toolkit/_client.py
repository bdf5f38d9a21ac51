"""Sync and async Customer.io clients over one sans-IO core; only sending and sleeping differ."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from . import _tracing as tracing
from ._errors import (
    ClientClosedError,
)
from ._kept import CACHED_ANSWERS, Kept
from ._methods import AsyncMethods, SyncMethods
from ._operation import ArgsT, Operation, Pace, Result, ResultT
from ._outcomes import network_error, result_of
from ._pacing import NoPacing, Pacer, shared_pacer, workspace_pacer
from ._retry import RetryPolicy, RetryState
from ._settings import DEFAULT_TIMEOUT, RATE_LIMIT_VARIABLE, Settings
from ._version import __version__
from ._wire import (
    ACCEPT_ENCODING,
    DEFAULT_MAX_RESPONSE_BYTES,
    Answer,
    AnswerTooLarge,
    AnswerUndecodable,
    BoundedBody,
    async_http_transport,
    deadline,
    http_transport,
)

if TYPE_CHECKING:
    import asyncio

logger = logging.getLogger("cio_toolkit")
# Requests one async client has on the wire at once; more wait their turn before pacing. Enough
# for 100 sends/s at up to 200 ms a round trip; more connections would cost every request
# (httpx's pool checks each of its connections per request).
MAX_IN_FLIGHT = 20

T = TypeVar("T")
TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)


# The steps the sans-IO core asks its driver to perform.
@dataclass(frozen=True)
class _Send:
    """Wait for the pacer, send, read the whole answer within the attempt's deadline, and tell
    the pacer when the call has ended."""

    request: httpx.Request
    pace: Pace
    route: str  # the path template, as the request's span names it
    resends: int  # attempts before this one


@dataclass(frozen=True)
class _Sleep:
    seconds: float


_Step = _Send | _Sleep
_Outcome = Answer | httpx.TransportError | None
_Flow = Generator[_Step, _Outcome, T]
# Told when a request is about to leave: from then on a write may reach Customer.io.
OnSend = Callable[[], None]


class BaseClient(Generic[TransportT]):
    """Builds requests, reads answers, maps errors and decides retries; performs no I/O.

    Shared by `CustomerIOClient` and `AsyncCustomerIOClient`, which take the same arguments.

    Args:
        api_key: the App API key; default `CUSTOMERIO_APP_API_KEY`.
        region: `us` or `eu`; default `CUSTOMERIO_REGION`, else `us`.
        base_url: overrides the region's host (proxies, the sandbox server); default
            `CUSTOMERIO_BASE_URL`.
        timeout: seconds each attempt may take in all: connecting, sending and reading the
            whole answer, however slowly it comes.
        rate_limit: `True` paces calls under Customer.io's limits with one budget per
            workspace in this process (or, when `CUSTOMERIO_RATE_LIMIT_URL` is set, in that
            Redis); `"redis://host:port/db"` shares one budget with every process on the key;
            `False` sends at once; or a `Pacer` of your own.
        retry: bounds on retrying (`RetryPolicy`).
        max_response_bytes: the largest answer read, counted after decompression; past it the
            call fails (a read) or is reported as possibly delivered (a write).
        settings: resolved `Settings`, instead of the four connection arguments.
        clock: Unix seconds now, which windows relative to now are resolved against (default
            the system clock; a fixed one in tests).
        transport: an httpx transport (sync for `CustomerIOClient`, async for
            `AsyncCustomerIOClient`): the sandbox's, or a mock in tests; default the network.

    Raises:
        ConfigurationError: no key, an unknown region, or a malformed base URL or timeout.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        region: str | None = None,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        rate_limit: bool | str | Pacer = True,
        retry: RetryPolicy | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        settings: Settings | None = None,
        clock: Callable[[], float] = time.time,
        transport: TransportT | None = None,
    ) -> None:
        self.clock = clock
        self.settings = settings or Settings.resolve(
            api_key, region=region, base_url=base_url, timeout=timeout
        )
        self.max_response_bytes = max_response_bytes
        self.pacer = _pacer(rate_limit, self.settings)
        self.retry = retry or RetryPolicy()
        self._answers = Kept(CACHED_ANSWERS)
        self._open(transport)

    def _open(self, transport: TransportT | None) -> None:
        """Make the pooled httpx client (each subclass its own kind)."""
        raise NotImplementedError

    def _check_open(self, http: httpx.Client | httpx.AsyncClient) -> None:
        if http.is_closed:
            raise ClientClosedError(
                f"This {type(self).__name__} was closed; make a new one (or use it as a context "
                "manager around every call)."
            )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.settings.base_url!r})"

    def _http_options(self) -> dict[str, Any]:
        return {
            "base_url": self.settings.base_url,
            "timeout": self.settings.timeout,
            "headers": {
                "Authorization": f"Bearer {self.settings.api_key.get_secret_value()}",
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
                "User-Agent": f"cio-toolkit/{__version__}",
            },
            # Proxies come from the transport (wire.proxy_for): httpx's own reading of the
            # environment would send a plain-http base URL, key and all, through HTTP_PROXY.
            "trust_env": False,
        }

    def _flow(
        self,
        http: httpx.Client | httpx.AsyncClient,
        operation: Operation[ArgsT, ResultT],
        args: ArgsT,
    ) -> _Flow[ResultT]:
        operation = operation.variant_for(args)
        result = yield from self._call(http, operation, args)
        for follow_up in operation.then:
            part = yield from self._call(http, follow_up, follow_up.follow_up_args(args))
            result = result.joined(part)  # type: ignore[assignment]
        if operation.each is not None:
            for each_args in result.each_args(args):
                part = yield from self._call(http, operation.each, each_args)
                result = result.joined(part)  # type: ignore[assignment]
        return result

    def _call(
        self,
        http: httpx.Client | httpx.AsyncClient,
        operation: Operation[ArgsT, ResultT],
        args: ArgsT,
    ) -> _Flow[ResultT]:
        parts = operation.request_parts(args)
        request = http.build_request(
            parts.method, parts.path, params=parts.query or None, json=parts.body
        )
        if operation.cached and (kept := self._answers.get(str(request.url))) is not None:
            return kept  # type: ignore[no-any-return]
        state = RetryState(self.retry, operation.is_write)
        while True:
            outcome = yield _Send(request, operation.pace, operation.path, state.attempts)
            if isinstance(outcome, Answer):
                logger.debug("%s: HTTP %d", operation.name, outcome.status)
                delay = state.delay_after_response(outcome.status, outcome.headers)
                if delay is None:
                    result = result_of(operation, args, outcome)
                    if operation.cached:
                        self._answers.put(str(request.url), result)
                    return result
            else:
                assert outcome is not None
                logger.debug("%s: %s", operation.name, type(outcome).__name__)
                delay = state.delay_after_error(outcome)
                if delay is None:
                    raise network_error(operation, args, outcome, state.attempts)
            logger.info("%s: retrying in %.2fs", operation.name, delay)
            yield _Sleep(delay)


class CustomerIOClient(BaseClient[httpx.BaseTransport], SyncMethods):
    """The App API for programs, one method per operation: `client.list_segments()`.

    Takes `BaseClient`'s arguments (`transport`: an httpx transport, for tests and the
    sandbox). Connections are pooled; close the client, or use it as a context manager.
    Methods raise `InvalidArgumentsError` before sending anything, the other
    `CustomerIOError`s for what Customer.io or the network did, and `ClientClosedError` after
    `close()`.
    """

    _http: httpx.Client

    def _open(self, transport: httpx.BaseTransport | None) -> None:
        chosen = transport or http_transport(self.settings.base_url)
        self._http = httpx.Client(transport=chosen, **self._http_options())

    def execute(
        self,
        operation: Operation[ArgsT, ResultT],
        arguments: Mapping[str, Any] | str | ArgsT | None = None,
        /,
        **fields: Any,
    ) -> ResultT:
        """Run one operation, with its arguments as a mapping, JSON text or keywords.

        Raises:
            InvalidArgumentsError: before anything is sent, naming each bad field.
            CustomerIOError: what Customer.io or the network did (see the error classes).
        """
        given = fields if arguments is None else arguments
        return self.perform(operation, operation.validate(given, now=self.clock()))

    def perform(
        self, operation: Operation[ArgsT, ResultT], args: ArgsT, on_send: OnSend | None = None
    ) -> ResultT:
        """Run one operation with arguments already validated; `on_send` hears each request
        leave. Raises as `execute` does, and ClientClosedError after `close()`."""
        self._check_open(self._http)
        flow = self._flow(self._http, operation, args)
        outcome: _Outcome = None
        while True:
            try:
                step = flow.send(outcome)
            except StopIteration as done:
                result: ResultT = done.value
                return result
            outcome = None
            if isinstance(step, _Send):
                with tracing.request(step.request, step.route, step.resends) as span:
                    slot = self.pacer.wait(step.pace)
                    span.paced()
                    try:
                        if on_send is not None:
                            on_send()
                        outcome = self._attempt(step.request)
                    finally:
                        self.pacer.done(slot)
                    span.answered(outcome)
            else:
                time.sleep(step.seconds)

    def _attempt(self, request: httpx.Request) -> Answer | httpx.TransportError:
        with deadline(self.settings.timeout):
            try:
                response = self._http.send(request, stream=True)
                try:
                    body = BoundedBody.of(response, self.max_response_bytes)
                    for chunk in response.iter_raw() if body.pending else ():
                        body.feed(chunk)
                    return Answer(response.status_code, response.headers, body.content())
                except (AnswerTooLarge, AnswerUndecodable) as unreadable:
                    return Answer(response.status_code, response.headers, b"", unreadable)
                finally:
                    response.close()
            except httpx.TransportError as error:
                return error

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    def __enter__(self) -> CustomerIOClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncCustomerIOClient(BaseClient[httpx.AsyncBaseTransport], AsyncMethods):
    """The App API for asyncio programs: `await client.list_segments()`.

    The same arguments (`transport` is an httpx async transport here), operations, errors and
    rules as `CustomerIOClient`; close it with `await client.aclose()` or use it as an async
    context manager. It belongs to the event loop it is first used on.
    """

    _http: httpx.AsyncClient
    _wire: asyncio.Semaphore | None = None

    def _open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        chosen = transport or async_http_transport(self.settings.base_url)
        self._http = httpx.AsyncClient(transport=chosen, **self._http_options())

    async def execute(
        self,
        operation: Operation[ArgsT, ResultT],
        arguments: Mapping[str, Any] | str | ArgsT | None = None,
        /,
        **fields: Any,
    ) -> ResultT:
        """Run one operation, as `CustomerIOClient.execute` does."""
        given = fields if arguments is None else arguments
        return await self.perform(operation, operation.validate(given, now=self.clock()))

    async def perform(
        self, operation: Operation[ArgsT, ResultT], args: ArgsT, on_send: OnSend | None = None
    ) -> ResultT:
        """`CustomerIOClient.perform` for asyncio programs."""
        self._check_open(self._http)
        flow = self._flow(self._http, operation, args)
        outcome: _Outcome = None
        while True:
            try:
                step = flow.send(outcome)
            except StopIteration as done:
                result: ResultT = done.value
                return result
            outcome = None
            if isinstance(step, _Send):
                # A rate slot is taken only once the request can go on the wire: slots taken by
                # requests still queued for a connection would sit idle, counted all the while.
                with tracing.request(step.request, step.route, step.resends) as span:
                    async with self._on_the_wire():
                        slot = await self.pacer.wait_async(step.pace)
                        span.paced()
                        try:
                            if on_send is not None:
                                on_send()
                            outcome = await self._attempt(step.request)
                        finally:
                            self.pacer.done(slot)
                    span.answered(outcome)
            else:
                import asyncio  # here, not at the top: `import cio_toolkit` stays light

                await asyncio.sleep(step.seconds)

    async def _attempt(self, request: httpx.Request) -> Answer | httpx.TransportError:
        with deadline(self.settings.timeout):
            try:
                response = await self._http.send(request, stream=True)
                try:
                    body = BoundedBody.of(response, self.max_response_bytes)
                    if body.pending:
                        async for chunk in response.aiter_raw():
                            body.feed(chunk)
                    return Answer(response.status_code, response.headers, body.content())
                except (AnswerTooLarge, AnswerUndecodable) as unreadable:
                    return Answer(response.status_code, response.headers, b"", unreadable)
                finally:
                    await response.aclose()
            except httpx.TransportError as error:
                return error

    def _on_the_wire(self) -> asyncio.Semaphore:
        import asyncio

        if self._wire is None:
            self._wire = asyncio.Semaphore(MAX_IN_FLIGHT)
        return self._wire

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncCustomerIOClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _pacer(rate_limit: bool | str | Pacer, settings: Settings) -> Pacer:
    """The pacer a `rate_limit` setting stands for."""
    if rate_limit is False:
        return NoPacing()
    if not isinstance(rate_limit, (bool, str)):
        return rate_limit
    secret = settings.api_key.get_secret_value()
    url = rate_limit if isinstance(rate_limit, str) else os.environ.get(RATE_LIMIT_VARIABLE, "")
    if not url.strip():
        return workspace_pacer(settings.base_url, secret)
    # A slot outlives any attempt (each ends within `timeout`) unless its process died.
    return shared_pacer(url.strip(), settings.base_url, secret, lease=4 * settings.timeout)


__all__ = ["AsyncCustomerIOClient", "BaseClient", "CustomerIOClient", "Result"]
