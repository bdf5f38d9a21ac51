"""Campaigns: the list, and one campaign's metrics over a window."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from ..fields import LOCAL, QUERY, ArgsModel, NoArgs, PathId, Timestamp
from ..operation import Operation, Result

# List campaigns -----------------------------------------------------------------------------------


class CampaignAction(Result):
    type: str | None = None
    id: int | None = None


class Campaign(Result):
    id: int
    name: str | None = None
    description: str | None = None
    state: str | None = None
    active: bool | None = None
    created: datetime | None = None
    updated: datetime | None = None
    first_started: datetime | None = None
    tags: list[str] | None = None
    actions: list[CampaignAction] | None = None
    trigger_segment_ids: list[int] | None = None
    filter_segment_ids: list[int] | None = None
    event_name: str | None = None

    def for_model(self) -> Any:
        # Empty descriptions, tags and segment lists say nothing; fifty campaigns repeat them.
        return {k: v for k, v in super().for_model().items() if v not in ("", [])}


CAMPAIGN_COLUMNS = ["id", "name", "state", "trigger", "channels", "tags", "started", "description"]


def _trigger(campaign: Campaign) -> str:
    if campaign.trigger_segment_ids:
        return "segment " + ",".join(map(str, campaign.trigger_segment_ids))
    return f"event {campaign.event_name}" if campaign.event_name else ""


class ListCampaignsResult(Result):
    campaigns: list[Campaign] = Field(default_factory=list)

    def for_model(self) -> Any:
        # One row per campaign under a single header: fifty campaigns would otherwise repeat
        # every key fifty times.
        rows = [
            [
                c.id,
                c.name,
                c.state,
                _trigger(c),
                ",".join(dict.fromkeys(a.type for a in c.actions or [] if a.type)),
                c.tags or [],
                c.first_started.date().isoformat() if c.first_started else "",
                c.description or "",
            ]
            for c in self.campaigns
        ]
        return {"count": len(rows), "columns": CAMPAIGN_COLUMNS, "campaigns": rows}


LIST_CAMPAIGNS = Operation(
    name="customerio_list_campaigns",
    description=(
        "List every campaign in the workspace, one row each: id, name, state (running, draft, "
        "stopped), trigger, message channels, tags, first start date. Use it to find a campaign "
        "id before asking for its metrics, or to answer which campaigns are running."
    ),
    args_model=NoArgs,
    result_model=ListCampaignsResult,
    access="read",
    method="GET",
    path="/v1/campaigns",
    operation_id="listCampaigns",
    narrow="ask about the campaigns you need by id",
)


# Campaign metrics ---------------------------------------------------------------------------------

# The API also takes hourly/daily/...; accepted here, spelled one way in the schema.
RESOLUTION_ALIASES = {"hourly": "hours", "daily": "days", "weekly": "weeks", "monthly": "months"}
MAIN_METRICS = ("sent", "delivered", "opened", "clicked", "converted", "bounced", "unsubscribed")
DEFAULT_WINDOW_DAYS = 30
MAX_SPAN = 10 * 365 * 86400
Channel = Literal[
    "email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification"
]
CHANNELS: tuple[str, ...] = get_args(Channel)


def _known_tz(name: str | None) -> str | None:
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("unknown time zone; use an IANA name like America/New_York") from None
    return name


class CampaignMetricsArgs(ArgsModel):
    campaign_id: PathId = Field(description="From customerio_list_campaigns.")
    start: Annotated[Timestamp | None, QUERY] = Field(
        None, description=f"ISO-8601 or Unix; default {DEFAULT_WINDOW_DAYS} days before end."
    )
    end: Annotated[Timestamp | None, QUERY] = Field(
        None, description="ISO-8601 or Unix; default now."
    )
    res: Annotated[
        Literal["hours", "days", "weeks", "months"],
        BeforeValidator(lambda v: RESOLUTION_ALIASES.get(v, v) if isinstance(v, str) else v),
        QUERY,
    ] = Field("days", description="Period length.")
    tz: Annotated[str | None, QUERY, AfterValidator(_known_tz)] = Field(
        None, description="IANA time zone for periods; default US Eastern."
    )
    type: Annotated[
        Channel | None,
        QUERY,
    ] = Field(None, description="Only this channel; default all.")
    series: Annotated[bool, LOCAL] = Field(False, description="Also return the per-period series.")

    @model_validator(mode="after")
    def _window(self) -> CampaignMetricsArgs:
        if self.end is None:
            self.end = int(time.time())
        if self.start is None:
            self.start = self.end - DEFAULT_WINDOW_DAYS * 86400
        if self.start >= self.end:
            raise ValueError("start must be before end")
        if self.end - self.start > MAX_SPAN:
            raise ValueError("the window may span at most 10 years")
        return self


class CampaignMetricsResult(Result):
    campaign_id: int
    start: datetime
    end: datetime
    res: str
    periods: int
    totals: dict[str, int]
    rates: dict[str, float]
    series: dict[str, list[int]]
    show_series: SkipJsonSchema[bool] = Field(False, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: CampaignMetricsArgs) -> CampaignMetricsResult:
        raw = ((payload or {}).get("metric") or {}).get("series") or {}
        series: dict[str, list[int]] = {
            key: [int(v or 0) for v in values]
            for key, values in raw.items()
            if isinstance(values, list)
        }
        totals: dict[str, int] = {key: sum(series.get(key) or [0]) for key in MAIN_METRICS}
        # Other series (failed, spammed, webhook 4xx...) only when they happened.
        totals.update({k: sum(v) for k, v in series.items() if k not in totals and any(v)})
        return cls(
            campaign_id=args.campaign_id,
            start=args.start,
            end=args.end,
            res=args.res,
            periods=max((len(v) for v in series.values()), default=0),
            totals=totals,
            rates=_rates(totals),
            series=series,
            show_series=args.series,
        )

    def for_model(self) -> Any:
        shown = self.model_dump(mode="json", exclude={"series", "show_series"})
        if self.show_series:
            shown["series"] = {k: v for k, v in self.series.items() if any(v)}
        return shown


def _rates(totals: dict[str, int]) -> dict[str, float]:
    """Customer.io's definitions: delivery over sent; open, click, conversion over delivered."""

    def ratio(part: str, whole: str) -> float:
        return round(totals[part] / totals[whole], 4) if totals[whole] else 0.0

    return {
        "delivery_rate": ratio("delivered", "sent"),
        "open_rate": ratio("opened", "delivered"),
        "click_rate": ratio("clicked", "delivered"),
        "conversion_rate": ratio("converted", "delivered"),
    }


GET_CAMPAIGN_METRICS = Operation(
    name="customerio_get_campaign_metrics",
    description=(
        "How a campaign performed over a time window: totals of sent, delivered, opened, clicked, "
        "converted, bounced and unsubscribed messages, plus delivery, open, click and conversion "
        "rates as fractions (opens, clicks and conversions over delivered). Get the campaign id "
        "from customerio_list_campaigns first."
    ),
    args_model=CampaignMetricsArgs,
    result_model=CampaignMetricsResult,
    access="read",
    method="GET",
    path="/v1/campaigns/{campaign_id}/metrics",
    operation_id="campaignMetrics",
    fixed_query={"version": "2"},
    not_found="Customer.io has no campaign {campaign_id}; list campaigns to find valid ids.",
    narrow="ask for a shorter window or a coarser res, without series",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (LIST_CAMPAIGNS, GET_CAMPAIGN_METRICS)
