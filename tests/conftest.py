"""Shared fixtures: a toolkit on a mocked Customer.io (respx at the transport), sync and async."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
import respx

from cio_toolkit import CustomerIOToolkit, RetryPolicy
from tests.servers import REQUIRED_VARIABLE, RedisServer

US = "https://api.customer.io"
# Recognisable, so tests can prove it never leaks.
API_KEY = "sk_test_NEVER-PRINT-ME-7f3a9c"
# Real rules, tiny delays: tests exercise retries without waiting on them.
FAST_RETRY = RetryPolicy(max_attempts=4, max_total_seconds=5, base_delay=0.001, max_delay=0.005)

Call = Callable[[CustomerIOToolkit, str, Any], Awaitable[str]]


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=US, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def toolkit() -> AsyncIterator[CustomerIOToolkit]:
    async with CustomerIOToolkit(
        API_KEY, read_only=False, tools="all", rate_limit=False, retry=FAST_RETRY
    ) as kit:
        yield kit


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest) -> Call:
    """`await call(toolkit, name, arguments)` through `call` or `acall`, once each."""

    async def sync_call(kit: CustomerIOToolkit, name: str, arguments: Any) -> str:
        return kit.call(name, arguments)

    async def async_call(kit: CustomerIOToolkit, name: str, arguments: Any) -> str:
        return await kit.acall(name, arguments)

    return sync_call if request.param == "sync" else async_call


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A real redis-server of this test's own (skipped visibly where none is installed)."""
    try:
        server = RedisServer()
    except FileNotFoundError as missing:
        if os.environ.get(REQUIRED_VARIABLE):
            pytest.fail(f"{missing}; CI must run the shared-pacing tests")
        pytest.skip(f"{missing}: the shared-pacing tests need a real one")
    with server:
        yield server
