"""The eight Customer.io operations: arguments, results and HTTP call, each declared once here."""

from __future__ import annotations

import json
import time
from datetime import datetime
from email.utils import getaddresses
from functools import lru_cache
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from .fields import (
    LOCAL,
    PATH,
    QUERY,
    ArgsModel,
    PositiveId,
    Text,
    Timestamp,
    check_path_value,
    is_email,
)
from .filters import FILTER_DESCRIPTION, Filter
from .operation import Operation, Result

PathId = Annotated[PositiveId, PATH]
# Customer.io answers some ids as integers where its schema says strings; keep them as text.
IdText = Annotated[str | None, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]


# 1. Search customers ----------------------------------------------------------------------------


class SearchCustomersArgs(ArgsModel):
    filter: Filter = Field(description=FILTER_DESCRIPTION)
    limit: Annotated[int, QUERY] = Field(50, ge=1, le=1000, description="Page size, at most 1000.")
    start: Annotated[str | None, QUERY] = Field(
        None, max_length=500, description="The `next` cursor of the previous page."
    )
    emails: Annotated[bool, LOCAL] = Field(
        False, description="Return [id, email, cio_id] rows instead of ids."
    )


class PersonIdentifiers(Result):
    email: str | None = None
    id: IdText = None
    cio_id: IdText = None


class SearchCustomersResult(Result):
    identifiers: list[PersonIdentifiers] = Field(default_factory=list)
    next: str | None = None
    show_emails: SkipJsonSchema[bool] = Field(False, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: SearchCustomersArgs) -> SearchCustomersResult:
        return cls.model_validate({**payload, "show_emails": args.emails})

    def for_model(self) -> Any:
        # A page may hold a thousand people: ids by default (an id is all a lookup needs, and
        # contact details stay out of the model's context unless asked for), rows on request.
        page: dict[str, Any] = {"count": len(self.identifiers)}
        if self.show_emails:
            page["columns"] = ["id", "email", "cio_id"]
            page["people"] = [[p.id, p.email, p.cio_id] for p in self.identifiers]
        else:
            ids = [p.id for p in self.identifiers if p.id]
            without_id = [p.cio_id for p in self.identifiers if not p.id]
            if ids or not without_id:
                page["ids"] = ids
            if without_id:
                page["cio_ids"] = without_id  # people with no id, to look up by cio_id
        if self.next:
            page["next"] = self.next
        return page


SEARCH_CUSTOMERS = Operation(
    name="customerio_search_customers",
    description=(
        "Find people in the Customer.io workspace by segment membership and attribute values "
        "(e.g. everyone with plan=pro in segment 4, or the person with a given email). Returns "
        "their ids (people without one under cio_ids); use customerio_get_person_attributes for "
        "a profile. If the answer has `next`, pass it as `start` for the next page."
    ),
    args_model=SearchCustomersArgs,
    result_model=SearchCustomersResult,
    access="read",
    method="POST",
    path="/v1/customers",
)


# 2. List campaigns ------------------------------------------------------------------------------


class NoArgs(ArgsModel):
    pass


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
)


# 3. Campaign metrics ----------------------------------------------------------------------------

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
    fixed_query={"version": "2"},
    not_found="Customer.io has no campaign {campaign_id}; list campaigns to find valid ids.",
)


# 4. Person attributes ---------------------------------------------------------------------------


class PersonAttributesArgs(ArgsModel):
    customer_id: Annotated[str, PATH, AfterValidator(check_path_value)] = Field(
        min_length=1, max_length=254, description="The person's id, email or cio_id."
    )
    id_type: Annotated[Literal["id", "email", "cio_id", "phone"], QUERY] = Field(
        "id", description="What customer_id is; email/phone only if the workspace uses them."
    )


