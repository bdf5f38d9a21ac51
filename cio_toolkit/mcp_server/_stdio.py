"""MCP over stdin and stdout, on the event loop where they are pipes or sockets."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from ._tools import build_server

if TYPE_CHECKING:
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
        yield _LinesIn(reader, writer), _LinesOut(writer)
    finally:
        read_pipe.close()
        writer.close()


# JSON-RPC's answer to a message that could not be read: its id unknown, so null. The SDK drops
# such a line without a word; a client waiting on it should learn why it never gets its answer.
_LINE_TOO_LONG = (
    '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,'
    f'"message":"Parse error: a line over {MAX_STDIN_LINE // 2**20} MiB, not read"}}}}\n'
).encode()


class _LinesIn:
    """stdin's lines as the SDK's stdio transport iterates them: UTF-8 with bad bytes replaced.
    A line over `MAX_STDIN_LINE` is answered as a parse error on stdout and never given on."""

    def __init__(self, reader: asyncio.StreamReader, answer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.answer = answer

    def __aiter__(self) -> _LinesIn:
        return self

    async def __anext__(self) -> str:
        while True:
            try:
                line = await self.reader.readuntil(b"\n")
            except asyncio.IncompleteReadError as end:  # the end: a last line with no newline
                if not end.partial:
                    raise StopAsyncIteration from None
                line = end.partial
            except asyncio.LimitOverrunError:
                await self._drop_the_rest_of_the_line()
                # One write() of a whole line: the SDK's own writes never interleave with it.
                self.answer.write(_LINE_TOO_LONG)
                continue
            return line.decode("utf-8", errors="replace")

    async def _drop_the_rest_of_the_line(self) -> None:
        """Read up to the line's end and keep none of it: the part after the limit is not a
        message of its own (StreamReader.readline would give it as one)."""
        while True:
            try:
                await self.reader.readuntil(b"\n")
                return
            except asyncio.LimitOverrunError as over:  # no newline yet in what is buffered
                await self.reader.readexactly(over.consumed)
            except asyncio.IncompleteReadError:
                return


class _LinesOut:
    """stdout as the SDK's stdio transport writes it: text, then a flush that waits until the
    pipe has taken it."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer

    async def write(self, text: str) -> None:
        self.writer.write(text.encode("utf-8"))

    async def flush(self) -> None:
        await self.writer.drain()
