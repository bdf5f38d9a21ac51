"""The sandbox's transactional endpoints: the templates, one template and its variants, and sends
into the outbox."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from email.utils import getaddresses
from typing import Any, Literal

import httpx

from . import deliveries, metrics, seed
from .answers import Answer, Problem, integer, json_object, meta_body
from .limits import (
    SEND_ATTACHMENTS_MAX_BYTES,
    SEND_MAX_AHEAD,
    SEND_MAX_BYTES,
    SEND_MAX_RECIPIENTS,
)
from .routing import Route
from .state import OutboxMessage, Workspace
from .steps import steps_window
from .templates import render


def _message_json(message: seed.TransactionalMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "name": message.name,
        "description": message.description,
        "send_to_unsubscribed": message.send_to_unsubscribed,
        "link_tracking": True,
        "open_tracking": True,
        "hide_message_body": False,
        "queue_drafts": message.queue_drafts,
        "created_at": seed.WORKSPACE_CREATED + message.id * 86_400,
        "updated_at": seed.WORKSPACE_CREATED + message.id * 90_000,
    }


def list_transactional(ws: Workspace, request: httpx.Request) -> Answer:
    return 200, {"messages": [_message_json(m) for m in ws.transactional.values()]}


def _template_by_id(ws: Workspace, transactional_id: str) -> seed.TransactionalMessage:
    message = ws.transactional.get(integer(transactional_id, Problem(400)))
    if message is None:
        raise Problem(404)
    return message


def get_transactional(ws: Workspace, request: httpx.Request, transactional_id: str) -> Answer:
    return 200, {"message": _message_json(_template_by_id(ws, transactional_id))}


def list_variants(ws: Workspace, request: httpx.Request, transactional_id: str) -> Answer:
    message = _template_by_id(ws, transactional_id)
    updated = seed.WORKSPACE_CREATED + message.id * 90_000
    contents = [
        {
            "id": variant.content_id,
            "name": message.name,
            "created": seed.WORKSPACE_CREATED + message.id * 86_400,
            "updated": updated,
            "body": variant.body,
            "language": variant.language,
            "type": "email",
            "from": variant.sender,
            "from_id": 1,
            "reply_to": "support@northwind.example",
            "reply_to_id": None,
            "preprocessor": "premailer",
            "recipient": "{{customer.email}}",
            "subject": variant.subject,
            "cc": "",
            "bcc": "",
            "fake_bcc": False,
            "preheader_text": variant.preheader,
            "body_amp": "",
            "headers": "[]",
        }
        for variant in message.variants
    ]
    return 200, {"contents": contents}


def send_email(ws: Workspace, request: httpx.Request) -> Answer:
    body = json_object(request, lambda status, text: meta_body(text))

    def refuse(message: str, status: int = 400) -> Problem:
        return Problem(status, meta_body(message))

    besides_attachments = {k: v for k, v in body.items() if k != "attachments"}
    if len(json.dumps(besides_attachments, separators=(",", ":")).encode()) > SEND_MAX_BYTES:
        raise refuse("Request body too large", 413)
    to = body.get("to")
    if not isinstance(to, str) or not to.strip():
        raise refuse("to is required")
    message = _transactional_message(ws, body.get("transactional_message_id"))
    if message is None and not all(body.get(k) for k in ("subject", "body", "from")):
        raise refuse("body, subject and from are required without a transactional_message_id")
    recipients = sum(len(getaddresses([body.get(k) or ""])) for k in ("to", "cc", "bcc"))
    if recipients > SEND_MAX_RECIPIENTS:
        raise refuse(f"a message may have at most {SEND_MAX_RECIPIENTS} recipients")
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
        isinstance(send_at, int) and now <= send_at <= now + SEND_MAX_AHEAD
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
    template = message.variant(body.get("language")) if message else None
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
        delivery_id=ws.next_delivery_id(),
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
        content_id=template.content_id if template else None,
        message_data=context["trigger"],
    )
    ws.outbox.append(delivery)
    answer: dict[str, Any] = {"delivery_id": delivery.delivery_id, "queued_at": now}
    if send_at is not None:
        answer["send_at"] = send_at
    return 200, answer


def _transactional_message(ws: Workspace, reference: Any) -> seed.TransactionalMessage | None:
    if reference is None:
        return None
    for message in ws.transactional.values():
        if reference in (message.id, str(message.id), message.name):
            return message
    # sendEmail documents no 404: an unknown template is a 400 like any other bad field.
    raise Problem(400, meta_body(f"transactional message {reference!r} not found"))


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
    if total > SEND_ATTACHMENTS_MAX_BYTES:
        raise refuse("Total attachment size exceeds the limit", 413)


def transactional_metrics(ws: Workspace, request: httpx.Request, transactional_id: str) -> Answer:
    template = _template_by_id(ws, transactional_id)
    # transactionalMetrics documents no 400: what it cannot read counts as not given.
    bounds = steps_window(ws.now(), request.url.params, strict=False)
    events = [d.seen(ws.now()) for d in deliveries.of_transactional(ws, template.id)]
    return 200, {"metric": {"series": metrics.delivery_series(events, bounds)}}


TEMPLATE = "/v1/transactional/{transactional_id}"
ROUTES = (
    Route("GET", "/v1/transactional", "listTransactional", list_transactional),
    Route("GET", TEMPLATE, "getTransactional", get_transactional),
    Route("GET", f"{TEMPLATE}/contents", "listTransactionalVariants", list_variants),
    Route("GET", f"{TEMPLATE}/metrics", "transactionalMetrics", transactional_metrics),
    Route("POST", "/v1/send/email", "sendEmail", send_email, limit="send"),
)
