"""`Sandbox`: an emulated Customer.io workspace answering App API requests as the real one does."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

from . import (
    broadcasts,
    campaigns,
    customers,
    links,
    messages,
    newsletters,
    routing,
    segments,
    suppressions,
    topics,
    transactional,
)
from .answers import Problem, response
from .faults import Fault, Faults
from .rates import RateWindows
from .state import Workspace

# Placeholder connection values: `.invalid` can never resolve, so a sandbox toolkit whose
# transport went missing fails loudly instead of reaching a real host.
SANDBOX_URL = "https://sandbox.cio-toolkit.invalid"
SANDBOX_KEY = "sandbox"

ROUTES: tuple[routing.Route, ...] = (
    *customers.ROUTES,
    *campaigns.ROUTES,
    *transactional.ROUTES,
    *broadcasts.ROUTES,
    *segments.ROUTES,
    *newsletters.ROUTES,
    *messages.ROUTES,
    *links.ROUTES,
    *suppressions.ROUTES,
    *topics.ROUTES,
)


class Sandbox(Workspace):
    """An emulated Customer.io workspace: seeded data, real response shapes, limits and an outbox.

    Use it in-process with `CustomerIOToolkit.sandbox(sandbox)` (or `transport=sandbox.transport()`)
    or over loopback HTTP with `SandboxServer`. The same workspace on every run.

    Args:
        people: how many people to seed (1,000 by default).
        seed_value: the random seed the workspace is generated from.
        api_key: accept only this bearer key (default: any key).
        rate_limits: answer 429 past Customer.io's documented limits.
        clock: the time source, for tests that move time.
        extra_running_campaigns: generated running campaigns besides the seeded 22.
        trigger_seconds: how long a broadcast trigger stays queued before it is processed
            and its messages go out (0: at once).
    """

    def __init__(
        self,
        *,
        people: int = 1000,
        seed_value: int = 7,
        api_key: str | None = None,
        rate_limits: bool = True,
        clock: Callable[[], float] = time.time,
        extra_running_campaigns: int = 0,
        trigger_seconds: float = 0.0,
    ) -> None:
        super().__init__(
            people=people,
            seed_value=seed_value,
            clock=clock,
            extra_running_campaigns=extra_running_campaigns,
            trigger_seconds=trigger_seconds,
        )
        self._api_key_hash = _hash(api_key) if api_key else None
        self.rate_limits = rate_limits
        self._rates = RateWindows()
        self._faults = Faults()
        # (method, path) -> how many requests arrived: what the "server" received, for tests.
        self.received: Counter[tuple[str, str]] = Counter()

    # -- the surface for code and tests ------------------------------------------------------------

    @property
    def rate_limited(self) -> Counter[str]:
        """How many requests each limit (general, send, trigger) turned away with a 429."""
        return self._rates.refused

    def transport(self) -> SandboxTransport:
        """The workspace as an httpx transport, for `httpx.Client(transport=...)` or a toolkit."""
        return SandboxTransport(self)

    def inject(
        self,
        path: str,
        fault: Fault | None = None,
        *,
        method: str | None = None,
        times: int = 1,
        **fields: Any,
    ) -> None:
        """Make the next `times` requests whose path matches `path` (a glob) meet `fault`.

        `sandbox.inject("/v1/send/email", status=503)`, or `error=httpx.ReadTimeout, after=True`
        for a send that lands but whose answer is lost. `fields` are `Fault`'s.
        """
        self._faults.inject(path, fault or Fault(**fields), method=method, times=times)

    def clear_faults(self) -> None:
        self._faults.clear()

    def stats(self) -> dict[str, Any]:
        """What the workspace has seen, for a client in another process (`GET /sandbox/stats`):
        requests by endpoint, 429s by limit, the outbox's size and the triggers made."""
        with self.lock:
            return {
                "received": {f"{method} {path}": n for (method, path), n in self.received.items()},
                "rate_limited": dict(self.rate_limited),
                "outbox": len(self.outbox),
                "triggers": len(self.made_triggers),
            }

    # -- answering requests --------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request, faults included (an injected network error is raised)."""
        arrived, fault = self._arrive(request)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        return self._finish(request, fault, arrived)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        """`handle` for async callers: an injected delay waits on the event loop."""
        arrived, fault = self._arrive(request)
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        return self._finish(request, fault, arrived)

    def _arrive(self, request: httpx.Request) -> tuple[float, Fault | None]:
        with self.lock:
            self.received[(request.method, request.url.path)] += 1
        return self._clock(), self._faults.take(request.method, request.url.path)

    def _finish(
        self, request: httpx.Request, fault: Fault | None, arrived: float
    ) -> httpx.Response:
        if fault is None or not fault.replaces_answer:
            return self.answer(request, arrived)
        if fault.after:
            self.answer(request, arrived)
        if fault.error is not None:
            error = fault.error
            raise (
                error(f"sandbox fault on {request.url.path}", request=request)
                if isinstance(error, type)
                else error
            )
        return response(fault.status or 500, fault.body, fault.headers)

    def answer(self, request: httpx.Request, arrived: float | None = None) -> httpx.Response:
        """The workspace's answer to one request, faults aside.

        Limits count requests by `arrived` (default now), as an API's edge stamps them, not by
        when a busy server gets round to them.
        """
        path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        if request.method == "GET" and path == "/sandbox/stats":
            return response(200, self.stats())  # counts only, for a plain curl: no key asked
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
        if not token or (self._api_key_hash and _hash(token) != self._api_key_hash):
            return httpx.Response(401)  # documented without a body
        found = routing.find(ROUTES, request.method, path)
        if found is None:
            return httpx.Response(404)
        route, params = found
        when = arrived or self._clock()
        if self.rate_limits and not self._rates.admit(_hash(token), route.limit, when):
            return httpx.Response(429)
        with self.lock:
            try:
                status, body = route.answer(self, request, params)
            except Problem as problem:
                status, body = problem.status, problem.body
        return response(status, body)


class SandboxTransport(httpx.MockTransport):
    """The sandbox as an httpx transport: no socket, for the sync and the async client alike."""

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(sandbox.handle)
        self.sandbox = sandbox

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        # Injected delays sleep on the event loop rather than blocking it.
        return await self.sandbox.handle_async(request)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
