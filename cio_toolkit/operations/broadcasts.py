"""API-triggered broadcasts: the list, and their metrics."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BeforeValidator, Field

from .._fields import (
    LOCAL,
    QUERY,
    ArgsModel,
    PathId,
)
from .._operation import Collection, Operation, Result
from .._views import Table, View
from .metrics import Channel, MetricsView, StepsMetricsResult, StepsWindowArgs

# List broadcasts ----------------------------------------------------------------------------------


class ListBroadcastsArgs(ArgsModel):
    name: Annotated[str | None, LOCAL] = Field(
        None, max_length=200, description="Only broadcasts whose name contains this (any case)."
    )
    state: Annotated[Literal["running", "draft"] | None, LOCAL] = Field(
        None, description="Only broadcasts in this state."
    )


def _list_or_none(value: Any) -> Any:
    # The document's own example has `"tags": "nil"` where its schema says a list.
    return value if isinstance(value, list) else None


class BroadcastAction(Result):
    id: int | None = None
    type: str | None = None


class Broadcast(Result):
    id: int
    name: str | None = None
    state: str | None = None
    active: bool | None = None
    actions: list[BroadcastAction] | None = None
    tags: Annotated[list[str] | None, BeforeValidator(_list_or_none)] = None
    first_started: datetime | None = None
    created: datetime | None = None
    updated: datetime | None = None


class BroadcastRow(NamedTuple):
    id: int
    name: str
    state: str
    channels: str
    tags: list[str]
    started: str


class BroadcastsTable(Table):
    broadcasts: list[BroadcastRow]


class ListBroadcastsResult(Collection):
    broadcasts: list[Broadcast] = Field(default_factory=list)

    def view(self) -> BroadcastsTable:
        rows = [
            BroadcastRow(
                b.id,
                b.name or "",
                b.state or "",
                ",".join(dict.fromkeys(a.type for a in b.actions or [] if a.type)),
                b.tags or [],
                b.first_started.date().isoformat() if b.first_started else "",
            )
            for b in self.broadcasts
        ]
        return BroadcastsTable.of(rows, **self.unmatched())


LIST_BROADCASTS = Operation(
    name="customerio_list_broadcasts",
    description=(
        "List the API-triggered broadcasts, one row each: id, name, state, channels, tags, first "
        "start date; the ids to trigger or report on."
    ),
    args_model=ListBroadcastsArgs,
    result_model=ListBroadcastsResult,
    access="read",
    method="GET",
    path="/v1/broadcasts",
    operation_id="listBroadcasts",
    narrow="filter by name or state",
)


# Broadcast metrics --------------------------------------------------------------------------------


class BroadcastMetricsArgs(StepsWindowArgs):
    broadcast_id: PathId = Field(description="The broadcast, from customerio_list_broadcasts.")
    type: Annotated[Channel | None, QUERY] = Field(
        None, description="Only this channel's messages; default every channel."
    )


class MeasuredBroadcast(View):
    broadcast_id: int


class BroadcastMetricsView(MetricsView, MeasuredBroadcast):
    pass


class BroadcastMetricsResult(StepsMetricsResult):
    broadcast_id: int

    def view(self) -> BroadcastMetricsView:
        return BroadcastMetricsView(broadcast_id=self.broadcast_id, **self.measured())

    @classmethod
    def from_api(cls, payload: Any, args: BroadcastMetricsArgs) -> BroadcastMetricsResult:
        return cls(broadcast_id=args.broadcast_id, **cls.window_fields(payload, args))


GET_BROADCAST_METRICS = Operation(
    name="customerio_get_broadcast_metrics",
    description=(
        "How a broadcast's messages did over the last N days (every trigger together): sent, "
        "delivered, opened, clicked, converted, bounced, unsubscribed, and delivery, open, click "
        "and conversion rates. The answer states the window, in whole US Eastern periods."
    ),
    args_model=BroadcastMetricsArgs,
    result_model=BroadcastMetricsResult,
    access="read",
    method="GET",
    path="/v1/broadcasts/{broadcast_id}/metrics",
    operation_id="broadcastMetrics",
    not_found="Customer.io has no broadcast {broadcast_id}; list broadcasts to find valid ids.",
    narrow="ask for a coarser period, without series",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (LIST_BROADCASTS, GET_BROADCAST_METRICS)
