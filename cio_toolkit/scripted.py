"""A scripted stand-in for a chat model: tool calls chosen by code that reads the real results.

Tutorials and offline agent tests use it when no real model is configured. The adapters wrap a
`Script` as a framework model: `langchain_customerio.testing.ScriptedChatModel` and
`llama_index.tools.customerio.testing.scripted_llm`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ToolCall = tuple[str, dict[str, Any]]
Turn = list[ToolCall] | str  # tool calls to make next, or the final answer


@dataclass(frozen=True)
class ToolResult:
    name: str
    content: str


@dataclass(frozen=True)
class Exchange:
    """What the model has seen since the user's latest message."""

    request: str
    turn: int  # model turns already taken since the request
    results: tuple[ToolResult, ...]

    def last(self, name: str) -> Any:
        """The latest result of tool `name`, parsed from its JSON text (None if it never ran)."""
        for result in reversed(self.results):
            if result.name == name:
                try:
                    return json.loads(result.content)
                except ValueError:
                    return result.content  # an error message
        return None


Script = Callable[[Exchange], Turn]


def in_order(*turns: Turn, then: str = "Done.") -> Script:
    """A fixed script: the given turns one after another, then `then` as the answer."""
    return lambda exchange: turns[exchange.turn] if exchange.turn < len(turns) else then


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def example_jobs(exchange: Exchange) -> Turn:
    """The README's example jobs, as a model would do them with the read-only tools.

    A request naming an email address is a person lookup; anything else is the campaign report.
    """
    email = _EMAIL.search(exchange.request)
    return _person_lookup(exchange, email.group()) if email else _campaign_report(exchange)


def _rows(table: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """A tool's table (`columns` plus rows under `key`) as one dict per row."""
    return [dict(zip(table["columns"], row, strict=True)) for row in table[key]]


def _campaign_report(exchange: Exchange) -> Turn:
    listing = exchange.last("customerio_list_campaigns")
    if listing is None:
        return [("customerio_list_campaigns", {})]
    running = [c for c in _rows(listing, "campaigns") if c["state"] == "running"]
    metrics = [
        json.loads(r.content)
        for r in exchange.results
        if r.name == "customerio_get_campaign_metrics"
    ]
    if not metrics and running:
        return [("customerio_get_campaign_metrics", {"campaign_id": c["id"]}) for c in running]
    names = {c["id"]: c["name"] for c in running}
    lines = [f"{len(running)} of {listing['count']} campaigns are running. Last 30 days:"]
    for report in sorted(metrics, key=lambda r: -r["totals"]["sent"]):
        totals, rates = report["totals"], report["rates"]
        lines.append(
            f"- {names.get(report['campaign_id'], report['campaign_id'])}: "
            f"{totals['sent']:,} sent, {rates['open_rate']:.0%} opened, "
            f"{rates['click_rate']:.1%} clicked"
        )
    return "\n".join(lines)


def _person_lookup(exchange: Exchange, email: str) -> Turn:
    found = exchange.last("customerio_search_customers")
    if found is None:
        rule = {"attribute": {"field": "email", "operator": "eq", "value": email}}
        return [("customerio_search_customers", {"filter": rule})]
    if not isinstance(found, dict) or not found.get("count"):
        return f"Nobody in the workspace has the email {email}."
    profile = exchange.last("customerio_get_person_attributes")
    if profile is None:
        if found.get("ids"):
            return [("customerio_get_person_attributes", {"customer_id": found["ids"][0]})]
        cio_id = found["cio_ids"][0]
        return [("customerio_get_person_attributes", {"customer_id": cio_id, "id_type": "cio_id"})]
    attributes = profile.get("attributes", {})
    name = " ".join(filter(None, (attributes.get("first_name"), attributes.get("last_name"))))
    details = ", ".join(
        f"{key} {attributes[key]}" for key in ("plan", "country", "language") if key in attributes
    )
    status = "unsubscribed" if profile.get("unsubscribed") else "subscribed"
    return (
        f"{name or email} has id {profile.get('id')} and cio_id {profile.get('cio_id')}: "
        f"{details}; {status}."
    )
