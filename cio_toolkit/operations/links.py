"""Link clicks: which links of a campaign, broadcast, newsletter or transactional message got
clicked, most first, over a stated window."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, NamedTuple

from pydantic import Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from .._fields import LOCAL, QUERY, PositiveId
from .._operation import Operation, Result
from .._views import Table
from .metrics import StepsWindowArgs, Window, steps_span
from .senders import SENDER_IDS, at_each_sender, sender_named, senders_given


class LinkMetricsArgs(StepsWindowArgs):
    # Exactly one object, each sent in its own variant's path.
    campaign_id: Annotated[PositiveId | None, LOCAL] = Field(
        None, description="A campaign's links."
    )
    broadcast_id: Annotated[PositiveId | None, LOCAL] = Field(None, description="A broadcast's.")
    newsletter_id: Annotated[PositiveId | None, LOCAL] = Field(None, description="A newsletter's.")
    transactional_id: Annotated[PositiveId | None, LOCAL] = Field(
        None, description="A transactional message's."
    )
    unique: Annotated[bool | None, QUERY] = Field(
        None, description="Count each person's clicks on a link once; default every click."
    )
    limit: Annotated[int, LOCAL] = Field(
        10, ge=1, le=100, description="The most clicked this many links; default 10."
    )
    # Link metrics come per link, never per period here.
    series: Annotated[SkipJsonSchema[bool], LOCAL] = False

    @model_validator(mode="after")
    def _one_object(self) -> LinkMetricsArgs:
        given = senders_given(self)
        if len(given) != 1:
            named = given[1] if given else SENDER_IDS[0]
            raise ValueError(f"{named}: give exactly one of {', '.join(SENDER_IDS)}")
        return self

    def measured(self) -> str:
        """Whose links: `newsletter 204`."""
        return sender_named(self) or ""


class LinkSeries(Result):
    clicked: list[int] = Field(default_factory=list)
    human_clicked: list[int] | None = None
    machine_clicked: list[int] | None = None


class LinkMetric(Result):
    series: LinkSeries = Field(default_factory=LinkSeries)


class Link(Result):
    id: int | None = None
    href: str | None = None


class LinkClicks(Result):
    link: Link = Field(default_factory=Link)
    metric: LinkMetric = Field(default_factory=LinkMetric)


class LinkRow(NamedTuple):
    href: str
    clicked: int
    # "" where the answer does not split clicks so (older messages: reliable from 2025-04-20).
    human_clicked: int | str
    machine_clicked: int | str


class LinksView(Table):
    measured: str
    window: Window
    unique: bool
    fewer: int | None = Field(None, description="Only when the limit left links out: how many.")
    links: list[LinkRow]


def _total(values: list[int] | None) -> int | str:
    return "" if values is None else sum(int(v or 0) for v in values)


class LinkMetricsResult(Result):
    links: list[LinkClicks] = Field(default_factory=list)
    measured: SkipJsonSchema[str] = Field("", exclude=True)
    start: SkipJsonSchema[datetime | None] = Field(None, exclude=True)
    end: SkipJsonSchema[datetime | None] = Field(None, exclude=True)
    tz: SkipJsonSchema[str] = Field("", exclude=True)
    period: SkipJsonSchema[str] = Field("", exclude=True)
    periods: SkipJsonSchema[int] = Field(0, exclude=True)
    note: SkipJsonSchema[str | None] = Field(None, exclude=True)
    unique: SkipJsonSchema[bool] = Field(False, exclude=True)
    limit: SkipJsonSchema[int] = Field(10, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: LinkMetricsArgs) -> LinkMetricsResult:
        listed = cls.model_validate(payload)
        lengths = [len(link.metric.series.clicked) for link in listed.links]
        span = steps_span(args, max(lengths, default=0))
        span["period"] = span.pop("res")
        return listed.model_copy(
            update={"measured": args.measured(), "unique": bool(args.unique),
                    "limit": args.limit, **span}
        )  # fmt: skip

    def view(self) -> LinksView:
        # The documents promise totals but answer series only: each link's total is their sum.
        rows = sorted(
            (
                LinkRow(
                    link.link.href or "",
                    sum(int(v or 0) for v in link.metric.series.clicked),
                    _total(link.metric.series.human_clicked),
                    _total(link.metric.series.machine_clicked),
                )
                for link in self.links
            ),
            key=lambda row: (-row.clicked, row.href),
        )
        shown = rows[: self.limit]
        assert self.start is not None and self.end is not None
        window = Window(
            start=self.start.isoformat(timespec="seconds"),
            end=self.end.isoformat(timespec="seconds"),
            tz=self.tz,
            period=self.period,
            periods=self.periods,
            note=self.note,
        )
        return LinksView.of(
            shown,
            measured=self.measured,
            window=window,
            unique=self.unique,
            fewer=len(rows) - len(shown) or None,
        )


_LINKS: dict[str, Any] = dict(
    name="customerio_get_link_metrics",
    description=(
        "Which links were clicked, most first, in a campaign, broadcast, newsletter or "
        "transactional message (give one), over the last N days or since a date: each link's "
        "clicks, human and machine. The answer states the window, in whole US Eastern periods; "
        "a message with no links, or none clicked, lists none."
    ),
    args_model=LinkMetricsArgs,
    result_model=LinkMetricsResult,
    access="read",
    method="GET",
    narrow="ask for a smaller limit or a coarser period",
)
GET_LINK_METRICS: Operation[LinkMetricsArgs, LinkMetricsResult] = Operation(
    path="/v1/campaigns/{campaign_id}/metrics/links",
    operation_id="campaignLinkMetrics",
    not_found="Customer.io has no campaign {campaign_id}; list campaigns to find valid ids.",
    # The campaign's path is taken when no other object is given (one always is).
    variants=at_each_sender(
        "/metrics/links",
        {
            "broadcast_id": "broadcastLinks",
            "newsletter_id": "getNewsletterLinks",
            "transactional_id": "transactionalLinks",
        },
        **_LINKS,
    ),
    **_LINKS,
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (GET_LINK_METRICS,)
