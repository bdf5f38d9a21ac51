"""The tool names and schemas are public API: users write them into prompts and configs. Every
tool's name, access, presets and a hash of its input schema are pinned in a snapshot, so any
change shows in review. After a deliberate change: CIO_TOOLKIT_UPDATE_SNAPSHOT=1 pytest this."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cio_toolkit import REGISTRY
from cio_toolkit.operations import PRESETS

SNAPSHOT = Path(__file__).parent / "snapshots" / "tools.json"


def contract() -> dict[str, dict[str, Any]]:
    """Each tool as callers depend on it; the schema by hash (its text is in the README)."""
    return {
        name: {
            "access": op.access,
            "presets": [preset for preset, names in PRESETS.items() if name in names],
            "input_schema_sha256": hashlib.sha256(
                json.dumps(op.parameters, sort_keys=True).encode()
            ).hexdigest(),
        }
        for name, op in sorted(REGISTRY.items())
    }


def test_the_tools_are_the_snapshots() -> None:
    now = contract()
    if os.environ.get("CIO_TOOLKIT_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(now, indent=2) + "\n")
    pinned = json.loads(SNAPSHOT.read_text())
    renamed_or_removed = sorted(set(pinned) - set(now))
    assert not renamed_or_removed, f"tools gone (callers name them): {renamed_or_removed}"
    changed = [name for name in pinned if pinned[name] != now[name]]
    added = sorted(set(now) - set(pinned))
    assert not changed and not added, (
        f"changed: {changed}; added: {added}. If deliberate, rerun with "
        "CIO_TOOLKIT_UPDATE_SNAPSHOT=1 and say so in the release notes (users hard-code names)."
    )
