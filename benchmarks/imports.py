"""Import cost against the floor of any httpx + pydantic library, in fresh processes."""

from __future__ import annotations

import statistics
import subprocess
import sys

from .common import Row, python_env

FLOOR = "import httpx\nfrom pydantic import BaseModel\nclass M(BaseModel):\n    x: int"
TOOLKIT = "from cio_toolkit import CustomerIOToolkit\nCustomerIOToolkit('k')"
TIMER = "import time\nt = time.perf_counter()\n{code}\nprint(time.perf_counter() - t)"
# Which frameworks building one adapter's tools loads.
ISOLATION = (
    "import sys\nfrom cio_toolkit import CustomerIOToolkit\n"
    "CustomerIOToolkit('k').{method}()\n"
    "print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'langchain_core', 'llama_index'}}))"
)


def _seconds(code: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", TIMER.format(code=code)],
        capture_output=True, text=True, check=True, env=python_env(),
    )  # fmt: skip
    return float(out.stdout)


def _loaded(method: str) -> str:
    code = ISOLATION.format(method=method)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def run(quick: bool) -> list[Row]:
    runs = 3 if quick else 15
    _seconds("import cio_toolkit")  # a warm-up writes the bytecode caches, as an install does
    # Interleaved, so drift in the machine's speed hits both sides alike.
    floors, ours, built = [], [], []
    for _ in range(runs):
        floors.append(_seconds(FLOOR))
        ours.append(_seconds("import cio_toolkit"))
        built.append(_seconds(TOOLKIT))
    floor, mine = statistics.median(floors), statistics.median(ours)
    toolkit = statistics.median(built)
    langchain, llama = _loaded("langchain_tools"), _loaded("llamaindex_tools")
    return [
        Row(
            "import cio_toolkit vs httpx+pydantic floor",
            f"{mine * 1000:.0f} ms vs {floor * 1000:.0f} ms (median of {runs})",
            f"{mine / floor:.2f}x",
            "<= 1.20x",
            mine / floor <= 1.2,
        ),
        Row(
            # Shown because the registry imports operations when first offered: the cost a
            # program pays to serve the default tools, which `import` alone no longer shows.
            "import + CustomerIOToolkit() (core reads) vs floor",
            f"{toolkit * 1000:.0f} ms vs {floor * 1000:.0f} ms (median of {runs})",
            f"{toolkit / floor:.2f}x",
            "",
            None,
        ),
        Row(
            "frameworks loaded by langchain_tools() / llamaindex_tools()",
            f"{langchain} / {llama}",
            "",
            "only its own",
            langchain == "['langchain_core']" and llama == "['llama_index']",
        ),
    ]
