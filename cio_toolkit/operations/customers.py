"""People: search by segment and attributes, and profiles, one person's or a hundred's."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from .._fields import LOCAL, QUERY, ArgsModel, IdText, Text
from .._filters import FILTER_DESCRIPTION, Filter
from .._operation import Operation, Result
from .._views import Page, Part, View
from .people import PERSON_BAD_REQUEST, PERSON_NOT_FOUND, PersonArgs

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
    note: str | None = Field(None, description="Only when nothing matched: what to try.")


def _compared_values(rule: Any) -> list[tuple[str, str]]:
    """The (field, value) pairs a filter tests for equality, wherever they are in it."""
    if isinstance(rule, list):
        return [pair for item in rule for pair in _compared_values(item)]
    if not isinstance(rule, dict):
        return []
    attribute = rule.get("attribute")
    if isinstance(attribute, dict) and attribute.get("operator") == "eq":
        return [(str(attribute.get("field")), str(attribute.get("value")))]
    return [pair for value in rule.values() for pair in _compared_values(value)]


def nothing_matched(rule: Any) -> str | None:
    """What to try when a search found nobody: values match as stored, case and format
    included, and the API says nothing of a near miss."""
    compared = _compared_values(rule)
    if not compared:
        return None
    hints = []
    for field, value in compared:
        if "@" in value and value != value.lower():
            hints.append(f"{field} {value!r} matches only as stored; try {value.lower()!r}")
        elif field.lower() in ("phone", "phone_number", "mobile") and not value.startswith("+"):
            hints.append(f"{field} is matched as stored, usually E.164 (+14155550100)")
    said = "; ".join(hints) or "attribute values match exactly, case and format included"
    return (
        f"Nobody matched: {said}. For one address, customerio_get_person_attributes with "
        "id_type email; or test the attribute with exists."
    )


class SearchCustomersResult(Result):
    identifiers: list[PersonIdentifiers] = Field(default_factory=list)
    next: str | None = None
    show_emails: SkipJsonSchema[bool] = Field(False, exclude=True)
    rule: SkipJsonSchema[Any] = Field(None, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: SearchCustomersArgs) -> SearchCustomersResult:
        rule = args.filter.model_dump(mode="json", by_alias=True, exclude_none=True)
        return cls.model_validate({**payload, "show_emails": args.emails, "rule": rule})

    def view(self) -> PeoplePage:
        # One page of matches, never their total: the API gives no count.
        page = PeoplePage(
            on_this_page=len(self.identifiers),
            more=bool(self.next),
            next=self.next or None,
            note=None if self.identifiers else nothing_matched(self.rule),
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
            # A null attribute is one not set: absent, as every null is in a view.
            if k not in hidden and v is not None and (only is None or k in only)
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
    bad_request=PERSON_BAD_REQUEST,
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
    bad_request=PERSON_BAD_REQUEST,
    narrow="ask for fewer ids, or only the attributes you need",
)


OPERATIONS: tuple[Operation[Any, Any], ...] = (
    SEARCH_CUSTOMERS,
    GET_PERSON_ATTRIBUTES,
    GET_PEOPLE_ATTRIBUTES,
)
