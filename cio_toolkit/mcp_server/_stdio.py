"""MCP over stdin and stdout, on the event loop where they are pipes or sockets."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from ._tools import build_server

if TYPE_CHECKING:
    import asyncio

    from .._toolkit import CustomerIOToolkit


async def serve_stdio(toolkit: CustomerIOToolkit) -> None:
    """Serve over stdin/stdout until the client closes them."""
    from mcp.server.stdio import stdio_server

    server = build_server(toolkit)
    async with (
        _pipes() as (stdin, stdout),
        stdio_server(stdin, stdout) as (read, write),  # type: ignore[arg-type]
    ):
        await server.run(read, write, server.create_initialization_options())


# The longest line read from stdin: a send's largest message (1 MB of content, 2 MB of
# attachments as base64, JSON escapes) several times over. A longer one is dropped, not kept.
MAX_STDIN_LINE = 16 * 2**20


@asynccontextmanager
async def _pipes() -> AsyncIterator[tuple[_LinesIn | None, _LinesOut | None]]:
    """stdin and stdout on the event loop, where both are pipes or sockets (as MCP clients
    start a server: Python's with pipes, Node's with socket pairs).

    The SDK's own reads each line and writes each message in a worker thread: three thread
    hand-offs a call, about a third of the time the server adds to one. Elsewhere (a terminal,
    a file, Windows) None: the SDK's own.
    """
    import asyncio
    import os
    import stat

    def streams(fd: int) -> bool:
        mode = os.fstat(fd).st_mode
        return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)

    if sys.platform == "win32" or not (streams(0) and streams(1)):
        yield None, None
        return
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=MAX_STDIN_LINE, loop=loop)
    read_pipe, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
    )
    write_pipe, protocol = await loop.connect_write_pipe(
        lambda: asyncio.streams.FlowControlMixin(loop), sys.stdout
    )
    writer = asyncio.StreamWriter(write_pipe, protocol, None, loop)
    try:
        yield _LinesIn(reader), _LinesOut(writer)
    finally:
        read_pipe.close()
        writer.close()


class _LinesIn:
    """stdin's lines as the SDK's stdio transport iterates them: UTF-8 with bad bytes replaced,
    and a line over `MAX_STDIN_LINE` given as an empty one, which the SDK answers as not JSON."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self.reader = reader

    def __aiter__(self) -> _LinesIn:
        return self

    async def __anext__(self) -> str:
        try:
            line = await self.reader.readline()
        except ValueError:  # over the limit: asyncio has dropped what it held of the line
            return "\n"
        if not line:
            raise StopAsyncIteration
        return line.decode("utf-8", errors="replace")


class _LinesOut:
    """stdout as the SDK's stdio transport writes it: text, then a flush that waits until the
    pipe has taken it."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer

    async def write(self, text: str) -> None:
        self.writer.write(text.encode("utf-8"))

    async def flush(self) -> None:
        await self.writer.drain()
