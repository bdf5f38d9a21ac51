"""Lists of deliveries: the workspace's, or one campaign's, broadcast's, newsletter's or template's,
by metric, channel and window."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from .._fields import LOCAL, QUERY, ArgsModel, PositiveId, Timestamp
from .._operation import Operation, Result
from .._views import IsoTime, Part, RowsPage, iso_seconds
from .messages import Delivery, MessageRow
from .metrics import DEFAULT_WINDOW_DAYS, Channel
from .senders import SENDER_IDS, at_each_sender, sender_named, senders_given

# Deliveries by metric, channel and window ---------------------------------------------------------

DeliveryMetric = Literal[
    "attempted", "sent", "delivered", "opened", "clicked", "converted", "bounced", "spammed",
    "unsubscribed", "dropped", "failed", "undeliverable",
]  # fmt: skip
# The API's longest windows, in days: the workspace's list at most 6 months ("We limit your
# requests to 6 months"), one object's 12; read as 180 and 365 days, so a window the API
# would cut short silently is refused here instead.
WORKSPACE_WINDOW_DAYS = 180
OBJECT_WINDOW_DAYS = 365
# Per object, the filters its list takes (the newsletter's and template's take no channel).
TAKES_TYPE = ("campaign_id", "broadcast_id")
DAY = 86_400


def _metric(value: Any) -> Any:
    # The state a model reads in this toolkit's answers, as the API's metric.
    return "dropped" if value == "suppressed" else value


class ListDeliveriesArgs(ArgsModel):
    # One object at a time, each sent in its own variant's path (none: the workspace's).
    campaign_id: Annotated[PositiveId | None, LOCAL] = Field(
        None, description="Only this campaign's deliveries (at most one object)."
    )
    broadcast_id: Annotated[PositiveId | None, LOCAL] = Field(
        None, description="Only this broadcast's."
    )
    newsletter_id: Annotated[PositiveId | None, LOCAL] = Field(
        None, description="Only this newsletter's."
    )
    transactional_id: Annotated[PositiveId | None, LOCAL] = Field(
        None, description="Only this transactional message's."
    )
    metric: Annotated[DeliveryMetric | None, BeforeValidator(_metric), QUERY] = Field(
        None,
        description="Only deliveries that reached this metric (bounced, failed, opened...; "
        "dropped: suppressed, not sent).",
    )
    type: Annotated[Channel | None, QUERY] = Field(
        None, description="Only this channel (workspace, campaign or broadcast)."
    )
    days: Annotated[int | None, LOCAL] = Field(
        None,
        ge=1,
        le=OBJECT_WINDOW_DAYS,
        description=f"Created in the last N days (N x 24 hours); default {DEFAULT_WINDOW_DAYS}. "
        "Or give start_ts.",
    )
    start_ts: Annotated[Timestamp | None, QUERY] = Field(
        None, description="Created from then: ISO-8601 (UTC unless it says) or Unix seconds."
    )
    end_ts: Annotated[Timestamp | None, QUERY] = Field(
        None, description="Created until then; default now."
    )
    limit: Annotated[int, QUERY] = Field(
        20, ge=1, le=1000, description="Deliveries per page, 1 to 1000; default 20."
    )
    start: Annotated[str | None, QUERY] = Field(
        None, max_length=500, description="The previous page's `next`, for the page after it."
    )

    @model_validator(mode="after")
    def _one_object(self) -> ListDeliveriesArgs:
        given = senders_given(self)
        if len(given) > 1:
            raise ValueError(f"{given[1]}: give at most one of {', '.join(SENDER_IDS)}")
        if self.type is not None and given and given[0] not in TAKES_TYPE:
            raise ValueError(f"type: a {given[0].removesuffix('_id')}'s deliveries take no channel")
        if self.days is not None and self.start_ts is not None:
            raise ValueError("days: give days or start_ts, not both")
        return self

    def resolved(self, now: float) -> ListDeliveriesArgs:
        """The window as Unix seconds, always sent: the API's defaults differ per object (a
        broadcast's: the month after its first trigger), so the answer states its own."""
        end = int(now) if self.end_ts is None else self.end_ts
        start = self.start_ts
        if start is None:
            start = end - (self.days or DEFAULT_WINDOW_DAYS) * DAY
        field = "start_ts" if self.start_ts is not None else "days"
        if start >= end:
            raise ValueError(f"{field}: must be before end_ts")
        one_object = bool(senders_given(self))
        if end - start > (OBJECT_WINDOW_DAYS if one_object else WORKSPACE_WINDOW_DAYS) * DAY:
            raise ValueError(
                f"{field}: the API lists at most {OBJECT_WINDOW_DAYS} days of one object's "
                "deliveries"
                if one_object
                else f"{field}: the API lists at most {WORKSPACE_WINDOW_DAYS} days of the "
                f"workspace's deliveries ({OBJECT_WINDOW_DAYS} of one campaign, broadcast, "
                "newsletter or template)"
            )
        return self.model_copy(update={"start_ts": start, "end_ts": end})

    def listed(self) -> str:
        """Whose deliveries these are: `campaign 3`, or `the workspace`."""
        return sender_named(self) or "the workspace"


