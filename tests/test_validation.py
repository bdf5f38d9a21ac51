"""Bad input is refused before any request, with a message naming the field."""

from __future__ import annotations

import pytest
import respx

from cio_toolkit import CustomerIOToolkit, InvalidArgumentsError
from tests.conftest import Call

EMAIL = "customerio_send_transactional_email"
TRIGGER = "customerio_trigger_broadcast"
SEARCH = "customerio_search_customers"
PERSON = "customerio_get_person_attributes"
METRICS = "customerio_get_campaign_metrics"
LEAF = {"segment": {"id": 1}}

BAD = [
    (SEARCH, {}, "filter: Field required"),
    (SEARCH, {"filter": {}}, "filter: give exactly one of and, or, not, segment, attribute"),
    (SEARCH, {"filter": {"and": []}}, "'and' is empty"),
    (SEARCH, {"filter": {"not": [LEAF]}}, "filter.not"),
    (
        SEARCH,
        {"filter": {"attribute": {"field": "plan", "operator": "gt", "value": "x"}}},
        "filter.attribute.operator",
    ),
    (
        SEARCH,
        {"filter": {"attribute": {"field": "plan", "operator": "eq"}}},
        "value is required when operator is 'eq'",
    ),
    (SEARCH, {"filter": {"and": [{"and": [{"and": [LEAF]}]}]}}, "filter.and.0.and.0.and"),
    (SEARCH, {"filter": LEAF, "limit": 0}, "limit: Input should be greater than or equal to 1"),
    (SEARCH, {"filter": LEAF, "limit": 1001}, "limit: Input should be less than or equal to 1000"),
    (SEARCH, {"filter": LEAF, "page": 2}, "page: unknown field"),
    (SEARCH, {"filter": {"segment": {"id": 0}}}, "filter.segment.id: must be a positive id"),
    (PERSON, {"customer_id": "../segments"}, "customer_id: must be a plain id"),
    (PERSON, {"customer_id": ".."}, "customer_id: must be a plain id"),
    (PERSON, {"customer_id": "a/b"}, "customer_id: must be a plain id"),
    (PERSON, {"customer_id": "x\n" + "y"}, "customer_id: must be a plain id"),
    (PERSON, {"customer_id": ""}, "customer_id"),
    (PERSON, {"customer_id": "1", "id_type": "name"}, "id_type"),
    (METRICS, {"campaign_id": -3}, "campaign_id: must be a positive id"),
    (METRICS, {"campaign_id": "abc"}, "campaign_id"),
    (METRICS, {"campaign_id": 1, "start": "last tuesday"}, "start: expected an ISO-8601 date"),
    (
        METRICS,
        {"campaign_id": 1, "start": "2026-02-01", "end": "2026-01-01"},
        "start must be before end",
    ),
    (METRICS, {"campaign_id": 1, "start": "2000-01-01", "end": "2026-01-01"}, "10 years"),
    (METRICS, {"campaign_id": 1, "tz": "Mars/Olympus"}, "tz: unknown time zone"),
    (METRICS, {"campaign_id": 1, "res": "yearly"}, "res"),
    (METRICS, {"campaign_id": 1, "type": "fax"}, "type"),
    (TRIGGER, {"broadcast_id": 1, "emails": ["a@b.co"], "ids": ["1"]}, "give at most one audience"),
    (TRIGGER, {"broadcast_id": 1, "emails": ["not-an-email"]}, "emails: not an email address"),
    (
        TRIGGER,
        {"broadcast_id": 1, "ids": [str(i) for i in range(10_001)]},
        "ids: List should have at most 10000 items",
    ),
    (TRIGGER, {"broadcast_id": 1, "data": {"blob": "x" * 50_001}}, "data: must be at most 50,000"),
    (TRIGGER, {"broadcast_id": 1, "data": "not an object"}, "data"),
    (
        TRIGGER,
        {"broadcast_id": 1, "per_user_data": [{"data": {}}]},
        "per_user_data.0: give exactly one of id or email",
    ),
    (TRIGGER, {"broadcast_id": 1, "data_file_url": "file:///etc/passwd"}, "data_file_url"),
    (EMAIL, {"to": "a@example.com"}, "without transactional_message_id, give subject, body, from"),
    (EMAIL, {"transactional_message_id": 1}, "to: Field required"),
    (EMAIL, {"transactional_message_id": 1, "to": "nobody"}, "to: must be email addresses"),
    (
        EMAIL,
        {"transactional_message_id": 1, "to": ",".join(f"p{i}@example.com" for i in range(16))},
        "at most 15 recipients across to, cc and bcc",
    ),
    (
        EMAIL,
        {
            "transactional_message_id": 1,
            "to": ",".join(f"p{i}@ex.com" for i in range(10)),
            "bcc": ",".join(f"q{i}@ex.com" for i in range(6)),
        },
        "at most 15 recipients",
    ),
    (
        EMAIL,
        {"transactional_message_id": 1, "to": "a@b.co, c@d.co"},
        "identifiers is required when to is not one plain email address",
    ),
    (
        EMAIL,
        {
            "transactional_message_id": 1,
            "to": "a@b.co",
            "identifiers": {"id": "1", "email": "a@b.co"},
        },
        "identifiers: give exactly one of id, email or cio_id",
    ),
    (
        EMAIL,
        {"transactional_message_id": 1, "to": "a@b.co", "send_at": "2099-01-01"},
        "send_at may be at most 90 days ahead",
    ),
]


