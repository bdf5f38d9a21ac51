"""Peak memory of a process with a thousand calls in flight, what more calls add, and what a
hostile answer (a gzip bomb, a 50 MB body) costs a process before it is refused."""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator

from tests.servers import RawServer, gzip_bomb

from .common import KEY, Row, python_env, sandbox_server

# In a child process, so its peak RSS is of the calls alone, not of the benchmark runner.
CHILD = """
import asyncio, sys
from cio_toolkit import CustomerIOToolkit

def kib(field):  # /proc, not getrusage: a child's ru_maxrss can include its parent's at fork
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))

async def main(url, calls):
    kit = CustomerIOToolkit({key!r}, base_url=url, rate_limit=False)
    await kit.acall("customerio_list_segments")  # built and connected: the baseline
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # restart the peak from here
    base = kib("VmRSS:")
    people = ["1", "2", "3", "4", "5"]  # the featured people: every one has an id
    await asyncio.gather(*(
        kit.acall("customerio_get_person_attributes", {{"customer_id": people[n % 5]}})
        for n in range(calls)
    ))
    print(base, kib("VmHWM:"))

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


def _peak_kib(url: str, calls: int) -> tuple[int, int]:
    code = CHILD.format(key=KEY)
    out = subprocess.run(
        [sys.executable, "-c", code, url, str(calls)],
        capture_output=True, text=True, check=True, env=python_env(),
    )  # fmt: skip
    base, peak = out.stdout.split()
    return int(base), int(peak)  # KiB on Linux


# In a child process: one call meeting a hostile answer; its peak RSS above the idle client's.
HOSTILE = """
import asyncio, sys
from cio_toolkit import CustomerIOToolkit, CustomerIOError

def kib(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))

async def main(url):
    kit = CustomerIOToolkit("memory-key", base_url=url, rate_limit=False)
    kit.async_client  # built: the baseline
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    base = kib("VmRSS:")
    try:
        await kit.acall("customerio_list_campaigns")
    except CustomerIOError as error:
        print(base, kib("VmHWM:"), type(error).__name__)

asyncio.run(main(sys.argv[1]))
"""


def _fifty_megabytes() -> Iterator[bytes]:
    rows = b'{"id": 1},' * 100_000
    yield b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n{"campaigns": [' % (len(rows) * 50)
    yield from itertools.repeat(rows, 50)


def _hostile_rows(quick: bool) -> list[Row]:
    inflated = (64 if quick else 1024) * 1024 * 1024
    bomb = gzip_bomb(inflated)
    answers: dict[str, Callable[[], Iterable[bytes]]] = {
        f"a gzip bomb ({len(bomb) // 1024:,} KB inflating to {inflated // 2**20:,} MB)": lambda: [
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n",
            b"Content-Length: %d\r\n\r\n" % len(bomb),
            bomb,
        ],
        "a 50 MB answer": _fifty_megabytes,
    }
    rows = []
    for label, answer in answers.items():
        with RawServer(answer) as server:
            out = subprocess.run(
                [sys.executable, "-c", HOSTILE, server.url],
                capture_output=True, text=True, check=True, env=python_env(),
            ).stdout.split()  # fmt: skip
        base, peak, error = int(out[0]), int(out[1]), out[2]
        above = (peak - base) / 1024
        rows.append(
            Row(
                f"memory: peak RSS above idle under {label}",
                f"{above:.1f} MiB, then {error}",
                "",
                "<= 100 MiB",
                above <= 100,
            )
        )
    return rows


def run(quick: bool) -> list[Row]:
    small, large = (100, 200) if quick else (1000, 2000)
    with sandbox_server(limits=False) as url:
        _peak_kib(url, 10)  # a warm-up writes the bytecode caches; compiling them peaks too
        base, peak_small = _peak_kib(url, small)
        _, peak_large = _peak_kib(url, large)
    per_thousand = (peak_large - peak_small) / ((large - small) / 1000)
    return [
        *_hostile_rows(quick),
        Row(
            f"memory: peak RSS with {small:,} concurrent calls",
            f"{peak_small / 1024:.1f} MiB (idle client {base / 1024:.1f} MiB)",
        ),
        Row(
            "memory: growth per extra 1,000 concurrent calls",
            f"{per_thousand / 1024:.1f} MiB",
        ),
    ]
