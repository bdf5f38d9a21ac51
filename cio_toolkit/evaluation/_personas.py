"""Who brings the catalog's jobs (light: the command line's choices come from here)."""

from __future__ import annotations

from typing import Literal

Persona = Literal["marketer", "analyst", "support", "developer", "deliverability"]
PERSONAS: tuple[Persona, ...] = ("marketer", "analyst", "support", "developer", "deliverability")
