"""The example jobs (a campaign report, a person lookup, a send...) as a `Script` would do them:
code that reads the tools' real results, for the demo, the tutorials and the benchmarks."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ._investigations import INVESTIGATIONS
from .scripted import Exchange, Turn, rows

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DAYS = re.compile(r"last (\d+) days", re.IGNORECASE)
_SEND = re.compile(r'\bsend the (?:"([^"]+)"|(\S+)) (?:email|template)\b', re.IGNORECASE)
_LIKE = re.compile(r'named like "([^"]+)"', re.IGNORECASE)
_SEGMENT = re.compile(r'segment "([^"]+)"', re.IGNORECASE)
# key=value pairs a request gives as data: `order_id=A-1042, total=89.00`.
_PAIR = re.compile(r"(\w+)=([^\s,]+?)(?=[,\s]|\.?$|\.\s)")

# -- the requests, as a person would make them -------------------------------------------------


def _given(data: Mapping[str, str] | None) -> str:
    """Data for a request, as `key=value` pairs (values without spaces or commas)."""
    return " with " + ", ".join(f"{k}={v}" for k, v in data.items()) if data else ""


def campaign_report(days: int = 30) -> str:
    return f"Which campaigns are running, and how did they do over the last {days} days?"


def person_lookup(email: str) -> str:
    return f"Who is {email}?"


def send_template(template: str, to: str, data: Mapping[str, str] | None = None) -> str:
    """A send: `template` is a transactional message's name or id (quoted when it has spaces,
    as a person would write "the "Password reset" email")."""
    named = f'"{template}"' if any(c.isspace() for c in template) else template
    return f"Send the {named} email to {to}{_given(data)}, then confirm its delivery."


def trigger_broadcast(like: str, segment: str, data: Mapping[str, str] | None = None) -> str:
    return (
        f'Trigger the broadcast named like "{like}" for the segment "{segment}"{_given(data)}, '
        "then tell me whether the trigger was processed and with how many errors."
    )


def segment_size(segment: str) -> str:
    return f'How many people are in the segment "{segment}"?'


def last_message(email: str) -> str:
    return f"What was the last message sent to {email}, and which segments are they in?"


NEWSLETTER_REPORT = "How did our most recent newsletter perform?"

# The jobs on the sandbox's workspace, as the README, the demo and the tests ask them.
ADA = "ada.lovelace@example.com"
CAMPAIGN_REPORT = campaign_report()
PERSON_LOOKUP = person_lookup(ADA)
SEND_RECEIPT = send_template(
    "order_confirmation", ADA, {"order_id": "A-1042", "total": "89.00", "currency": "EUR"}
)
TRIGGER_BROADCAST = trigger_broadcast("spring", "Beta testers", {"code": "SPRING10"})
SEND_RESET = send_template(
    "password_reset", ADA, {"reset_url": "https://northwind.example/reset/4f9c"}
)
SEGMENT_SIZE = segment_size("Pro plan")
LAST_MESSAGE = last_message(ADA)


def example_jobs(exchange: Exchange) -> Turn:
    """The README's example jobs, as a model would do them, from the request's wording.

    "Send the <template> email to <email> with key=value..." reads the template, sends exactly
    the data it reads and checks the delivery; "Trigger the broadcast named like "..." for the
    segment "..."" triggers it and checks the trigger; "How many ... segment "..."" counts a
    segment; "the last message ... <email>" reads a person's messages and segments; "newsletter"
    reports the latest one sent; another request naming an email address looks the person up;
    the requests of `_investigations` (bounces, a failed trigger, a webhook, links, a
    suppression, campaigns compared) are answered as written there; anything else is the
    campaign report ("over the last N days", 30 by default).
    """
    request = exchange.request
    if request in INVESTIGATIONS:  # the later tools' jobs, asked as written there
        return INVESTIGATIONS[request](exchange)
    email, send, segment = _EMAIL.search(request), _SEND.search(request), _SEGMENT.search(request)
    if email and send:
        return _send_template(exchange, email.group(), send.group(1) or send.group(2))
    if _LIKE.search(request) and "broadcast" in request.lower():
        return _trigger_broadcast(exchange)
    if "how many" in request.lower() and segment:
        return _segment_size(exchange, segment.group(1))
    if email and "last message" in request.lower():
        return _last_message(exchange, email.group())
    if email:
        return _person_lookup(exchange, email.group())
    if "newsletter" in request.lower():
        return _newsletter_report(exchange)
    return _campaign_report(exchange)


def _named(found: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The row whose name is `name` (any case), else the first one listed."""
    exact = [row for row in found if str(row.get("name", "")).casefold() == name.casefold()]
    return next(iter(exact or found), None)


