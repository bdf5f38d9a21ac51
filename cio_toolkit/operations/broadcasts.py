"""API-triggered broadcasts: sending one to an audience."""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator

from ..fields import (
    Accepts,
    ArgsModel,
    Audience,
    JsonObject,
    PathId,
    Text,
    is_email,
    object_from_text,
)
from ..filters import Filter
from ..operation import Operation, Result

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


class TriggerBroadcastResult(Result):
    id: int


TRIGGER_BROADCAST = Operation(
    name="customerio_trigger_broadcast",
    description=(
        "Send an API-triggered broadcast now: to the audience set up in Customer.io, or to one "
        "audience given here (recipients, emails, ids, per_user_data or data_file_url; the "
        "others null). It messages real people, possibly thousands, and cannot be undone; at "
        "most one trigger per 10 seconds. Returns the trigger id: "
        "customerio_get_broadcast_trigger tells whether it ran and which recipients failed."
    ),
    args_model=TriggerBroadcastArgs,
    result_model=TriggerBroadcastResult,
    access="write",
    method="POST",
    path="/v1/campaigns/{broadcast_id}/triggers",
    operation_id="triggerBroadcast",
    pace="trigger",
    not_found="Customer.io has no broadcast {broadcast_id}; check the API-triggered broadcast id.",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (TRIGGER_BROADCAST,)
