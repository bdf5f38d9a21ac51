"""Views: what each tool answers, as types; the text is a view's compact dump, its schema MCP's."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from functools import cache
from typing import Annotated, Any, NamedTuple, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import Self

# A moment as output gives it: ISO-8601, in UTC or with its offset.
IsoTime = Annotated[str, Field(description="ISO-8601")]


def iso_moment(moment: datetime | None) -> str | None:
    """A moment as ISO-8601, UTC written `Z`; None for none."""
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def iso_seconds(seconds: int | None) -> str:
    """Unix seconds as ISO-8601 in UTC, written `Z`; `""` for none (a row's empty cell), and
    `unknown` for a time no calendar holds (1e20, Infinity, 10**15: a broken answer)."""
    if not seconds:
        return ""
    try:
        moment = datetime.fromtimestamp(seconds, timezone.utc)
    except (OverflowError, ValueError, OSError):
        return "unknown"
    return moment.isoformat().replace("+00:00", "Z")


class View(BaseModel):
    """A tool's answer as the model is shown it; `dump()` is the value, `output_schema()` its shape.

    Nulls are left out: a field that does not apply is absent. Output cut to fit the toolkit's
    `max_output_chars` keeps its shape (lists shortened, long text shortened) and says so in
    `truncated`.
    """

    model_config = ConfigDict(defer_build=True, extra="forbid", populate_by_name=True)

    truncated: str | None = Field(
        None, description="Only in output cut to fit: what was left out, and how to ask for less."
    )

    def dump(self) -> dict[str, Any]:
        """The JSON value: no nulls, API spellings."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def text(self) -> str:
        """The compact JSON text of `dump()`."""
        return dumps(self.dump())

    @classmethod
    def output_schema(cls) -> dict[str, Any]:
        """The JSON Schema of `dump()`: MCP's `outputSchema` for tools answering this view."""
        return _schema_of(cls)


@cache
def _schema_of(view: type[View]) -> dict[str, Any]:
    from ._schema import ToolJsonSchema  # schemas are asked for by MCP, not by every program

    return view.model_json_schema(
        by_alias=True, mode="serialization", schema_generator=ToolJsonSchema
    )


def dumps(value: Any) -> str:
    """Compact JSON, as the model reads it (UTF-8 kept, no spaces)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Listing(View):
    """A collection the API lists whole, filtered here: `count` is a true total of matches.

    A filter that matches nothing says so, and how many there are without it: an empty list
    alone reads as "there are none".
    """

    count: int = Field(description="How many match (the whole collection, unfiltered).")
    in_all: int | None = Field(
        None, description="Only when nothing matched a filter: how many there are without it."
    )
    note: str | None = Field(None, description="Only when nothing matched: what was asked.")


class Table(Listing):
    """A listing with one row per item under one header: fifty items would otherwise repeat
    every key fifty times. A subclass declares the rows: `campaigns: list[CampaignRow]`, where
    the row is a `NamedTuple` whose field names are the columns."""

    columns: list[str]

    @classmethod
    def of(cls, rows: Sequence[NamedTuple], **fields: Any) -> Self:
        """The table of these rows; `fields` are the rest (a `Listing`'s `in_all`, say)."""
        name, row = _rows_field(cls)
        return cls(count=len(rows), columns=list(row._fields), **{name: list(rows)}, **fields)


class Page(View):
    """One page of a paged list: how many it holds, whether more exist, the cursor to them.
    The API gives no total, so neither does a page."""

    on_this_page: int
    more: bool = Field(description="Whether another page follows: ask with `next` as `start`.")
    next: str | None = Field(None, description="The cursor to the next page, if any.")


class RowsPage(Page):
    """A page with one row per item under one header; declared as `Table` is."""

    columns: list[str]

    @classmethod
    def of(cls, rows: Sequence[NamedTuple], next: str | None, **fields: Any) -> Self:
        """The page of these rows, `next` the API's cursor to the one after."""
        name, row = _rows_field(cls)
        return cls(
            on_this_page=len(rows),
            more=bool(next),
            next=next or None,
            columns=list(row._fields),
            **{name: list(rows)},
            **fields,
        )


@cache
def _rows_field(view: type[View]) -> tuple[str, Any]:
    """The view's rows: its field holding a list of `NamedTuple`s, and that row type."""
    for name, info in view.model_fields.items():
        if get_origin(info.annotation) is not list:
            continue
        (row,) = get_args(info.annotation)
        if isinstance(row, type) and issubclass(row, tuple) and hasattr(row, "_fields"):
            return name, row
    raise TypeError(f"{view.__name__} declares no rows (a list of NamedTuple)")


class Part(BaseModel):
    """A nested piece of a view (a device, a window, a variant): shown as it is declared."""

    # Built on first use, not at import, as every model here: most programs use a few tools.
    model_config = ConfigDict(defer_build=True, extra="forbid", populate_by_name=True)


class Check(Part):
    """The call that tells what became of a write: queued is not done."""

    tool: str
    arguments: dict[str, int | str]
