"""Customer.io's rate limits as sliding windows, counted per workspace key by arrival time."""

from __future__ import annotations

import bisect
import threading
from collections import Counter, deque

from .limits import RATE_LIMITS


class RateWindows:
    """Sliding windows per (workspace key, limit); a refused request does not count."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], deque[float]] = {}
        # How many requests each limit turned away with a 429.
        self.refused: Counter[str] = Counter()

    def admit(self, key: str, limit: str, arrived: float) -> bool:
        count, seconds = RATE_LIMITS[limit]
        with self._lock:
            window = self._windows.setdefault((key, limit), deque())
            while window and window[0] <= arrived - seconds:
                window.popleft()
            if len(window) >= count:
                self.refused[limit] += 1
                return False
            # Threads may admit requests slightly out of arrival order; keep the window sorted.
            bisect.insort(window, arrived)
            return True
