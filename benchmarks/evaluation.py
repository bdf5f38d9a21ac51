"""The evaluation catalog with the scripted stand-in: a tool whose output regresses loses a job."""

from __future__ import annotations

import time

from cio_toolkit.evaluation import evaluate

from .common import Row


def run(quick: bool) -> list[Row]:
    started = time.perf_counter()
    report = evaluate("scripted", k=1)
    elapsed = time.perf_counter() - started
    passed = sum(job.passed for job in report.jobs)
    lost = [job.id for job in report.jobs if not job.passed]
    shown = f"{passed} of {len(report.jobs)} in {elapsed:.1f} s"
    if lost:
        shown += f"; lost {', '.join(lost)}"
    measure = "eval: the catalog's jobs done by the scripted stand-in"
    return [Row(measure, shown, f"{report.overall.pass_at_1:.0%}", "every job", not lost)]
