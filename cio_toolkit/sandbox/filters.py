"""Customer.io's audience filter grammar, evaluated against a person, as the workspace does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .seed import Person

Members = Callable[[int], frozenset[str]]  # a segment's cio_ids


def matches(rule: Any, person: Person, members: Members) -> bool:
    """Whether `person` is in the audience `rule` describes; ValueError names what is malformed."""
    if not isinstance(rule, dict) or len(rule) != 1:
        raise ValueError("each filter object needs exactly one of and, or, not, segment, attribute")
    ((kind, value),) = rule.items()
    if kind in ("and", "or"):
        if not isinstance(value, list) or not value:
            raise ValueError(f"{kind} takes a non-empty list of filters")
        test = all if kind == "and" else any
        return test(matches(item, person, members) for item in value)
    if kind == "not":
        if not isinstance(value, dict):
            raise ValueError("not takes one filter object")
        return not matches(value, person, members)
    if kind == "segment":
        if not isinstance(value, dict) or not isinstance(value.get("id"), int):
            raise ValueError('segment takes {"id": <integer>}')
        return person.cio_id in members(value["id"])
    if kind == "attribute":
        return _attribute_matches(value, person.attributes)
    raise ValueError(f"unknown filter type {kind!r}")


def _attribute_matches(condition: Any, attributes: Mapping[str, str]) -> bool:
    if not isinstance(condition, dict) or not isinstance(condition.get("field"), str):
        raise ValueError("attribute takes {field, operator, value}")
    operator, current = condition.get("operator"), attributes.get(condition["field"])
    if operator == "exists":
        return bool(current)
    if operator != "eq":
        raise ValueError("attribute operator must be eq or exists")
    if "value" not in condition:
        raise ValueError("attribute eq needs a value")
    wanted = condition["value"]
    # Attributes are stored as text; the API compares what a person's profile shows.
    text = str(wanted).lower() if isinstance(wanted, bool) else str(wanted)
    return current is not None and current == text
