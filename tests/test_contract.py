"""Every operation against Customer.io's OpenAPI contract: registry, requests, answers, text; and
the contract checker itself, which must reject what the documents do not allow."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
import respx

from cio_toolkit import OPERATIONS, REGISTRY, CustomerIOToolkit, Operation
from cio_toolkit.operations import PRESETS, select_operations
from tests.cases import CASES, Case
from tests.conftest import Call
from tests.contract import SPEC_DIR, check_request, check_response, documented, spec


def test_every_operation_has_a_case_and_a_contract() -> None:
    assert {case.tool for case in CASES} == set(REGISTRY)
    for op in OPERATIONS:
        assert (SPEC_DIR / f"{op.operation_id}.json").is_file(), op.operation_id


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_registry_matches_the_document(operation) -> None:
    for call in (operation, *operation.variants):
        doc = spec(call.operation_id)
        assert call.method.lower() == doc["method"]
        assert call.path == doc["path"]
        assert (call.name, call.args_model, call.result_model) == (
            operation.name,
            operation.args_model,
            operation.result_model,
        )
    # The two calls that message people; everything else reads (search is a POST that reads).
    assert operation.access == (
        "write" if operation.operation_id in ("sendEmail", "triggerBroadcast") else "read"
    )
    assert 0 < len(operation.description) <= 1024
    # The description says when to use the tool; the schema alone documents parameters.
    for name in operation.args_model.model_fields:
        if len(name) > 6:
            assert f"`{name}`" not in operation.description


def _operation_ids(case: Case) -> list[str]:
    """The documented operation of each call a case's tool makes, in order, by its path."""
    return [documented(method, unquote(path)) for method, path, _, _ in case.calls()]


def test_a_tools_calls_are_its_own_operations() -> None:
    # Each call a case makes is its tool's operation (the variant its arguments choose), a
    # follow-up, or the call it makes per item (a comparison's metrics per campaign).
    for case in CASES:
        op = REGISTRY[case.tool]
        with case.clock():
            chosen = op.variant_for(op.validate(case.arguments))
        first, *rest = _operation_ids(case)
        each = {chosen.each.operation_id} if chosen.each else set()
        assert first == chosen.operation_id, case.tool
        assert set(rest) <= {c.operation_id for c in chosen.then} | each, case.tool


# A tool's name as a whole token: `customerio_get_message` is not found in
# `customerio_get_messages`, nor the other way round.
TOOL_NAME = re.compile(r"\bcustomerio_[a-z_]+\b")


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_descriptions_say_when_and_what_comes_next(operation: Operation[Any, Any]) -> None:
    """A model picks tools by their descriptions: each names only real tools, a write says
    it cannot be undone and which tool checks it, and a check says what it checks."""
    text = operation.description
    named = TOOL_NAME.findall(text)
    assert set(named) <= set(REGISTRY), text
    assert operation.name not in named  # a tool does not describe itself by name
    if operation.is_write:
        # It says it cannot be undone and names a tool that checks it; every tool its
        # lost-answer advice names is real.
        assert "cannot be undone" in text and set(named) & set(operation.checks)
        assert set(TOOL_NAME.findall(operation.verify)) <= set(REGISTRY)
        assert set(operation.checks) <= set(REGISTRY)
    # Every preset that offers it offers the reads it names (a write is the job's to offer;
    # with writes on, each brings the reads that check it).
    reads = {name for name in named if not REGISTRY[name].is_write}
    for preset in PRESETS:
        offered = {op.name for op in select_operations(read_only=False, tools=preset)}
        if operation.name in offered:
            assert reads <= offered, f"{operation.name} names a tool {preset} lacks"


def test_every_preset_names_real_tools_and_the_default_is_the_first_eight() -> None:
    for names in PRESETS.values():
        assert set(names) <= set(REGISTRY) and len(set(names)) == len(names)
    assert PRESETS["all"] == tuple(REGISTRY)
    assert len(PRESETS["core"]) == 8
    from cio_toolkit.operations import PRESET_JOBS

    assert list(PRESET_JOBS) == list(PRESETS)  # each toolset says what it is for


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.tool)
def test_answers_are_what_the_document_allows(case: Case) -> None:
    if case.validate_response:
        for operation_id, (_, _, answer, _) in zip(_operation_ids(case), case.calls(), strict=True):
            check_response(operation_id, answer)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.tool)
