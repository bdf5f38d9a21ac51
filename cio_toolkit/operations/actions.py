"""What a campaign's or broadcast's actions send: channel, subject, a webhook's URL and method,
and the Liquid each reads; never the body itself."""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import Field

from .._operation import Result
from .._template_reads import Reads, template_reads


class Action(Result):
    """One action (a message or webhook) as `/actions` gives it; its body is read, not shown."""

    id: int | None = None
    type: str | None = None
    name: str | None = None
    language: str | None = None
    subject: str | None = None
    body: str | None = None
    url: str | None = None
    method: str | None = None
    sending_state: str | None = None

    def reads(self) -> Reads:
        return template_reads(*(s for s in (self.subject, self.body, self.url) if s))

    def row(self) -> ActionRow:
        reads = self.reads()
        return ActionRow(
            self.id or 0,
            self.type or "",
            self.name or "",
            self.language or "",
            self.subject or "",
            [
                *reads.paths["trigger"],
                *(f"{root}.{path}" for root in ("customer", "event") for path in reads.paths[root]),
            ],
            self.url or "",
            (self.method or "").upper(),
            self.sending_state or "",
        )


class ActionRow(NamedTuple):
    id: int
    type: str
    name: str
    language: str
    subject: str
    # The trigger data (`trigger.x` as `x`), profile attributes (`customer.x`) and event data
    # (`event.x`) it reads.
    reads: list[str]
    url: str
    method: str
    sending: str


class ActionsResult(Result):
    """A page of actions: `next` the cursor to more, where the API pages them."""

    actions: list[Action] = Field(default_factory=list)
    next: str | None = None


def every_read(actions: list[Action]) -> tuple[list[str], list[str], str | None]:
    """The trigger data every action reads together: required keys, optional ones (with a
    default, or only tested), and the first Liquid error."""
    sources = [s for a in actions for s in (a.subject, a.body, a.url) if s]
    found = template_reads(*sources)
    optional = found.optional["trigger"]
    required = [p for p in found.paths["trigger"] if p not in optional]
    return required, found.optional_shown("trigger"), found.error


def with_actions(result: Any, part: Result) -> Any:
    """A definition completed by its actions' page (`Operation.then`)."""
    assert isinstance(part, ActionsResult)
    return result.model_copy(update={"actions_page": part})
