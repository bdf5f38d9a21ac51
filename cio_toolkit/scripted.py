"""A scripted stand-in for a chat model: a `Script` decides each turn from what it has seen.

Tutorials, the demo, the benchmarks and offline agent tests use one when no real model is
configured (the example jobs are in `cio_toolkit.jobs`). `play` runs a script against any
tool-calling function; the adapters wrap a `Script` as a framework model:
`langchain_customerio.testing.ScriptedChatModel` and
`llama_index.tools.customerio.testing.scripted_llm`.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._errors import ConfigurationError, CustomerIOError

ToolCall = tuple[str, dict[str, Any]]
Turn = list[ToolCall] | str  # tool calls to make next, or the final answer


@dataclass(frozen=True)
class ToolResult:
    name: str
    content: str


@dataclass(frozen=True)
class Exchange:
    """What the model has seen since the user's latest message."""

    request: str
    turn: int  # model turns already taken since the request
    results: tuple[ToolResult, ...]

    def last(self, name: str) -> Any:
        """The latest result of tool `name`, parsed from its JSON text (None if it never ran)."""
        every = self.every(name)
        return every[-1] if every else None

    def every(self, name: str) -> list[Any]:
        """Every result of tool `name`, oldest first, each parsed from its JSON text (an error
        message stays text)."""
        return [_parsed(readable(r.content)) for r in self.results if r.name == name]


def _parsed(said: str) -> Any:
    try:
        return json.loads(said)
    except ValueError:
        return said  # an error message


def rows(table: Any, key: str) -> list[dict[str, Any]]:
    """A tool's table (`columns` plus rows under `key`) as one dict per row; none for an error."""
    if not isinstance(table, dict) or key not in table:
        return []
    return [dict(zip(table["columns"], row, strict=True)) for row in table[key]]


# An MCP tool result as llama-index-tools-mcp hands it to the model: the `CallToolResult`'s
# repr, its text in the first TextContent.
_MCP_TEXT = re.compile(
    r"^meta=.*?content=\[TextContent\(type='text', text="
    r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
)


def readable(content: str) -> str:
    """A tool's output as a model reads it: the text itself, or the text an MCP result holds
    where a framework shows the model the whole result object."""
    found = _MCP_TEXT.match(content)
    if found is None:
        return content
    text: str = ast.literal_eval(found.group(1))
    return text


Script = Callable[[Exchange], Turn]


def in_order(*turns: Turn, then: str = "Done.") -> Script:
    """A fixed script: the given turns one after another, then `then` as the answer."""
    return lambda exchange: turns[exchange.turn] if exchange.turn < len(turns) else then


Call = Callable[[str, dict[str, Any]], str]  # runs one tool, returns the text a model sees
Observer = Callable[[int, list[tuple[str, dict[str, Any], str]]], None]


def play(
    script: Script, request: str, call: Call, *, on_turn: Observer | None = None, turns: int = 20
) -> str:
    """Run a script as an agent loop would: its tool calls through `call`, until it answers.

    An error the model could act on reaches the script as the tool's text, as the frameworks
    show it to a model; misconfiguration raises. `on_turn(turn, [(tool, arguments, text)])`
    sees each turn's calls.
    """
    results: list[ToolResult] = []
    for turn in range(turns):
        step = script(Exchange(request, turn, tuple(results)))
        if isinstance(step, str):
            return step
        made = []
        for name, arguments in step:
            try:
                text = call(name, arguments)
            except ConfigurationError:
                raise
            except CustomerIOError as error:
                text = str(error)
            results.append(ToolResult(name, text))
            made.append((name, arguments, text))
        if on_turn is not None:
            on_turn(turn, made)
    raise RuntimeError(f"the script did not answer {request!r} within {turns} turns")
