"""`cio-toolkit mcp`'s command line: its options, and the server they start."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from .._errors import ConfigurationError
from .._settings import KEY_VARIABLE
from .._toolkit import CustomerIOToolkit
from ..operations import PRESETS


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)  # stdout is the protocol's


def _listed(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def chosen_tools(options: argparse.Namespace) -> str | list[str]:
    """`--tools` as the toolkit takes it: one preset's name, or the names given."""
    chosen = _listed(options.tools) or ["core"]
    return chosen[0] if len(chosen) == 1 and chosen[0] in PRESETS else chosen


def run(options: argparse.Namespace) -> int:
    """Serve until the client goes (stdio) or until interrupted (HTTP).

    Raises:
        ConfigurationError: no MCP SDK, no key, a refused key, or an unsafe HTTP setup.
    """
    try:
        import anyio
        import mcp  # noqa: F401  (the official SDK: an extra)
    except ImportError:
        raise ConfigurationError(
            "cio-toolkit mcp needs the MCP SDK: pip install 'cio-toolkit[mcp]'"
        ) from None

    from ._stdio import serve_stdio
    from ._streamable_http import TOKEN_VARIABLE, HttpOptions, serve_http
    from ._tools import check_workspace

    toolkit_options: dict[str, Any] = {
        "read_only": not options.write,
        "tools": chosen_tools(options),
        "dry_run": options.dry_run,
        "allow_recipients": _listed(options.allow_recipients) or None,
        "max_broadcast_recipients": options.max_broadcast_recipients,
        "rate_limit": False if options.rate_limit == "off" else (options.rate_limit or True),
    }
    if options.sandbox:
        from ..sandbox import Sandbox

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
    _say(f"cio-toolkit MCP server: {len(toolkit.operations)} tools ({writes}) on {where}.")
    if not options.http:
        anyio.run(_until_stopped, serve_stdio, toolkit)
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


async def _until_stopped(serve: Callable[..., Awaitable[None]], *arguments: Any) -> None:
    """Serve until done, or until SIGTERM or SIGINT, how clients stop a stdio server: what is in
    flight is cancelled, so a write that was out leaves its `unknown` audit line, and the process
    ends quietly instead of dying mid-call (SIGTERM) or with a traceback (SIGINT)."""
    import signal

    import anyio

    async with anyio.create_task_group() as serving:

        async def stop_when_told() -> None:
            with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
                async for _ in signals:
                    serving.cancel_scope.cancel()

        if sys.platform != "win32":  # no signal receivers there: Ctrl+C stays Python's
            serving.start_soon(stop_when_told)
        await serve(*arguments)
        serving.cancel_scope.cancel()


def _audit_to_stderr() -> None:
    """The server's audit trail: a line on stderr per write attempted, which MCP clients keep in
    their logs (never the key; message bodies neither, as `audit_bodies` is off)."""
    import logging

    from .._guardrails import audit_log
    from ._stderr import BackgroundStderr

    handler = BackgroundStderr()
    handler.setFormatter(logging.Formatter("%(asctime)s audit: %(message)s"))
    audit_log.addHandler(handler)
    audit_log.setLevel(logging.INFO)
    # This line is the record: the root logger, which any library's `logging.debug()` may give a
    # stderr handler of its own, must not print it a second time.
    audit_log.propagate = False


def _server_flags(parser: argparse.ArgumentParser, kept: bool = False) -> None:
    """The flags that choose what a stdio server offers. `kept`: a flag not given leaves the
    value set before it (`mcp --sandbox config cursor` keeps --sandbox)."""

    def flag(*names: str, **settings: Any) -> None:
        if kept:  # a default set again would undo the value given before `config`
            settings["default"] = argparse.SUPPRESS
        parser.add_argument(*names, **settings)

    flag("--sandbox", action="store_true", help="serve the emulated workspace")
    flag("--write", action="store_true", help="offer the write tools too")
    flag("--tools", help="a preset (core, all) or tool names, comma-separated (default core)")
    flag("--dry-run", action="store_true", help="writes send nothing, say what")
    flag("--allow-recipients", help="domains or addresses writes may reach, comma-separated")
    flag("--max-broadcast-recipients", type=int, default=100,
         help="recipients a broadcast may name inline (default 100)")  # fmt: skip
    flag("--region", choices=("us", "eu"), help="default CUSTOMERIO_REGION, else us")
    flag("--base-url", help="default CUSTOMERIO_BASE_URL, else the region's host")
    shared = '"redis://host:port/db" to share one budget with other processes, or "off"'
    flag("--rate-limit", help=shared)


def _config(options: argparse.Namespace) -> int:
    from ._config import run as print_or_save

    return print_or_save(options, chosen_tools(options))


def add_parser(commands: Any) -> None:
    """The `mcp` subcommand, and its `config`, on `commands` (argparse's subparsers)."""
    mcp = commands.add_parser(
        "mcp",
        help="serve the tools over MCP (stdio, or streamable HTTP with --http)",
        description="Serve the tools to MCP clients (Claude, Cursor, VS Code...). The key comes "
        f"from {KEY_VARIABLE}; nothing is sent without --write.",
    )
    _server_flags(mcp)
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
    mcp.set_defaults(run=run)
    config = mcp.add_subparsers(title="a client's set-up", metavar="config").add_parser(
        "config",
        help="print an MCP client's entry for this server (or --save it into the client's file)",
        description="The entry starts this installation's server by absolute path (a desktop "
        "app's PATH lacks your virtualenv) with the flags given; the key comes from the "
        "client's environment or secret prompt, never from the arguments.",
    )
    config.add_argument("client", choices=("claude-desktop", "cursor", "vscode", "claude-code"))
    config.add_argument(
        "--save", action="store_true",
        help="merge it into the client's own file, keeping what is there (and a copy of it)",
    )  # fmt: skip
    _server_flags(config, kept=True)
    config.set_defaults(run=_config)
