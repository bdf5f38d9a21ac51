"""OpenTelemetry spans for each tool call and each request it makes, with opentelemetry-api."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ._version import __version__
from ._wire import Answer

if TYPE_CHECKING:
    import httpx
    from opentelemetry.trace import Span, Tracer

    from ._operation import Operation

# The GenAI conventions' switch for recording what a tool was given and gave back: personal
# data (addresses, attributes, message bodies), so off unless the program turns it on.
CONTENT_VARIABLE = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
# The write outcome the audit line names (sent, refused, failed, unknown, dry_run).
WRITE_OUTCOME = "cio_toolkit.write.outcome"
PACING_WAIT = "cio_toolkit.pacing.wait_seconds"

_UNLOOKED = object()
_tracer: Any = _UNLOOKED
_api: Any = None  # opentelemetry.trace, once looked up
# The API's providers that record nothing: the default until a program sets one, and no-op.
_NOWHERE: tuple[type, ...] = ()


def tracer() -> Tracer | None:
    """This package's tracer, or None while no span could be recorded: without
    opentelemetry-api (then never imported), or before the program sets a tracer provider.

    Looked up at the first call rather than at import: `import cio_toolkit` stays light. The
    provider is asked each call (a global read): one set later is followed from then on, and
    until then no call pays for spans that would go nowhere.
    """
    global _tracer, _api, _NOWHERE
    if _tracer is _UNLOOKED:
        try:
            from opentelemetry import trace
        except ImportError:
            _tracer = None
        else:
            _api = trace
            _NOWHERE = (trace.ProxyTracerProvider, trace.NoOpTracerProvider)
            _tracer = trace.get_tracer("cio_toolkit", __version__)
    if _tracer is None or isinstance(_api.get_tracer_provider(), _NOWHERE):
        return None
    return _tracer  # type: ignore[no-any-return]


def content_recorded(choice: bool | None) -> bool:
    """Whether arguments and results go on spans: the program's `choice`, else the variable."""
    if choice is not None:
        return choice
    return os.environ.get(CONTENT_VARIABLE, "").strip().lower() == "true"


class ToolCallSpan:
    """The `execute_tool` span of one call, told what its write did; inert without a tracer."""

    def __init__(self, span: Span | None = None, record_content: bool = False) -> None:
        self.span = span
        self.record_content = record_content and span is not None

    def write_outcome(self, outcome: str) -> None:
        if self.span is not None:
            self.span.set_attribute(WRITE_OUTCOME, outcome)

    def result(self, text: str) -> None:
        """The text the model reads, only when content is recorded."""
        if self.span is not None and self.record_content:
            self.span.set_attribute("gen_ai.tool.call.result", text)


_UNTRACED_CALL = ToolCallSpan()


@contextmanager
def tool_call(
    operation: Operation[Any, Any],
    arguments: Any,
    call_id: str | None = None,
    record_content: bool = False,
) -> Iterator[ToolCallSpan]:
    """An `execute_tool {name}` span around one call, as the GenAI semantic conventions name
    it: current while the call runs, so each request's span is its child, and itself the child
    of whatever span is current (an MCP server's, a LangChain or LlamaIndex run's).

    Its status is ERROR with `error.type` the exception's class when the call raises, a
    cancellation included; never the message, which may quote a person's data.
    """
    chosen = tracer()
    if chosen is None:
        yield _UNTRACED_CALL
        return
    attributes: dict[str, Any] = {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": operation.name,
        "gen_ai.tool.description": operation.description,
        # Run by the program, with arguments a model chose: the conventions' "function".
        "gen_ai.tool.type": "function",
    }
    if call_id:
        attributes["gen_ai.tool.call.id"] = call_id
    if record_content and arguments is not None:
        attributes["gen_ai.tool.call.arguments"] = _as_text(arguments)
    with chosen.start_as_current_span(
        f"execute_tool {operation.name}",
        kind=_api.SpanKind.INTERNAL,
        attributes=attributes,
        record_exception=False,  # an exception's message and locals may hold personal data
        set_status_on_exception=False,
    ) as span:
        try:
            yield ToolCallSpan(span, record_content)
        except BaseException as error:
            span.set_attribute("error.type", type(error).__qualname__)
            span.set_status(_api.StatusCode.ERROR)
            raise


class RequestSpan:
    """The span of one request to Customer.io, from waiting for the pacer to the whole answer
    read; inert without a tracer. Started once the pacer lets the request go, dated from when
    it began waiting, so that all it knows at the start is set in one go."""

    def __init__(
        self, chosen: Tracer | None, request: httpx.Request, route: str, resends: int
    ) -> None:
        self.tracer = chosen
        self.span: Span | None = None
        if chosen is not None:
            self.request, self.route, self.resends = request, route, resends
            self.began, self.began_ns = time.monotonic(), time.time_ns()

    def paced(self) -> None:
        """The pacer let the request go: its span starts, saying how long that took."""
        if self.tracer is None or self.span is not None:
            return
        request, url = self.request, self.request.url
        attributes: dict[str, Any] = {
            "http.request.method": request.method,
            "url.template": self.route,
            "server.address": url.host,
            PACING_WAIT: round(time.monotonic() - self.began, 6),
        }
        if url.port is not None:
            attributes["server.port"] = url.port
        if self.resends:
            attributes["http.request.resend_count"] = self.resends
        self.span = self.tracer.start_span(
            f"{request.method} {self.route}", kind=_api.SpanKind.CLIENT,
            attributes=attributes, start_time=self.began_ns,
        )  # fmt: skip

    def answered(self, outcome: Answer | httpx.TransportError | BaseException) -> None:
        if self.tracer is None:
            return
        self.paced()  # stopped while waiting its turn: the span says so all the same
        assert self.span is not None
        error: str | None = None
        if isinstance(outcome, Answer):
            self.span.set_attribute("http.response.status_code", outcome.status)
            if outcome.status >= 400:
                error = str(outcome.status)
            elif outcome.unreadable is not None:
                error = type(outcome.unreadable).__qualname__
        else:  # the network's error, or what stopped the call (a cancellation...)
            error = type(outcome).__qualname__
        if error is not None:
            self.span.set_attribute("error.type", error)
            self.span.set_status(_api.StatusCode.ERROR)


@contextmanager
def request(request: httpx.Request, route: str, resends: int) -> Iterator[RequestSpan]:
    """A client span around one attempt (`GET /v1/segments/{segment_id}`), as HTTP's semantic
    conventions name it: the route template, never the URL (a path can hold an email address, a
    query a person's attribute). Never made current: nothing runs inside it that could be its
    child, and attaching a context would cost every request."""
    traced = RequestSpan(tracer(), request, route, resends)
    try:
        yield traced
    except BaseException as error:
        traced.answered(error)
        raise
    finally:
        if traced.span is not None:
            traced.span.end()


def _as_text(arguments: Any) -> str:
    """The arguments as given: JSON text as it came, a mapping as compact JSON."""
    if isinstance(arguments, str):
        return arguments
    return json.dumps(arguments, default=str, separators=(",", ":"))
