"""Answers as Customer.io words them: its error body families, cursors and request parsing."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
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


class RawBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body handed over as the bytes on the wire: httpx does not decode it on the server's
    side, so a client reads it raw, as from a network (a gzip fault stays compressed)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self.data), 65_536):
            yield self.data[start : start + 65_536]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


def response(
    status: int, body: Any = None, headers: Mapping[str, str] | None = None
) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    if isinstance(body, (bytes, str)):
        raw = body.encode() if isinstance(body, str) else body
        return httpx.Response(status, headers=headers, stream=RawBody(raw))
    return httpx.Response(status, json=body, headers=headers)


def wire_bytes(answer: httpx.Response) -> bytes:
    """An answer's body as it goes on the wire (raw, not decoded)."""
    if isinstance(answer.stream, RawBody):
        return answer.stream.data
    return answer.read()


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
