"""The registry: every Customer.io operation, declared once in its resource's module, and the
presets that choose among them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from .._errors import UnknownToolError
from .._operation import Operation
from ._catalog import CATALOG, Entry

# The resource modules, in registry order; each declares its operations in `OPERATIONS`.
# `make generate` reads them to write `_catalog.py`.
MODULES = (
    "customers",
    "campaigns",
    "transactional",
    "send_email",
    "broadcasts",
    "triggers",
    "segments",
    "newsletters",
    "messages",
)


class Registry(Mapping[str, Operation[Any, Any]]):
    """Every operation by tool name, in registry order.

    A resource's module is imported when one of its operations is first asked for: its models
    are most of the package's import time, and a toolkit serves a few of them. Names, access
    and presets come from the generated catalog without importing anything.
    """

    def __init__(self, catalog: Mapping[str, Entry]) -> None:
        self._catalog = catalog
        self._loaded: dict[str, Operation[Any, Any]] = {}

    def __getitem__(self, name: str) -> Operation[Any, Any]:
        if name not in self._loaded:
            module = import_module(f"{__name__}.{self._catalog[name].module}")
            for operation in module.OPERATIONS:
                self._loaded[operation.name] = operation
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in self._catalog

    def __iter__(self) -> Iterator[str]:
        return iter(self._catalog)

    def __len__(self) -> int:
        return len(self._catalog)

    def __repr__(self) -> str:
        return f"<Registry of {len(self)} operations>"


REGISTRY = Registry(CATALOG)

if TYPE_CHECKING:
    OPERATIONS: tuple[Operation[Any, Any], ...]


def __getattr__(name: str) -> Any:
    # `OPERATIONS` is every operation, so asking for it imports every resource module.
    if name == "OPERATIONS":
        return tuple(REGISTRY.values())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    # A preset's operations are found in the catalog, so only those offered are imported.
    offered = {n: e for n, e in CATALOG.items() if not (read_only and e.access == "write")}
    operations: list[Operation[Any, Any]] = []
    for choice in chosen:
        if choice == "core":
            wanted = ("core",) if read_only else ("core", "verify")
            operations += [REGISTRY[n] for n, e in offered.items() if e.preset in wanted]
        elif choice == "all":
            operations += [REGISTRY[n] for n in offered]
        else:
            operations.append(REGISTRY[choice] if isinstance(choice, str) else choice)
    kept = [op for op in operations if not (read_only and op.is_write)]
    return tuple(dict.fromkeys(kept))


__all__ = ["MODULES", "OPERATIONS", "PRESETS", "REGISTRY", "Registry", "Tools", "select_operations"]