class Device(Result):
    id: str
    platform: str | None = None
    last_used: datetime | None = None
    attributes: dict[str, Any] | None = None

    def for_model(self) -> Any:
        # What a device says about reaching the person; not its push token or SDK details.
        shown: dict[str, Any] = {"platform": self.platform}
        if self.last_used:
            shown["last_used"] = self.last_used.date().isoformat()
        attributes = self.attributes or {}
        if "device_os" in attributes:
            shown["os"] = attributes["device_os"]
        if "push_enabled" in attributes:
            shown["push"] = str(attributes["push_enabled"]).lower() == "true"
        return shown


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


class PersonAttributesResult(Result):
    customer: Person

    def for_model(self) -> Any:
        person = self.customer
        ids = person.identifiers.for_model() if person.identifiers else {"id": person.id}
        topics = _subscribed_topics(person.attributes)
        # Identifiers once (the API repeats them among the attributes); subscription topics as
        # an object rather than two strings of JSON; the deprecated `timestamps` not at all.
        hidden = {*ids, *(_PREFERENCES if topics is not None else ())}
        profile: dict[str, Any] = {
            **ids,
            "unsubscribed": person.unsubscribed,
            "subscribed_topics": topics,
            "attributes": {k: v for k, v in person.attributes.items() if k not in hidden},
            "devices": [d.for_model() for d in person.devices or []] or None,
        }
        return {k: v for k, v in profile.items() if v is not None}


GET_PERSON_ATTRIBUTES = Operation(
    name="customerio_get_person_attributes",
    description=(
        "Read one person's profile: identifiers, every attribute (values come back as text), "
        "whether they are unsubscribed, and their devices. Look a person up by id, email or "
        "cio_id (set id_type); find ids with customerio_search_customers."
    ),
    args_model=PersonAttributesArgs,
    result_model=PersonAttributesResult,
    access="read",
    method="GET",
    path="/v1/customers/{customer_id}/attributes",
    not_found=(
        "Customer.io has no person with {id_type} {customer_id!r}; if that is an email, pass "
        "id_type='email', or search customers to find their id."
    ),
)


# 5. Transactional messages ----------------------------------------------------------------------


class TransactionalMessage(Result):
    id: int
    name: str | None = None
    description: str | None = None
    send_to_unsubscribed: bool | None = None
    link_tracking: bool | None = None
    open_tracking: bool | None = None
    hide_message_body: bool | None = None
    queue_drafts: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ListTransactionalResult(Result):
    messages: list[TransactionalMessage] = Field(default_factory=list)

    def for_model(self) -> Any:
        return {"count": len(self.messages), "messages": [m.for_model() for m in self.messages]}


LIST_TRANSACTIONAL_MESSAGES = Operation(
    name="customerio_list_transactional_messages",
    description=(
        "List the transactional message templates (receipts, password resets...) with their ids "
        "and settings. Use it to find the transactional_message_id for "
        "customerio_send_transactional_email."
    ),
    args_model=NoArgs,
    result_model=ListTransactionalResult,
    access="read",
    method="GET",
    path="/v1/transactional",
)


# 6. Trigger broadcast ---------------------------------------------------------------------------

MAX_AUDIENCE = 10_000
MAX_DATA_BYTES = 50_000
AUDIENCE_MODES = ("recipients", "emails", "ids", "per_user_data", "data_file_url")


