"""Guardrails on writes: dry runs, the recipient allowlist, the broadcast cap, unsubscribed people,
and the audit trail; each refusal names the field and sends nothing."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest

from cio_toolkit import (
    BadRequestError,
    CustomerIOToolkit,
    DeliveryUnknownError,
    InvalidArgumentsError,
    WriteAttempt,
)
from cio_toolkit.operations import REGISTRY
from cio_toolkit.sandbox import SANDBOX_URL, Sandbox, SandboxServer
from tests.conftest import API_KEY, FAST_RETRY, Call

SEND = "customerio_send_transactional_email"
TRIGGER = "customerio_trigger_broadcast"
SEND_SCHEMA = REGISTRY[SEND].parameters
ORDER = {
    "transactional_message_id": 2,
    "to": "ada.lovelace@example.com",
    "message_data": {"order_id": "SECRET-ORDER-77", "total": "1.00"},
}


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(rate_limits=False)


def kit_on(sandbox: Sandbox, **options: Any) -> CustomerIOToolkit:
    return CustomerIOToolkit.sandbox(
        sandbox, read_only=False, rate_limit=False, retry=FAST_RETRY, **options
    )


def sent(sandbox: Sandbox) -> int:
    return sum(n for (method, _), n in sandbox.received.items() if method == "POST")


# -- dry run ---------------------------------------------------------------------------------------


async def test_a_dry_run_returns_the_exact_request_and_sends_nothing(
    sandbox: Sandbox, call: Call
) -> None:
    dry = kit_on(sandbox, dry_run=True)
    shown = json.loads(await call(dry, SEND, ORDER))
    assert shown["dry_run"] is True and shown["sent"] is False
    assert sent(sandbox) == 0 and sandbox.outbox == []

    # The request a real send makes is the one the dry run showed.
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return sandbox.handle(request)

    live = CustomerIOToolkit(
        "sandbox",
        base_url=dry.settings.base_url,
        read_only=False,
        rate_limit=False,
        transport=httpx.MockTransport(record),
    )
    live.run(SEND, ORDER)
    (request,) = seen
    assert shown["request"]["method"] == request.method
    assert shown["request"]["url"] == str(request.url)
    assert shown["request"]["body"] == json.loads(request.content)
    assert "send_to_unsubscribed" not in shown["request"]["body"]  # the template decides


def test_a_dry_run_still_reads_and_covers_triggers(sandbox: Sandbox) -> None:
    dry = kit_on(sandbox, dry_run=True)
    assert "Welcome series" in dry.call("customerio_list_campaigns")
    shown = json.loads(dry.call(TRIGGER, {"broadcast_id": 101, "ids": ["1", "2"]}))
    assert shown["request"]["url"].endswith("/v1/campaigns/101/triggers")
    assert shown["request"]["body"] == {"ids": ["1", "2"]}
    assert sent(sandbox) == 0


def test_dry_runs_reach_both_frameworks(sandbox: Sandbox) -> None:
    dry = kit_on(sandbox, dry_run=True)
    langchain_send = next(t for t in dry.langchain_tools() if t.name == SEND)
    assert '"dry_run":true' in langchain_send.invoke(ORDER)
    llama_send = next(t for t in dry.llamaindex_tools() if t.metadata.name == SEND)
    assert '"dry_run":true' in llama_send.call(**ORDER).content
    assert sent(sandbox) == 0


# -- who may be written to -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({**ORDER, "to": "someone@gmail.com"}, "to"),
        ({**ORDER, "cc": "Boss <boss@elsewhere.org>"}, "to"),
        ({**ORDER, "to": "ada.lovelace@example.com.evil.net"}, "to"),
    ],
)
def test_the_allowlist_refuses_other_recipients(
    sandbox: Sandbox, arguments: dict[str, Any], field: str
) -> None:
    kit = kit_on(sandbox, allow_recipients=["example.com", "ops@northwind.example"])
    with pytest.raises(InvalidArgumentsError, match=f"{field}: 1 recipient.s. not on this"):
        kit.run(SEND, arguments)
    assert sent(sandbox) == 0


def test_the_allowlist_takes_domains_subdomains_and_addresses(sandbox: Sandbox) -> None:
    kit = kit_on(sandbox, allow_recipients=["example.com", "@northwind.example", "x@y.test"])
    for to in ("ada.lovelace@example.com", "a@mail.example.com", "ops@northwind.example"):
        kit.run(SEND, {**ORDER, "to": to})
    kit.run(SEND, {**ORDER, "to": "X@Y.test", "identifiers": {"id": "1"}})
    assert len(sandbox.outbox) == 4


@pytest.mark.parametrize(
    ("audience", "allowed"),
    [
        ({"emails": ["ada.lovelace@example.com"]}, True),
        ({"per_user_data": [{"email": "grace.hopper@example.com", "data": {}}]}, True),
        ({"emails": ["ada.lovelace@example.com", "eve@evil.test"]}, False),
        ({"ids": ["1"]}, False),
        ({"recipients": {"segment": {"id": 7}}}, False),
        ({}, False),
    ],
)
def test_with_an_allowlist_broadcasts_must_name_allowed_emails(
    audience: dict[str, Any], allowed: bool
) -> None:
    sandbox = Sandbox(rate_limits=False)
    kit = kit_on(sandbox, allow_recipients=["example.com"])
    arguments = {"broadcast_id": 101, **audience}
    if allowed:
        kit.run(TRIGGER, arguments)
        assert sent(sandbox) == 1
    else:
        with pytest.raises(InvalidArgumentsError) as refused:
            kit.run(TRIGGER, arguments)
        mode = next(iter(audience), "default")
        assert str(refused.value).startswith(f"Invalid arguments for {TRIGGER}: {mode}: ")
        assert sent(sandbox) == 0


def test_broadcasts_may_name_at_most_the_cap_inline(sandbox: Sandbox) -> None:
    ids = [str(n) for n in range(1, 102)]
    with pytest.raises(InvalidArgumentsError, match="ids: at most 100 recipients"):
        kit_on(sandbox).run(TRIGGER, {"broadcast_id": 101, "ids": ids})
    with pytest.raises(InvalidArgumentsError, match="emails: at most 2 recipients"):
        emails = ["a@example.com", "b@example.com", "c@example.com"]
        kit_on(sandbox, max_broadcast_recipients=2).run(
            TRIGGER, {"broadcast_id": 101, "emails": emails}
        )
    assert sent(sandbox) == 0
    kit_on(sandbox, max_broadcast_recipients=None).run(
        TRIGGER, {"broadcast_id": 101, "ids": ids, "id_ignore_missing": True}
    )
    assert sent(sandbox) == 1


# -- unsubscribed people ---------------------------------------------------------------------------


def test_only_the_program_and_the_template_decide_about_unsubscribed_people(
    sandbox: Sandbox,
) -> None:
    unsubscribed = next(p for p in sandbox.people if p.unsubscribed and p.email and p.id)
    welcome = {"transactional_message_id": 3, "to": unsubscribed.email}  # template: no
    reset = {  # the password reset's template reaches unsubscribed people
        "transactional_message_id": 1,
        "to": unsubscribed.email,
        "message_data": {"reset_url": "https://northwind.example/r/1"},
    }
    inline = {
        "to": unsubscribed.email,
        "from": "ops@northwind.example",
        "subject": "A note",
        "body": "<p>Written by the model</p>",
    }
    for choice in (True, False):
        with pytest.raises(InvalidArgumentsError, match="send_to_unsubscribed: only the program"):
            kit_on(sandbox).run(SEND, {**welcome, "send_to_unsubscribed": choice})
    assert sent(sandbox) == 0
    default = kit_on(sandbox)
    for arguments in (welcome, reset, inline):
        default.run(SEND, arguments)
    kit_on(sandbox, send_to_unsubscribed=True).run(SEND, welcome)
    kit_on(sandbox, send_to_unsubscribed=False).run(SEND, reset)
    # Template decides, template decides, the model's own content never, then the program.
    assert [m.status for m in sandbox.outbox] == [
        "suppressed", "sent", "suppressed", "sent", "suppressed",
    ]  # fmt: skip
    assert "send_to_unsubscribed" not in SEND_SCHEMA["properties"]


# -- the audit trail -------------------------------------------------------------------------------


def test_every_write_is_audited_without_bodies(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[WriteAttempt] = []
    kit = kit_on(sandbox, audit=attempts.append, allow_recipients=["example.com"])
    caplog.set_level(logging.DEBUG)

    kit.run(SEND, ORDER)
    with pytest.raises(InvalidArgumentsError):
        kit.run(SEND, {**ORDER, "to": "eve@evil.test"})
    with pytest.raises(InvalidArgumentsError):
        kit.run(SEND, '{"to": "not an address"}')
    with pytest.raises(BadRequestError):
        kit.run(SEND, {**ORDER, "transactional_message_id": 99})
    sandbox.inject("/v1/send/email", error=httpx.ReadTimeout, after=True)
    with pytest.raises(DeliveryUnknownError):
        kit.run(SEND, ORDER)
    kit.run("customerio_list_segments")  # reads are not audited
    kit_on(sandbox, audit=attempts.append, dry_run=True).run(SEND, ORDER)

    assert [a.outcome for a in attempts] == [
        "sent",
        "refused",
        "refused",
        "failed",
        "unknown",
        "dry_run",
    ]
    first = attempts[0]
    assert (first.tool, first.audience, first.recipients) == (
        SEND,
        "to",
        ("ada.lovelace@example.com",),
    )
    assert first.reference == "2" and first.result == sandbox.outbox[0].delivery_id
    assert "allowlist" in (attempts[1].reason or "")
    assert "to: must be email addresses" in (attempts[2].reason or "")
    assert all(a.arguments is None for a in attempts)

    logged = [r for r in caplog.records if r.name == "cio_toolkit.audit"]
    assert [r.getMessage().split(":")[0] for r in logged] == [
        f"{SEND} {a.outcome}" for a in attempts
    ]
    # Only what is known: a refused write's line names no result ("result None" misleads).
    assert all("None" not in r.getMessage() for r in logged)
    assert f"result {first.result}" in logged[0].getMessage()
    assert "result" not in logged[1].getMessage() and "allowlist" in logged[1].getMessage()
    everything = caplog.text + repr(attempts)
    assert "SECRET-ORDER-77" not in everything and API_KEY not in everything


def test_bodies_are_audited_only_when_asked(sandbox: Sandbox) -> None:
    attempts: list[WriteAttempt] = []
    kit_on(sandbox, audit=attempts.append, audit_bodies=True).run(SEND, ORDER)
    (attempt,) = attempts
    assert attempt.arguments is not None
    assert attempt.arguments["message_data"]["order_id"] == "SECRET-ORDER-77"


# -- audited exactly once, however the call ends -----------------------------------------------


class _Breaks(httpx.MockTransport):
    """A transport whose requests reach the workspace and then meet `failure` (an interrupt, a
    bug), as if the caller stopped while the request was at Customer.io."""

    def __init__(self, sandbox: Sandbox, failure: BaseException) -> None:
        def handle(request: httpx.Request) -> httpx.Response:
            sandbox.handle(request)
            raise failure

        super().__init__(handle)


@pytest.mark.parametrize("failure", [KeyboardInterrupt(), RuntimeError("a bug")])
def test_an_interrupt_or_a_bug_after_the_request_left_is_audited_as_unknown(
    sandbox: Sandbox, failure: BaseException, caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[WriteAttempt] = []
    kit = CustomerIOToolkit(
        "sandbox", base_url=SANDBOX_URL, read_only=False, rate_limit=False,
        transport=_Breaks(sandbox, failure), audit=attempts.append,
    )  # fmt: skip
    caplog.set_level(logging.INFO, logger="cio_toolkit.audit")
    with pytest.raises(type(failure)):
        kit.run(SEND, ORDER)
    (attempt,) = attempts
    assert attempt.outcome == "unknown" and type(failure).__name__ in (attempt.reason or "")
    assert len(sandbox.outbox) == 1  # it did go out: "unknown" was the truth
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [f"{SEND} unknown"]


async def test_a_cancelled_send_is_audited_once_and_the_cancellation_propagates() -> None:
    attempts: list[WriteAttempt] = []
    with SandboxServer(Sandbox(rate_limits=False)) as server:
        kit = CustomerIOToolkit(
            "any", base_url=server.url, read_only=False, rate_limit=False,
            audit=attempts.append,
        )  # fmt: skip
        server.sandbox.inject("/v1/send/email", delay=2.0, times=2)  # the request sits there
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(kit.acall(SEND, ORDER), 0.3)
        task = asyncio.ensure_future(kit.acall(SEND, ORDER))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await kit.aclose()
        assert server.sandbox.received[("POST", "/v1/send/email")] == 2
    assert [a.outcome for a in attempts] == ["unknown", "unknown"]
    assert all("CancelledError" in (a.reason or "") for a in attempts)


async def test_cancelled_before_the_request_left_is_refused() -> None:
    """Waiting for the trigger limit (1 per 10 s) and cancelled: nothing went out."""
    attempts: list[WriteAttempt] = []
    sandbox = Sandbox()
    kit = CustomerIOToolkit(
        "cancel-before-leaving", base_url=SANDBOX_URL, read_only=False,
        transport=sandbox.transport(), audit=attempts.append,
    )  # fmt: skip
    first = {"broadcast_id": 101, "ids": ["1"]}
    await kit.acall(TRIGGER, first)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(kit.acall(TRIGGER, first), 0.3)  # waits for the 10 s window
    assert [a.outcome for a in attempts] == ["sent", "refused"]
    assert "before the request left" in (attempts[1].reason or "")
    assert sandbox.received[("POST", "/v1/campaigns/101/triggers")] == 1


def test_an_audit_hook_that_raises_never_hides_that_the_email_went(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(attempt: WriteAttempt) -> None:
        raise RuntimeError("the audit database is down")

    sent = kit_on(sandbox, audit=broken).run(SEND, ORDER)
    assert sent.delivery_id == sandbox.outbox[0].delivery_id  # type: ignore[attr-defined]
    (failed,) = [r for r in caplog.records if r.getMessage().startswith("the audit hook failed")]
    assert failed.getMessage() == f"the audit hook failed on {SEND} sent"
    assert failed.exc_info is not None and "audit database is down" in caplog.text


def test_the_servers_audit_line_is_printed_once_whatever_the_root_logger_does(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """A library's `logging.debug()` gives the root logger a stderr handler of its own; the
    audit line must not come out through it a second time."""
    from cio_toolkit._guardrails import audit_log
    from cio_toolkit.mcp_server._options import _audit_to_stderr

    root, before = logging.getLogger(), (list(audit_log.handlers), audit_log.propagate)
    kept = list(root.handlers)
    try:
        _audit_to_stderr()
        root.handlers[:] = []  # as in a server's own process, before any library has spoken
        logging.debug("a library's first word")  # configures the root logger, as it does
        assert root.handlers  # it did: a stderr handler of its own
        kit_on(sandbox).run(SEND, ORDER)
        for handler in audit_log.handlers:
            handler.flush()  # the server's line is written by a thread of its own
        lines = [line for line in capsys.readouterr().err.splitlines() if "audit:" in line]
    finally:
        audit_log.handlers[:], audit_log.propagate = before
        root.handlers[:] = kept
    assert len(lines) == 1 and f"audit: {SEND} sent" in lines[0]
