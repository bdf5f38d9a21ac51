"""Campaigns: the list, one campaign's definition and actions, and its metrics over a window."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from .._fields import LOCAL, QUERY, ArgsModel, Moment, PathId, in_zone
from .._operation import Collection, Operation, Result
from .._views import IsoTime, Table, View, iso_moment
from .actions import ActionRow, ActionsResult, with_actions
from .metrics import (
    DEFAULT_WINDOW_DAYS,
    Channel,
    MetricsResult,
    MetricsView,
    Period,
    known_zone,
    rates,
    tally,
)

# List campaigns -----------------------------------------------------------------------------------


class ListCampaignsArgs(ArgsModel):
    name: Annotated[str | None, LOCAL] = Field(
        None, max_length=200, description="Only campaigns whose name contains this (any case)."
    )
    state: Annotated[Literal["running", "draft", "stopped"] | None, LOCAL] = Field(
        None, description="Only campaigns in this state."
    )


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
    webhook_id: int | str | None = None
    date_attribute: str | None = None


class CampaignRow(NamedTuple):
    id: int
    name: str
    state: str
    trigger: str
    # Who it is limited to, beyond its trigger: the segments people must be in.
    filters: list[int]
    channels: str
    tags: list[str]
    started: str
    updated: str
    description: str


class CampaignsTable(Table):
    campaigns: list[CampaignRow]


def _trigger(campaign: Campaign) -> str:
    if campaign.trigger_segment_ids:
        return "segment " + ",".join(map(str, campaign.trigger_segment_ids))
    if campaign.event_name:
        return f"event {campaign.event_name}"
    if campaign.webhook_id is not None:
        return f"webhook {campaign.webhook_id}"
    return f"date {campaign.date_attribute}" if campaign.date_attribute else ""


class ListCampaignsResult(Collection):
    campaigns: list[Campaign] = Field(default_factory=list)

    def view(self) -> CampaignsTable:
        rows = [
            CampaignRow(
                c.id,
                c.name or "",
                c.state or "",
                _trigger(c),
                c.filter_segment_ids or [],
                ",".join(dict.fromkeys(a.type for a in c.actions or [] if a.type)),
                c.tags or [],
                c.first_started.date().isoformat() if c.first_started else "",
                c.updated.date().isoformat() if c.updated else "",
                c.description or "",
            )
            for c in self.campaigns
        ]
        return CampaignsTable.of(rows, **self.unmatched())


LIST_CAMPAIGNS = Operation(
    name="customerio_list_campaigns",
    description=(
        "List the workspace's campaigns, one row each: id, name, state (running, draft, "
        "stopped), trigger, filter segments, channels, tags, dates. Use it to find a campaign's "
        "id, or which campaigns are running; `count` is how many match."
    ),
    args_model=ListCampaignsArgs,
    result_model=ListCampaignsResult,
    access="read",
    method="GET",
    path="/v1/campaigns",
    operation_id="listCampaigns",
    narrow="filter by name or state",
)


# One campaign -------------------------------------------------------------------------------------


class CampaignArgs(ArgsModel):
    campaign_id: PathId = Field(description="The campaign, from customerio_list_campaigns.")
    start: Annotated[str | None, LOCAL] = Field(
        None, max_length=500, description="The previous answer's `next`, for its actions after."
    )


class CampaignActionsArgs(ArgsModel):
    campaign_id: PathId
    start: Annotated[str | None, QUERY] = None


class CampaignView(View):
    id: int
    name: str | None = None
    state: str | None = None
    description: str | None = None
    trigger: str = Field(description="What starts it: a segment, an event, a webhook, a date.")
    filter_segment_ids: list[int] | None = None
    tags: list[str] | None = None
    created: IsoTime | None = None
    updated: IsoTime | None = None
    first_started: IsoTime | None = None
    next: str | None = Field(None, description="More actions: pass as start.")
    action_columns: list[str]
    actions: list[ActionRow]


class GetCampaignResult(Result):
    campaign: Campaign
    actions_page: ActionsResult = Field(default_factory=ActionsResult)

    def joined(self, part: Result) -> GetCampaignResult:
        return with_actions(self, part)  # type: ignore[no-any-return]

    def view(self) -> CampaignView:
        c = self.campaign
        return CampaignView(
            id=c.id,
            name=c.name,
            state=c.state,
            description=c.description or None,
            trigger=_trigger(c),
            filter_segment_ids=c.filter_segment_ids or None,
            tags=c.tags or None,
            created=iso_moment(c.created),
            updated=iso_moment(c.updated),
            first_started=iso_moment(c.first_started),
            next=self.actions_page.next or None,
            action_columns=list(ActionRow._fields),
            actions=[a.row() for a in self.actions_page.actions],
        )


GET_CAMPAIGN_ACTIONS = Operation(
    name="customerio_get_campaign",
    description="A campaign's actions, ten a page: fetched after its definition.",
    args_model=CampaignActionsArgs,
    result_model=ActionsResult,
    access="read",
    method="GET",
    path="/v1/campaigns/{campaign_id}/actions",
    operation_id="listCampaignActions",
    not_found="Customer.io has no campaign {campaign_id}.",
)

GET_CAMPAIGN = Operation(
    name="customerio_get_campaign",
    description=(
        "How a campaign is built: what triggers it (segment, event, webhook, date), its filter "
        "segments, state and dates, and its actions: channel, name, subject, the trigger data "
        "and profile attributes each reads, a webhook's URL and method (ten actions a page)."
    ),
    args_model=CampaignArgs,
    result_model=GetCampaignResult,
    access="read",
    method="GET",
    path="/v1/campaigns/{campaign_id}",
    operation_id="getCampaigns",
    then=(GET_CAMPAIGN_ACTIONS,),
    not_found="Customer.io has no campaign {campaign_id}; list campaigns to find valid ids.",
)


# Campaign metrics ---------------------------------------------------------------------------------

# The API also takes hourly/daily/...; accepted here, spelled one way in the schema.
RESOLUTION_ALIASES = {"hourly": "hours", "daily": "days", "weekly": "weeks", "monthly": "months"}
MAX_SPAN = 10 * 365 * 86400


class CampaignMetricsArgs(ArgsModel):
    campaign_id: PathId = Field(description="The campaign, from customerio_list_campaigns.")
    days: Annotated[int | None, LOCAL] = Field(
        None,
        ge=1,
        le=3650,
        description=f"The last N days (1 to 3650), today included; default {DEFAULT_WINDOW_DAYS}. "
        "Or give start.",
    )
    start: Annotated[Moment | None, QUERY] = Field(
        None,
        description="Window start: an ISO-8601 date (midnight in tz) or datetime, or Unix seconds.",
    )
    end: Annotated[Moment | None, QUERY] = Field(
        None, description="Window end, in the same forms; default now."
    )
    res: Annotated[
        Period,
        BeforeValidator(lambda v: RESOLUTION_ALIASES.get(v, v) if isinstance(v, str) else v),
        QUERY,
    ] = Field("days", description="Period length; default days.")
    tz: Annotated[str, QUERY, AfterValidator(known_zone)] = Field(
        "UTC", description="IANA time zone of the window's dates and the periods; default UTC."
    )
    type: Annotated[Channel | None, QUERY] = Field(
        None, description="Only this channel's messages; default every channel."
    )
    series: Annotated[bool, LOCAL] = Field(False, description="Also give each metric per period.")

    @model_validator(mode="after")
    def _days_or_start(self) -> CampaignMetricsArgs:
        if self.days is not None and self.start is not None:
            raise ValueError("days: give days or start, not both")
        return self

    def resolved(self, now: float) -> CampaignMetricsArgs:
        """The window as Unix seconds: `start` and `end` as the API takes them."""
        zone = ZoneInfo(self.tz)
        end = int(now) if self.end is None else in_zone(self.end, zone)
        if self.start is None:
            # The last N days in this zone, today's so far included: N daily periods.
            today = datetime.fromtimestamp(end, zone).date()
            first = today - timedelta(days=(self.days or DEFAULT_WINDOW_DAYS) - 1)
            start = in_zone(first.isoformat(), zone)
        else:
            start = in_zone(self.start, zone)
        if start >= end:
            raise ValueError("start must be before end")
        if end - start > MAX_SPAN:
            raise ValueError("the window may span at most 10 years")
        return self.model_copy(update={"start": start, "end": end})


class MeasuredCampaign(View):
    campaign_id: int


class CampaignMetricsView(MetricsView, MeasuredCampaign):
    pass


class CampaignMetricsResult(MetricsResult):
    campaign_id: int

    def view(self) -> CampaignMetricsView:
        return CampaignMetricsView(campaign_id=self.campaign_id, **self.measured())

    @classmethod
    def from_api(cls, payload: Any, args: CampaignMetricsArgs) -> CampaignMetricsResult:
        series, totals = tally(payload)
        zone = ZoneInfo(args.tz)
        return cls(
            campaign_id=args.campaign_id,
            start=datetime.fromtimestamp(int(args.start or 0), zone),
            end=datetime.fromtimestamp(int(args.end or 0), zone),
            tz=args.tz,
            res=args.res,
            periods=max((len(v) for v in series.values()), default=0),
            totals=totals,
            rates=rates(totals),
            series=series,
            show_series=args.series,
        )


GET_CAMPAIGN_METRICS = Operation(
    name="customerio_get_campaign_metrics",
    description=(
        "How a campaign performed over a time window: totals of sent, delivered, opened, clicked, "
        "converted, bounced and unsubscribed messages, and delivery, open, click and conversion "
        "rates (opens, clicks and conversions over delivered). The answer states its window."
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


OPERATIONS: tuple[Operation[Any, Any], ...] = (
    LIST_CAMPAIGNS,
    GET_CAMPAIGN,
    GET_CAMPAIGN_METRICS,
)
