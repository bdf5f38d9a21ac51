"""The sandbox's broadcast endpoints: the list, one broadcast and its actions, metrics, triggers
into the outbox, their status and errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from . import deliveries, metrics, seed
from .answers import Answer, Problem, errors_body, integer, json_object
from .limits import (
    AUDIENCE_MAX,
    AUDIENCE_MODES,
    BROADCAST_DATA_MAX_BYTES,
    CHANNELS,
    TRIGGER_ERRORS_LIMIT_DEFAULT,
)
from .routing import Route
from .seed import Person
from .state import OutboxMessage, Trigger, Workspace
from .steps import steps_window
from .templates import render


def list_broadcasts(ws: Workspace, request: httpx.Request) -> Answer:
    return 200, {"broadcasts": [broadcast_json(ws, b) for b in ws.broadcasts.values()]}


def broadcast_json(ws: Workspace, broadcast: seed.Broadcast) -> dict[str, Any]:
    created = seed.WORKSPACE_CREATED + broadcast.id * 86_400
    sendings = deliveries.broadcast_sending_times(ws, broadcast.id)
    shown: dict[str, Any] = {
        "id": broadcast.id,
        "deduplicate_id": f"{broadcast.id}:{created}",
        "name": broadcast.name,
        "type": "triggered_broadcast",
        "created": created,
        "updated": created,
        "active": True,
        "state": "running",
        "actions": [{"id": 400 + broadcast.id, "type": "email"}],
        "tags": ["seasonal"] if "sale" in broadcast.name.lower() else [],
    }
    if sendings:
        shown["first_started"] = sendings[0]
    return shown


def _broadcast(ws: Workspace, broadcast_id: str) -> seed.Broadcast:
    broadcast = ws.broadcasts.get(integer(broadcast_id, Problem(400)))
    if broadcast is None:
        raise Problem(404)
    return broadcast


def get_broadcast(ws: Workspace, request: httpx.Request, broadcast_id: str) -> Answer:
    return 200, {"broadcast": broadcast_json(ws, _broadcast(ws, broadcast_id))}


def broadcast_actions(ws: Workspace, request: httpx.Request, broadcast_id: str) -> Answer:
    broadcast = _broadcast(ws, broadcast_id)
    template = broadcast.template
    action = {
        "id": 400 + broadcast.id,
        "broadcast_id": broadcast.id,
        "deduplicate_id": f"{400 + broadcast.id}:{seed.WORKSPACE_CREATED}",
        "name": f"{broadcast.name} email",
        "created": seed.WORKSPACE_CREATED + broadcast.id * 86_400,
        "updated": seed.WORKSPACE_CREATED + broadcast.id * 86_400,
        "type": "email",
        "sending_state": "automatic",
        "language": "",
        "from": template.sender,
        "subject": template.subject,
        "body": template.body,
        "headers": "[]",
    }
    return 200, {"actions": [action]}


def broadcast_metrics(ws: Workspace, request: httpx.Request, broadcast_id: str) -> Answer:
    number = integer(broadcast_id, Problem(400))
    if number not in ws.broadcasts:
        raise Problem(404)
    bounds = steps_window(ws.now(), request.url.params, strict=True)
    channel = request.url.params.get("type")
    if channel not in (None, *CHANNELS):
        raise Problem(400)
    sent = [] if channel not in (None, "email") else deliveries.of_broadcast(ws, number)
    series = metrics.delivery_series([d.seen(ws.now()) for d in sent], bounds)
    return 200, {"metric": {"series": series}}


PER_USER_DATA_ERROR = (
    "Errors were found while processing per user data (ids, emails or json data). More detail "
    "available from the errors endpoint for trigger {trigger_id}"
)


def trigger_broadcast(ws: Workspace, request: httpx.Request, broadcast_id: str) -> Answer:
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
    if len(json.dumps(data, separators=(",", ":")).encode()) > BROADCAST_DATA_MAX_BYTES:
        raise invalid(f"data may be at most {BROADCAST_DATA_MAX_BYTES} bytes", "/data")
    mode = modes[0] if modes else None
    audience, errors = _audience(ws, broadcast, body, mode, invalid)
    now = ws.now()
    # Queued now, processed `trigger_seconds` later: its messages go out then.
    processed = now + round(ws.trigger_seconds)
    trigger = Trigger(len(ws.triggers) + 1, number, now, processed, errors)
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
                delivery_id=ws.next_delivery_id(),
                kind="broadcast",
                to=person.email,
                sender=broadcast.template.sender,
                subject=subject,
                body=html,
                status="suppressed" if person.unsubscribed else "sent",
                queued_at=processed,
                identifiers={"id": person.id} if person.id else {"cio_id": person.cio_id},
                broadcast_id=number,
                trigger_id=trigger.id,
                message_data={**data, **extra},
            )
        )
    return 200, {"id": trigger.id}


def _audience(
    ws: Workspace,
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
    if not isinstance(entries, list) or not 1 <= len(entries) <= AUDIENCE_MAX:
        raise invalid(f"{mode} must list 1 to {AUDIENCE_MAX} entries", f"/{mode}")
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


def trigger_status(
    ws: Workspace, request: httpx.Request, broadcast_id: str, trigger_id: str
) -> Answer:
    return 200, _trigger_json(ws, _trigger(ws, broadcast_id, trigger_id))


def trigger_errors(
    ws: Workspace, request: httpx.Request, broadcast_id: str, trigger_id: str
) -> Answer:
    trigger = _trigger(ws, broadcast_id, trigger_id)
    start = integer(request.url.params.get("start", 0), Problem(400))
    limit = integer(request.url.params.get("limit", TRIGGER_ERRORS_LIMIT_DEFAULT), Problem(400))
    answer: dict[str, Any] = {"errors": trigger.errors[start : start + limit]}
    if start + limit < len(trigger.errors):
        answer["next"] = start + limit
    return 200, answer


def list_triggers(ws: Workspace, request: httpx.Request, broadcast_id: str) -> Answer:
    number = integer(broadcast_id, Problem(400))
    if number not in ws.broadcasts:
        raise Problem(404)
    made = [t for t in ws.triggers.values() if t.broadcast_id == number]
    return 200, {"triggers": [_trigger_json(ws, t) for t in made]}


def _trigger_json(ws: Workspace, trigger: Trigger) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": trigger.id,
        "broadcast_id": trigger.broadcast_id,
        "created_at": trigger.created_at,
    }
    if trigger.processed_at <= ws.now():
        shown["processed_at"] = trigger.processed_at  # absent while queued (inferred)
    return shown


def _trigger(ws: Workspace, broadcast_id: str, trigger_id: str) -> Trigger:
    trigger = ws.triggers.get(integer(trigger_id, Problem(400)))
    if trigger is None or trigger.broadcast_id != integer(broadcast_id, Problem(400)):
        raise Problem(404)
    return trigger


TRIGGER = "/v1/campaigns/{broadcast_id}/triggers/{trigger_id}"
ROUTES = (
    Route("GET", "/v1/broadcasts", "listBroadcasts", list_broadcasts),
    Route("GET", "/v1/broadcasts/{broadcast_id}", "getBroadcast", get_broadcast),
    Route("GET", "/v1/broadcasts/{broadcast_id}/actions", "broadcastActions", broadcast_actions),
    Route("GET", "/v1/broadcasts/{broadcast_id}/metrics", "broadcastMetrics", broadcast_metrics),
    Route(
        "POST",
        "/v1/campaigns/{broadcast_id}/triggers",
        "triggerBroadcast",
        trigger_broadcast,
        limit="trigger",
    ),
    Route("GET", TRIGGER, "broadcastStatus", trigger_status),
    Route("GET", f"{TRIGGER}/errors", "broadcastErrors", trigger_errors),
    Route("GET", "/v1/broadcasts/{broadcast_id}/triggers", "listBroadcastTriggers", list_triggers),
)