@pytest.mark.parametrize(
    ("tool", "arguments", "message"), BAD, ids=[f"{t[11:]}-{i}" for i, (t, _, _) in enumerate(BAD)]
)
async def test_bad_input_is_refused_before_any_request(
    tool: str,
    arguments: dict[str, object],
    message: str,
    call: Call,
    toolkit: CustomerIOToolkit,
    api: respx.MockRouter,
) -> None:
    with pytest.raises(InvalidArgumentsError) as raised:
        await call(toolkit, tool, arguments)
    text = str(raised.value)
    assert text.startswith(f"Invalid arguments for {tool}: ")
    assert message in text
    assert not api.calls


def test_values_are_never_echoed_in_the_message() -> None:
    kit = CustomerIOToolkit("k", rate_limit=False, read_only=False)
    with pytest.raises(InvalidArgumentsError) as raised:
        kit.call(EMAIL, {"to": "secret.person@example.com", "message_data": "private-token"})
    assert "private-token" not in str(raised.value)


def test_malformed_json_text_is_refused() -> None:
    kit = CustomerIOToolkit("k", rate_limit=False)
    with pytest.raises(InvalidArgumentsError, match="Invalid JSON"):
        kit.call(SEARCH, '{"filter": ')


@pytest.mark.parametrize(
    ("to", "identifiers"),
    [
        ("a@example.com", {"email": "a@example.com"}),
        ("Ann <a@example.com>", None),
    ],
)
def test_identifiers_default_to_a_plain_to(to: str, identifiers: object) -> None:
    from cio_toolkit.operations.transactional import SEND_TRANSACTIONAL_EMAIL as op

    if identifiers is None:
        with pytest.raises(InvalidArgumentsError, match="identifiers is required"):
            op.validate({"transactional_message_id": 1, "to": to})
    else:
        args = op.validate({"transactional_message_id": 1, "to": to})
        assert op.request_parts(args).body["identifiers"] == identifiers  # type: ignore[index]


def test_friendly_timestamps() -> None:
    from cio_toolkit.operations.campaigns import GET_CAMPAIGN_METRICS as op

    for start in (
        "2026-01-01",
        "2026-01-01T00:00:00Z",
        "2026-01-01T01:00:00+01:00",
        1767225600,
        "1767225600",
    ):
        args = op.validate({"campaign_id": 1, "start": start, "end": "2026-02-01"})
        assert args.start == 1767225600
