"""The registry: every Customer.io operation, declared once in its resource's module."""

from __future__ import annotations

from typing import Any

from ..operation import Operation
from . import broadcasts, campaigns, customers, messages, newsletters, segments, transactional

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    *customers.OPERATIONS,
    *campaigns.OPERATIONS,
    *transactional.OPERATIONS,
    *broadcasts.OPERATIONS,
    *segments.OPERATIONS,
    *newsletters.OPERATIONS,
    *messages.OPERATIONS,
)
REGISTRY: dict[str, Operation[Any, Any]] = {op.name: op for op in OPERATIONS}

__all__ = ["OPERATIONS", "REGISTRY"]
