"""Customer.io's App API as typed tools for LLM agents: a framework-neutral core."""

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ._client import AsyncCustomerIOClient, CustomerIOClient
from ._errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    CustomerIOError,
    DeliveryUnknownError,
    InvalidArgumentsError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    ServerError,
    TransportError,
    UnknownToolError,
    UnprocessableError,
)
from ._guardrails import WriteAttempt
from ._operation import Operation, Result
from ._output import ToolOutput
from ._pacing import NoPacing, Pacer, RatePacer, RedisPacer, WindowPacer
from ._retry import RetryPolicy
from ._settings import Settings
from ._toolkit import CustomerIOToolkit, ToolSpec
from ._version import __version__
from .operations import REGISTRY

__all__ = [
    "OPERATIONS",
    "REGISTRY",
    "APIError",
    "AsyncCustomerIOClient",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "CustomerIOClient",
    "CustomerIOError",
    "CustomerIOToolkit",
    "DeliveryUnknownError",
    "InvalidArgumentsError",
    "NoPacing",
    "NotFoundError",
    "Operation",
    "Pacer",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RatePacer",
    "RedirectError",
    "RedisPacer",
    "Result",
    "RetryPolicy",
    "ServerError",
    "Settings",
    "ToolOutput",
    "ToolSpec",
    "TransportError",
    "UnknownToolError",
    "UnprocessableError",
    "WindowPacer",
    "WriteAttempt",
    "__version__",
]

# Tracebacks and reprs name a class by the path users import it from (`cio_toolkit.APIError`),
# not the private module that defines it, as httpx does. Pydantic models keep theirs: pydantic
# resolves their annotations in the module named there.
for _name in __all__:
    _value = globals().get(_name)
    if isinstance(_value, type) and not issubclass(_value, BaseModel):
        _value.__module__ = __name__


if TYPE_CHECKING:
    from .operations import OPERATIONS


def __getattr__(name: str) -> Any:
    # Every operation: importing them all is left to whoever asks (see operations.Registry).
    if name == "OPERATIONS":
        from . import operations

        return operations.OPERATIONS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
