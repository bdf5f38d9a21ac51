"""Deliveries: the seeded history and what the agent sent, by person, by sender, or by id."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from . import seeded
from .delivery import Delivery, Kind, delivery_id, parse_id
from .fates import UNSUBSCRIBED
from .seed import Person
from .seeded import sent_at

if TYPE_CHECKING:
    from .state import OutboxMessage, Workspace

__all__ = ["Delivery", "Kind", "delivery_id", "sent_at"]


def of_person(ws: Workspace, person: Person) -> list[Delivery]:
    """Everything sent to one person, newest first: seeded campaigns, newsletters, broadcast
    triggers and transactional messages, and what the agent sent them."""
    found = seeded.of(ws).by_person.get(person.cio_id, ())
    sent = [from_outbox(ws, m) for m in ws.outbox if _is_for(ws, m, person)]
    # Newest first; within one second the agent's sends come first, the latest of them first.
    ranked = [((-d.created, 1, 0), d) for d in found]
    ranked += [((-d.created, 0, -number), d) for number, d in enumerate(sent)]
    return [d for _, d in sorted(ranked, key=lambda pair: pair[0])]


def everything(ws: Workspace) -> list[Delivery]:
    """Every delivery in the workspace, seeded or sent by the agent, in no order."""
    history = seeded.of(ws).by_person.values()
    return [d for found in history for d in found] + [from_outbox(ws, m) for m in ws.outbox]


def _seeded_of(ws: Workspace, kind: Kind, number: int) -> list[Delivery]:
    return list(seeded.of(ws).by_sender.get((kind, number), ()))


def of_campaign(ws: Workspace, campaign_id: int) -> list[Delivery]:
    """A campaign's deliveries, as its recipients' histories hold them."""
    return _seeded_of(ws, "campaign", campaign_id)


def of_newsletter(ws: Workspace, newsletter_id: int) -> list[Delivery]:
    """Everyone a seeded newsletter went to (nobody, for a draft)."""
    return _seeded_of(ws, "newsletter", newsletter_id)


def of_broadcast(ws: Workspace, broadcast_id: int) -> list[Delivery]:
    """A broadcast's messages: its seeded triggers', and those the agent's triggers sent."""
    sent = [from_outbox(ws, m) for m in ws.outbox if m.broadcast_id == broadcast_id]
    return _seeded_of(ws, "broadcast", broadcast_id) + sent


def of_transactional(ws: Workspace, transactional_id: int) -> list[Delivery]:
    """A transactional message's deliveries: seeded, and the agent's sends of it."""
    sent = [from_outbox(ws, m) for m in ws.outbox if m.transactional_message_id == transactional_id]
    seeded_ones = _seeded_of(ws, "transactional", transactional_id)
    return seeded_ones + [d for d in sent if d.kind == "transactional"]


def broadcast_sending_times(ws: Workspace, broadcast_id: int) -> list[int]:
    """When each of a broadcast's seeded triggers that sent messages was processed, oldest
    first (a trigger refused for its audience's errors sent none)."""
    sendings = ws.broadcasts[broadcast_id].sendings
    return [s.at(ws.now()) for s in sendings if not s.errors]


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
    parsed = parse_id(message_id)
    if found is None and parsed is not None:
        kind, _, cio_id, _ = parsed
        person = ws.find(cio_id, "cio_id")
        if person is not None and kind in ("campaign", "broadcast", "newsletter", "transactional"):
            found = next((d for d in of_person(ws, person) if d.id == message_id), None)
    return found if found is not None and found.created <= now else None
