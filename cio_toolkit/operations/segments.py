"""Segments: the list of the workspace's segments."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from ..fields import LOCAL, ArgsModel, name_matches
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


class ListSegmentsArgs(ArgsModel):
    name: Annotated[str | None, LOCAL] = Field(
        None, max_length=200, description="Only segments whose name contains this (any case)."
    )


class ListSegmentsResult(Result):
    segments: list[Segment] = Field(default_factory=list)

    @classmethod
    def from_api(cls, payload: Any, args: ListSegmentsArgs) -> ListSegmentsResult:
        listed = cls.model_validate(payload)
        listed.segments = [s for s in listed.segments if name_matches(s.name, args.name)]
        return listed

    def for_model(self) -> Any:
        # The API lists every segment: `count` is a true total of those that match.
        return {"count": len(self.segments), "segments": [s.for_model() for s in self.segments]}


LIST_SEGMENTS = Operation(
    name="customerio_list_segments",
    description=(
        "List the workspace's segments (manual and dynamic) with ids, names and build state. Use "
        'a segment id in a search filter {"segment":{"id":N}} or a broadcast\'s recipients.'
    ),
    args_model=ListSegmentsArgs,
    result_model=ListSegmentsResult,
    access="read",
    method="GET",
    path="/v1/segments",
    operation_id="listSegments",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (LIST_SEGMENTS,)
