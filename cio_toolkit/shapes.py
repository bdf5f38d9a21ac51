"""What each tool's output looks like, as JSON Schema: the `outputSchema` MCP clients are given.

Nothing is required: output cut to `max_output_chars` may lack its longest list's tail and
carries a `truncated` note, and every shape stays true of it.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

TEXT: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}


def one_of_types(*names: str) -> Schema:
    """A value of any of these JSON types, one `type` per branch (the portable spelling)."""
    return {"anyOf": [{"type": name} for name in names]}


# A value of any JSON type but null (there are no nulls in output).
ANY_VALUE: Schema = one_of_types("string", "number", "boolean", "array", "object")
# Unix times are given as ISO-8601 text, always in UTC or with their offset.
MOMENT: Schema = {"type": "string", "description": "ISO-8601"}


def shape(**properties: Schema) -> Schema:
    """An object with these properties, none required."""
    return {"type": "object", "properties": properties}


def listed(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def keyed(values: Schema) -> Schema:
    """An object whose keys are data (metric names, attribute names...)."""
    return {"type": "object", "additionalProperties": values}


# One row of a table: its cells in the order of the answer's `columns`.
ROW: Schema = {"type": "array", "description": "cells in the order of columns"}


def table(rows: str) -> Schema:
    """A list the API gives whole: a true `count`, one header, one row each."""
    return shape(count=INTEGER, columns=listed(TEXT), **{rows: listed(ROW)})


def page(rows: str, **also: Schema) -> Schema:
    """One page of a paged list: how many it holds, whether more exist, the cursor to them."""
    return shape(
        on_this_page=INTEGER,
        more=BOOLEAN,
        next=TEXT,
        columns=listed(TEXT),
        **{rows: listed(ROW)},
        **also,
    )


def metrics(**ids: Schema) -> Schema:
    """Totals and rates over a stated window (`series` on request)."""
    window = shape(start=MOMENT, end=MOMENT, tz=TEXT, res=TEXT, period=TEXT, periods=INTEGER)
    return shape(
        **ids,
        window=window,
        totals=keyed(INTEGER),
        rates=keyed(NUMBER),
        series=keyed(listed(INTEGER)),
    )


# The call a write's output names to check what became of it.
CHECK: Schema = shape(tool=TEXT, arguments=keyed(one_of_types("string", "integer")))


def with_truncation(schema: Schema) -> Schema:
    """`schema` as output cut to fit may come: with the `truncated` note (or, for output with
    no list to trim, only the note and the `partial` text)."""
    properties = {**schema.get("properties", {}), "truncated": TEXT, "partial": TEXT}
    return {**schema, "type": "object", "properties": properties}
