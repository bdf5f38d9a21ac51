"""Pacing against the sandbox's real limits: throughput as a share of the limit, and 429s."""

from __future__ import annotations

import asyncio
import math
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from cio_toolkit import CustomerIOToolkit
from tests.servers import RedisServer

from .common import HEADERS, KEY, Row, python_env, sandbox_server

SEND = {"transactional_message_id": 4, "to": "ada.lovelace@example.com"}


def _floor(calls: int, per_second: int) -> float:
    """The least time `calls` can take under a sliding limit: the last batch starts then."""
    return (math.ceil(calls / per_second) - 1) * 1.0


async def _warm_up(kit: CustomerIOToolkit) -> None:
    """Pay the once-per-process costs (validators built on first use, the first connection),
    then let the windows clear, so the timing is of pacing alone."""
    await kit.arun("customerio_send_transactional_email", SEND)
    await kit.arun("customerio_get_campaign_metrics", {"campaign_id": 1})
    await asyncio.sleep(1.1)


async def _timed(make: Callable[[CustomerIOToolkit], Awaitable[Any]], url: str) -> float:
    kit = CustomerIOToolkit(KEY, base_url=url, read_only=False)
    await _warm_up(kit)
    started = time.perf_counter()
    await make(kit)
    elapsed = time.perf_counter() - started
    await kit.aclose()
    return elapsed


async def _burst(url: str, calls: int, tool: str, arguments: dict[str, Any]) -> list[float]:
    """`calls` concurrent calls at once; when each one ended, in seconds from the start."""
    ended: list[float] = []

    async def one(kit: CustomerIOToolkit, started: float) -> None:
        await kit.arun(tool, arguments)
        ended.append(time.perf_counter() - started)

    kit = CustomerIOToolkit(KEY, base_url=url, read_only=False)
    await _warm_up(kit)
    started = time.perf_counter()
    await asyncio.gather(*(one(kit, started) for _ in range(calls)))
    await kit.aclose()
    return sorted(ended)


def _rate_limited(url: str) -> int:
    stats = httpx.get(f"{url}/sandbox/stats", headers=HEADERS).json()
    return sum(stats["rate_limited"].values())


def _throughput_row(
    label: str, limit: int, ended: list[float], refused: int, target: float = 0.95
) -> Row:
    """Steady-state throughput: calls ended between the first and the last window, per second.

    The first window's burst and the last window's tail are left out: they measure the start-up
    (validating a thousand calls at once, opening connections), not the pacing.
    """
    calls = len(ended)
    steady = (calls - 2 * limit) / (ended[calls - limit - 1] - ended[limit - 1])
    share = steady / limit
    return Row(
        f"pacing: {label} at {limit}/s",
        f"{steady:.1f}/s steady, all in {ended[-1]:.2f} s (floor {_floor(calls, limit):.0f} s), "
        f"{refused} x 429",
        f"{share:.1%}",
        f">= {target:.0%}, no 429",
        share >= target and refused == 0,
    )


async def _first_job(kit: CustomerIOToolkit) -> int:
    """Example job one, as an agent with parallel tool calls does it."""
    listing = await kit.arun("customerio_list_campaigns")
    running = [c for c in listing.campaigns if c.state == "running"]  # type: ignore[attr-defined]
    await asyncio.gather(
        *(kit.arun("customerio_get_campaign_metrics", {"campaign_id": c.id}) for c in running)
    )
    return len(running)


# One process of several on the same key: `calls` reads, printing when each ended.
WORKER = """
import sys, time
from cio_toolkit import CustomerIOToolkit
kit = CustomerIOToolkit(sys.argv[1], base_url=sys.argv[2], rate_limit=sys.argv[3])
kit.call("customerio_list_campaigns")  # warm: validators built, connection open
time.sleep(max(0.0, float(sys.argv[5]) - time.time()))  # then all start together
for _ in range(int(sys.argv[4])):
    kit.call("customerio_list_segments")
    print(time.time(), flush=True)
"""


def _processes_row(quick: bool) -> Row:
    """Several processes on one key, paced together through a real Redis."""
    processes, calls = (4, 10) if quick else (4, 50)
    label = f"{processes} processes x {calls} reads (Redis)"
    try:
        redis = RedisServer().start()
    except FileNotFoundError:
        return Row(f"pacing: {label} at 10/s", "not measured: redis-server is not installed")
    try:
        with sandbox_server(limits=True) as url:
            start_at = time.time() + 3
            workers = [
                subprocess.Popen(
                    [sys.executable, "-c", WORKER, KEY, url, redis.url, str(calls), str(start_at)],
                    stdout=subprocess.PIPE,
                    text=True,
                    env=python_env(),
                )
                for _ in range(processes)
            ]
            ended = sorted(
                float(line) - start_at
                for worker in workers
                for line in worker.communicate()[0].split()
            )
            refused = _rate_limited(url)
    finally:
        redis.close()
    return _throughput_row(
        f"{processes} processes x {calls} reads (Redis)", 10, ended, refused, 0.9
    )


def run(quick: bool) -> list[Row]:
    reads, sends = (30, 300) if quick else (100, 1000)
    rows = []
    with sandbox_server(limits=True) as url:
        ended = asyncio.run(_burst(url, reads, "customerio_list_segments", {}))
        rows.append(_throughput_row(f"{reads} concurrent reads", 10, ended, _rate_limited(url)))
    with sandbox_server(limits=True) as url:
        ended = asyncio.run(_burst(url, sends, "customerio_send_transactional_email", SEND))
        rows.append(_throughput_row(f"{sends} concurrent sends", 100, ended, _rate_limited(url)))
    rows.append(_processes_row(quick))
    extra = 0 if quick else 36  # the seeded 14 running campaigns, or 50
    with sandbox_server(limits=True, extra_running=extra) as url:
        running: list[int] = []

        async def job(kit: CustomerIOToolkit) -> None:
            running.append(await _first_job(kit))

        elapsed = asyncio.run(_timed(job, url))
        floor = _floor(1 + running[0], 10)
        rows.append(
            Row(
                f"job one: list + metrics for {running[0]} running campaigns",
                f"{elapsed:.2f} s vs {floor:.0f} s floor, {_rate_limited(url)} x 429",
                f"{elapsed / floor:.2f}x",
                "<= 1.10x floor",
                elapsed / floor <= 1.1,
            )
        )
    return rows
