"""`cio-toolkit mcp config CLIENT`: an MCP client's entry for this installation's server."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._errors import ConfigurationError
from .._settings import KEY_VARIABLE

CLIENTS = ("claude-desktop", "cursor", "vscode", "claude-code")
# How each client fills the key in at start-up, so the file holds no key: Cursor and Claude Code
# expand a variable of their own environment, VS Code asks once and keeps it as a secret. Claude
# Desktop expands nothing: its file must hold the key itself (written, never printed).
_KEY_FROM = {
    "cursor": "${env:" + KEY_VARIABLE + "}",
    "claude-code": "${" + KEY_VARIABLE + "}",
    "vscode": "${input:customerio-key}",
}
_KEY_PLACEHOLDER = "your-app-api-key"
_VSCODE_INPUT = {
    "type": "promptString",
    "id": "customerio-key",
    "description": "Customer.io App API key",
    "password": True,
}
_DEFAULT_MAX_BROADCAST_RECIPIENTS = 100


def server_command() -> list[str]:
    """This installation's server, by absolute path: a desktop app starts it with a bare system
    PATH, where a bare `cio-toolkit` from a virtualenv is not found (`spawn ENOENT`)."""
    # Not resolved: a virtualenv's python is a link, and resolving it would leave the venv.
    scripts = Path(sys.executable).parent
    script = scripts / ("cio-toolkit.exe" if os.name == "nt" else "cio-toolkit")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cio_toolkit"]


def server_arguments(options: argparse.Namespace) -> list[str]:
    """`mcp` and the chosen server flags, as the client passes them."""
    given = ["mcp"]
    for flag in ("sandbox", "write", "dry_run"):
        if getattr(options, flag, False):
            given.append("--" + flag.replace("_", "-"))
    for flag in ("tools", "allow_recipients", "region", "base_url", "rate_limit"):
        value = getattr(options, flag, None)
        if value:
            given += ["--" + flag.replace("_", "-"), str(value)]
    most = getattr(options, "max_broadcast_recipients", _DEFAULT_MAX_BROADCAST_RECIPIENTS)
    if most != _DEFAULT_MAX_BROADCAST_RECIPIENTS:
        given += ["--max-broadcast-recipients", str(most)]
    return given


def entry(client: str, options: argparse.Namespace, key: str | None = None) -> dict[str, Any]:
    """The client's configuration file content for the server (`mcpServers`, or VS Code's
    `servers` and `inputs`). Claude Desktop gets `key` where given, else a placeholder."""
    command, *arguments = server_command()
    server: dict[str, Any] = {"command": command, "args": [*arguments, *server_arguments(options)]}
    if client == "vscode":
        server = {"type": "stdio", **server}
    if not options.sandbox:
        server["env"] = {KEY_VARIABLE: _KEY_FROM.get(client, key or _KEY_PLACEHOLDER)}
    name = "customerio-sandbox" if options.sandbox else "customerio"
    if client == "vscode":
        inputs = [] if options.sandbox else [_VSCODE_INPUT]
        return {"inputs": inputs, "servers": {name: server}}
    return {"mcpServers": {name: server}}


def location(
    client: str,
    platform: str = sys.platform,
    environ: Mapping[str, str] = os.environ,
    home: Path | None = None,
) -> Path:
    """Where the client reads its user-wide MCP servers on this platform."""
    home = home or Path.home()
    if client == "cursor":
        return home / ".cursor" / "mcp.json"
    if client == "claude-code":
        return home / ".claude.json"  # the user scope's servers: its top-level mcpServers
    if platform == "darwin":
        settings = home / "Library" / "Application Support"
    elif platform == "win32":
        settings = Path(environ.get("APPDATA") or home / "AppData" / "Roaming")
    else:
        settings = Path(environ.get("XDG_CONFIG_HOME") or home / ".config")
    if client == "claude-desktop":
        return settings / "Claude" / "claude_desktop_config.json"
    return settings / "Code" / "User" / "mcp.json"


def merged(existing: Mapping[str, Any], added: Mapping[str, Any]) -> dict[str, Any]:
    """`existing` with the added servers (replacing any of the same name) and inputs (unless
    one of the same id is there); everything else kept as it was."""
    result = dict(existing)
    for key, value in added.items():
        if key == "inputs":
            there = result.get("inputs")
            there = there if isinstance(there, list) else []
            known = {i.get("id") for i in there if isinstance(i, dict)}
            result["inputs"] = [*there, *(i for i in value if i["id"] not in known)]
        else:
            section = result.get(key)
            result[key] = {**(section if isinstance(section, dict) else {}), **value}
    return result


def save(path: Path, added: Mapping[str, Any]) -> Path | None:
    """Merge `added` into the JSON file at `path`, keeping a timestamped copy of what was there;
    returns the copy's path (None for a new file).

    Raises:
        ConfigurationError: the file is there but is not a JSON object.
    """
    existing: Any = {}
    backup = None
    if path.exists():
        try:
            existing = json.loads(path.read_text(encoding="utf-8") or "{}")
        except (ValueError, UnicodeDecodeError) as error:
            raise ConfigurationError(
                f"{path} is not JSON ({error}); fix or move it first"
            ) from None
        if not isinstance(existing, dict):
            raise ConfigurationError(f"{path} is not a JSON object; fix or move it first")
        backup = _unused(path, time.strftime("%Y%m%d-%H%M%S"))
        shutil.copy2(path, backup)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = path.with_name(f".{path.name}.cio-toolkit-tmp")
    written.write_text(json.dumps(merged(existing, added), indent=2) + "\n", encoding="utf-8")
    if backup is not None:
        shutil.copymode(backup, written)
    else:
        written.chmod(0o600)  # it may hold a key: readable by its owner only
    os.replace(written, path)  # whole or not at all: the client never reads half a file
    return backup


def _unused(path: Path, stamp: str) -> Path:
    """A name for the copy of `path` that no earlier copy has (two saves in one second)."""
    for number in itertools.count():
        copy = path.with_name(f"{path.name}.{stamp}{f'-{number}' if number else ''}.bak")
        if not copy.exists():
            return copy
    raise AssertionError("unreachable")


def run(options: argparse.Namespace, tools: str | list[str]) -> int:
    """Print the client's configuration, or merge it into the client's file with `--save`.

    Args:
        options: the parsed `mcp config` command line.
        tools: its `--tools`, as the toolkit takes them.

    Raises:
        ConfigurationError: Claude Desktop's file asked for without the key in the environment,
            or a client file that is not JSON.
        UnknownToolError: `--tools` names no tool or preset, or a write tool without `--write`.
    """
    from ..operations import select_operations

    # The server's own check of --tools, now: a desktop app would only log its failure.
    select_operations(not getattr(options, "write", False), tools)
    client = options.client
    if not options.save:
        print(json.dumps(entry(client, options), indent=2))
        return 0
    key = None
    if client == "claude-desktop" and not options.sandbox:
        key = os.environ.get(KEY_VARIABLE)
        if not key:
            raise ConfigurationError(
                f"Set {KEY_VARIABLE} first: Claude Desktop cannot read it from its environment, "
                "so the key is written into its configuration file (and never printed)."
            )
    path = location(client)
    backup = save(path, entry(client, options, key))
    kept = f" (what was there is kept, and copied to {backup})" if backup else ""
    print(f"Added the server to {path}{kept}. Restart {client} to load it.", file=sys.stderr)
    return 0
