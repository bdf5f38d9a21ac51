"""Segments: the list of the workspace's segments, and one segment's size."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from .._fields import LOCAL, ArgsModel, PathId
from .._operation import Collection, Operation, Result
from .._views import Listing, View

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


class SegmentsView(Listing):
    segments: list[Segment]


class ListSegmentsResult(Collection):
    segments: list[Segment] = Field(default_factory=list)

    def view(self) -> SegmentsView:
        return SegmentsView(count=len(self.segments), segments=self.segments, **self.unmatched())


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


# Segment size -------------------------------------------------------------------------------------


class SegmentSizeArgs(ArgsModel):
    segment_id: PathId = Field(description="The segment, from customerio_list_segments.")


class SegmentStatesArgs(ArgsModel):
    segment_id: Annotated[int, LOCAL]  # found in the list, not sent


class SegmentSizeView(View):
    segment_id: int
    name: str | None = None
    count: int = Field(description="How many people are in the segment now.")
    building: bool | None = Field(
        None, description="Only while it is being built: the count is of those found so far."
    )
    progress: int | None = Field(None, description="While building: how far, in percent.")


class SegmentSizeResult(Result):
    segment_id: int
    count: int
    segment: Segment | None = None

    def joined(self, part: Result) -> SegmentSizeResult:
        assert isinstance(part, ListSegmentsResult)
        found = next((s for s in part.segments if s.id == self.segment_id), None)
        return self.model_copy(update={"segment": found})

    def view(self) -> SegmentSizeView:
        segment = self.segment
        # "finished" is the documents' word for a built segment; anything else is still going.
        building = segment is not None and segment.state not in (None, "finished")
        return SegmentSizeView(
            segment_id=self.segment_id,
            name=segment.name if segment else None,
            count=self.count,
            building=building or None,
            progress=segment.progress if building and segment else None,
        )

    @classmethod
    def from_api(cls, payload: Any, args: SegmentSizeArgs) -> SegmentSizeResult:
        return cls.model_validate({"segment_id": args.segment_id, **payload})


GET_SEGMENT_STATES = Operation(
    name="customerio_get_segment_size",
    description="The segments' build states: fetched after a segment's count.",
    args_model=SegmentStatesArgs,
    result_model=ListSegmentsResult,
    access="read",
    method="GET",
    path="/v1/segments",
    operation_id="listSegments",
)


GET_SEGMENT_SIZE = Operation(
    name="customerio_get_segment_size",
    description=(
        "How many people are in a segment now, in one call (searching would page through "
        "them), and its name; a segment still being built says so, with its progress."
    ),
    args_model=SegmentSizeArgs,
    result_model=SegmentSizeResult,
    access="read",
    method="GET",
    path="/v1/segments/{segment_id}/customer_count",
    operation_id="getSegmentCount",
    then=(GET_SEGMENT_STATES,),
    not_found="Customer.io has no segment {segment_id}; list segments to find valid ids.",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (LIST_SEGMENTS, GET_SEGMENT_SIZE)
