"""What a tool call costs on top of a raw httpx request to the same endpoint, pacing off."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import httpx

from cio_toolkit import CustomerIOToolkit

from .common import HEADERS, KEY, Row, sandbox_server

TOOL = "customerio_get_person_attributes"
ARGUMENTS = {"customer_id": "1"}


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run(quick: bool) -> list[Row]:
    rounds = 30 if quick else 400
    with sandbox_server(limits=False) as url:
        kit = CustomerIOToolkit(KEY, base_url=url, rate_limit=False)
        langchain = next(t for t in kit.langchain_tools() if t.name == TOOL)
        llama = next(t for t in kit.llamaindex_tools() if t.metadata.name == TOOL)
        with httpx.Client(base_url=url, headers=HEADERS) as raw:
            callers: dict[str, Callable[[], object]] = {
                "raw httpx GET + .json()": lambda: raw.get("/v1/customers/1/attributes").json(),
                "toolkit.call": lambda: kit.call(TOOL, ARGUMENTS),
                "LangChain tool.invoke": lambda: langchain.invoke(ARGUMENTS),
                "LlamaIndex tool.call": lambda: llama.call(**ARGUMENTS),
            }
            samples: dict[str, list[float]] = {name: [] for name in callers}
            for round_ in range(rounds + 5):
                for name, call in callers.items():  # interleaved: drift hits every caller alike
                    started = time.perf_counter()
                    call()
                    if round_ >= 5:  # the first rounds warm connections and caches
                        samples[name].append(time.perf_counter() - started)
        kit.close()
    raw_ms = _median_ms(samples["raw httpx GET + .json()"])
    rows = [Row("call: raw httpx GET + .json()", f"{raw_ms:.2f} ms (median of {rounds})")]
    for name in ("toolkit.call", "LangChain tool.invoke", "LlamaIndex tool.call"):
        ms = _median_ms(samples[name])
        is_target = name == "toolkit.call"
        rows.append(
            Row(
                f"call: {name} vs raw",
                f"{ms:.2f} ms",
                f"{ms / raw_ms:.2f}x",
                "<= 1.25x" if is_target else "",
                ms / raw_ms <= 1.25 if is_target else None,
            )
        )
    return rows
