"""The three distributions: their wheels build, install into fresh venvs with pip from the
README's own install lines (no editable install, nothing but the package index), and run the
README's quick starts there, with only what each one says to install."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.test_docs import README, python_blocks, what_it_shows

ROOT = Path(__file__).parent.parent


def _line(pattern: str) -> list[str]:
    """A README shell line, as arguments, with its comment dropped."""
    line = next(line for line in README.splitlines() if re.search(pattern, line))
    return shlex.split(line.split("#")[0])


def _pip(python: Path, arguments: list[str], cwd: Path) -> None:
    subprocess.run(
        [str(python), "-m", *arguments], cwd=cwd, check=True, capture_output=True, text=True,
        env=_clean_env(),
    )  # fmt: skip


def _clean_env() -> dict[str, str]:
    """No workspace configured, no virtualenv of ours leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUSTOMERIO_", "VIRTUAL_ENV"))}
    return {**env, "PYTHONNOUSERSITE": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's `pip wheel` line, run from the clone as written."""
    dist = tmp_path_factory.mktemp("dist")
    command = _line(r"^pip wheel ")
    command[command.index("-w") + 1] = str(dist)
    _pip(Path(sys.executable), command, ROOT)
    return dist


def test_three_wheels_each_with_only_its_own_package(wheels: Path) -> None:
    contents = {
        path.name.split("-")[0]: {
            name.split("/")[0]
            for name in zipfile.ZipFile(path).namelist()
            if "dist-info" not in name
        }
        for path in wheels.glob("*.whl")
    }
    assert contents == {
        "cio_toolkit": {"cio_toolkit"},
        "langchain_customerio": {"langchain_customerio"},
        "llama_index_tools_customerio": {"llama_index"},
    }
    llama = next(wheels.glob("llama_index_tools_customerio-*.whl"))
    names = zipfile.ZipFile(llama).namelist()
    assert "llama_index/__init__.py" not in names  # a namespace part, as LlamaHub packages are
    assert "llama_index/tools/customerio/__init__.py" in names


@pytest.mark.parametrize(
    ("framework", "install"),
    [
        ("LangChain", r"# the LangChain quick starts"),
        ("LlamaIndex", r"# the LlamaIndex quick start"),
    ],
)
def test_the_quick_starts_run_from_the_wheels(
    framework: str, install: str, wheels: Path, tmp_path: Path
) -> None:
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    _pip(python, [*_line(install), "--find-links", str(wheels)], tmp_path)

    # The LangChain blocks here; the LlamaIndex one, and the tools on their own (which need only
    # what either install brings), there.
    quick_start = README.split("\n## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = [
        b for b in python_blocks(quick_start) if ("langchain" in b) == (framework == "LangChain")
    ]
    assert len(blocks) == 2
    for number, block in enumerate(blocks):
        script = tmp_path / f"quick_start_{number}.py"
        script.write_text(block)
        # Run outside the clone, so only what pip installed can be imported.
        out = subprocess.run(
            [str(python), str(script)], cwd=tmp_path, capture_output=True, text=True,
            env=_clean_env(), timeout=300,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr[-3000:]
        assert what_it_shows(block) in out.stdout, (block, out.stdout[-2000:])
    installed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True
    ).stdout
    assert "cio-toolkit==" in installed and "-e " not in installed
    other = "llama-index-core" if framework == "LangChain" else "langchain-core"
    assert other not in installed  # each quick start installs only its own framework


def test_the_mcp_extra_installs_beside_the_mcp_clients_of_2x(wheels: Path, tmp_path: Path) -> None:
    """`pip install 'cio-toolkit[mcp]' llama-index-tools-mcp openai-agents` resolves in one
    environment (pip's resolver, a dry run from nothing installed): the extra is on the 2.x SDK
    that those need, as they are today."""
    from cio_toolkit import __version__

    report = tmp_path / "report.json"
    _pip(Path(sys.executable), ["pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                                "--report", str(report), f"cio-toolkit[mcp]=={__version__}",
                                "llama-index-tools-mcp", "openai-agents",
                                "--find-links", str(wheels)], tmp_path)  # fmt: skip
    chosen = {
        item["metadata"]["name"]: item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    assert chosen["cio-toolkit"] == __version__
    assert int(chosen["mcp"].split(".")[0]) == 2
    assert {"llama-index-tools-mcp", "openai-agents"} <= set(chosen)
