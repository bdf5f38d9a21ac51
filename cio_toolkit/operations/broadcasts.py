"""API-triggered broadcasts: the list, one broadcast's definition and the data it takes, and
their metrics."""

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
from .._views import IsoTime, Table, View, iso_moment
from .actions import ActionRow, ActionsResult, every_read, with_actions
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


# One broadcast ------------------------------------------------------------------------------------


class BroadcastArgs(ArgsModel):
    broadcast_id: PathId = Field(description="The broadcast, from customerio_list_broadcasts.")


class BroadcastView(View):
    id: int
    name: str | None = None
    state: str | None = None
    tags: list[str] | None = None
    created: IsoTime | None = None
    updated: IsoTime | None = None
    first_started: IsoTime | None = None
    trigger_data: list[str] | None = Field(
        None, description="The data keys a trigger must pass (its messages read them)."
    )
    trigger_data_optional: list[str] | None = Field(
        None, description="Keys read with a default, or only tested: a trigger may leave them."
    )
    liquid_error: str | None = None
    action_columns: list[str]
    actions: list[ActionRow]


class GetBroadcastResult(Result):
    broadcast: Broadcast
    actions_page: ActionsResult = Field(default_factory=ActionsResult)

    def joined(self, part: Result) -> GetBroadcastResult:
        return with_actions(self, part)  # type: ignore[no-any-return]

    def view(self) -> BroadcastView:
        b, actions = self.broadcast, self.actions_page.actions
        required, optional, error = every_read(actions)
        return BroadcastView(
            id=b.id,
            name=b.name,
            state=b.state,
            tags=b.tags or None,
            created=iso_moment(b.created),
            updated=iso_moment(b.updated),
            first_started=iso_moment(b.first_started),
            trigger_data=required or None,
            trigger_data_optional=optional or None,
            liquid_error=error,
            action_columns=list(ActionRow._fields),
            actions=[a.row() for a in actions],
        )


GET_BROADCAST_ACTIONS = Operation(
    name="customerio_get_broadcast",
    description="A broadcast's actions: fetched after its definition.",
    args_model=BroadcastArgs,
    result_model=ActionsResult,
    access="read",
    method="GET",
    path="/v1/broadcasts/{broadcast_id}/actions",
    operation_id="broadcastActions",
    not_found="Customer.io has no broadcast {broadcast_id}.",
)

GET_BROADCAST = Operation(
    name="customerio_get_broadcast",
    description=(
        "What a broadcast sends and the data a trigger must pass: the trigger keys its messages "
        "read (and those with a default), and each action's channel, subject, the profile "
        "attributes it reads, a webhook's URL and method. Read it before triggering."
    ),
    args_model=BroadcastArgs,
    result_model=GetBroadcastResult,
    access="read",
    method="GET",
    path="/v1/broadcasts/{broadcast_id}",
    operation_id="getBroadcast",
    then=(GET_BROADCAST_ACTIONS,),
    not_found="Customer.io has no broadcast {broadcast_id}; list broadcasts to find valid ids.",
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

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    LIST_BROADCASTS,
    GET_BROADCAST,
    GET_BROADCAST_METRICS,
)
