"""An emulated Customer.io workspace, in-process or over loopback HTTP: try it with no account."""

from .server import SandboxServer
from .workspace import SANDBOX_KEY, SANDBOX_URL, Fault, Sandbox, SandboxTransport
from .writes import OutboxMessage, Trigger, render

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
