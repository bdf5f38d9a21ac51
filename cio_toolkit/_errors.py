"""The package's errors, the status-to-class table, and the parser for Customer.io error bodies."""

from __future__ import annotations

import json
from typing import Any

# Server-supplied detail is quoted to the model; cap it so an odd body cannot flood a prompt.
_DETAIL_LIMIT = 300


class CustomerIOError(Exception):
    """Base of every error this package raises; `str(error)` is written for the model to act on.

    Args:
        message: the text for the model: what went wrong and what to do next.
        tool: the tool (operation) that was called, when the error is about one call.
        ids: the ids that call was about, by argument name (`{"campaign_id": 3}`).
    """

    def __init__(
        self, message: str = "", *, tool: str | None = None, ids: dict[str, Any] | None = None
    ) -> None:
        self.tool = tool
        self.ids = dict(ids or {})
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only arguments defeat Exception's default pickling, and errors cross process
        # boundaries (multiprocessing, task queues): rebuild from the message, then the fields.
        return (_rebuilt, (type(self), self.args), self.__dict__)


def _rebuilt(cls: type[CustomerIOError], args: tuple[Any, ...]) -> CustomerIOError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    return error


class ConfigurationError(CustomerIOError):
    """The program is set up wrongly (no key, a rejected key, a missing permission).

    Not the model's to fix: the adapters let it propagate instead of turning it into a tool error.
    """


class MissingKeyError(ConfigurationError):
    """No key was given and none is in the environment (each surface says how to give one)."""


class ClientClosedError(ConfigurationError):
    """A call on a client (or toolkit) after `close()`: make a new one, or keep it open."""


class InvalidArgumentsError(CustomerIOError, ValueError):
    """Arguments failed validation (or a guardrail refused them) before any request was sent.

    Args:
        tool: the tool whose arguments these were.
        problems: one line per problem, each starting with the field it is about; values are
            never echoed.
    """

    def __init__(self, tool: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"Invalid arguments for {tool}: " + "; ".join(problems), tool=tool)


class UnknownToolError(CustomerIOError, KeyError):
    """A tool name that is not in the selected set."""

    def __str__(self) -> str:
        return str(self.args[0])


class WriteToolNotOfferedError(UnknownToolError):
    """Write tools asked of a read-only toolkit (each surface says how to offer them).

    Args:
        message: the Python-facing explanation.
        tools: the write tools asked for.
    """

    def __init__(self, message: str, tools: list[str]) -> None:
        super().__init__(message)
        self.tools = tools


class APIError(CustomerIOError):
    """Customer.io answered with an error status.

    Args:
        message, tool, ids: as for `CustomerIOError`.
        status: the HTTP status Customer.io answered.
        detail: Customer.io's own message from the error body, if it gave one (clipped).
    """

    status: int = 0
    advice = "Check the arguments and try again."

    def __init__(
        self,
        message: str,
        *,
        status: int,
        detail: str | None = None,
        tool: str | None = None,
        ids: dict[str, Any] | None = None,
    ) -> None:
        self.status = status
        self.detail = detail
        super().__init__(message, tool=tool, ids=ids)


class BadRequestError(APIError):
    """HTTP 400: Customer.io refused the request as malformed (an id of the wrong kind...)."""

    advice = "Check the arguments (the ids in particular) and try again."


class AuthenticationError(APIError, ConfigurationError):
    """HTTP 401: the App API key was rejected (wrong key, or the wrong region for it)."""

    advice = (
        "The App API key was rejected. Set CUSTOMERIO_APP_API_KEY to a valid App API key, and "
        "CUSTOMERIO_REGION=eu if the workspace is in the EU region."
    )


class PermissionDeniedError(APIError, ConfigurationError):
    """HTTP 403: the key may not make this call (its scope, or a channel not enabled)."""

    advice = "The App API key lacks the permission (or the channel is not enabled) for this call."


class RedirectError(APIError, ConfigurationError):
    """Customer.io answered with a redirect: the base URL or region is not the API's host."""

    advice = (
        "Redirects are not followed: the key would go wherever they point. Check region "
        "(CUSTOMERIO_REGION) and base_url (CUSTOMERIO_BASE_URL)."
    )


class NotFoundError(APIError):
    """HTTP 404: nothing at that id; the message names the id and where to find valid ones."""

    advice = "Check the id."


class PayloadTooLargeError(APIError):
    """HTTP 413: the request was too large for Customer.io (a send's attachments, say)."""

    advice = "Make the request smaller (attachments must total under 2 MB)."


class UnprocessableError(APIError):
    """HTTP 422: Customer.io understood the request and refused it; the detail says why."""

    advice = "Fix the request as the detail says and try again."


class RateLimitError(APIError):
    """HTTP 429 after every allowed retry: Customer.io's rate limit was still exceeded."""

    advice = "Customer.io's rate limit was still exceeded after retrying; wait a little and retry."


class ServerError(APIError):
    """HTTP 5xx on a read after every allowed retry (a write's is `DeliveryUnknownError`)."""

    advice = "Customer.io had a server error and retries did not help; try again later."


class TransportError(CustomerIOError):
    """The network failed (timeouts, refused or dropped connections) and retries did not help."""


class DeliveryUnknownError(CustomerIOError):
    """A write may have reached Customer.io before it failed; it is deliberately not resent."""


STATUS_ERRORS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: PayloadTooLargeError,
    422: UnprocessableError,
    429: RateLimitError,
}


def error_class_for(status: int) -> type[APIError]:
    """The error class for an HTTP status: the table, else by its class (3xx, 5xx), else
    APIError."""
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    if 300 <= status < 400:
        return RedirectError
    return ServerError if status >= 500 else APIError


def parse_error_detail(content: bytes) -> str | None:
    """Customer.io's message from an error body, trying its three body families in order."""
    text = content.decode("utf-8", errors="replace").strip()
    if not text:
        return None
    try:
        body: Any = json.loads(text)
    except ValueError:
        # An HTML error page from a proxy says nothing the model can use.
        return None if text.startswith("<") else _clip(text)
    except RecursionError:  # nested past the parser's depth: nothing in it can be read
        return None
    messages: list[str] = []
    if isinstance(body, dict):
        meta = body.get("meta")
        if isinstance(meta, dict):
            if isinstance(meta.get("error"), str):
                messages.append(meta["error"])
            if isinstance(meta.get("errors"), list):
                messages.extend(str(item) for item in meta["errors"])
        errors = body.get("errors")
        if isinstance(errors, list):
            for item in errors:
                if isinstance(item, dict) and item.get("detail"):
                    messages.append(str(item["detail"]))
                elif isinstance(item, str):
                    messages.append(item)
    return _clip("; ".join(m.strip() for m in messages if m.strip())) if messages else None


def _clip(text: str) -> str:
    return text if len(text) <= _DETAIL_LIMIT else text[: _DETAIL_LIMIT - 1] + "…"
