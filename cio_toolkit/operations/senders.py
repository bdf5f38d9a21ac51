"""What sends messages (a campaign, a broadcast, a newsletter, a transactional message), as a tool
names one: its id field, whose it is, and the same call at each one's own path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._operation import Operation

# Each sender's id field, in the order tools list them, and its collection's path.
COLLECTIONS = {
    "campaign_id": "campaigns",
    "broadcast_id": "broadcasts",
    "newsletter_id": "newsletters",
    "transactional_id": "transactional",
}
SENDER_IDS = tuple(COLLECTIONS)
_NOUNS = {"transactional_id": "transactional message"}


def senders_given(args: Any) -> list[str]:
    """The sender id fields `args` give, in order."""
    return [name for name in SENDER_IDS if getattr(args, name) is not None]


def sender_named(args: Any) -> str | None:
    """The sender `args` name, as an answer says it (`campaign 3`); None for none."""
    given = senders_given(args)
    return f"{given[0].removesuffix('_id')} {getattr(args, given[0])}" if given else None


def at_each_sender(
    suffix: str, operation_ids: Mapping[str, str], **common: Any
) -> tuple[Operation[Any, Any], ...]:
    """The same call at each sender's path (`/v1/campaigns/{campaign_id}` + `suffix`), one per
    id field in `operation_ids` (its document's operationId); `common` is the rest of each."""
    return tuple(
        Operation(
            path=f"/v1/{COLLECTIONS[key]}/{{{key}}}{suffix}",
            operation_id=operation_id,
            not_found=(
                f"Customer.io has no {_NOUNS.get(key, key.removesuffix('_id'))} {{{key}}}; list "
                "them to find valid ids."
            ),
            **common,
        )
        for key, operation_id in operation_ids.items()
    )
