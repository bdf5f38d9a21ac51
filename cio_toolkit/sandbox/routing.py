"""The sandbox's routes, grouped per resource like the operations, and request dispatch."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx

from .answers import Answer
from .state import Workspace

Handler = Callable[..., Answer]


@dataclass(frozen=True)
class Route:
    """One endpoint as the documents describe it, and the handler that emulates it.

    `limit` names the rate limit the endpoint counts against (see `limits.RATE_LIMITS`).
    """

    method: str
    path: str
    operation_id: str
    handler: Handler
    limit: str = "general"
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.path)
        object.__setattr__(self, "pattern", re.compile(regex))

    def params(self, method: str, raw_path: str) -> dict[str, str] | None:
        """The path parameters if this route answers the request, else None."""
        match = self.pattern.fullmatch(raw_path)
        if match is None or method != self.method:
            return None
        return {name: unquote(value) for name, value in match.groupdict().items()}

    def answer(
        self, workspace: Workspace, request: httpx.Request, params: dict[str, Any]
    ) -> Answer:
        return self.handler(workspace, request, **params)


def find(
    routes: tuple[Route, ...], method: str, raw_path: str
) -> tuple[Route, dict[str, str]] | None:
    """The route answering a request, with its path parameters."""
    for route in routes:
        params = route.params(method, raw_path)
        if params is not None:
            return route, params
    return None
