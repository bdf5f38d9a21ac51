"""The `cio-toolkit` command: the demo, the tool list, one tool call, and the sandbox server."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import ConfigurationError, CustomerIOError
from .operations import OPERATIONS, REGISTRY
from .operations.campaigns import CampaignMetricsResult, ListCampaignsResult
from .operations.customers import PersonAttributesResult, SearchCustomersResult
from .operations.transactional import ListTransactionalResult, SendEmailResult
from .settings import BASE_URL_VARIABLE, KEY_VARIABLE
from .toolkit import CustomerIOToolkit

if TYPE_CHECKING:
    from .sandbox import Sandbox

T = TypeVar("T")
R = TypeVar("R")


def _say(text: str = "") -> None:
    print(text, flush=True)


def _note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- which workspace -----------------------------------------------------------------------------


def _on_sandbox(options: argparse.Namespace) -> bool:
    """The sandbox when asked for, or when no workspace is configured; never in place of a key."""
    configured = os.environ.get(KEY_VARIABLE) or os.environ.get(BASE_URL_VARIABLE)
    return bool(options.sandbox or not configured)


def _where(options: argparse.Namespace, kit: CustomerIOToolkit) -> str:
    if _on_sandbox(options):
        reason = "--sandbox was given" if options.sandbox else f"{KEY_VARIABLE} is not set"
        return (
            f"Using the sandbox ({reason}): an emulated Customer.io workspace inside this "
            "package. Nothing leaves this machine."
        )
    return f"Using your Customer.io workspace at {kit.settings.base_url}."


def _toolkit(
    options: argparse.Namespace, *, read_only: bool, sandbox: Sandbox | None = None
) -> CustomerIOToolkit:
    if _on_sandbox(options):
        return CustomerIOToolkit.sandbox(sandbox, read_only=read_only)
    return CustomerIOToolkit(read_only=read_only)


def _typed(result: Any, kind: type[R]) -> R:
    assert isinstance(result, kind), f"expected {kind.__name__}, got {type(result).__name__}"
    return result


# -- `cio-toolkit tools`, `call` and `sandbox` ---------------------------------------------------


def _tools(_: argparse.Namespace) -> int:
    for op in OPERATIONS:
        schema = op.parameters
        required = set(schema.get("required", []))
        arguments = [f"{n}{'' if n in required else '?'}" for n in schema.get("properties", {})]
        _say(f"{op.name:<40} {op.access:<6} {', '.join(arguments) or '-'}")
    return 0


def _call(options: argparse.Namespace) -> int:
    if options.name in REGISTRY and REGISTRY[options.name].is_write and not options.write:
        _note(f"error: {options.name} sends messages; add --write to run it.")
        return 2
    with _toolkit(options, read_only=not options.write) as kit:
        _note(_where(options, kit))
        _say(kit.call(options.name, options.args))
    return 0


def _serve(options: argparse.Namespace) -> int:
    from .sandbox import SANDBOX_KEY, Sandbox, SandboxServer

    server = SandboxServer(Sandbox(rate_limits=not options.no_limits), port=options.port)
    _say(f"Sandbox workspace at {server.url} (Ctrl-C stops it). Point a toolkit at it with:")
    _say(f"  export {BASE_URL_VARIABLE}={server.url} {KEY_VARIABLE}={SANDBOX_KEY}")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


# -- `cio-toolkit demo` --------------------------------------------------------------------------


def _with_progress(label: str, items: Sequence[T], step: Callable[[T], R]) -> list[R]:
    """Run `step` over items, showing how far along it is: paced calls take a while."""
    live = sys.stderr.isatty()
    if not live:
        _note(f"   {label} ({len(items)})...")
    results = []
    for done, item in enumerate(items, start=1):
        results.append(step(item))
        if live:
            print(f"\r   {label}: {done}/{len(items)}", end="", file=sys.stderr, flush=True)
    if live:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    return results


def _table(rows: list[list[str]], numbers_right: bool = False) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [
            c.rjust(w) if numbers_right and c[:1].isdigit() else c.ljust(w)
            for c, w in zip(row, widths, strict=True)
        ]
        _say("   " + "  ".join(cells).rstrip())


def _campaign_report(kit: CustomerIOToolkit, days: int) -> None:
    _say(f"1. Running campaigns and how they did over the last {days} days")
    listing = _typed(kit.run("customerio_list_campaigns"), ListCampaignsResult)
    running = [c for c in listing.campaigns if c.state == "running"]
    _say(f"   {len(listing.campaigns)} campaigns, {len(running)} running")
    start = int(time.time()) - days * 86_400
    reports = _with_progress(
        "fetching metrics",
        running,
        lambda c: kit.run("customerio_get_campaign_metrics", {"campaign_id": c.id, "start": start}),
    )
    rows = [["id", "campaign", "sent", "delivered", "opened", "clicked", "open rate", "click rate"]]
    for campaign, result in zip(running, reports, strict=True):
        report = _typed(result, CampaignMetricsResult)
        totals, rates = report.totals, report.rates
        rows.append(
            [
                str(campaign.id),
                campaign.name or "",
                *(f"{totals[k]:,}" for k in ("sent", "delivered", "opened", "clicked")),
                f"{rates['open_rate']:.1%}",
                f"{rates['click_rate']:.1%}",
            ]
        )
    _table(rows, numbers_right=True)


def _first_email(kit: CustomerIOToolkit) -> str | None:
    anyone = {"filter": {"attribute": {"field": "email", "operator": "exists"}}, "limit": 1}
    page = _typed(kit.run("customerio_search_customers", anyone), SearchCustomersResult)
    return next((p.email for p in page.identifiers if p.email), None)


def _person_lookup(kit: CustomerIOToolkit, email: str | None) -> str | None:
    email = email or _first_email(kit)
    _say(f"2. Find a person by email: {email}")
    if email is None:
        _say("   The workspace has nobody with an email address.")
        return None
    by_email = {"filter": {"attribute": {"field": "email", "operator": "eq", "value": email}}}
    page = _typed(kit.run("customerio_search_customers", by_email), SearchCustomersResult)
    if not page.identifiers:
        _say("   Nobody has that email.")
        return None
    found = page.identifiers[0]
    _say(f"   identifiers: id={found.id}  email={found.email}  cio_id={found.cio_id}")
    lookup = {"customer_id": found.cio_id, "id_type": "cio_id"}
    profile = _typed(kit.run("customerio_get_person_attributes", lookup), PersonAttributesResult)
    person = profile.customer
    _say(f"   unsubscribed: {person.unsubscribed}   devices: {len(person.devices or [])}")
    _table([[f"{key}:", str(value)] for key, value in sorted(person.attributes.items())])
    _say("   What an agent sees from customerio_get_person_attributes:")
    _say("   " + profile.to_text())
    return email


def _send_example(options: argparse.Namespace, email: str | None, sandbox: Sandbox | None) -> None:
    _say("3. Send a transactional email with the read/write toolkit")
    to = options.to or (email if sandbox is not None else None)
    if sandbox is None and not (options.write and options.to):
        _say("   Skipped: on a real workspace this sends a real email. Run again with")
        _say("   --write --to YOUR@ADDRESS (and --template ID) to send one.")
        return
    with _toolkit(options, read_only=False, sandbox=sandbox) as kit:
        templates = _typed(
            kit.run("customerio_list_transactional_messages"), ListTransactionalResult
        )
        chosen = options.template or next(
            (m.id for m in templates.messages if m.name == "order_confirmation"),
            templates.messages[0].id if templates.messages else None,
        )
        if chosen is None or to is None:
            _say("   No transactional message to send; create one in Customer.io first.")
            return
        arguments = {
            "transactional_message_id": chosen,
            "to": to,
            "message_data": {"order_id": "A-1042", "total": "89.00", "currency": "EUR"},
        }
        _say(f"   customerio_send_transactional_email {arguments}")
        sent = _typed(kit.run("customerio_send_transactional_email", arguments), SendEmailResult)
        _say(f"   queued: delivery {sent.delivery_id}")
    if sandbox is not None:
        entry = sandbox.outbox[-1]
        _say("   The sandbox's outbox entry, Liquid rendered:")
        _table(
            [
                ["to:", entry.to],
                ["from:", entry.sender],
                ["subject:", entry.subject],
                ["body:", entry.body],
                ["status:", entry.status],
            ]
        )


def _demo(options: argparse.Namespace) -> int:
    sandbox: Sandbox | None = None
    if _on_sandbox(options):
        from .sandbox import Sandbox

        sandbox = Sandbox()
    with _toolkit(options, read_only=True, sandbox=sandbox) as kit:
        _say(_where(options, kit))
        _say("Read-only toolkit: " + ", ".join(spec.name for spec in kit.specs) + "\n")
        _campaign_report(kit, options.days)
        _say()
        email = _person_lookup(kit, options.email)
        _say()
    _send_example(options, email, sandbox)
    return 0


# -- entry point ---------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cio-toolkit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="run the three example jobs")
    demo.add_argument("--days", type=int, default=30, help="metrics window (default 30)")
    demo.add_argument("--email", help="the person to look up (default: the first one found)")
    demo.add_argument("--write", action="store_true", help="allow the real send in job 3")
    demo.add_argument("--to", help="job 3's recipient on a real workspace")
    demo.add_argument("--template", type=int, help="job 3's transactional message id")
    demo.set_defaults(run=_demo)

    commands.add_parser("tools", help="list the tools").set_defaults(run=_tools)

    call = commands.add_parser("call", help="run one tool and print what a model would see")
    call.add_argument("name")
    call.add_argument("--args", default="{}", help="the arguments as JSON")
    call.add_argument("--write", action="store_true", help="allow the write tools")
    call.set_defaults(run=_call)

    for command in (demo, call):
        command.add_argument(
            "--sandbox", action="store_true", help="use the sandbox even if a key is set"
        )

    serve = commands.add_parser("sandbox", help="serve the sandbox workspace over HTTP")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--no-limits", action="store_true", help="do not answer 429s")
    serve.set_defaults(run=_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    try:
        code: int = options.run(options)
    except ConfigurationError as error:
        _note(f"error: {error}")
        return 2
    except CustomerIOError as error:
        _note(f"error: {error}")
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
