"""`python -m benchmarks [--quick]`: every benchmark, one table (`--quick`: tiny sizes, for CI)."""

from __future__ import annotations

import sys
import time
from dataclasses import replace

from . import calls, evaluation, imports, mcp, memory, pacing, tokens, tracing
from .common import print_table


def main() -> int:
    quick = "--quick" in sys.argv
    started = time.perf_counter()
    rows = []
    for suite in (imports, calls, mcp, pacing, tokens, evaluation, memory, tracing):
        rows += suite.run(quick)
    if quick:  # tiny sizes say nothing about the targets
        rows = [replace(row, met=None) for row in rows]
    print_table(rows)
    missed = sum(row.met is False for row in rows)
    elapsed = time.perf_counter() - started
    print(f"\n{len(rows)} rows in {elapsed:.0f} s; targets missed: {missed}")
    if quick:
        print("(--quick: a smoke run at tiny sizes; targets are not judged)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
