"""Triggering an API-triggered broadcast, what became of a trigger, and a broadcast's triggers."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal, NamedTuple

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic.json_schema import SkipJsonSchema

from .._fields import (
    LOCAL,
    QUERY,
    Accepts,
    ArgsModel,
    Audience,
    JsonObject,
    PathId,
    Text,
    is_email,
    object_from_text,
)
from .._filters import Filter
from .._operation import Operation, Result
from .._views import Check, IsoTime, Table, View, iso_moment

# Trigger broadcast --------------------------------------------------------------------------------

MAX_AUDIENCE = 10_000
MAX_DATA_BYTES = 50_000
AUDIENCE_MODES = ("recipients", "emails", "ids", "per_user_data", "data_file_url")


def _small_data(data: dict[str, Any] | None) -> dict[str, Any] | None:
    size = len(json.dumps(data, separators=(",", ":")).encode(errors="surrogatepass"))
    if data is not None and size > MAX_DATA_BYTES:
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
    data: JsonObject = None

    @model_validator(mode="after")
    def _one_identifier(self) -> PerUserData:
        if (self.id is None) == (self.email is None):
            raise ValueError("give exactly one of id or email")
        if self.email is not None and not is_email(self.email):
            raise ValueError("email is not an email address")
        return self


class TriggerBroadcastArgs(ArgsModel):
    # A broadcast names its audience in bulk: the toolkit's cap on recipients named inline
    # applies to it (see guardrails).
    names_bulk_audience: ClassVar[bool] = True

    broadcast_id: PathId = Field(
        description="The API-triggered broadcast, from customerio_list_broadcasts."
    )
    data: Annotated[JsonObject, AfterValidator(_small_data)] = Field(
        None,
        description="Liquid data every message reads as {{trigger.key}}: a JSON object as "
        "text, at most 50,000 bytes.",
    )
    # The filter grammar is spelled out in customerio_search_customers's schema; spelling it
    # out again here would cost ~5 KB of every turn's definitions.
    recipients: Annotated[
        Filter | None,
        BeforeValidator(object_from_text),
        WithJsonSchema({"type": "string"}),
        Accepts("filters.Filter | Mapping[str, Any] | str | None"),
    ] = Field(
        None,
        description="Audience: people matching a filter, as JSON text in the grammar of "
        'customerio_search_customers\'s filter, e.g. {"segment":{"id":4}}.',
    )
    emails: Annotated[list[str] | None, AfterValidator(_emails)] = Field(
        None,
        min_length=1,
        max_length=MAX_AUDIENCE,
        description="Audience: people by email, one or more.",
    )
    ids: list[Text] | None = Field(
        None,
        min_length=1,
        max_length=MAX_AUDIENCE,
        description="Audience: people by id, one or more.",
    )
    per_user_data: list[PerUserData] | None = Field(
        None,
        min_length=1,
        max_length=MAX_AUDIENCE,
        description="Audience with each person's own data, one or more: [{id or email, data}], "
        "data a JSON object as text.",
    )
    data_file_url: str | None = Field(
        None,
        pattern=r"^https?://\S+$",
        max_length=2048,
        description="Audience from a JSON-lines file at this URL.",
    )
    email_ignore_missing: bool | None = Field(
        None, description="With emails: skip addresses no person has, instead of failing."
    )
    email_add_duplicates: bool | None = Field(
        None, description="With emails: message every person sharing an address."
    )
    id_ignore_missing: bool | None = Field(
        None, description="With ids: skip ids no person has, instead of failing."
    )

    @model_validator(mode="after")
    def _one_audience(self) -> TriggerBroadcastArgs:
        given = [mode for mode in AUDIENCE_MODES if getattr(self, mode) is not None]
        if len(given) > 1:
            raise ValueError(
                f"give at most one audience ({', '.join(AUDIENCE_MODES)}); got {', '.join(given)}"
            )
        return self

    def audience(self) -> Audience:
        """The audience mode given (`default`: the one set up in Customer.io) and who it names."""
        broadcast = str(self.broadcast_id)
        if self.emails is not None:
            return Audience("emails", tuple(self.emails), True, True, broadcast)
        if self.ids is not None:
            return Audience("ids", tuple(self.ids), False, True, broadcast)
        if self.per_user_data is not None:
            named = tuple(user.email or user.id or "" for user in self.per_user_data)
            by_email = all(user.email for user in self.per_user_data)
            return Audience("per_user_data", named, by_email, True, broadcast)
        mode = next((m for m in AUDIENCE_MODES if getattr(self, m) is not None), "default")
        return Audience(mode, (), False, True, broadcast)


class TriggeredView(View):
    id: int = Field(description="The trigger's id.")
    check: Check
    skipped: str | None = Field(None, description="Only when unknown people are skipped.")


# Customer.io skips the people a trigger names who do not exist, with these flags, and keeps
# no record of whom: the profiles tool says which of them match nobody.
SKIPPED = (
    "{named} that match nobody are skipped, with no record of which: "
    "customerio_get_people_attributes{id_type} lists them as missing."
)


class TriggerBroadcastResult(Result):
    id: int
    broadcast_id: SkipJsonSchema[int] = Field(0, exclude=True)  # the argument, for `check`
    skipped: SkipJsonSchema[str | None] = Field(None, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: TriggerBroadcastArgs) -> TriggerBroadcastResult:
        skipped = None
        if args.ids is not None and args.id_ignore_missing:
            skipped = SKIPPED.format(named="Ids", id_type="")
        elif args.emails is not None and args.email_ignore_missing:
            skipped = SKIPPED.format(named="Emails", id_type=" (id_type email)")
        return cls.model_validate(
            {**payload, "broadcast_id": args.broadcast_id, "skipped": skipped}
        )

    def view(self) -> TriggeredView:
        # The trigger is queued, not done: the answer names the call that says how it went.
        check = {"broadcast_id": self.broadcast_id, "trigger_id": self.id}
        return TriggeredView(
            id=self.id,
            check=Check(tool=GET_BROADCAST_TRIGGER.name, arguments=check),
            skipped=self.skipped,
        )


TRIGGER_BROADCAST = Operation(
    name="customerio_trigger_broadcast",
    description=(
        "Send an API-triggered broadcast now: to the audience set up in Customer.io, or to one "
        "audience given here (recipients, emails, ids, per_user_data or data_file_url; the "
        "others null). It messages real people, possibly thousands, and cannot be undone; at "
        "most one trigger per 10 seconds. Returns the trigger id, for "
        "customerio_get_broadcast_trigger: did it run, which recipients failed."
    ),
    args_model=TriggerBroadcastArgs,
    result_model=TriggerBroadcastResult,
    access="write",
    method="POST",
    path="/v1/campaigns/{broadcast_id}/triggers",
    operation_id="triggerBroadcast",
    pace="trigger",
    checks=("customerio_list_broadcasts", "customerio_get_broadcast_trigger"),
    not_found="Customer.io has no broadcast {broadcast_id}; check the API-triggered broadcast id.",
    # Per-line audience errors fail the whole trigger, and name it (the 422's documented detail).
    unprocessable=(
        "Nothing was sent. customerio_get_broadcast_trigger, with broadcast_id {broadcast_id} "
        "and the trigger id named above, lists the recipients it could not use."
    ),
    # A lost answer loses the trigger id too: the broadcast's triggers show whether one was
    # made just now.
    verify=(
        "before triggering it again, see whether it was made: customerio_list_broadcast_triggers "
        "for broadcast {broadcast_id} lists its triggers, newest first, and "
        "customerio_get_broadcast_metrics with days 1 counts today's sends."
    ),
)


# A trigger's status and errors ----------------------------------------------------------------

# Error lines fetched with a trigger's status: one page, the rest by `next`.
ERRORS_PAGE = 100


def _no_time_yet(value: Any) -> Any:
    # A queued trigger has no processing time: absent, or 0 (inferred: the document is silent).
    return None if value in (0, "0", "") else value


class TriggerArgs(ArgsModel):
    broadcast_id: PathId = Field(description="The broadcast that was triggered.")
    trigger_id: PathId = Field(description="The id the trigger returned (or an error named).")
    start: Annotated[str | None, LOCAL] = Field(
        None, max_length=50, description="The previous answer's `next`, for the errors after it."
    )


class TriggerErrorsArgs(ArgsModel):
    broadcast_id: PathId
    trigger_id: PathId
    start: Annotated[str | None, QUERY] = None


class TriggerErrorsResult(Result):
    errors: list[str] = Field(default_factory=list)
    # An offset in the document's answer, a string where the request takes it.
    next: Annotated[str | None, BeforeValidator(lambda v: None if v in (None, "") else str(v))] = (
        None
    )


class TriggerView(View):
    trigger_id: int
    broadcast_id: int | None = None
    state: Literal["queued", "processed"]
    created_at: IsoTime | None = None
    processed_at: IsoTime | None = None
    # One page of error lines: how many it holds, and whether more follow.
    errors_on_this_page: int
    more_errors: bool
    next: str | None = Field(None, description="Pass as `start` for the errors after these.")
    errors: list[str]
    note: str | None = Field(None, description="Only with errors: what they mean.")


# The documents: a trigger naming people who do not exist "will fail by default", unless made
# with email_ignore_missing or id_ignore_missing, which skip them.
WITH_ERRORS = (
    "Processed is not sent: a trigger whose audience named people who do not exist sent "
    "nothing, unless it was made with id_ignore_missing or email_ignore_missing. These lines "
    "name them."
)


class TriggerResult(Result):
    id: int
    broadcast_id: int | None = None
    created_at: datetime | None = None
    processed_at: Annotated[datetime | None, BeforeValidator(_no_time_yet)] = None
    errors: list[str] = Field(default_factory=list)
    next: str | None = None

    def joined(self, part: Result) -> TriggerResult:
        assert isinstance(part, TriggerErrorsResult)
        return self.model_copy(update={"errors": part.errors, "next": part.next})

    def view(self) -> TriggerView:
        return TriggerView(
            trigger_id=self.id,
            broadcast_id=self.broadcast_id,
            state="processed" if self.processed_at else "queued",
            created_at=iso_moment(self.created_at),
            processed_at=iso_moment(self.processed_at),
            errors_on_this_page=len(self.errors),
            more_errors=bool(self.next),
            next=self.next,
            errors=self.errors,
            note=WITH_ERRORS if self.errors else None,
        )


GET_BROADCAST_TRIGGER_ERRORS = Operation(
    name="customerio_get_broadcast_trigger",
    description="A trigger's error lines, one page: fetched after its status.",
    args_model=TriggerErrorsArgs,
    result_model=TriggerErrorsResult,
    access="read",
    method="GET",
    path="/v1/campaigns/{broadcast_id}/triggers/{trigger_id}/errors",
    operation_id="broadcastErrors",
    fixed_query={"limit": str(ERRORS_PAGE)},
    not_found="Customer.io has no trigger {trigger_id} of broadcast {broadcast_id}.",
)

GET_BROADCAST_TRIGGER = Operation(
    name="customerio_get_broadcast_trigger",
    description=(
        "Check a trigger after customerio_trigger_broadcast: queued or processed, when, and the "
        "recipients it could not use (error lines, a page at a time)."
    ),
    args_model=TriggerArgs,
    result_model=TriggerResult,
    access="read",
    method="GET",
    path="/v1/campaigns/{broadcast_id}/triggers/{trigger_id}",
    operation_id="broadcastStatus",
    then=(GET_BROADCAST_TRIGGER_ERRORS,),
    not_found="Customer.io has no trigger {trigger_id} of broadcast {broadcast_id}.",
    narrow="page with `next`",
)


# A broadcast's triggers ---------------------------------------------------------------------------


class ListTriggersArgs(ArgsModel):
    broadcast_id: PathId = Field(description="The broadcast, from customerio_list_broadcasts.")
    limit: Annotated[int, LOCAL] = Field(
        20, ge=1, le=200, description="The newest this many triggers; default 20."
    )


class BroadcastTrigger(Result):
    id: int
    created_at: datetime | None = None
    processed_at: Annotated[datetime | None, BeforeValidator(_no_time_yet)] = None


class TriggerRow(NamedTuple):
    id: int
    created_at: str
    state: Literal["queued", "processed"]
    processed_at: str


class TriggersView(Table):
    broadcast_id: int
    older: int | None = Field(None, description="Only when the limit left some out: how many.")
    triggers: list[TriggerRow]


class ListTriggersResult(Result):
    broadcast_id: int
    triggers: list[BroadcastTrigger] = Field(default_factory=list)
    limit: SkipJsonSchema[int] = Field(20, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: ListTriggersArgs) -> ListTriggersResult:
        return cls.model_validate(
            {**payload, "broadcast_id": args.broadcast_id, "limit": args.limit}
        )

    def view(self) -> TriggersView:
        # The API lists every trigger, in no stated order: newest first, the newest `limit`.
        newest = sorted(
            self.triggers,
            key=lambda t: (t.created_at is not None, t.created_at, t.id),
            reverse=True,
        )
        rows = [
            TriggerRow(
                t.id,
                iso_moment(t.created_at) or "",
                "processed" if t.processed_at else "queued",
                iso_moment(t.processed_at) or "",
            )
            for t in newest[: self.limit]
        ]
        older = len(self.triggers) - len(rows) or None
        return TriggersView.of(rows, broadcast_id=self.broadcast_id, older=older)


LIST_BROADCAST_TRIGGERS = Operation(
    name="customerio_list_broadcast_triggers",
    description=(
        "A broadcast's triggers, newest first: each trigger's id, when it was made, and "
        "whether it has been processed. For the trigger of a given day (its recipients' "
        "errors: customerio_get_broadcast_trigger), or whether a trigger was made at all."
    ),
    args_model=ListTriggersArgs,
    result_model=ListTriggersResult,
    access="read",
    method="GET",
    path="/v1/broadcasts/{broadcast_id}/triggers",
    operation_id="listBroadcastTriggers",
    not_found="Customer.io has no broadcast {broadcast_id}; list broadcasts to find valid ids.",
    narrow="ask for a smaller limit",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    TRIGGER_BROADCAST,
    GET_BROADCAST_TRIGGER,
    LIST_BROADCAST_TRIGGERS,
)
