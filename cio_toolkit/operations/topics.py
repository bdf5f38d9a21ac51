"""Subscription topics: the workspace's, with their ids and defaults, or one person's choices and
whether they receive each."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NamedTuple

from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from .._fields import LOCAL, QUERY, ArgsModel, Text, check_path_value
from .._operation import Operation, Result
from .._views import View


class TopicsArgs(ArgsModel):
    # Sent in the person's variant's path; none: the workspace's topics.
    customer_id: Annotated[Text | None, AfterValidator(check_path_value), LOCAL] = Field(
        None, max_length=254, description="One person's choices instead: their id, email or cio_id."
    )
    id_type: Annotated[Literal["id", "email", "cio_id"] | None, QUERY] = Field(
        None, description="With customer_id: what it is; default id."
    )

    @model_validator(mode="after")
    def _id_type_with_a_person(self) -> TopicsArgs:
        if self.id_type is not None and self.customer_id is None:
            raise ValueError("id_type: only with customer_id")
        return self


def _topic_id(value: Any) -> Any:
    # An integer in the workspace's list, a string in a person's preferences (the documents).
    return int(value) if isinstance(value, str) and value.isdigit() else value


class Topic(Result):
    id: Annotated[int | str | None, BeforeValidator(_topic_id)] = None
    identifier: str | None = None
    name: str | None = None
    description: str | None = None
    subscribed_by_default: bool | None = None
    subscribed: bool | None = None


class PersonPreferences(Result):
    id: str | None = None
    unsubscribed: bool | None = None
    topics: list[Topic] = Field(default_factory=list)


class TopicRow(NamedTuple):
    id: int | str
    name: str
    description: str
    on_by_default: bool


class ChoiceRow(NamedTuple):
    id: int | str
    name: str
    subscribed: bool
    # Whether they get the topic's messages: not when unsubscribed from everything.
    receives: bool


class TopicsView(View):
    customer_id: str | None = None
    unsubscribed: bool | None = Field(
        None, description="A person unsubscribed from everything receives no topic."
    )
    count: int
    columns: list[str]
    topics: list[TopicRow] | None = Field(None, description="The workspace's topics.")
    choices: list[ChoiceRow] | None = Field(None, description="A person's, topic by topic.")


class TopicsResult(Result):
    topics: list[Topic] = Field(default_factory=list)
    customer: PersonPreferences | None = None
    customer_id: SkipJsonSchema[str | None] = Field(None, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: TopicsArgs) -> TopicsResult:
        return cls.model_validate({**(payload or {}), "customer_id": args.customer_id})

    def view(self) -> TopicsView:
        if self.customer is None:
            rows = [
                TopicRow(t.id or "", t.name or "", t.description or "",
                         bool(t.subscribed_by_default))
                for t in self.topics
            ]  # fmt: skip
            return TopicsView(count=len(rows), columns=list(TopicRow._fields), topics=rows)
        away = bool(self.customer.unsubscribed)
        choices = [
            ChoiceRow(t.id or "", t.name or "", bool(t.subscribed), bool(t.subscribed) and not away)
            for t in self.customer.topics
        ]
        return TopicsView(
            customer_id=self.customer_id,
            unsubscribed=self.customer.unsubscribed,
            count=len(choices),
            columns=list(ChoiceRow._fields),
            choices=choices,
        )


_TOPICS: dict[str, Any] = dict(
    name="customerio_list_subscription_topics",
    description=(
        "The subscription topics: each topic's id, name, description and whether people are in "
        "it by default; or, for one person, which topics they chose and whether they receive "
        "each (nobody unsubscribed from everything does)."
    ),
    args_model=TopicsArgs,
    result_model=TopicsResult,
    access="read",
    method="GET",
)

LIST_SUBSCRIPTION_TOPICS: Operation[TopicsArgs, TopicsResult] = Operation(
    path="/v1/subscription_topics",
    operation_id="getTopics",
    variants=(
        Operation(
            path="/v1/customers/{customer_id}/subscription_preferences",
            operation_id="getPersonSubscriptionPreferences",
            not_found=(
                "Customer.io has no person {customer_id!r}; if that is an email, pass "
                "id_type='email', or search customers to find their id."
            ),
            bad_request=(
                "Looking people up by {id_type} works only where the workspace identifies "
                "people by it: look them up by id, email or cio_id."
            ),
            **_TOPICS,
        ),
    ),
    **_TOPICS,
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (LIST_SUBSCRIPTION_TOPICS,)
