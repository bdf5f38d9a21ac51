"""The `cio-toolkit` command: list the tools, call one, run the demo."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .errors import ConfigurationError, CustomerIOError
from .operations import OPERATIONS


def _tools(_: argparse.Namespace) -> int:
    for op in OPERATIONS:
        arguments = ", ".join(op.parameters.get("properties", {})) or "-"
        print(f"{op.name:<40} {op.access:<6} {arguments}")
    return 0


def _call(options: argparse.Namespace) -> int:
    from .toolkit import CustomerIOToolkit

    kit = CustomerIOToolkit(read_only=not options.write)
    print(kit.call(options.name, options.args))
    return 0


def _demo(_: argparse.Namespace) -> int:
    print("cio-toolkit: Customer.io's App API as agent tools. The tools:\n")
    _tools(_)
    print("\nSet CUSTOMERIO_APP_API_KEY and run `cio-toolkit call NAME --args JSON` to try one.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cio-toolkit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("tools", help="list the tools").set_defaults(run=_tools)
    call = commands.add_parser("call", help="run one tool and print what a model would see")
    call.add_argument("name")
    call.add_argument("--args", default="{}", help="the arguments as JSON")
    call.add_argument("--write", action="store_true", help="allow the write tools")
    call.set_defaults(run=_call)
    commands.add_parser("demo", help="show the toolkit at work").set_defaults(run=_demo)
    options = parser.parse_args(argv)
    try:
        code: int = options.run(options)
    except ConfigurationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except CustomerIOError as error:
        print(json.dumps({"error": str(error)}), file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
