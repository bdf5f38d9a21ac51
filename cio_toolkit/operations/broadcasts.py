"""API-triggered broadcasts: sending one to an audience."""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from ..fields import ArgsModel, Audience, PathId, Text, is_email
from ..filters import Filter
from ..operation import Operation, Result

# Trigger broadcast --------------------------------------------------------------------------------

MAX_AUDIENCE = 10_000
MAX_DATA_BYTES = 50_000
AUDIENCE_MODES = ("recipients", "emails", "ids", "per_user_data", "data_file_url")


def _small_data(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if (
        data is not None
        and len(json.dumps(data, separators=(",", ":")).encode(errors="surrogatepass"))
        > MAX_DATA_BYTES
    ):
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
    operation_id="triggerBroadcast",
    pace="trigger",
    not_found="Customer.io has no broadcast {broadcast_id}; check the API-triggered broadcast id.",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (TRIGGER_BROADCAST,)
