"""Suppressions at the email provider: whether one address is suppressed and why, or the
addresses suppressed for one reason."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NamedTuple

from pydantic import AfterValidator, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from .._fields import LOCAL, QUERY, ArgsModel, check_path_value, is_email
from .._operation import Operation, Result
from .._views import View, iso_seconds

SuppressionType = Literal["bounces", "blocks", "spam_reports", "invalid_emails"]
LIST_DEFAULT = 20


def _an_email(value: str | None) -> str | None:
    if value is not None and not is_email(value):
        raise ValueError("not an email address")
    return value


class SuppressionArgs(ArgsModel):
    # One address or one reason, each in its own call's path.
    email_address: Annotated[
        str | None, AfterValidator(_an_email), AfterValidator(check_path_value), LOCAL
    ] = Field(None, max_length=254, description="Is this address suppressed, and why.")
    suppression_type: Annotated[SuppressionType | None, LOCAL] = Field(
        None, description="Instead: the addresses suppressed for this reason, a page at a time."
    )
    domain: Annotated[str | None, QUERY] = Field(
        None, max_length=253, description="With suppression_type: only this sending domain."
    )
    limit: Annotated[int | None, QUERY] = Field(
        None, ge=1, le=1000, description=f"With suppression_type: addresses per page; default "
        f"{LIST_DEFAULT}.",
    )  # fmt: skip
    offset: Annotated[int | None, QUERY] = Field(
        None, ge=0, description="With suppression_type: the previous answer's next_offset."
    )

    @model_validator(mode="after")
    def _one_question(self) -> SuppressionArgs:
        if (self.email_address is None) == (self.suppression_type is None):
            raise ValueError("email_address: give exactly one of email_address or suppression_type")
        if self.email_address is not None:
            paging = [n for n in ("domain", "limit", "offset") if getattr(self, n) is not None]
            if paging:
                raise ValueError(f"{paging[0]}: only with suppression_type")
        return self

    def resolved(self, now: float) -> SuppressionArgs:
        if self.suppression_type is not None and self.limit is None:
            return self.model_copy(update={"limit": LIST_DEFAULT})
        return self


class Suppression(Result):
    email: str | None = None
    created: int | None = None
    reason: str | None = None
    status: str | int | None = None


class SuppressionCategory(Result):
    category: str | None = None
    suppressions: list[Suppression] = Field(default_factory=list)


class SuppressionRow(NamedTuple):
    email: str
    category: str
    created: str
    reason: str
    status: str


class SuppressionsView(View):
    email_address: str | None = None
    suppressed: bool | None = Field(None, description="For an address: whether it is.")
    suppression_type: str | None = None
    count: int
    next_offset: int | None = Field(
        None, description="Only when the page was full: pass as offset for the next one."
    )
    columns: list[str]
    suppressions: list[SuppressionRow]


class SuppressionsResult(Result):
    # The document answers one category; an address suppressed in several may come as a list
    # of them (undocumented: read either way).
    categories: list[SuppressionCategory] = Field(default_factory=list)
    email_address: SkipJsonSchema[str | None] = Field(None, exclude=True)
    suppression_type: SkipJsonSchema[str | None] = Field(None, exclude=True)
    offset: SkipJsonSchema[int] = Field(0, exclude=True)
    limit: SkipJsonSchema[int | None] = Field(None, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: SuppressionArgs) -> SuppressionsResult:
        answers = payload if isinstance(payload, list) else [payload or {}]
        return cls.model_validate({
            "categories": [a for a in answers if isinstance(a, dict)],
            "email_address": args.email_address,
            "suppression_type": args.suppression_type,
            "offset": args.offset or 0,
            "limit": args.limit,
        })  # fmt: skip

    def view(self) -> SuppressionsView:
        rows = [
            SuppressionRow(
                s.email or "",
                c.category or self.suppression_type or "",
                iso_seconds(s.created),
                s.reason or "",
                "" if s.status is None else str(s.status),
            )
            for c in self.categories
            for s in c.suppressions
        ]
        if self.email_address is not None:
            # The search may match other addresses' records; only this one's count.
            mine = [r for r in rows if r.email.lower() == self.email_address.lower() or not r.email]
            return SuppressionsView(
                email_address=self.email_address, suppressed=bool(mine), count=len(mine),
                columns=list(SuppressionRow._fields), suppressions=mine,
            )  # fmt: skip
        full = self.limit is not None and len(rows) >= self.limit
        return SuppressionsView(
            suppression_type=self.suppression_type,
            count=len(rows),
            next_offset=self.offset + len(rows) if full else None,
            columns=list(SuppressionRow._fields),
            suppressions=rows,
        )


_SUPPRESSIONS: dict[str, Any] = dict(
    name="customerio_get_email_suppression",
    description=(
        "Whether the email provider suppresses an address (it then sends nothing there), and "
        "why: bounce or spam report, when, the provider's reason and status. Or the addresses "
        "suppressed for one reason. Not Customer.io's own unsubscribes or suppressed people: "
        "a profile says those."
    ),
    args_model=SuppressionArgs,
    result_model=SuppressionsResult,
    access="read",
    method="GET",
    narrow="ask for a smaller limit and page with offset",
)

GET_EMAIL_SUPPRESSION: Operation[SuppressionArgs, SuppressionsResult] = Operation(
    path="/v1/esp/search_suppression/{email_address}",
    operation_id="getSuppression",
    # The document declares no 404: one would mean no record of the address (inferred).
    not_found="The email provider has no suppression of {email_address!r}.",
    variants=(
        Operation(
            path="/v1/esp/suppression/{suppression_type}",
            operation_id="getSuppressionByType",
            **_SUPPRESSIONS,
        ),
    ),
    **_SUPPRESSIONS,
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (GET_EMAIL_SUPPRESSION,)
