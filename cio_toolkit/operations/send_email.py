"""Sending one transactional email: its arguments as the API takes them, checked before sending."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetJsonSchemaHandler,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import CoreSchema

from .._fields import (
    ArgsModel,
    Audience,
    JsonObject,
    Text,
    Timestamp,
    addresses,
    is_email,
    positive_id,
)
from .._filters import one_object_per_key
from .._operation import Operation, Result
from .._views import Check, View
from .messages import GET_MESSAGE

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

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Shown as one object per key, as the filter is: Gemini's converter would make all
        # three keys of one object required, and "exactly one" refuse what a model then fills.
        return one_object_per_key(core_schema, handler)

    @model_validator(mode="after")
    def _exactly_one(self) -> Identifiers:
        if sum(v is not None for v in (self.id, self.email, self.cio_id)) != 1:
            raise ValueError("give exactly one of id, email or cio_id")
        return self


def _template(value: Any) -> Any:
    """A template's id (a positive number, or digits) or its trigger name (other text)."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool):
        return positive_id(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ValueError("must be a template's id or trigger name")


class SendEmailArgs(ArgsModel):
    transactional_message_id: Annotated[
        int | str | None, BeforeValidator(_template), WithJsonSchema({"type": "string"})
    ] = Field(
        None,
        description=(
            "The template's id or trigger name (customerio_list_transactional_messages). "
            "Without one, give subject, body and from."
        ),
    )
    to: str = Field(
        description="Recipient address(es), comma-separated, display names allowed; at most 15 "
        "across to, cc and bcc."
    )
    identifiers: Identifiers | None = Field(
        None,
        description="The person it is for, by one identifier; default the email in to.",
    )
    message_data: JsonObject = Field(
        None,
        description="Liquid data the template reads as {{trigger.key}}: a JSON object as text, "
        'e.g. {"order_id": "A-1"} (customerio_get_transactional_message lists them).',
    )
    from_: str | None = Field(
        None,
        alias="from",
        description="Sender address, verified in Customer.io; default the template's.",
    )
    subject: str | None = Field(None, description="Subject line; default the template's.")
    body: str | None = Field(None, description="HTML body; replaces the template's.")
    preheader: str | None = Field(None, description="Preview text shown after the subject.")
    reply_to: str | None = Field(None, description="Reply-To address.")
    cc: str | None = Field(None, description="Copied addresses, comma-separated.")
    bcc: str | None = Field(None, description="Blind-copied addresses, comma-separated.")
    send_at: Timestamp | None = Field(
        None, description="Send later: ISO-8601 (UTC unless it says) or Unix, within 90 days."
    )
    language: str | None = Field(
        None, description="Which language variant of the template to send, e.g. fr."
    )
    queue_draft: bool | None = Field(
        None, description="Keep it as a draft in Customer.io for a person to send, instead."
    )
    # The program's choice, never the model's (guardrails refuse it from a model): left out, a
    # template's own setting decides; Customer.io's default for a send without one is true.
    send_to_unsubscribed: SkipJsonSchema[bool | None] = None
    tracked: SkipJsonSchema[bool | None] = None
    disable_message_retention: SkipJsonSchema[bool | None] = None
    disable_css_preprocessing: SkipJsonSchema[bool | None] = None
    fake_bcc: SkipJsonSchema[bool | None] = None
    body_amp: SkipJsonSchema[str | None] = None
    # Made from the HTML by default: a model writing its own body seldom needs to.
    body_plain: SkipJsonSchema[str | None] = None
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
        self._fits_one_send()
        return self

    def resolved(self, now: float) -> SendEmailArgs:
        if self.send_at is not None and self.send_at > now + MAX_SEND_AHEAD:
            raise ValueError("send_at: may be at most 90 days ahead")
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

    def unsubscribed_policy(self, allowed: bool | None) -> tuple[SendEmailArgs, str | None]:
        """These arguments under the program's choice, and the problem if the model made one.

        `allowed` None leaves a template's own setting to decide and keeps content the model
        wrote itself (no template) from unsubscribed people; True or False decides every send.
        The field is hidden from the model, but a model may still send it.
        """
        if self.send_to_unsubscribed is not None:
            problem = (
                "send_to_unsubscribed: only the program decides whether people who unsubscribed "
                "are emailed"
            )
            return self, problem
        if allowed is None and self.transactional_message_id is None:
            allowed = False
        return self.model_copy(update={"send_to_unsubscribed": allowed}), None


def _json_size(value: Any) -> int:
    return len(
        json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(errors="surrogatepass")
    )


class SentView(View):
    delivery_id: str
    queued_at: datetime | None = None
    send_at: datetime | None = None
    check: Check


class SendEmailResult(Result):
    delivery_id: str
    queued_at: datetime | None = None
    send_at: datetime | None = None

    def view(self) -> SentView:
        # Queued is not delivered: the answer names the call that says what became of it.
        check = Check(tool=GET_MESSAGE.name, arguments={"message_id": self.delivery_id})
        return SentView(
            delivery_id=self.delivery_id,
            queued_at=self.queued_at,
            send_at=self.send_at,
            check=check,
        )


SEND_TRANSACTIONAL_EMAIL = Operation(
    name="customerio_send_transactional_email",
    description=(
        "Send one transactional email now (a receipt, a reset link, a one-to-one note), from a "
        "template (customerio_list_transactional_messages) or, without one, with subject, body "
        "and from. It goes to every address in to, cc and bcc, cannot be undone, and is never "
        "retried once it may have reached Customer.io. People who unsubscribed get it only if "
        "the template is set to reach them. Returns the delivery_id, for customerio_get_message: "
        "what became of it."
    ),
    args_model=SendEmailArgs,
    result_model=SendEmailResult,
    access="write",
    method="POST",
    path="/v1/send/email",
    operation_id="sendEmail",
    pace="send",
    # What its arguments and answer name; the lost-answer check (`verify`) is outside the
    # default set's 16 KB (see the README's presets).
    checks=("customerio_get_transactional_message", "customerio_get_message"),
    # A lost answer loses the delivery_id too: the person's newest messages show the send.
    verify=(
        "before sending it again, look for it among the person's newest messages with "
        "customerio_get_person_messages."
    ),
    not_found=(
        "Customer.io has no transactional message {transactional_message_id!r}; list "
        "transactional messages to find valid ids."
    ),
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (SEND_TRANSACTIONAL_EMAIL,)
