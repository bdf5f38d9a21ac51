"""What a try did (its calls, its writes, its answer) and the checks a job's grader makes of it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..operations import REGISTRY
from ..sandbox import Sandbox

# A number as an answer writes it: 1,234 / 45.1% / 0.75 / -3.
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
# The sends and triggers a write job may make, by the route that makes them.
SEND = ("POST", "/v1/send/email")
# The tools that write, as the registry says.
WRITES = tuple(name for name, operation in REGISTRY.items() if operation.is_write)


@dataclass(frozen=True)
class Call:
    """One tool call a try made: its name, arguments, and the text the model read back."""

    tool: str
    arguments: dict[str, Any]
    text: str


@dataclass
class Attempt:
    """One try at a job, on its own fresh sandbox."""

    sandbox: Sandbox
    calls: list[Call] = field(default_factory=list)
    answer: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    seconds: float = 0.0
    error: str | None = None  # the run itself failed (a model error, a turn limit)

    @property
    def chars_read(self) -> int:
        return sum(len(call.text) for call in self.calls)

    def called(self, tool: str) -> list[int]:
        """The positions of the calls to `tool`, in order."""
        return [i for i, call in enumerate(self.calls) if call.tool == tool]


Check = Callable[[Attempt], str | None]  # None when it holds; else what went wrong


def numbers_in(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in _NUMBER.findall(text)]


def states(label: str, value: float, tolerance: float = 0.0) -> Check:
    """The answer gives `value` (within `tolerance`) for `label`."""

    def check(attempt: Attempt) -> str | None:
        if any(abs(n - value) <= tolerance for n in numbers_in(attempt.answer)):
            return None
        within = f" (within {tolerance:g})" if tolerance else ""
        return f"the answer does not give {label}: {value:g}{within}"

    return check


def names(label: str, *texts: str) -> Check:
    """The answer names every one of `texts` (case aside)."""

    def check(attempt: Attempt) -> str | None:
        said = attempt.answer.lower()
        missing = [text for text in texts if text.lower() not in said]
        return f"the answer does not name {label}: {', '.join(missing)}" if missing else None

    return check


def says_it_cannot(*subjects: str) -> Check:
    """The answer says the API cannot give this, rather than making a figure up."""
    words = ("cannot", "can't", "does not", "doesn't", "not available", "no way", "unable")

    def check(attempt: Attempt) -> str | None:
        said = attempt.answer.lower()
        if not any(word in said for word in words):
            return "the answer does not say that the API cannot give this"
        if not any(subject.lower() in said for subject in subjects):
            return f"the answer does not say what it cannot give ({' / '.join(subjects)})"
        return None

    return check


def calls(*tools: str) -> Check:
    """Each of `tools` was called at least once."""

    def check(attempt: Attempt) -> str | None:
        missing = [tool for tool in tools if not attempt.called(tool)]
        return f"never called {', '.join(missing)}" if missing else None

    return check


def never_calls(*tools: str) -> Check:
    def check(attempt: Attempt) -> str | None:
        made = [tool for tool in tools if attempt.called(tool)]
        return f"called {', '.join(made)}, which this job must not" if made else None

    return check


def writes_once(route: tuple[str, str], then_checks: str) -> Check:
    """Exactly one request to `route` reached the workspace, and the tool `then_checks` was
    called after it to see what became of it."""

    def check(attempt: Attempt) -> str | None:
        made = attempt.sandbox.received[route]
        if made != 1:
            return f"{route[0]} {route[1]} reached the workspace {made} times, not once"
        writes = [i for i, call in enumerate(attempt.calls) if call.tool in WRITES]
        if not any(i > writes[-1] for i in attempt.called(then_checks)):
            return f"the write was not checked with {then_checks} after it"
        return None

    return check


def within_budget(most: int) -> Check:
    def check(attempt: Attempt) -> str | None:
        return None if len(attempt.calls) <= most else f"{len(attempt.calls)} calls, over {most}"

    return check


def failures(checks: Sequence[Check], attempt: Attempt) -> list[str]:
    """Every check that does not hold, in words; none when the try passed."""
    if attempt.error is not None:
        return [attempt.error]
    return [said for check in checks if (said := check(attempt)) is not None]
