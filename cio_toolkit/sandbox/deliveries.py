"""Deliveries: each message sent to one person, seeded or sent by the agent, with its events."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .fates import UNSUBSCRIBED, fate
from .metrics import HOUR, unit
from .seed import Campaign, Person, Template
from .templates import render

if TYPE_CHECKING:
    from .state import OutboxMessage, Workspace

DAY = 86_400
# How far back a person's seeded campaign and transactional messages go.
HISTORY_DAYS = 150
Kind = Literal["campaign", "broadcast", "newsletter", "transactional"]


@dataclass(frozen=True)
class Delivery:
    """One message to one person: what sent it, and when each event happened.

    `events` may hold moments after now (an open that has not happened yet); `seen` keeps
    those already past.
    """

    id: str
    kind: Kind
    source_id: int
    action_id: int
    recipient: str
    subject: str
    created: int
    events: Mapping[str, int]
    person: Person | None = None
    identifiers: Mapping[str, str | None] | None = None
    failure_message: str | None = None
    content_id: int | None = None
    type: str = "email"
    # What it said: the agent's sends keep their rendered body; a seeded one is rendered from
    # its template when asked for (most are never read).
    template: Template | None = None
    data: Mapping[str, Any] | None = None
    body: str | None = None

    def seen(self, now: int) -> dict[str, int]:
        return {event: at for event, at in self.events.items() if at <= now}

    def customer_identifiers(self) -> dict[str, str | None]:
        if self.person is not None:
            return dict(self.person.identifiers)
        given = dict(self.identifiers or {})
        return {"email": given.get("email"), "id": given.get("id"), "cio_id": ""}

    def as_message(self, now: int) -> dict[str, Any]:
        """The delivery as `GET /v1/messages/{message_id}` describes it."""
        shown = self._common(now)
        identifiers = self.customer_identifiers()
        shown.update(
            customer_id=identifiers["id"],
            customer_identifiers=identifiers,
            metrics=self.seen(now),
            campaign_id=self.source_id if self.kind == "campaign" else None,
            message_template_id=self.content_id or self.action_id,
        )
        return shown

    def rendered_body(self) -> str:
        """What its body said: the agent's send's as sent, a seeded one's rendered now."""
        if self.body is not None:
            return self.body
        if self.template is None or self.person is None:
            return ""
        return render(self.template.body, _context(self.person, self.data))

    def as_archived(self) -> dict[str, Any]:
        """The delivery's archived copy, as `/archived_message` gives it."""
        shown: dict[str, Any] = {
            "id": self.id,
            "recipient": self.recipient,
            "subject": self.subject,
            "body": self.rendered_body(),
            "forgotten": False,
        }
        if self.template is not None:
            shown["from"] = self.template.sender
        return shown

    def as_person_message(self, now: int) -> dict[str, Any]:
        """The delivery as a person's messages list it: metrics hold only sent and delivered."""
        shown = self._common(now)
        seen = self.seen(now)
        shown["metrics"] = {k: seen[k] for k in ("sent", "delivered") if k in seen}
        shown["customer_id"] = self.customer_identifiers()["id"] or ""
        if self.kind == "campaign":
            shown["campaign_id"] = self.source_id  # an integer there, never null
        return shown

    def _common(self, now: int) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": self.id,
            "deduplicate_id": f"{self.id}:{max(self.seen(now).values(), default=self.created)}",
            "recipient": self.recipient,
            "subject": self.subject,
            "created": self.created,
            "failure_message": self.failure_message,
            "action_id": self.action_id,
            "newsletter_id": self.source_id if self.kind == "newsletter" else None,
            "broadcast_id": self.source_id if self.kind == "broadcast" else None,
            "type": self.type,
            "forgotten": False,
        }
        if self.content_id is not None:
            shown["content_id"] = self.content_id
        return shown


# -- ids ---------------------------------------------------------------------------------------


def delivery_id(kind: Kind, source_id: int, cio_id: str, number: int = 0) -> str:
    """An id that says where the delivery comes from, shaped like Customer.io's (base64)."""
    return base64.urlsafe_b64encode(f"{kind}:{source_id}:{cio_id}:{number}".encode()).decode()


def _parse_id(text: str) -> tuple[str, int, str, int] | None:
    try:
        kind, source, cio_id, number = base64.urlsafe_b64decode(text).decode().split(":")
        return kind, int(source), cio_id, int(number)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _day_zero(now: int) -> int:
    """Midnight UTC today: the seeded history is laid out in days back from it."""
    return now - now % DAY


