"""Transactional messages: the templates, one template's contents, and its metrics."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    Field,
)

from .._fields import (
    LOCAL,
    ArgsModel,
    PathId,
)
from .._operation import Collection, Operation, Result
from .._template_reads import template_reads
from .._views import Listing, Part, View
from .metrics import MetricsView, StepsMetricsResult, StepsWindowArgs

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


class ListTransactionalArgs(ArgsModel):
    name: Annotated[str | None, LOCAL] = Field(
        None, max_length=200, description="Only templates whose name contains this (any case)."
    )


class TemplatesView(Listing):
    messages: list[TransactionalMessage]


class ListTransactionalResult(Collection):
    messages: list[TransactionalMessage] = Field(default_factory=list)

    def view(self) -> TemplatesView:
        return TemplatesView(count=len(self.messages), messages=self.messages, **self.unmatched())


LIST_TRANSACTIONAL_MESSAGES = Operation(
    name="customerio_list_transactional_messages",
    description=(
        "List the transactional message templates (receipts, password resets...) with their ids "
        "and settings, such as whether they reach people who unsubscribed. Use it to find the "
        "transactional_message_id for customerio_send_transactional_email."
    ),
    args_model=ListTransactionalArgs,
    result_model=ListTransactionalResult,
    access="read",
    method="GET",
    path="/v1/transactional",
    operation_id="listTransactional",
)


# One template's contents --------------------------------------------------------------------------


class TransactionalArgs(ArgsModel):
    transactional_id: PathId = Field(
        description="The template's id, from customerio_list_transactional_messages."
    )


class Variant(Result):
    """One language variant of a transactional message (the `/contents` answer)."""

    id: int | None = None
    language: str | None = None
    type: str | None = None
    subject: str | None = None
    from_: str | None = Field(None, alias="from")
    reply_to: str | None = None
    preheader_text: str | None = None
    body: str | None = None

    def sources(self) -> list[str]:
        return [s for s in (self.subject, self.preheader_text, self.body) if s]


class VariantsResult(Result):
    contents: list[Variant] = Field(default_factory=list)


class VariantShown(Part):
    id: int | None = None
    language: str
    type: str | None = None
    subject: str | None = None
    from_: str | None = Field(None, alias="from")
    reply_to: str | None = None
    message_data: list[str] | None = Field(
        None, description="Only where this variant reads other keys than the rest."
    )


class TemplateView(View):
    """What a sender needs: the settings that decide who gets it, each variant's envelope,
    and the Liquid data and attributes it reads; never the HTML itself."""

    id: int
    name: str | None = None
    description: str | None = None
    send_to_unsubscribed: bool | None = None
    queue_drafts: bool | None = None
    message_data: list[str] | None = Field(None, description="The message_data keys it reads.")
    message_data_optional: list[str] | None = Field(
        None, description="Of those, the ones read with a default or a check."
    )
    customer_attributes: list[str] | None = None
    liquid_error: str | None = None
    variants: list[VariantShown] | None = None


class TransactionalTemplateResult(Result):
    message: TransactionalMessage
    contents: list[Variant] = Field(default_factory=list)

    def joined(self, part: Result) -> TransactionalTemplateResult:
        assert isinstance(part, VariantsResult)
        return self.model_copy(update={"contents": part.contents})

    def view(self) -> TemplateView:
        message = self.message
        every = template_reads(*(s for v in self.contents for s in v.sources()))
        return TemplateView(
            id=message.id,
            name=message.name or None,
            description=message.description or None,
            send_to_unsubscribed=message.send_to_unsubscribed,
            queue_drafts=message.queue_drafts,
            message_data=every.paths["trigger"] or None,
            message_data_optional=every.optional_shown("trigger") or None,
            customer_attributes=every.paths["customer"] or None,
            liquid_error=every.error or None,
            variants=[self._variant(v, every.paths["trigger"]) for v in self.contents] or None,
        )

    @staticmethod
    def _variant(variant: Variant, all_reads: list[str]) -> VariantShown:
        reads = template_reads(*variant.sources()).paths["trigger"]
        return VariantShown(
            id=variant.id,
            language=variant.language or "default",
            type=variant.type or None,
            subject=variant.subject or None,
            from_=variant.from_ or None,
            reply_to=variant.reply_to or None,
            message_data=reads if reads != all_reads else None,
        )


GET_TRANSACTIONAL_VARIANTS = Operation(
    name="customerio_get_transactional_message",
    description="A transactional message's variants: fetched after its settings.",
    args_model=TransactionalArgs,
    result_model=VariantsResult,
    access="read",
    method="GET",
    path="/v1/transactional/{transactional_id}/contents",
    operation_id="listTransactionalVariants",
    not_found="Customer.io has no transactional message {transactional_id}.",
)

GET_TRANSACTIONAL_MESSAGE = Operation(
    name="customerio_get_transactional_message",
    description=(
        "A transactional template, to read before sending it: the message_data keys its Liquid "
        "reads (the optional ones may be left out), the profile attributes it uses, whether it "
        "reaches unsubscribed people, each language variant's subject and sender."
    ),
    args_model=TransactionalArgs,
    result_model=TransactionalTemplateResult,
    access="read",
    method="GET",
    path="/v1/transactional/{transactional_id}",
    operation_id="getTransactional",
    then=(GET_TRANSACTIONAL_VARIANTS,),
    not_found=(
        "Customer.io has no transactional message {transactional_id}; list transactional "
        "messages to find valid ids."
    ),
)


# Transactional metrics ----------------------------------------------------------------------------


class TransactionalMetricsArgs(StepsWindowArgs):
    transactional_id: PathId = Field(
        description="The template, from customerio_list_transactional_messages."
    )


class MeasuredTemplate(View):
    transactional_id: int


class TransactionalMetricsView(MetricsView, MeasuredTemplate):
    pass


class TransactionalMetricsResult(StepsMetricsResult):
    transactional_id: int

    def view(self) -> TransactionalMetricsView:
        return TransactionalMetricsView(transactional_id=self.transactional_id, **self.measured())

    @classmethod
    def from_api(cls, payload: Any, args: TransactionalMetricsArgs) -> TransactionalMetricsResult:
        return cls(transactional_id=args.transactional_id, **cls.window_fields(payload, args))


GET_TRANSACTIONAL_METRICS = Operation(
    name="customerio_get_transactional_metrics",
    description=(
        "How a transactional message (a template) did over the last N days or since a date: "
        "sent, delivered, opened, clicked, converted, bounced, unsubscribed, and delivery, open, "
        "click and conversion rates. The answer states the window, in whole US Eastern periods."
    ),
    args_model=TransactionalMetricsArgs,
    result_model=TransactionalMetricsResult,
    access="read",
    method="GET",
    path="/v1/transactional/{transactional_id}/metrics",
    operation_id="transactionalMetrics",
    not_found=(
        "Customer.io has no transactional message {transactional_id}; list transactional "
        "messages to find valid ids."
    ),
    narrow="ask for a coarser period, without series",
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    LIST_TRANSACTIONAL_MESSAGES,
    GET_TRANSACTIONAL_MESSAGE,
    GET_TRANSACTIONAL_METRICS,
)
