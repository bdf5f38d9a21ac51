"""Every tool's schema through every major provider's own converter, offline: what each
provider's rules allow, and arguments made from the converted schema doing what they mean.

For each tool and each provider the test converts the tool with that provider's LangChain package
(or LlamaIndex's `to_openai_tool`), then checks (a) the provider's documented schema rules for
that mode, written below as checkers, and (b) that arguments made from the *converted* schema
are accepted by the core, or refused only by a documented semantic rule (an email that is not
one, "exactly one of"...), and build the same request as the same arguments given plainly.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema

from cio_toolkit import CustomerIOToolkit, InvalidArgumentsError
from cio_toolkit.operations import OPERATIONS, REGISTRY, select_operations
from tests.cases import CASES

TOOLKIT = CustomerIOToolkit("k", read_only=False, tools="all", rate_limit=False)
TOOLS = TOOLKIT.langchain_tools()
NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


# -- conversions: each provider's own package --------------------------------------------------


def openai(strict: bool) -> dict[str, dict[str, Any]]:
    from langchain_openai import ChatOpenAI

    bound = ChatOpenAI(model="gpt-4.1", api_key="sk-test").bind_tools(TOOLS, strict=strict)
    return {t["function"]["name"]: t["function"] for t in bound.kwargs["tools"]}


def anthropic() -> dict[str, dict[str, Any]]:
    from langchain_anthropic import ChatAnthropic

    bound = ChatAnthropic(model="claude-sonnet-4-5", api_key="sk-test").bind_tools(TOOLS)
    return {t["name"]: t for t in bound.kwargs["tools"]}


def gemini() -> dict[str, Any]:
    from langchain_google_genai._function_utils import convert_to_genai_function_declarations

    (converted,) = convert_to_genai_function_declarations(TOOLS)
    return {f.name: f for f in converted.function_declarations}


def bedrock() -> dict[str, dict[str, Any]]:
    from langchain_aws.chat_models.bedrock_converse import _format_tools

    return {t["toolSpec"]["name"]: t["toolSpec"] for t in _format_tools(TOOLS)}


def llamaindex() -> dict[str, dict[str, Any]]:
    tools = TOOLKIT.llamaindex_tools()
    return {t.metadata.name: t.metadata.to_openai_tool()["function"] for t in tools}


# -- (a) each provider's documented rules ---------------------------------------------------------

# OpenAI's strict mode ("Structured Outputs: supported schemas"): these keywords and no others;
# every object closed and every property required; nesting at most 10 deep.
STRICT_KEYWORDS = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf",
    "description", "title", "pattern", "format", "multipleOf", "maximum", "exclusiveMaximum",
    "minimum", "exclusiveMinimum", "minItems", "maxItems",
}  # fmt: skip
JSON_SCHEMA_KEYWORDS = STRICT_KEYWORDS | {"default", "minLength", "maxLength", "examples"}


def nodes(
    schema: Any, path: str = "$", depth: int = 0
) -> Iterator[tuple[str, dict[str, Any], int]]:
    """Every subschema, with where it is and how many objects deep."""
    if not isinstance(schema, dict):
        return
    yield path, schema, depth
    deeper = depth + (schema.get("type") == "object")
    for name, prop in (schema.get("properties") or {}).items():
        yield from nodes(prop, f"{path}.{name}", deeper)
    if "items" in schema:
        yield from nodes(schema["items"], f"{path}[]", deeper)
    for i, branch in enumerate(schema.get("anyOf") or []):
        yield from nodes(branch, f"{path}|{i}", depth)


def json_schema_rules(parameters: dict[str, Any], *, strict: bool) -> list[str]:
    """What OpenAI (and Anthropic, Bedrock, LlamaIndex, which take its dialect) refuse."""
    broken = []
    if parameters.get("type") != "object" or "anyOf" in parameters:
        broken.append("$: the root must be an object")
    for path, node, depth in nodes(parameters):
        allowed = STRICT_KEYWORDS if strict else JSON_SCHEMA_KEYWORDS
        extra = set(node) - allowed
        if extra:
            broken.append(f"{path}: keywords {sorted(extra)}")
        if "$ref" in node or "$defs" in node:
            broken.append(f"{path}: $ref")
        if node.get("type") == "object":
            if not node.get("properties") and path != "$":
                broken.append(f"{path}: an object without properties")
            if strict and node.get("additionalProperties") is not False:
                broken.append(f"{path}: not closed")
            if strict and sorted(node.get("required", [])) != sorted(node.get("properties", {})):
                broken.append(f"{path}: not every property required")
        if strict and depth > 10:
            broken.append(f"{path}: nested deeper than 10")
    return broken


def gemini_rules(declaration: Any, warnings: list[str]) -> list[str]:
    """What Gemini's API refuses or silently mangles: property-less objects, untyped nodes,
    enums on anything but strings, keys its converter had to drop."""
    broken = [f"converter warned: {w}" for w in warnings]

    def walk(schema: Any, path: str) -> None:
        if schema.any_of:
            for i, branch in enumerate(schema.any_of):
                walk(branch, f"{path}|{i}")
            return
        kind = schema.type.value if schema.type else None
        if kind is None:
            broken.append(f"{path}: no type")
        if kind == "OBJECT" and not schema.properties:
            broken.append(f"{path}: an object without properties")
        if schema.enum and kind != "STRING":
            broken.append(f"{path}: enum on {kind}")
        for name, prop in (schema.properties or {}).items():
            walk(prop, f"{path}.{name}")
        if schema.items is not None:
            walk(schema.items, f"{path}[]")

    if not re.fullmatch(r"^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$", declaration.name):
        broken.append("name")
    walk(declaration.parameters, "$")
    return broken


@pytest.fixture(scope="module")
def converted() -> dict[str, dict[str, Any]]:
    """Every provider's conversion of every tool, as JSON schemas (and Gemini's warnings)."""
    gemini_log: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            gemini_log.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("langchain_google_genai")
    logger.addHandler(handler)
    try:
        declarations = gemini()
    finally:
        logger.removeHandler(handler)
    return {
        "openai": {n: f["parameters"] for n, f in openai(strict=False).items()},
        "openai-strict": {n: f["parameters"] for n, f in openai(strict=True).items()},
        "anthropic": {n: t["input_schema"] for n, t in anthropic().items()},
        "gemini": {
            n: d.parameters.json_schema.model_dump(mode="json", exclude_none=True, by_alias=True)
            for n, d in declarations.items()
        },
        "bedrock": {n: s["inputSchema"]["json"] for n, s in bedrock().items()},
        "llamaindex": {n: f["parameters"] for n, f in llamaindex().items()},
        "_gemini_declarations": declarations,  # type: ignore[dict-item]
        "_gemini_warnings": gemini_log,  # type: ignore[dict-item]
    }


PROVIDERS = ["openai", "openai-strict", "anthropic", "gemini", "bedrock", "llamaindex"]
TOOL_NAMES = [op.name for op in OPERATIONS]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_tool_converts_within_the_providers_rules(
    provider: str, converted: dict[str, Any]
) -> None:
    assert set(converted[provider]) == set(TOOL_NAMES)
    for name in TOOL_NAMES:
        assert NAME.fullmatch(name)
        if provider == "gemini":
            broken = gemini_rules(
                converted["_gemini_declarations"][name], converted["_gemini_warnings"]
            )
        else:
            broken = json_schema_rules(
                converted[provider][name], strict=provider == "openai-strict"
            )
        assert not broken, (provider, name, broken[:5])


@pytest.mark.parametrize("defer", [True, "support"])
def test_deferred_tools_reach_anthropic_and_openai_as_defer_loading(defer: Any) -> None:
    from langchain_anthropic import ChatAnthropic
    from langchain_openai import ChatOpenAI

    kit = CustomerIOToolkit("k", tools="all", read_only=False, defer=defer)
    kept = {op.name for op in select_operations(False, "core" if defer is True else defer)}
    tools = kit.langchain_tools()
    assert kept and {t.name for t in tools} > kept  # some deferred, some sent every turn
    anthropic = ChatAnthropic(model="claude-sonnet-4-5", api_key="sk-test").bind_tools(tools)
    openai = ChatOpenAI(model="gpt-5", api_key="sk-test").bind_tools(tools)
    for sent in anthropic.kwargs["tools"]:  # type: ignore[attr-defined]
        assert sent.get("defer_loading") is (None if sent["name"] in kept else True)
    for sent in openai.kwargs["tools"]:  # type: ignore[attr-defined]
        name = sent["function"]["name"]
        assert sent.get("defer_loading") is (None if name in kept else True)
    # Without defer, nothing is deferred; the definitions themselves are the same either way.
    plain = CustomerIOToolkit("k", tools="all", read_only=False)
    assert not any(t.extras for t in plain.langchain_tools())
    assert [s.parameters for s in plain.specs] == [s.parameters for s in kit.specs]


def test_descriptions_are_within_every_providers_limits() -> None:
    for spec in TOOLKIT.specs:
        assert 0 < len(spec.description) <= 1024, spec.name  # OpenAI's and Bedrock's limit
        for path, node, _ in nodes(spec.parameters):
            if path.count(".") == 1 and "|" not in path and "[]" not in path:  # each parameter
                assert node.get("description"), f"{spec.name}{path[1:]} has no description"


# -- (b) arguments made from the converted schemas ---------------------------------------------

# What the core may refuse a well-formed argument for: its documented rules, each in the schema's
# descriptions (an email address, a date, exactly one of...). A refusal for anything else (a
# field required, a wrong type, an unknown field) would mean the converted schema misled.
SEMANTIC = re.compile(
    "|".join(
        (
            r"give exactly one of", r"give at most one audience", r"is empty",
            r"must be email addresses", r"not an email address", r"email is not an email",
            r"identifiers is required when to", r"at most 15 recipients",
            r"without transactional_message_id, give", r"expected an ISO-8601",
            r"unknown time zone", r"start must be before end", r"span at most 10 years",
            r"give days or start", r"send_at may be at most 90 days", r"must be a positive id",
            r"larger than any Customer\.io id", r"must be a plain id", r"must not be empty",
            r"value is required when operator is 'eq'", r"must be a JSON object",
            r"at most [\d,]+ bytes", r"String should have at most", r"should match pattern",
            r"Customer\.io takes at most", r"holds a lone surrogate",
            r"must be a template's id or trigger name", r"the API gives at most",
            r"must be in the past", r"start_ts: must be before end_ts", r"give at most one of",
            r"deliveries take no channel", r"the API lists at most", r"not an activity type",
            r"^\w+: only with ",
            # Ranges and sizes each description states, which Gemini's converter drops from
            # the schema itself (minimum, maximum, minItems).
            r"greater than or equal to", r"less than or equal to", r"at least 1 item",
        )
    )
)  # fmt: skip
STRUCTURAL = re.compile(r"Field required|unknown field|Input should be a valid|Invalid JSON")


def plain(value: Any) -> Any:
    """The same arguments as a lenient provider would give them: nothing null or blank."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v is not None and v != ""}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def assert_means_what_it_says(tool: str, arguments: dict[str, Any]) -> None:
    op = REGISTRY[tool]
    try:
        given = op.validate(copy.deepcopy(arguments))
    except InvalidArgumentsError as refused:
        for problem in refused.problems:
            assert SEMANTIC.search(problem), (tool, problem, arguments)
            assert not STRUCTURAL.search(problem), (tool, problem, arguments)
        return
    # Accepted: the same request as the arguments given plainly.
    assert op.request_parts(given) == op.request_parts(op.validate(plain(arguments)))


EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


def closed(schema: Any) -> Any:
    """The schema with its objects closed: JSON Schema leaves them open, so hypothesis would
    invent keys no tool has, which the core refuses by design ("unknown field")."""
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    shown = {k: closed(v) for k, v in schema.items()}
    if shown.get("type") == "object" or "properties" in shown:
        shown["additionalProperties"] = False
    return shown


@pytest.mark.parametrize("tool", TOOL_NAMES)
def test_arguments_from_the_converted_schemas_are_taken_as_meant(
    tool: str, converted: dict[str, Any]
) -> None:
    # Providers that convert a tool alike (OpenAI's plain dialect, Anthropic, LlamaIndex) share
    # one run: the same schema makes the same arguments.
    distinct = {json.dumps(converted[p][tool], sort_keys=True): p for p in reversed(PROVIDERS)}
    schema = REGISTRY[tool].parameters
    if set(schema["properties"]) != set(schema.get("required", [])):
        # Optional arguments are where converters part ways (null, required, dropped keys).
        assert {"openai-strict", "gemini", "bedrock"} <= set(distinct.values())
    for provider in distinct.values():
        schema = closed(converted[provider][tool])

        @EXAMPLES
        @given(arguments=from_schema(schema))
        def check(arguments: dict[str, Any]) -> None:
            assert_means_what_it_says(tool, arguments)

        check()


