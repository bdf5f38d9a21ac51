"""`cio-toolkit mcp config CLIENT`: entries that start from a desktop app's bare PATH, keep the
key out of the arguments, and merge into each client's own file."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from cio_toolkit import REGISTRY, CustomerIOToolkit
from cio_toolkit.cli import main
from cio_toolkit.mcp_server._config import CLIENTS, location
from cio_toolkit.sandbox import Sandbox, SandboxServer
from tests.servers import clean_environment

# What a desktop app started from the dock gets: the system's PATH, no virtualenv on it.
BARE_PATH = "/usr/bin:/bin"
KEY = "sk_live_abcdefghijklmnop0123456789"


def config_of(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["mcp", "config", *argv]) == 0
    printed: dict[str, Any] = json.loads(capsys.readouterr().out)
    return printed


def server_of(config: dict[str, Any]) -> dict[str, Any]:
    ((_, server),) = config["mcpServers" if "mcpServers" in config else "servers"].items()
    return server  # type: ignore[no-any-return]


async def tools_listed(server: dict[str, Any], **environment: str) -> list[str]:
    """The tools an entry's server lists, started as a desktop app starts it: from a bare
    PATH, with `environment` added."""
    parameters = StdioServerParameters(
        command=server["command"],
        args=server["args"],
        env={**clean_environment(), "PATH": BARE_PATH, **environment},
    )
    with open(os.devnull, "w") as quiet:
        async with (
            stdio_client(parameters, errlog=quiet) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            return [tool.name for tool in (await session.list_tools()).tools]


@pytest.mark.parametrize("client", CLIENTS)
async def test_each_printed_entry_starts_from_a_bare_path_and_lists_the_tools(
    client: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert shutil.which("cio-toolkit", path=BARE_PATH) is None  # a bare name would not be found
    server = server_of(config_of(capsys, client, "--sandbox", "--tools", "support"))
    assert Path(server["command"]).is_absolute()
    listed = set(await tools_listed(server))
    expected = CustomerIOToolkit.sandbox(tools="support").operations
    assert listed == {operation.name for operation in expected} and len(listed) > 5


async def test_a_workspace_entry_gets_its_key_from_the_clients_environment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Claude Code's entry as it starts it: `${CUSTOMERIO_APP_API_KEY}` expanded from its own
    environment, the key reaching a loopback workspace that accepts only that key."""
    server = server_of(config_of(capsys, "claude-code", "--tools", "all"))
    assert server["env"] == {"CUSTOMERIO_APP_API_KEY": "${CUSTOMERIO_APP_API_KEY}"}
    with SandboxServer(Sandbox(api_key=KEY, rate_limits=False)) as workspace:
        listed = await tools_listed(
            server, CUSTOMERIO_APP_API_KEY=KEY, CUSTOMERIO_BASE_URL=workspace.url
        )
    assert listed == [name for name in REGISTRY if not REGISTRY[name].is_write]


