"""Configuration: which tools a toolkit offers, what a model is shown, and where calls go."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import pytest
import respx

from benchmarks.tokens import PRESET_BUDGETS, definition_bytes, definitions
from cio_toolkit import (
    AsyncCustomerIOClient,
    ConfigurationError,
    CustomerIOToolkit,
    Settings,
    UnknownToolError,
)
from cio_toolkit.operations import REGISTRY
from tests.cases import CORE_READS
from tests.conftest import API_KEY

READS = [name for name, op in REGISTRY.items() if not op.is_write]
WRITES = ["customerio_trigger_broadcast", "customerio_send_transactional_email"]


# The tools the product was asked for, and the ones that check what its writes did.
CORE = {
    "customerio_search_customers", "customerio_list_campaigns", "customerio_get_campaign_metrics",
    "customerio_get_person_attributes", "customerio_list_transactional_messages",
    "customerio_trigger_broadcast", "customerio_list_segments",
    "customerio_send_transactional_email",
}  # fmt: skip
VERIFY = {
    "customerio_list_broadcasts", "customerio_get_broadcast_trigger", "customerio_get_message",
    "customerio_get_transactional_message",
}  # fmt: skip


def _names(kit: CustomerIOToolkit) -> list[str]:
    return [spec.name for spec in kit.specs]


def test_read_only_by_default() -> None:
    kit = CustomerIOToolkit("k")
    assert _names(kit) == [name for name in READS if name in CORE]
    assert [s.name for s in kit.specs] == CORE_READS and {s.access for s in kit.specs} == {"read"}


def test_presets_choose_the_tools() -> None:
    in_order = list(REGISTRY)
    assert _names(CustomerIOToolkit("k", tools="core")) == _names(CustomerIOToolkit("k"))
    # With writes on, the core set brings the tools that check what its writes did.
    read_write = CustomerIOToolkit("k", read_only=False)
    assert _names(read_write) == [n for n in in_order if n in CORE | VERIFY]
    assert _names(CustomerIOToolkit("k", tools="all")) == READS
    assert _names(CustomerIOToolkit("k", read_only=False, tools="all")) == in_order
    # Presets and names mix; each tool once, in the order asked for.
    mixed = CustomerIOToolkit("k", tools=["customerio_get_segment_size", "core"])
    assert _names(mixed) == ["customerio_get_segment_size", *_names(CustomerIOToolkit("k"))]
    presets = r"or a preset \(core, support, marketing, analytics, deliverability, all\)"
    with pytest.raises(UnknownToolError, match=presets):
        CustomerIOToolkit("k", tools="everything")


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


@pytest.mark.parametrize(
    ("label", "options", "budget"), PRESET_BUDGETS, ids=[label for label, _, _ in PRESET_BUDGETS]
)
def test_each_presets_definitions_fit_its_budget(
    label: str, options: dict[str, Any], budget: int
) -> None:
    """Every definition goes to the model on every turn: each preset stays within its budget,
    as LangChain renders them for OpenAI (what the benchmark reports)."""
    rendered = definitions(**options)
    assert "$ref" not in json.dumps(rendered)
    assert definition_bytes(**options) <= budget


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTOMERIO_APP_API_KEY", API_KEY)
    monkeypatch.setenv("CUSTOMERIO_REGION", "eu")
    assert CustomerIOToolkit().settings.base_url == "https://api-eu.customer.io"
    monkeypatch.setenv("CUSTOMERIO_BASE_URL", "http://127.0.0.1:9/")
    with pytest.warns(UserWarning, match="the base URL"):  # it wins over the region
        assert CustomerIOToolkit().settings.base_url == "http://127.0.0.1:9"
    with pytest.warns(UserWarning, match="the base URL"):
        kit = CustomerIOToolkit(region="us", base_url="https://proxy.example")
    assert kit.settings.base_url == "https://proxy.example"
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


def test_a_public_key_is_refused_before_any_request_and_a_private_one_works() -> None:
    with (
        respx.mock(base_url="https://api.customer.io") as api,
        pytest.raises(
            ConfigurationError, match=r"public key \(pk_\.\.\.\).*private key \(sk_\.\.\.\)"
        ) as refused,
    ):
        CustomerIOToolkit("pk_live_0123456789abcdef", rate_limit=False).call(
            "customerio_list_segments"
        )
    assert "0123456789abcdef" not in str(refused.value) and not api.calls
    with respx.mock(base_url="https://api.customer.io") as api:
        route = api.get("/v1/segments").respond(json={"segments": []})
        CustomerIOToolkit("sk_live_0123456789abcdef", rate_limit=False).call(
            "customerio_list_segments"
        )
    assert route.calls.last.request.headers["Authorization"] == "Bearer sk_live_0123456789abcdef"


@pytest.mark.parametrize("pasted", ["abc\u201d123def", "abc\n123def", "abc 123def", "abc\x00def"])
def test_a_key_that_cannot_go_in_a_header_is_refused_holding_none_of_it(pasted: str) -> None:
    with pytest.raises(ConfigurationError, match="cannot be sent in an HTTP header") as refused:
        Settings.resolve(pasted, environ={})
    said = str(refused.value)
    assert "abc" not in said and "def" not in said and "123" not in said
    assert refused.value.__context__ is None  # no UnicodeEncodeError holding the header behind it


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), 0, -1])
def test_a_timeout_that_is_not_a_finite_positive_number_is_refused(timeout: float) -> None:
    with pytest.raises(ConfigurationError, match="timeout must be a finite, positive number"):
        Settings.resolve("k", timeout=timeout, environ={})


def test_a_base_url_ending_in_v1_says_the_host_is_wanted() -> None:
    with pytest.raises(ConfigurationError) as refused:
        Settings.resolve("k", base_url="https://api.customer.io/v1/", environ={})
    assert "the host, without /v1: 'https://api.customer.io', not" in str(refused.value)


def test_a_region_beside_a_base_url_warns_that_the_url_wins() -> None:
    env = {"CUSTOMERIO_REGION": "eu", "CUSTOMERIO_BASE_URL": "https://proxy.example"}
    with pytest.warns(UserWarning, match=r"the base URL \(https://proxy.example\) wins"):
        settings = Settings.resolve("k", environ=env)
    assert settings.base_url == "https://proxy.example"
