"""Segments: the list of the workspace's segments, and one segment's size."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from ..fields import LOCAL, ArgsModel, PathId, name_matches
from ..operation import Operation, Result
from ..shapes import INTEGER, MOMENT, TEXT, listed, shape

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
    output_schema = shape(
        count=INTEGER,
        segments=listed(
            shape(
                id=INTEGER,
                name=TEXT,
                description=TEXT,
                state=TEXT,
                progress=INTEGER,
                type=TEXT,
                tags=listed(TEXT),
                created_at=MOMENT,
                updated_at=MOMENT,
            )
        ),
    )
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
    preset="core",
)


# Segment size -------------------------------------------------------------------------------------


class SegmentSizeArgs(ArgsModel):
    segment_id: PathId = Field(description="The segment, from customerio_list_segments.")


class SegmentSizeResult(Result):
    output_schema = shape(segment_id=INTEGER, count=INTEGER)
    segment_id: int
    count: int

    @classmethod
    def from_api(cls, payload: Any, args: SegmentSizeArgs) -> SegmentSizeResult:
        return cls.model_validate({"segment_id": args.segment_id, **payload})


GET_SEGMENT_SIZE = Operation(
    name="customerio_get_segment_size",
    description=(
        "How many people are in a segment now: the exact count, in one call (searching would "
        "page through them)."
    ),
    args_model=SegmentSizeArgs,
    result_model=SegmentSizeResult,
    access="read",
    method="GET",
    path="/v1/segments/{segment_id}/customer_count",
    operation_id="getSegmentCount",
    not_found="Customer.io has no segment {segment_id}; list segments to find valid ids.",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (LIST_SEGMENTS, GET_SEGMENT_SIZE)
