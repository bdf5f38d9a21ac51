"""What a model is told about a toolkit's tools as a whole: what they are for, the toolsets there
are, and what the App API cannot answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._operation import Operation

# What the server tells a client about its tools as a whole, without writes and with them.
INSTRUCTIONS = "Read-only tools for one Customer.io workspace."
WRITE_INSTRUCTIONS = (
    "Tools for one Customer.io workspace. Find what you act on first (list broadcasts, "
    "segments, transactional templates; read a template to learn which message_data keys it "
    "takes), then act, then check what happened with the tool each write's answer names. "
    "Writes message real people and cannot be undone."
)
# Jobs people bring that no App API call answers: a model should say so rather than estimate.
CANNOT_ANSWER = (
    "The App API does not give revenue, inbox placement, people filtered by a date range, or "
    "how many people match an arbitrary filter (only a segment's size): say so rather than "
    "estimate."
)


def instructions(operations: Sequence[Operation[Any, Any]]) -> str:
    """The instructions for a toolkit offering `operations`: what they are for, the toolsets a
    toolkit can be built with (an MCP server started with), and what no tool can answer."""
    from .operations import PRESET_JOBS, REGISTRY

    writes = any(op.is_write for op in operations)
    toolsets = "; ".join(f"{name}: {job}" for name, job in PRESET_JOBS.items())
    return (
        f"{WRITE_INSTRUCTIONS if writes else INSTRUCTIONS} These are {len(operations)} of the "
        f"{len(REGISTRY)} tools. Toolsets (an MCP server's --tools NAME): {toolsets}. "
        f"{CANNOT_ANSWER}"
    )
