"""Customer.io's audience filter grammar (search `filter`, broadcast `recipients`), bounded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    WithJsonSchema,
    field_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import CoreSchema

from ._fields import ArgsModel, PositiveId, Text

# The grammar is recursive, but a schema must be spelled out in full for every provider (no
# `$ref`: Gemini refuses it; LangChain and OpenAI inline it anyway), so it is bounded: a filter
# is one condition, or and/or of groups; a group is one condition, or and/or/not of conditions.
#
# Its shape is chosen for what providers' converters do to a schema, as tests/test_providers.py
# checks. Gemini's converter makes every key of an object nested below the top level required
# and drops `null` from it, so an object of optional keys holding "exactly one" cannot be
# written there. Such objects appear only as list items (which keep their own `required`), and
# the filter itself is shown as one object per key (`anyOf`), each requiring its key. That is
# why a group's `not` takes a list: "none of these conditions".


class SegmentCondition(ArgsModel):
    id: PositiveId


def _value_always_given(schema: dict[str, Any]) -> None:
    # Shown as always given ("" with exists): a provider must fill every key anyway (OpenAI's
    # strict mode, Gemini's converter), and a plain string is half the bytes of string-or-null
    # in each of the filter's nine inlined conditions.
    schema["required"] = [*schema.get("required", []), "value"]


class AttributeCondition(ArgsModel):
    model_config = ConfigDict(json_schema_extra=_value_always_given)

    field: Text
    operator: Literal["eq", "exists"]
    # The API types value as a string, yet its own examples send booleans; pass scalars through.
    # With exists it means nothing (a provider may still have to give it): dropped. Blank is
    # "not given", as for every optional field (ArgsModel).
    value: Annotated[str | int | float | bool | None, WithJsonSchema({"type": "string"})] = None

    @model_validator(mode="after")
    def _value_with_eq(self) -> AttributeCondition:
        if self.operator == "eq" and self.value is None:
            raise ValueError("value is required when operator is 'eq'")
        if self.operator == "exists":
            self.value = None
        return self


class _OneKey(ArgsModel):
    """Each filter object holds exactly one of its keys, as the API requires (`null` is none)."""

    @model_validator(mode="after")
    def _exactly_one(self) -> _OneKey:
        given = [name for name, value in self if value is not None]
        if len(given) != 1:
            keys = ", ".join(f.alias or n for n, f in type(self).model_fields.items())
            raise ValueError(f"give exactly one of {keys}")
        for name in given:
            value = getattr(self, name)
            if isinstance(value, list) and not value:
                raise ValueError(f"'{type(self).model_fields[name].alias or name}' is empty")
        return self


class Condition(_OneKey):
    segment: SegmentCondition | None = None
    attribute: AttributeCondition | None = None


def _listed(value: Any) -> Any:
    """The API's `not` takes one object; a group's may take a list: accept both."""
    return [value] if isinstance(value, dict) else value


class FilterGroup(_OneKey):
    and_: list[Condition] | None = Field(None, alias="and")
    or_: list[Condition] | None = Field(None, alias="or")
    not_: Annotated[list[Condition] | None, BeforeValidator(_listed)] = Field(None, alias="not")
    segment: SegmentCondition | None = None
    attribute: AttributeCondition | None = None

    @field_serializer("not_")
    def _not_as_the_api_takes_it(self, negated: list[Condition] | None) -> Any:
        # None of the conditions: not(c), or not(or(c1, c2...)).
        if negated is None:
            return None
        shown = [c.model_dump(mode="json", by_alias=True, exclude_none=True) for c in negated]
        return shown[0] if len(shown) == 1 else {"or": shown}


class Filter(_OneKey):
    and_: list[FilterGroup] | None = Field(None, alias="and")
    or_: list[FilterGroup] | None = Field(None, alias="or")
    # Accepted as the API accepts it, but not shown: a group says the same in the same breath
    # ({"and": [{"not": [...]}]}), and every byte of this schema is sent on every turn.
    not_: SkipJsonSchema[Condition | None] = Field(None, alias="not")
    segment: SegmentCondition | None = None
    attribute: AttributeCondition | None = None

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return one_object_per_key(core_schema, handler, _without_redundant)


def one_object_per_key(
    core_schema: CoreSchema,
    handler: GetJsonSchemaHandler,
    each: Callable[[str, dict[str, Any], GetJsonSchemaHandler], dict[str, Any]] | None = None,
) -> JsonSchemaValue:
    """An object of which exactly one key is given, shown as one object per key (`anyOf`),
    each requiring its key: "exactly one" in a form every provider's converter keeps (see the
    note at the top). `each` may reshape a key's schema. For `__get_pydantic_json_schema__`."""
    reference = handler(core_schema)
    shown = handler.resolve_ref_schema(reference)
    keys = shown.pop("properties")
    shown.pop("required", None)
    shown.pop("type", None)
    shown["anyOf"] = [
        {
            "type": "object",
            "properties": {key: (each or _as_is)(key, _without_null(value), handler)},
            "required": [key],
        }
        for key, value in keys.items()
    ]
    return reference


def _as_is(key: str, schema: dict[str, Any], handler: GetJsonSchemaHandler) -> dict[str, Any]:
    return schema


def _without_redundant(
    key: str, schema: dict[str, Any], handler: GetJsonSchemaHandler
) -> dict[str, Any]:
    """A list of groups under `and` without the groups' own `and` (A and (B and C) is A and B
    and C), and under `or` without their `or`: nothing is lost, and the group is inlined once
    per key, so each hidden list saves ~440 bytes of every turn. Both are still accepted."""
    if key not in ("and", "or") or "items" not in schema:
        return schema
    items = handler.resolve_ref_schema(schema["items"])  # a copy: the definition is shared
    properties = {k: v for k, v in items["properties"].items() if k != key}
    return {**schema, "items": {**items, "properties": properties}}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    branches = [b for b in schema.get("anyOf", []) if b != {"type": "null"}]
    if len(branches) != 1:
        return schema
    return {**branches[0], **{k: v for k, v in schema.items() if k not in ("anyOf", "default")}}


FILTER_DESCRIPTION = (
    'One of: a condition, {"segment":{"id":4}} or '
    '{"attribute":{"field":"plan","operator":"eq","value":"pro"}} (or operator exists); '
    "or and/or of groups. A group is a condition, or and/or/not of conditions (not: none of "
    'them). "Pro, not in segment 4": {"and":[{"attribute":...},{"not":[{"segment":{"id":4}}]}]}.'
)
