"""The answers a client keeps: the most recent ones by URL, for calls whose answer never changes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

# Answers of `Operation.cached` calls a client keeps: the most recent this many.
CACHED_ANSWERS = 256


class Kept:
    """The most recent answers by URL, the oldest dropped past `size`; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
            return self._items.get(key)

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
