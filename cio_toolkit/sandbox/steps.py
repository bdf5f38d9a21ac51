"""The `period` and `steps` of broadcast and newsletter metrics, read as the documents say."""

from __future__ import annotations

from collections.abc import Mapping

from . import metrics
from .answers import Problem, integer
from .limits import STEPS_DEFAULT, STEPS_MAX, STEPS_MIN, STEPS_TZ


def steps_window(now: int, query: Mapping[str, str], strict: bool) -> list[tuple[int, int]]:
    """The periods a `period`/`steps` query asks for, oldest first.

    What is not a period or a count is refused with a 400 when `strict` (broadcasts document
    one), else read as the default (newsletters document no 400; inferred).
    """
    period = query.get("period", "days")
    steps = integer(query.get("steps", 0), Problem(400)) if strict else _lenient(query)
    if period not in STEPS_MAX or steps < 0:
        if strict:
            raise Problem(400)
        period, steps = ("days", 0) if period not in STEPS_MAX else (period, 0)
    # `steps=0` (or none) is the default count; fewer than 2 is 2; more than the maximum is the
    # maximum (inferred: the documents only state the maxima).
    count = min(max(steps or STEPS_DEFAULT[period], STEPS_MIN), STEPS_MAX[period])
    return metrics.last_periods(now, period, count, STEPS_TZ)


def _lenient(query: Mapping[str, str]) -> int:
    try:
        return int(query.get("steps", 0))
    except ValueError:
        return 0
