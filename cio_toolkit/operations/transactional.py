"""Transactional messages: the templates, and sending one email."""

from __future__ import annotations

import base64
import binascii
import json
import time
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from ..fields import (
    ArgsModel,
    Audience,
    NoArgs,
    PositiveId,
    Text,
    Timestamp,
    addresses,
    is_email,
)
from ..operation import Operation, Result

# List transactional messages ----------------------------------------------------------------------


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
    operation_id="listTransactional",
)


# Send transactional email -------------------------------------------------------------------------

MAX_RECIPIENTS = 15
MAX_SEND_AHEAD = 90 * 86400
# "1 MB" besides attachments, and attachments "under 2 MB in all" (API facts, "Size limits"),
# read as decimal megabytes: the stricter reading.
MAX_SEND_BYTES = 1_000_000
MAX_ATTACHMENTS_BYTES = 2_000_000


def _attachments(value: dict[str, str] | None) -> dict[str, str] | None:
    """Base64 content under 2 MB in all, as Customer.io requires; checked before sending."""
    if value is None:
        return None
    total = 0
    for name, content in value.items():
        if not name.strip():
            raise ValueError("every attachment needs a file name")
        try:
            total += len(base64.b64decode(content, validate=True))
        except (binascii.Error, ValueError):
            raise ValueError(f"attachment {name!r} is not base64") from None
    if total > MAX_ATTACHMENTS_BYTES:
        raise ValueError(f"attachments must total under {MAX_ATTACHMENTS_BYTES:,} bytes")
    return value


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
    transactional_message_id: PositiveId | Text | None = Field(
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
    attachments: Annotated[SkipJsonSchema[dict[str, str] | None], AfterValidator(_attachments)] = (
        None
    )
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
        self._fits_one_send()
        return self

    def _fits_one_send(self) -> None:
        """At most 1 MB as JSON, attachments aside; the message names the largest field."""
        shown = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        shown.pop("attachments", None)
        sizes = {key: _json_size(value) for key, value in shown.items()}
        total = _json_size(shown)
        if total > MAX_SEND_BYTES:
            largest = max(sizes, key=lambda key: sizes[key])
            raise ValueError(
                f"{largest}: the send is {total:,} bytes as JSON ({largest} {sizes[largest]:,}); "
                f"Customer.io takes at most {MAX_SEND_BYTES:,} per send besides attachments"
            )

    def audience(self) -> Audience:
        """Everyone in to, cc and bcc, by address."""
        named = tuple(a for value in (self.to, self.cc, self.bcc) for a in addresses(value) if a)
        template = self.transactional_message_id
        return Audience(
            "to", named, by_email=True, message=None if template is None else str(template)
        )

    def unsubscribed_policy(self, allowed: bool) -> tuple[SendEmailArgs, str | None]:
        """These arguments as the program allows them, and the problem if the model overstepped.

        Only the program may email unsubscribed people: the field is hidden from the model, but a
        model may still send it.
        """
        if self.send_to_unsubscribed and not allowed:
            problem = "send_to_unsubscribed: this toolkit does not email unsubscribed people"
            return self, problem
        return self.model_copy(update={"send_to_unsubscribed": allowed}), None


def _json_size(value: Any) -> int:
    return len(
        json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(errors="surrogatepass")
    )


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
    operation_id="sendEmail",
    pace="send",
    not_found=(
        "Customer.io has no transactional message {transactional_message_id!r}; list "
        "transactional messages to find valid ids."
    ),
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    LIST_TRANSACTIONAL_MESSAGES,
    SEND_TRANSACTIONAL_EMAIL,
)
