"""What a message's Liquid reads: the `trigger.*` data and `customer.*` attributes it uses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

# Customer.io fills `trigger` from a send's message_data (a broadcast's data) and `customer`
# from the profile: the two roots a caller can act on.
ROOTS = ("trigger", "customer")


@dataclass
class Reads:
    """The paths under each root, in order of first use, and those every use of which falls
    back to a `default` filter (so they may be left out). `error` is set when a source is not
    Liquid, with what the parser said."""

    paths: dict[str, list[str]] = field(default_factory=lambda: {root: [] for root in ROOTS})
    with_default: dict[str, list[str]] = field(default_factory=lambda: {root: [] for root in ROOTS})
    error: str | None = None


def _path_text(segments: Iterable[Any]) -> str:
    """`["items", 0, "name"]` as `items[0].name`; a computed segment as `[…]`."""
    text = ""
    for segment in segments:
        if isinstance(segment, str):
            text += f".{segment}" if text else segment
        else:
            text += f"[{segment}]" if isinstance(segment, int) else "[…]"
    return text


def _defaulted_starts(template: Any) -> set[int]:
    """Where each path that a `default` filter guards begins (its token's index)."""
    from liquid import RenderContext
    from liquid.builtin.expressions.filtered import FilteredExpression
    from liquid.builtin.expressions.path import Path

    context = RenderContext(template)

    def nodes(found: Iterable[Any]) -> Iterator[Any]:
        for node in found:
            yield node
            yield from nodes(node.children(context))

    def expressions(expression: Any) -> Iterator[Any]:
        yield expression
        for child in expression.children():
            yield from expressions(child)

    return {
        expression.left.token.start_index
        for node in nodes(template.nodes)
        for top in node.expressions()
        for expression in expressions(top)
        if isinstance(expression, FilteredExpression)
        and isinstance(expression.left, Path)
        and any(f.name == "default" for f in expression.filters or ())
    }


def template_reads(*sources: str) -> Reads:
    """The `trigger.*` and `customer.*` paths the Liquid sources read, by python-liquid's own
    parser and static analysis (so loops' locals, `assign`s and nesting are understood)."""
    from liquid import parse
    from liquid.exceptions import LiquidError

    reads = Reads()
    uses: dict[tuple[str, str], list[bool]] = {}
    for source in sources:
        try:
            template = parse(source)
            found = template.analyze().globals
            defaulted = _defaulted_starts(template)
        except LiquidError as error:
            reads.error = str(error.message or error)
            continue
        for root in ROOTS:
            for variable in found.get(root, []):
                path = _path_text(variable.segments[1:])
                if not path:
                    continue  # the whole object, as in {{ trigger }}
                if path not in reads.paths[root]:
                    reads.paths[root].append(path)
                uses.setdefault((root, path), []).append(variable.span.index in defaulted)
    for (root, path), guarded in uses.items():
        if all(guarded):
            reads.with_default[root].append(path)
    return reads
