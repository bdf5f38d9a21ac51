"""An evaluation's report: per job and per persona pass@1 and pass^k, calls, reading, tokens."""

from __future__ import annotations

import statistics
from math import comb

from pydantic import BaseModel, Field


def pass_hat_k(tries: int, passed: int, k: int) -> float:
    """The chance that k tries drawn from these all succeed (tau-bench's pass^k, unbiased):
    C(passed, k) / C(tries, k)."""
    if k > tries:
        raise ValueError(f"k={k} needs at least {k} tries, not {tries}")
    return comb(passed, k) / comb(tries, k)


class JobReport(BaseModel):
    """How one job went over its tries."""

    id: str
    persona: str
    answerable: bool
    tries: int
    passed: int
    pass_at_1: float
    pass_hat_k: float
    calls: float = Field(description="tool calls per try, on average")
    chars_read: float = Field(description="characters of tool output read per try")
    input_tokens: float
    output_tokens: float
    seconds: float
    why: list[str] = Field(description="what failed, in words, over the failed tries")


class GroupReport(BaseModel):
    """Jobs taken together (a persona, or all of them)."""

    jobs: int
    pass_at_1: float
    pass_hat_k: float


class Report(BaseModel):
    """One evaluation run: which model and preset, and how each job went."""

    model: str
    preset: str
    k: int
    definition_bytes: int = Field(description="the preset's tool definitions, as JSON")
    jobs: list[JobReport]
    overall: GroupReport
    personas: dict[str, GroupReport]

    @classmethod
    def of(cls, model: str, preset: str, k: int, definition_bytes: int,
           jobs: list[JobReport]) -> Report:  # fmt: skip
        def group(chosen: list[JobReport]) -> GroupReport:
            return GroupReport(
                jobs=len(chosen),
                pass_at_1=statistics.fmean(j.pass_at_1 for j in chosen) if chosen else 0.0,
                pass_hat_k=statistics.fmean(j.pass_hat_k for j in chosen) if chosen else 0.0,
            )

        personas = {p: group([j for j in jobs if j.persona == p])
                    for p in sorted({job.persona for job in jobs})}  # fmt: skip
        return cls(model=model, preset=preset, k=k, definition_bytes=definition_bytes, jobs=jobs,
                   overall=group(jobs), personas=personas)  # fmt: skip

    def table(self) -> str:
        """The report as a terminal table: a row per job, then per persona, then overall."""
        head = f"{'job':<26} {'persona':<14} {'pass@1':>6} {'pass^' + str(self.k):>6} " \
               f"{'calls':>5} {'read':>7} {'tokens':>8}  why"  # fmt: skip
        lines = [f"{self.model}, preset {self.preset}, {self.k} tries a job, "
                 f"{self.definition_bytes:,} bytes of definitions", head]  # fmt: skip
        for job in self.jobs:
            tokens = job.input_tokens + job.output_tokens
            lines.append(
                f"{job.id:<26} {job.persona:<14} {job.pass_at_1:>6.0%} {job.pass_hat_k:>6.0%} "
                f"{job.calls:>5.1f} {job.chars_read:>7,.0f} {tokens:>8,.0f}  "
                + "; ".join(job.why)[:120]
            )
        for name, group in [*self.personas.items(), ("all", self.overall)]:
            lines.append(f"{name:<41} {group.pass_at_1:>6.0%} {group.pass_hat_k:>6.0%}  "
                         f"({group.jobs} jobs)")  # fmt: skip
        return "\n".join(lines)

    def compared(self, other: Report) -> str:
        """This run and `other` side by side: each job's pass@1, then each persona's."""
        labels = [f"{report.model}/{report.preset}" for report in (self, other)]
        wide = max(8, *map(len, labels))

        def row(name: str, before: float, after: float) -> str:
            points = round(100 * (after - before))
            change = f"{points:+d} points" if points else ""
            return f"{name:<26} {before:>{wide}.0%} {after:>{wide}.0%}  {change}".rstrip()

        lines = [f"{'':<26} {labels[0]:>{wide}} {labels[1]:>{wide}}  change",
                 f"{'definition bytes':<26} {self.definition_bytes:>{wide},} "
                 f"{other.definition_bytes:>{wide},}"]  # fmt: skip
        theirs = {job.id: job for job in other.jobs}
        lines += [row(job.id, job.pass_at_1, theirs[job.id].pass_at_1)
                  for job in self.jobs if job.id in theirs]  # fmt: skip
        mine = {**self.personas, "all": self.overall}
        lines += [row(name, mine[name].pass_at_1, group.pass_at_1)
                  for name, group in {**other.personas, "all": other.overall}.items()
                  if name in mine]  # fmt: skip
        return "\n".join(lines)
