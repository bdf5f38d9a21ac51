"""Deliveries: one message sent to one person, and what became of it."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from pydantic import AfterValidator, Field
from pydantic.json_schema import SkipJsonSchema

from .._fields import (
    LOCAL,
    PATH,
    ArgsModel,
    IdText,
    Text,
    check_path_value,
)
from .._operation import Operation, Result
from .._text import text_of
from .._views import IsoTime, Part, View, iso_seconds

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
        """What sent it: `campaign 3`, `broadcast 101`, `newsletter 5`, `transactional 2`, or,
        for a transactional send (the document names no parent for one), its variant:
        `transactional variant 21`, whose template lists that variant's id."""
        for kind in ("campaign", "broadcast", "newsletter", "transactional"):
            number = getattr(self, f"{kind}_id")
            if number:
                return f"{kind} {number}"
        return f"transactional variant {self.content_id}" if self.content_id else "transactional"

    @property
    def created_iso(self) -> str:
        created = self.created or self.events.get("created")
        return iso_seconds(created) if created else ""

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
        description="Also what it said (subject, sender, text); Customer.io allows 100 a day.",
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
            events={
                key: iso_seconds(at) for key, at in sorted(message.events.items(), key=_by_time)
            },
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
        "What became of one delivery: its state (sent, delivered, opened, clicked, bounced, "
        "suppressed...), when each step happened, why it failed, and on request what it said. "
        "Use it after a send, with its delivery_id."
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


OPERATIONS: tuple[Operation[Any, Any], ...] = (GET_MESSAGE,)
