"""Configuration: which tools a toolkit offers, what a model is shown, and where calls go."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest
import respx

from cio_toolkit import AsyncCustomerIOClient, CustomerIOToolkit, Settings, UnknownToolError
from cio_toolkit.operations import REGISTRY
from tests.conftest import API_KEY

READS = [name for name, op in REGISTRY.items() if not op.is_write]
WRITES = ["customerio_trigger_broadcast", "customerio_send_transactional_email"]


def test_read_only_by_default() -> None:
    kit = CustomerIOToolkit("k")
    assert [s.name for s in kit.specs] == READS
    assert {s.access for s in kit.specs} == {"read"}
    assert len(CustomerIOToolkit("k", read_only=False).specs) == 8


def test_tools_narrow_the_set_and_unknown_names_are_clear() -> None:
    kit = CustomerIOToolkit("k", tools=["customerio_list_segments"])
    assert [s.name for s in kit.specs] == ["customerio_list_segments"]
    with pytest.raises(UnknownToolError, match="choose from customerio_search_customers"):
        CustomerIOToolkit("k", tools=["customerio_delete_everything"])
    with pytest.raises(UnknownToolError, match="read_only=False"):
        CustomerIOToolkit("k", tools=["customerio_send_transactional_email"])
    with pytest.raises(UnknownToolError, match="trigger_broadcast can send messages and this"):
        kit.call("customerio_trigger_broadcast", {"broadcast_id": 1})
    narrowed = CustomerIOToolkit("k", read_only=False, tools=["customerio_list_segments"])
    with pytest.raises(UnknownToolError, match="No tool named 'customerio_trigger_broadcast'"):
        narrowed.call("customerio_trigger_broadcast", {"broadcast_id": 1})


def test_specs_carry_the_schema_a_model_sees() -> None:
    spec = next(
        s
        for s in CustomerIOToolkit("k", read_only=False).specs
        if s.name == "customerio_send_transactional_email"
    )
    assert spec.access == "write"
    assert "from" in spec.parameters["properties"] and "from_" not in spec.parameters["properties"]
    assert "send_to_unsubscribed" not in spec.parameters["properties"]
    assert spec.parameters["required"] == ["to"]


def test_the_default_definitions_fit_the_token_budget() -> None:
    """Every definition goes to the model on every turn: the default set stays within 10 KB, as
    LangChain renders them for OpenAI (what the benchmark measures)."""
    from langchain_core.utils.function_calling import convert_to_openai_tool

    rendered = [convert_to_openai_tool(t) for t in CustomerIOToolkit("k").langchain_tools()]
    assert "$ref" not in json.dumps(rendered)
    assert sum(len(json.dumps(tool)) for tool in rendered) <= 10_240


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTOMERIO_APP_API_KEY", API_KEY)
    monkeypatch.setenv("CUSTOMERIO_REGION", "eu")
    assert CustomerIOToolkit().settings.base_url == "https://api-eu.customer.io"
    monkeypatch.setenv("CUSTOMERIO_BASE_URL", "http://127.0.0.1:9/")
    assert CustomerIOToolkit().settings.base_url == "http://127.0.0.1:9"
    assert CustomerIOToolkit(region="us", base_url="https://proxy.example").settings.base_url == (
        "https://proxy.example"
    )
    with pytest.raises(Exception, match="use 'us' or 'eu'"):
        Settings.resolve("k", region="mars", environ={})


async def test_eu_region_reaches_the_eu_host() -> None:
    with respx.mock(base_url="https://api-eu.customer.io") as eu:
        route = eu.get("/v1/segments").respond(json={"segments": []})
        kit = CustomerIOToolkit("k", region="eu", rate_limit=False)
        kit.call("customerio_list_segments")
        await kit.acall("customerio_list_segments")
    assert route.call_count == 2


def test_import_loads_no_agent_framework() -> None:
    code = (
        "import sys, cio_toolkit; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('langchain_core', 'langchain', 'llama_index', 'pyrate_limiter')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_each_event_loop_gets_its_own_async_client(api: respx.MockRouter) -> None:
    api.get("/v1/segments").respond(json={"segments": []})
    kit = CustomerIOToolkit("loop-key")

    async def client_used() -> AsyncCustomerIOClient:
        await kit.acall("customerio_list_segments")
        await kit.acall("customerio_list_segments")
        return kit.async_client

    first, second = asyncio.run(client_used()), asyncio.run(client_used())
    assert first is not second  # a new loop must not reuse the old loop's connections
    assert first.pacer is second.pacer
