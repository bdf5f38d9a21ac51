"""The `cio-toolkit` command: the demo, the tools, one call, MCP, the evaluation, the sandbox."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._errors import (
    ConfigurationError,
    CustomerIOError,
    MissingKeyError,
    WriteToolNotOfferedError,
)
from ._settings import BASE_URL_VARIABLE, KEY_VARIABLE
from ._toolkit import CustomerIOToolkit
from ._version import __version__
from .operations import PRESETS, REGISTRY, select_operations

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
    return bool(options.sandbox or not (configured or options.base_url))


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
    return CustomerIOToolkit(
        read_only=read_only, tools=tools, region=options.region, base_url=options.base_url
    )


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
    from ._demo import run

    sandbox = None
    if _on_sandbox(options):
        from .sandbox import Sandbox

        sandbox = Sandbox()

    def toolkit(read_only: bool, tools: str = "core") -> CustomerIOToolkit:
        return _toolkit(options, read_only=read_only, sandbox=sandbox, tools=tools)

    run(options, sandbox, toolkit, lambda kit: _where(options, kit))
    return 0


# -- entry point ---------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cio-toolkit", description=__doc__)
    parser.add_argument("--version", action="version", version=f"cio-toolkit {__version__}")
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
        command.add_argument(
            "--region", choices=("us", "eu"), help="default CUSTOMERIO_REGION, else us"
        )
        command.add_argument(
            "--base-url", help="default CUSTOMERIO_BASE_URL, else the region's host"
        )

    from .mcp_server._options import add_parser  # the module is light: the SDK loads on run

    add_parser(commands)

    from .evaluation._cli import add_parser as add_eval_parser

    add_eval_parser(commands)

    serve = commands.add_parser("sandbox", help="serve the sandbox workspace over HTTP")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--no-limits", action="store_true", help="do not answer 429s")
    serve.set_defaults(run=_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    try:
        code: int = options.run(options)
    except MissingKeyError:
        # The command line's own words: its flags and the environment, not Python's arguments.
        _note(
            f"error: no Customer.io App API key: set {KEY_VARIABLE} (Customer.io: Settings > "
            "API Credentials > App API Keys), or add --sandbox to try the tools on the emulated "
            "workspace."
        )
        return 2
    except WriteToolNotOfferedError as error:
        _note(f"error: {', '.join(error.tools)} can send messages: add --write to offer them.")
        return 2
    except ConfigurationError as error:
        _note(f"error: {error}")
        return 2
    except CustomerIOError as error:
        _note(f"error: {error}")
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
