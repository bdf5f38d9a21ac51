"""LangChain tools for Customer.io, built from cio_toolkit's operation registry."""

from __future__ import annotations

try:
    import langchain_core  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a venv without the extra
    raise ImportError(
        "langchain_customerio needs LangChain: pip install langchain-customerio"
    ) from error

from .tools import CustomerIOTool, CustomerIOToolkit, tools_for

__all__ = ["CustomerIOTool", "CustomerIOToolkit", "tools_for"]
