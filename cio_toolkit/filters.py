"""Customer.io's audience filter grammar (search `filter`, broadcast `recipients`), bounded."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema, model_validator

from .fields import ArgsModel, PositiveId, Text

# The grammar is recursive, but LangChain and OpenAI inline every $ref, so a recursive model turns
# into ~15 KB per tool. Two levels of groups cover real filters (the API's own examples nest two
# deep); the innermost conditions, and the top-level `not`, are validated fully but shown to the
# model as plain objects: the field's description spells their form out once.
_COMPACT_OBJECT = {"type": "object"}


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
    """Each filter object holds exactly one of its keys, as the API requires."""

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


InnerCondition = Annotated[Condition, WithJsonSchema(_COMPACT_OBJECT)]


class FilterGroup(_OneKey):
    and_: list[InnerCondition] | None = Field(None, alias="and")
    or_: list[InnerCondition] | None = Field(None, alias="or")
    not_: InnerCondition | None = Field(None, alias="not")
    segment: SegmentCondition | None = None
    attribute: AttributeCondition | None = None


class Filter(_OneKey):
    and_: list[FilterGroup] | None = Field(None, alias="and")
    or_: list[FilterGroup] | None = Field(None, alias="or")
    not_: Annotated[FilterGroup | None, WithJsonSchema(_COMPACT_OBJECT)] = Field(None, alias="not")
    segment: SegmentCondition | None = None
    attribute: AttributeCondition | None = None


FILTER_DESCRIPTION = (
    "Exactly one key per object; and/or take lists, not one object; groups nest two deep. "
    'Leaves: {"segment":{"id":4}}, {"attribute":{"field":"plan","operator":"eq","value":"pro"}} '
    "(operator eq or exists)."
)
