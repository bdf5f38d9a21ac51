"""Customer.io's App API as typed tools for LLM agents: a framework-neutral core."""

from ._version import __version__
from .client import AsyncCustomerIOClient, CustomerIOClient
from .errors import (
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
from .guardrails import WriteAttempt
from .operation import Operation, Result
from .operations import OPERATIONS, REGISTRY
from .output import ToolOutput
from .pacing import NoPacing, Pacer, RatePacer, RedisPacer, WindowPacer
from .retry import RetryPolicy
from .settings import Settings
from .toolkit import CustomerIOToolkit, ToolSpec

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
