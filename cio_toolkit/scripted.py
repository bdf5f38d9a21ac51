"""The example jobs, as a scripted stand-in for a chat model: code that reads the real results.

Tutorials, the demo, the benchmarks and offline agent tests use it when no real model is
configured. `play` runs a script against any tool-calling function; the adapters wrap a `Script`
as a framework model: `langchain_customerio.testing.ScriptedChatModel` and
`llama_index.tools.customerio.testing.scripted_llm`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .errors import ConfigurationError, CustomerIOError

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


Call = Callable[[str, dict[str, Any]], str]  # runs one tool, returns the text a model sees
Observer = Callable[[int, list[tuple[str, dict[str, Any], str]]], None]


def play(
    script: Script, request: str, call: Call, *, on_turn: Observer | None = None, turns: int = 20
) -> str:
    """Run a script as an agent loop would: its tool calls through `call`, until it answers.

    An error the model could act on reaches the script as the tool's text, as the frameworks
    show it to a model; misconfiguration raises. `on_turn(turn, [(tool, arguments, text)])`
    sees each turn's calls.
    """
    results: list[ToolResult] = []
    for turn in range(turns):
        step = script(Exchange(request, turn, tuple(results)))
        if isinstance(step, str):
            return step
        made = []
        for name, arguments in step:
            try:
                text = call(name, arguments)
            except ConfigurationError:
                raise
            except CustomerIOError as error:
                text = str(error)
            results.append(ToolResult(name, text))
            made.append((name, arguments, text))
        if on_turn is not None:
            on_turn(turn, made)
    raise RuntimeError(f"the script did not answer {request!r} within {turns} turns")


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DAYS = re.compile(r"last (\d+) days", re.IGNORECASE)
_SEND = re.compile(r"\bsend\b", re.IGNORECASE)
_TEMPLATE = re.compile(r"\btemplate (\S+)", re.IGNORECASE)


def example_jobs(exchange: Exchange) -> Turn:
    """The README's example jobs, as a model would do them.

    "Send ... to <email>" sends the order confirmation (or `template <id>`) with the read/write
    tools; any other request naming an email address is a person lookup; anything else is the
    campaign report ("over the last N days", 30 by default).
    """
    email = _EMAIL.search(exchange.request)
    if email and _SEND.search(exchange.request):
        return _send_receipt(exchange, email.group())
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
    asked = _DAYS.search(exchange.request)
    days = int(asked.group(1)) if asked else 30
    window = {} if days == 30 else {"start": (date.today() - timedelta(days=days)).isoformat()}
    if not metrics and running:
        return [
            ("customerio_get_campaign_metrics", {"campaign_id": c["id"], **window}) for c in running
        ]
    names = {c["id"]: c["name"] for c in running}
    lines = [f"{len(running)} of {listing['count']} campaigns are running. Last {days} days:"]
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
    if not isinstance(found, dict) or not found.get("on_this_page"):
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


def _send_receipt(exchange: Exchange, to: str) -> Turn:
    templates = exchange.last("customerio_list_transactional_messages")
    if templates is None:
        return [("customerio_list_transactional_messages", {})]
    sent = exchange.last("customerio_send_transactional_email")
    if sent is None:
        named = _TEMPLATE.search(exchange.request)
        messages = templates.get("messages", []) if isinstance(templates, dict) else []
        receipt = next((m["id"] for m in messages if m.get("name") == "order_confirmation"), None)
        chosen: int | str | None = receipt
        if named:
            chosen = int(named.group(1)) if named.group(1).isdigit() else named.group(1)
        if chosen is None:
            return "There is no order_confirmation template; name one with 'template <id>'."
        receipt_data = {"order_id": "A-1042", "total": "89.00", "currency": "EUR"}
        send = {"transactional_message_id": chosen, "to": to, "message_data": receipt_data}
        return [("customerio_send_transactional_email", send)]
    if isinstance(sent, dict) and "delivery_id" in sent:
        return f"Sent the order confirmation to {to}: delivery {sent['delivery_id']}."
    return f"The order confirmation to {to} was not sent: {sent}"
