"""When to try a call again: a rule that knows which failures a write may have survived."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import httpx

# Failures where the request certainly never left this machine: safe to resend even a write.
NEVER_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)


def may_have_arrived(error: httpx.TransportError) -> bool:
    """Whether the request may have reached Customer.io before this failure."""
    return not isinstance(error, NEVER_SENT)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds on retrying: attempts, total seconds, and the backoff curve (with full jitter).

    Args:
        max_attempts: requests per call at most, the first included.
        max_total_seconds: no retry starts later than this after the call began.
        base_delay: the first backoff's upper bound in seconds; it doubles per attempt.
        max_delay: the largest backoff in seconds.
    """

    max_attempts: int = 4
    max_total_seconds: float = 60.0
    base_delay: float = 0.5
    max_delay: float = 8.0

    def backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


NO_RETRIES = RetryPolicy(max_attempts=1)


@dataclass
class RetryState:
    """One call's attempts so far; answers how long to wait before the next, or None to stop."""

    policy: RetryPolicy
    is_write: bool
    attempts: int = 0
    started: float = field(default_factory=time.monotonic)

    def delay_after_response(self, status: int, headers: httpx.Headers) -> float | None:
        """Seconds to wait before resending, or None when this response is the answer."""
        if status == 429:
            # Customer.io rejects a rate-limited call before acting on it: safe for writes too.
            return self._next(retry_after(headers))
        if status >= 500 and not self.is_write:
            return self._next(None)
        return None

    def delay_after_error(self, error: httpx.TransportError) -> float | None:
        """Seconds to wait before resending after a network failure, or None to give up."""
        if self.is_write and may_have_arrived(error):
            return None  # never send a write twice
        return self._next(None)

    def _next(self, server_delay: float | None) -> float | None:
        self.attempts += 1
        if self.attempts >= self.policy.max_attempts:
            return None
        delay = server_delay if server_delay is not None else self.policy.backoff(self.attempts)
        if time.monotonic() - self.started + delay > self.policy.max_total_seconds:
            return None
        return delay


def retry_after(headers: httpx.Headers) -> float | None:
    """The Retry-After header in seconds (a number or an HTTP date), if there is a usable one."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
