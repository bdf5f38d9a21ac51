"""`cio-toolkit eval`: whether a model finishes the jobs people bring, with these tools, offline."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._personas import PERSONAS

if TYPE_CHECKING:
    from ..operations import Tools
    from ._catalog import CATALOG, Job
    from ._grading import Attempt
    from ._report import GroupReport, JobReport, Report, pass_hat_k
    from ._run import Over
    from ._stand_ins import STAND_INS

# Where each public name lives: loaded when first asked for, so that the command line, which
# only adds `eval` to its parser from here, does not load the catalog and the sandbox.
_HOMES = {"CATALOG": "_catalog", "Job": "_catalog", "STAND_INS": "_stand_ins",
          "GroupReport": "_report", "JobReport": "_report", "Report": "_report",
          "pass_hat_k": "_report"}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)


def evaluate(
    model: str = "scripted",
    *,
    k: int = 1,
    jobs: Iterable[str] | None = None,
    persona: str | None = None,
    preset: Tools = "all",
    over: Over = "direct",
    defer: bool = False,
    concurrency: int = 1,
    on_progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Run the catalog's jobs (or those named, or one persona's) `k` times each with `model`,
    each try on a fresh sandbox, grade each from the sandbox's own data, and report.

    A scripted stand-in is played directly; any other model runs through a LangChain agent.

    Args:
        model: `scripted` (the stand-in that does each job right), a bad stand-in
            (`scripted:guesses`...), or `PROVIDER:MODEL` for LangChain's `init_chat_model`.
        k: tries per job, each on a fresh sandbox; pass^k is the chance all k succeed.
        jobs: job ids to run (default every job).
        persona: only this persona's jobs.
        preset: the tools offered (a preset or names; default every tool).
        over: `direct` (the toolkit's own tools) or `mcp` (through its MCP server over
            streamable HTTP, as an MCP client reaches it).
        defer: leave every tool outside `core` to the provider's tool search (LangChain's
            `ProviderToolSearchMiddleware`); the definition bytes are then those sent each turn.
        concurrency: tries run at once (each has its own sandbox); more for a remote model.
        on_progress: called with (tries done, tries in all) as each try ends.

    Raises:
        ConfigurationError: an unknown model, job or persona.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from .._errors import ConfigurationError
    from .._toolkit import CustomerIOToolkit
    from ._report import Report
    from ._run import attempt, chat_model

    chosen = _chosen(jobs, persona)
    if k < 1 or concurrency < 1:
        raise ConfigurationError("k and concurrency must each be at least 1")
    made = chat_model(model)
    kit = CustomerIOToolkit.sandbox(read_only=False, tools=preset, defer=defer)
    definitions = len(json.dumps([
        {"name": s.name, "description": s.description, "parameters": s.parameters}
        for s in kit.specs if not s.deferred
    ]))  # fmt: skip
    tried: dict[str, list[Attempt]] = {job.id: [] for job in chosen}
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="cio-eval") as pool:
        running = {pool.submit(attempt, job, made, preset, over=over, defer=defer): job
                   for job in chosen for _ in range(k)}  # fmt: skip
        for done, finished in enumerate(as_completed(running), start=1):
            tried[running[finished].id].append(finished.result())
            if on_progress is not None:
                on_progress(done, len(running))
    reports = [_job_report(job, tried[job.id], k) for job in chosen]
    label = preset if isinstance(preset, str) else "custom"
    if over == "mcp":
        label += " over mcp"
    if defer:
        label += ", deferred"
    return Report.of(model, label, k, definitions, reports)


def _chosen(jobs: Iterable[str] | None, persona: str | None) -> list[Job]:
    from .._errors import ConfigurationError
    from ._catalog import CATALOG

    by_id = {job.id: job for job in CATALOG}
    if persona is not None and persona not in PERSONAS:
        raise ConfigurationError(f"No persona {persona!r}; there are {', '.join(PERSONAS)}.")
    named = list(jobs) if jobs is not None else list(by_id)
    unknown = [name for name in named if name not in by_id]
    if unknown:
        raise ConfigurationError(f"No job {', '.join(unknown)}; there are {', '.join(by_id)}.")
    return [by_id[n] for n in named if persona is None or by_id[n].persona == persona]


def _job_report(job: Job, tries: list[Attempt], k: int) -> JobReport:
    from statistics import fmean as mean

    from ._grading import failures
    from ._report import JobReport, pass_hat_k

    failed = [failures(job.checks(t.sandbox), t) for t in tries]
    passed = sum(not f for f in failed)

    return JobReport(
        id=job.id, persona=job.persona, answerable=job.answerable, tries=len(tries),
        passed=passed, pass_at_1=passed / len(tries), pass_hat_k=pass_hat_k(len(tries), passed, k),
        calls=mean(len(t.calls) for t in tries), chars_read=mean(t.chars_read for t in tries),
        input_tokens=mean(t.input_tokens for t in tries),
        output_tokens=mean(t.output_tokens for t in tries),
        seconds=mean(t.seconds for t in tries),
        why=sorted({reason for f in failed for reason in f}),
    )  # fmt: skip


__all__ = [
    "CATALOG",
    "PERSONAS",
    "STAND_INS",
    "GroupReport",
    "Job",
    "JobReport",
    "Report",
    "evaluate",
    "pass_hat_k",
]
