"""The jobs the later tools close (a bounced-address list, a failed trigger's recipients, a
campaign's webhook, a newsletter's links, a suppression check, campaigns compared), as a `Script`
would do them from the tools' real results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .scripted import Exchange, Turn, rows

BOUNCED_THIS_WEEK = "Which addresses hard-bounced in the last 7 days?"
FAILED_TRIGGER = 'Which recipients did the triggers of the broadcast named like "status" fail?'
CAMPAIGN_WEBHOOK = 'What does the campaign named like "CRM" call, and what starts it?'
NEWSLETTER_LINKS = "Which links in our most recent newsletter got the most clicks?"
SUPPRESSION_CHECK = "Is the address that bounced most recently suppressed, and why?"
BEST_OPEN_RATE = "Which running campaign had the best open rate over the last 7 days?"


def _first(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    return rows[0] if rows else None


def _failed(result: Any) -> bool:
    return isinstance(result, str)  # a tool's error reaches the model as text


def _bounced_this_week(exchange: Exchange) -> Turn:
    found = exchange.last("customerio_list_deliveries")
    if found is None:
        return [("customerio_list_deliveries", {"metric": "bounced", "days": 7, "limit": 1000})]
    if _failed(found):
        return f"Could not list the bounces: {found}"
    addresses = sorted({row["recipient"] for row in rows(found, "deliveries")})
    more = " (and more on the next page)" if found["more"] else ""
    return (
        f"{len(addresses)} addresses bounced in the last 7 days{more}: "
        + ", ".join(addresses[:10])
        + ("…" if len(addresses) > 10 else "")
    )


def _failed_trigger(exchange: Exchange) -> Turn:
    broadcasts = exchange.last("customerio_list_broadcasts")
    if broadcasts is None:
        return [("customerio_list_broadcasts", {"name": "status"})]
    broadcast = _first(rows(broadcasts, "broadcasts"))
    if broadcast is None:
        return 'No broadcast is named like "status".'
    triggers = exchange.last("customerio_list_broadcast_triggers")
    if triggers is None:
        return [("customerio_list_broadcast_triggers", {"broadcast_id": broadcast["id"]})]
    made = rows(triggers, "triggers")  # newest first
    checked = exchange.every("customerio_get_broadcast_trigger")
    if len(checked) < len(made):  # each trigger's status and errors, in turn
        trigger = made[len(checked)]
        return [("customerio_get_broadcast_trigger",
                 {"broadcast_id": broadcast["id"], "trigger_id": trigger["id"]})]  # fmt: skip
    for trigger, status in zip(made, checked, strict=True):
        if isinstance(status, dict) and status.get("errors"):
            return (
                f'Trigger {trigger["id"]} of "{broadcast["name"]}" ({broadcast["id"]}) could not '
                f"use {len(status['errors'])} recipients: " + "; ".join(status["errors"])
            )
    return f'None of the {len(made)} triggers of "{broadcast["name"]}" failed a recipient.'


def _campaign_webhook(exchange: Exchange) -> Turn:
    listed = exchange.last("customerio_list_campaigns")
    if listed is None:
        return [("customerio_list_campaigns", {"name": "CRM"})]
    campaign = _first(rows(listed, "campaigns"))
    if campaign is None:
        return 'No campaign is named like "CRM".'
    detail = exchange.last("customerio_get_campaign")
    if detail is None:
        return [("customerio_get_campaign", {"campaign_id": campaign["id"]})]
    if _failed(detail):
        return f"Could not read the campaign: {detail}"
    actions = [dict(zip(detail["action_columns"], a, strict=True)) for a in detail["actions"]]
    calls = sorted({f"{a['method']} {a['url']}" for a in actions if a["url"]})
    return (
        f'"{detail["name"]}" ({detail["id"]}) is started by {detail["trigger"]}; its actions '
        f"call {', '.join(calls) or 'no webhook'}."
    )


def _newsletter_links(exchange: Exchange) -> Turn:
    listed = exchange.last("customerio_list_newsletters")
    if listed is None:
        return [("customerio_list_newsletters", {"limit": 10})]
    sent = [row for row in rows(listed, "newsletters") if row["sent_at"]]
    if not sent:
        return "None of the most recent newsletters has been sent."
    newest = max(sent, key=lambda row: row["sent_at"])  # sent last, whatever its id
    links = exchange.last("customerio_get_link_metrics")
    if links is None:
        since = {"newsletter_id": newest["id"], "start": newest["sent_at"]}
        return [("customerio_get_link_metrics", since)]
    if _failed(links):
        return f"Could not read the links: {links}"
    ranked = [f"{href} ({clicks} clicks)" for href, clicks, *_ in links["links"]]
    return f'Most clicked in "{newest["name"]}": ' + (", ".join(ranked) or "no link was clicked")


def _suppression_check(exchange: Exchange) -> Turn:
    bounced = exchange.last("customerio_list_deliveries")
    if bounced is None:
        return [("customerio_list_deliveries", {"metric": "bounced", "limit": 1})]
    latest = _first(rows(bounced, "deliveries"))
    if latest is None:
        return "Nothing bounced in the last 30 days."
    found = exchange.last("customerio_get_email_suppression")
    if found is None:
        return [("customerio_get_email_suppression", {"email_address": latest["recipient"]})]
    if _failed(found):
        return f"Could not check {latest['recipient']}: {found}"
    if not found["suppressed"]:
        return f"{latest['recipient']} bounced but is not suppressed by the email provider."
    _, category, since, reason, status = found["suppressions"][0]
    return (
        f"{latest['recipient']} is suppressed by the email provider: {category} since {since} "
        f"({status}: {reason})."
    )


def _best_open_rate(exchange: Exchange) -> Turn:
    compared = exchange.last("customerio_compare_campaign_metrics")
    if compared is None:
        return [("customerio_compare_campaign_metrics", {"days": 7})]
    if _failed(compared):
        return f"Could not compare the campaigns: {compared}"
    ranked = [row for row in rows(compared, "campaigns") if row["delivered"]]
    if not ranked:
        return "No running campaign delivered anything in the last 7 days."
    best = ranked[0]
    return (
        f'"{best["name"]}" ({best["id"]}) had the best open rate over the last 7 days: '
        f"{best['open_rate']:.1%} of {best['delivered']:,} delivered ({len(ranked)} compared)."
    )


# Each request, and the script that answers it.
INVESTIGATIONS: dict[str, Callable[[Exchange], Turn]] = {
    BOUNCED_THIS_WEEK: _bounced_this_week,
    FAILED_TRIGGER: _failed_trigger,
    CAMPAIGN_WEBHOOK: _campaign_webhook,
    NEWSLETTER_LINKS: _newsletter_links,
    SUPPRESSION_CHECK: _suppression_check,
    BEST_OPEN_RATE: _best_open_rate,
}