def shaped(arguments: Any, schema: dict[str, Any], provider: str) -> Any:
    """Known-good arguments in the shape a provider's converted schema forces: every key
    present, null where not given (strict) or "" / a filler where Gemini drops null."""
    if isinstance(arguments, list):
        return [shaped(item, schema.get("items", {}), provider) for item in arguments]
    if not isinstance(arguments, dict):
        return arguments
    branches = [b for b in schema.get("anyOf", []) if b.get("type") == "object"]
    if branches:
        schema = next(b for b in branches if set(b.get("properties", {})) >= set(arguments))
    properties = schema.get("properties", {})
    out = {k: shaped(v, _branch(properties.get(k, {})), provider) for k, v in arguments.items()}
    for key in set(properties) - set(arguments):
        if key in schema.get("required", []):
            out[key] = "" if provider == "gemini" else None
        elif provider == "openai-strict":
            out[key] = None
    return out


def _branch(schema: dict[str, Any]) -> dict[str, Any]:
    non_null = [b for b in schema.get("anyOf", []) if b.get("type") != "null"]
    if len(non_null) == 1 and not any(b.get("type") == "object" for b in non_null[1:]):
        return {**non_null[0], **{k: v for k, v in schema.items() if k != "anyOf"}}
    return schema


KNOWN_GOOD: list[tuple[str, dict[str, Any]]] = [(c.tool, c.arguments) for c in CASES] + [
    (
        "customerio_search_customers",
        {"filter": {"or": [{"not": [{"segment": {"id": 4}}]}, {"attribute": {
            "field": "phone", "operator": "exists"}}]}, "limit": 10},
    ),
    (
        "customerio_send_transactional_email",
        {"transactional_message_id": "2", "to": "a@example.com",
         "identifiers": {"id": "7"}, "message_data": '{"order_id": "A-1"}'},
    ),
    (
        "customerio_trigger_broadcast",
        {"broadcast_id": 101, "recipients": '{"segment": {"id": 7}}', "data": '{"x": 1}'},
    ),
    (
        "customerio_trigger_broadcast",
        {"broadcast_id": 101, "per_user_data": [{"email": "a@example.com", "data": '{"c": 1}'}]},
    ),
    ("customerio_get_campaign_metrics", {"campaign_id": 1, "days": 7, "tz": "Asia/Tokyo"}),
    ("customerio_list_campaigns", {"state": "running", "name": "welcome"}),
]  # fmt: skip


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize(
    ("tool", "arguments"), KNOWN_GOOD, ids=[f"{t}-{i}" for i, (t, _) in enumerate(KNOWN_GOOD)]
)
def test_known_good_arguments_in_each_providers_shape_build_the_same_request(
    tool: str, arguments: dict[str, Any], provider: str, converted: dict[str, Any]
) -> None:
    as_sent = shaped(arguments, converted[provider][tool], provider)
    op = REGISTRY[tool]
    assert op.request_parts(op.validate(as_sent)) == op.request_parts(op.validate(arguments))


