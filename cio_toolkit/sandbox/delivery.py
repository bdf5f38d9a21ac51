"""A delivery: one message to one person, with its events, as each endpoint shows it."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .seed import Person, Template
from .templates import render

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
        return render(self.template.body, context(self.person, self.data))

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


def parse_id(text: str) -> tuple[str, int, str, int] | None:
    try:
        kind, source, cio_id, number = base64.urlsafe_b64decode(text).decode().split(":")
        return kind, int(source), cio_id, int(number)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def context(person: Person, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The Liquid a seeded message is rendered with: the profile, and the trigger's data."""
    return {"customer": dict(person.attributes), "trigger": dict(data or {})}
