"""The `cio-toolkit` command: the demo, the tool list, one tool call, and the sandbox server."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import scripted
from .errors import ConfigurationError, CustomerIOError
from .operations import REGISTRY
from .scripted import example_jobs, play
from .settings import BASE_URL_VARIABLE, KEY_VARIABLE
from .toolkit import PRESETS, CustomerIOToolkit, select_operations

if TYPE_CHECKING:
    from .sandbox import Sandbox


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
    options: argparse.Namespace,
    *,
    read_only: bool,
    sandbox: Sandbox | None = None,
    tools: str = "core",
) -> CustomerIOToolkit:
    if _on_sandbox(options):
        return CustomerIOToolkit.sandbox(sandbox, read_only=read_only, tools=tools)
    return CustomerIOToolkit(read_only=read_only, tools=tools)


# -- `cio-toolkit tools`, `call` and `sandbox` ---------------------------------------------------


def _tools(options: argparse.Namespace) -> int:
    chosen = select_operations(read_only=not options.write, tools=options.preset)
    for op in chosen:
        schema = op.parameters
        required = set(schema.get("required", []))
        arguments = [f"{n}{'' if n in required else '?'}" for n in schema.get("properties", {})]
        _say(f"{op.name:<40} {op.access:<6} {', '.join(arguments) or '-'}")
    writes = "with" if options.write else "without"
    _note(f"{len(chosen)} tools: preset {options.preset}, {writes} the write tools.")
    return 0


def _call(options: argparse.Namespace) -> int:
    if options.name in REGISTRY and REGISTRY[options.name].is_write and not options.write:
        _note(f"error: {options.name} sends messages; add --write to run it.")
        return 2
    with _toolkit(options, read_only=not options.write, tools="all") as kit:
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


def _demo(options: argparse.Namespace) -> int:
    sandbox: Sandbox | None = None
    if _on_sandbox(options):
        from .sandbox import Sandbox

        sandbox = Sandbox()
    numbered = iter(range(1, 20))
    reads = "all" if options.all else "core"
    with _toolkit(options, read_only=True, sandbox=sandbox, tools=reads) as kit:
        _say(_where(options, kit))
        _say("The model is a scripted stand-in: code that makes the tool calls a model would.")
        _say("Read-only tools: " + ", ".join(spec.name for spec in kit.specs) + "\n")
        _job(kit, next(numbered), scripted.campaign_report(options.days))
        email = options.email or (scripted.ADA if sandbox else _someone(kit))
        if email:
            _job(kit, next(numbered), scripted.person_lookup(email))
        if options.all:
            segment = options.segment or ("Pro plan" if sandbox else None)
            if segment:
                _job(kit, next(numbered), scripted.segment_size(segment))
            if email:
                _job(kit, next(numbered), scripted.last_message(email))
            _job(kit, next(numbered), scripted.NEWSLETTER_REPORT)
    _writes(options, sandbox, numbered)
    return 0


def _writes(options: argparse.Namespace, sandbox: Sandbox | None, numbered: Any) -> None:
    """The jobs that send: on the sandbox always; on a workspace only with --write and an
    address (or a broadcast and segment) to send to."""
    to = options.to or (scripted.ADA if sandbox is not None else None)
    if not (to and (sandbox is not None or options.write)):
        _say(f"{next(numbered)}. Skipped: on a real workspace this sends a real email. Run again")
        _say(
            "   with --write --to YOUR@ADDRESS (and --template NAME --data key=value) to send one."
        )
        return
    with _toolkit(options, read_only=False, sandbox=sandbox) as kit:
        if options.template or options.data:
            _job(kit, next(numbered), scripted.send_template(
                options.template or "order_confirmation", to, _data(options.data)))  # fmt: skip
        else:
            _job(kit, next(numbered), scripted.SEND_RECEIPT.replace(scripted.ADA, to))
        _show_outbox(sandbox)
        if not options.all:
            return
        if sandbox is not None:
            _job(kit, next(numbered), scripted.SEND_RESET)
            unsubscribed = _unsubscribed(kit)
            if unsubscribed:
                _job(kit, next(numbered), scripted.send_template("welcome", unsubscribed))
            _job(kit, next(numbered), scripted.TRIGGER_BROADCAST)
        elif options.broadcast and options.segment:
            _job(kit, next(numbered), scripted.trigger_broadcast(
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


# -- `cio-toolkit mcp` ---------------------------------------------------------------------------


def _listed(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _mcp(options: argparse.Namespace) -> int:
    try:
        import anyio
        import mcp  # noqa: F401  (the official SDK: an extra)
    except ImportError:
        raise ConfigurationError(
            "cio-toolkit mcp needs the MCP SDK: pip install 'cio-toolkit[mcp]'"
        ) from None

    from .mcp_server import TOKEN_VARIABLE, HttpOptions, check_workspace, serve_http, serve_stdio

    chosen = _listed(options.tools) or ["core"]
    toolkit_options: dict[str, Any] = {
        "read_only": not options.write,
        "tools": chosen[0] if len(chosen) == 1 and chosen[0] in PRESETS else chosen,
        "dry_run": options.dry_run,
        "allow_recipients": _listed(options.allow_recipients) or None,
        "max_broadcast_recipients": options.max_broadcast_recipients,
        "rate_limit": False if options.rate_limit == "off" else (options.rate_limit or True),
    }
    if options.sandbox:
        from .sandbox import Sandbox

        toolkit = CustomerIOToolkit.sandbox(Sandbox(), **toolkit_options)
        where = "the sandbox, an emulated workspace (nothing leaves this machine)"
    else:
        # Never the sandbox by default: a server without a key says so and stops.
        toolkit = CustomerIOToolkit(
            region=options.region, base_url=options.base_url, **toolkit_options
        )
        check_workspace(toolkit)
        where = f"the Customer.io workspace at {toolkit.settings.base_url}"
    writes = "with the write tools" if options.write else "read-only"
    if options.write:
        _audit_to_stderr()
    _note(f"cio-toolkit MCP server: {len(toolkit.operations)} tools ({writes}) on {where}.")
    if not options.http:
        anyio.run(serve_stdio, toolkit)
        return 0
    http = HttpOptions(
        host=options.host,
        port=options.port,
        token=options.token or os.environ.get(TOKEN_VARIABLE) or None,
        allowed_origins=tuple(options.allow_origin),
        allowed_hosts=tuple(options.allow_host),
    )
    http.check(toolkit.settings.api_key.get_secret_value())
    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(serve_http, toolkit, http)
    return 0


def _audit_to_stderr() -> None:
    """The server's audit trail: a line on stderr per write attempted, which MCP clients keep in
    their logs (never the key; message bodies neither, as `audit_bodies` is off)."""
    import logging

    from .guardrails import audit_log

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s audit: %(message)s"))
    audit_log.addHandler(handler)
    audit_log.setLevel(logging.INFO)


def _mcp_parser(commands: Any) -> None:
    mcp = commands.add_parser(
        "mcp",
        help="serve the tools over MCP (stdio, or streamable HTTP with --http)",
        description="Serve the tools to MCP clients (Claude, Cursor, VS Code...). The key comes "
        f"from {KEY_VARIABLE}; nothing is sent without --write.",
    )
    mcp.add_argument("--sandbox", action="store_true", help="serve the emulated workspace")
    mcp.add_argument("--write", action="store_true", help="offer the write tools too")
    mcp.add_argument(
        "--tools", help="a preset (core, all) or tool names, comma-separated (default core)"
    )
    mcp.add_argument("--dry-run", action="store_true", help="writes send nothing, say what")
    mcp.add_argument(
        "--allow-recipients", help="domains or addresses writes may reach, comma-separated"
    )
    mcp.add_argument(
        "--max-broadcast-recipients",
        type=int,
        default=100,
        help="recipients a broadcast may name inline (default 100)",
    )
    mcp.add_argument("--region", choices=("us", "eu"), help="default CUSTOMERIO_REGION, else us")
    mcp.add_argument("--base-url", help="default CUSTOMERIO_BASE_URL, else the region's host")
    mcp.add_argument(
        "--rate-limit",
        help='"redis://host:port/db" to share one budget with other processes, or "off"',
    )
    mcp.add_argument("--http", action="store_true", help="streamable HTTP instead of stdio")
    mcp.add_argument("--host", default="127.0.0.1", help="HTTP address (default 127.0.0.1)")
    mcp.add_argument("--port", type=int, default=8000, help="HTTP port (default 8000)")
    mcp.add_argument(
        "--token", help="the bearer token HTTP clients must send (or CIO_TOOLKIT_MCP_TOKEN)"
    )
    mcp.add_argument(
        "--allow-origin", action="append", default=[], help="a browser origin to allow (HTTP)"
    )
    mcp.add_argument(
        "--allow-host", action="append", default=[], help="a Host header to allow (HTTP)"
    )
    mcp.set_defaults(run=_mcp)


# -- entry point ---------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cio-toolkit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser(
        "demo", help="run the example jobs with a scripted stand-in for the model"
    )
    demo.add_argument("--days", type=int, default=30, help="metrics window (default 30)")
    demo.add_argument("--email", help="the person to look up (default: the first one found)")
    demo.add_argument(
        "--all", action="store_true", help="also find, count, trigger and check (every job)"
    )
    demo.add_argument("--write", action="store_true", help="allow real sends on a workspace")
    demo.add_argument("--to", help="the send's recipient on a real workspace")
    demo.add_argument("--template", help="the send's transactional message, by name or id")
    demo.add_argument(
        "--data", action="append", default=[], metavar="KEY=VALUE", help="data to send with it"
    )
    demo.add_argument("--segment", help="the segment to count, or to trigger a broadcast for")
    demo.add_argument("--broadcast", help="the broadcast to trigger (--all --write), by name")
    demo.set_defaults(run=_demo)

    tools = commands.add_parser("tools", help="list a toolkit's tools")
    tools.add_argument(
        "--preset", choices=PRESETS, default="core", help="which tools (default core)"
    )
    tools.add_argument("--write", action="store_true", help="with the write tools")
    tools.set_defaults(run=_tools)

    call = commands.add_parser("call", help="run one tool and print what a model would see")
    call.add_argument("name")
    call.add_argument("--args", default="{}", help="the arguments as JSON")
    call.add_argument("--write", action="store_true", help="allow the write tools")
    call.set_defaults(run=_call)

    for command in (demo, call):
        command.add_argument(
            "--sandbox", action="store_true", help="use the sandbox even if a key is set"
        )

    _mcp_parser(commands)

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
