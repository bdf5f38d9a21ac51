"""Every operation against Customer.io's OpenAPI contract: registry, requests, answers, text."""

from __future__ import annotations

import json
from urllib.parse import unquote

import httpx
import pytest
import respx

from cio_toolkit import OPERATIONS, REGISTRY, CustomerIOToolkit
from tests.cases import CASES, Case
from tests.conftest import Call
from tests.contract import OPERATION_IDS, check_request, check_response, spec


def test_every_operation_has_a_case_and_a_contract() -> None:
    assert {case.tool for case in CASES} == set(REGISTRY) == set(OPERATION_IDS)
    assert len(OPERATIONS) == 8


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_registry_matches_the_document(operation) -> None:
    doc = spec(OPERATION_IDS[operation.name])
    assert operation.method.lower() == doc["method"]
    assert operation.path == doc["path"]
    assert operation.access == (
        "write" if "trigger" in operation.name or "send" in operation.name else "read"
    )
    assert 0 < len(operation.description) <= 1024
    # The description says when to use the tool; the schema alone documents parameters.
    for name in operation.args_model.model_fields:
        if len(name) > 6:
            assert f"`{name}`" not in operation.description


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.tool)
def test_answers_are_what_the_document_allows(case: Case) -> None:
    if case.validate_response:
        check_response(case.tool, case.response)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.tool)
async def test_tool_call_meets_the_contract(
    case: Case, call: Call, toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        check_request(case.tool, request)
        return httpx.Response(200, json=case.response)

    route = api.route(method=case.method, path=unquote(case.path)).mock(side_effect=answer)

    text = await call(toolkit, case.tool, case.arguments)

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.url.raw_path.decode().split("?")[0] == case.path
    assert dict(request.url.params) == case.query
    if case.body is not None:
        assert json.loads(request.content) == case.body
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
    assert params["version"] == "2" and params["res"] == "days"
    assert int(params["end"]) - int(params["start"]) == 30 * 86400
    assert "series" not in params  # ours, not the API's
    shown = json.loads(text)
    assert shown["series"] == {"sent": [1, 2], "delivered": [1, 2]}  # all-zero series dropped
    assert shown["totals"]["sent"] == 3 and shown["rates"]["delivery_rate"] == 1.0


async def test_typed_results_for_code(toolkit: CustomerIOToolkit, api: respx.MockRouter) -> None:
    case = next(c for c in CASES if c.tool == "customerio_get_campaign_metrics")
    api.get(unquote(case.path)).respond(json=case.response)
    result = toolkit.run(case.tool, case.arguments)
    assert result.series["sent"] == [10, 12, 8]  # type: ignore[attr-defined]
    assert result.totals["delivered"] == 29  # type: ignore[attr-defined]


async def test_typed_client_methods(api: respx.MockRouter) -> None:
    from cio_toolkit import AsyncCustomerIOClient, CustomerIOClient

    api.get("/v1/segments").respond(json={"segments": [{"id": 1, "name": "VIP"}]})
    with CustomerIOClient("k", rate_limit=False) as client:
        assert client.list_segments().segments[0].name == "VIP"
    async with AsyncCustomerIOClient("k", rate_limit=False) as aclient:
        assert (await aclient.list_segments()).segments[0].name == "VIP"


async def test_unknown_fields_and_missing_optionals_are_tolerated(
    toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    api.get("/v1/campaigns").respond(json={"campaigns": [{"id": 1, "new_thing": [1]}], "x": 1})
    api.post("/v1/customers").respond(
        json={"identifiers": [{"cio_id": "a1", "email": None, "id": None}], "next": ""}
    )
    assert toolkit.call("customerio_list_campaigns") == (
        '{"count":1,"columns":["id","name","state","trigger","channels","tags","started",'
        '"description"],"campaigns":[[1,null,null,"","",[],"",""]]}'
    )
    text = toolkit.call("customerio_search_customers", {"filter": {"segment": {"id": 1}}})
    assert text == '{"count":1,"cio_ids":["a1"]}'  # no nulls, no empty cursor
