"""Shared by the benchmarks: the result rows, and a sandbox server in its own process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

KEY = "benchmark-key"
HEADERS = {"Authorization": f"Bearer {KEY}"}


@dataclass(frozen=True)
class Row:
    measure: str
    value: str
    ratio: str = ""
    target: str = ""
    met: bool | None = None  # None: reported, no target

    @property
    def verdict(self) -> str:
        return "" if self.met is None else ("ok" if self.met else "MISSED")


def print_table(rows: list[Row]) -> None:
    headers = ("measure", "value", "ratio", "target", "")
    cells = [headers, *((r.measure, r.value, r.ratio, r.target, r.verdict) for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def python_env() -> dict[str, str]:
    """The environment for child interpreters: bytecode caching on, as in a normal install."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@contextmanager
def sandbox_server(*, limits: bool, extra_running: int = 0) -> Iterator[str]:
    """A loopback sandbox server in another process (its own GIL, like a real API), its URL."""
    command = [sys.executable, "-m", "benchmarks.serve", str(int(limits)), str(extra_running)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=python_env()) as server:
        try:
            assert server.stdout is not None
            yield server.stdout.readline().strip()
        finally:
            server.terminate()
