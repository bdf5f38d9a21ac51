"""Sync and async Customer.io clients over one sans-IO core; only sending and sleeping differ."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from pydantic import ValidationError

from ._methods import AsyncMethods, SyncMethods
from ._version import __version__
from .errors import (
    CustomerIOError,
    DeliveryUnknownError,
    TransportError,
    error_class_for,
    parse_error_detail,
)
from .operation import ArgsT, Operation, Pace, Result, ResultT
from .operations import OPERATIONS
from .pacing import NoPacing, Pacer, workspace_pacer
from .retry import RetryPolicy, RetryState, may_have_arrived
from .settings import DEFAULT_TIMEOUT, Settings

if TYPE_CHECKING:
    import asyncio

logger = logging.getLogger("cio_toolkit")
# Requests one async client has on the wire at once; more wait their turn before pacing. Enough
# for 100 sends/s at up to 200 ms a round trip; more connections would cost every request
# (httpx's pool checks each of its connections per request).
MAX_IN_FLIGHT = 20

T = TypeVar("T")


# The steps the sans-IO core asks its driver to perform.
@dataclass(frozen=True)
class _Send:
    """Wait for the pacer, send, and tell the pacer when the call has ended."""

    request: httpx.Request
    pace: Pace


@dataclass(frozen=True)
class _Sleep:
    seconds: float


_Step = _Send | _Sleep
_Outcome = httpx.Response | httpx.TransportError | None
_Flow = Generator[_Step, _Outcome, T]


class _Bound(Generic[ArgsT, ResultT]):
    """An operation as a client method: `client.list_campaigns()`, awaited on the async client.

    Made for every registered operation at run time; `_methods.py` declares their types.
    """

    def __init__(self, operation: Operation[ArgsT, ResultT]) -> None:
        self.operation = operation
        self.__doc__ = operation.description

    def __get__(self, client: BaseClient | None, owner: type) -> Any:
        if client is None:
            return self
        return functools.partial(client.execute, self.operation)  # type: ignore[attr-defined]


def _operation_methods(cls: type[T]) -> type[T]:
    """One method per registered operation, named after its tool: `client.list_segments()`."""
    for operation in OPERATIONS:
        setattr(cls, operation.method_name, _Bound(operation))
    return cls


@_operation_methods
class BaseClient:
    """Builds requests, reads answers, maps errors and decides retries; performs no I/O.

    Shared by `CustomerIOClient` and `AsyncCustomerIOClient`, which take the same arguments.

    Args:
        api_key: the App API key; default `CUSTOMERIO_APP_API_KEY`.
        region: `us` or `eu`; default `CUSTOMERIO_REGION`, else `us`.
        base_url: overrides the region's host (proxies, the sandbox server); default
            `CUSTOMERIO_BASE_URL`.
        timeout: seconds each network step of a request may take.
        rate_limit: `True` paces calls under Customer.io's limits with one budget per
            workspace in this process; `False` sends at once; or a `Pacer` of your own.
        retry: bounds on retrying (`RetryPolicy`).
        settings: resolved `Settings`, instead of the four connection arguments.

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
        rate_limit: bool | Pacer = True,
        retry: RetryPolicy | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.settings = settings or Settings.resolve(
            api_key, region=region, base_url=base_url, timeout=timeout
        )
        if rate_limit is True:
            secret = self.settings.api_key.get_secret_value()
            self.pacer: Pacer = workspace_pacer(self.settings.base_url, secret)
        else:
            self.pacer = rate_limit or NoPacing()
        self.retry = retry or RetryPolicy()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.settings.base_url!r})"

    def _http_options(self) -> dict[str, Any]:
        return {
            "base_url": self.settings.base_url,
            "timeout": self.settings.timeout,
            "headers": {
                "Authorization": f"Bearer {self.settings.api_key.get_secret_value()}",
                "Accept": "application/json",
                "User-Agent": f"cio-toolkit/{__version__}",
            },
        }

    def _flow(
        self,
        http: httpx.Client | httpx.AsyncClient,
        operation: Operation[ArgsT, ResultT],
        args: ArgsT,
    ) -> _Flow[ResultT]:
        parts = operation.request_parts(args)
        request = http.build_request(
            parts.method, parts.path, params=parts.query or None, json=parts.body
        )
        state = RetryState(self.retry, operation.is_write)
        while True:
            outcome = yield _Send(request, operation.pace)
            if isinstance(outcome, httpx.Response):
                logger.debug("%s: HTTP %d", operation.name, outcome.status_code)
                delay = state.delay_after_response(outcome)
                if delay is None:
                    return _answer(operation, args, outcome)
            else:
                logger.debug("%s: %s", operation.name, type(outcome).__name__)
                delay = state.delay_after_error(outcome)  # type: ignore[arg-type]
                if delay is None:
                    raise _network_error(operation, outcome, state.attempts)  # type: ignore[arg-type]
            logger.info("%s: retrying in %.2fs", operation.name, delay)
            yield _Sleep(delay)


