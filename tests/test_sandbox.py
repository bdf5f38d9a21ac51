"""The sandbox behaves like Customer.io: documented answers, real filters, limits and an outbox."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine

from cio_toolkit import (
    BadRequestError,
    ConfigurationError,
    CustomerIOToolkit,
    DeliveryUnknownError,
    NotFoundError,
    RateLimitError,
    ToolOutput,
)
from cio_toolkit.sandbox import SANDBOX_KEY, SANDBOX_URL, Sandbox
from tests.cases import ADA, EVERY_TOOL_ONCE, SEND
from tests.conftest import FAST_RETRY, Call
from tests.contract import check_answer, operation_for

TO_A = {"to": "a@example.com", "transactional_message_id": 1}
TOO_BIG = base64.b64encode(b"x" * 2_100_000).decode()


def checked(sandbox: Sandbox) -> httpx.MockTransport:
    """The sandbox behind a transport that holds every answer to the operation's document."""

    def handle(request: httpx.Request) -> httpx.Response:
        response = sandbox.handle(request)
        check_answer(operation_for(request), response)
        return response

    return httpx.MockTransport(handle)


def toolkit_on(sandbox: Sandbox) -> CustomerIOToolkit:
    return CustomerIOToolkit(
        SANDBOX_KEY,
        base_url=SANDBOX_URL,
        read_only=False,
        tools="all",
        rate_limit=False,
        retry=FAST_RETRY,
        transport=checked(sandbox),
    )


@pytest.fixture(scope="module")
def shared() -> Sandbox:
    """One workspace for tests that only read (building one takes ~0.1 s)."""
    return Sandbox(rate_limits=False)


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(rate_limits=False)


def raw(sandbox: Sandbox, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """A request as any client would send it, our validation bypassed."""
    with httpx.Client(
        transport=checked(sandbox),
        base_url=SANDBOX_URL,
        headers={"Authorization": "Bearer anything"},
    ) as client:
        return client.request(method, path, **kwargs)


# -- the seeded workspace --------------------------------------------------------------------------


def test_the_workspace_is_seeded_as_promised(shared: Sandbox) -> None:
    people = shared.people
    assert len(people) >= 1000
    assert len({p.cio_id for p in people}) == len(people)
    assert sum(p.unsubscribed for p in people) > 20
    assert sum(p.email is None for p in people) > 10
    assert {"first_name", "plan", "country", "created_at"} <= set(people[0].attributes)
    kinds = Counter(s.type for s in shared.segments.values())
    assert len(shared.segments) >= 8 and kinds["manual"] >= 2 and kinds["dynamic"] >= 2
    assert all(shared.members(s) for s in shared.segments)
    states = Counter(c.state for c in shared.campaigns.values())
    assert len(shared.campaigns) >= 20 and set(states) == {"running", "stopped", "draft"}
    assert len(shared.broadcasts) >= 3 and len(shared.transactional) >= 5
    assert len(shared.newsletters) >= 4 and any(
        n.days_ago is None for n in shared.newsletters.values()
    )
    assert all(b.sendings for b in shared.broadcasts.values())
    assert any(t.errors for t in shared.triggers.values()) and not shared.made_triggers
    assert any(v.language == "fr" for m in shared.transactional.values() for v in m.variants)


def test_the_workspace_is_the_same_every_time(shared: Sandbox) -> None:
    again = Sandbox()
    assert [p.identifiers for p in again.people] == [p.identifiers for p in shared.people]
    assert [p.attributes for p in again.people] == [p.attributes for p in shared.people]
    assert again.members(9) == shared.members(9)


# -- every operation, against the documents --------------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "arguments"), EVERY_TOOL_ONCE, ids=[t for t, _ in EVERY_TOOL_ONCE]
)
async def test_every_tool_gets_answers_the_document_allows(
    tool: str, arguments: dict[str, Any], sandbox: Sandbox, call: Call
) -> None:
    # `checked` fails the call if any answer breaks the operation's response schema.
    text = await call(toolkit_on(sandbox), tool, arguments)
    assert text.startswith("{")


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/v1/segments/7/customer_count", {}),
        ("GET", "/v1/segments/7/membership", {"params": {"limit": 10}}),
        ("GET", "/v1/segments/999/customer_count", {}),
        ("GET", "/v1/campaigns/999/metrics", {"params": {"version": 2}}),
        ("GET", "/v1/campaigns/1/metrics", {"params": {"version": 1}}),
        ("GET", "/v1/customers/nobody/attributes", {}),
        ("GET", "/v1/customers/%2B15550000/attributes", {"params": {"id_type": "phone"}}),
        ("POST", "/v1/customers", {"json": {"filter": {"attribute": {"field": "x"}}}}),
        ("POST", "/v1/campaigns/999/triggers", {"json": {}}),
        ("POST", "/v1/campaigns/101/triggers", {"json": {"ids": ["1"], "emails": ["a@b.co"]}}),
        ("POST", "/v1/campaigns/101/triggers", {"json": {"data_file_url": "https://x.test/f"}}),
        ("POST", "/v1/send/email", {"json": {"to": "a@example.com"}}),
        ("POST", "/v1/send/email", {"json": {**TO_A, "transactional_message_id": 99}}),
        ("POST", "/v1/send/email", {"json": {**TO_A, "attachments": {"a.pdf": "not base64!"}}}),
        ("POST", "/v1/send/email", {"json": {**TO_A, "attachments": {"a.bin": TOO_BIG}}}),
        ("GET", "/v1/messages/bm9ib2R5", {}),
        ("GET", "/v1/newsletters/999/metrics", {}),
        ("GET", "/v1/broadcasts/999/metrics", {}),
        ("GET", "/v1/broadcasts/101/metrics", {"params": {"period": "fortnights"}}),
        ("GET", "/v1/campaigns/101/triggers/99", {}),
        ("GET", "/v1/campaigns/101/triggers/99/errors", {}),
        ("GET", "/v1/transactional/99", {}),
        ("GET", "/v1/transactional/99/contents", {}),
        ("GET", "/v1/customers/nobody/messages", {}),
        ("GET", "/v1/customers/nobody/segments", {}),
        ("GET", "/v1/customers/%2B15550000/segments", {"params": {"id_type": "phone"}}),
    ],
)
def test_errors_come_in_the_documented_statuses_and_bodies(
    method: str, path: str, kwargs: dict[str, Any], sandbox: Sandbox
) -> None:
    response = raw(sandbox, method, path, **kwargs)  # `checked` holds it to the document
    assert response.status_code != 200 or path.endswith(("count", "membership"))
    assert sandbox.outbox == []


def test_a_missing_or_wrong_key_is_refused() -> None:
    locked = Sandbox(api_key="right-key")
    with httpx.Client(transport=locked.transport(), base_url=SANDBOX_URL) as client:
        assert client.get("/v1/campaigns").status_code == 401
        wrong = {"Authorization": "Bearer wrong-key"}
        assert client.get("/v1/campaigns", headers=wrong).status_code == 401
        right = {"Authorization": "Bearer right-key"}
        assert client.get("/v1/campaigns", headers=right).status_code == 200


