"""LangChain tools for Customer.io, built from cio_toolkit's operation registry."""

from __future__ import annotations

try:
    import langchain_core  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a venv without the extra
    raise ImportError(
        "langchain_customerio needs LangChain: pip install langchain-customerio"
    ) from error

from .tools import CustomerIOTool, CustomerIOToolkit, interrupt_on, tools_for

__version__ = "0.1.0"
__all__ = ["CustomerIOTool", "CustomerIOToolkit", "__version__", "interrupt_on", "tools_for"]
