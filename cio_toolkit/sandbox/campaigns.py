"""The sandbox's campaign endpoints: the list, and metrics (version 2)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from . import metrics, seed
from .answers import Answer, Problem, integer
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


def campaign_metrics(ws: Workspace, request: httpx.Request, campaign_id: str) -> Answer:
    campaign = ws.campaigns.get(integer(campaign_id, Problem(400)))
    if campaign is None:
        raise Problem(404)
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
    found = metrics.series(campaign, start, end, res, tz, ws.now(), channel)
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
    Route("GET", "/v1/campaigns/{campaign_id}/metrics", "campaignMetrics", campaign_metrics),
)