def _failed(result: Any) -> str | None:
    """A tool's error message, as the model read it (its output is text, not JSON)."""
    return result if isinstance(result, str) else None


def _campaign_report(exchange: Exchange) -> Turn:
    listing = exchange.last("customerio_list_campaigns")
    if listing is None:
        return [("customerio_list_campaigns", {})]
    running = [c for c in rows(listing, "campaigns") if c["state"] == "running"]
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
        name = names.get(report["campaign_id"], report["campaign_id"])
        if "click_rate" not in rates:  # a webhook: its rate is the share of 2xx answers
            lines.append(f"- {name}: {totals['sent']:,} sent, {rates['delivery_rate']:.0%} "
                         "answered 2xx")  # fmt: skip
            continue
        if "open_rate" not in rates:  # a text message: no opens to track
            lines.append(f"- {name}: {totals['sent']:,} sent, {rates['click_rate']:.1%} clicked "
                         "(opens not tracked)")  # fmt: skip
            continue
        lines.append(
            f"- {name}: {totals['sent']:,} sent, {rates['open_rate']:.0%} opened, "
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


def _send_template(exchange: Exchange, to: str, name: str) -> Turn:
    """Find the template, read what its Liquid reads, send exactly that, check the delivery."""
    listed = exchange.last("customerio_list_transactional_messages")
    if listed is None and not name.isdigit():  # an id needs no looking up
        return [("customerio_list_transactional_messages", {"name": name})]
    messages = listed.get("messages", []) if isinstance(listed, dict) else []
    chosen = {"id": int(name)} if name.isdigit() else _named(messages, name)
    if chosen is None:
        return f"There is no transactional message named like {name}."
    template = exchange.last("customerio_get_transactional_message")
    if template is None:
        return [("customerio_get_transactional_message", {"transactional_id": chosen["id"]})]
    if _failed(template):
        return f"Could not read the template {name}: {template}"
    given = dict(_PAIR.findall(exchange.request))
    reads = template.get("message_data", [])
    # An optional key is shown with its fallback: `minutes (default 30)`.
    optional = [key.split(" (default ")[0] for key in template.get("message_data_optional", [])]
    missing = [key for key in reads if key not in given and key not in optional]
    if missing:
        return f"{name} reads {', '.join(missing)}: tell me the values to send."
    data = {key: given[key] for key in reads if key in given}  # exactly what it reads
    sent = exchange.last("customerio_send_transactional_email")
    if sent is None:
        send: dict[str, Any] = {"transactional_message_id": chosen["id"], "to": to}
        if data:
            send["message_data"] = json.dumps(data)
        return [("customerio_send_transactional_email", send)]
    if _failed(sent):
        return f"The {name} email to {to} was not sent: {sent}"
    delivery = exchange.last("customerio_get_message")
    if delivery is None:
        return [(sent["check"]["tool"], sent["check"]["arguments"])]
    if _failed(delivery):
        return f"Sent {name} to {to} (delivery {sent['delivery_id']}); its state: {delivery}"
    keys = ", ".join(data) or "no data"
    state = delivery["state"]
    suppressed = (
        f"It was suppressed: {delivery.get('failure_message', 'not sent')}"
        if state == "suppressed"
        else "It was not suppressed."
    )
    return (
        f"Sent {name} to {to} with {keys} (delivery {sent['delivery_id']}). "
        f"Its state is {state}. {suppressed}"
    )


def _trigger_broadcast(exchange: Exchange) -> Turn:
    """Find the broadcast and the segment, trigger it for that segment, check the trigger."""
    like = _LIKE.search(exchange.request).group(1)  # type: ignore[union-attr]
    segment_name = _SEGMENT.search(exchange.request)
    broadcasts = exchange.last("customerio_list_broadcasts")
    segments = exchange.last("customerio_list_segments")
    if broadcasts is None:
        lookups = [("customerio_list_broadcasts", {"name": like})]
        if segment_name:
            lookups.append(("customerio_list_segments", {"name": segment_name.group(1)}))
        return lookups
    broadcast = _named(rows(broadcasts, "broadcasts"), like)
    listed = segments.get("segments", []) if isinstance(segments, dict) else []
    segment = _named(listed, segment_name.group(1)) if segment_name else None
    if broadcast is None:
        return f'No API-triggered broadcast is named like "{like}".'
    if segment_name and segment is None:
        return f'There is no segment "{segment_name.group(1)}".'
    triggered = exchange.last("customerio_trigger_broadcast")
    if triggered is None:
        trigger: dict[str, Any] = {"broadcast_id": broadcast["id"]}
        if segment is not None:
            trigger["recipients"] = json.dumps({"segment": {"id": segment["id"]}})
        data = dict(_PAIR.findall(exchange.request))
        if data:
            trigger["data"] = json.dumps(data)
        return [("customerio_trigger_broadcast", trigger)]
    status = exchange.last("customerio_get_broadcast_trigger")
    if status is None:
        if _failed(triggered):
            # A refused trigger names itself; its status lists the lines it could not use.
            named = re.search(r"for trigger (\d+)", triggered)
            if named is None:
                return f"The trigger failed: {triggered}"
            check = {"broadcast_id": broadcast["id"], "trigger_id": int(named.group(1))}
            return [("customerio_get_broadcast_trigger", check)]
        return [(triggered["check"]["tool"], triggered["check"]["arguments"])]
    if _failed(status):
        return f"Triggered {broadcast['name']}, but its status is unknown: {status}"
    audience = f' for the segment "{segment["name"]}" ({segment["id"]})' if segment else ""
    errors = status["errors_on_this_page"]
    count = f"{errors}{' or more' if status.get('more_errors') else ''} errors"
    when = f" at {status['processed_at']}" if status.get("processed_at") else ""
    return (
        f'Triggered "{broadcast["name"]}" ({broadcast["id"]}){audience}: trigger '
        f"{status['trigger_id']} is {status['state']}{when}, with {count}."
    )


def _segment_size(exchange: Exchange, name: str) -> Turn:
    listed = exchange.last("customerio_list_segments")
    if listed is None:
        return [("customerio_list_segments", {"name": name})]
    segment = _named(listed.get("segments", []) if isinstance(listed, dict) else [], name)
    if segment is None:
        return f'There is no segment "{name}".'
    size = exchange.last("customerio_get_segment_size")
    if size is None:
        return [("customerio_get_segment_size", {"segment_id": segment["id"]})]
    if _failed(size):
        return f"Could not count the segment: {size}"
    return f'{size["count"]:,} people are in the segment "{segment["name"]}" ({segment["id"]}).'


def _last_message(exchange: Exchange, email: str) -> Turn:
    person = {"customer_id": email, "id_type": "email"}
    messages = exchange.last("customerio_get_person_messages")
    if messages is None:
        return [
            ("customerio_get_person_messages", {**person, "limit": 1}),
            ("customerio_get_person_segments", person),
        ]
    segments = exchange.last("customerio_get_person_segments")
    for result in (messages, segments):
        if _failed(result):
            return f"Could not read {email}'s messages and segments: {result}"
    newest = rows(messages, "messages")
    last = (
        f'"{newest[0]["subject"]}" ({newest[0]["source"]}, {newest[0]["type"]}), created '
        f"{newest[0]['created']}, now {newest[0]['state']}"
        if newest
        else "nothing in the last six months"
    )
    names = ", ".join(f"{s['name']} ({s['id']})" for s in segments["segments"]) or "none"
    return f"The last message to {email}: {last}. Segments ({segments['count']}): {names}."


def _newsletter_report(exchange: Exchange) -> Turn:
    listed = exchange.last("customerio_list_newsletters")
    if listed is None:
        return [("customerio_list_newsletters", {"limit": 10})]
    sent = [row for row in rows(listed, "newsletters") if row["sent_at"]]
    if not sent:
        return "None of the most recent newsletters has been sent yet."
    newest = max(sent, key=lambda row: row["sent_at"])  # sent last, whatever its id (UTC ISO)
    report = exchange.last("customerio_get_newsletter_metrics")
    if report is None:
        window = {"newsletter_id": newest["id"], "start": newest["sent_at"]}
        return [("customerio_get_newsletter_metrics", window)]
    if _failed(report):
        return f"Could not read the metrics of {newest['name']}: {report}"
    totals, rates, window = report["totals"], report["rates"], report["window"]
    return (
        f'"{newest["name"]}" ({newest["id"]}), sent {newest["sent_at"]}: {totals["sent"]:,} sent, '
        f"{totals['delivered']:,} delivered, open rate {rates['open_rate']:.1%}, click rate "
        f"{rates['click_rate']:.1%} (from {window['start']} to {window['end']}, {window['tz']})."
    )
