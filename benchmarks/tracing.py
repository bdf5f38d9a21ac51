"""What tracing costs a tool call: OpenTelemetry's SDK recording every span (the call's and its
request's, exported in batches) against the same calls with the spans sampled out.

Measured in a process of its own (`python -m benchmarks.tracing ROUNDS`): a tracer provider,
once set, stays for the life of a process.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

from .common import KEY, Row, python_env, sandbox_server

TOOL = "customerio_get_person_attributes"
ARGUMENTS = {"customer_id": "1"}


def _measure(url: str, rounds: int) -> dict[str, float]:
    """Median seconds per `toolkit.call`: with no SDK (the API's no-op spans), then with the
    SDK's provider, recording and sampled out in turn, rounds interleaved."""
    from opentelemetry import trace
    from opentelemetry.context import Context
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
    from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult

    from cio_toolkit import CustomerIOToolkit

    class Dropped(SpanExporter):
        def export(self, spans: Sequence[object]) -> SpanExportResult:
            return SpanExportResult.SUCCESS

    class Switch(Sampler):
        on = False

        def should_sample(self, parent_context: Context | None, *args: object,
                          **kwargs: object) -> SamplingResult:  # fmt: skip
            return SamplingResult(Decision.RECORD_AND_SAMPLE if self.on else Decision.DROP)

        def get_description(self) -> str:
            return "switch"

    kit = CustomerIOToolkit(KEY, base_url=url, rate_limit=False)

    def timed(count: int) -> list[float]:
        samples = []
        for _ in range(count):
            started = time.perf_counter()
            kit.call(TOOL, ARGUMENTS)
            samples.append(time.perf_counter() - started)
        return samples

    timed(20)
    no_sdk = timed(rounds)
    switch = Switch()
    provider = TracerProvider(sampler=switch)
    provider.add_span_processor(BatchSpanProcessor(Dropped()))
    trace.set_tracer_provider(provider)
    samples: dict[str, list[float]] = {"recorded": [], "sampled out": []}
    for round_ in range(rounds + 5):
        for name, on in (("recorded", True), ("sampled out", False)):
            switch.on = on
            started = time.perf_counter()
            kit.call(TOOL, ARGUMENTS)
            if round_ >= 5:
                samples[name].append(time.perf_counter() - started)
    provider.shutdown()
    medians = {name: statistics.median(times) for name, times in samples.items()}
    return {**medians, "no SDK": statistics.median(no_sdk)}


def run(quick: bool) -> list[Row]:
    rounds = 30 if quick else 600
    with sandbox_server(limits=False) as url:
        ran = subprocess.run(
            [sys.executable, "-m", "benchmarks.tracing", url, str(rounds)],
            capture_output=True, text=True, check=True, env=python_env(),
        )  # fmt: skip
    medians = json.loads(ran.stdout)
    on, off = medians["recorded"], medians["sampled out"]
    ratio = on / off
    return [
        Row("tracing: a call with its spans recorded vs sampled out",
            f"{on * 1000:.3f} vs {off * 1000:.3f} ms (median of {rounds})", f"{ratio:.3f}x",
            "<= 1.05x", ratio <= 1.05),
        Row("tracing:   the same call with opentelemetry-api alone (no SDK)",
            f"{medians['no SDK'] * 1000:.3f} ms", f"{medians['no SDK'] / off:.3f}x"),
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(_measure(sys.argv[1], int(sys.argv[2]))))