def _small_data(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is not None and len(json.dumps(data, separators=(",", ":")).encode()) > MAX_DATA_BYTES:
        raise ValueError(f"must be at most {MAX_DATA_BYTES:,} bytes as JSON")
    return data


def _emails(values: list[str] | None) -> list[str] | None:
    bad = [i for i, v in enumerate(values or []) if not is_email(v)]
    if bad:
        raise ValueError(f"not an email address at positions {bad[:5]}")
    return values


class PerUserData(ArgsModel):
    id: Text | None = None
    email: str | None = None
    data: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one_identifier(self) -> PerUserData:
        if (self.id is None) == (self.email is None):
            raise ValueError("give exactly one of id or email")
        if self.email is not None and not is_email(self.email):
            raise ValueError("email is not an email address")
        return self


class TriggerBroadcastArgs(ArgsModel):
    broadcast_id: PathId = Field(description="The API-triggered broadcast's id.")
    data: Annotated[dict[str, Any] | None, AfterValidator(_small_data)] = Field(
        None, description="Liquid data for the message, {{trigger.key}}; at most 50,000 bytes."
    )
    recipients: Filter | None = Field(None, description="Audience as a filter (see search).")
    emails: Annotated[list[str] | None, AfterValidator(_emails)] = Field(
        None, min_length=1, max_length=MAX_AUDIENCE, description="Existing people's emails."
    )
    ids: list[Text] | None = Field(
        None, min_length=1, max_length=MAX_AUDIENCE, description="Existing people's ids."
    )
    per_user_data: list[PerUserData] | None = Field(
        None, min_length=1, max_length=MAX_AUDIENCE, description="[{id or email, data}]."
    )
    data_file_url: str | None = Field(
        None, pattern=r"^https?://\S+$", max_length=2048, description="JSON-lines file URL."
    )
    email_ignore_missing: bool | None = None
    email_add_duplicates: bool | None = None
    id_ignore_missing: bool | None = None

    @model_validator(mode="after")
    def _one_audience(self) -> TriggerBroadcastArgs:
        given = [mode for mode in AUDIENCE_MODES if getattr(self, mode) is not None]
        if len(given) > 1:
            raise ValueError(
                f"give at most one audience ({', '.join(AUDIENCE_MODES)}); got {', '.join(given)}"
            )
        return self


class TriggerBroadcastResult(Result):
    id: int


TRIGGER_BROADCAST = Operation(
    name="customerio_trigger_broadcast",
    description=(
        "Send an API-triggered broadcast now. This messages real people and cannot be undone. "
        "Give at most one audience (recipients filter, emails, ids, per_user_data or "
        "data_file_url); none sends to the audience set up in Customer.io. Returns the trigger id. "
        "Limited to one trigger per 10 seconds."
    ),
    args_model=TriggerBroadcastArgs,
    result_model=TriggerBroadcastResult,
    access="write",
    method="POST",
    path="/v1/campaigns/{broadcast_id}/triggers",
    pace="trigger",
    not_found="Customer.io has no broadcast {broadcast_id}; check the API-triggered broadcast id.",
)


# 7. List segments -------------------------------------------------------------------------------


class Segment(Result):
    id: int
    name: str | None = None
    description: str | None = None
    state: str | None = None
    progress: int | None = None
    type: str | None = None
    tags: list[str] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ListSegmentsResult(Result):
    segments: list[Segment] = Field(default_factory=list)

    def for_model(self) -> Any:
        return {"count": len(self.segments), "segments": [s.for_model() for s in self.segments]}


LIST_SEGMENTS = Operation(
    name="customerio_list_segments",
    description=(
        "List the workspace's segments (manual and dynamic) with ids, names and build state. Use "
        'a segment id in a search filter {"segment":{"id":N}} or a broadcast\'s recipients.'
    ),
    args_model=NoArgs,
    result_model=ListSegmentsResult,
    access="read",
    method="GET",
    path="/v1/segments",
)


# 8. Send transactional email --------------------------------------------------------------------

MAX_RECIPIENTS = 15
MAX_SEND_AHEAD = 90 * 86400


@lru_cache(maxsize=1024)
def addresses(value: str | None) -> tuple[str, ...]:
    """The addresses in a header value (display names dropped).

    Cached: the standard library's parser is slow, and every send reads `to` several times.
    """
    return tuple(addr for _, addr in getaddresses([value])) if value else ()


class Identifiers(ArgsModel):
    id: Text | None = None
    email: str | None = None
    cio_id: Text | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Identifiers:
        if sum(v is not None for v in (self.id, self.email, self.cio_id)) != 1:
            raise ValueError("give exactly one of id, email or cio_id")
        return self


class SendEmailArgs(ArgsModel):
    transactional_message_id: int | str | None = Field(
        None, description="Template id or trigger name, from list_transactional_messages."
    )
    to: str = Field(description="Recipient(s), comma-separated.")
    identifiers: Identifiers | None = Field(
        None, description="The person it is for: one of id, email, cio_id. Default: email of to."
    )
    message_data: dict[str, Any] | None = Field(None, description="Liquid data for the template.")
    from_: str | None = Field(None, alias="from", description="Verified sender address.")
    subject: str | None = None
    body: str | None = Field(None, description="HTML body; overrides the template's.")
    body_plain: str | None = None
    preheader: str | None = None
    reply_to: str | None = None
    cc: str | None = None
    bcc: str | None = None
    send_at: Timestamp | None = Field(None, description="Schedule (ISO-8601), up to 90 days.")
    language: str | None = None
    queue_draft: bool | None = Field(None, description="Hold as a draft instead of sending.")
    # Off unless a program asks: Customer.io's own default (true) would mail unsubscribed people.
    send_to_unsubscribed: SkipJsonSchema[bool] = False
    tracked: SkipJsonSchema[bool | None] = None
    disable_message_retention: SkipJsonSchema[bool | None] = None
    disable_css_preprocessing: SkipJsonSchema[bool | None] = None
    fake_bcc: SkipJsonSchema[bool | None] = None
    body_amp: SkipJsonSchema[str | None] = None
    attachments: SkipJsonSchema[dict[str, str] | None] = None
    headers: SkipJsonSchema[dict[str, str] | None] = None

    @field_validator("to", "cc", "bcc", "reply_to", "from_")
    @classmethod
    def _addresses_valid(cls, value: str | None) -> str | None:
        if value is not None and not all(is_email(a) for a in addresses(value) or [""]):
            raise ValueError("must be email addresses, comma-separated, display names optional")
        return value

    @model_validator(mode="after")
    def _send_rules(self) -> SendEmailArgs:
        count = sum(len(addresses(v)) for v in (self.to, self.cc, self.bcc))
        if count > MAX_RECIPIENTS:
            raise ValueError(f"at most {MAX_RECIPIENTS} recipients across to, cc and bcc")
        if self.transactional_message_id is None:
            missing = [k for k in ("subject", "body", "from_") if not getattr(self, k)]
            if missing:
                names = ", ".join(m.rstrip("_") for m in missing)
                raise ValueError(f"without transactional_message_id, give {names}")
        if self.identifiers is None:
            if not is_email(self.to):
                raise ValueError("identifiers is required when to is not one plain email address")
            self.identifiers = Identifiers(email=self.to)
        if self.send_at is not None and self.send_at > time.time() + MAX_SEND_AHEAD:
            raise ValueError("send_at may be at most 90 days ahead")
        return self


class SendEmailResult(Result):
    delivery_id: str
    queued_at: datetime | None = None
    send_at: datetime | None = None


SEND_TRANSACTIONAL_EMAIL = Operation(
    name="customerio_send_transactional_email",
    description=(
        "Send one transactional email now (a receipt, a reset link, a one-to-one note), usually "
        "from a template found with customerio_list_transactional_messages. Without a template "
        "give subject, body and from. This emails a real person and cannot be undone; it is "
        "never retried once it may have reached Customer.io. Returns the delivery id."
    ),
    args_model=SendEmailArgs,
    result_model=SendEmailResult,
    access="write",
    method="POST",
    path="/v1/send/email",
    pace="send",
    not_found=(
        "Customer.io has no transactional message {transactional_message_id!r}; list "
        "transactional messages to find valid ids."
    ),
)


OPERATIONS: tuple[Operation[Any, Any], ...] = (
    SEARCH_CUSTOMERS,
    LIST_CAMPAIGNS,
    GET_CAMPAIGN_METRICS,
    GET_PERSON_ATTRIBUTES,
    LIST_TRANSACTIONAL_MESSAGES,
    TRIGGER_BROADCAST,
    LIST_SEGMENTS,
    SEND_TRANSACTIONAL_EMAIL,
)
REGISTRY: dict[str, Operation[Any, Any]] = {op.name: op for op in OPERATIONS}
