"""The `cio-toolkit` command: the demo, the tool list, one tool call, and the sandbox server."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .errors import ConfigurationError, CustomerIOError
from .operations import PRESETS, REGISTRY, select_operations
from .settings import BASE_URL_VARIABLE, KEY_VARIABLE
from .toolkit import CustomerIOToolkit

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


def _demo(options: argparse.Namespace) -> int:
    from . import demo

    sandbox = None
    if _on_sandbox(options):
        from .sandbox import Sandbox

        sandbox = Sandbox()

    def toolkit(read_only: bool, tools: str = "core") -> CustomerIOToolkit:
        return _toolkit(options, read_only=read_only, sandbox=sandbox, tools=tools)

    demo.run(options, sandbox, toolkit, lambda kit: _where(options, kit))
    return 0


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
