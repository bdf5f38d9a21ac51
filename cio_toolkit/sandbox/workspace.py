"""`Sandbox`: an emulated Customer.io workspace answering App API requests as the real one does."""

from __future__ import annotations

import asyncio
import bisect
import fnmatch
import hashlib
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx

from ..operation import Pace
from ..pacing import LIMITS
from . import reads, seed, writes
from .answers import Answer, Problem, response
from .seed import Person
from .writes import OutboxMessage, Trigger

# Placeholder connection values: `.invalid` can never resolve, so a sandbox toolkit whose
# transport went missing fails loudly instead of reaching a real host.
SANDBOX_URL = "https://sandbox.cio-toolkit.invalid"
SANDBOX_KEY = "sandbox"


@dataclass
class Fault:
    """What the next matching requests meet instead of (or after) the normal answer."""

    status: int | None = None
    body: Any = None  # bytes, text, or a JSON value
    headers: Mapping[str, str] | None = None
    delay: float = 0.0
    # An httpx exception (class or instance) raised in-process; on the loopback server, the
    # connection is dropped without an answer.
    error: type[httpx.TransportError] | httpx.TransportError | None = None
    # True: the request is handled first (a send lands in the outbox), then the fault applies.
    after: bool = False


@dataclass
class _Injected:
    method: str | None
    path: str
    fault: Fault
    remaining: int


class Sandbox:
    """An emulated Customer.io workspace: seeded data, real response shapes, limits and an outbox.

    Use it in-process with `CustomerIOToolkit.sandbox(sandbox)` (or `transport=sandbox.transport()`)
    or over loopback HTTP with `SandboxServer`. Any bearer key is accepted unless `api_key` is set.
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
    ) -> None:
        try:
            import liquid  # noqa: F401  (templates are rendered with python-liquid)
        except ImportError:
            raise ImportError(
                "The sandbox renders Liquid with python-liquid: pip install 'cio-toolkit[sandbox]'"
            ) from None
        self.people = seed.people(people, seed_value)
        self.segments = {s.id: s for s in seed.segments(self.people, seed_value)}
        self.campaigns = {c.id: c for c in seed.campaigns(seed_value, extra_running_campaigns)}
        self.transactional = {m.id: m for m in seed.transactional_messages()}
        self.broadcasts = {b.id: b for b in seed.broadcasts()}
        self._by = {
            "id": {p.id: p for p in self.people if p.id},
            "email": {p.email: p for p in self.people if p.email},
            "cio_id": {p.cio_id: p for p in self.people},
        }
        self._members: dict[int, frozenset[str]] = {}
        self._api_key_hash = _hash(api_key) if api_key else None
        self.rate_limits = rate_limits
        self._clock = clock
        self._lock = threading.RLock()
        self._windows: dict[tuple[str, str], deque[float]] = {}
        self._faults: list[_Injected] = []
        self.outbox: list[OutboxMessage] = []
        self.triggers: dict[int, Trigger] = {}
        # (method, path) -> how many requests arrived: what the "server" received, for tests.
        self.received: Counter[tuple[str, str]] = Counter()
        # How many requests each limit turned away with a 429.
        self.rate_limited: Counter[Pace] = Counter()

    # -- the surface for code and tests ------------------------------------------------------------

    def transport(self) -> SandboxTransport:
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
        for a send that lands but whose answer is lost.
        """
        chosen = fault or Fault(**fields)
        with self._lock:
            self._faults.append(_Injected(method and method.upper(), path, chosen, times))

    def stats(self) -> dict[str, Any]:
        """What the workspace has seen, for a client in another process (`GET /sandbox/stats`)."""
        with self._lock:
            return {
                "received": {f"{method} {path}": n for (method, path), n in self.received.items()},
                "rate_limited": dict(self.rate_limited),
                "outbox": len(self.outbox),
                "triggers": len(self.triggers),
            }

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def members(self, segment_id: int) -> frozenset[str]:
        """The cio_ids in a segment: a manual segment's list, or a dynamic one's rule evaluated."""
        with self._lock:
            if segment_id not in self._members:
                segment = self.segments.get(segment_id)
                if segment is None:
                    return frozenset()
                if segment.rule is None:
                    self._members[segment_id] = segment.members
                else:
                    self._members[segment_id] = frozenset(
                        p.cio_id for p in self.people if self.matches(segment.rule, p)
                    )
            return self._members[segment_id]

    def find(self, value: str, id_type: str = "id") -> Person | None:
        return self._by[id_type].get(value.lower() if id_type == "email" else value)

    def matches(self, rule: Any, person: Person) -> bool:
        """Customer.io's filter grammar, evaluated; raises ValueError naming what is malformed."""
        if not isinstance(rule, dict) or len(rule) != 1:
            raise ValueError(
                "each filter object needs exactly one of and, or, not, segment, attribute"
            )
        ((kind, value),) = rule.items()
        if kind in ("and", "or"):
            if not isinstance(value, list) or not value:
                raise ValueError(f"{kind} takes a non-empty list of filters")
            test = all if kind == "and" else any
            return test(self.matches(item, person) for item in value)
        if kind == "not":
            if not isinstance(value, dict):
                raise ValueError("not takes one filter object")
            return not self.matches(value, person)
        if kind == "segment":
            if not isinstance(value, dict) or not isinstance(value.get("id"), int):
                raise ValueError('segment takes {"id": <integer>}')
            return person.cio_id in self.members(value["id"])
        if kind == "attribute":
            return _attribute_matches(value, person.attributes)
        raise ValueError(f"unknown filter type {kind!r}")

    # -- answering requests --------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        arrived = self._clock()
        fault = self._fault_for(request)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        return self._finish(request, fault, arrived)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        arrived = self._clock()
        fault = self._fault_for(request)
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        return self._finish(request, fault, arrived)

    def _fault_for(self, request: httpx.Request) -> Fault | None:
        with self._lock:
            self.received[(request.method, request.url.path)] += 1
            for injected in self._faults:
                if injected.method not in (None, request.method):
                    continue
                if fnmatch.fnmatchcase(request.url.path, injected.path):
                    injected.remaining -= 1
                    if injected.remaining <= 0:
                        self._faults.remove(injected)
                    return injected.fault
        return None

    def _finish(
        self, request: httpx.Request, fault: Fault | None, arrived: float
    ) -> httpx.Response:
        if fault is None or (fault.status is None and fault.error is None):
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
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
        if not token or (self._api_key_hash and _hash(token) != self._api_key_hash):
            return httpx.Response(401)  # documented without a body
        path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        if request.method == "GET" and path == "/sandbox/stats":
            return response(200, self.stats())
        for method, pattern, pace, handler in _ROUTES:
            match = pattern.fullmatch(path)
            if match and request.method == method:
                with self._lock:
                    if not self._admit(token, pace, arrived or self._clock()):
                        self.rate_limited[pace] += 1
                        return httpx.Response(429)
                    try:
                        params = {k: unquote(v) for k, v in match.groupdict().items()}
                        status, body = handler(self, request, **params)
                    except Problem as problem:
                        status, body = problem.status, problem.body
                return response(status, body)
        return httpx.Response(404)

    def _admit(self, token: str, pace: Pace, now: float) -> bool:
        """Customer.io's documented limits as sliding windows; a refused request does not count."""
        if not self.rate_limits:
            return True
        count, per_ms = LIMITS[pace]
        window = self._windows.setdefault((_hash(token), pace), deque())
        while window and window[0] <= now - per_ms / 1000:
            window.popleft()
        if len(window) >= count:
            return False
        # Threads may admit requests slightly out of arrival order; keep the window sorted.
        bisect.insort(window, now)
        return True

    def now(self) -> int:
        return int(self._clock())


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


