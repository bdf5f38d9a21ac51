"""The sandbox's campaign endpoints: the list, one campaign and its actions, and metrics
(version 2)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from . import deliveries, metrics, seed
from .answers import Answer, Problem, cursor, integer, offset_of
from .limits import (
    CHANNELS,
    METRICS_DEFAULT_DAYS,
    METRICS_DEFAULT_TZ,
    METRICS_MAX_SPAN,
    RESOLUTIONS,
)
from .routing import Route
from .state import Workspace


def list_campaigns(ws: Workspace, request: httpx.Request) -> Answer:
    return 200, {"campaigns": [campaign_json(c) for c in ws.campaigns.values()]}


def _campaign(ws: Workspace, campaign_id: str) -> seed.Campaign:
    campaign = ws.campaigns.get(integer(campaign_id, Problem(400)))
    if campaign is None:
        raise Problem(404)
    return campaign


def get_campaign(ws: Workspace, request: httpx.Request, campaign_id: str) -> Answer:
    return 200, {"campaign": campaign_json(_campaign(ws, campaign_id))}


# listCampaignActions: at most 10 actions a page.
ACTIONS_PAGE = 10


def campaign_actions(ws: Workspace, request: httpx.Request, campaign_id: str) -> Answer:
    campaign = _campaign(ws, campaign_id)
    every = [action_json(campaign, number, action) for number, action in
             enumerate(campaign.actions, start=1)]  # fmt: skip
    offset = offset_of(request.url.params.get("start"))
    answer: dict[str, Any] = {"actions": every[offset : offset + ACTIONS_PAGE]}
    if offset + ACTIONS_PAGE < len(every):
        answer["next"] = cursor(offset + ACTIONS_PAGE)
    return 200, answer


def action_json(campaign: seed.Campaign, number: int, action_id: int) -> dict[str, Any]:
    """One of a campaign's actions: a webhook's request, or a message whose subject is the
    campaign's name (as its deliveries' subjects are) and whose body has no links."""
    shown: dict[str, Any] = {
        "id": action_id,
        "campaign_id": campaign.id,
        "deduplicate_id": f"{action_id}:{campaign.created}",
        "name": f"{campaign.name}: step {number}",
        "created": campaign.created,
        "updated": campaign.created,
        "type": campaign.channel,
        "sending_state": "automatic" if campaign.state == "running" else "off",
    }
    if campaign.channel == "webhook":
        shown.update(
            url="https://crm.northwind.example/hooks/signup?email={{ customer.email }}",
            method="post",
            body='{"plan": "{{ customer.plan }}"}',
            headers="[]",
        )
    elif campaign.channel == "email":
        shown.update(
            subject=campaign.name,
            body='<p>Hi {{ customer.first_name | default: "there" }},</p>',
            language="",
        )
    else:
        shown.update(body=f"{campaign.name}: open the app to see more.", language="")
    return shown


def campaign_metrics(ws: Workspace, request: httpx.Request, campaign_id: str) -> Answer:
    campaign = _campaign(ws, campaign_id)
    query = request.url.params
    if query.get("version") != "2":
        raise Problem(400)  # the sandbox emulates version 2 only; version 1 is deprecated
    res = RESOLUTIONS.get(query.get("res", "days"))
    tz = query.get("tz") or METRICS_DEFAULT_TZ
    channel = query.get("type") or None
    end = integer(query.get("end", ws.now()), Problem(400))
    start = integer(query.get("start", end - METRICS_DEFAULT_DAYS * 86_400), Problem(400))
    if res is None or channel not in (None, *CHANNELS):
        raise Problem(400)
    if not start < end <= start + METRICS_MAX_SPAN:
        raise Problem(400)
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise Problem(400) from None
    now = ws.now()
    sent = deliveries.of_campaign(ws, campaign.id) if channel in (None, campaign.channel) else []
    # Each event counts in the period it happened in, if that is inside the window asked for.
    events = [{e: at for e, at in d.seen(now).items() if start <= at < end} for d in sent]
    bounds = metrics.period_bounds(start, end, res, tz)
    found = metrics.delivery_series(events, bounds, webhook=campaign.channel == "webhook")
    return 200, {"metric": {"series": found}}


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


ROUTES = (
    Route("GET", "/v1/campaigns", "listCampaigns", list_campaigns),
    Route("GET", "/v1/campaigns/{campaign_id}", "getCampaigns", get_campaign),
    Route("GET", "/v1/campaigns/{campaign_id}/actions", "listCampaignActions", campaign_actions),
    Route("GET", "/v1/campaigns/{campaign_id}/metrics", "campaignMetrics", campaign_metrics),
)
