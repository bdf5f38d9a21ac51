"""Guardrails on the write tools: recipient allowlist, broadcast cap, dry runs, audit trail."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from ._errors import CustomerIOError, DeliveryUnknownError, InvalidArgumentsError
from ._fields import ArgsModel, Audience
from ._operation import Operation, Result
from ._views import Part, View

audit_log = logging.getLogger("cio_toolkit.audit")

Outcome = Literal["sent", "refused", "dry_run", "failed", "unknown"]
DEFAULT_BROADCAST_CAP = 100


@dataclass(frozen=True)
class WriteAttempt:
    """One write a toolkit was asked for, and what became of it (for the audit hook).

    Attributes:
        tool: the write tool.
        outcome: `sent`; `refused` (bad input or a guardrail: nothing sent); `dry_run`; `failed`
            (Customer.io said no); `unknown` (the request may have arrived: see
            `DeliveryUnknownError`).
        audience: how the audience was given: `to`, `emails`, `ids`, `per_user_data`,
            `recipients`, `data_file_url` or `default`.
        recipients: the addresses or ids named inline (none for filter audiences).
        reference: the transactional message or broadcast id.
        result: the delivery id or trigger id, once there is one.
        reason: why it was refused, failed or is unknown.
        arguments: the arguments, only with `audit_bodies=True` (they may hold bodies).
        at: when, in Unix seconds.
    """

    tool: str
    outcome: Outcome
    audience: str
    recipients: tuple[str, ...]
    reference: str | None
    result: str | None = None
    reason: str | None = None
    arguments: Mapping[str, Any] | None = None
    at: float = field(default_factory=time.time)


class DryRunRequest(Part):
    method: str
    url: str
    query: dict[str, Any]
    body: dict[str, Any] | None = None


class DryRunView(View):
    dry_run: bool = Field(description="Always true: this toolkit sends no writes.")
    sent: bool = Field(description="Always false: nothing was sent.")
    request: DryRunRequest = Field(description="The request a real run would send.")


class DryRunResult(Result):
    """What a write would have sent, sent nowhere."""

    method: str
    url: str
    query: dict[str, Any]
    body: dict[str, Any] | None

    def view(self) -> DryRunView:
        request = DryRunRequest(method=self.method, url=self.url, query=self.query, body=self.body)
        return DryRunView(dry_run=True, sent=False, request=request)


def _allowed(address: str, allowlist: frozenset[str]) -> bool:
    address = address.lower()
    domain = address.rpartition("@")[2]
    return address in allowlist or any(
        domain == entry or domain.endswith("." + entry) for entry in allowlist
    )


@dataclass(frozen=True)
class Guardrails:
    """The toolkit's write policy; the model sees none of it and cannot change it."""

    dry_run: bool = False
    allow_recipients: frozenset[str] | None = None  # domains ("example.com") or addresses
    max_broadcast_recipients: int | None = DEFAULT_BROADCAST_CAP
    # None: a template's own setting decides (content a model wrote reaches no unsubscribed
    # person); True or False: every send.
    send_to_unsubscribed: bool | None = None
    audit: Callable[[WriteAttempt], None] | None = None
    audit_bodies: bool = False

    @classmethod
    def build(cls, allow_recipients: Iterable[str] | None = None, **options: Any) -> Guardrails:
        allowlist = None
        if allow_recipients is not None:
            allowlist = frozenset(e.strip().lower().lstrip("@") for e in allow_recipients)
        return cls(allow_recipients=allowlist, **options)

    def check(self, op: Operation[Any, Any], args: Any) -> Any:
        """The arguments as they will be sent, or InvalidArgumentsError naming what is refused."""
        audience: Audience | None = args.audience()
        if audience is None:
            return args
        args, problem = args.unsubscribed_policy(self.send_to_unsubscribed)
        problems = [problem] if problem else []
        mode, named = audience.mode, audience.named
        cap = self.max_broadcast_recipients
        if audience.bulk and cap is not None and len(named) > cap:
            problems.append(f"{mode}: at most {cap} recipients may be named inline by this toolkit")
        if self.allow_recipients is not None:
            if not audience.by_email:
                problems.append(
                    f"{mode}: with a recipient allowlist, a broadcast must name its "
                    "audience by email (emails or per_user_data with email)"
                )
            refused = [a for a in named if not _allowed(a, self.allow_recipients)]
            if refused:
                problems.append(
                    f"{mode}: {len(refused)} recipient(s) not on this toolkit's allowlist"
                )
        if problems:
            raise InvalidArgumentsError(op.name, problems)
        return args

    def disclosure(self, op: Operation[Any, Any]) -> str:
        """What a write tool's description must add: this toolkit's own limits on it."""
        if not op.is_write:
            return ""
        said = []
        if self.dry_run:
            said.append("This toolkit is in dry-run mode: it shows the request and sends nothing.")
        if self.allow_recipients is not None:
            allowed = ", ".join(sorted(self.allow_recipients))
            said.append(f"This toolkit sends only to addresses at or equal to: {allowed}.")
            if op.args_model.names_bulk_audience:
                said.append("So name the audience by email (emails, or per_user_data by email).")
        cap = self.max_broadcast_recipients
        if op.args_model.names_bulk_audience and cap is not None:
            said.append(f"This toolkit lets a trigger name at most {cap:,} people inline.")
        if self.send_to_unsubscribed is not None and not op.args_model.names_bulk_audience:
            reach = "reaches" if self.send_to_unsubscribed else "never reaches"
            said.append(f"This toolkit's sends {reach} people who unsubscribed.")
        return " ".join(said)

    def prepare(self, op: Operation[Any, Any], arguments: Any, now: float) -> Any:
        """Validated arguments (windows resolved against `now`) with the policy applied, or
        InvalidArgumentsError."""
        return self.check(op, op.validate(arguments, now=now))

    def dry_run_result(self, op: Operation[Any, Any], args: Any, base_url: str) -> Result | None:
        """With dry_run on, what a write would send (sending nothing); None otherwise."""
        if not (op.is_write and self.dry_run):
            return None
        parts = op.request_parts(args)
        return DryRunResult(
            method=parts.method, url=base_url + parts.path, query=parts.query, body=parts.body
        )

    @contextmanager
    def audited(
        self,
        op: Operation[Any, Any],
        arguments: Any,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> Iterator[Audit]:
        """Report a write to the audit hook and log exactly once, however it ends: sent,
        refused, dry run, failed, or unknown (it may have reached Customer.io); `on_outcome`
        hears the outcome too (the call's span)."""
        audit = Audit(self, op, arguments, on_outcome)
        try:
            yield audit
        except DeliveryUnknownError as error:
            audit.done("unknown", reason=str(error))
            raise
        except InvalidArgumentsError as error:
            audit.done("refused", reason=str(error))
            raise
        except CustomerIOError as error:
            audit.done("failed", reason=str(error))
            raise
        except BaseException as error:
            # Cancelled, interrupted, timed out by the caller, or a bug: the write may have left
            # or not, and the program that stopped it must be able to tell which.
            stopped = f"stopped by {type(error).__name__}"
            if audit.left:
                audit.done("unknown", reason=f"{stopped} after the request may have arrived")
            else:
                audit.done("refused", reason=f"{stopped} before the request left")
            raise


@dataclass
class Audit:
    """One write on its way; `arguments` is replaced by the validated model once there is one."""

    guardrails: Guardrails
    op: Operation[Any, Any]
    arguments: Any
    on_outcome: Callable[[Outcome], None] | None = None
    left: bool = False  # a request went out: from then on the write may reach Customer.io
    reported: bool = False

    def request_left(self) -> None:
        self.left = True

    def done(self, outcome: Outcome, result: Result | None = None, reason: str = "") -> None:
        if not self.op.is_write or self.reported:
            return
        self.reported = True
        shown = _plain(self.arguments)
        audience = _audience(self.op, self.arguments, shown)
        attempt = WriteAttempt(
            tool=self.op.name,
            outcome=outcome,
            audience=audience.mode,
            recipients=audience.named,
            reference=audience.message,
            result=_result_id(result),
            reason=reason or None,
            arguments=shown if self.guardrails.audit_bodies else None,
        )
        # Only what is known: a refused or lost write has no result to name.
        known = [f"reference {attempt.reference}" if attempt.reference else "",
                 f"result {attempt.result}" if attempt.result else ""]  # fmt: skip
        audit_log.info(
            "%s %s: %s audience, %d named%s%s",
            self.op.name,
            outcome,
            audience.mode,
            len(audience.named),
            "".join(f", {part}" for part in known if part),
            f"; {reason}" if reason else "",
        )
        if self.on_outcome is not None:  # after the line: nothing may cost the record
            self.on_outcome(outcome)
        if self.guardrails.audit is not None:
            try:
                self.guardrails.audit(attempt)
            except Exception:  # the write went (or not) all the same: its caller must learn how
                audit_log.exception("the audit hook failed on %s %s", self.op.name, outcome)


def _audience(op: Operation[Any, Any], arguments: Any, shown: dict[str, Any]) -> Audience:
    """The audience the arguments name: asked of the validated model, or, for arguments that
    were refused, of the fields that were given, as far as they can be read."""
    if isinstance(arguments, ArgsModel):
        return arguments.audience() or Audience("none")
    try:
        given = op.args_model.model_construct(
            **{
                name: shown[info.alias or name]
                for name, info in op.args_model.model_fields.items()
                if (info.alias or name) in shown
            }
        )
        return given.audience() or Audience("none")
    except Exception:  # arguments too malformed to say who they name
        return Audience("unknown")


def _plain(arguments: Any) -> dict[str, Any]:
    """Arguments as a plain dict, whatever form they came in (a model, a mapping, JSON text)."""
    if hasattr(arguments, "model_dump"):
        dumped: dict[str, Any] = arguments.model_dump(mode="json", by_alias=True, exclude_none=True)
        return dumped
    if isinstance(arguments, (str, bytes)):
        try:
            arguments = json.loads(arguments or "{}")
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
            return {}
    return dict(arguments) if isinstance(arguments, Mapping) else {}


def _result_id(result: Result | None) -> str | None:
    if result is None:
        return None
    for name in ("delivery_id", "id"):
        value = getattr(result, name, None)
        if value is not None:
            return str(value)
    return None
