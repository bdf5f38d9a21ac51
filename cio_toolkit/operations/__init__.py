"""The registry: every Customer.io operation, declared once in its resource's module, and the
presets that choose among them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from .._errors import UnknownToolError, WriteToolNotOfferedError
from .._operation import Operation
from ._catalog import CATALOG, Entry

# The resource modules, in registry order; each declares its operations in `OPERATIONS`.
# `make generate` reads them to write `_catalog.py`.
MODULES = (
    "customers",
    "histories",
    "campaigns",
    "comparisons",
    "transactional",
    "send_email",
    "broadcasts",
    "triggers",
    "segments",
    "newsletters",
    "messages",
    "deliveries",
    "links",
    "suppressions",
    "topics",
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


# The tools each job needs, by name: a model given a few tools picks better than one given all,
# and every tool's definition is sent on every turn. A preset's writes come with their checks
# (`Operation.checks`) and go when the toolkit is read-only. `all` is every tool.
PRESETS: dict[str, tuple[str, ...]] = {
    # The first eight: the default, whose six reads stay within 10 KB.
    "core": (
        "customerio_search_customers",
        "customerio_get_person_attributes",
        "customerio_list_campaigns",
        "customerio_get_campaign_metrics",
        "customerio_list_transactional_messages",
        "customerio_send_transactional_email",
        "customerio_trigger_broadcast",
        "customerio_list_segments",
    ),
    # A ticket about one person: who they are, what they were sent and what became of it.
    "support": (
        "customerio_search_customers",
        "customerio_get_person_attributes",
        "customerio_get_people_attributes",
        "customerio_get_person_messages",
        "customerio_get_person_segments",
        "customerio_get_person_activities",
        "customerio_list_subscription_topics",
        "customerio_get_message",
        "customerio_list_transactional_messages",
        "customerio_send_transactional_email",
    ),
    # Campaigns, broadcasts and newsletters: what exists, how each did, who they reach.
    "marketing": (
        "customerio_list_campaigns",
        "customerio_get_campaign",
        "customerio_get_campaign_metrics",
        "customerio_list_broadcasts",
        "customerio_get_broadcast",
        "customerio_get_broadcast_metrics",
        "customerio_list_broadcast_triggers",
        "customerio_trigger_broadcast",
        "customerio_list_segments",
        "customerio_get_segment_size",
        "customerio_list_newsletters",
        "customerio_get_newsletter_metrics",
        "customerio_get_link_metrics",
    ),
    # Numbers over windows, read only.
    "analytics": (
        "customerio_list_campaigns",
        "customerio_get_campaign_metrics",
        "customerio_compare_campaign_metrics",
        "customerio_list_broadcasts",
        "customerio_get_broadcast_metrics",
        "customerio_list_newsletters",
        "customerio_get_newsletter_metrics",
        "customerio_list_transactional_messages",
        "customerio_get_transactional_metrics",
        "customerio_list_segments",
        "customerio_get_segment_size",
    ),
    # Bounces, failures and what one delivery became.
    "deliverability": (
        "customerio_search_customers",
        "customerio_get_person_attributes",
        "customerio_get_person_messages",
        "customerio_get_message",
        "customerio_list_deliveries",
        "customerio_get_email_suppression",
        "customerio_list_campaigns",
        "customerio_get_campaign_metrics",
        "customerio_list_broadcasts",
        "customerio_get_broadcast_metrics",
    ),
    "all": tuple(CATALOG),
}
# What each preset is for, in a line: told to MCP clients, which choose a server's toolset.
PRESET_JOBS: dict[str, str] = {
    "core": "the first eight: people, campaigns and their metrics, templates, segments",
    "support": "one person's profile, messages, activities and topics, and a delivery",
    "marketing": "campaigns, broadcasts and newsletters: definitions, metrics, links, triggers",
    "analytics": "numbers over windows, campaigns compared",
    "deliverability": "bounces, failures, suppressions and deliveries by metric",
    "all": "every tool",
}
Tools = str | Iterable[str | Operation[Any, Any]] | None


def select_operations(read_only: bool, tools: Tools) -> tuple[Operation[Any, Any], ...]:
    """The operations a toolkit offers, in the order asked for; never a write when read-only.

    Args:
        read_only: leave out every write tool (a preset's quietly; one named outright is an
            error).
        tools: a preset (see `PRESETS`: `"core"`, the default, is the first eight tools), or a
            list of tool names, presets and `Operation`s of your own.

    Raises:
        UnknownToolError: a name that is neither a tool nor a preset, or a write tool named in
            a read-only toolkit.
    """
    chosen = [tools or "core"] if isinstance(tools, str) or tools is None else list(tools)
    unknown = [c for c in chosen if isinstance(c, str) and c not in REGISTRY and c not in PRESETS]
    if unknown:
        raise UnknownToolError(
            f"Unknown Customer.io tool(s) {', '.join(unknown)}; choose from "
            f"{', '.join(REGISTRY)}, or a preset ({', '.join(PRESETS)})."
        )
    named = [c for c in chosen if not isinstance(c, str) or c not in PRESETS]
    writes = [
        c if isinstance(c, str) else c.name
        for c in named
        if (CATALOG[c].access if isinstance(c, str) else c.access) == "write"
    ]
    if read_only and writes:
        raise WriteToolNotOfferedError(
            f"{', '.join(writes)} can send messages; build the toolkit with read_only=False to "
            "offer write tools.",
            writes,
        )
    # In the order asked for, a preset's tools in registry order; names are resolved in the
    # catalog, so only the operations offered are imported.
    operations: list[Operation[Any, Any]] = []
    for choice in chosen:
        if not isinstance(choice, str):
            operations.append(choice)
            continue
        names = [
            name
            for name in PRESETS.get(choice, (choice,))
            if not (read_only and CATALOG[name].access == "write")
        ]
        wanted = {*names, *(check for name in names for check in CATALOG[name].checks)}
        operations += [REGISTRY[name] for name in CATALOG if name in wanted]
    return tuple(dict.fromkeys(operations))


__all__ = [
    "MODULES",
    "OPERATIONS",
    "PRESETS",
    "PRESET_JOBS",
    "REGISTRY",
    "Registry",
    "Tools",
    "select_operations",
]
