"""Liquid rendering as Customer.io fills a message: `customer.*` and `trigger.*`."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=256)
def _compiled(source: str) -> Any:
    # python-liquid is imported on first render: only the sandbox needs it.
    from liquid import parse

    return parse(source)


def render(source: str, context: Mapping[str, Any]) -> str:
    """Liquid as Customer.io fills it: `customer.*` from the profile, `trigger.*` from the data."""
    if "{" not in source:
        return source  # no Liquid to fill: most seeded subjects
    from liquid.exceptions import LiquidError

    try:
        return str(_compiled(source).render(**context))
    except LiquidError as error:
        raise ValueError(f"Liquid error: {error.message}") from None
