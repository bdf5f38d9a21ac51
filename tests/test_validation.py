"""Bad input is refused before any request, with a message naming the field: a table of what a
model gets wrong, then whatever hypothesis invents, through both frameworks."""

from __future__ import annotations

import base64
import json
import os
import string
import zoneinfo
from typing import Any

import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cio_toolkit import CustomerIOError, CustomerIOToolkit, InvalidArgumentsError
from cio_toolkit.operations import OPERATIONS, REGISTRY
from cio_toolkit.sandbox import Sandbox
from tests.conftest import Call

EMAIL = "customerio_send_transactional_email"
REGISTRY_WRITES = {op.name: op.is_write for op in OPERATIONS}
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
        "send_at: may be at most 90 days ahead",
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
    from cio_toolkit.operations.send_email import SEND_TRANSACTIONAL_EMAIL as op

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


# -- fuzzing: whatever a model invents, through either framework -----------------------------------

SANDBOX = Sandbox(rate_limits=False)
KIT = CustomerIOToolkit.sandbox(SANDBOX, read_only=False, tools="all", rate_limit=False)
LANGCHAIN = {tool.name: tool for tool in KIT.langchain_tools()}
LLAMAINDEX = {tool.metadata.name: tool for tool in KIT.llamaindex_tools()}
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize="FUZZ_EXAMPLES" not in os.environ,  # CI: the same examples on every run
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
letters = st.text(string.ascii_letters + " -_.", min_size=1, max_size=30).filter(str.strip)
ZONES = zoneinfo.available_timezones()
ID_TYPES = ("id", "email", "cio_id", "phone")
RESOLUTIONS = ("hours", "days", "weeks", "months", "hourly", "daily", "weekly", "monthly")
not_an_email = st.text(max_size=60).filter(lambda s: "@" not in s or " " in s.strip())


def _requests() -> int:
    return sum(SANDBOX.received.values())


def _both_adapters(tool: str, arguments: dict[str, Any]) -> tuple[str, str]:
    """The text each framework's tool gives for these arguments (an error's text if refused)."""
    langchain_text = LANGCHAIN[tool].invoke(arguments)
    try:
        llama_text = str(LLAMAINDEX[tool].call(**arguments).content)
    except CustomerIOError as error:  # LlamaIndex's agent, not its tool, turns these into text
        llama_text = str(error)
    return str(langchain_text), llama_text


def assert_refused(tool: str, arguments: dict[str, Any], *fields: str) -> None:
    before = _requests()
    for text in _both_adapters(tool, arguments):
        assert text.startswith(f"Invalid arguments for {tool}: "), text[:300]
        assert any(field in text for field in fields), (fields, text[:300])
        assert "Traceback" not in text
    assert _requests() == before, "a refused call reached the API"


# -- arbitrary JSON for every argument of every tool -----------------------------------------------


@pytest.mark.parametrize("op", OPERATIONS, ids=[op.name for op in OPERATIONS])
@FUZZ
@given(data=st.data())
def test_arbitrary_json_is_refused_or_accepted_the_same_way_by_both(op: Any, data: Any) -> None:
    names = [info.alias or name for name, info in op.args_model.model_fields.items()]
    # Mostly the tool's own argument names, sometimes names it does not have.
    keys = (
        st.sampled_from(names) | st.text(min_size=1, max_size=12)
        if names
        else st.text(min_size=1, max_size=12)
    )
    arguments = data.draw(st.dictionaries(keys, json_values, max_size=4))
    try:
        op.validate(arguments)
    except InvalidArgumentsError as error:
        assert_refused(op.name, arguments, *names, *arguments, "arguments")
        fields = [*names, *arguments, "arguments"]
        for problem in error.problems:
            assert any(problem.startswith((f"{f}:", f"{f}.")) for f in fields), problem
    else:
        langchain_text, llama_text = _both_adapters(op.name, arguments)
        assert not langchain_text.startswith("Invalid") and not llama_text.startswith("Invalid")