class Span(Part):
    """When the listed deliveries were created (not necessarily sent)."""

    start: IsoTime
    end: IsoTime


class DeliveriesPage(RowsPage):
    listed: str = Field(description="Whose deliveries: the workspace's, or one object's.")
    created: Span
    metric: str | None = None
    deliveries: list[MessageRow]


class ListDeliveriesResult(Result):
    messages: list[Delivery] = Field(default_factory=list)
    next: str | None = None
    listed: SkipJsonSchema[str] = Field("", exclude=True)
    start_ts: SkipJsonSchema[int] = Field(0, exclude=True)
    end_ts: SkipJsonSchema[int] = Field(0, exclude=True)
    metric: SkipJsonSchema[str | None] = Field(None, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: ListDeliveriesArgs) -> ListDeliveriesResult:
        messages = (payload or {}).get("messages") if isinstance(payload, dict) else None
        if args.transactional_id is not None and isinstance(messages, list):
            messages = [
                {**m, "transactional_id": args.transactional_id} if isinstance(m, dict) else m
                for m in messages
            ]
        return cls.model_validate({
            **(payload if isinstance(payload, dict) else {}),
            "messages": messages or [],
            "listed": args.listed(),
            "start_ts": args.start_ts or 0,
            "end_ts": args.end_ts or 0,
            "metric": args.metric,
        })  # fmt: skip

    def view(self) -> DeliveriesPage:
        ordered = sorted(self.messages, key=lambda m: -(m.created or 0))
        return DeliveriesPage.of(
            [m.row() for m in ordered],
            self.next,
            listed=self.listed,
            created=Span(start=iso_seconds(self.start_ts), end=iso_seconds(self.end_ts)),
            metric=self.metric,
        )


_DELIVERIES: dict[str, Any] = dict(
    name="customerio_list_deliveries",
    args_model=ListDeliveriesArgs,
    result_model=ListDeliveriesResult,
    access="read",
    method="GET",
    narrow="ask for a smaller limit and page with `next`, or a shorter window",
)
LIST_DELIVERIES: Operation[ListDeliveriesArgs, ListDeliveriesResult] = Operation(
    description=(
        "Deliveries, newest first, a page at a time: the workspace's, or one campaign's, "
        "broadcast's, newsletter's or transactional message's; only those that bounced, failed, "
        "opened... (metric), of one channel, created in a window (default the last 30 days; at "
        "most 180 days, 365 for one object). Each row: recipient, state, when, what sent it, "
        "subject, failure. For who hard-bounced, or a campaign's failed sends."
    ),
    path="/v1/messages",
    operation_id="listMessages",
    # The workspace's list has no broadcast or template filter: each object has its own path.
    variants=at_each_sender(
        "/messages",
        {
            "campaign_id": "getCampaignMessages",
            "broadcast_id": "broadcastMessages",
            "newsletter_id": "getNewsletterMsgMeta",
            "transactional_id": "transactionalMessages",
        },
        description="",
        **_DELIVERIES,
    ),
    **_DELIVERIES,
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (LIST_DELIVERIES,)
