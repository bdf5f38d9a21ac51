"""Deliveries: one message sent to one person, and what became of it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, NamedTuple

from pydantic import AfterValidator, Field

from .._fields import PATH, ArgsModel, IdText, Text, check_path_value
from .._operation import Operation, Result
from .._views import IsoTime, View

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
    for event in PROGRESS:
        if events.get(event):
            return event
    if events.get("drafted"):
        return "draft"
    # A failure without the event that says which (a person's messages give only sent and
    # delivered): it did not go out, and failure_message says why.
    return "not sent" if failure_message else "queued"


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
    campaign_id: int | None = None
    broadcast_id: int | None = None
    newsletter_id: int | None = None
    action_id: int | None = None

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
        """What sent it: `campaign 3`, `broadcast 101`, `newsletter 5`, or `transactional`
        (no parent: the document names none for a transactional send; inferred)."""
        for kind in ("campaign", "broadcast", "newsletter"):
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


class GetMessageArgs(ArgsModel):
    message_id: Annotated[Text, PATH, AfterValidator(check_path_value)] = Field(
        max_length=200,
        description="The delivery: a send's delivery_id, or an id from "
        "customerio_get_person_messages.",
    )


class DeliveryView(View):
    id: str
    state: str
    type: str | None = None
    source: str
    recipient: str | None = None
    subject: str | None = None
    events: dict[str, IsoTime] = Field(description="When each step happened, in order.")
    failure_message: str | None = None


class GetMessageResult(Result):
    message: Delivery

    def view(self) -> DeliveryView:
        message = self.message
        return DeliveryView(
            id=message.id,
            state=message.state,
            type=message.type or None,
            source=message.source,
            recipient=message.recipient or None,
            subject=message.subject or None,
            events={key: _iso(at) for key, at in sorted(message.events.items(), key=_by_time)},
            failure_message=message.failure_message or None,
        )


def _by_time(item: tuple[str, int]) -> tuple[int, int]:
    return item[1], EVENTS.index(item[0])


GET_MESSAGE = Operation(
    name="customerio_get_message",
    description=(
        "What became of one delivery: its state (queued, sent, delivered, opened, clicked, "
        "bounced, failed, suppressed, draft...), when each step happened, and why it failed. "
        "Use it after a send, with its delivery_id."
    ),
    args_model=GetMessageArgs,
    result_model=GetMessageResult,
    access="read",
    method="GET",
    path="/v1/messages/{message_id}",
    operation_id="getMessage",
    not_found=(
        "Customer.io has no delivery {message_id!r} (yet: a send can take a few seconds to "
        "appear); check the id, or the person's messages."
    ),
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (GET_MESSAGE,)
