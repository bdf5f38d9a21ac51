"""Customer.io's audience filter grammar (search `filter`, broadcast `recipients`), bounded."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema, model_validator
from pydantic.json_schema import SkipJsonSchema

from .fields import ArgsModel, PositiveId, Text

# The grammar is recursive, but a schema must be spelled out in full for every provider (no
# `$ref`: Gemini refuses it, and LangChain and OpenAI inline it anyway), so it is bounded: a
# filter is a condition, or and/or of groups; a group is a condition, or and/or/not of
# conditions. A negation sits in a group: {"and": [{"not": ...}]}; not(A and B) is
# or(not A, not B), by De Morgan.


class SegmentCondition(ArgsModel):
    id: PositiveId


class AttributeCondition(ArgsModel):
    field: Text
    operator: Literal["eq", "exists"]
    # The API types value as a string, yet its own examples send booleans; pass scalars through.
    value: Annotated[str | int | float | bool | None, WithJsonSchema({"type": "string"})] = None

    @model_validator(mode="after")
    def _value_with_eq(self) -> AttributeCondition:
        if self.operator == "eq" and self.value is None:
            raise ValueError("value is required when operator is 'eq'")
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


class FilterGroup(_OneKey):
    and_: list[Condition] | None = Field(None, alias="and")
    or_: list[Condition] | None = Field(None, alias="or")
    not_: Condition | None = Field(None, alias="not")
    segment: SegmentCondition | None = None
    attribute: AttributeCondition | None = None


class Filter(_OneKey):
    and_: list[FilterGroup] | None = Field(None, alias="and")
    or_: list[FilterGroup] | None = Field(None, alias="or")
    # Accepted as the API accepts it, but not shown: a group says the same in the same breath
    # ({"and": [{"not": ...}]}), and every byte of this schema is sent on every turn.
    not_: SkipJsonSchema[Condition | None] = Field(None, alias="not")
    segment: SegmentCondition | None = None
    attribute: AttributeCondition | None = None


FILTER_DESCRIPTION = (
    "Exactly one key per object, the rest null. A condition is "
    '{"segment":{"id":4}} or {"attribute":{"field":"plan","operator":"eq","value":"pro"}} '
    "(or operator exists). and/or take a list of conditions, or of and/or/not groups of "
    'conditions. "Not in segment 4": {"and":[{"not":{"segment":{"id":4}}}]}.'
)
