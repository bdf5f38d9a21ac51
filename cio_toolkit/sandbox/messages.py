"""The sandbox's message endpoints: one delivery as it stands now, and lists of deliveries."""

from __future__ import annotations

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
from .routing import Handler, Route
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
    began: int | None = None,
) -> Answer:
    """A page of deliveries as `/v1/messages` and each object's list answer it: created in
    the window asked for (cut to `longest` seconds back from its end; without one, the month
    from `began` where given), newest first, filtered by metric and channel."""
    query = request.url.params
    now = ws.now()
    bad = Problem(400, errors_body(400, "start_ts, end_ts and limit must be integers"))
    limit = min(max(integer(query.get("limit", MESSAGES_LIMIT_DEFAULT), bad), 1),
                MESSAGES_LIMIT_MAX)  # fmt: skip
    if "start_ts" not in query and "end_ts" not in query and began is not None:
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


def sent_by(ws: Workspace, kind: deliveries.Kind, raw_id: str) -> list[deliveries.Delivery]:
    """One sender's deliveries, by the id in the path; a 404 for one the workspace lacks."""
    found = deliveries.sent_by(ws, kind, integer(raw_id, Problem(404)))
    if found is None:
        raise Problem(404)
    return found


def _messages_of(kind: deliveries.Kind) -> Handler:
    """The route answering one sender's deliveries."""

    def answer(ws: Workspace, request: httpx.Request, **ids: str) -> Answer:
        (raw_id,) = ids.values()
        found = sent_by(ws, kind, raw_id)
        # Without a window, a broadcast's list is the month after its first trigger.
        began = min((d.created for d in found), default=None) if kind == "broadcast" else None
        return _listed(ws, request, found, DELIVERIES_OBJECT_WINDOW, began)

    return answer


ROUTES = (
    Route("GET", "/v1/messages", "listMessages", list_messages),
    Route("GET", "/v1/messages/{message_id}", "getMessage", get_message),
    Route("GET", "/v1/messages/{message_id}/archived_message", "getArchivedMessage",
          archived_message),
    Route("GET", "/v1/campaigns/{campaign_id}/messages", "getCampaignMessages",
          _messages_of("campaign")),
    Route("GET", "/v1/broadcasts/{broadcast_id}/messages", "broadcastMessages",
          _messages_of("broadcast")),
    Route("GET", "/v1/newsletters/{newsletter_id}/messages", "getNewsletterMsgMeta",
          _messages_of("newsletter")),
    Route("GET", "/v1/transactional/{transactional_id}/messages", "transactionalMessages",
          _messages_of("transactional")),
)  # fmt: skip
