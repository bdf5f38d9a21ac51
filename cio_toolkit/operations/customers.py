"""People: search by segment and attributes, and one person's profile, messages, segments and
activities."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import AfterValidator, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from .._fields import LOCAL, PATH, QUERY, ArgsModel, IdText, Text, Timestamp, check_path_value
from .._filters import FILTER_DESCRIPTION, Filter
from .._operation import Operation, Result
from .._views import Page, Part, RowsPage, View
from .messages import Delivery, MessageRow

# Search customers ---------------------------------------------------------------------------------


class SearchCustomersArgs(ArgsModel):
    filter: Filter = Field(description=FILTER_DESCRIPTION)
    limit: Annotated[int, QUERY] = Field(
        50, ge=1, le=1000, description="People per page, 1 to 1000; default 50."
    )
    start: Annotated[str | None, QUERY] = Field(
        None, max_length=500, description="The previous page's `next`, for the page after it."
    )
    emails: Annotated[bool, LOCAL] = Field(
        False, description="Give [id, email, cio_id] rows instead of ids alone."
    )


class PersonIdentifiers(Result):
    email: str | None = None
    id: IdText = None
    cio_id: IdText = None


class PersonRow(NamedTuple):
    id: str
    email: str
    cio_id: str


class PeoplePage(Page):
    """Ids by default (an id is all a lookup needs, and contact details stay out of the model's
    context unless asked for); [id, email, cio_id] rows when asked."""

    columns: list[str] | None = None
    people: list[PersonRow] | None = Field(None, description="Only when emails were asked for.")
    ids: list[str] | None = None
    cio_ids: list[str] | None = Field(None, description="People with no id, by cio_id.")


class SearchCustomersResult(Result):
    identifiers: list[PersonIdentifiers] = Field(default_factory=list)
    next: str | None = None
    show_emails: SkipJsonSchema[bool] = Field(False, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: SearchCustomersArgs) -> SearchCustomersResult:
        return cls.model_validate({**payload, "show_emails": args.emails})

    def view(self) -> PeoplePage:
        # One page of matches, never their total: the API gives no count.
        page = PeoplePage(
            on_this_page=len(self.identifiers), more=bool(self.next), next=self.next or None
        )
        if self.show_emails:
            page.columns = list(PersonRow._fields)  # "" where a person has none
            page.people = [
                PersonRow(p.id or "", p.email or "", p.cio_id or "") for p in self.identifiers
            ]
            return page
        ids = [p.id for p in self.identifiers if p.id]
        without_id = [p.cio_id for p in self.identifiers if not p.id and p.cio_id]
        if ids or not without_id:
            page.ids = ids
        page.cio_ids = without_id or None
        return page


SEARCH_CUSTOMERS = Operation(
    name="customerio_search_customers",
    description=(
        "Find people by segment membership and attribute values (everyone with plan=pro in "
        "segment 4; the person with an email). Gives one page of ids (people without one under "
        "cio_ids), how many are on it, and whether more exist: pass `next` as `start` for the "
        "next page. Not a count of matches. Profiles: customerio_get_person_attributes."
    ),
    args_model=SearchCustomersArgs,
    result_model=SearchCustomersResult,
    access="read",
    method="POST",
    path="/v1/customers",
    operation_id="getPeopleFilter",
    narrow="ask for a smaller limit and page with `next`, or narrow the filter",
)


# Person attributes --------------------------------------------------------------------------------


class PersonArgs(ArgsModel):
    """One person, by any of their identifiers."""

    customer_id: Annotated[Text, PATH, AfterValidator(check_path_value)] = Field(
        max_length=254, description="The person's id, email or cio_id."
    )
    id_type: Annotated[Literal["id", "email", "cio_id", "phone"], QUERY] = Field(
        "id", description="What customer_id is (default id); email and phone only where used."
    )


PERSON_NOT_FOUND = (
    "Customer.io has no person with {id_type} {customer_id!r}; if that is an email, pass "
    "id_type='email', or search customers to find their id."
)


class DeviceShown(Part):
    """What a device says about reaching the person; not its push token or SDK details."""

    platform: str | None = None
    last_used: str | None = Field(None, description="ISO-8601 date")
    os: str | None = None
    push: bool | None = None


class Device(Result):
    id: str
    platform: str | None = None
    last_used: datetime | None = None
    attributes: dict[str, Any] | None = None

    def shown(self) -> DeviceShown:
        attributes = self.attributes or {}
        push = attributes.get("push_enabled")
        return DeviceShown(
            platform=self.platform,
            last_used=self.last_used.date().isoformat() if self.last_used else None,
            os=attributes.get("device_os"),
            push=None if push is None else str(push).lower() == "true",
        )


class Person(Result):
    id: IdText = None
    identifiers: PersonIdentifiers | None = None
    unsubscribed: bool | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    devices: list[Device] | None = None


_PREFERENCES = ("_cio_subscription_preferences_computed", "cio_subscription_preferences")


def _subscribed_topics(attributes: dict[str, Any]) -> list[str] | None:
    """The topics a person receives, from the computed preferences' stringified JSON."""
    try:
        topics = json.loads(attributes[_PREFERENCES[0]])["topics"]
        return [topic for topic, on in topics.items() if on is True]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def shown_attribute(name: str, value: Any) -> Any:
    """An attribute as a model reads it: Unix seconds in a timestamp attribute (`created_at`,
    any `*_at`, Customer.io's `_last_*`) as ISO-8601; anything else as it is."""
    if not (name.endswith("_at") or name.startswith("_last_")):
        return value
    seconds = str(value).strip()
    if not seconds.isdigit() or not 10**8 <= int(seconds) < 10**11:
        return value
    return datetime.fromtimestamp(int(seconds), timezone.utc).isoformat().replace("+00:00", "Z")


