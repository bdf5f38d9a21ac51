"""What a message's Liquid reads: the `trigger.*` data and `customer.*` attributes it uses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

# Customer.io fills `trigger` from a send's message_data (a broadcast's data), `customer` from
# the profile and, in a campaign an event starts, `event` from that event's data.
ROOTS = ("trigger", "customer", "event")


@dataclass
class Reads:
    """The paths under each root, in order of first use, and the optional ones: those the
    template copes without, as every use of them either falls back to a `default` filter or is
    only tested or looped over (`if`, `unless`, `case`, `for`). `error` is set when a source is
    not Liquid, with what the parser said. `defaults` holds, per optional path, the first
    fallback a `default` filter gives it, as Liquid writes it (`'there'`, `30`, `customer.x`)."""

    paths: dict[str, list[str]] = field(default_factory=lambda: {root: [] for root in ROOTS})
    optional: dict[str, list[str]] = field(default_factory=lambda: {root: [] for root in ROOTS})
    defaults: dict[str, dict[str, str]] = field(
        default_factory=lambda: {root: {} for root in ROOTS}
    )
    error: str | None = None

    def optional_shown(self, root: str) -> list[str]:
        """The optional paths under `root`, each with its fallback: `name (default 'there')`."""
        fallbacks = self.defaults[root]
        return [
            f"{path} (default {fallbacks[path]})" if path in fallbacks else path
            for path in self.optional[root]
        ]


# python-liquid's lexer looks ahead from each `{{` or `{%` to its closer, so text with many
# unclosed openers ("{" * 20_000) takes it seconds to minutes. Its work is measured first, in one
# pass: past this many characters of look-ahead (about a third of a second), the source is
# reported as unreadable instead.
MAX_LOOKAHEAD = 5_000_000
_BRACES = re.compile(r"(?=(\{\{|\{%|\}\}|%\}))")


def lookahead(source: str) -> int:
    """How many characters the lexer scans ahead in all: from each opener to the next closer."""
    work, closer = 0, len(source)
    for match in reversed(list(_BRACES.finditer(source))):
        if match.group(1) in ("}}", "%}"):
            closer = match.start()
        else:
            work += closer - match.start()
    return work


def _path_text(segments: Iterable[Any]) -> str:
    """`["items", 0, "name"]` as `items[0].name`; a computed segment as `[…]`."""
    text = ""
    for segment in segments:
        if isinstance(segment, str):
            text += f".{segment}" if text else segment
        else:
            text += f"[{segment}]" if isinstance(segment, int) else "[…]"
    return text


def _guarded_starts(template: Any) -> dict[int, str | None]:
    """Where each path the template copes without begins (its token's index): one a `default`
    filter falls back from (with the fallback's text), or one a tag only tests or loops over
    (with None)."""
    from liquid import ConditionalBlockNode, RenderContext
    from liquid.builtin.expressions.filtered import FilteredExpression
    from liquid.builtin.expressions.path import Path
    from liquid.builtin.tags.case_tag import CaseNode
    from liquid.builtin.tags.for_tag import ForNode
    from liquid.builtin.tags.if_tag import IfNode
    from liquid.builtin.tags.unless_tag import UnlessNode

    tests = (IfNode, ConditionalBlockNode, UnlessNode, CaseNode, ForNode)
    context = RenderContext(template)

    def nodes(found: Iterable[Any]) -> Iterator[Any]:
        for node in found:
            yield node
            yield from nodes(node.children(context, include_partials=False))

    def expressions(expression: Any) -> Iterator[Any]:
        yield expression
        for child in expression.children():
            yield from expressions(child)

    guarded: dict[int, str | None] = {}
    for node in nodes(template.nodes):
        for expression in (e for top in node.expressions() for e in expressions(top)):
            if isinstance(node, tests) and isinstance(expression, Path):
                guarded.setdefault(expression.token.start_index, None)
            elif isinstance(expression, FilteredExpression) and isinstance(expression.left, Path):
                fallbacks = [f for f in expression.filters or () if f.name == "default"]
                if fallbacks:
                    start = expression.left.token.start_index
                    guarded[start] = _fallback_text(fallbacks[0])
    return guarded


def _fallback_text(default_filter: Any) -> str | None:
    """What `| default: x` falls back to, as Liquid writes it (`'there'`, `3`, `customer.x`)."""
    return str(default_filter.args[0].value) if default_filter.args else None


def template_reads(*sources: str) -> Reads:
    """The `trigger.*` and `customer.*` paths the Liquid sources read, by python-liquid's own
    parser and static analysis (so loops' locals, `assign`s and nesting are understood)."""
    from liquid import parse
    from liquid.exceptions import LiquidError

    reads = Reads()
    # Each path's uses, in order of first use: whether each is guarded.
    uses: dict[tuple[str, str], list[bool]] = {}
    fallbacks: dict[tuple[str, str], str] = {}
    for source in sources:
        if lookahead(source) > MAX_LOOKAHEAD:
            reads.error = "too many unclosed {{ or {% to read as Liquid"
            continue
        try:
            template = parse(source)
            # Partials (snippets) are other templates, not loaded here: their own reads aside.
            found = template.analyze(include_partials=False).globals
            guarded = _guarded_starts(template)
        except LiquidError as error:
            reads.error = str(error.message or error)
            continue
        for root in ROOTS:
            for variable in found.get(root, []):
                path = _path_text(variable.segments[1:])
                if not path or path.startswith("["):
                    continue  # the whole object ({{ trigger }}), or a key computed at render
                start = variable.span.index
                uses.setdefault((root, path), []).append(start in guarded)
                fallback = guarded.get(start)
                if fallback is not None:
                    fallbacks.setdefault((root, path), fallback)
    for (root, path), each_guarded in uses.items():
        reads.paths[root].append(path)
        if all(each_guarded):
            reads.optional[root].append(path)
            if (root, path) in fallbacks:
                reads.defaults[root][path] = fallbacks[(root, path)]
    return reads