async def test_tool_call_meets_the_contract(
    case: Case, call: Call, toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    routes = []
    for operation_id, (method, path, answer, _) in zip(
        _operation_ids(case), case.calls(), strict=True
    ):

        def checked(request: httpx.Request, op: str = operation_id, body: Any = answer) -> Any:
            check_request(op, request)
            return httpx.Response(200, json=body)

        routes.append(api.route(method=method, path=unquote(path)).mock(side_effect=checked))

    with case.clock():
        text = await call(toolkit, case.tool, case.arguments)

    for route, (_, path, _, query) in zip(routes, case.calls(), strict=True):
        assert route.call_count == 1
        request = route.calls.last.request
        assert request.url.raw_path.decode().split("?")[0] == path
        assert dict(request.url.params) == query
    if case.body is not None:
        assert json.loads(routes[0].calls.last.request.content) == case.body
    assert text == case.text
    json.loads(text)  # always valid JSON


async def test_arguments_may_come_as_json_text(
    toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    case = next(c for c in CASES if c.tool == "customerio_search_customers")
    api.post("/v1/customers").respond(json=case.response)
    assert toolkit.call(case.tool, json.dumps(case.arguments)) == case.text


async def test_metrics_default_to_a_recent_window_and_show_series_on_request(
    toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    route = api.get("/v1/campaigns/42/metrics").respond(
        json={"metric": {"series": {"sent": [1, 2], "delivered": [1, 2], "failed": [0, 0]}}}
    )
    text = await toolkit.acall(
        "customerio_get_campaign_metrics", {"campaign_id": 42, "series": True}
    )
    params = route.calls.last.request.url.params
    assert params["version"] == "2" and params["res"] == "days" and params["tz"] == "UTC"
    # The last 30 days, today's so far included: from midnight UTC 29 days ago to now.
    start, end = int(params["start"]), int(params["end"])
    assert start % 86_400 == 0 and 29 * 86_400 <= end - start < 30 * 86_400
    assert "series" not in params  # ours, not the API's
    shown = json.loads(text)
    assert shown["series"] == {"sent": [1, 2], "delivered": [1, 2]}  # all-zero series dropped
    assert shown["totals"]["sent"] == 3 and shown["rates"]["delivery_rate"] == 1.0
    assert shown["window"]["tz"] == "UTC" and shown["window"]["start"].endswith("T00:00:00+00:00")


async def test_typed_results_for_code(toolkit: CustomerIOToolkit, api: respx.MockRouter) -> None:
    case = next(c for c in CASES if c.tool == "customerio_get_campaign_metrics")
    api.get(unquote(case.path)).respond(json=case.response)
    result = toolkit.run(case.tool, case.arguments)
    assert result.series["sent"] == [10, 12, 8]  # type: ignore[attr-defined]
    assert result.totals["delivered"] == 29  # type: ignore[attr-defined]


async def test_typed_client_methods(api: respx.MockRouter) -> None:
    from cio_toolkit import AsyncCustomerIOClient, CustomerIOClient

    api.get("/v1/segments").respond(json={"segments": [{"id": 1, "name": "VIP"}]})
    api.get("/v1/customers/7/attributes").respond(json={"customer": {"id": "7"}})
    with CustomerIOClient("k", rate_limit=False) as client:
        assert client.list_segments().segments[0].name == "VIP"
        assert client.get_person_attributes(customer_id="7").customer.id == "7"
    async with AsyncCustomerIOClient("k", rate_limit=False) as aclient:
        assert (await aclient.list_segments()).segments[0].name == "VIP"
    assert {op.method_name for op in OPERATIONS} <= set(dir(CustomerIOClient))


def test_a_400_names_the_next_step_that_fits_its_tool(api: respx.MockRouter) -> None:
    from cio_toolkit import BadRequestError

    kit = CustomerIOToolkit("k", tools="all", rate_limit=False)
    api.get("/v1/customers/%2B14155550100/attributes").respond(400)
    api.get("/v1/transactional/99").respond(400)
    with pytest.raises(BadRequestError) as person:
        kit.run("customerio_get_person_attributes",
                {"customer_id": "+14155550100", "id_type": "phone"})  # fmt: skip
    assert "by phone works only where the workspace identifies people by it" in str(person.value)
    with pytest.raises(BadRequestError) as template:
        kit.run("customerio_get_transactional_message", {"transactional_id": 99})
    assert "id_type" not in str(template.value) and "ids" in str(template.value)


def test_a_window_the_api_widens_says_so(api: respx.MockRouter) -> None:
    api.get("/v1/broadcasts/2/metrics").respond(json={"metric": {"series": {"sent": [1, 2]}}})
    kit = CustomerIOToolkit("k", tools="all", rate_limit=False)
    one_day = json.loads(kit.call("customerio_get_broadcast_metrics",
                                  {"broadcast_id": 2, "days": 1}))["window"]  # fmt: skip
    assert one_day["periods"] == 2 and "at least 2 days" in one_day["note"]
    week = json.loads(kit.call("customerio_get_broadcast_metrics",
                               {"broadcast_id": 2, "days": 7}))["window"]  # fmt: skip
    assert "note" not in week
    assert api.calls[0].request.url.params["steps"] == "2"


async def test_unknown_fields_and_missing_optionals_are_tolerated(
    toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    api.get("/v1/campaigns").respond(json={"campaigns": [{"id": 1, "new_thing": [1]}], "x": 1})
    api.post("/v1/customers").respond(
        json={"identifiers": [{"cio_id": "a1", "email": None, "id": None}], "next": ""}
    )
    assert toolkit.call("customerio_list_campaigns") == (
        '{"count":1,"columns":["id","name","state","trigger","filters","channels","tags",'
        '"started","updated","description"],"campaigns":[[1,"","","",[],"",[],"","",""]]}'
    )
    text = toolkit.call("customerio_search_customers", {"filter": {"segment": {"id": 1}}})
    assert text == '{"on_this_page":1,"more":false,"cio_ids":["a1"]}'  # no nulls, no empty cursor


# -- the checker itself ----------------------------------------------------------------------------

AUTH = {"Authorization": "Bearer k"}


@pytest.mark.parametrize(
    ("operation_id", "request_"),
    [
        (
            "campaignMetrics",  # version is required
            httpx.Request("GET", "https://x/v1/campaigns/1/metrics?res=days", headers=AUTH),
        ),
        (
            "campaignMetrics",  # res out of its enum
            httpx.Request(
                "GET", "https://x/v1/campaigns/1/metrics?version=2&res=yearly", headers=AUTH
            ),
        ),
        (
            "listSegments",  # undeclared query parameter
            httpx.Request("GET", "https://x/v1/segments?limit=5", headers=AUTH),
        ),
        (
            "listSegments",  # wrong method
            httpx.Request("POST", "https://x/v1/segments", json={}, headers=AUTH),
        ),
        (
            "sendEmail",  # undocumented body key
            httpx.Request(
                "POST",
                "https://x/v1/send/email",
                json={"to": "a@b.co", "recipient": "a@b.co"},
                headers=AUTH,
            ),
        ),
        (
            "sendEmail",  # lacks required `to`
            httpx.Request("POST", "https://x/v1/send/email", json={"subject": "x"}, headers=AUTH),
        ),
        (
            "getPeopleFilter",  # operator out of its enum
            httpx.Request(
                "POST",
                "https://x/v1/customers",
                headers=AUTH,
                json={"filter": {"attribute": {"field": "a", "operator": "gt", "value": "1"}}},
            ),
        ),
        (
            "triggerBroadcast",  # ids must be strings
            httpx.Request(
                "POST", "https://x/v1/campaigns/1/triggers", json={"ids": [1]}, headers=AUTH
            ),
        ),
        (
            "listCampaigns",  # no bearer auth
            httpx.Request("GET", "https://x/v1/campaigns"),
        ),
    ],
)
def test_checker_rejects(operation_id: str, request_: httpx.Request) -> None:
    with pytest.raises(Exception):  # noqa: B017 - AssertionError or a jsonschema ValidationError
        check_request(operation_id, request_)


def test_the_vendored_documents_match_the_shared_ones() -> None:
    """tests/openapi is a copy (a clean clone has no ../shared); it must not drift."""
    shared = Path(__file__).parent.parent.parent / "shared" / "openapi"
    if not shared.is_dir():
        pytest.skip("no ../shared/openapi beside this checkout")
    for original in shared.glob("*.json"):
        assert (SPEC_DIR / original.name).read_bytes() == original.read_bytes(), original.name