def _context(person: Person, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {"customer": dict(person.attributes), "trigger": dict(data or {})}


def _to_one(
    kind: Kind,
    source_id: int,
    number: int,
    person: Person,
    template: Template,
    created: int,
    action_id: int,
    rates: tuple[float, float, float, float] = (0.97, 0.4, 0.2, 0.15),
    data: Mapping[str, Any] | None = None,
    reaches_unsubscribed: bool = False,
    drafted: bool = False,
) -> Delivery:
    """One seeded delivery of `template` to `person`, with its fate."""
    assert person.email is not None
    if person.unsubscribed and not reaches_unsubscribed:
        events, failure = {"created": created, "dropped": created + 1}, UNSUBSCRIBED
    elif drafted:
        events, failure = {"created": created, "drafted": created + 1}, None
    else:
        events, failure = fate(created, (kind, source_id, number, person.cio_id), rates)
    return Delivery(
        id=delivery_id(kind, source_id, person.cio_id, number),
        kind=kind,
        source_id=source_id,
        action_id=action_id,
        recipient=person.email,
        subject=render(template.subject, _context(person, data)),
        created=created,
        events=events,
        person=person,
        failure_message=failure,
        content_id=template.content_id or None,
        template=template,
        data=data,
    )


# -- the seeded sends: newsletters and past broadcast triggers ---------------------------------


def of_newsletter(ws: Workspace, newsletter_id: int) -> list[Delivery]:
    """Everyone a seeded newsletter went to (nobody, for a draft)."""
    return [d for p in ws.people for d in _newsletter_to(ws, newsletter_id, p)]


def sent_at(ws: Workspace, newsletter_id: int) -> int | None:
    letter = ws.newsletters[newsletter_id]
    if letter.days_ago is None:
        return None
    return _day_zero(ws.now()) - letter.days_ago * DAY + letter.hour * HOUR


def broadcast_sending_times(ws: Workspace, broadcast_id: int) -> list[int]:
    """When each of a broadcast's seeded triggers that sent messages was processed, oldest
    first (a trigger refused for its audience's errors sent none)."""
    sendings = ws.broadcasts[broadcast_id].sendings
    return [s.at(ws.now()) for s in sendings if not s.errors]


def of_broadcast(ws: Workspace, broadcast_id: int) -> list[Delivery]:
    """A broadcast's messages: its seeded triggers', and those the agent's triggers sent."""
    seeded = [d for p in ws.people for d in _broadcast_to(ws, broadcast_id, p)]
    sent = [from_outbox(ws, m) for m in ws.outbox if m.broadcast_id == broadcast_id]
    return seeded + sent


def _broadcast_to(ws: Workspace, broadcast_id: int, person: Person) -> list[Delivery]:
    """What a broadcast's seeded triggers sent one person."""
    broadcast = ws.broadcasts[broadcast_id]
    if not person.email or person.cio_id not in ws.members(broadcast.audience_segment_id):
        return []
    now = ws.now()
    sent = [sending for sending in broadcast.sendings if not sending.errors]
    return [
        _to_one("broadcast", broadcast.id, number, person, broadcast.template, sending.at(now),
                400 + broadcast.id, data=sending.data)
        for number, sending in enumerate(sent)
    ]  # fmt: skip


# -- one person's history ----------------------------------------------------------------------


def _campaign_history(ws: Workspace, person: Person) -> Iterator[Delivery]:
    running: list[Campaign] = [
        c for c in ws.campaigns.values() if c.state == "running" and c.channel == "email"
    ]
    day_zero = _day_zero(ws.now())
    for number in range(1 + int(unit("campaigns", person.cio_id) * 4)):
        campaign = running[int(unit("campaign", person.cio_id, number) * len(running))]
        days = 1 + int(unit("campaign day", person.cio_id, number) * HISTORY_DAYS)
        created = day_zero - days * DAY + int(unit("campaign hour", person.cio_id, number) * DAY)
        rates = campaign.rates[0], campaign.rates[1], campaign.rates[2], campaign.rates[3]
        template = Template(campaign.name, "")
        yield _to_one(
            "campaign", campaign.id, number, person, template, created, campaign.actions[0], rates
        )


# Data a seeded transactional message was sent with, per template.
_SEEDED_DATA: dict[str, dict[str, Any]] = {
    "password_reset": {"reset_url": "https://northwind.example/reset/seeded"},
    "order_confirmation": {"order_id": "A-1000", "total": "19.00"},
    "shipping_update": {"status": "on its way", "tracking_url": "https://northwind.example/t/1"},
    "magic_link": {"link": "https://northwind.example/signin/seeded"},
}


def _transactional_history(ws: Workspace, person: Person) -> Iterator[Delivery]:
    seeded = [m for m in ws.transactional.values() if m.name in _SEEDED_DATA]
    day_zero = _day_zero(ws.now())
    for number in range(int(unit("transactional", person.cio_id) * 3)):
        message = seeded[int(unit("template", person.cio_id, number) * len(seeded))]
        days = 1 + int(unit("transactional day", person.cio_id, number) * HISTORY_DAYS)
        created = day_zero - days * DAY + int(unit("t hour", person.cio_id, number) * DAY)
        yield _to_one(
            "transactional",
            message.id,
            number,
            person,
            message.template,
            created,
            500 + message.id,
            data=_SEEDED_DATA[message.name],
            reaches_unsubscribed=message.send_to_unsubscribed,
            drafted=message.queue_drafts,
        )


def of_person(ws: Workspace, person: Person) -> list[Delivery]:
    """Everything sent to one person, newest first: seeded campaigns, newsletters, broadcast
    triggers and transactional messages, and what the agent sent them."""
    found = _seeded_to(ws, person) if person.email else []  # the seeded messages are email
    sent = [from_outbox(ws, m) for m in ws.outbox if _is_for(ws, m, person)]
    # Newest first; within one second the agent's sends come first, the latest of them first.
    ranked = [((-d.created, 1, 0), d) for d in sorted(found, key=lambda d: d.id)]
    ranked += [((-d.created, 0, -number), d) for number, d in enumerate(sent)]
    return [d for _, d in sorted(ranked, key=lambda pair: pair[0])]


def everything(ws: Workspace) -> list[Delivery]:
    """Every delivery in the workspace, seeded or sent by the agent, in no order."""
    seeded = [d for p in ws.people if p.email for d in _seeded_to(ws, p)]
    return seeded + [from_outbox(ws, m) for m in ws.outbox]


def of_campaign(ws: Workspace, campaign_id: int) -> list[Delivery]:
    """A campaign's deliveries, from its recipients' histories."""
    return [
        d
        for p in ws.people
        if p.email
        for d in _campaign_history(ws, p)
        if d.source_id == campaign_id
    ]


def of_transactional(ws: Workspace, transactional_id: int) -> list[Delivery]:
    """A transactional message's deliveries: seeded, and the agent's sends of it."""
    seeded = [
        d
        for p in ws.people
        if p.email
        for d in _transactional_history(ws, p)
        if d.source_id == transactional_id
    ]
    sent = [from_outbox(ws, m) for m in ws.outbox if m.transactional_message_id == transactional_id]
    return seeded + [d for d in sent if d.kind == "transactional"]


def sent_by(ws: Workspace, kind: Kind, number: int) -> list[Delivery] | None:
    """A campaign's, broadcast's, newsletter's or transactional message's deliveries; None
    when the workspace has no such sender."""
    senders: dict[Kind, tuple[Mapping[int, Any], Callable[[Workspace, int], list[Delivery]]]] = {
        "campaign": (ws.campaigns, of_campaign),
        "broadcast": (ws.broadcasts, of_broadcast),
        "newsletter": (ws.newsletters, of_newsletter),
        "transactional": (ws.transactional, of_transactional),
    }
    known, of_sender = senders[kind]
    return of_sender(ws, number) if number in known else None


def _seeded_to(ws: Workspace, person: Person) -> list[Delivery]:
    found = [*_campaign_history(ws, person), *_transactional_history(ws, person)]
    for letter in ws.newsletters:
        found += _newsletter_to(ws, letter, person)
    for broadcast in ws.broadcasts:
        found += _broadcast_to(ws, broadcast, person)
    return found


def _newsletter_to(ws: Workspace, newsletter_id: int, person: Person) -> list[Delivery]:
    letter, sent = ws.newsletters[newsletter_id], sent_at(ws, newsletter_id)
    audience = (ws.members(segment) for segment in letter.segment_ids)
    if sent is None or not person.email or not any(person.cio_id in a for a in audience):
        return []
    return [
        _to_one("newsletter", letter.id, 0, person, letter.template, sent, 300 + letter.id,
                letter.rates)
    ]  # fmt: skip


def _is_for(ws: Workspace, message: OutboxMessage, person: Person) -> bool:
    ((id_type, value),) = message.identifiers.items()
    return ws.find(value, id_type) is person


# -- what the agent sent -----------------------------------------------------------------------


def from_outbox(ws: Workspace, message: OutboxMessage) -> Delivery:
    """A delivery the agent's send or trigger made, in its real state."""
    ((id_type, value),) = message.identifiers.items()
    person = ws.find(value, id_type)
    created = message.queued_at
    events: dict[str, int] = {"created": created}
    failure = None
    if message.status == "suppressed":
        events["dropped"] = created
        failure = UNSUBSCRIBED
    elif message.status == "draft":
        events["drafted"] = created
    else:
        # Sent at once, or when a scheduled send falls due; delivered a few seconds later.
        sent = message.send_at or created
        events.update(sent=sent, delivered=sent + 2)
    if message.kind == "broadcast":
        kind: Kind = "broadcast"
        source = message.broadcast_id or 0
    else:
        kind, source = "transactional", message.transactional_message_id or 0
    return Delivery(
        id=message.delivery_id,
        kind=kind,
        source_id=source,
        action_id=(400 if kind == "broadcast" else 500) + source,
        recipient=message.to,
        subject=message.subject,
        created=created,
        events=events,
        person=person,
        identifiers=message.identifiers,
        failure_message=failure,
        content_id=message.content_id,
        body=message.body,
    )


def find(ws: Workspace, message_id: str) -> Delivery | None:
    """The delivery with this id, if it exists yet."""
    now = ws.now()
    found: Delivery | None = None
    for message in ws.outbox:
        if message.delivery_id == message_id:
            found = from_outbox(ws, message)
    parsed = _parse_id(message_id)
    if found is None and parsed is not None:
        kind, _, cio_id, _ = parsed
        person = ws.find(cio_id, "cio_id")
        if person is not None and kind in ("campaign", "broadcast", "newsletter", "transactional"):
            found = next((d for d in of_person(ws, person) if d.id == message_id), None)
    return found if found is not None and found.created <= now else None
