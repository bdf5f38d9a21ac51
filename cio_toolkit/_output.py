"""`ToolOutput`: one call's answer computed once, as text, structured value and typed result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._views import dumps

if TYPE_CHECKING:
    from ._operation import Result


@dataclass(frozen=True)
class ToolOutput:
    """What every framework hands on from one call: LangChain's content and artifact,
    LlamaIndex's content and `raw_output`, MCP's text and `structuredContent`.

    Attributes:
        text: exactly what the model sees: the compact JSON of `structured`.
        structured: the tool's view as a JSON object, cut to fit as the text is.
        result: the typed result, every field as Customer.io gave it.
    """

    text: str
    structured: dict[str, Any]
    result: Result

    def __str__(self) -> str:
        # What any framework that stringifies a tool's return value shows the model.
        return self.text

    @classmethod
    def of(
        cls, result: Result, limit: int | None = None, narrow: str = "ask for less"
    ) -> ToolOutput:
        """The output of `result`, at most `limit` characters of text.

        Longer output keeps as many items of its largest list as fit; failing that, its long
        texts are shortened. Either way it keeps its shape, and `truncated` says what was left
        out and `narrow`, how to ask for less. (Output of short values alone, which only a
        `limit` far below the default could meet, is left whole.)
        """
        shown = result.view().dump()
        text = dumps(shown)
        if limit is not None and len(text) > limit:
            shown = fit(shown, limit, narrow)
            text = dumps(shown)
        return cls(text, shown, result)


def fit(shown: dict[str, Any], limit: int, narrow: str) -> dict[str, Any]:
    """`shown` in at most `limit` characters of JSON: its largest list trimmed, else its
    longest strings shortened, with a `truncated` note first."""
    return _trim_a_list(shown, limit, narrow) or _shorten_texts(shown, limit, narrow)


def _trim_a_list(shown: dict[str, Any], limit: int, narrow: str) -> dict[str, Any] | None:
    lists = {k: v for k, v in shown.items() if isinstance(v, list) and v}
    if not lists:
        return None
    key = max(lists, key=lambda k: len(dumps(lists[k])))
    items = lists[key]

    def trimmed(count: int) -> dict[str, Any]:
        note = f"showing {count:,} of {len(items):,} {key}; {narrow}"
        return {"truncated": note, **shown, key: items[:count]}

    # Each item's size, once: the count that fits follows without re-encoding everything.
    room = limit - len(dumps(trimmed(0)))
    count = 0
    for size in (len(dumps(item)) + 1 for item in items):
        if size > room:
            break
        room -= size
        count += 1
    while count and len(dumps(trimmed(count))) > limit:
        count -= 1
    if count or len(dumps(trimmed(0))) <= limit:
        return trimmed(count)
    return None


# Strings this long or shorter are never cut: cutting them saves less than saying so costs.
SHORT_TEXT = 100


def _shorten_texts(shown: dict[str, Any], limit: int, narrow: str) -> dict[str, Any]:
    """The longest strings cut (each ending in "…"), one after another, until the whole fits;
    output of short values only is left as it is."""
    value = shown
    cut: dict[tuple[str, ...], int] = {}  # path -> the string's length before it was cut
    while True:
        said = ", ".join(
            f"{'.'.join(p)} to {len(_at(value, p)):,} of {n:,}" for p, n in cut.items()
        )
        candidate = {"truncated": f"cut {said} characters; {narrow}", **value} if cut else value
        excess = len(dumps(candidate)) - limit
        found = _longest_text(value)
        if excess <= 0 or found is None:
            return candidate
        path, text = found
        cut.setdefault(path, len(text))  # its length before any cut
        # Escapes make JSON longer than the text: what they add is taken off too.
        keep = max(
            0, len(text) - excess - (len(dumps(text)) - len(text)) - 40 - len(".".join(path))
        )
        value = _replace(value, path, text[:keep] + "…")


def _longest_text(node: Any, path: tuple[str, ...] = ()) -> tuple[tuple[str, ...], str] | None:
    """The path to the longest string in `node` worth cutting, and the string."""
    best: tuple[tuple[str, ...], str] | None = None
    if isinstance(node, dict):
        children: Any = node.items()
    elif isinstance(node, list):
        children = enumerate(node)
    else:
        return None
    for key, child in children:
        here = (*path, str(key))
        if isinstance(child, str):
            found = None if len(child) <= SHORT_TEXT else (here, child)
        else:
            found = _longest_text(child, here)
        if found is not None and (best is None or len(found[1]) > len(best[1])):
            best = found
    return best


def _at(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def _replace(node: Any, path: tuple[str, ...], text: str) -> Any:
    """`node` with the string at `path` replaced, the rest shared, not copied."""
    head, *rest = path
    inner = _replace(_at(node, (head,)), tuple(rest), text) if rest else text
    if isinstance(node, list):
        index = int(head)
        return [*node[:index], inner, *node[index + 1 :]]
    return {**node, head: inner}
