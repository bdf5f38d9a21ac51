"""OpenTelemetry: one `execute_tool` span per tool call with a child per request, as the GenAI
and HTTP semantic conventions name them, under whatever span is current (an MCP server's, a
LangChain or LlamaIndex run's); nothing personal unless asked for; nothing imported without it.

Spans are read from the OpenTelemetry SDK's own in-memory exporter."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from cio_toolkit import CustomerIOToolkit, DeliveryUnknownError, NotFoundError
from cio_toolkit.jobs import SEGMENT_SIZE, example_jobs
from cio_toolkit.sandbox import Sandbox
from tests.cases import SEND

EXPORTER = InMemorySpanExporter()
SECRET_KEY = "sk_tracing-test-key-0123456789"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """This process's tracer provider, set once (the API allows one), its spans cleared."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
        trace.set_tracer_provider(provider)
    EXPORTER.clear()
    yield EXPORTER
    EXPORTER.clear()


def kit(sandbox: Sandbox | None = None, **options: Any) -> CustomerIOToolkit:
    return CustomerIOToolkit.sandbox(sandbox or Sandbox(rate_limits=False), rate_limit=False,
                                     tools="all", **options)  # fmt: skip


def tool_spans(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if s.name.startswith("execute_tool ")]


def children(exporter: InMemorySpanExporter, parent: ReadableSpan) -> list[ReadableSpan]:
    return [
        s for s in exporter.get_finished_spans()
        if s.parent is not None and s.parent.span_id == parent.context.span_id
    ]  # fmt: skip


def every_text(exporter: InMemorySpanExporter) -> str:
    """Every name, attribute and event of every span, as one text to search."""
    return json.dumps([
        [s.name, dict(s.attributes or {}), [dict(e.attributes or {}) for e in s.events],
         s.status.description]
        for s in exporter.get_finished_spans()
    ], default=str)  # fmt: skip


def test_a_call_is_one_execute_tool_span_with_a_client_span_per_request(
    spans: InMemorySpanExporter,
) -> None:
    sandbox = Sandbox(rate_limits=False)
    kit(sandbox).call("customerio_get_segment_size", {"segment_id": 2})
    (call,) = tool_spans(spans)
    assert call.name == "execute_tool customerio_get_segment_size"
    assert call.kind == SpanKind.INTERNAL and call.status.status_code == StatusCode.UNSET
    attributes = dict(call.attributes or {})
    assert attributes["gen_ai.operation.name"] == "execute_tool"
    assert attributes["gen_ai.tool.name"] == "customerio_get_segment_size"
    assert attributes["gen_ai.tool.type"] == "function"
    assert attributes["gen_ai.tool.description"].startswith("How many people")
    requests = sorted(children(spans, call), key=lambda s: s.start_time or 0)
    # The route template, never the URL: no id in it (a path can hold an email address).
    routes = [dict(r.attributes or {})["url.template"] for r in requests]
    assert routes == ["/v1/segments/{segment_id}/customer_count", "/v1/segments"]
    assert len(requests) == sum(sandbox.received.values()) >= 2  # the count, then the name
    for request in requests:
        assert request.kind == SpanKind.CLIENT
        seen = dict(request.attributes or {})
        assert request.name == f"GET {seen['url.template']}"
        assert seen["http.response.status_code"] == 200
        assert seen["http.response.status_code"] == 200
        assert seen["cio_toolkit.pacing.wait_seconds"] >= 0
        assert "http.request.resend_count" not in seen
    assert len(spans.get_finished_spans()) == 1 + len(requests)


