"""Client-side pacing, so calls stay under Customer.io's rate limits instead of meeting 429s."""

from __future__ import annotations

import hashlib
import threading
import time
import weakref
from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from .operation import Pace

if TYPE_CHECKING:
    import asyncio

    from pyrate_limiter import AbstractBucket, Limiter

# Customer.io's documented limits, per workspace: (requests, per milliseconds).
LIMITS: dict[Pace, tuple[int, int]] = {
    "general": (10, 1_000),
    "send": (100, 1_000),
    "trigger": (1, 10_000),
}
# How often a waiter looks again while every slot is taken by a call still in flight.
_IN_FLIGHT_POLL = 0.005


class Pacer(Protocol):
    """Waits until a call of the given kind may go; shared by the sync and async clients.

    `done` is called when the call's answer (or failure) is in, whatever happened.
    """

    def wait(self, pace: Pace) -> None: ...

    async def wait_async(self, pace: Pace) -> None: ...

    def done(self, pace: Pace) -> None: ...


class NoPacing:
    """`rate_limit=False`: send at once (tests, or a caller that paces for itself)."""

    def wait(self, pace: Pace) -> None:
        return None

    async def wait_async(self, pace: Pace) -> None:
        return None

    def done(self, pace: Pace) -> None:
        return None


class _Window:
    """At most `count` calls per `seconds`, counting each call until `seconds` after it ended.

    Customer.io counts a request when it arrives, which is some unknown time after it was sent.
    A slot stamped when the call *ended* is stamped after its arrival, so however late requests
    arrive, no window at Customer.io holds more than `count` of them; the price is the round
    trip (on loopback about 1% of the limit).
    """

    def __init__(self, count: int, seconds: float) -> None:
        self.count = count
        self.seconds = seconds
        self._state = threading.Lock()
        self._ended: deque[float] = deque()
        self._running = 0
        # One waiter polls at a time (per thread group and per event loop); the rest queue
        # behind it, so a thousand waiters do not all wake for every freed slot.
        self._sync_turn = threading.Lock()
        self._async_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def _take(self) -> float:
        """Take a slot and return 0, or return how long to wait before trying again."""
        with self._state:
            now = time.monotonic()
            while self._ended and self._ended[0] <= now - self.seconds:
                self._ended.popleft()
            if self._running + len(self._ended) < self.count:
                self._running += 1
                return 0.0
            if self._ended:
                return self._ended[0] + self.seconds - now
            return _IN_FLIGHT_POLL

    def release(self) -> None:
        with self._state:
            self._running -= 1
            self._ended.append(time.monotonic())

    def acquire(self) -> None:
        with self._sync_turn:
            while (delay := self._take()) > 0:
                time.sleep(delay)

    async def acquire_async(self) -> None:
        import asyncio  # only async callers need it; `import cio_toolkit` stays light

        loop = asyncio.get_running_loop()
        with self._state:
            turn = self._async_turns.setdefault(loop, asyncio.Lock())
        async with turn:
            while (delay := self._take()) > 0:
                await asyncio.sleep(delay)


class WindowPacer:
    """Customer.io's limits as sliding windows in this process, for threads and event loops."""

    def __init__(self, limits: Mapping[Pace, tuple[int, int]] = LIMITS) -> None:
        self._windows = {pace: _Window(count, ms / 1000) for pace, (count, ms) in limits.items()}

    def wait(self, pace: Pace) -> None:
        self._windows[pace].acquire()

    async def wait_async(self, pace: Pace) -> None:
        await self._windows[pace].acquire_async()

    def done(self, pace: Pace) -> None:
        self._windows[pace].release()


class RatePacer:
    """Pacing over pyrate-limiter buckets, to share one workspace's budget across processes.

    `RatePacer({"general": RedisBucket(...), "send": ..., "trigger": ...})`; needs
    `pip install pyrate-limiter`. Its buckets count a call when it starts, so give their rates a
    margin for the time requests take to reach Customer.io.
    """

    def __init__(self, buckets: Mapping[Pace, AbstractBucket] | None = None) -> None:
        try:
            from pyrate_limiter import InMemoryBucket, Limiter, Rate
        except ImportError:
            raise ImportError(
                "RatePacer needs pyrate-limiter: pip install pyrate-limiter"
            ) from None

        chosen = dict(buckets or {})
        self._limiters: dict[Pace, Limiter] = {}
        for pace, (count, per_ms) in LIMITS.items():
            bucket = chosen.get(pace) or InMemoryBucket([Rate(count, per_ms)])
            self._limiters[pace] = Limiter(bucket)

    def wait(self, pace: Pace) -> None:
        self._limiters[pace].try_acquire(pace)

    async def wait_async(self, pace: Pace) -> None:
        await self._limiters[pace].try_acquire_async(pace)

    def done(self, pace: Pace) -> None:
        return None


_workspace_pacers: dict[str, WindowPacer] = {}
_workspace_lock = threading.Lock()


def workspace_pacer(base_url: str, api_key: str) -> WindowPacer:
    """The one pacer for a workspace in this process.

    Customer.io counts requests per workspace, so every client and toolkit built on the same key
    must draw from the same windows; the key itself is kept only as a hash.
    """
    fingerprint = hashlib.sha256(f"{base_url}\0{api_key}".encode()).hexdigest()
    with _workspace_lock:
        pacer = _workspace_pacers.get(fingerprint)
        if pacer is None:
            pacer = _workspace_pacers[fingerprint] = WindowPacer()
        return pacer
