"""`cio-toolkit demo`: the example jobs done by the scripted stand-in, each call shown."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from . import jobs
from .jobs import example_jobs
from .scripted import play

if TYPE_CHECKING:
    from ._toolkit import CustomerIOToolkit
    from .sandbox import Sandbox


def _say(text: str = "") -> None:
    print(text, flush=True)


def _preview(text: str, width: int = 480) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _show_turn(turn: int, calls: list[tuple[str, dict[str, Any], str]]) -> None:
    """One turn of the agent: its tool calls and the start of what each returned (of many calls
    of one tool, the first)."""
    names = list(dict.fromkeys(name for name, _, _ in calls))
    if len(calls) > 1 and len(names) == 1:
        name, arguments, text = calls[0]
        _say(f"   -> {len(calls)} calls of {name}, the first with {json.dumps(arguments)}")
        _say(f"      {_preview(text)}")
        return
    for name, arguments, text in calls:  # different tools at once: each with its answer
        _say(f"   -> {name}({json.dumps(arguments, ensure_ascii=False)})")
        _say(f"      {_preview(text)}")


def _job(kit: CustomerIOToolkit, number: int, request: str) -> str:
    """One example job, done by the scripted stand-in model with this toolkit's tools."""
    _say(f'{number}. "{request}"')
    calls = 0

    def call(name: str, arguments: dict[str, Any]) -> str:
        nonlocal calls
        calls += 1
        if sys.stderr.isatty():  # paced calls take a while on a real workspace
            print(f"\r   tool call {calls}: {name}\033[K", end="", file=sys.stderr, flush=True)
        return kit.call(name, arguments)

    answer = play(example_jobs, request, call, on_turn=_show_turn)
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    _say("   Answer: " + answer.replace("\n", "\n   "))
    _say()
    return answer


def _someone(kit: CustomerIOToolkit) -> str | None:
    """An email address to look up when none was given: the first person who has one."""
    anyone = {"filter": {"attribute": {"field": "email", "operator": "exists"}}, "limit": 1}
    return _first_email(kit, anyone)


def _unsubscribed(kit: CustomerIOToolkit) -> str | None:
    """Someone who unsubscribed, found as a model would: by the attribute."""
    rule = {"attribute": {"field": "unsubscribed", "operator": "eq", "value": "true"}}
    return _first_email(kit, {"filter": rule, "limit": 1})


def _first_email(kit: CustomerIOToolkit, search: dict[str, Any]) -> str | None:
    page = kit.run("customerio_search_customers", {**search, "emails": True})
    return next((p.email for p in getattr(page, "identifiers", []) if p.email), None)


def _data(pairs: list[str]) -> dict[str, str]:
    """`--data key=value` options as a mapping."""
    return dict(pair.partition("=")[::2] for pair in pairs)


def run(
    options: argparse.Namespace,
    sandbox: Sandbox | None,
    toolkit: Callable[..., CustomerIOToolkit],
    where: Callable[[CustomerIOToolkit], str],
) -> None:
    """The demo: the read jobs (all of them with `--all`), then the sends.

    Args:
        options: `cio-toolkit demo`'s options (`--all`, `--days`, `--email`, `--write`...).
        sandbox: the emulated workspace the toolkits use, or None for a real one.
        toolkit: makes a toolkit: `toolkit(read_only, tools="core")`.
        where: the line saying which workspace a toolkit uses.
    """
    numbered = iter(range(1, 20))
    reads = "all" if options.all else "core"
    with toolkit(True, reads) as kit:
        _say(where(kit))
        _say("The model is a scripted stand-in: code that makes the tool calls a model would.")
        _say("Read-only tools: " + ", ".join(spec.name for spec in kit.specs) + "\n")
        _job(kit, next(numbered), jobs.campaign_report(options.days))
        email = options.email or (jobs.ADA if sandbox else _someone(kit))
        if email:
            _job(kit, next(numbered), jobs.person_lookup(email))
        if options.all:
            segment = options.segment or ("Pro plan" if sandbox else None)
            if segment:
                _job(kit, next(numbered), jobs.segment_size(segment))
            if email:
                _job(kit, next(numbered), jobs.last_message(email))
            _job(kit, next(numbered), jobs.NEWSLETTER_REPORT)
    _writes(options, sandbox, toolkit, numbered)


def _writes(
    options: argparse.Namespace,
    sandbox: Sandbox | None,
    toolkit: Callable[..., CustomerIOToolkit],
    numbered: Iterator[int],
) -> None:
    """The jobs that send: on the sandbox always; on a workspace only with --write and an
    address (or a broadcast and segment) to send to."""
    to = options.to or (jobs.ADA if sandbox is not None else None)
    if not (to and (sandbox is not None or options.write)):
        _say(f"{next(numbered)}. Skipped: on a real workspace this sends a real email. Run again")
        _say(
            "   with --write --to YOUR@ADDRESS (and --template NAME --data key=value) to send one."
        )
        return
    if sandbox is None and not options.template:  # the sandbox's template names mean nothing
        _say(f"{next(numbered)}. Skipped: say which transactional message to send, with")
        _say("   --template NAME (or its id), and the data it reads with --data key=value.")
        return
    with toolkit(False) as kit:
        if options.template or options.data:
            _job(kit, next(numbered), jobs.send_template(
                options.template or "order_confirmation", to, _data(options.data)))  # fmt: skip
        else:
            _job(kit, next(numbered), jobs.SEND_RECEIPT.replace(jobs.ADA, to))
        _show_outbox(sandbox)
        if not options.all:
            return
        if sandbox is not None:
            _job(kit, next(numbered), jobs.SEND_RESET)
            unsubscribed = _unsubscribed(kit)
            if unsubscribed:
                _job(kit, next(numbered), jobs.send_template("welcome", unsubscribed))
            _job(kit, next(numbered), jobs.TRIGGER_BROADCAST)
        elif options.broadcast and options.segment:
            _job(kit, next(numbered), jobs.trigger_broadcast(
                options.broadcast, options.segment, _data(options.data)))  # fmt: skip


def _show_outbox(sandbox: Sandbox | None) -> None:
    if sandbox is None or not sandbox.outbox:
        return
    entry = sandbox.outbox[-1]
    _say("   The sandbox's outbox entry, Liquid rendered:")
    for label, value in (
        ("to", entry.to), ("from", entry.sender), ("subject", entry.subject),
        ("body", entry.body), ("status", entry.status),
    ):  # fmt: skip
        _say(f"   {label + ':':<9} {value}")
    _say()
