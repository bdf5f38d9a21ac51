"""People: search by segment and attributes, and one person's profile, messages and segments."""

from __future__ import annotations

import json
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


class PersonAttributesResult(Result):
    customer: Person

    def view(self) -> ProfileView:
        person = self.customer
        ids = (
            person.identifiers.model_dump(exclude_none=True)
            if person.identifiers
            else {"id": person.id}
        )
        topics = _subscribed_topics(person.attributes)
        # Identifiers once (the API repeats them among the attributes); subscription topics as
        # a list rather than two strings of JSON; the deprecated `timestamps` not at all. The
        # typed result (the artifact) keeps every attribute as Customer.io gave it.
        hidden = {*ids, *(_PREFERENCES if topics is not None else ())}
        return ProfileView(
            **ids,
            unsubscribed=person.unsubscribed,
            subscribed_topics=topics,
            attributes={
                k: shown_attribute(k, v) for k, v in person.attributes.items() if k not in hidden
            },
            devices=[d.shown() for d in person.devices or []] or None,
        )


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

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    SEARCH_CUSTOMERS,
    GET_PERSON_ATTRIBUTES,
    GET_PERSON_MESSAGES,
    GET_PERSON_SEGMENTS,
)
