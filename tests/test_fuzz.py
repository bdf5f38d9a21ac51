"""Whatever a model invents, through either framework: refused, the field named, nothing sent."""

from __future__ import annotations

import json
import os
import string
import zoneinfo
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cio_toolkit import CustomerIOError, CustomerIOToolkit, InvalidArgumentsError
from cio_toolkit.operations import OPERATIONS
from cio_toolkit.sandbox import Sandbox

SANDBOX = Sandbox(rate_limits=False)
KIT = CustomerIOToolkit.sandbox(SANDBOX, read_only=False, rate_limit=False)
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


@FUZZ
@given(
    id_type=st.text(max_size=20).filter(lambda s: s.strip() not in ID_TYPES),
    res=st.text(max_size=12).filter(lambda s: s.strip() not in RESOLUTIONS),
    tz=st.text(min_size=1, max_size=30).filter(lambda s: s.strip() not in ZONES),
)
def test_unicode_where_a_choice_belongs_is_refused(id_type: str, res: str, tz: str) -> None:
    person = {"customer_id": "1", "id_type": id_type}
    assert_refused("customerio_get_person_attributes", person, "id_type")
    assert_refused("customerio_get_campaign_metrics", {"campaign_id": 1, "res": res}, "res")
    assert_refused("customerio_get_campaign_metrics", {"campaign_id": 1, "tz": tz}, "tz")


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
