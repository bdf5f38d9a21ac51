"""One person's history: the messages sent to them, the segments they are in, what they did."""

from __future__ import annotations

import re
from typing import Annotated, Any, NamedTuple

from pydantic import AfterValidator, Field, model_validator

from .._fields import QUERY, Timestamp
from .._operation import Operation, Result
from .._views import Part, RowsPage, View, iso_seconds
from .messages import Delivery, MessageRow
from .people import PERSON_BAD_REQUEST, PERSON_NOT_FOUND, PersonArgs

# A person's messages ------------------------------------------------------------------------------


class PersonMessagesArgs(PersonArgs):
    limit: Annotated[int, QUERY] = Field(
        10, ge=1, le=1000, description="Messages per page, 1 to 1000; default 10."
    )
    start: Annotated[str | None, QUERY] = Field(
        None, max_length=500, description="The previous page's `next`, for the page after it."
    )
    start_ts: Annotated[Timestamp | None, QUERY] = Field(
        None,
        description="Only messages created from then: ISO-8601 (UTC unless it says) or Unix; "
        "default 6 months ago.",
    )
    end_ts: Annotated[Timestamp | None, QUERY] = Field(
        None, description="Only messages created until then; default now."
    )

    @model_validator(mode="after")
    def _window(self) -> PersonMessagesArgs:
        if self.start_ts is not None and self.end_ts is not None and self.start_ts >= self.end_ts:
            raise ValueError("start_ts: must be before end_ts")
        return self


class MessagesPage(RowsPage):
    messages: list[MessageRow]


class PersonMessagesResult(Result):
    messages: list[Delivery] = Field(default_factory=list)
    next: str | None = None

    def view(self) -> MessagesPage:
        # Newest first, whatever order the page came in.
        ordered = sorted(self.messages, key=lambda m: -(m.created or 0))
        return MessagesPage.of([m.row() for m in ordered], self.next)


GET_PERSON_MESSAGES = Operation(
    name="customerio_get_person_messages",
    description=(
        "The messages sent to one person, newest first: each delivery's id, time, channel, what "
        "sent it (campaign, broadcast, newsletter or transactional), subject, state and failure. "
        "States go only as far as delivered: this list does not record opens, clicks or "
        "bounces; customerio_get_message does, per delivery. The last 6 months unless a window "
        "is given; page with `next`."
    ),
    args_model=PersonMessagesArgs,
    result_model=PersonMessagesResult,
    access="read",
    method="GET",
    path="/v1/customers/{customer_id}/messages",
    operation_id="getPersonMessages",
    not_found=PERSON_NOT_FOUND,
    bad_request=PERSON_BAD_REQUEST,
    narrow="ask for a smaller limit and page with `next`, or a shorter window",
)


# A person's segments ------------------------------------------------------------------------------


class PersonSegment(Result):
    id: int
    name: str | None = None
    description: str | None = None


class MemberOf(Part):
    id: int
    name: str | None = None
    description: str | None = None


class PersonSegmentsView(View):
    count: int
    segments: list[MemberOf]


class PersonSegmentsResult(Result):
    segments: list[PersonSegment] = Field(default_factory=list)

    def view(self) -> PersonSegmentsView:
        shown = [
            MemberOf(id=s.id, name=s.name or None, description=s.description or None)
            for s in self.segments
        ]
        return PersonSegmentsView(count=len(shown), segments=shown)


GET_PERSON_SEGMENTS = Operation(
    name="customerio_get_person_segments",
    description=(
        "The segments one person belongs to (ids, names, descriptions), by id, email or cio_id."
    ),
    args_model=PersonArgs,
    result_model=PersonSegmentsResult,
    access="read",
    method="GET",
    path="/v1/customers/{customer_id}/segments",
    operation_id="getPersonSegments",
    not_found=PERSON_NOT_FOUND,
    bad_request=PERSON_BAD_REQUEST,
)


# A person's activities ----------------------------------------------------------------------------

