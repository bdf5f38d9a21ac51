"""Campaigns compared: many campaigns' metrics over one window, in one tool call."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, NamedTuple

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from .._fields import LOCAL, ArgsModel, PositiveId
from .._operation import Collection, Operation, Result
from .._views import Table
from .campaigns import GET_CAMPAIGN_METRICS, Campaign, CampaignMetricsArgs, CampaignMetricsResult
from .metrics import Window

# Campaigns compared -------------------------------------------------------------------------------

# The most campaigns one comparison measures: each is a call, paced at 10 a second.
MAX_COMPARED = 50
Ranking = Literal[
    "open_rate", "click_rate", "delivery_rate", "conversion_rate", "sent", "delivered", "opened",
    "clicked", "converted", "bounced", "unsubscribed",
]  # fmt: skip


class CompareCampaignsArgs(CampaignMetricsArgs):
    kept_local: ClassVar[frozenset[str]] = frozenset({"start", "end", "res", "tz", "type"})
    campaign_id: SkipJsonSchema[int] = Field(0, exclude=True)  # one per campaign compared
    campaign_ids: Annotated[list[PositiveId] | None, LOCAL] = Field(
        None, min_length=1, max_length=MAX_COMPARED,
        description="These campaigns; default every campaign in state (and name).",
    )  # fmt: skip
    state: Annotated[Literal["running", "draft", "stopped"] | None, LOCAL] = Field(
        "running", description="Without campaign_ids: campaigns in this state; default running."
    )
    name: Annotated[str | None, LOCAL] = Field(
        None, max_length=200, description="Without campaign_ids: names containing this."
    )
    sort_by: Annotated[Ranking, LOCAL] = Field(
        "open_rate", description="Highest first by this; default open_rate."
    )
    series: Annotated[SkipJsonSchema[bool], LOCAL] = False

    def metrics_args(self, campaign_id: int) -> CampaignMetricsArgs:
        """One campaign's metrics over this comparison's window (already resolved)."""
        window = self.model_dump(include={"start", "end", "res", "tz", "type"}, exclude_none=True)
        return CampaignMetricsArgs.model_validate({"campaign_id": campaign_id, **window})


class Compared(NamedTuple):
    id: int
    name: str
    channels: str
    sent: int
    delivered: int
    opened: int
    clicked: int
    converted: int
    bounced: int
    unsubscribed: int
    delivery_rate: float
    open_rate: float
    click_rate: float
    conversion_rate: float


class ComparedView(Table):
    window: Window
    sort_by: str
    left_out: int | None = Field(
        None, description=f"Only when more than {MAX_COMPARED} matched: how many were not compared."
    )
    missing: list[int] | None = Field(None, description="Asked-for ids with no campaign.")
    campaigns: list[Compared]


class CompareCampaignsResult(Collection):
    campaigns: list[Campaign] = Field(default_factory=list)
    measured: SkipJsonSchema[list[CampaignMetricsResult]] = Field(
        default_factory=list, exclude=True
    )
    chosen: SkipJsonSchema[list[int]] = Field(default_factory=list, exclude=True)
    missing: SkipJsonSchema[list[int]] = Field(default_factory=list, exclude=True)
    left_out: SkipJsonSchema[int] = Field(0, exclude=True)
    window: SkipJsonSchema[Window | None] = Field(None, exclude=True)
    sort_by: SkipJsonSchema[str] = Field("open_rate", exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: CompareCampaignsArgs) -> CompareCampaignsResult:
        listed: CompareCampaignsResult = super().from_api(
            payload, args if args.campaign_ids is None else args.model_copy(
                update={"state": None, "name": None})
        )  # fmt: skip
        if args.campaign_ids is not None:
            known = {c.id for c in listed.campaigns}
            chosen = [i for i in dict.fromkeys(args.campaign_ids) if i in known]
            missing = [i for i in dict.fromkeys(args.campaign_ids) if i not in known]
        else:
            chosen, missing = sorted(c.id for c in listed.campaigns), []
        return listed.model_copy(update={
            "chosen": chosen[:MAX_COMPARED], "left_out": max(len(chosen) - MAX_COMPARED, 0),
            "missing": missing, "sort_by": args.sort_by,
        })  # fmt: skip

    def each_args(self, args: Any) -> list[ArgsModel]:
        return [args.metrics_args(i) for i in self.chosen]

    def joined(self, part: Result) -> CompareCampaignsResult:
        assert isinstance(part, CampaignMetricsResult)
        return self.model_copy(update={"measured": [*self.measured, part]})

    def view(self) -> ComparedView:
        names = {c.id: c for c in self.campaigns}
        rows = []
        for measured in self.measured:
            campaign = names[measured.campaign_id]
            totals, rate = measured.totals, measured.rates
            rows.append(Compared(
                campaign.id, campaign.name or "",
                ",".join(dict.fromkeys(a.type for a in campaign.actions or [] if a.type)),
                *(totals.get(k, 0) for k in ("sent", "delivered", "opened", "clicked",
                                             "converted", "bounced", "unsubscribed")),
                *(rate.get(k, 0.0) for k in ("delivery_rate", "open_rate", "click_rate",
                                             "conversion_rate")),
            ))  # fmt: skip
        rows.sort(key=lambda row: (-getattr(row, self.sort_by), row.id))
        first = self.measured[0].view().window if self.measured else None
        return ComparedView.of(
            rows,
            window=first or Window(start="", end="", tz="", periods=0),
            sort_by=self.sort_by,
            left_out=self.left_out or None,
            missing=self.missing or None,
            **self.unmatched(),
        )


COMPARE_CAMPAIGN_METRICS = Operation(
    name="customerio_compare_campaign_metrics",
    description=(
        "Compare many campaigns over one window in one call (the running ones by default, or "
        "those named or listed): per campaign sent, delivered, opened, clicked, converted, "
        "bounced, unsubscribed and the four rates, highest first by sort_by. A webhook's "
        "delivery rate is its share of 2xx answers; webhooks and text messages track no opens "
        f"(0 here). At most {MAX_COMPARED} campaigns."
    ),
    args_model=CompareCampaignsArgs,
    result_model=CompareCampaignsResult,
    access="read",
    method="GET",
    path="/v1/campaigns",
    operation_id="listCampaigns",
    each=GET_CAMPAIGN_METRICS,
    narrow="compare fewer campaigns (by name or campaign_ids)",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (COMPARE_CAMPAIGN_METRICS,)
