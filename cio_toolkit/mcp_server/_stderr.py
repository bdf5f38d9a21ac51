"""Log lines to stderr from a thread of their own: a full pipe stalls it, never the server."""

from __future__ import annotations

import atexit
import logging
import queue
import sys
import threading

# How long, at exit, the lines still queued may take to reach a stderr nobody reads.
FLUSH_AT_EXIT_SECONDS = 2.0


class BackgroundStderr(logging.Handler):
    """Formats each record where it is logged and hands the line to a writer thread.

    The specification lets a client never read the server's stderr. A pipe holds about 64 KiB:
    written from the event loop, the 500th audit line or so would block it, and with it every
    call. `logging.handlers.QueueListener` does the same hand-off, but its `stop()` joins its
    thread without a timeout, so exiting while stderr is blocked would hang: this one waits
    `FLUSH_AT_EXIT_SECONDS` at most.
    """

    def __init__(self) -> None:
        super().__init__()
        # Lines, a flush's marker (set once the lines before it are written), or None: stop.
        self._lines: queue.SimpleQueue[str | threading.Event | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, name="cio-stderr", daemon=True)
        self._writer.start()
        atexit.register(self.flush_at_exit)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._lines.put(self.format(record) + "\n")
        except Exception:
            self.handleError(record)

    def flush(self) -> None:
        """Wait, a bounded time, until the lines logged so far are written."""
        written = threading.Event()
        self._lines.put(written)
        written.wait(FLUSH_AT_EXIT_SECONDS)

    def _write(self) -> None:
        while (line := self._lines.get()) is not None:
            if isinstance(line, threading.Event):
                line.set()
                continue
            try:
                sys.stderr.write(line)
                sys.stderr.flush()
            except (OSError, ValueError):  # stderr closed: nothing more can be said there
                return

    def flush_at_exit(self) -> None:
        """Let the lines still queued out, waiting a bounded time for a stderr nobody reads."""
        self._lines.put(None)
        self._writer.join(FLUSH_AT_EXIT_SECONDS)