# -- what a model gets wrong, by kind --------------------------------------------------------------


path_breakers = st.sampled_from(["/", "../", "\\", "?", "#", "\x00", "\n", "\x7f"])
around = st.text(string.ascii_letters + string.digits + "._-@+", min_size=1, max_size=12)


@FUZZ
@given(
    customer_id=st.tuples(around, path_breakers, around).map("".join)
    | st.sampled_from([".", ".."])
    | st.text(string.printable, min_size=255, max_size=2000).filter(lambda s: len(s.strip()) > 254)
)
def test_path_traversal_and_huge_ids_are_refused(customer_id: str) -> None:
    assert_refused("customerio_get_person_attributes", {"customer_id": customer_id}, "customer_id")


@FUZZ
@given(
    campaign_id=letters | st.lists(st.integers(), max_size=3) | st.integers(max_value=0)
    | st.floats().filter(lambda f: not f.is_integer()) | st.dictionaries(st.text(), st.integers())
)  # fmt: skip
def test_ids_of_the_wrong_type_are_refused(campaign_id: Any) -> None:
    assert_refused("customerio_get_campaign_metrics", {"campaign_id": campaign_id}, "campaign_id")


@FUZZ
@given(
    limit=st.integers().filter(lambda n: n < 1 or n > 1000),
    start=st.text(min_size=501, max_size=900),
)
def test_limits_and_cursors_out_of_range_are_refused(limit: int, start: str) -> None:
    everyone = {"attribute": {"field": "email", "operator": "exists"}}
    assert_refused("customerio_search_customers", {"filter": everyone, "limit": limit}, "limit")
    assert_refused("customerio_search_customers", {"filter": everyone, "start": start}, "start")


def _not_blank_nor(choices: Any) -> Any:
    # Blank text in an optional field is "not given" (see the next test), not a choice.
    return lambda s: s.strip() and s.strip() not in choices


@FUZZ
@given(
    id_type=st.text(max_size=20).filter(_not_blank_nor(ID_TYPES)),
    res=st.text(max_size=12).filter(_not_blank_nor(RESOLUTIONS)),
    tz=st.text(min_size=1, max_size=30).filter(_not_blank_nor(ZONES)),
)
def test_unicode_where_a_choice_belongs_is_refused(id_type: str, res: str, tz: str) -> None:
    person = {"customer_id": "1", "id_type": id_type}
    assert_refused("customerio_get_person_attributes", person, "id_type")
    assert_refused("customerio_get_campaign_metrics", {"campaign_id": 1, "res": res}, "res")
    assert_refused("customerio_get_campaign_metrics", {"campaign_id": 1, "tz": tz}, "tz")


@pytest.mark.parametrize("blank", ["", "  ", "\t"])
def test_blank_text_in_an_optional_field_is_not_given(blank: str) -> None:
    """What Gemini's converter makes a model send for a field it does not mean to give."""
    for tool, arguments, optional in [
        ("customerio_get_person_attributes", {"customer_id": "1"}, "id_type"),
        ("customerio_list_newsletters", {}, "start"),
        ("customerio_search_customers", {"filter": {"segment": {"id": 1}}}, "start"),
        ("customerio_send_transactional_email", {"to": "a@example.com", "subject": "s",
                                                 "body": "b", "from": "f@example.com"}, "cc"),
    ]:  # fmt: skip
        op = REGISTRY[tool]
        same = op.request_parts(op.validate(arguments))
        assert op.request_parts(op.validate({**arguments, optional: blank})) == same
    # A required field stays required: blank is refused, by name.
    assert_refused("customerio_get_person_attributes", {"customer_id": blank}, "customer_id")


AUDIENCES = {
    "recipients": {"segment": {"id": 7}},
    "emails": ["ada.lovelace@example.com"],
    "ids": ["1"],
    "per_user_data": [{"id": "1", "data": {}}],
    "data_file_url": "https://files.example.com/audience.jsonl",
}