def test_a_failed_call_says_its_error_type_and_a_retry_is_a_resend(
    spans: InMemorySpanExporter,
) -> None:
    with pytest.raises(NotFoundError):
        kit().call("customerio_get_campaign_metrics", {"campaign_id": 404})
    (failed,) = tool_spans(spans)
    assert failed.status.status_code == StatusCode.ERROR and not failed.status.description
    assert dict(failed.attributes or {})["error.type"] == "NotFoundError"
    (request,) = children(spans, failed)
    assert dict(request.attributes or {})["error.type"] == "404"
    spans.clear()
    sandbox = Sandbox(rate_limits=False)
    sandbox.inject("/v1/segments", status=503)
    kit(sandbox).call("customerio_list_segments", {})
    (call,) = tool_spans(spans)
    first, second = sorted(children(spans, call), key=lambda s: s.start_time or 0)
    assert dict(first.attributes or {})["error.type"] == "503"
    assert dict(second.attributes or {})["http.request.resend_count"] == 1
    assert dict(second.attributes or {})["http.response.status_code"] == 200


def test_a_write_says_its_outcome_and_nothing_personal_or_secret(
    spans: InMemorySpanExporter,
) -> None:
    sandbox = Sandbox(api_key=SECRET_KEY, rate_limits=False)
    toolkit = CustomerIOToolkit(SECRET_KEY, base_url="https://sandbox.cio-toolkit.invalid",
                                transport=sandbox.transport(), read_only=False,
                                rate_limit=False)  # fmt: skip
    toolkit.call("customerio_send_transactional_email", SEND)
    (sent,) = tool_spans(spans)
    assert dict(sent.attributes or {})["cio_toolkit.write.outcome"] == "sent"
    refused = {**SEND, "to": "not an address"}
    with pytest.raises(Exception, match="to"):
        toolkit.call("customerio_send_transactional_email", refused)
    outcomes = [
        dict(s.attributes or {}).get("cio_toolkit.write.outcome") for s in tool_spans(spans)
    ]
    assert outcomes == ["sent", "refused"]
    seen = every_text(spans)
    for private in (SECRET_KEY, SEND["to"], "A-1", "9.50", "not an address"):
        assert private not in seen, private
    assert "gen_ai.tool.call.arguments" not in seen and "gen_ai.tool.call.result" not in seen


