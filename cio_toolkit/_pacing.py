"""Client-side pacing, so calls stay under Customer.io's rate limits instead of meeting 429s."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
import weakref
from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from ._errors import ConfigurationError
from ._operation import Pace

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from pyrate_limiter import AbstractBucket, Limiter

logger = logging.getLogger("cio_toolkit.pacing")

# Customer.io's documented limits, per workspace: (requests, per milliseconds).
LIMITS: dict[Pace, tuple[int, int]] = {
    "general": (10, 1_000),
    "send": (100, 1_000),
    "trigger": (1, 10_000),
}
# How often a waiter looks again while every slot is taken by a call still in flight.
_IN_FLIGHT_POLL = 0.005


class Pacer(Protocol):
    """Waits until a call of the given kind may go, and holds its slot until the call ends.

    Shared by the sync and async clients. `wait` returns the slot the call holds; `done(slot)`
    is called when the call's answer (or failure) is in, whatever happened, and must not block.
    """

    def wait(self, pace: Pace) -> Any: ...

    async def wait_async(self, pace: Pace) -> Any: ...

    def done(self, slot: Any) -> None: ...


class NoPacing:
    """`rate_limit=False`: send at once (tests, or a caller that paces for itself)."""

    def wait(self, pace: Pace) -> None:
        return None

    async def wait_async(self, pace: Pace) -> None:
        return None

    def done(self, slot: Any) -> None:
        return None


class _Turns:
    """One waiter polls at a time (per thread group, and per event loop); the rest queue behind
    it, so a thousand waiters do not all wake for every freed slot."""

    def __init__(self) -> None:
        self._sync = threading.Lock()
        self._lock = threading.Lock()
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def sync(self) -> threading.Lock:
        return self._sync

    def of_this_loop(self) -> asyncio.Lock:
        import asyncio  # only async callers need it; `import cio_toolkit` stays light

        with self._lock:
            return self._loops.setdefault(asyncio.get_running_loop(), asyncio.Lock())


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
        self.turns = _Turns()

    def take(self) -> float:
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

    def hold(self) -> None:
        """Count a call another authority let go (shared pacing), without waiting."""
        with self._state:
            self._running += 1

    def acquire(self) -> None:
        with self.turns.sync():
            while (delay := self.take()) > 0:
                time.sleep(delay)

    async def acquire_async(self) -> None:
        import asyncio

        async with self.turns.of_this_loop():
            while (delay := self.take()) > 0:
                await asyncio.sleep(delay)


class WindowPacer:
    """Customer.io's limits as sliding windows in this process, for threads and event loops.

    Args:
        limits: `{pace: (requests, per milliseconds)}`; default Customer.io's documented limits.
    """

    def __init__(self, limits: Mapping[Pace, tuple[int, int]] = LIMITS) -> None:
        self._windows = {pace: _Window(count, ms / 1000) for pace, (count, ms) in limits.items()}

    def hold(self, pace: Pace) -> Pace:
        """Count a call that was let go elsewhere: this process's own calls stay on record, so
        pacing here can take over at any moment without a burst."""
        self._windows[pace].hold()
        return pace

    def wait(self, pace: Pace) -> Pace:
        self._windows[pace].acquire()
        return pace

    async def wait_async(self, pace: Pace) -> Pace:
        await self._windows[pace].acquire_async()
        return pace

    def done(self, slot: Any) -> None:
        self._windows[slot].release()


# Take a slot if the window has one (0), else say how many milliseconds to wait. KEYS: the calls
# running (token -> when the lease ends) and the calls ended (token -> when), both by the Redis
# server's own clock, so every machine counts on one clock.
_ACQUIRE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local limit, window, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]) < limit then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], lease + window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if oldest[2] then return math.max(1, tonumber(oldest[2]) + window - now) end
return tonumber(ARGV[5])
"""
# A call ended: it counts in the window from now on.
_RELEASE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]))
return 1
"""
# How long a slot is held at most if its process dies mid-call, and how long after Redis failed
# it is tried again.
_LEASE_FLOOR = 120.0
_RETRY_REDIS_AFTER = 10.0


class RedisPacer:
    """Customer.io's limits shared by every process on one workspace key, through Redis.

    The same rule as `WindowPacer` (a call holds its slot until one window after it ended, so no
    margin for latency or clock skew is needed), kept in Redis sorted sets under keys derived
    from a hash of the base URL and key, never the key itself; the Redis server's clock is the
    one clock. If Redis cannot be reached, calls are paced in this process (`fallback`, which
    keeps this process's own calls on record all along) with one logged warning, and Redis is
    tried again after ten seconds. Made by `rate_limit="redis://host:port/db"`; needs the
    `shared-pacing` extra.

    Args:
        url: the Redis URL (`redis://`, `rediss://` or `unix://`).
        fingerprint: identifies the workspace (a hash of base URL and key).
        fallback: the in-process pacer used while Redis is unreachable.
        lease: seconds a slot stays taken if its process dies mid-call (at least the longest
            attempt a client makes).

    Raises:
        ConfigurationError: the redis package is not installed, or the URL is malformed.
    """

    def __init__(
        self, url: str, fingerprint: str, *, fallback: WindowPacer, lease: float = _LEASE_FLOOR
    ) -> None:
        try:
            import redis
        except ImportError:
            raise ConfigurationError(
                "rate_limit='redis://...' needs the redis package: "
                "pip install 'cio-toolkit[shared-pacing]'"
            ) from None
        try:
            self._redis = redis.Redis.from_url(
                url, socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=30
            )
        except ValueError as error:
            raise ConfigurationError(f"rate_limit is not a Redis URL: {error}") from None
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._release = self._redis.register_script(_RELEASE)
        self._keys = {
            pace: [f"cio-toolkit:{{{fingerprint}:{pace}}}:{kind}" for kind in ("running", "ended")]
            for pace in LIMITS
        }
        self._turns = {pace: _Turns() for pace in LIMITS}
        self.fallback = fallback
        self.lease_ms = int(max(lease, _LEASE_FLOOR) * 1000)
        self._down_until = 0.0
        self._state = threading.Lock()
        self._thread: ThreadPoolExecutor | None = None

    # One attempt at a slot: a token (taken), a wait in seconds, or None (Redis is down).
    def _try(self, pace: Pace, token: str) -> float | None:
        if time.monotonic() < self._down_until:
            return None
        count, window_ms = LIMITS[pace]
        arguments: list[int | str] = [
            count,
            window_ms,
            self.lease_ms,
            token,
            int(_IN_FLIGHT_POLL * 1000),
        ]
        try:
            wait_ms = self._acquire(keys=self._keys[pace], args=arguments)
        except self._errors as error:
            self._went_down(error)
            return None
        if self._down_until:
            with self._state:
                self._down_until = 0.0
            logger.info("Redis is back: pacing is shared across processes again.")
        return float(wait_ms) / 1000

    def _went_down(self, error: BaseException) -> None:
        with self._state:
            first = self._down_until == 0.0
            self._down_until = time.monotonic() + _RETRY_REDIS_AFTER
        if first:
            logger.warning(
                "Redis for shared pacing is unreachable (%s); pacing in this process only until "
                "it is back.",
                type(error).__name__,
            )

    def wait(self, pace: Pace) -> tuple[str, Any]:
        token = uuid.uuid4().hex
        with self._turns[pace].sync():
            while (delay := self._try(pace, token)) is not None and delay > 0:
                time.sleep(delay)
        if delay is None:
            return "local", self.fallback.wait(pace)
        return "redis", (pace, token, self.fallback.hold(pace))

    async def wait_async(self, pace: Pace) -> tuple[str, Any]:
        import asyncio

        token = uuid.uuid4().hex
        loop = asyncio.get_running_loop()
        async with self._turns[pace].of_this_loop():
            while True:
                # Asked from the pacer's own thread: the round trip never blocks the event loop,
                # and a release queued after a cancelled attempt runs after it.
                attempt = loop.run_in_executor(self._worker(), self._try, pace, token)
                try:
                    delay = await attempt
                except BaseException:
                    self._worker().submit(self._end, pace, token)  # whatever it took, give back
                    raise
                if delay is None:
                    break
                if delay <= 0:
                    return "redis", (pace, token, self.fallback.hold(pace))
                await asyncio.sleep(delay)
        return "local", await self.fallback.wait_async(pace)

    def done(self, slot: Any) -> None:
        where, held = slot
        if where == "local":
            self.fallback.done(held)
            return
        pace, token, local = held
        self.fallback.done(local)
        # In the background: `done` runs in `finally` blocks, cancelled tasks' included.
        self._worker().submit(self._end, pace, token)

    def _worker(self) -> ThreadPoolExecutor:
        """One thread for this pacer's Redis calls from event loops and for every release."""
        with self._state:
            if self._thread is None:
                from concurrent.futures import ThreadPoolExecutor

                self._thread = ThreadPoolExecutor(1, thread_name_prefix="cio-toolkit-pacing")
            return self._thread

    def _end(self, pace: Pace, token: str) -> None:
        try:
            self._release(keys=self._keys[pace], args=[token, LIMITS[pace][1] + self.lease_ms])
        except self._errors as error:  # the lease frees the slot when it runs out
            self._went_down(error)


class RatePacer:
    """Pacing over pyrate-limiter buckets, for a store `RedisPacer` does not cover.

    `RatePacer({"general": bucket, "send": ..., "trigger": ...})`; needs
    `pip install pyrate-limiter`. Its buckets count a call when it starts, so give their rates a
    margin for the time requests take to reach Customer.io.

    Args:
        buckets: a pyrate-limiter bucket per pace; missing ones are in-memory buckets.
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

    def done(self, slot: Any) -> None:
        return None


def fingerprint(base_url: str, api_key: str) -> str:
    """A workspace's identity for pacing: a hash of base URL and key, never the key itself."""
    return hashlib.sha256(f"{base_url}\0{api_key}".encode()).hexdigest()[:32]


_workspace_pacers: dict[str, WindowPacer] = {}
_shared_pacers: dict[tuple[str, str], RedisPacer] = {}
_workspace_lock = threading.Lock()


def workspace_pacer(base_url: str, api_key: str) -> WindowPacer:
    """The one in-process pacer for a workspace.

    Customer.io counts requests per workspace, so every client and toolkit built on the same key
    must draw from the same windows; the key itself is kept only as a hash.
    """
    identity = fingerprint(base_url, api_key)
    with _workspace_lock:
        pacer = _workspace_pacers.get(identity)
        if pacer is None:
            pacer = _workspace_pacers[identity] = WindowPacer()
        return pacer


def shared_pacer(url: str, base_url: str, api_key: str, *, lease: float) -> RedisPacer:
    """The one Redis pacer for a workspace and Redis URL in this process."""
    identity = fingerprint(base_url, api_key)
    local = workspace_pacer(base_url, api_key)
    with _workspace_lock:
        pacer = _shared_pacers.get((url, identity))
        if pacer is None:
            pacer = RedisPacer(url, identity, fallback=local, lease=lease)
            _shared_pacers[(url, identity)] = pacer
        return pacer