@pytest.mark.parametrize(
    ("client", "filled"),
    [
        ("cursor", "${env:CUSTOMERIO_APP_API_KEY}"),
        ("claude-code", "${CUSTOMERIO_APP_API_KEY}"),
        ("vscode", "${input:customerio-key}"),
        ("claude-desktop", "your-app-api-key"),
    ],
)
def test_the_key_is_never_an_argument_nor_printed(
    client: str, filled: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUSTOMERIO_APP_API_KEY", KEY)
    config = config_of(capsys, client, "--write", "--tools", "all", "--region", "eu")
    server = server_of(config)
    assert server["args"][-6:] == ["mcp", "--write", "--tools", "all", "--region", "eu"]
    assert server["env"] == {"CUSTOMERIO_APP_API_KEY": filled}
    assert KEY not in json.dumps(config)
    if client == "vscode":  # asked once, kept as a secret
        assert config["inputs"][0]["password"] is True and server["type"] == "stdio"


def test_tools_the_server_would_refuse_are_refused_now(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["mcp", "config", "cursor", "--tools", "customerio_send_transactional_email"]) == 2
    assert "add --write to offer them" in capsys.readouterr().err
    assert main(["mcp", "config", "cursor", "--tools", "customerio_nothing"]) == 1
    out = capsys.readouterr()
    assert "Unknown Customer.io tool(s) customerio_nothing" in out.err and out.out == ""


def test_flags_given_before_config_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mcp", "--sandbox", "--dry-run", "config", "cursor", "--write"]) == 0
    server = server_of(json.loads(capsys.readouterr().out))
    assert server["args"][-4:] == ["mcp", "--sandbox", "--write", "--dry-run"]


@pytest.mark.parametrize(
    ("client", "platform", "expected"),
    [
        ("claude-desktop", "darwin",
         "home/Library/Application Support/Claude/claude_desktop_config.json"),
        ("claude-desktop", "win32", "roaming/Claude/claude_desktop_config.json"),
        ("claude-desktop", "linux", "home/.config/Claude/claude_desktop_config.json"),
        ("vscode", "darwin", "home/Library/Application Support/Code/User/mcp.json"),
        ("vscode", "win32", "roaming/Code/User/mcp.json"),
        ("vscode", "linux", "home/.config/Code/User/mcp.json"),
        ("cursor", "win32", "home/.cursor/mcp.json"),
        ("claude-code", "darwin", "home/.claude.json"),
    ],
)  # fmt: skip
def test_each_clients_file_where_it_reads_it(client: str, platform: str, expected: str) -> None:
    found = location(client, platform, {"APPDATA": "roaming"}, home=Path("home"))
    assert found.as_posix() == expected


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("CUSTOMERIO_APP_API_KEY", raising=False)
    return tmp_path


def test_save_merges_into_the_file_keeping_what_is_there_and_a_copy(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = location("vscode", "linux", {}, home=home)
    path.parent.mkdir(parents=True)
    before = {
        "inputs": [{"type": "promptString", "id": "other", "description": "x"}],
        "servers": {"github": {"type": "http", "url": "https://example.com/mcp"}},
        "editor.fontSize": 14,
    }
    path.write_text(json.dumps(before))
    for _ in range(2):  # a second save replaces its own entry, adds no second input
        assert main(["mcp", "config", "vscode", "--save", "--tools", "all"]) == 0
    after = json.loads(path.read_text())
    assert after["editor.fontSize"] == 14
    assert set(after["servers"]) == {"github", "customerio"}
    assert [i["id"] for i in after["inputs"]] == ["other", "customerio-key"]
    copies = [json.loads(copy.read_text()) for copy in path.parent.glob("mcp.json.*.bak")]
    assert len(copies) == 2 and before in copies  # one copy a save, none overwritten
    assert "Added the server to" in capsys.readouterr().err


def test_claude_desktops_file_holds_the_key_written_never_printed(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["mcp", "config", "claude-desktop", "--save"]) == 2  # no key to write
    assert "Set CUSTOMERIO_APP_API_KEY first" in capsys.readouterr().err
    monkeypatch.setenv("CUSTOMERIO_APP_API_KEY", KEY)
    assert main(["mcp", "config", "claude-desktop", "--save"]) == 0
    out = capsys.readouterr()
    assert KEY not in out.out + out.err
    path = location("claude-desktop", "linux", {}, home=home)
    assert server_of(json.loads(path.read_text()))["env"] == {"CUSTOMERIO_APP_API_KEY": KEY}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # readable by its owner only


def test_a_file_that_is_not_json_is_left_alone(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = location("cursor", home=home)
    path.parent.mkdir(parents=True)
    path.write_text("{ not json")
    assert main(["mcp", "config", "cursor", "--save", "--sandbox"]) == 2
    assert "is not JSON" in capsys.readouterr().err and path.read_text() == "{ not json"


README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_readmes_entry_is_what_the_command_prints(capsys: pytest.CaptureFixture[str]) -> None:
    section = README[README.index("cio-toolkit mcp config cursor --sandbox") :]
    start = section.index("```json") + len("```json")
    shown = json.loads(section[start : section.index("```", start)])
    printed = config_of(capsys, "cursor", "--sandbox")
    server_of(printed)["command"] = server_of(shown)["command"]  # wherever it is installed
    assert shown == printed


def test_the_readmes_table_of_files_is_where_save_writes() -> None:
    platforms = {"macOS": "darwin", "Windows": "win32", "Linux": "linux"}
    header = "| client | macOS | Windows | Linux |"
    rows = README[README.index(header) :].split("\n\n")[0].splitlines()[2:]
    assert [row.split("`")[1] for row in rows] == list(CLIENTS)
    for row in rows:
        client, *cells = (cell.strip() for cell in row.strip("|").split("|"))
        for platform, cell in zip(platforms.values(), cells, strict=True):
            found = location(client.strip("`"), platform, {"APPDATA": "%APPDATA%"}, Path("~"))
            if cell.startswith("`"):  # either slash: Windows paths are written with its own
                assert cell.split("`")[1].replace("\\", "/") == found.as_posix(), client