class CustomerIOClient(BaseClient, SyncMethods):
    """The App API for programs, one method per operation: `client.list_segments()`.

    Takes `BaseClient`'s arguments, plus `transport` (an httpx transport, for tests and the
    sandbox). Connections are pooled; close the client, or use it as a context manager.
    Methods raise `InvalidArgumentsError` before sending anything, and the other
    `CustomerIOError`s for what Customer.io or the network did.
    """

    def __init__(
        self, *args: Any, transport: httpx.BaseTransport | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._http = httpx.Client(transport=transport, **self._http_options())

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
        args = operation.validate(arguments if arguments is not None else fields)
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
                self.pacer.wait(step.pace)
                try:
                    outcome = self._http.send(step.request)
                except httpx.TransportError as error:
                    outcome = error
                finally:
                    self.pacer.done(step.pace)
            else:
                time.sleep(step.seconds)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CustomerIOClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncCustomerIOClient(BaseClient, AsyncMethods):
    """The App API for asyncio programs: `await client.list_segments()`.

    The same arguments (`transport` is an httpx async transport here), operations, errors and
    rules as `CustomerIOClient`; close it with `await client.aclose()` or use it as an async
    context manager.
    """

    def __init__(
        self, *args: Any, transport: httpx.AsyncBaseTransport | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._http = httpx.AsyncClient(transport=transport, **self._http_options())
        self._wire: asyncio.Semaphore | None = None

    async def execute(
        self,
        operation: Operation[ArgsT, ResultT],
        arguments: Mapping[str, Any] | str | ArgsT | None = None,
        /,
        **fields: Any,
    ) -> ResultT:
        """Run one operation, as `CustomerIOClient.execute` does."""
        args = operation.validate(arguments if arguments is not None else fields)
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
                async with self._on_the_wire():
                    await self.pacer.wait_async(step.pace)
                    try:
                        outcome = await self._http.send(step.request)
                    except httpx.TransportError as error:
                        outcome = error
                    finally:
                        self.pacer.done(step.pace)
            else:
                import asyncio  # here, not at the top: `import cio_toolkit` stays light

                await asyncio.sleep(step.seconds)

    def _on_the_wire(self) -> asyncio.Semaphore:
        import asyncio

        if self._wire is None:
            self._wire = asyncio.Semaphore(MAX_IN_FLIGHT)
        return self._wire

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncCustomerIOClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _answer(operation: Operation[ArgsT, ResultT], args: ArgsT, response: httpx.Response) -> ResultT:
    """The typed result of a final response, or the error it stands for."""
    if not response.is_success:
        raise _status_error(operation, args, response)
    try:
        payload = response.json()
        # An empty 200 is not an empty list: every operation documents a JSON object.
        if not isinstance(payload, dict):
            raise ValueError("not a JSON object")
        return operation.parse(payload, args)
    except (ValueError, ValidationError):
        if operation.is_write:
            raise DeliveryUnknownError(
                f"Customer.io accepted {operation.name} (HTTP {response.status_code}) but its "
                "answer could not be read. It has probably gone out: do not send it again."
            ) from None
        raise CustomerIOError(
            f"Customer.io answered {operation.name} with something that is not the documented "
            "JSON; try again later."
        ) from None


def _status_error(
    operation: Operation[ArgsT, ResultT], args: ArgsT, response: httpx.Response
) -> CustomerIOError:
    status = response.status_code
    detail = parse_error_detail(response.content)
    said = f" Customer.io said: {detail}." if detail else ""
    if status >= 500 and operation.is_write:
        return DeliveryUnknownError(
            f"Customer.io failed with HTTP {status} on {operation.name}, after the request may "
            f"have been acted on.{said} It was not resent, so nothing goes out twice; check "
            "Customer.io before trying again."
        )
    error_class = error_class_for(status)
    if status == 404:
        message = f"{operation.not_found_message(args)}{said}"
    else:
        message = (
            f"Customer.io answered HTTP {status} to {operation.name}.{said} {error_class.advice}"
        )
    return error_class(message, status=status, detail=detail)


def _network_error(
    operation: Operation[Any, Any], error: httpx.TransportError, attempts: int
) -> CustomerIOError:
    kind = type(error).__name__
    if operation.is_write and may_have_arrived(error):
        return DeliveryUnknownError(
            f"The connection failed ({kind}) after the request for {operation.name} may have "
            "reached Customer.io. It was not resent, so nothing goes out twice; check Customer.io "
            "before trying again."
        )
    return TransportError(
        f"Could not reach Customer.io for {operation.name} ({kind}, {attempts} attempts); "
        "try again later."
    )


__all__ = ["AsyncCustomerIOClient", "BaseClient", "CustomerIOClient", "Result"]
