"""The registry: every Customer.io operation, declared once in its resource's module, and the
presets that choose among them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .._errors import UnknownToolError
from .._operation import Operation
from . import (
    broadcasts,
    campaigns,
    customers,
    messages,
    newsletters,
    segments,
    send_email,
    transactional,
    triggers,
)

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    *customers.OPERATIONS,
    *campaigns.OPERATIONS,
    *transactional.OPERATIONS,
    *send_email.OPERATIONS,
    *broadcasts.OPERATIONS,
    *triggers.OPERATIONS,
    *segments.OPERATIONS,
    *newsletters.OPERATIONS,
    *messages.OPERATIONS,
)
REGISTRY: dict[str, Operation[Any, Any]] = {op.name: op for op in OPERATIONS}


PRESETS = ("core", "all")
Tools = str | Iterable[str | Operation[Any, Any]] | None


def select_operations(read_only: bool, tools: Tools) -> tuple[Operation[Any, Any], ...]:
    """The operations a toolkit offers; never a write when read-only.

    `tools` is a preset (`"core"`, the default: the first eight tools, and with writes on the
    tools that check what writes did; `"all"`: every tool), or a list of tool names, presets and
    `Operation`s of your own. A preset leaves its write tools out of a read-only toolkit; a write
    tool named outright in one is an error.
    """
    chosen = [tools or "core"] if isinstance(tools, str) or tools is None else list(tools)
    unknown = [c for c in chosen if isinstance(c, str) and c not in REGISTRY and c not in PRESETS]
    if unknown:
        raise UnknownToolError(
            f"Unknown Customer.io tool(s) {', '.join(unknown)}; choose from "
            f"{', '.join(REGISTRY)}, or a preset ({', '.join(PRESETS)})."
        )
    named = [REGISTRY[c] if isinstance(c, str) else c for c in chosen if c not in PRESETS]
    writes = [op.name for op in named if op.is_write]
    if read_only and writes:
        raise UnknownToolError(
            f"{', '.join(writes)} can send messages; build the toolkit with read_only=False to "
            "offer write tools."
        )
    operations: list[Operation[Any, Any]] = []
    for choice in chosen:
        if choice == "core":
            wanted = ("core",) if read_only else ("core", "verify")
            operations += [op for op in OPERATIONS if op.preset in wanted]
        elif choice == "all":
            operations += OPERATIONS
        else:
            operations.append(REGISTRY[choice] if isinstance(choice, str) else choice)
    kept = [op for op in operations if not (read_only and op.is_write)]
    return tuple(dict.fromkeys(kept))


__all__ = ["OPERATIONS", "PRESETS", "REGISTRY", "Tools", "select_operations"]
