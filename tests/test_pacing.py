"""Pacing: one budget per workspace, shared by threads and event loops, and no call provoking a
429 however many run at once (the sandbox's server, limits on, counts every refusal)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import subprocess
import sys
import threading
import time
import tracemalloc
import warnings

import pytest

from cio_toolkit import (
    AsyncCustomerIOClient,
    CustomerIOClient,
    CustomerIOToolkit,
    NoPacing,
    RatePacer,
    RedisPacer,
    WindowPacer,
)
from cio_toolkit._pacing import fingerprint
from cio_toolkit.sandbox import Sandbox, SandboxServer
from tests.servers import RedisServer


def test_one_pacer_per_workspace() -> None:
    a, b = CustomerIOToolkit("key-a"), CustomerIOToolkit("key-a")
    assert a.client.pacer is b.async_client.pacer is a.async_client.pacer
    assert CustomerIOToolkit("key-b").client.pacer is not a.client.pacer
    assert CustomerIOToolkit("key-a", region="eu").client.pacer is not a.client.pacer
    assert CustomerIOClient("key-a").pacer is a.client.pacer
    assert AsyncCustomerIOClient("key-a").pacer is a.client.pacer


async def test_pacing_holds_sync_and_async_callers_to_one_budget() -> None:
    # 4 calls per 300 ms instead of 10 per second, so the test is quick; same mechanism.
    pacer = WindowPacer({"general": (4, 300)})
    started = time.monotonic()
    for _ in range(4):
        pacer.wait("general")
        pacer.done("general")

    async def paced_call() -> None:
        await pacer.wait_async("general")
        pacer.done("general")

    await asyncio.gather(*(paced_call() for _ in range(4)))
    # Eight calls against four per 300 ms: the second four had to wait for the window.
    assert time.monotonic() - started >= 0.29


async def test_a_slot_is_held_until_the_call_ends() -> None:
    """Customer.io counts a request when it arrives: a slow call keeps its slot until it ends."""
    pacer = WindowPacer({"general": (1, 100)})
    await pacer.wait_async("general")
    started = time.monotonic()
    waiting = asyncio.ensure_future(pacer.wait_async("general"))
    await asyncio.sleep(0.3)  # the first call is still in flight
    assert not waiting.done()
    pacer.done("general")
    await waiting
    assert time.monotonic() - started >= 0.39  # 0.3 s in flight, then the 0.1 s window


def test_rate_pacer_shares_pyrate_limiter_buckets() -> None:
    from pyrate_limiter import InMemoryBucket, Rate

    pacer = RatePacer({"general": InMemoryBucket([Rate(2, 200)])})
    started = time.monotonic()
    for _ in range(3):
        pacer.wait("general")
        pacer.done("general")
    assert time.monotonic() - started >= 0.19


# -- under load ------------------------------------------------------------------------------------

SENDS, READS = 900, 100  # at Customer.io's limits, 100/s and 10/s: about ten seconds of work


async def test_a_thousand_concurrent_calls_complete_under_the_limits() -> None:
    with SandboxServer(Sandbox()) as server:
        kit = CustomerIOToolkit("load-test-key", base_url=server.url, read_only=False)
        send = {"transactional_message_id": 4, "to": "ada.lovelace@example.com"}
        calls = [kit.arun("customerio_send_transactional_email", send) for _ in range(SENDS)]
        people = [p.cio_id for p in server.sandbox.people[:READS]]
        calls += [
            kit.arun(
                "customerio_get_person_attributes", {"customer_id": cio_id, "id_type": "cio_id"}
            )
            for cio_id in people
        ]

        tracemalloc.start()
        started = time.monotonic()
        results = await asyncio.gather(*calls)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        await kit.aclose()

    assert len(results) == SENDS + READS  # none lost, none raised (a 429 would have)
    delivered = {m.delivery_id for m in server.sandbox.outbox}
    answered = {r.delivery_id for r in results[:SENDS]}  # type: ignore[attr-defined]
    assert len(delivered) == SENDS and answered == delivered
    assert [r.customer.identifiers.cio_id for r in results[SENDS:]] == people  # type: ignore[attr-defined]
    assert server.sandbox.rate_limited == {}, "pacing let requests through faster than the limits"
    assert elapsed >= (READS - 10) / 10  # reads waited for the 10/s budget
    assert peak < 64 * 2**20, f"peak traced memory {peak / 2**20:.1f} MiB"


def test_threads_share_one_pacing_budget() -> None:
    with SandboxServer(Sandbox()) as server:
        kit = CustomerIOToolkit("threads-test-key", base_url=server.url)
        failures: list[BaseException] = []

        def worker() -> None:
            try:
                for _ in range(6):
                    kit.call("customerio_list_segments")
            except BaseException as error:  # pragma: no cover - reported below
                failures.append(error)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        kit.close()

    assert not failures
    assert server.sandbox.received[("GET", "/v1/segments")] == 24
    assert server.sandbox.rate_limited == {}
    assert elapsed >= 1.3  # 24 calls at 10/s: the threads drew on one budget, not four


# -- one async client per event loop -------------------------------------------------------------


def _open_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor is gone by now
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    return count


def test_each_event_loop_reuses_one_client_and_closes_it_when_the_loop_ends() -> None:
    with SandboxServer(Sandbox(rate_limits=False)) as server:
        kit = CustomerIOToolkit("loops-key", base_url=server.url, rate_limit=False)

        async def twice() -> tuple[AsyncCustomerIOClient, AsyncCustomerIOClient]:
            await kit.acall("customerio_list_segments")
            first = kit.async_client
            await kit.acall("customerio_list_segments")
            return first, kit.async_client

        first, second = asyncio.run(twice())
        assert first is second  # calls on one loop share its client
        assert first._http.is_closed  # and the loop's end closed it
        gc.collect()  # earlier tests' garbage warns on its own account, not in this count
        before = _open_sockets()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for _ in range(200):  # a notebook, or a script, calling asyncio.run in a loop
                asyncio.run(kit.acall("customerio_list_segments"))
            gc.collect()
        after = _open_sockets()
        kit.close()
    assert not [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert after - before <= 2, (before, after)
    assert server.sandbox.received[("GET", "/v1/segments")] == 202


def test_threads_with_their_own_loops_get_their_own_clients() -> None:
    with SandboxServer(Sandbox(rate_limits=False)) as server:
        kit = CustomerIOToolkit("threads-loops-key", base_url=server.url, rate_limit=False)
        seen: list[AsyncCustomerIOClient] = []

        def worker() -> None:
            async def use() -> None:
                await kit.acall("customerio_list_segments")
                seen.append(kit.async_client)

            asyncio.run(use())

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len({id(client) for client in seen}) == 4
    assert all(client._http.is_closed for client in seen)


# -- one budget across processes, through a real Redis ------------------------------------------

# A process of its own: `calls` reads through the toolkit, printing when each ended.
WORKER = """
import sys, time
from cio_toolkit import CustomerIOToolkit
kit = CustomerIOToolkit(sys.argv[1], base_url=sys.argv[2], rate_limit=sys.argv[3] or True)
for _ in range(int(sys.argv[4])):
    kit.call("customerio_list_segments")
    print(time.time(), flush=True)
