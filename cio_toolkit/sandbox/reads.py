"""The sandbox's read endpoints: search, campaigns and metrics, people, templates, segments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from ..operations import CHANNELS, DEFAULT_WINDOW_DAYS, MAX_SPAN, RESOLUTION_ALIASES
from . import metrics, seed
from .answers import Answer, Problem, cursor, errors_body, integer, json_object, offset_of

if TYPE_CHECKING:
    from .workspace import Sandbox
    from .writes import Trigger

# Customer.io's default time zone for metrics periods.
DEFAULT_TZ = "America/New_York"


def search(ws: Sandbox, request: httpx.Request) -> Answer:
    limit = integer(request.url.params.get("limit", 50), Problem(400))
    limit = min(max(limit, 1), 1000)
    offset = offset_of(request.url.params.get("start"))
    body = json_object(request, errors_body)
    if "filter" not in body:
        raise Problem(400, errors_body(400, "filter is required", "/filter"))
    try:
        found = [p for p in ws.people if ws.matches(body["filter"], p)]
    except ValueError as error:
        raise Problem(400, errors_body(400, f"invalid filter: {error}", "/filter")) from None
    page = found[offset : offset + limit]
    more = offset + limit < len(found)
    return 200, {
        "identifiers": [p.identifiers for p in page],
        "ids": [p.id or "" for p in page],
        "next": cursor(offset + limit) if more else "",
    }


def list_campaigns(ws: Sandbox, request: httpx.Request) -> Answer:
    return 200, {"campaigns": [campaign_json(c) for c in ws.campaigns.values()]}


def campaign_metrics(ws: Sandbox, request: httpx.Request, campaign_id: str) -> Answer:
    campaign = ws.campaigns.get(integer(campaign_id, Problem(400)))
    if campaign is None:
        raise Problem(404)
    query = request.url.params
    if query.get("version") != "2":
        raise Problem(400)  # the sandbox emulates version 2 only; version 1 is deprecated
    res = RESOLUTION_ALIASES.get(query.get("res", "days"), query.get("res", "days"))
    tz = query.get("tz") or DEFAULT_TZ
    channel = query.get("type") or None
    end = integer(query.get("end", ws.now()), Problem(400))
    start = integer(query.get("start", end - DEFAULT_WINDOW_DAYS * 86_400), Problem(400))
    if res not in metrics.PERIODS or channel not in (None, *CHANNELS):
        raise Problem(400)
    if not start < end <= start + MAX_SPAN:
        raise Problem(400)
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise Problem(400) from None
    found = metrics.series(campaign, start, end, res, tz, ws.now(), channel)
    return 200, {"metric": {"series": found}}


def person_attributes(ws: Sandbox, request: httpx.Request, customer_id: str) -> Answer:
    id_type = request.url.params.get("id_type", "id")
    # This workspace identifies people by id and email; phone lookups fail as they would.
    if id_type not in ("id", "email", "cio_id"):
        raise Problem(400)
    person = ws.find(customer_id, id_type)
    if person is None:
        raise Problem(404)
    created = int(person.attributes["created_at"])
    customer: dict[str, Any] = {
        "identifiers": person.identifiers,
        "attributes": dict(person.attributes),
        "timestamps": {
            **{key: created for key in person.attributes},
            **({"_last_emailed": created + 86_400} if person.email else {}),
        },
        "unsubscribed": person.unsubscribed,
        "devices": person.devices,
    }
    if person.id:
        customer = {"id": person.id, **customer}
    return 200, {"customer": customer}


def list_transactional(ws: Sandbox, request: httpx.Request) -> Answer:
    messages = [
        {
            "id": m.id,
            "name": m.name,
            "description": m.description,
            "send_to_unsubscribed": m.send_to_unsubscribed,
            "link_tracking": True,
            "open_tracking": True,
            "hide_message_body": False,
            "queue_drafts": m.queue_drafts,
            "created_at": seed.WORKSPACE_CREATED + m.id * 86_400,
            "updated_at": seed.WORKSPACE_CREATED + m.id * 90_000,
        }
        for m in ws.transactional.values()
    ]
    return 200, {"messages": messages}


def list_segments(ws: Sandbox, request: httpx.Request) -> Answer:
    segments = []
    for s in ws.segments.values():
        updated = seed.WORKSPACE_CREATED + s.id * 7 * 86_400
        segments.append(
            {
                "id": s.id,
                "deduplicate_id": f"{s.id}:{updated}",
                "name": s.name,
                "description": s.description,
                "state": s.state,
                "progress": s.progress,
                "type": s.type,
                "tags": list(s.tags) if s.tags else None,
                "created_at": seed.WORKSPACE_CREATED + s.id * 86_400,
                "updated_at": updated,
            }
        )
    return 200, {"segments": segments}


def segment_count(ws: Sandbox, request: httpx.Request, segment_id: str) -> Answer:
    number = integer(segment_id, Problem(400))
    if number not in ws.segments:
        raise Problem(404)
    return 200, {"segment_id": number, "count": len(ws.members(number))}


def segment_membership(ws: Sandbox, request: httpx.Request, segment_id: str) -> Answer:
    number = integer(segment_id, Problem(400))
    if number not in ws.segments:
        raise Problem(404)
    limit = min(max(integer(request.url.params.get("limit", 1000), Problem(400)), 1), 30_000)
    offset = offset_of(request.url.params.get("start"))
    members = ws.members(number)
    found = [p for p in ws.people if p.cio_id in members]
    page = found[offset : offset + limit]
    answer: dict[str, Any] = {
        "segment_id": number,
        "ids": [p.id or "" for p in page],
        "identifiers": [p.identifiers for p in page],
    }
    if offset + limit < len(found):
        answer["next"] = cursor(offset + limit)
    return 200, answer


def trigger_status(
    ws: Sandbox, request: httpx.Request, broadcast_id: str, trigger_id: str
) -> Answer:
    trigger = _trigger(ws, broadcast_id, trigger_id)
    return 200, {
        "id": trigger.id,
        "broadcast_id": trigger.broadcast_id,
        "created_at": trigger.created_at,
        "processed_at": trigger.processed_at,
    }


def trigger_errors(
    ws: Sandbox, request: httpx.Request, broadcast_id: str, trigger_id: str
) -> Answer:
    trigger = _trigger(ws, broadcast_id, trigger_id)
    start = integer(request.url.params.get("start", 0), Problem(400))
    limit = integer(request.url.params.get("limit", 100), Problem(400))
    answer: dict[str, Any] = {"errors": trigger.errors[start : start + limit]}
    if start + limit < len(trigger.errors):
        answer["next"] = start + limit
    return 200, answer


def _trigger(ws: Sandbox, broadcast_id: str, trigger_id: str) -> Trigger:
    trigger = ws.triggers.get(integer(trigger_id, Problem(400)))
    if trigger is None or trigger.broadcast_id != integer(broadcast_id, Problem(400)):
        raise Problem(404)
    return trigger


def campaign_json(campaign: seed.Campaign) -> dict[str, Any]:
    updated = campaign.stopped or campaign.first_started or campaign.created
    shown: dict[str, Any] = {
        "id": campaign.id,
        "deduplicate_id": f"{campaign.id}:{updated}",
        "name": campaign.name,
        "description": campaign.description,
        "created": campaign.created,
        "updated": updated,
        "active": campaign.state == "running",
        "state": campaign.state,
        "actions": [{"type": campaign.channel, "id": action} for action in campaign.actions],
        "tags": list(campaign.tags),
        **campaign.trigger,
    }
    if campaign.first_started is not None:
        shown["first_started"] = campaign.first_started
    if "webhook_id" not in campaign.trigger:
        shown["filter_segment_ids"] = list(campaign.filter_segment_ids)
    return shown
