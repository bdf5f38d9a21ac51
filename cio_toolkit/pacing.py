"""Client-side pacing, so calls stay under Customer.io's rate limits instead of meeting 429s."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from .operation import Pace

if TYPE_CHECKING:
    from pyrate_limiter import AbstractBucket, Limiter

# Customer.io's documented limits, per workspace: (requests, per milliseconds).
LIMITS: dict[Pace, tuple[int, int]] = {
    "general": (10, 1_000),
    "send": (100, 1_000),
    "trigger": (1, 10_000),
}


class Pacer(Protocol):
    """Waits until a call of the given kind may go; shared by the sync and async clients."""

    def wait(self, pace: Pace) -> None: ...

    async def wait_async(self, pace: Pace) -> None: ...


class NoPacing:
    """`rate_limit=False`: send at once (tests, or a caller that paces for itself)."""

    def wait(self, pace: Pace) -> None:
        return None

    async def wait_async(self, pace: Pace) -> None:
        return None


class RatePacer:
    """pyrate-limiter buckets, one per limit, used from threads and event loops alike.

    Pass `buckets` (for example pyrate-limiter's RedisBucket) to pace several processes that share
    one key; by default the buckets live in this process's memory.
    """

    def __init__(self, buckets: Mapping[Pace, AbstractBucket] | None = None) -> None:
        # Imported here: pyrate-limiter is only needed once a paced call is made.
        from pyrate_limiter import InMemoryBucket, Limiter, Rate

        chosen = dict(buckets or {})
        self._limiters: dict[Pace, Limiter] = {}
        for pace, (count, per_ms) in LIMITS.items():
            bucket = chosen.get(pace) or InMemoryBucket([Rate(count, per_ms)])
            self._limiters[pace] = Limiter(bucket)

    def wait(self, pace: Pace) -> None:
        self._limiters[pace].try_acquire(pace)

    async def wait_async(self, pace: Pace) -> None:
        await self._limiters[pace].try_acquire_async(pace)


_workspace_pacers: dict[str, RatePacer] = {}
_workspace_lock = threading.Lock()


def workspace_pacer(base_url: str, api_key: str) -> RatePacer:
    """The one pacer for a workspace in this process.

    Customer.io counts requests per workspace, so every client and toolkit built on the same key
    must draw from the same buckets; the key itself is kept only as a hash.
    """
    fingerprint = hashlib.sha256(f"{base_url}\0{api_key}".encode()).hexdigest()
    with _workspace_lock:
        pacer = _workspace_pacers.get(fingerprint)
        if pacer is None:
            pacer = _workspace_pacers[fingerprint] = RatePacer()
        return pacer
