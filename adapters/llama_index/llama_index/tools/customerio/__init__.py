"""LlamaIndex tools for Customer.io, built from cio_toolkit's operation registry."""

from __future__ import annotations

try:
    import llama_index.core  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a venv without the extra
    raise ImportError(
        "llama_index.tools.customerio needs LlamaIndex: pip install llama-index-tools-customerio"
    ) from error

from .base import CustomerIOToolSpec, tools_for

__version__ = "0.1.0"
__all__ = ["CustomerIOToolSpec", "__version__", "tools_for"]