"""


def _run_processes(key: str, url: str, redis_url: str, processes: int, calls: int) -> list[float]:
    """Start the processes together; when each call ended, in seconds from the first start."""
    started = time.time()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, key, url, redis_url, str(calls)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    ended = []
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0
        ended += [float(line) - started for line in out.split()]
    return sorted(ended)


def test_processes_on_one_key_share_one_budget_through_redis(redis_server: RedisServer) -> None:
    with SandboxServer(Sandbox()) as server:  # Customer.io's limits, 429 past them
        ended = _run_processes("shared-key", server.url, redis_server.url, 4, 10)
        refused = dict(server.sandbox.rate_limited)
        received = server.sandbox.received[("GET", "/v1/segments")]
    assert len(ended) == 40 and received == 40
    assert refused == {}, "the processes together went over Customer.io's limit"
    assert ended[-1] - ended[9] >= 2.9  # after the first ten, 30 more at 10/s


def test_redis_keys_are_a_hash_of_the_workspace_never_the_key(redis_server: RedisServer) -> None:
    import redis

    with SandboxServer(Sandbox(rate_limits=False)) as server:
        url = server.url
        kit = CustomerIOToolkit("sk-live-SECRET", base_url=url, rate_limit=redis_server.url)
        kit.call("customerio_list_segments")
        kit.close()
        time.sleep(0.2)  # the slot is given back in the background
    keys = [k.decode() for k in redis.Redis.from_url(redis_server.url).keys("*")]
    identity = fingerprint(url, "sk-live-SECRET")
    assert keys and all(k.startswith(f"cio-toolkit:{{{identity}:general}}:") for k in keys)
    assert not [k for k in keys if "SECRET" in k or url in k]


async def test_when_redis_stops_calls_go_on_paced_in_process(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="cio_toolkit.pacing")
    with SandboxServer(Sandbox()) as server:
        kit = CustomerIOToolkit("fallback-key", base_url=server.url, rate_limit=redis_server.url)
        for _ in range(3):
            await kit.acall("customerio_list_segments")
        redis_server.stop()  # mid-run
        started = time.monotonic()
        for _ in range(12):
            kit.call("customerio_list_segments")
        await asyncio.gather(*(kit.acall("customerio_list_segments") for _ in range(12)))
        elapsed = time.monotonic() - started
        await kit.aclose()
        assert server.sandbox.rate_limited == {}  # still paced, now in this process
    assert elapsed >= 1.5  # 24 calls at 10/s went at the limit's pace, not at once
    warnings_logged = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(warnings_logged) == 1


def test_the_environment_turns_shared_pacing_on(
    redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUSTOMERIO_RATE_LIMIT_URL", redis_server.url)
    assert isinstance(CustomerIOToolkit("env-key").client.pacer, RedisPacer)
    assert isinstance(CustomerIOToolkit("env-key", rate_limit=False).client.pacer, NoPacing)
    monkeypatch.delenv("CUSTOMERIO_RATE_LIMIT_URL")
    assert isinstance(CustomerIOToolkit("env-key").client.pacer, WindowPacer)
