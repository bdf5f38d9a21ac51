"""An emulated Customer.io workspace, in-process or over loopback HTTP: try it with no account."""

from .faults import Fault
from .server import SandboxServer
from .state import OutboxMessage, Trigger
from .templates import render
from .workspace import SANDBOX_KEY, SANDBOX_URL, Sandbox, SandboxTransport

__all__ = [
    "SANDBOX_KEY",
    "SANDBOX_URL",
    "Fault",
    "OutboxMessage",
    "Sandbox",
    "SandboxServer",
    "SandboxTransport",
    "Trigger",
    "render",
]