# The document's 117 activity types, by pattern rather than listed in the schema (~3 KB of
# every turn's definitions): a channel's message events, and the rest by name.
_CHANNELS = "action|email|in_app|push|slack|twilio|webhook|whatsapp|whatasapp|content"
ACTIVITY_TYPE = re.compile(
    rf"(attempted|bounced|clicked|converted|deferred|delivered|drafted|dropped|failed|opened"
    rf"|sent|spammed|suppressed|topic_unsubscribed|undeliverable|unsubscribed|viewed)_"
    rf"({_CHANNELS})"
    r"|event|page|screen|attribute_change|device_change|anon_merge|add_relationship"
    r"|delete_relationship|profile_(create|delete|merge)|skipped_update|webhook_event"
    r"|relationship_(failed_)?attribute_change|failed_(attribute_change|batch_update|event"
    r"|object_journeys|query_collection)|_[or]:\d+:[a-z_]+"
)


def _activity_type(value: str | None) -> str | None:
    if value is not None and not ACTIVITY_TYPE.fullmatch(value):
        raise ValueError(
            "not an activity type; e.g. event, attribute_change, page, sent_email, "
            "opened_email, clicked_email, bounced_email, unsubscribed_email"
        )
    return value


class PersonActivitiesArgs(PersonArgs):
    type: Annotated[str | None, AfterValidator(_activity_type), QUERY] = Field(
        None,
        max_length=80,
        description="Only this kind: event, attribute_change, page, sent_email, opened_email, "
        "clicked_email, bounced_email, unsubscribed_email, topic_unsubscribed_email...",
    )
    name: Annotated[str | None, QUERY] = Field(
        None, max_length=200, description="With type event or attribute_change: its name."
    )
    limit: Annotated[int, QUERY] = Field(
        20, ge=1, le=100, description="Activities per page, 1 to 100; default 20."
    )
    start: Annotated[str | None, QUERY] = Field(
        None, max_length=500, description="The previous page's `next`, for the page after it."
    )


class Activity(Result):
    id: str | None = None
    type: str | None = None
    timestamp: int | None = None
    name: str | None = None
    delivery_id: str | None = None
    delivery_type: str | None = None
    url: str | None = None
    data: dict[str, Any] | None = None

    def detail(self) -> str:
        """What the activity says beyond its type: an attribute's change, a page's URL."""
        if self.url:
            return self.url
        changes = [
            f"{key}: {change.get('from', '')!s} -> {change.get('to', '')!s}"
            for key, change in (self.data or {}).items()
            if isinstance(change, dict) and "to" in change
        ]
        return "; ".join(changes)


class ActivityRow(NamedTuple):
    at: str
    type: str
    name: str
    delivery_id: str
    detail: str


class ActivitiesPage(RowsPage):
    activities: list[ActivityRow]


class PersonActivitiesResult(Result):
    activities: list[Activity] = Field(default_factory=list)
    next: str | None = None

    def view(self) -> ActivitiesPage:
        ordered = sorted(self.activities, key=lambda a: -(a.timestamp or 0))
        rows = [
            ActivityRow(
                iso_seconds(a.timestamp),
                a.type or "",
                a.name or "",
                a.delivery_id or "",
                a.detail(),
            )
            for a in ordered
        ]
        return ActivitiesPage.of(rows, self.next)


GET_PERSON_ACTIVITIES = Operation(
    name="customerio_get_person_activities",
    description=(
        "What happened with one person, newest first: events they performed, pages, attribute "
        "changes (unsubscribed: false -> true), messages sent, opened, clicked, bounced, "
        "unsubscribes. For when she unsubscribed, or what he did last. Only the last 30 days "
        "are sure to be kept; page with `next`."
    ),
    args_model=PersonActivitiesArgs,
    result_model=PersonActivitiesResult,
    access="read",
    method="GET",
    path="/v1/customers/{customer_id}/activities",
    operation_id="getPersonActivities",
    not_found=PERSON_NOT_FOUND,
    bad_request=PERSON_BAD_REQUEST,
    narrow="ask for a smaller limit and page with `next`, or one type",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    GET_PERSON_MESSAGES,
    GET_PERSON_SEGMENTS,
    GET_PERSON_ACTIVITIES,
)
