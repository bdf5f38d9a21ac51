"""The `period` and `steps` of broadcast and newsletter metrics, read as the documents say."""

from __future__ import annotations

from collections.abc import Mapping

from . import metrics
from .answers import Problem, integer
from .limits import STEPS_DEFAULT, STEPS_MAX, STEPS_MIN, STEPS_TZ


def steps_window(now: int, query: Mapping[str, str]) -> list[tuple[int, int]]:
    """The periods a `period`/`steps` query asks for, oldest first; 400 for what it cannot be."""
    period = query.get("period", "days")
    if period not in STEPS_MAX:
        raise Problem(400)
    steps = integer(query.get("steps", 0), Problem(400))
    if steps < 0 or steps > STEPS_MAX[period]:
        raise Problem(400)
    # `steps=0` (or none) is the default count; fewer than 2 is 2.
    count = max(steps or STEPS_DEFAULT[period], STEPS_MIN)
    return metrics.last_periods(now, period, count, STEPS_TZ)
