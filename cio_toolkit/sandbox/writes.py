"""The sandbox's write endpoints: transactional sends and broadcast triggers, into the outbox."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import getaddresses
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

import httpx

from ..operations import (
    AUDIENCE_MODES,
    MAX_AUDIENCE,
    MAX_DATA_BYTES,
    MAX_RECIPIENTS,
    MAX_SEND_AHEAD,
)
from . import seed
from .answers import Answer, Problem, errors_body, integer, json_object, meta_body
from .seed import Person

if TYPE_CHECKING:
    from .workspace import Sandbox

MAX_ATTACHMENTS_BYTES = 2 * 1024 * 1024
PER_USER_DATA_ERROR = (
    "Errors were found while processing per user data (ids, emails or json data). More detail "
    "available from the errors endpoint for trigger {trigger_id}"
)


@dataclass(frozen=True)
class OutboxMessage:
    """One email the sandbox accepted, with its Liquid rendered as Customer.io would."""

    delivery_id: str
    kind: Literal["transactional", "broadcast"]
    to: str
    sender: str
    subject: str
    body: str
    # sent; suppressed (an unsubscribed person); draft (queued for review); scheduled (send_at)
    status: Literal["sent", "suppressed", "draft", "scheduled"]
    queued_at: int
    identifiers: Mapping[str, str]
    transactional_message_id: int | None = None
    broadcast_id: int | None = None
    trigger_id: int | None = None
    send_at: int | None = None


@dataclass
class Trigger:
    id: int
    broadcast_id: int
    created_at: int
    processed_at: int
    errors: list[str] = field(default_factory=list)


@lru_cache(maxsize=256)
def _compiled(source: str) -> Any:
    # python-liquid is imported on first render: only the sandbox needs it.
    from liquid import parse

    return parse(source)


def render(source: str, context: Mapping[str, Any]) -> str:
    """Liquid as Customer.io fills it: `customer.*` from the profile, `trigger.*` from the data."""
    from liquid.exceptions import LiquidError

    try:
        return str(_compiled(source).render(**context))
    except LiquidError as error:
        raise ValueError(f"Liquid error: {error.message}") from None


def send_email(ws: Sandbox, request: httpx.Request) -> Answer:
    body = json_object(request, lambda status, text: meta_body(text))

    def refuse(message: str, status: int = 400) -> Problem:
        return Problem(status, meta_body(message))

    to = body.get("to")
    if not isinstance(to, str) or not to.strip():
        raise refuse("to is required")
    message = _transactional_message(ws, body.get("transactional_message_id"))
    if message is None and not all(body.get(k) for k in ("subject", "body", "from")):
        raise refuse("body, subject and from are required without a transactional_message_id")
    recipients = sum(len(getaddresses([body.get(k) or ""])) for k in ("to", "cc", "bcc"))
    if recipients > MAX_RECIPIENTS:
        raise refuse(f"a message may have at most {MAX_RECIPIENTS} recipients")
    identifiers = body.get("identifiers") or {"email": getaddresses([to])[0][1]}
    if (
        not isinstance(identifiers, dict)
        or len(identifiers) != 1
        or not (set(identifiers) <= {"id", "email", "cio_id"})
    ):
        raise refuse("identifiers must hold exactly one of id, email or cio_id")
    ((id_type, value),) = identifiers.items()
    person = ws.find(str(value), id_type)
    _check_attachments(body.get("attachments"), refuse)
    now = ws.now()
    send_at = body.get("send_at")
    if send_at is not None and not (
        isinstance(send_at, int) and now <= send_at <= now + MAX_SEND_AHEAD
    ):
        raise refuse("send_at must be a Unix time within the next 90 days")

    default = message.send_to_unsubscribed if message else True
    send_to_unsubscribed = body.get("send_to_unsubscribed", default)
    status: Literal["sent", "suppressed", "draft", "scheduled"] = "sent"
    if person is not None and person.unsubscribed and not send_to_unsubscribed:
        status = "suppressed"
    elif body.get("queue_draft") or (message and message.queue_drafts):
        status = "draft"
    elif send_at is not None:
        status = "scheduled"
    template = message.template if message else None
    context = {
        "customer": dict(person.attributes) if person else {},
        "trigger": body.get("message_data") or {},
    }
    try:
        subject = render(body.get("subject") or (template.subject if template else ""), context)
        html = render(body.get("body") or (template.body if template else ""), context)
    except ValueError as error:
        raise refuse(str(error)) from None
    delivery = OutboxMessage(
        delivery_id=_delivery_id(ws),
        kind="transactional",
        to=to,
        sender=body.get("from") or (template.sender if template else ""),
        subject=subject,
        body=html,
        status=status,
        queued_at=now,
        identifiers={id_type: str(value)},
        transactional_message_id=message.id if message else None,
        send_at=send_at,
    )
    ws.outbox.append(delivery)
    answer: dict[str, Any] = {"delivery_id": delivery.delivery_id, "queued_at": now}
    if send_at is not None:
        answer["send_at"] = send_at
    return 200, answer


def _transactional_message(ws: Sandbox, reference: Any) -> seed.TransactionalMessage | None:
    if reference is None:
        return None
    for message in ws.transactional.values():
        if reference in (message.id, str(message.id), message.name):
            return message
    # sendEmail documents no 404: an unknown template is a 400 like any other bad field.
    raise Problem(400, meta_body(f"transactional message {reference!r} not found"))


def trigger_broadcast(ws: Sandbox, request: httpx.Request, broadcast_id: str) -> Answer:
    number = integer(broadcast_id, Problem(400))
    broadcast = ws.broadcasts.get(number)
    if broadcast is None:
        raise Problem(404, errors_body(404, f"broadcast with id {number} does not exist"))
    body = json_object(request, errors_body)

    def invalid(detail: str, pointer: str) -> Problem:
        return Problem(422, errors_body(422, detail, pointer))

    modes = [m for m in AUDIENCE_MODES if body.get(m) is not None]
    if len(modes) > 1:
        raise invalid(f"only one of {', '.join(AUDIENCE_MODES)} may be given", f"/{modes[1]}")
    data = body.get("data") or {}
    if not isinstance(data, dict):
        raise invalid("data must be an object", "/data")
    if len(json.dumps(data, separators=(",", ":")).encode()) > MAX_DATA_BYTES:
        raise invalid(f"data may be at most {MAX_DATA_BYTES} bytes", "/data")
    mode = modes[0] if modes else None
    audience, errors = _audience(ws, broadcast, body, mode, invalid)
    now = ws.now()
    trigger = Trigger(len(ws.triggers) + 1, number, now, now, errors)
    ws.triggers[trigger.id] = trigger
    if errors:
        detail = PER_USER_DATA_ERROR.format(trigger_id=trigger.id)
        raise invalid(detail, f"/data/attributes/{mode}")
    for person, extra in audience:
        if not person.email:
            continue  # no email address, so the email action skips them
        context = {"customer": dict(person.attributes), "trigger": {**data, **extra}}
        try:
            subject = render(broadcast.template.subject, context)
            html = render(broadcast.template.body, context)
        except ValueError as error:
            raise invalid(str(error), "/data") from None
        ws.outbox.append(
            OutboxMessage(
                delivery_id=_delivery_id(ws),
                kind="broadcast",
                to=person.email,
                sender=broadcast.template.sender,
                subject=subject,
                body=html,
                status="suppressed" if person.unsubscribed else "sent",
                queued_at=now,
                identifiers={"id": person.id} if person.id else {"cio_id": person.cio_id},
                broadcast_id=number,
                trigger_id=trigger.id,
            )
        )
    return 200, {"id": trigger.id}


def _audience(
    ws: Sandbox,
    broadcast: seed.Broadcast,
    body: dict[str, Any],
    mode: str | None,
    invalid: Callable[[str, str], Problem],
) -> tuple[list[tuple[Person, dict[str, Any]]], list[str]]:
    """Who a trigger reaches, with each person's own data, and the per-line errors."""
    if mode is None:
        members = ws.members(broadcast.audience_segment_id)
        return [(p, {}) for p in ws.people if p.cio_id in members], []
    if mode == "data_file_url":
        raise invalid("the sandbox cannot fetch data files; use per_user_data", "/data_file_url")
    if mode == "recipients":
        try:
            return [(p, {}) for p in ws.people if ws.matches(body["recipients"], p)], []
        except ValueError as error:
            raise invalid(f"invalid recipients filter: {error}", "/recipients") from None
    entries = body[mode]
    if not isinstance(entries, list) or not 1 <= len(entries) <= MAX_AUDIENCE:
        raise invalid(f"{mode} must list 1 to {MAX_AUDIENCE} entries", f"/{mode}")
    audience: list[tuple[Person, dict[str, Any]]] = []
    errors: list[str] = []
    for line, entry in enumerate(entries, start=1):
        if mode == "per_user_data":
            item = entry if isinstance(entry, dict) else {}
            id_type = "id" if "id" in item else "email"
            value, extra = item.get(id_type), item.get("data") or {}
        else:
            id_type, value, extra = ("email" if mode == "emails" else "id"), entry, {}
        person = ws.find(str(value), id_type) if isinstance(value, (str, int)) else None
        if person is None:
            if not body.get(f"{id_type}_ignore_missing", False):
                errors.append(f"line {line}: no person with {id_type} {value!r}")
        elif not isinstance(extra, dict):
            errors.append(f"line {line}: data must be an object")
        else:
            audience.append((person, extra))
    return audience, errors


def _delivery_id(ws: Sandbox) -> str:
    return f"sandbox-{len(ws.outbox) + 1:06d}"


def _check_attachments(attachments: Any, refuse: Callable[..., Problem]) -> None:
    if not attachments:
        return
    if not isinstance(attachments, dict):
        raise refuse("attachments must map file names to base64 content")
    total = 0
    for name, content in attachments.items():
        try:
            total += len(base64.b64decode(str(content), validate=True))
        except binascii.Error:
            raise refuse(f'Attachment must be base64 encoded: "{name}"') from None
    if total > MAX_ATTACHMENTS_BYTES:
        raise refuse("Total attachment size exceeds the limit", 413)