class ProfileView(View):
    email: str | None = None
    id: str | None = None
    cio_id: str | None = None
    unsubscribed: bool | None = None
    subscribed_topics: list[str] | None = None
    attributes: dict[str, Any] = Field(description="Every attribute; timestamps as ISO-8601.")
    devices: list[DeviceShown] | None = None


def profile(person: Person, only: frozenset[str] | None = None) -> ProfileView:
    """A person as the model reads them; `only` keeps just these attributes."""
    ids = (
        person.identifiers.model_dump(exclude_none=True)
        if person.identifiers
        else {"id": person.id}
    )
    topics = _subscribed_topics(person.attributes)
    if topics is not None and person.unsubscribed:
        topics = []  # unsubscribed from everything: no topic reaches them, whatever they chose
    # Identifiers once (the API repeats them among the attributes); subscription topics as
    # a list rather than two strings of JSON; the deprecated `timestamps` not at all. The
    # typed result (the artifact) keeps every attribute as Customer.io gave it.
    hidden = {*ids, *(_PREFERENCES if topics is not None else ())}
    return ProfileView(
        **ids,
        unsubscribed=person.unsubscribed,
        subscribed_topics=topics,
        attributes={
            k: shown_attribute(k, v)
            for k, v in person.attributes.items()
            if k not in hidden and (only is None or k in only)
        },
        devices=[d.shown() for d in person.devices or []] or None,
    )


class PersonAttributesResult(Result):
    customer: Person

    def view(self) -> ProfileView:
        return profile(self.customer)


GET_PERSON_ATTRIBUTES = Operation(
    name="customerio_get_person_attributes",
    description=(
        "Read one person's profile: identifiers, every attribute (as text; timestamps as "
        "ISO-8601), whether they are unsubscribed, the topics they receive, and their devices. "
        "Look a person up by id, email or cio_id (id_type); find ids with "
        "customerio_search_customers."
    ),
    args_model=PersonArgs,
    result_model=PersonAttributesResult,
    access="read",
    method="GET",
    path="/v1/customers/{customer_id}/attributes",
    operation_id="getPersonAttributes",
    not_found=PERSON_NOT_FOUND,
)


# Many people's attributes -------------------------------------------------------------------------

MAX_PEOPLE = 100


class PeopleAttributesArgs(ArgsModel):
    ids: list[Text] = Field(
        min_length=1,
        max_length=MAX_PEOPLE,
        description="Up to 100 people, all of one id_type: a search page's ids, say.",
    )
    id_type: Annotated[Literal["id", "email", "cio_id"], QUERY] = Field(
        "id", description="What the ids are (default id)."
    )
    attributes: Annotated[list[Text] | None, LOCAL] = Field(
        None, max_length=50, description="Only these attributes of each; default every one."
    )


class PeopleView(View):
    count: int
    missing: list[str] | None = Field(None, description="Ids that matched nobody.")
    people: list[ProfileView]


class PersonEntry(Result):
    customer: Person


class PeopleAttributesResult(Result):
    customers: list[PersonEntry] = Field(default_factory=list)
    asked: SkipJsonSchema[list[str]] = Field(default_factory=list, exclude=True)
    id_type: SkipJsonSchema[str] = Field("id", exclude=True)
    only: SkipJsonSchema[frozenset[str] | None] = Field(None, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: PeopleAttributesArgs) -> PeopleAttributesResult:
        listed = cls.model_validate(payload)
        only = frozenset(args.attributes) if args.attributes else None
        return listed.model_copy(update={"asked": args.ids, "id_type": args.id_type, "only": only})

    def view(self) -> PeopleView:
        # The API leaves out ids that match nobody, without a word: this answer says which.
        found = {
            str(getattr(entry.customer.identifiers, self.id_type, None) or "").lower()
            for entry in self.customers
            if entry.customer.identifiers
        } | {str(entry.customer.id or "").lower() for entry in self.customers}
        missing = [i for i in self.asked if i.lower() not in found]
        return PeopleView(
            count=len(self.customers),
            missing=missing or None,
            people=[profile(entry.customer, self.only) for entry in self.customers],
        )


GET_PEOPLE_ATTRIBUTES = Operation(
    name="customerio_get_people_attributes",
    description=(
        "Read up to 100 people's profiles in one call (a search page, say): identifiers, "
        "attributes (all, or those named), unsubscribed, topics, devices; the ids that matched "
        "nobody are named."
    ),
    args_model=PeopleAttributesArgs,
    result_model=PeopleAttributesResult,
    access="read",
    method="POST",
    path="/v1/customers/attributes",
    operation_id="getPeopleById",
    narrow="ask for fewer ids, or only the attributes you need",
)


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
                _iso_seconds(a.timestamp),
                a.type or "",
                a.name or "",
                a.delivery_id or "",
                a.detail(),
            )
            for a in ordered
        ]
        return ActivitiesPage.of(rows, self.next)


def _iso_seconds(seconds: int | None) -> str:
    if not seconds:
        return ""
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat().replace("+00:00", "Z")


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
    narrow="ask for a smaller limit and page with `next`, or one type",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    SEARCH_CUSTOMERS,
    GET_PERSON_ATTRIBUTES,
    GET_PEOPLE_ATTRIBUTES,
    GET_PERSON_MESSAGES,
    GET_PERSON_SEGMENTS,
    GET_PERSON_ACTIVITIES,
)