def _attribute_matches(condition: Any, attributes: Mapping[str, str]) -> bool:
    if not isinstance(condition, dict) or not isinstance(condition.get("field"), str):
        raise ValueError("attribute takes {field, operator, value}")
    operator, current = condition.get("operator"), attributes.get(condition["field"])
    if operator == "exists":
        return bool(current)
    if operator != "eq":
        raise ValueError("attribute operator must be eq or exists")
    if "value" not in condition:
        raise ValueError("attribute eq needs a value")
    wanted = condition["value"]
    # Attributes are stored as text; the API compares what a person's profile shows.
    text = str(wanted).lower() if isinstance(wanted, bool) else str(wanted)
    return current is not None and current == text


_Handler = Callable[..., Answer]
_Route = tuple[str, re.Pattern[str], Pace, _Handler]


def _route(method: str, template: str, pace: Pace, handler: _Handler) -> _Route:
    return method, re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)), pace, handler


TRIGGER = "/v1/campaigns/{broadcast_id}/triggers/{trigger_id}"
_ROUTES: tuple[_Route, ...] = (
    _route("POST", "/v1/customers", "general", reads.search),
    _route("GET", "/v1/campaigns", "general", reads.list_campaigns),
    _route("GET", "/v1/campaigns/{campaign_id}/metrics", "general", reads.campaign_metrics),
    _route("GET", "/v1/customers/{customer_id}/attributes", "general", reads.person_attributes),
    _route("GET", "/v1/transactional", "general", reads.list_transactional),
    _route("POST", "/v1/campaigns/{broadcast_id}/triggers", "trigger", writes.trigger_broadcast),
    _route("GET", f"{TRIGGER}", "general", reads.trigger_status),
    _route("GET", f"{TRIGGER}/errors", "general", reads.trigger_errors),
    _route("GET", "/v1/segments", "general", reads.list_segments),
    _route("GET", "/v1/segments/{segment_id}/customer_count", "general", reads.segment_count),
    _route("GET", "/v1/segments/{segment_id}/membership", "general", reads.segment_membership),
    _route("POST", "/v1/send/email", "send", writes.send_email),
)  # fmt: skip
