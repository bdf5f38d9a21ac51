"""Segments: the list of the workspace's segments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from ..fields import NoArgs
from ..operation import Operation, Result

# List segments ------------------------------------------------------------------------------------


class Segment(Result):
    id: int
    name: str | None = None
    description: str | None = None
    state: str | None = None
    progress: int | None = None
    type: str | None = None
    tags: list[str] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ListSegmentsResult(Result):
    segments: list[Segment] = Field(default_factory=list)

    def for_model(self) -> Any:
        return {"count": len(self.segments), "segments": [s.for_model() for s in self.segments]}


LIST_SEGMENTS = Operation(
    name="customerio_list_segments",
    description=(
        "List the workspace's segments (manual and dynamic) with ids, names and build state. Use "
        'a segment id in a search filter {"segment":{"id":N}} or a broadcast\'s recipients.'
    ),
    args_model=NoArgs,
    result_model=ListSegmentsResult,
    access="read",
    method="GET",
    path="/v1/segments",
    operation_id="listSegments",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (LIST_SEGMENTS,)