@FUZZ
@given(modes=st.lists(st.sampled_from(list(AUDIENCES)), min_size=2, max_size=5, unique=True))
def test_several_audiences_at_once_are_refused(modes: list[str]) -> None:
    arguments = {"broadcast_id": 101, **{mode: AUDIENCES[mode] for mode in modes}}
    assert_refused("customerio_trigger_broadcast", arguments, "give at most one audience")
    text = _both_adapters("customerio_trigger_broadcast", arguments)[0]
    assert all(mode in text for mode in modes)


@FUZZ
@given(
    bad=not_an_email,
    many=st.integers(min_value=16, max_value=40),
)
def test_malformed_or_too_many_recipients_are_refused(bad: str, many: int) -> None:
    send = {"transactional_message_id": 1}
    assert_refused("customerio_send_transactional_email", {**send, "to": bad}, "to")
    crowd = ", ".join(f"p{n}@example.com" for n in range(many))
    crowded = {**send, "to": crowd, "identifiers": {"id": "1"}}
    assert_refused("customerio_send_transactional_email", crowded, "to, cc and bcc")
    trigger = {"broadcast_id": 101, "emails": ["ada.lovelace@example.com", bad]}
    assert_refused("customerio_trigger_broadcast", trigger, "emails")


@FUZZ
@given(size=st.integers(min_value=50_001, max_value=200_000), key=st.text(max_size=10))
def test_oversized_data_is_refused(size: int, key: str) -> None:
    data = {key: "x" * size}
    assert_refused("customerio_trigger_broadcast", {"broadcast_id": 101, "data": data}, "data")


def test_json_text_arguments_are_refused_the_same_way() -> None:
    """A model's arguments sometimes arrive as a JSON string; the core parses and checks them."""
    for text in ('{"campaign_id": "abc"}', "[1, 2]", "not json"):
        with pytest.raises(InvalidArgumentsError):
            KIT.call("customerio_get_campaign_metrics", text)
    assert json.loads(KIT.call("customerio_get_campaign_metrics", '{"campaign_id": 1}'))


# -- what Customer.io would refuse, or JSON cannot carry, is refused before sending ---------------

ADA_SEND = {"transactional_message_id": 2, "to": "ada.lovelace@example.com"}
TOO_BIG_OR_UNSENDABLE = [
    (EMAIL, {**ADA_SEND, "body": "<p>" + "x" * 10_000_000}, "body: the send is 10,000,"),
    (EMAIL, {**ADA_SEND, "body": "x" * 1_500_000}, "Customer.io takes at most 1,000,000 per send"),
    (
        EMAIL,
        {**ADA_SEND, "message_data": {f"key{n}": "value" for n in range(100_000)}},
        "message_data: the send is",
    ),
    (EMAIL, {**ADA_SEND, "message_data": {"code": "A\ud800"}}, "message_data.code: holds a lone"),
    (EMAIL, {**ADA_SEND, "subject": "\udfff"}, "subject: holds a lone surrogate"),
    (EMAIL, {**ADA_SEND, "message_data": {"total": float("nan")}}, "message_data.total: NaN"),
    (EMAIL, {**ADA_SEND, "message_data": {"x": [float("inf")]}}, "message_data.x.0: NaN and"),
    (EMAIL, {**ADA_SEND, "transactional_message_id": 10**30}, "larger than any Customer.io id"),
    (EMAIL, {**ADA_SEND, "attachments": {"a.bin": "not base64!"}}, "attachments: attachment"),
    (
        EMAIL,
        {**ADA_SEND, "attachments": {"a.bin": base64.b64encode(b"x" * 2_000_001).decode()}},
        "attachments must total under 2,000,000 bytes",
    ),
    (METRICS, {"campaign_id": 10**30}, "campaign_id: is larger than any Customer.io id"),
    (TRIGGER, {"broadcast_id": 10**30}, "broadcast_id: is larger than any Customer.io id"),
    (TRIGGER, {"broadcast_id": 101, "data": {"x": float("-inf")}}, "data.x: NaN and Infinity"),
    (
        SEARCH,
        '{"filter": {"attribute": {"field": "a", "operator": "eq", "value": NaN}}}',
        "filter.attribute.value: NaN",
    ),
]


