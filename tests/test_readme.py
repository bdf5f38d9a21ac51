"""The README's promises: it opens with the two commands, and its quick starts run as written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = (Path(__file__).parent.parent / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_it_opens_with_the_two_commands() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README, flags=re.S)
    assert first_block is not None and README.index("```bash") < README.index("\n## ")
    assert [line.split()[:2] for line in first_block.group(1).splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]


def test_there_are_quick_starts_for_both_frameworks() -> None:
    assert any("langchain_tools()" in block for block in BLOCKS)
    assert any("llamaindex_tools()" in block for block in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_quick_start_runs_as_written(block: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("CUSTOMERIO_APP_API_KEY", "CUSTOMERIO_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(variable, raising=False)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
    assert printed.getvalue().strip()
    if "Welcome Grace." in block:
        assert printed.getvalue().rstrip().endswith("Welcome to Northwind, Grace")