def test_the_sandbox_is_only_used_when_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CUSTOMERIO_APP_API_KEY", raising=False)
    monkeypatch.delenv("CUSTOMERIO_BASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match=r"CustomerIOToolkit\.sandbox\(\)"):
        CustomerIOToolkit()
    kit = CustomerIOToolkit.sandbox()
    assert kit.settings.base_url == SANDBOX_URL and kit.read_only


# -- filters and cursors ---------------------------------------------------------------------------


def _search(kit: CustomerIOToolkit, rule: dict[str, Any], **extra: Any) -> list[str]:
    found: list[str] = []
    start = None
    while True:
        page = kit.run("customerio_search_customers", {"filter": rule, "start": start, **extra})
        found += [p.cio_id for p in page.identifiers]  # type: ignore[attr-defined]
        start = page.next  # type: ignore[attr-defined]
        if not start:
            return found


def test_filters_are_evaluated_for_real(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    people = shared.people

    def expect(keep: Any) -> list[str]:
        return [p.cio_id for p in people if keep(p.attributes)]

    def eq(name: str, value: str) -> dict[str, Any]:
        return {"attribute": {"field": name, "operator": "eq", "value": value}}

    pro_in_us = {"and": [eq("plan", "pro"), eq("country", "US")]}
    assert _search(kit, pro_in_us, limit=1000) == expect(
        lambda a: a["plan"] == "pro" and a["country"] == "US"
    )
    assert _search(kit, {"or": [eq("country", "JP"), eq("country", "NL")]}, limit=1000) == expect(
        lambda a: a["country"] in ("JP", "NL")
    )
    no_phone = {"not": {"attribute": {"field": "phone", "operator": "exists"}}}
    assert _search(kit, no_phone, limit=1000) == expect(lambda a: "phone" not in a)
    # A dynamic segment built from two others, and a hand-picked one.
    europe = ("GB", "DE", "FR", "NL", "ES")
    assert _search(kit, {"segment": {"id": 9}}) == expect(
        lambda a: a["plan"] == "pro" and a["country"] in europe
    )
    assert set(_search(kit, {"segment": {"id": 7}})) == shared.segments[7].members
    assert _search(kit, eq("email", ADA)) == ["a3000001"]


def test_cursors_page_through_everyone_once(shared: Sandbox) -> None:
    everyone = {"attribute": {"field": "cio_id", "operator": "exists"}}
    found = _search(toolkit_on(shared), everyone, limit=170)
    assert found == [p.cio_id for p in shared.people]


def test_a_bad_filter_or_cursor_is_a_400_the_model_can_read(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    unknown_segment_kind = {"filter": {"segment": {"id": 1}}, "start": "not-a-cursor"}
    with pytest.raises(BadRequestError, match="cursor"):
        kit.run("customerio_search_customers", unknown_segment_kind)


# -- metrics ---------------------------------------------------------------------------------------


def _metrics(kit: CustomerIOToolkit, campaign_id: int, **query: Any) -> Any:
    return kit.run("customerio_get_campaign_metrics", {"campaign_id": campaign_id, **query})


def test_metric_series_agree_at_every_resolution(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    start = int(datetime(2026, 9, 7, tzinfo=timezone.utc).timestamp())  # a Monday, UTC midnight
    window = {"start": start, "end": start + 28 * 86_400, "tz": "UTC"}
    by = {res: _metrics(kit, 1, res=res, **window) for res in ("hours", "days", "weeks")}
    assert [by[res].periods for res in ("hours", "days", "weeks")] == [28 * 24, 28, 4]
    assert by["hours"].totals == by["days"].totals == by["weeks"].totals
    totals = by["days"].totals
    assert totals["sent"] >= totals["delivered"] >= totals["opened"] >= totals["clicked"] > 0
    assert totals["clicked"] >= totals["converted"]


def test_draft_campaigns_have_no_activity_and_channels_filter(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    draft = next(c.id for c in shared.campaigns.values() if c.state == "draft")
    assert _metrics(kit, draft).totals["sent"] == 0
    email_campaign = 1
    assert _metrics(kit, email_campaign, type="push").totals["sent"] == 0
    assert _metrics(kit, email_campaign, type="email").totals["sent"] > 0


def test_an_unknown_campaign_is_a_404_naming_it(shared: Sandbox) -> None:
    with pytest.raises(NotFoundError, match="no campaign 999; list campaigns"):
        _metrics(toolkit_on(shared), 999)


# -- people ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("customer_id", "id_type"),
    [("1", "id"), (ADA, "email"), ("a3000001", "cio_id")],
)
def test_a_person_is_found_by_any_identifier(
    shared: Sandbox, customer_id: str, id_type: str
) -> None:
    person = toolkit_on(shared).run(
        "customerio_get_person_attributes", {"customer_id": customer_id, "id_type": id_type}
    )
    assert person.customer.attributes["first_name"] == "Ada"  # type: ignore[attr-defined]
    assert all(isinstance(v, str) for v in person.customer.attributes.values())  # type: ignore[attr-defined]


def test_phone_lookups_fail_as_in_a_workspace_without_phone_identifiers(shared: Sandbox) -> None:
    with pytest.raises(BadRequestError):
        toolkit_on(shared).run(
            "customerio_get_person_attributes", {"customer_id": "+15550000", "id_type": "phone"}
        )


# -- writes and the outbox -------------------------------------------------------------------------


def test_a_send_lands_in_the_outbox_with_its_liquid_rendered(sandbox: Sandbox) -> None:
    kit = toolkit_on(sandbox)
    sent = kit.run("customerio_send_transactional_email", SEND)
    (entry,) = sandbox.outbox
    assert entry.delivery_id == sent.delivery_id  # type: ignore[attr-defined]
    assert entry.subject == "Your order A-1 is confirmed"
    assert "Hi Ada," in entry.body and "Total: 9.50 USD" in entry.body
    assert entry.status == "sent" and entry.identifiers == {"email": ADA}


def test_send_statuses_follow_the_person_and_the_template(sandbox: Sandbox) -> None:
    kit = toolkit_on(sandbox)
    unsubscribed = next(p for p in sandbox.people if p.unsubscribed and p.email)
    ada = ADA
    sends = [
        {"transactional_message_id": 3, "to": unsubscribed.email},  # we never send to them
        {"transactional_message_id": "shipping_update", "to": ada},  # its template queues drafts
        {"transactional_message_id": 4, "to": ada, "send_at": sandbox.now() + 3600},
    ]
    results = [kit.run("customerio_send_transactional_email", send) for send in sends]
    assert [m.status for m in sandbox.outbox] == ["suppressed", "draft", "scheduled"]
    assert results[-1].send_at is not None  # type: ignore[attr-defined]


def test_a_send_without_a_template_needs_its_own_content(sandbox: Sandbox) -> None:
    response = raw(sandbox, "POST", "/v1/send/email", json={"to": "a@example.com", "body": "x"})
    assert response.status_code == 400
    assert "subject and from are required" in response.json()["meta"]["error"]
    own = {
        "to": "a@example.com",
        "from": "me@northwind.example",
        "subject": "Hi {{ trigger.n }}",
        "body": "<p>{{ trigger.n }}</p>",
        "message_data": {"n": 3},
    }
    assert raw(sandbox, "POST", "/v1/send/email", json=own).status_code == 200
    assert (sandbox.outbox[0].subject, sandbox.outbox[0].body) == ("Hi 3", "<p>3</p>")


def test_a_trigger_reaches_the_broadcasts_audience(sandbox: Sandbox) -> None:
    kit = toolkit_on(sandbox)
    trigger = kit.run(
        "customerio_trigger_broadcast", {"broadcast_id": 103, "data": {"feature": "Maps"}}
    )
    beta = [p for p in sandbox.people if p.cio_id in sandbox.members(7) and p.email]
    assert sorted(m.to for m in sandbox.outbox) == sorted(p.email for p in beta if p.email)
    assert {m.trigger_id for m in sandbox.outbox} == {trigger.id}  # type: ignore[attr-defined]
    assert all(m.subject == "New in beta: Maps" for m in sandbox.outbox)
    status = raw(sandbox, "GET", f"/v1/campaigns/103/triggers/{trigger.id}")  # type: ignore[attr-defined]
    assert status.json()["broadcast_id"] == 103


def test_per_user_data_fills_each_message(sandbox: Sandbox) -> None:
    people = [
        {"id": "1", "data": {"code": "ADA10"}},
        {"email": "grace.hopper@example.com", "data": {"code": "GRACE"}},
    ]
    sale = {"broadcast_id": 101, "per_user_data": people, "data": {"discount": 15}}
    toolkit_on(sandbox).run("customerio_trigger_broadcast", sale)
    assert [(m.to, m.subject) for m in sandbox.outbox] == [
        (ADA, "15% off until Sunday"),
        ("grace.hopper@example.com", "15% off until Sunday"),
    ]
    assert "ADA10" in sandbox.outbox[0].body and "GRACE" in sandbox.outbox[1].body


def test_unknown_recipients_fail_the_trigger_with_line_errors(sandbox: Sandbox) -> None:
    kit = toolkit_on(sandbox)
    audience = {"broadcast_id": 101, "emails": [ADA, "nobody@example.com"]}
    made = len(sandbox.triggers) + 1  # numbered after the broadcasts' past triggers
    with pytest.raises(Exception, match=f"errors endpoint for trigger {made}.*Nothing was sent"):
        kit.run("customerio_trigger_broadcast", audience)
    assert sandbox.outbox == []
    # The model follows the error to the tool that lists the lines.
    shown = json.loads(
        kit.call("customerio_get_broadcast_trigger", {"broadcast_id": 101, "trigger_id": made})
    )
    assert shown["state"] == "processed" and shown["errors_on_this_page"] == 1
    assert shown["errors"] == ["line 2: no person with email 'nobody@example.com'"]
    kit.run("customerio_trigger_broadcast", {**audience, "email_ignore_missing": True})
    assert [m.to for m in sandbox.outbox] == [ADA]


# -- finding and verifying: deliveries, triggers, newsletters, templates ---------------------------

DELIVERY_STATES = {"sent", "delivered", "opened", "clicked", "converted", "bounced", "failed",
                   "undeliverable", "suppressed", "draft", "spammed"}  # fmt: skip


def shown(kit: CustomerIOToolkit, tool: str, arguments: dict[str, Any]) -> Any:
    """A tool's output, parsed: what the model reads."""
    return json.loads(kit.call(tool, arguments))


def rows(table: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [dict(zip(table["columns"], row, strict=True)) for row in table[key]]


def test_the_seeded_history_holds_every_delivery_state(shared: Sandbox) -> None:
    from cio_toolkit.operations.messages import delivery_state
    from cio_toolkit.sandbox import deliveries

    kit, now = toolkit_on(shared), shared.now()
    first: dict[str, str] = {}
    for person in shared.people[:400]:
        for delivery in deliveries.of_person(shared, person):
            state = delivery_state(delivery.seen(now), delivery.failure_message)
            first.setdefault(state, delivery.id)
    assert set(first) >= DELIVERY_STATES
    for state, message_id in first.items():  # each as the model reads it
        assert shown(kit, "customerio_get_message", {"message_id": message_id})["state"] == state
    kinds = {d.kind for d in deliveries.of_person(shared, shared.people[0])}
    assert kinds >= {"campaign", "broadcast", "newsletter"}


def test_a_persons_messages_come_newest_first_once_each_within_the_window(shared: Sandbox) -> None:
    from cio_toolkit.sandbox import deliveries

    kit, ada = toolkit_on(shared), shared.people[0]
    found: list[dict[str, Any]] = []
    page = {"more": True, "next": None}
    while page["more"]:
        cursor = {"start": page["next"]} if page["next"] else {}
        page = shown(kit, "customerio_get_person_messages", {"customer_id": ADA,
                     "id_type": "email", "limit": 4, **cursor})  # fmt: skip
        found += rows(page, "messages")
    six_months = shared.now() - 183 * 86_400
    expected = [d.id for d in deliveries.of_person(shared, ada) if d.created >= six_months]
    assert [r["id"] for r in found] == expected and len(expected) > 4
    assert [r["created"] for r in found] == sorted((r["created"] for r in found), reverse=True)
    week_ago = datetime.fromtimestamp(shared.now() - 7 * 86_400, timezone.utc)
    window = {"customer_id": "1", "start_ts": week_ago.isoformat(), "limit": 1000}
    recent = shown(kit, "customerio_get_person_messages", window)
    assert [r["id"] for r in rows(recent, "messages")] == [
        r["id"] for r in found if r["created"] >= week_ago.isoformat().replace("+00:00", "Z")
    ]


def _all_pages(kit: CustomerIOToolkit, tool: str, arguments: dict[str, Any]) -> list[Any]:
    """Every row of a paged list, page by page."""
    found: list[Any] = []
    page: dict[str, Any] = {"more": True, "next": None}
    while page["more"]:
        cursor = {"start": page["next"]} if page["next"] else {}
        page = shown(kit, tool, {**arguments, **cursor})
        found += rows(page, "deliveries")
    return found


@pytest.mark.parametrize("source", [("newsletter_id", 204), ("broadcast_id", 101),
                                    ("transactional_id", 1)])  # fmt: skip
def test_deliveries_by_metric_are_what_the_metrics_count(
    shared: Sandbox, source: tuple[str, int]
) -> None:
    kit, (key, number) = toolkit_on(shared), source
    metrics_tool = {"newsletter_id": "customerio_get_newsletter_metrics",
                    "broadcast_id": "customerio_get_broadcast_metrics",
                    "transactional_id": "customerio_get_transactional_metrics"}[key]  # fmt: skip
    # A year holds all of each one's history: metrics count events in their window, the
    # list deliveries created in its window, so shorter windows may differ at their edges.
    totals = shown(kit, metrics_tool, {key: number, "days": 365})["totals"]
    for metric in ("bounced", "clicked", "delivered"):
        found = _all_pages(kit, "customerio_list_deliveries",
                           {key: number, "metric": metric, "days": 365, "limit": 50})  # fmt: skip
        assert len(found) == totals[metric] > 0, metric
        assert len({row["id"] for row in found}) == len(found)
        assert all(row["source"] == f"{key.removesuffix('_id')} {number}" for row in found)
        if metric == "bounced":
            assert {row["state"] for row in found} == {"bounced"}
            assert all(row["failure"] for row in found)


def test_the_workspaces_deliveries_hold_every_objects(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    everyone = _all_pages(kit, "customerio_list_deliveries",
                          {"metric": "failed", "days": 180, "limit": 1000})  # fmt: skip
    sources = Counter(row["source"].split()[0] for row in everyone)
    assert set(sources) == {"campaign", "newsletter", "broadcast", "transactional"}
    campaign = [row for row in everyone if row["source"] == "campaign 1"]
    assert (
        _all_pages(
            kit,
            "customerio_list_deliveries",
            {"campaign_id": 1, "metric": "failed", "days": 180, "limit": 1000},
        )
        == campaign
    )
    assert all(row["state"] == "failed" for row in everyone)


def test_a_hard_bounce_leads_to_the_suppression_the_tool_reports(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    bounced = _all_pages(kit, "customerio_list_deliveries",
                         {"metric": "bounced", "days": 30, "limit": 1000})  # fmt: skip
    assert bounced
    for row in bounced[:5]:
        found = shown(kit, "customerio_get_email_suppression", {"email_address": row["recipient"]})
        assert found["suppressed"] and found["suppressions"][0][1] == "bounces"
    listed = shown(kit, "customerio_get_email_suppression",
                   {"suppression_type": "bounces", "limit": 1000})  # fmt: skip
    assert {row["recipient"] for row in bounced} <= {row[0] for row in listed["suppressions"]}
    never = shown(kit, "customerio_get_email_suppression",
                  {"email_address": "nobody-bounced@example.com"})  # fmt: skip
    assert never["suppressed"] is False and never["count"] == 0


def test_a_persons_activities_are_their_deliveries_events_and_their_unsubscribe(
    shared: Sandbox,
) -> None:
    kit = toolkit_on(shared)
    person = shared.find("13")
    assert person is not None and person.unsubscribed
    found: list[dict[str, Any]] = []
    page: dict[str, Any] = {"more": True, "next": None}
    while page["more"]:
        cursor = {"start": page["next"]} if page["next"] else {}
        page = shown(kit, "customerio_get_person_activities",
                     {"customer_id": "13", "limit": 100, **cursor})  # fmt: skip
        found += rows(page, "activities")
    assert [r["at"] for r in found] == sorted((r["at"] for r in found), reverse=True)
    (unsubscribe,) = [r for r in found if r["type"] == "attribute_change"]
    assert unsubscribe["detail"] == "unsubscribed: false -> true"
    # Everything after it was not sent to them; every delivery's events are there.
    deliveries = [r for r in found if r["delivery_id"]]
    assert deliveries and all(r["at"] > unsubscribe["at"] for r in deliveries)
    for delivery_id in {r["delivery_id"] for r in deliveries}:
        message = shown(kit, "customerio_get_message", {"message_id": delivery_id})
        types = {r["type"] for r in deliveries if r["delivery_id"] == delivery_id}
        kinds = {kind.rsplit("_", 1)[0] for kind in types}
        # A webhook's 2xx answer (its `delivered`) is no activity in the document's list.
        webhook = {"delivered"} if any(t.endswith("_webhook") for t in types) else set()
        assert kinds == set(message["events"]) - {"created"} - webhook
    # Unsubscribed: what reached them is a transactional message set to, or a webhook.
    reached = {r["type"] for r in deliveries} - {"dropped_email", "dropped_push", "dropped_twilio"}
    assert reached <= {"sent_email", "delivered_email", "opened_email", "clicked_email",
                       "bounced_email", "sent_webhook"}  # fmt: skip


def test_every_documented_activity_type_is_accepted() -> None:
    from cio_toolkit.operations.histories import ACTIVITY_TYPE
    from tests.contract import spec

    documented = spec("getPersonActivities")["path_item"]["parameters"]
    (types,) = [p["schema"]["enum"] for p in documented if p["name"] == "type"]
    assert len(types) > 100
    for kind in types:
        assert ACTIVITY_TYPE.fullmatch(kind.replace("<object_type_id>", "7")), kind
    assert not ACTIVITY_TYPE.fullmatch("unsubscribed")


def test_many_profiles_are_each_profile_and_name_who_is_missing(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    page = shown(kit, "customerio_search_customers",
                 {"filter": {"segment": {"id": 1}}, "limit": 30})  # fmt: skip
    ids = [i for i in page["ids"] if i][:25]
    many = shown(kit, "customerio_get_people_attributes", {"ids": [*ids, "no-such-id"]})
    assert many["count"] == len(ids) and many["missing"] == ["no-such-id"]
    for customer_id, person in zip(ids, many["people"], strict=True):
        assert person == shown(kit, "customerio_get_person_attributes",
                               {"customer_id": customer_id})  # fmt: skip


def test_the_topics_a_person_receives_agree_with_their_profile(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    workspace = shown(kit, "customerio_list_subscription_topics", {})
    ids = {row[0] for row in workspace["topics"]}
    seen = Counter[bool]()
    for person in [p for p in shared.people if p.id][:60]:
        choices = shown(kit, "customerio_list_subscription_topics", {"customer_id": person.id})
        profile = shown(kit, "customerio_get_person_attributes", {"customer_id": person.id})
        receives = {f"topic_{row[0]}" for row in choices["choices"] if row[3]}
        assert {row[0] for row in choices["choices"]} == ids
        assert receives == set(profile["subscribed_topics"])
        assert choices["unsubscribed"] == profile["unsubscribed"] == person.unsubscribed
        if person.unsubscribed:
            assert not receives and any(row[2] for row in choices["choices"])
        seen[person.unsubscribed] += 1
    assert seen[True] and seen[False]


@time_machine.travel(1764763200, tick=False)  # one clock for every call: windows agree
def test_a_comparison_is_each_campaigns_own_metrics() -> None:
    sandbox = Sandbox(rate_limits=False)
    kit = toolkit_on(sandbox)
    compared = shown(kit, "customerio_compare_campaign_metrics", {"days": 14})
    running = [c for c in sandbox.campaigns.values() if c.state == "running"]
    assert compared["count"] == len(running) > 10
    table = rows(compared, "campaigns")
    assert [r["open_rate"] for r in table] == sorted((r["open_rate"] for r in table), reverse=True)
    for row in table:
        alone = shown(kit, "customerio_get_campaign_metrics",
                      {"campaign_id": row["id"], "days": 14})  # fmt: skip
        assert alone["window"] == compared["window"]
        assert row["sent"] == alone["totals"]["sent"]
        assert row["delivery_rate"] == alone["rates"]["delivery_rate"]
        channel = sandbox.campaigns[row["id"]].channel
        assert row["channels"] == channel
        if channel in ("twilio", "webhook"):  # no opens to count; a webhook delivers 2xx
            assert row["opened"] == 0 and row["sent"] > 0
        if channel == "webhook":
            assert (
                alone["rates"] == {"delivery_rate": row["delivery_rate"]}
                and row["delivery_rate"] > 0.9
            )
        if channel == "twilio":  # clicks without opens: no open rate to mislead
            assert "open_rate" not in alone["rates"] and alone["totals"]["clicked"] > 0


@pytest.mark.parametrize("channel", ["email", "push", "twilio", "webhook"])
def test_campaign_metrics_are_the_events_in_peoples_histories(
    shared: Sandbox, channel: str
) -> None:
    from cio_toolkit.sandbox import deliveries

    kit = toolkit_on(shared)
    campaign = next(c for c in shared.campaigns.values()
                    if c.channel == channel and c.state == "running")  # fmt: skip
    now = shared.now()
    start, end = now - 60 * 86_400, now
    counted: Counter[str] = Counter()
    for person in shared.people:  # each person's history, as their messages list it
        for delivery in deliveries.of_person(shared, person):
            if delivery.kind == "campaign" and delivery.source_id == campaign.id:
                assert delivery.type == channel
                counted.update(e for e, at in delivery.seen(now).items() if start <= at < end)
    window = {"campaign_id": campaign.id, "start": start, "end": end, "tz": "UTC"}
    answer = shown(kit, "customerio_get_campaign_metrics", window)
    totals = answer["totals"]
    assert counted["sent"] == totals["sent"] > 0
    assert counted["dropped"] == totals.get("suppressed", 0)
    for metric in ("failed", "undeliverable", "clicked", "converted", "bounced", "opened"):
        assert counted[metric] == totals.get(metric, 0), metric
    if channel == "webhook":  # its deliveries are its endpoint's 2xx answers
        assert counted["delivered"] == totals["2xx"] and totals["delivered"] == 0
    else:
        assert counted["delivered"] == totals["delivered"]
    if channel == "twilio":
        assert counted["opened"] == 0
    if channel != "email":
        assert counted["bounced"] == counted["spammed"] == 0


def test_an_email_after_a_hard_bounce_is_suppressed_not_sent(shared: Sandbox) -> None:
    from cio_toolkit.sandbox import deliveries

    kit = toolkit_on(shared)
    later_ones = 0
    for person in shared.people:
        emails = [d for d in deliveries.of_person(shared, person) if d.type == "email"]
        bounces = [d.events["bounced"] for d in emails if "bounced" in d.events]
        if not bounces:
            continue
        after = [d for d in emails if d.created > min(bounces)]
        assert all(set(d.events) == {"created", "dropped"} for d in after)
        later_ones += len(after)
        if after and later_ones < 20:
            message = shown(kit, "customerio_get_message", {"message_id": after[0].id})
            assert message["state"] == "suppressed"
            assert "hard bounce" in message["failure_message"]
    assert later_ones > 0


def test_a_campaign_named_for_an_event_runs_at_its_time(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    (friday,) = [c for c in shared.campaigns.values() if c.name == "Black Friday 2025"]
    listed = rows(shown(kit, "customerio_list_campaigns", {"name": "Black Friday"}), "campaigns")
    assert listed[0]["started"] == "2025-11-24" and listed[0]["state"] == "stopped"

    def sent(start: str, end: str) -> int:
        window = {"campaign_id": friday.id, "start": start, "end": end}
        return int(shown(kit, "customerio_get_campaign_metrics", window)["totals"]["sent"])

    assert sent("2025-11-24", "2025-12-02") > 0
    assert sent("2025-07-01", "2025-11-23") == sent("2025-12-03", "2026-02-01") == 0


def test_a_failure_a_persons_messages_cannot_name_reads_not_delivered() -> None:
    from cio_toolkit.operations.messages import delivery_state

    # A person's messages give sent and delivered only: a bounce there is sent plus a failure.
    assert delivery_state({"sent": 5}, "550 no such user") == "not delivered"
    assert delivery_state({}, "Liquid error") == "not sent"
    assert delivery_state({"sent": 5, "delivered": 6}, "late failure") == "delivered"
    assert delivery_state({"sent": 5}) == "sent"


def test_what_a_delivery_said_is_asked_for_once_and_at_most_100_times_a_day() -> None:
    from cio_toolkit.sandbox import deliveries

    sandbox = Sandbox(rate_limits=False)
    kit = toolkit_on(sandbox)
    ada = sandbox.people[0]
    letter = next(d for d in deliveries.of_person(sandbox, ada) if d.kind == "newsletter")
    read = shown(kit, "customerio_get_message", {"message_id": letter.id, "content": True})
    assert read["content"]["text"].startswith("Hi Ada,") and "<" not in read["content"]["text"]
    assert read["content"]["subject"] == read["subject"] == letter.subject
    # The same copy again: answered from the client's memory, not a second read of the 100.
    again = shown(kit, "customerio_get_message", {"message_id": letter.id, "content": True})
    assert again == read and sum(sandbox.archive_reads.values()) == 1
    assert "content" not in shown(kit, "customerio_get_message", {"message_id": letter.id})
    # A fresh client reads it again; past the day's hundredth read, Customer.io says no.
    sandbox.archive_reads[sandbox.now() // 86_400] = 100
    with pytest.raises(RateLimitError):
        toolkit_on(sandbox).run("customerio_get_message",
                                {"message_id": letter.id, "content": True})  # fmt: skip


def test_a_search_that_finds_nobody_says_what_to_try(shared: Sandbox) -> None:
    kit = toolkit_on(shared)

    def search(field: str, value: str) -> Any:
        rule = {"attribute": {"field": field, "operator": "eq", "value": value}}
        return shown(kit, "customerio_search_customers", {"filter": rule})

    shouted = search("email", "Ada.Lovelace@Example.com")
    assert shouted["on_this_page"] == 0 and "try 'ada.lovelace@example.com'" in shouted["note"]
    assert search("email", "ada.lovelace@example.com")["ids"] == ["1"]  # as the note says
    assert "E.164" in search("phone", "415 555 0100")["note"]
    assert "match exactly, case and format included" in search("plan", "Enterprise")["note"]
    assert "note" not in search("plan", "enterprise")
    assert "note" not in shown(kit, "customerio_search_customers",
                               {"filter": {"segment": {"id": 9999}}})  # fmt: skip


def test_a_segment_still_building_says_so(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    building = shown(kit, "customerio_get_segment_size", {"segment_id": 10})
    assert building["building"] is True and 0 < building["progress"] < 100
    assert building["count"] == len(shared.members(10))
    built = shown(kit, "customerio_get_segment_size", {"segment_id": 9})
    assert "building" not in built and built["name"] == shared.segments[9].name


def test_link_clicks_add_up_to_the_messages_clicks(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    for key, number, tool in [
        *(("newsletter_id", n, "customerio_get_newsletter_metrics") for n in (201, 202, 203, 204)),
        *(("broadcast_id", b, "customerio_get_broadcast_metrics") for b in (101, 102, 103)),
    ]:
        window = {key: number, "period": "months", "days": 365}
        links = shown(kit, "customerio_get_link_metrics", {**window, "limit": 100})
        clicked = shown(kit, tool, window)["totals"]["clicked"]
        assert sum(row[1] for row in links["links"]) == clicked, (key, number)
        body = (shared.newsletters[number] if key == "newsletter_id" else
                shared.broadcasts[number]).template.body  # fmt: skip
        # A message without links has no clicks; one with links has clicks on them only.
        assert bool(clicked) == ("href=" in body), (key, number)
        assert {row[0] for row in links["links"]} <= set(re.findall(r'href="([^"]+)"', body))


def test_a_persons_segments_are_their_memberships(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    for customer_id in ("1", "2", "13", "250"):
        person = shared.find(customer_id)
        assert person is not None
        listed = shown(kit, "customerio_get_person_segments", {"customer_id": customer_id})
        members_of = {s for s in shared.segments if person.cio_id in shared.members(s)}
        assert (
            {s["id"] for s in listed["segments"]}
            == members_of
            == set(s["id"] for s in listed["segments"])
        )
        assert listed["count"] == len(members_of)


def test_a_segments_size_is_the_number_search_pages_through(shared: Sandbox) -> None:
    kit = toolkit_on(shared)
    for segment in shared.segments:
        size = shown(kit, "customerio_get_segment_size", {"segment_id": segment})["count"]
        page = shown(kit, "customerio_search_customers",
                     {"filter": {"segment": {"id": segment}}, "limit": 1000})  # fmt: skip
        assert not page["more"]
        assert size == page["on_this_page"] == len(shared.members(segment))


def live_clock() -> Clock:
    clock = Clock()
    clock.now = time.time()  # sends are checked against the real clock too (send_at)
    return clock


def test_sends_become_deliveries_in_their_real_state() -> None:
    clock = live_clock()
    sandbox = Sandbox(rate_limits=False, clock=clock)
    kit = toolkit_on(sandbox)

    def state_after(arguments: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        check = shown(kit, "customerio_send_transactional_email", arguments)["check"]
        assert check["tool"] == "customerio_get_message"
        return check["arguments"]["message_id"], shown(kit, check["tool"], check["arguments"])

    delivery_id, message = state_after(SEND)
    assert message["state"] == "sent"
    # No parent id for a transactional send: its variant says which template sent it.
    assert message["source"] == f"transactional variant {message['content_id']}"
    template = shown(kit, "customerio_get_transactional_message", {"transactional_id": 2})
    assert message["content_id"] in {variant["id"] for variant in template["variants"]}
    clock.now += 5
    assert shown(kit, "customerio_get_message", {"message_id": delivery_id})["state"] == "delivered"
    newest = shown(kit, "customerio_get_person_messages",
                   {"customer_id": ADA, "id_type": "email", "limit": 1})  # fmt: skip
    assert rows(newest, "messages")[0]["id"] == delivery_id
    # Someone unsubscribed, and a template not set to reach them: suppressed, with the reason.
    unsubscribed = next(p for p in sandbox.people if p.unsubscribed and p.email)
    welcome = {"transactional_message_id": 3, "to": unsubscribed.email}
    _, message = state_after(welcome)
    assert message["state"] == "suppressed" and "unsubscribed" in message["failure_message"]
    # A template that queues drafts; a send scheduled for later, sent when it falls due.
    _, message = state_after({"transactional_message_id": 6, "to": ADA})
    assert message["state"] == "draft"
    later_id, message = state_after({**SEND, "send_at": int(clock.now) + 3600})
    assert message["state"] == "queued"
    clock.now += 3600
    assert shown(kit, "customerio_get_message", {"message_id": later_id})["state"] == "sent"


def test_a_trigger_is_queued_then_processed_and_its_messages_go_out_then() -> None:
    clock = live_clock()
    sandbox = Sandbox(rate_limits=False, clock=clock, trigger_seconds=30)
    kit = toolkit_on(sandbox)
    made = shown(kit, "customerio_trigger_broadcast",
                 {"broadcast_id": 103, "data": {"feature": "Maps"}})  # fmt: skip
    check = made["check"]
    status = shown(kit, check["tool"], check["arguments"])
    assert status["state"] == "queued" and "processed_at" not in status
    tester = next(p for p in sandbox.people if p.cio_id in sandbox.members(7) and p.email)
    assert tester.id is not None

    def newest_subject() -> str:
        page = shown(kit, "customerio_get_person_messages", {"customer_id": tester.id, "limit": 1})
        return str(rows(page, "messages")[0]["subject"])

    assert newest_subject() != "New in beta: Maps"  # nothing has gone out yet
    clock.now += 31
    status = shown(kit, check["tool"], check["arguments"])
    assert status["state"] == "processed" and status["errors_on_this_page"] == 0
    assert newest_subject() == "New in beta: Maps"
    today = shown(kit, "customerio_get_broadcast_metrics", {"broadcast_id": 103, "days": 1})
    sent = [m for m in sandbox.outbox if m.status == "sent"]
    assert today["totals"]["sent"] == len(sent) > 20


def test_newsletters_list_newest_first_and_their_metrics_count_their_deliveries(
    shared: Sandbox,
) -> None:
    from cio_toolkit.sandbox import deliveries

    kit, now = toolkit_on(shared), shared.now()
    listed = rows(shown(kit, "customerio_list_newsletters", {"limit": 100}), "newsletters")
    assert listed[0]["sent_at"] == ""  # the newest is a draft, never sent
    latest = next(row for row in listed if row["sent_at"])
    report = shown(kit, "customerio_get_newsletter_metrics",
                   {"newsletter_id": latest["id"], "start": latest["sent_at"][:10]})  # fmt: skip
    assert report["window"]["start"] <= latest["sent_at"] and report["window"]["periods"] >= 2
    seen = [d.seen(now) for d in deliveries.of_newsletter(shared, latest["id"])]
    for metric in ("sent", "delivered", "opened", "clicked", "bounced"):
        assert report["totals"][metric] == sum(metric in events for events in seen), metric
    suppressed = sum("dropped" in events for events in seen)
    assert report["totals"]["suppressed"] == suppressed > 0
    opened, delivered = report["totals"]["opened"], report["totals"]["delivered"]
    assert report["rates"]["open_rate"] == round(opened / delivered, 4)


def test_period_metrics_take_steps_as_the_documents_say(shared: Sandbox) -> None:
    from cio_toolkit.sandbox import metrics

    def periods(**query: Any) -> int:
        answer = raw(shared, "GET", "/v1/broadcasts/101/metrics", params=query).json()
        return len(answer["metric"]["series"]["sent"])

    assert periods(period="days", steps=1) == 2  # "steps=1 means two days"
    assert periods(period="days", steps=0) == periods() == 45  # the maximum, by default
    assert periods(period="months") == 12 and periods(period="hours", steps=500) == 24
    sunday = metrics.last_periods(shared.now(), "weeks", 3, "America/New_York")[0][0]
    assert datetime.fromtimestamp(sunday, ZoneInfo("America/New_York")).strftime("%a %H:%M") == (
        "Sun 00:00"
    )


def test_a_template_says_what_it_reads_and_a_language_picks_its_variant(
    sandbox: Sandbox,
) -> None:
    kit = toolkit_on(sandbox)
    template = shown(kit, "customerio_get_transactional_message", {"transactional_id": 1})
    assert set(template["message_data"]) == {"reset_url", "minutes"}
    assert template["message_data_optional"] == ["minutes (default 30)"]
    assert [v["language"] for v in template["variants"]] == ["default", "fr"]
    french = {"transactional_message_id": 1, "to": ADA, "language": "fr",
              "message_data": {"reset_url": "https://northwind.example/r/1"}}  # fmt: skip
    kit.run("customerio_send_transactional_email", french)
    assert sandbox.outbox[-1].subject == "Réinitialisez votre mot de passe Northwind"
    assert 'href="https://northwind.example/r/1"' in sandbox.outbox[-1].body


# -- limits and faults -----------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("method", "path", "body", "limit", "window"),
    [
        ("GET", "/v1/campaigns", None, 10, 1.0),
        (
            "POST",
            "/v1/send/email",
            {"to": "a@example.com", "transactional_message_id": 1},
            100,
            1.0,
        ),
        ("POST", "/v1/campaigns/101/triggers", {"ids": ["1"]}, 1, 10.0),
    ],
)
def test_the_documented_rate_limits_answer_429(
    method: str, path: str, body: Any, limit: int, window: float
) -> None:
    clock = Clock()
    sandbox = Sandbox(clock=clock)
    statuses = [raw(sandbox, method, path, json=body).status_code for _ in range(limit + 1)]
    assert statuses == [200] * limit + [429]
    clock.now += window - 0.01
    assert raw(sandbox, method, path, json=body).status_code == 429
    clock.now += 0.02
    assert raw(sandbox, method, path, json=body).status_code == 200


def test_a_paced_toolkit_never_meets_the_limit() -> None:
    sandbox = Sandbox()
    kit = CustomerIOToolkit.sandbox(sandbox, retry=FAST_RETRY)
    for _ in range(12):
        kit.run("customerio_list_segments")
    assert sandbox.received[("GET", "/v1/segments")] == 12


async def test_injected_faults_meet_the_clients_retry_rules(sandbox: Sandbox) -> None:
    # Faults are outside the document by design, so this toolkit's answers go unchecked.
    kit = CustomerIOToolkit.sandbox(sandbox, read_only=False, rate_limit=False, retry=FAST_RETRY)
    sandbox.inject("/v1/campaigns", status=503, times=2)
    sandbox.inject("/v1/segments", error=httpx.ConnectError)
    assert "campaigns" in await kit.acall("customerio_list_campaigns")
    assert "segments" in kit.call("customerio_list_segments")
    assert sandbox.received[("GET", "/v1/campaigns")] == 3
    # The send lands, then its answer is lost: the client must not send it again.
    sandbox.inject("/v1/send/email", error=httpx.ReadTimeout, after=True)
    with pytest.raises(DeliveryUnknownError):
        await kit.arun("customerio_send_transactional_email", SEND)
    assert sandbox.received[("POST", "/v1/send/email")] == 1 and len(sandbox.outbox) == 1


async def test_an_injected_delay_does_not_block_the_event_loop(sandbox: Sandbox) -> None:
    kit = CustomerIOToolkit.sandbox(sandbox, rate_limit=False)
    sandbox.inject("/v1/campaigns/*/metrics", delay=0.3, times=3)
    started = asyncio.get_running_loop().time()
    await asyncio.gather(
        *(kit.acall("customerio_get_campaign_metrics", {"campaign_id": i}) for i in (1, 2, 3))
    )
    assert asyncio.get_running_loop().time() - started < 0.8  # three 0.3 s waits overlapped


# -- over real loopback HTTP -----------------------------------------------------------------------


async def test_the_loopback_server_serves_both_clients() -> None:
    from cio_toolkit.sandbox import SandboxServer

    with SandboxServer(Sandbox(rate_limits=False)) as server:
        kit = CustomerIOToolkit("any-key", base_url=server.url, read_only=False, rate_limit=False)
        assert kit.run("customerio_list_campaigns").campaigns  # type: ignore[attr-defined]
        sent = await kit.arun("customerio_send_transactional_email", SEND)
        assert server.sandbox.outbox[0].delivery_id == sent.delivery_id  # type: ignore[attr-defined]
        await kit.aclose()
        kit.close()


async def test_the_loopback_server_drops_connections_and_checks_keys() -> None:
    from cio_toolkit.sandbox import SandboxServer

    with SandboxServer(Sandbox(api_key="right", rate_limits=False)) as server:
        with pytest.raises(ConfigurationError, match="401"):
            CustomerIOToolkit("wrong", base_url=server.url, rate_limit=False).run(
                "customerio_list_segments"
            )
        kit = CustomerIOToolkit(
            "right", base_url=server.url, read_only=False, rate_limit=False, retry=FAST_RETRY
        )
        server.sandbox.inject("/v1/send/email", error=httpx.RemoteProtocolError, after=True)
        with pytest.raises(DeliveryUnknownError):
            await kit.arun("customerio_send_transactional_email", SEND)
        assert len(server.sandbox.outbox) == 1
        before = server.sandbox.received[("GET", "/v1/segments")]
        server.sandbox.inject("/v1/segments", error=httpx.RemoteProtocolError)
        assert kit.run("customerio_list_segments").segments  # type: ignore[attr-defined]
        assert server.sandbox.received[("GET", "/v1/segments")] == before + 2  # dropped, retried
        kit.close()
        await kit.aclose()


# -- an independent emulator -----------------------------------------------------------------------


def test_routes_follow_the_documents_and_cover_every_operation() -> None:
    from cio_toolkit.operations import OPERATIONS
    from cio_toolkit.sandbox.workspace import ROUTES
    from tests.contract import spec

    for route in ROUTES:
        doc = spec(route.operation_id)
        assert (route.method, route.path) == (doc["method"].upper(), doc["path"]), route
    assert {op.operation_id for op in OPERATIONS} <= {route.operation_id for route in ROUTES}


def test_the_sandbox_imports_nothing_from_the_client() -> None:
    """Its limits and rules are its own, from Customer.io's documents, so the suite can catch a
    client that is wrong instead of an emulator that copied it."""
    import ast
    from pathlib import Path

    folder = Path(__file__).parent.parent / "cio_toolkit" / "sandbox"
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert node.level <= 1, f"{path.name} imports from outside the sandbox"
                assert not (node.module or "").startswith("cio_toolkit"), path.name
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("cio_toolkit") for a in node.names), path.name


def test_every_client_limit_is_no_looser_than_the_documented_one() -> None:
    from cio_toolkit._pacing import LIMITS
    from cio_toolkit.operations import campaigns, customers, metrics, send_email, triggers
    from cio_toolkit.sandbox import limits

    assert triggers.MAX_AUDIENCE <= limits.AUDIENCE_MAX
    assert triggers.MAX_DATA_BYTES <= limits.BROADCAST_DATA_MAX_BYTES
    assert set(triggers.AUDIENCE_MODES) == set(limits.AUDIENCE_MODES)
    assert send_email.MAX_RECIPIENTS <= limits.SEND_MAX_RECIPIENTS
    assert send_email.MAX_SEND_AHEAD <= limits.SEND_MAX_AHEAD
    assert campaigns.MAX_SPAN <= limits.METRICS_MAX_SPAN
    assert set(metrics.CHANNELS) <= set(limits.CHANNELS)
    assert {**campaigns.RESOLUTION_ALIASES}.items() <= limits.RESOLUTIONS.items()
    search_limit = customers.SearchCustomersArgs.model_fields["limit"].metadata
    assert max(m.le for m in search_limit if hasattr(m, "le")) <= limits.SEARCH_LIMIT_MAX
    for pace, (count, milliseconds) in LIMITS.items():
        allowed, seconds = limits.RATE_LIMITS[pace]
        assert count <= allowed and milliseconds / 1000 >= seconds, pace


# -- what every tool's output promises (README, "The tools") -----------------------------------

OUTPUT_VARIANTS = [
    *EVERY_TOOL_ONCE,
    ("customerio_search_customers", {"filter": {"segment": {"id": 9}}, "emails": True}),
    ("customerio_search_customers", {"filter": {"attribute": {"field": "cio_id", "operator":
        "exists"}}, "limit": 1000, "emails": True}),
    ("customerio_get_campaign_metrics", {"campaign_id": 13, "days": 7, "series": True}),
    ("customerio_get_person_attributes", {"customer_id": "13"}),
    ("customerio_get_person_messages", {"customer_id": "13", "limit": 1000}),
    ("customerio_get_transactional_message", {"transactional_id": 2}),
    ("customerio_list_newsletters", {"limit": 100, "sort": "asc"}),
    ("customerio_get_broadcast_metrics", {"broadcast_id": 103, "period": "hours"}),
    ("customerio_get_broadcast_trigger", {"broadcast_id": 101, "trigger_id": 1}),
]  # fmt: skip
UNIX_SECONDS = re.compile(r"^\d{9,10}$")


def _values(shown: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(shown, dict):
        for key, value in shown.items():
            yield from _values(value, f"{path}.{key}")
    elif isinstance(shown, list):
        for i, item in enumerate(shown):
            yield from _values(item, f"{path}[{i}]")
    else:
        yield path, shown


@pytest.mark.parametrize(
    ("tool", "arguments"), OUTPUT_VARIANTS, ids=[t for t, _ in OUTPUT_VARIANTS]
)
def test_outputs_have_no_nulls_and_iso_timestamps(
    tool: str, arguments: dict[str, Any], sandbox: Sandbox
) -> None:
    text = toolkit_on(sandbox).call(tool, arguments)
    for path, value in _values(json.loads(text)):
        assert value is not None, f"{tool}: null at {path}"
        if isinstance(value, int) and not isinstance(value, bool):
            assert not 10**8 <= value < 10**11, f"{tool}: Unix time at {path}"
        if isinstance(value, str) and path.rsplit(".", 1)[-1].endswith(("_at", "_emailed")):
            assert not UNIX_SECONDS.match(value), f"{tool}: Unix time as text at {path}"


@pytest.mark.parametrize(
    ("tool", "arguments"), OUTPUT_VARIANTS, ids=[t for t, _ in OUTPUT_VARIANTS]
)
def test_outputs_are_what_their_output_schemas_say(
    tool: str, arguments: dict[str, Any], sandbox: Sandbox
) -> None:
    """The shapes MCP clients are given (`outputSchema`, generated from each tool's view, its
    objects closed), held to every tool's real output, and to that output cut to fit."""
    from jsonschema import Draft202012Validator

    from cio_toolkit import REGISTRY

    schema = REGISTRY[tool].output_schema
    assert schema.get("required"), f"{tool} has no output schema of its own"
    output = toolkit_on(sandbox).invoke(tool, arguments)
    assert output.structured == json.loads(output.text)  # one value, text and structured
    Draft202012Validator(schema).validate(output.structured)
    cut = ToolOutput.of(output.result, limit=len(output.text) // 2)
    assert cut.structured == json.loads(cut.text)
    Draft202012Validator(schema).validate(cut.structured)


@pytest.mark.parametrize(
    ("tool", "arguments", "noun"),
    [
        ("customerio_list_segments", {"name": "zzz"}, "segments"),
        ("customerio_list_campaigns", {"name": "zzz", "state": "draft"}, "campaigns"),
        ("customerio_list_broadcasts", {"name": "zzz"}, "broadcasts"),
        ("customerio_list_transactional_messages", {"name": "zzz"}, "messages"),
    ],
)
def test_a_filter_that_matches_nothing_says_so_and_how_many_there_are(
    tool: str, arguments: dict[str, Any], noun: str, sandbox: Sandbox
) -> None:
    kit = toolkit_on(sandbox)
    every = kit.invoke(tool).structured
    shown = kit.invoke(tool, arguments).structured
    assert shown["count"] == 0 and shown[noun] == []
    assert shown["in_all"] == every["count"] > 0
    assert shown["note"].startswith(f"none of the {every['count']:,} {noun} has a name containing")
    # A filter that matches says nothing more than the list it gives.
    some = kit.invoke(tool, {"name": every[noun][0][1] if "columns" in every
                             else every[noun][0]["name"]}).structured  # fmt: skip
    assert some["count"] >= 1 and "in_all" not in some and "note" not in some


def test_the_stats_answer_a_plain_curl_without_a_key() -> None:
    """Counts only (no data, no key), so a person checking a run needs nothing but the URL; the
    API beside it still asks for the key."""
    from cio_toolkit.sandbox import SandboxServer

    with SandboxServer(Sandbox(api_key="right", rate_limits=False)) as server:
        CustomerIOToolkit("right", base_url=server.url, rate_limit=False).run(
            "customerio_list_segments"
        )
        stats = httpx.get(f"{server.url}/sandbox/stats", timeout=10)
        refused = httpx.get(f"{server.url}/v1/segments", timeout=10)
    assert stats.status_code == 200 and stats.json()["received"]["GET /v1/segments"] == 1
    assert set(stats.json()) == {"received", "rate_limited", "outbox", "triggers"}
    assert refused.status_code == 401
