"""Answers as Customer.io words them: its error body families, cursors and request parsing."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from typing import Any

import httpx

Answer = tuple[int, Any]  # status and JSON body (None: an empty body)


class Problem(Exception):
    """A request Customer.io would refuse: the status and body it would answer."""

    def __init__(self, status: int, body: Any = None) -> None:
        self.status = status
        self.body = body


def errors_body(status: int, detail: str, pointer: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"detail": detail, "status": str(status)}
    if pointer:
        item["source"] = {"pointer": pointer}
    return {"errors": [item]}


def meta_body(message: str) -> dict[str, Any]:
    return {"meta": {"error": message}}


def response(
    status: int, body: Any = None, headers: Mapping[str, str] | None = None
) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    if isinstance(body, (bytes, str)):
        return httpx.Response(status, content=body, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def integer(value: Any, problem: Problem) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise problem from None


def cursor(offset: int) -> str:
    return base64.b64encode(str(offset).encode()).decode()


def offset_of(start: str | None) -> int:
    if not start:
        return 0
    try:
        return int(base64.b64decode(start, validate=True).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise Problem(400, errors_body(400, "start is not a cursor from a previous page")) from None


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def json_object(request: httpx.Request, error: Callable[[int, str], Any]) -> dict[str, Any]:
    try:
        # Strict JSON, as an API parses it: no NaN or Infinity, valid UTF-8.
        body = json.loads(request.content or b"null", parse_constant=_not_json)
    except ValueError:
        raise Problem(400, error(400, "the request body is not valid JSON")) from None
    if not isinstance(body, dict):
        raise Problem(400, error(400, "the request body must be a JSON object"))
    return body
