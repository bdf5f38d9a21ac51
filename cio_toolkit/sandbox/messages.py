"""The sandbox's message endpoints: one delivery as it stands now, and lists of deliveries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from . import deliveries
from .answers import Answer, Problem, cursor, errors_body, integer, offset_of
from .limits import (
    DELIVERIES_OBJECT_WINDOW,
    MESSAGES_LIMIT_DEFAULT,
    MESSAGES_LIMIT_MAX,
    MESSAGES_WINDOW,
)
from .routing import Route
from .state import Workspace

# The delivery metric `attempted` is the event a delivery's metrics call `created`.
_EVENT_OF_METRIC = {"attempted": "created"}


def get_message(ws: Workspace, request: httpx.Request, message_id: str) -> Answer:
    found = deliveries.find(ws, message_id)
    if found is None:
        raise Problem(404)
    return 200, {"message": found.as_message(ws.now())}


# getArchivedMessage: "limited to 100 requests per day" (a UTC day, inferred).
ARCHIVED_PER_DAY = 100


def archived_message(ws: Workspace, request: httpx.Request, message_id: str) -> Answer:
    day = ws.now() // 86_400
    ws.archive_reads[day] += 1
    if ws.archive_reads[day] > ARCHIVED_PER_DAY:
        raise Problem(429, errors_body(429, "archived messages are limited to 100 a day"))
    found = deliveries.find(ws, message_id)
    if found is None:
        raise Problem(404)
    return 200, {"archived_message": found.as_archived()}


def _listed(
    ws: Workspace,
    request: httpx.Request,
    found: list[deliveries.Delivery],
    longest: int,
    first: Callable[[], int | None] = lambda: None,
) -> Answer:
    """A page of deliveries as `/v1/messages` and each object's list answer it: created in
    the window asked for (cut to `longest` seconds back from its end), newest first,
    filtered by metric and channel."""
    query = request.url.params
    now = ws.now()
    bad = Problem(400, errors_body(400, "start_ts, end_ts and limit must be integers"))
    limit = min(max(integer(query.get("limit", MESSAGES_LIMIT_DEFAULT), bad), 1),
                MESSAGES_LIMIT_MAX)  # fmt: skip
    if "start_ts" not in query and "end_ts" not in query and (began := first()) is not None:
        start, end = began, began + 30 * 86_400  # a broadcast's: the month after it began
    else:
        end = integer(query.get("end_ts", now), bad)
        start = max(integer(query.get("start_ts", end - longest), bad), end - longest)
    metric, channel = query.get("metric"), query.get("type")
    event = _EVENT_OF_METRIC.get(metric or "", metric)
    kept = [
        d
        for d in found
        if start <= d.created <= min(end, now)
        and (event is None or event in d.seen(now))
        and (channel is None or d.type == channel)
    ]
    kept.sort(key=lambda d: (-d.created, d.id))
    offset = offset_of(query.get("start"))
    answer: dict[str, Any] = {
        "messages": [d.as_message(now) for d in kept[offset : offset + limit]]
    }
    if offset + limit < len(kept):
        answer["next"] = cursor(offset + limit)  # undeclared in the schemas; see their _notes
    return 200, answer


def list_messages(ws: Workspace, request: httpx.Request) -> Answer:
    return _listed(ws, request, deliveries.everything(ws), MESSAGES_WINDOW)


def campaign_messages(ws: Workspace, request: httpx.Request, campaign_id: str) -> Answer:
    number = integer(campaign_id, Problem(404))
    if number not in ws.campaigns:
        raise Problem(404)
    return _listed(ws, request, deliveries.of_campaign(ws, number), DELIVERIES_OBJECT_WINDOW)


def broadcast_messages(ws: Workspace, request: httpx.Request, broadcast_id: str) -> Answer:
    number = integer(broadcast_id, Problem(404))
    if number not in ws.broadcasts:
        raise Problem(404)
    found = deliveries.of_broadcast(ws, number)
    return _listed(ws, request, found, DELIVERIES_OBJECT_WINDOW,
                   lambda: min((d.created for d in found), default=None))  # fmt: skip


def newsletter_messages(ws: Workspace, request: httpx.Request, newsletter_id: str) -> Answer:
    number = integer(newsletter_id, Problem(404))
    if number not in ws.newsletters:
        raise Problem(404)
    return _listed(ws, request, deliveries.of_newsletter(ws, number), DELIVERIES_OBJECT_WINDOW)


def transactional_messages(ws: Workspace, request: httpx.Request, transactional_id: str) -> Answer:
    number = integer(transactional_id, Problem(404))
    if number not in ws.transactional:
        raise Problem(404)
    found = deliveries.of_transactional(ws, number)
    return _listed(ws, request, found, DELIVERIES_OBJECT_WINDOW)


ROUTES = (
    Route("GET", "/v1/messages", "listMessages", list_messages),
    Route("GET", "/v1/messages/{message_id}", "getMessage", get_message),
    Route("GET", "/v1/messages/{message_id}/archived_message", "getArchivedMessage",
          archived_message),
    Route("GET", "/v1/campaigns/{campaign_id}/messages", "getCampaignMessages", campaign_messages),
    Route("GET", "/v1/broadcasts/{broadcast_id}/messages", "broadcastMessages",
          broadcast_messages),
    Route("GET", "/v1/newsletters/{newsletter_id}/messages", "getNewsletterMsgMeta",
          newsletter_messages),
    Route("GET", "/v1/transactional/{transactional_id}/messages", "transactionalMessages",
          transactional_messages),
)  # fmt: skip
