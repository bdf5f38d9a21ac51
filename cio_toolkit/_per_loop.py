"""One async client per event loop: httpx's pooled connections belong to the loop that opened
them, so each loop (a notebook's, each `asyncio.run`, each thread's) gets its own."""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

    from ._client import AsyncCustomerIOClient


class PerLoop:
    """One async client per event loop, reused by every call on it and closed at its shutdown.

    The closing rides on an async generator started on the loop: `asyncio.run` (and every loop
    runner) closes the async generators it started before it closes the loop, while the loop can
    still close sockets cleanly.
    """

    def __init__(self, make: Callable[[], AsyncCustomerIOClient]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._clients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[AsyncCustomerIOClient, AsyncGenerator[None, None]]
        ] = weakref.WeakKeyDictionary()
        self._outside_a_loop: AsyncCustomerIOClient | None = None

    def get(self) -> AsyncCustomerIOClient:
        import asyncio  # only async callers get here; `import cio_toolkit` stays light

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # asked for outside a loop (to read its settings, say)
            if self._outside_a_loop is None:
                self._outside_a_loop = self._make()
            return self._outside_a_loop
        with self._lock:
            if loop not in self._clients:
                client = self._make()
                # Kept beside the client: a dropped generator would close it at once.
                self._clients[loop] = (client, self._closing_with(loop, client))
            return self._clients[loop][0]

    def _closing_with(
        self, loop: asyncio.AbstractEventLoop, client: AsyncCustomerIOClient
    ) -> AsyncGenerator[None, None]:
        async def closer() -> AsyncGenerator[None, None]:
            try:
                yield
            finally:
                with self._lock:
                    self._clients.pop(loop, None)
                await client.aclose()

        generator = closer()
        # The first step registers the generator with the running loop, and stops at `yield`.
        with contextlib.suppress(StopIteration):
            generator.asend(None).send(None)
        return generator

    async def aclose_this_loop(self) -> None:
        import asyncio

        with self._lock:
            entry = self._clients.get(asyncio.get_running_loop())
        if entry is not None:
            await entry[1].aclose()

    def close_all(self) -> None:
        """Close the clients of loops that still run (each on its own loop, without waiting)."""
        import asyncio

        with self._lock:
            entries = list(self._clients.items())
        for loop, (_, generator) in entries:
            if loop.is_running() and not loop.is_closed():
                asyncio.run_coroutine_threadsafe(generator.aclose(), loop)
