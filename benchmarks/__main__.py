"""Print the benchmark table: import cost against the httpx + pydantic floor, and token bytes."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

FLOOR = "import httpx; from pydantic import BaseModel\nclass M(BaseModel):\n    x: int"
RUNS = 3 if "--quick" in sys.argv else 11


def _import_seconds(code: str) -> float:
    timer = f"import time; t = time.perf_counter()\n{code}\nprint(time.perf_counter() - t)"
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", timer], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(RUNS)
    ]
    return statistics.median(samples)


def _definition_bytes() -> int:
    from langchain_core.utils.function_calling import convert_to_openai_tool

    from cio_toolkit import CustomerIOToolkit

    tools = CustomerIOToolkit("benchmark", read_only=False).langchain_tools()
    return len(json.dumps([convert_to_openai_tool(tool) for tool in tools]))


def main() -> None:
    floor = _import_seconds(FLOOR)
    ours = _import_seconds("import cio_toolkit")
    rows = [
        (
            "import cio_toolkit / httpx+pydantic floor",
            f"{ours * 1000:.0f} ms / {floor * 1000:.0f} ms",
            f"{ours / floor:.2f}x",
            "<= 1.20x",
        ),
        (
            "8 tool definitions (convert_to_openai_tool)",
            f"{_definition_bytes():,} bytes",
            "",
            "<= 10,240",
        ),
    ]
    print(f"{'measure':<46} {'value':<24} {'ratio':<8} target")
    for name, value, ratio, target in rows:
        print(f"{name:<46} {value:<24} {ratio:<8} {target}")


if __name__ == "__main__":
    main()
