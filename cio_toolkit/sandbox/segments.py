"""The sandbox's segment endpoints: the list, a segment's size and its members."""

from __future__ import annotations

from typing import Any

import httpx

from . import seed
from .answers import Answer, Problem, cursor, integer, offset_of
from .limits import MEMBERSHIP_LIMIT_DEFAULT, MEMBERSHIP_LIMIT_MAX
from .routing import Route
from .state import Workspace


def list_segments(ws: Workspace, request: httpx.Request) -> Answer:
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


def segment_count(ws: Workspace, request: httpx.Request, segment_id: str) -> Answer:
    number = integer(segment_id, Problem(400))
    if number not in ws.segments:
        raise Problem(404)
    return 200, {"segment_id": number, "count": len(ws.members(number))}


def segment_membership(ws: Workspace, request: httpx.Request, segment_id: str) -> Answer:
    number = integer(segment_id, Problem(400))
    if number not in ws.segments:
        raise Problem(404)
    asked = integer(request.url.params.get("limit", MEMBERSHIP_LIMIT_DEFAULT), Problem(400))
    limit = min(max(asked, 1), MEMBERSHIP_LIMIT_MAX)
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


ROUTES = (
    Route("GET", "/v1/segments", "listSegments", list_segments),
    Route("GET", "/v1/segments/{segment_id}/customer_count", "getSegmentCount", segment_count),
    Route(
        "GET", "/v1/segments/{segment_id}/membership", "getSegmentMembership", segment_membership
    ),
)
