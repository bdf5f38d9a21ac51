"""Deliveries: one message sent to one person, what became of it, and lists of them."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from .._fields import (
    LOCAL,
    PATH,
    QUERY,
    ArgsModel,
    IdText,
    PositiveId,
    Text,
    Timestamp,
    check_path_value,
)
from .._operation import Operation, Result
from .._text import text_of
from .._views import IsoTime, Part, RowsPage, View
from .metrics import DEFAULT_WINDOW_DAYS, Channel

# What a delivery's `metrics` timestamps say, most telling first: a failure ends the story
# whatever came before it; otherwise the furthest step reached. `dropped` is Customer.io's
# word for a message it did not send because the person or address is suppressed or
# unsubscribed (shown as `suppressed`; inferred from the metric's name and the series').
FAILURES = {
    "bounced": "bounced",
    "failed": "failed",
    "undeliverable": "undeliverable",
    "dropped": "suppressed",
    "spammed": "spammed",
}
PROGRESS = ("converted", "clicked", "opened", "delivered", "sent")
# The timestamps among `metrics` (human_* and prefetch_* are counts, per the document).
EVENTS = ("created", "drafted", "sent", "delivered", "opened", "clicked", "converted",
          "bounced", "failed", "undeliverable", "dropped", "spammed", "unsubscribed")  # fmt: skip


def delivery_state(events: dict[str, int], failure_message: str | None = None) -> str:
    """A word or two for where a delivery stands: `suppressed`, `bounced`, `clicked`, `draft`,
    `not sent`..."""
    for event, state in FAILURES.items():
        if events.get(event):
            return state
    if failure_message and not events.get("delivered"):
        # A failure without the event that says which (a person's messages give only sent
        # and delivered): it did not arrive, and failure_message says why.
        return "not delivered" if events.get("sent") else "not sent"
    for event in PROGRESS:
        if events.get(event):
            return event
    return "draft" if events.get("drafted") else "queued"


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat().replace("+00:00", "Z")


class Delivery(Result):
    """A delivery as Customer.io describes it, in `/v1/messages` and a person's messages."""

    id: str
    type: str | None = None
    customer_id: IdText = None
    recipient: str | None = None
    subject: str | None = None
    metrics: dict[str, Any] = Field(default_factory=dict)
    created: int | None = None
    failure_message: str | None = None
    content_id: int | None = None
    campaign_id: int | None = None
    broadcast_id: int | None = None
    newsletter_id: int | None = None
    action_id: int | None = None
    # Which template sent it, where the request named one: a transactional delivery carries
    # no parent id (the document's own words), so the list of a template's deliveries says.
    transactional_id: SkipJsonSchema[int | None] = None

    @property
    def events(self) -> dict[str, int]:
        """The moments the delivery reached, Unix seconds, from `metrics`."""
        return {
            key: int(value)
            for key in EVENTS
            if isinstance(value := self.metrics.get(key), (int, float)) and value > 0
        }

    @property
    def state(self) -> str:
        return delivery_state(self.events, self.failure_message)

    @property
    def source(self) -> str:
        """What sent it: `campaign 3`, `broadcast 101`, `newsletter 5`, `transactional 2`, or
        `transactional` (no parent: the document names none for a transactional send)."""
        for kind in ("campaign", "broadcast", "newsletter", "transactional"):
            number = getattr(self, f"{kind}_id")
            if number:
                return f"{kind} {number}"
        return "transactional"

    @property
    def created_iso(self) -> str:
        created = self.created or self.events.get("created")
        return _iso(created) if created else ""

    def row(self) -> MessageRow:
        """The delivery as one row of a list of them."""
        return MessageRow(
            self.id,
            self.created_iso,
            self.type or "",
            self.source,
            self.subject or "",
            self.recipient or "",
            self.state,
            self.failure_message or "",
        )


class MessageRow(NamedTuple):
    id: str
    created: str
    type: str
    source: str
    subject: str
    recipient: str
    state: str
    failure: str


class ArchivedArgs(ArgsModel):
    message_id: Annotated[Text, PATH, AfterValidator(check_path_value)] = Field(max_length=200)


class GetMessageArgs(ArchivedArgs):
    message_id: Annotated[Text, PATH, AfterValidator(check_path_value)] = Field(
        max_length=200,
        description="The delivery: a send's delivery_id, or an id from "
        "customerio_get_person_messages.",
    )
    content: Annotated[bool, LOCAL] = Field(
        False,
        description="Also what it said: subject, sender, the body's text. Customer.io allows "
        "100 of these a day; ask only when the content matters.",
    )


# The most of a body's text a model is given: enough to see what the message said.
MAX_CONTENT_CHARS = 2_000


class ContentShown(Part):
    """What an archived delivery said, as text; never its HTML."""

    subject: str | None = None
    sender: str | None = None
    reply_to: str | None = None
    preheader: str | None = None
    text: str | None = None
    cut: bool | None = Field(None, description=f"The text was longer than {MAX_CONTENT_CHARS:,}.")
    url: str | None = Field(None, description="A webhook's URL.")
    method: str | None = None
    forgotten: bool | None = Field(None, description="Customer.io kept no copy of it.")


