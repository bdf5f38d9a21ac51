"""The sandbox's newsletter endpoints: the list, newest first, and metrics from deliveries."""

from __future__ import annotations

from typing import Any

import httpx

from . import deliveries, metrics
from .answers import Answer, Problem, cursor, integer, offset_of
from .limits import NEWSLETTER_CHANNELS, NEWSLETTERS_LIMIT_DEFAULT
from .routing import Route
from .state import Workspace
from .steps import steps_window

DAY = 86_400


def newsletter_json(ws: Workspace, newsletter_id: int) -> dict[str, Any]:
    letter = ws.newsletters[newsletter_id]
    sent = deliveries.sent_at(ws, newsletter_id)
    days = letter.created_days_ago
    if days is None:
        days = (letter.days_ago or 0) + 3
    created = ws.now() - ws.now() % DAY - days * DAY + 10 * 3600
    updated = sent or created
    shown: dict[str, Any] = {
        "id": letter.id,
        "deduplicate_id": f"{letter.id}:{updated}",
        "name": letter.name,
        "type": "email",
        "content_ids": [letter.id * 10 + 1],
        "created": created,
        "updated": updated,
        "tags": list(letter.tags),
        "recipient_segment_ids": list(letter.segment_ids),
    }
    if sent is not None:
        shown["sent_at"] = sent
    if letter.topic_id is not None:
        shown["subscription_topic_id"] = letter.topic_id
    return shown


def list_newsletters(ws: Workspace, request: httpx.Request) -> Answer:
    query = request.url.params
    limit = max(1, integer(query.get("limit", NEWSLETTERS_LIMIT_DEFAULT), Problem(400)))
    sort = query.get("sort", "asc")
    if sort not in ("asc", "desc"):
        raise Problem(400)
    everything = sorted(
        (newsletter_json(ws, n) for n in ws.newsletters),
        key=lambda n: (n["created"], n["id"]),
        reverse=sort == "desc",
    )
    offset = offset_of(query.get("start"))
    answer: dict[str, Any] = {"newsletters": everything[offset : offset + limit]}
    if offset + limit < len(everything):
        answer["next"] = cursor(offset + limit)
    return 200, answer


def newsletter_metrics(ws: Workspace, request: httpx.Request, newsletter_id: str) -> Answer:
    number = integer(newsletter_id, Problem(400))
    if number not in ws.newsletters:
        raise Problem(404)
    # getNewsletterMetrics documents no 400: what it cannot read counts as not given.
    bounds = steps_window(ws.now(), request.url.params, strict=False)
    channel = request.url.params.get("type")
    if channel not in NEWSLETTER_CHANNELS:
        channel = None
    sent = [] if channel not in (None, "email") else deliveries.of_newsletter(ws, number)
    events = [d.seen(ws.now()) for d in sent]
    series = metrics.delivery_series(events, bounds)
    return 200, {"metric": {"type": "email", "series": series}}


ROUTES = (
    Route("GET", "/v1/newsletters", "listNewsletters", list_newsletters),
    Route(
        "GET",
        "/v1/newsletters/{newsletter_id}/metrics",
        "getNewsletterMetrics",
        newsletter_metrics,
    ),
)
