"""The sandbox's email-provider suppressions: an address that hard-bounced or reported spam,
as its deliveries say, suppressed from that moment."""

from __future__ import annotations

from typing import Any

import httpx

from . import deliveries
from .answers import Answer, Problem, errors_body, integer
from .fates import FAILURES
from .routing import Route
from .state import Workspace

# getSuppressionByType: `limit` default 100, maximum 1000; `offset` default 0.
LIMIT_DEFAULT, LIMIT_MAX = 100, 1000
# The delivery event behind each kind of suppression, and the category the answer names
# (its enum holds only bounces and spam; blocks and invalid addresses are never seeded here).
_EVENTS = {"bounces": ("bounced", "bounces"), "spam_reports": ("spammed", "spam")}
_REASONS = {"bounced": FAILURES["bounced"], "spammed": "The recipient reported it as spam."}


def suppressed(ws: Workspace, kind: str) -> list[dict[str, Any]]:
    """Every address suppressed for `kind`, first suppression first."""
    if kind not in _EVENTS:
        return []
    event, _ = _EVENTS[kind]
    first: dict[str, int] = {}
    now = ws.now()
    for delivery in deliveries.everything(ws):
        at = delivery.seen(now).get(event)
        if at is not None and (delivery.recipient not in first or at < first[delivery.recipient]):
            first[delivery.recipient] = at
    return [
        {"email": email, "created": at, "reason": _REASONS[event], "status": "550"}
        for email, at in sorted(first.items(), key=lambda item: (item[1], item[0]))
    ]


def search_suppression(ws: Workspace, request: httpx.Request, email_address: str) -> Answer:
    # The document gives one category per answer and no shape for an address not suppressed:
    # the sandbox answers its first category, or an empty list.
    for kind, (_, category) in _EVENTS.items():
        found = [s for s in suppressed(ws, kind) if s["email"].lower() == email_address.lower()]
        if found:
            return 200, {"category": category, "suppressions": found}
    return 200, {"suppressions": []}


def suppression_by_type(ws: Workspace, request: httpx.Request, suppression_type: str) -> Answer:
    if suppression_type not in ("blocks", "bounces", "spam_reports", "invalid_emails"):
        raise Problem(404)
    query = request.url.params
    bad = Problem(400, errors_body(400, "limit and offset must be integers"))
    limit = min(max(integer(query.get("limit", LIMIT_DEFAULT), bad), 1), LIMIT_MAX)
    offset = max(integer(query.get("offset", 0), bad), 0)
    found = suppressed(ws, suppression_type)
    domain = query.get("domain")
    if domain:
        # The sandbox sends from one domain: every suppression is on it, none on another.
        found = found if domain == "northwind.example" else []
    answer: dict[str, Any] = {"suppressions": found[offset : offset + limit]}
    if suppression_type in _EVENTS:
        answer["category"] = _EVENTS[suppression_type][1]
    return 200, answer


ROUTES = (
    Route("GET", "/v1/esp/search_suppression/{email_address}", "getSuppression",
          search_suppression),
    Route("GET", "/v1/esp/suppression/{suppression_type}", "getSuppressionByType",
          suppression_by_type),
)  # fmt: skip