@pytest.mark.parametrize(
    ("tool", "arguments", "message"),
    TOO_BIG_OR_UNSENDABLE,
    ids=[f"{t[11:]}-{i}" for i, (t, _, _) in enumerate(TOO_BIG_OR_UNSENDABLE)],
)
def test_oversize_and_unrepresentable_input_is_refused_by_field(
    tool: str, arguments: Any, message: str
) -> None:
    sandbox = Sandbox(rate_limits=False)
    attempts: list[Any] = []
    kit = CustomerIOToolkit.sandbox(
        sandbox, read_only=False, rate_limit=False, audit=attempts.append
    )
    with pytest.raises(InvalidArgumentsError) as raised:
        kit.call(tool, arguments)
    assert message in str(raised.value)
    # The same through LangChain: a message for the model, not a crash of the agent.
    langchain = {t.name: t for t in kit.langchain_tools()}[tool]
    as_called = json.loads(arguments) if isinstance(arguments, str) else arguments
    shown = langchain.invoke({"type": "tool_call", "id": "1", "name": tool, "args": as_called})
    assert shown.status == "error" and message in shown.content
    assert sum(sandbox.received.values()) == 0
    if REGISTRY_WRITES.get(tool):
        assert [a.outcome for a in attempts] == ["refused", "refused"]


def test_the_sandbox_refuses_them_too_with_customerios_statuses() -> None:
    """Independently of the client: a 1 MB send is a 413, NaN is not JSON (400)."""
    sandbox = Sandbox(rate_limits=False)
    with httpx.Client(
        transport=sandbox.transport(), base_url="https://sandbox.test",
        headers={"Authorization": "Bearer k", "Content-Type": "application/json"},
    ) as raw:  # fmt: skip
        big = json.dumps({**ADA_SEND, "body": "x" * 1_100_000})
        assert raw.post("/v1/send/email", content=big).status_code == 413
        nan = '{"to": "ada.lovelace@example.com", "transactional_message_id": 2, "x": NaN}'
        assert raw.post("/v1/send/email", content=nan).status_code == 400
        broad = json.dumps({"data": {"blob": "x" * 50_001}})
        assert raw.post("/v1/campaigns/101/triggers", content=broad).status_code == 422
    assert sandbox.outbox == []


DEEP = "[" * 100_000 + "]" * 100_000  # past any JSON parser's depth


@pytest.mark.parametrize("field", ["to", "cc", "bcc", "from", "reply_to"])
@pytest.mark.parametrize("hostile", ["(" * 1000, ":" * 1000])
def test_an_address_the_parser_cannot_descend_is_refused_naming_the_field(
    field: str, hostile: str
) -> None:
    sandbox = Sandbox(rate_limits=False)
    kit = CustomerIOToolkit.sandbox(sandbox, read_only=False, rate_limit=False)
    arguments = {"transactional_message_id": 1, "to": "ada@example.com", field: hostile}
    with pytest.raises(InvalidArgumentsError) as refused:
        kit.call("customerio_send_transactional_email", arguments)
    assert f"{field}: " in str(refused.value) and not sandbox.received


@pytest.mark.parametrize(("arguments", "said"), [
    ({"transactional_message_id": 1, "to": "ada@example.com", "message_data": '{"a":' + DEEP + "}"},
     "message_data: is nested too deeply to read"),
    ('{"transactional_message_id": 1, "a": ' + DEEP + "}", "arguments: nested too deeply to read"),
])  # fmt: skip
def test_json_text_nested_past_the_parsers_depth_is_refused(arguments: Any, said: str) -> None:
    sandbox = Sandbox(rate_limits=False)
    kit = CustomerIOToolkit.sandbox(sandbox, read_only=False, rate_limit=False)
    with pytest.raises(InvalidArgumentsError, match=said):
        kit.call("customerio_send_transactional_email", arguments)
    assert not sandbox.received