def _objects(schema: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object schema within `schema`, by a path of property names (anyOf branches are
    told apart by their keys, as converters may reorder them)."""
    if not isinstance(schema, dict):
        return
    if "properties" in schema:
        yield f"{path}{{{','.join(sorted(schema['properties']))}}}", schema
        for key, value in schema["properties"].items():
            yield from _objects(value, f"{path}.{key}")
    if "items" in schema:
        yield from _objects(schema["items"], f"{path}[]")
    for branch in schema.get("anyOf", []):
        yield from _objects(branch, path)


def _takes_null(schema: dict[str, Any]) -> bool:
    kinds = schema.get("type")
    return (
        schema.get("nullable") is True
        or kinds == "null"
        or (isinstance(kinds, list) and "null" in kinds)
        or any(_takes_null(branch) for branch in schema.get("anyOf", []))
    )


@pytest.mark.parametrize("provider", PROVIDERS)
def test_no_converter_makes_an_optional_argument_required(
    provider: str, converted: dict[str, Any]
) -> None:
    """Wherever a key is optional in the tool's schema, a provider's conversion may require it
    only if it also takes null ("not given", as OpenAI's strict mode does): a key made required
    without null (Gemini's converter, below the top level) forces a model to give a value it
    does not mean, which "exactly one of" would then refuse."""
    changed = []
    for tool in TOOL_NAMES:
        ours = dict(_objects(REGISTRY[tool].parameters))
        for path, theirs in _objects(converted[provider][tool]):
            if path not in ours:
                continue  # a shape the converter rewrote; its own rules check it
            optional = set(ours[path]["properties"]) - set(ours[path].get("required", []))
            for key in optional & set(theirs.get("required", [])):
                if not _takes_null(theirs["properties"][key]):
                    changed.append(f"{tool} {path}.{key}")
    assert not changed, f"{provider} makes optional arguments required: {changed}"
