"""Faults injected into the sandbox: what the next matching requests meet instead of an answer."""

from __future__ import annotations

import fnmatch
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Fault:
    """What the next matching requests meet instead of (or after) the normal answer.

    Args:
        status: answer this status (with `body` and `headers`) instead of the real answer.
        body: bytes, text, or a JSON value.
        headers: headers of that answer.
        delay: seconds to wait before answering (on the event loop, for async clients).
        error: an httpx exception (class or instance) raised in-process; on the loopback server,
            the connection is dropped without an answer.
        after: handle the request first (a send lands in the outbox), then apply the fault.
    """

    status: int | None = None
    body: Any = None
    headers: Mapping[str, str] | None = None
    delay: float = 0.0
    error: type[httpx.TransportError] | httpx.TransportError | None = None
    after: bool = False

    @property
    def replaces_answer(self) -> bool:
        return self.status is not None or self.error is not None


@dataclass
class _Injected:
    method: str | None
    path: str
    fault: Fault
    remaining: int


class Faults:
    """Injected faults, each for the next `times` requests whose path matches a glob."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._injected: list[_Injected] = []

    def inject(self, path: str, fault: Fault, *, method: str | None = None, times: int = 1) -> None:
        with self._lock:
            self._injected.append(_Injected(method and method.upper(), path, fault, times))

    def clear(self) -> None:
        with self._lock:
            self._injected.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """The fault this request meets, if any; each match uses up one of its `times`."""
        with self._lock:
            for injected in self._injected:
                if injected.method not in (None, method):
                    continue
                if fnmatch.fnmatchcase(path, injected.path):
                    injected.remaining -= 1
                    if injected.remaining <= 0:
                        self._injected.remove(injected)
                    return injected.fault
        return None