class Archived(Result):
    body: str | None = None
    from_: str | None = Field(None, alias="from")
    reply_to: str | None = None
    subject: str | None = None
    preheader_text: str | None = None
    url: str | None = None
    request_method: str | None = None
    forgotten: bool | None = None

    def shown(self) -> ContentShown:
        text = text_of(self.body or "")
        return ContentShown(
            subject=self.subject or None,
            sender=self.from_ or None,
            reply_to=self.reply_to or None,
            preheader=self.preheader_text or None,
            text=text[:MAX_CONTENT_CHARS] or None,
            cut=len(text) > MAX_CONTENT_CHARS or None,
            url=self.url or None,
            method=self.request_method or None,
            forgotten=self.forgotten or None,
        )


class ArchivedResult(Result):
    archived_message: Archived


class DeliveryView(View):
    id: str
    state: str
    type: str | None = None
    source: str
    recipient: str | None = None
    subject: str | None = None
    content_id: int | None = Field(None, description="The template variant that went out.")
    events: dict[str, IsoTime] = Field(description="When each step happened, in order.")
    failure_message: str | None = None
    content: ContentShown | None = Field(None, description="Only when asked for.")


class GetMessageResult(Result):
    message: Delivery
    archived: Archived | None = None

    def each_args(self, args: GetMessageArgs) -> list[ArgsModel]:
        return [ArchivedArgs(message_id=args.message_id)] if args.content else []

    def joined(self, part: Result) -> GetMessageResult:
        assert isinstance(part, ArchivedResult)
        return self.model_copy(update={"archived": part.archived_message})

    def view(self) -> DeliveryView:
        message = self.message
        return DeliveryView(
            id=message.id,
            state=message.state,
            type=message.type or None,
            source=message.source,
            recipient=message.recipient or None,
            subject=message.subject or None,
            content_id=message.content_id,
            events={key: _iso(at) for key, at in sorted(message.events.items(), key=_by_time)},
            failure_message=message.failure_message or None,
            content=self.archived.shown() if self.archived else None,
        )


def _by_time(item: tuple[str, int]) -> tuple[int, int]:
    return item[1], EVENTS.index(item[0])


GET_ARCHIVED_MESSAGE = Operation(
    name="customerio_get_message",
    description="What a delivery said: fetched after it, when asked for.",
    args_model=ArchivedArgs,
    result_model=ArchivedResult,
    access="read",
    method="GET",
    path="/v1/messages/{message_id}/archived_message",
    operation_id="getArchivedMessage",
    # At most 100 a day: a delivery's copy does not change, so it is asked for once.
    cached=True,
    not_found="Customer.io kept no copy of delivery {message_id!r}.",
)

GET_MESSAGE = Operation(
    name="customerio_get_message",
    description=(
        "What became of one delivery: its state (queued, sent, delivered, opened, clicked, "
        "bounced, failed, suppressed, draft...), when each step happened, why it failed, the "
        "variant sent, and on request what it said. Use it after a send, with its delivery_id."
    ),
    args_model=GetMessageArgs,
    result_model=GetMessageResult,
    access="read",
    method="GET",
    path="/v1/messages/{message_id}",
    operation_id="getMessage",
    each=GET_ARCHIVED_MESSAGE,
    not_found=(
        "Customer.io has no delivery {message_id!r} (yet: a send can take a few seconds to "
        "appear); check the id, or the person's messages."
    ),
)


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
OBJECTS = ("campaign_id", "broadcast_id", "newsletter_id", "transactional_id")
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
        given = [name for name in OBJECTS if getattr(self, name) is not None]
        if len(given) > 1:
            raise ValueError(f"{given[1]}: give at most one of {', '.join(OBJECTS)}")
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
        one_object = any(getattr(self, name) is not None for name in OBJECTS)
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
        for name in OBJECTS:
            if getattr(self, name) is not None:
                return f"{name.removesuffix('_id')} {getattr(self, name)}"
        return "the workspace"


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
            created=Span(start=_iso(self.start_ts), end=_iso(self.end_ts)),
            metric=self.metric,
        )


_DELIVERIES = dict(
    name="customerio_list_deliveries",
    args_model=ListDeliveriesArgs,
    result_model=ListDeliveriesResult,
    access="read",
    method="GET",
    narrow="ask for a smaller limit and page with `next`, or a shorter window",
)
_OBJECT_DELIVERIES = (
    ("campaigns", "campaign_id", "getCampaignMessages", "campaign"),
    ("broadcasts", "broadcast_id", "broadcastMessages", "broadcast"),
    ("newsletters", "newsletter_id", "getNewsletterMsgMeta", "newsletter"),
    ("transactional", "transactional_id", "transactionalMessages", "transactional message"),
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
    variants=tuple(
        Operation(
            description="",
            path=f"/v1/{collection}/{{{key}}}/messages",
            operation_id=operation_id,
            not_found=f"Customer.io has no {noun} {{{key}}}; list them to find valid ids.",
            **_DELIVERIES,  # type: ignore[arg-type]
        )
        for collection, key, operation_id, noun in _OBJECT_DELIVERIES
    ),
    **_DELIVERIES,  # type: ignore[arg-type]
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (GET_MESSAGE, LIST_DELIVERIES)
