"""Pacing: one budget per workspace, shared by threads and event loops, and no call provoking a
429 however many run at once (the sandbox's server, limits on, counts every refusal)."""

from __future__ import annotations

import asyncio
import threading
import time
import tracemalloc

from cio_toolkit import (
    AsyncCustomerIOClient,
    CustomerIOClient,
    CustomerIOToolkit,
    RatePacer,
    WindowPacer,
)
from cio_toolkit.sandbox import Sandbox, SandboxServer


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
