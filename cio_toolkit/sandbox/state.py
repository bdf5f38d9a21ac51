"""The workspace's contents: seeded data, its indexes, segment membership, outbox and triggers."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from . import filters, seed
from .seed import Person


@dataclass(frozen=True)
class OutboxMessage:
    """One email the sandbox accepted, with its Liquid rendered as Customer.io would.

    Attributes:
        delivery_id: the id the send answered (a broadcast's messages have their own).
        kind: `transactional` or `broadcast`.
        to: the recipient(s) as given.
        sender: the `from` address.
        subject: the subject, rendered.
        body: the HTML body, rendered.
        status: `sent`; `suppressed` (an unsubscribed person); `draft` (queued for review);
            `scheduled` (a `send_at` in the future).
        queued_at: when it was accepted, Unix seconds.
        identifiers: the person it was for: one of id, email, cio_id.
        transactional_message_id: the template of a transactional send.
        broadcast_id: the broadcast of a triggered message.
        trigger_id: the trigger that produced it.
        send_at: when a scheduled message is due.
        content_id: the template variant sent (a transactional message's language).
        message_data: the Liquid data it was sent with.
    """

    delivery_id: str
    kind: Literal["transactional", "broadcast"]
    to: str
    sender: str
    subject: str
    body: str
    status: Literal["sent", "suppressed", "draft", "scheduled"]
    queued_at: int
    identifiers: Mapping[str, str]
    transactional_message_id: int | None = None
    broadcast_id: int | None = None
    trigger_id: int | None = None
    send_at: int | None = None
    content_id: int | None = None
    message_data: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Trigger:
    """One broadcast trigger, as its status endpoint tells it.

    Attributes:
        id: the trigger id the trigger call answered.
        broadcast_id: the broadcast it triggered.
        created_at: when it was made, Unix seconds.
        processed_at: when it is processed, Unix seconds: it is queued until then.
        errors: its per-line errors (`line 2: ...`), as the errors endpoint pages them.
    """

    id: int
    broadcast_id: int
    created_at: int
    processed_at: int
    errors: list[str] = field(default_factory=list)


class Workspace:
    """The data a Customer.io workspace holds, and what the agent's writes added to it."""

    def __init__(
        self,
        *,
        people: int = 1000,
        seed_value: int = 7,
        clock: Callable[[], float] = time.time,
        extra_running_campaigns: int = 0,
        trigger_seconds: float = 0.0,
    ) -> None:
        # What the seeded data is made from: workspaces alike share their seeded history.
        self.seed_key = (people, seed_value, extra_running_campaigns)
        self.people = seed.people(people, seed_value)
        self.segments = {s.id: s for s in seed.segments(self.people, seed_value)}
        self.campaigns = {c.id: c for c in seed.campaigns(seed_value, extra_running_campaigns)}
        self.transactional = {m.id: m for m in seed.transactional_messages()}
        self.broadcasts = {b.id: b for b in seed.broadcasts()}
        self.newsletters = {n.id: n for n in seed.newsletters()}
        # How long a broadcast trigger stays queued before it is processed.
        self.trigger_seconds = trigger_seconds
        self._by = {
            "id": {p.id: p for p in self.people if p.id},
            "email": {p.email: p for p in self.people if p.email},
            "cio_id": {p.cio_id: p for p in self.people},
        }
        self._members: dict[int, frozenset[str]] = {}
        self._clock = clock
        # Held while a request reads or changes the workspace (the server's threads, tests).
        self.lock = threading.RLock()
        self.outbox: list[OutboxMessage] = []
        # Archived-message reads per UTC day: Customer.io allows 100.
        self.archive_reads: Counter[int] = Counter()
        # Every trigger by id: the broadcasts' past ones first, then those made through the API.
        self.triggers: dict[int, Trigger] = {}
        self._seed_triggers()
        self._seeded_triggers = len(self.triggers)

    def _seed_triggers(self) -> None:
        """The broadcasts' past triggers, numbered in the order they were made."""
        now = self.now()
        made = sorted(
            (
                (sending.at(now), broadcast.id, sending)
                for broadcast in self.broadcasts.values()
                for sending in broadcast.sendings
            ),
            key=lambda made: made[:2],
        )
        for number, (at, broadcast_id, sending) in enumerate(made, start=1):
            self.triggers[number] = Trigger(number, broadcast_id, at, at, list(sending.errors))

    @property
    def made_triggers(self) -> list[Trigger]:
        """The triggers made through the API (the seeded past ones aside), in order."""
        return [t for number, t in self.triggers.items() if number > self._seeded_triggers]

    def now(self) -> int:
        return int(self._clock())

    def members(self, segment_id: int) -> frozenset[str]:
        """The cio_ids in a segment: a manual segment's list, or a dynamic one's rule evaluated."""
        with self.lock:
            if segment_id not in self._members:
                segment = self.segments.get(segment_id)
                if segment is None:
                    return frozenset()
                if segment.rule is None:
                    self._members[segment_id] = segment.members
                else:
                    self._members[segment_id] = frozenset(
                        p.cio_id for p in self.people if self.matches(segment.rule, p)
                    )
            return self._members[segment_id]

    def find(self, value: str, id_type: str = "id") -> Person | None:
        """A person by id, email or cio_id."""
        return self._by[id_type].get(value.lower() if id_type == "email" else value)

    def matches(self, rule: Any, person: Person) -> bool:
        """Customer.io's filter grammar, evaluated; raises ValueError naming what is malformed."""
        return filters.matches(rule, person, self.members)

    def next_delivery_id(self) -> str:
        return f"sandbox-{len(self.outbox) + 1:06d}"
