"""Newsletters: the list, newest first, and one newsletter's metrics."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import Field

from .._fields import QUERY, ArgsModel, PathId
from .._operation import Operation, Result
from .._views import RowsPage, View
from .metrics import MetricsView, StepsMetricsResult, StepsWindowArgs

# List newsletters ---------------------------------------------------------------------------------


class ListNewslettersArgs(ArgsModel):
    limit: Annotated[int, QUERY] = Field(
        10, ge=1, le=100, description="Newsletters per page, 1 to 100; default 10."
    )
    sort: Annotated[Literal["desc", "asc"], QUERY] = Field(
        "desc", description="desc: newest first (default); asc: oldest first."
    )
    start: Annotated[str | None, QUERY] = Field(
        None, max_length=500, description="The previous page's `next`, for the page after it."
    )


class Newsletter(Result):
    id: int
    name: str | None = None
    type: str | None = None
    sent_at: datetime | None = None
    created: datetime | None = None
    tags: list[str] | None = None
    recipient_segment_ids: list[int] | None = None
    content_ids: list[int] | None = None


class NewsletterRow(NamedTuple):
    id: int
    name: str
    channel: str
    sent_at: str
    segments: list[int]
    tags: list[str]


class NewslettersPage(RowsPage):
    newsletters: list[NewsletterRow]


class ListNewslettersResult(Result):
    newsletters: list[Newsletter] = Field(default_factory=list)
    next: str | None = None

    def view(self) -> NewslettersPage:
        rows = [
            NewsletterRow(
                n.id,
                n.name or "",
                n.type or "",
                n.sent_at.isoformat().replace("+00:00", "Z") if n.sent_at else "",  # "" not sent
                n.recipient_segment_ids or [],
                n.tags or [],
            )
            for n in self.newsletters
        ]
        return NewslettersPage.of(rows, self.next)


LIST_NEWSLETTERS = Operation(
    name="customerio_list_newsletters",
    description=(
        "List newsletters (one-off sends to a segment), newest first: id, name, channel, when "
        "it was sent (empty: not yet), recipient segments, tags. Page with `next`."
    ),
    args_model=ListNewslettersArgs,
    result_model=ListNewslettersResult,
    access="read",
    method="GET",
    path="/v1/newsletters",
    operation_id="listNewsletters",
    narrow="ask for a smaller limit and page with `next`",
)


# Newsletter metrics -------------------------------------------------------------------------------

NewsletterChannel = Literal["email", "webhook", "twilio", "push", "in_app", "inbox"]


class NewsletterMetricsArgs(StepsWindowArgs):
    newsletter_id: PathId = Field(description="The newsletter, from customerio_list_newsletters.")
    type: Annotated[NewsletterChannel | None, QUERY] = Field(
        None, description="Only this channel's messages; default every channel."
    )


class MeasuredNewsletter(View):
    newsletter_id: int
    channel: str | None = None


class NewsletterMetricsView(MetricsView, MeasuredNewsletter):
    pass


class NewsletterMetricsResult(StepsMetricsResult):
    newsletter_id: int
    channel: str | None = None

    def view(self) -> NewsletterMetricsView:
        return NewsletterMetricsView(
            newsletter_id=self.newsletter_id, channel=self.channel, **self.measured()
        )

    @classmethod
    def from_api(cls, payload: Any, args: NewsletterMetricsArgs) -> NewsletterMetricsResult:
        channel = ((payload or {}).get("metric") or {}).get("type")
        return cls(
            newsletter_id=args.newsletter_id,
            channel=channel if isinstance(channel, str) else None,
            **cls.window_fields(payload, args),
        )


GET_NEWSLETTER_METRICS = Operation(
    name="customerio_get_newsletter_metrics",
    description=(
        "How a newsletter did over the last N days or since a date (say, when it was sent): "
        "sent, delivered, opened, clicked, converted, bounced, unsubscribed, and delivery, open, "
        "click and conversion rates. The answer states the window, in whole US Eastern periods."
    ),
    args_model=NewsletterMetricsArgs,
    result_model=NewsletterMetricsResult,
    access="read",
    method="GET",
    path="/v1/newsletters/{newsletter_id}/metrics",
    operation_id="getNewsletterMetrics",
    not_found="Customer.io has no newsletter {newsletter_id}; list newsletters to find valid ids.",
    narrow="ask for a coarser period, without series",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (LIST_NEWSLETTERS, GET_NEWSLETTER_METRICS)