def test_arguments_and_results_only_when_the_program_asks(
    spans: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = kit(trace_content=True).call("customerio_get_segment_size", {"segment_id": 2})
    (call,) = tool_spans(spans)
    attributes = dict(call.attributes or {})
    assert json.loads(attributes["gen_ai.tool.call.arguments"]) == {"segment_id": 2}
    assert attributes["gen_ai.tool.call.result"] == text
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
    assert kit().trace_content is True and kit(trace_content=False).trace_content is False


async def test_a_cancelled_write_says_so(spans: InMemorySpanExporter) -> None:
    sandbox = Sandbox(rate_limits=False)
    sandbox.inject("/v1/send/email", delay=1.0)
    toolkit = kit(sandbox, read_only=False)
    sending = asyncio.create_task(toolkit.acall("customerio_send_transactional_email", SEND))
    while not sandbox.received:  # the request has reached Customer.io
        await asyncio.sleep(0.01)
    sending.cancel()
    with pytest.raises(asyncio.CancelledError):
        await sending
    (call,) = tool_spans(spans)
    attributes = dict(call.attributes or {})
    assert (
        attributes["error.type"] == "CancelledError" and call.status.status_code == StatusCode.ERROR
    )
    assert attributes["cio_toolkit.write.outcome"] == "unknown"
    (request,) = children(spans, call)
    assert dict(request.attributes or {})["error.type"] == "CancelledError"
    await toolkit.aclose()


def test_a_lost_answer_to_a_write_is_unknown(spans: InMemorySpanExporter) -> None:
    import httpx

    sandbox = Sandbox(rate_limits=False)
    sandbox.inject("/v1/send/email", error=httpx.ReadTimeout, after=True)
    with pytest.raises(DeliveryUnknownError):
        kit(sandbox, read_only=False).call("customerio_send_transactional_email", SEND)
    (call,) = tool_spans(spans)
    assert dict(call.attributes or {})["cio_toolkit.write.outcome"] == "unknown"
    (request,) = children(spans, call)  # sent once: never again once it may have arrived
    assert dict(request.attributes or {})["error.type"] == "ReadTimeout"


def test_the_programs_current_span_is_the_parent(spans: InMemorySpanExporter) -> None:
    with trace.get_tracer("the-program").start_as_current_span("handle ticket") as outer:
        kit().call("customerio_list_segments", {})
    (call,) = tool_spans(spans)
    assert call.parent is not None and call.parent.span_id == outer.get_span_context().span_id


async def test_a_langchain_agent_run_nests_each_call_with_its_tool_call_id(
    spans: InMemorySpanExporter,
) -> None:
    from langchain.agents import create_agent

    from langchain_customerio.testing import ScriptedChatModel

    agent = create_agent(ScriptedChatModel(script=example_jobs), tools=kit().langchain_tools())
    with trace.get_tracer("the-program").start_as_current_span("agent run") as outer:
        state = await agent.ainvoke({"messages": [{"role": "user", "content": SEGMENT_SIZE}]})
    asked = [c["id"] for m in state["messages"] for c in getattr(m, "tool_calls", [])]
    calls = tool_spans(spans)
    assert [dict(c.attributes or {})["gen_ai.tool.call.id"] for c in calls] == asked and asked
    assert {c.context.trace_id for c in calls} == {outer.get_span_context().trace_id}


async def test_a_llamaindex_agent_run_nests_each_call(spans: InMemorySpanExporter) -> None:
    from llama_index.core.agent.workflow import FunctionAgent

    from llama_index.tools.customerio.testing import scripted_llm

    agent = FunctionAgent(tools=kit().llamaindex_tools(), llm=scripted_llm(example_jobs))
    with trace.get_tracer("the-program").start_as_current_span("agent run") as outer:
        await agent.run(user_msg=SEGMENT_SIZE)
    calls = tool_spans(spans)
    assert calls and {c.context.trace_id for c in calls} == {outer.get_span_context().trace_id}


async def test_over_mcp_the_sdks_server_span_is_the_parent(spans: InMemorySpanExporter) -> None:
    from mcp import Client

    from cio_toolkit.mcp_server import build_server

    async with Client(build_server(kit())) as client:  # the SDK's own in-process transport
        await client.call_tool("customerio_get_segment_size", {"segment_id": 2})
    (call,) = tool_spans(spans)
    (server,) = [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER
                 and s.name == "tools/call customerio_get_segment_size"]  # fmt: skip
    assert call.parent is not None and call.parent.span_id == server.context.span_id


def test_without_opentelemetry_nothing_is_imported_and_calls_work() -> None:
    """Run where opentelemetry cannot be imported, as without the extra."""
    script = """
import sys
sys.modules["opentelemetry"] = None  # what `import opentelemetry` meets when it is missing
import cio_toolkit
assert not [m for m in sys.modules if m.startswith("opentelemetry") and sys.modules[m]]
kit = cio_toolkit.CustomerIOToolkit.sandbox(rate_limit=False)
print(kit.call("customerio_list_segments", {}))
"""
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    here = CustomerIOToolkit.sandbox(rate_limit=False).call("customerio_list_segments", {})
    assert ran.stdout.strip() == here
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, cio_toolkit; print('opentelemetry' in sys.modules)"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert imported.stdout.strip() == "False"  # installed, yet not imported by the import


def test_a_provider_set_after_the_first_calls_is_followed_from_then_on() -> None:
    """Until the program sets a provider no span is made (none could go anywhere); the calls
    after it are traced."""
    script = """
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
import cio_toolkit

kit = cio_toolkit.CustomerIOToolkit.sandbox(rate_limit=False)
kit.call("customerio_list_segments", {})
exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
trace.set_tracer_provider(provider)
kit.call("customerio_list_segments", {})
print(sorted(span.name for span in exporter.get_finished_spans()))
"""
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "['GET /v1/segments', 'execute_tool customerio_list_segments']"
