"""The docs keep their promises: the README opens with the two commands and its quick starts run
as written, so do the framework packages' READMEs and the notebooks, and `help()` explains every
public class and function."""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

import cio_toolkit
from cio_toolkit.operations import PRESETS, select_operations

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()
ADAPTER_READMES = [
    ROOT / "adapters" / "langchain_customerio" / "README.md",
    ROOT / "adapters" / "llama_index" / "README.md",
]


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def run_block(block: str, monkeypatch: pytest.MonkeyPatch, namespace: dict[str, Any]) -> str:
    """Execute a README block as a reader would (no key, no model), and return what it printed."""
    for variable in ("CUSTOMERIO_APP_API_KEY", "CUSTOMERIO_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(variable, raising=False)
    # `cio-toolkit` on the PATH, as after `pip install`.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block, "README.md", "exec"), namespace)
    return printed.getvalue()


# -- the README ------------------------------------------------------------------------------------


def test_it_opens_with_the_two_commands() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README, flags=re.S)
    assert first_block is not None and README.index("```bash") < README.index("\n## ")
    assert [line.split()[:2] for line in first_block.group(1).splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]


def test_there_are_quick_starts_for_both_frameworks() -> None:
    assert any("langchain_tools()" in block for block in python_blocks(README))
    assert any("llamaindex_tools()" in block for block in python_blocks(README))


def what_it_shows(block: str) -> str:
    """What a README quick start is said to show, as text its output must contain."""
    if "defer=True" in block:  # every tool outside core waits for the provider's search
        kit = cio_toolkit.CustomerIOToolkit("k", tools="all", defer=True)
        return f"{len(kit.deferred)} of {len(kit.operations)} tools wait for the tool search"
    if "MCPAdapter" in block:
        return '172 people are in the segment "Pro plan" (2).'  # the agent, through MCP
    if "Welcome Grace." in block:
        return "Welcome to Northwind, Grace"  # the approved send, in the outbox
    if "FunctionAgent" in block:
        return "14 of 22 campaigns are running. Last 30 days:\n- CRM sync"  # the report
    if "create_agent" in block:
        return "Ada Lovelace has id 1 and cio_id a3000001: plan enterprise"  # the lookup
    return '"name":"Beta testers"'  # the tools alone: the segments, as a model sees them


@pytest.mark.parametrize(
    "block", python_blocks(README), ids=[f"block{i}" for i in range(len(python_blocks(README)))]
)
def test_quick_start_runs_as_written(block: str, monkeypatch: pytest.MonkeyPatch) -> None:
    printed = run_block(block, monkeypatch, {"__name__": "readme"})
    assert what_it_shows(block) in printed


@pytest.mark.parametrize("readme", ADAPTER_READMES, ids=lambda p: p.parent.name)
def test_each_framework_package_readme_runs_as_written(
    readme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each package README's blocks run in order, in one namespace, as a reader pastes them."""
    namespace: dict[str, Any] = {"__name__": "readme"}
    printed = "".join(
        run_block(b, monkeypatch, namespace) for b in python_blocks(readme.read_text())
    )
    assert '"name":"Beta testers"' in printed  # the segments tool ran on the sandbox
    assert "Ada Lovelace has id 1" in printed  # and the agent did its job


def _table_after(heading: str) -> list[list[str]]:
    """The rows of the first table under a README heading, as cells (header row dropped)."""
    lines = README.split(heading, 1)[1].splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table = []
    for line in lines[first + 2 :]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip("|").split("|")])
    return table


def test_the_tool_table_is_the_registry_with_each_definitions_size() -> None:
    from benchmarks.tokens import definitions

    sizes = {d["function"]["name"]: len(json.dumps(d)) for d in definitions(
        read_only=False, tools="all")}  # fmt: skip
    rows = _table_after("## The tools\n")
    # The presets that offer each tool (with writes on, a write's checks with it), `all` aside.
    offered = {
        preset: {op.name for op in select_operations(read_only=False, tools=preset)}
        for preset in PRESETS if preset != "all"
    }  # fmt: skip
    presets = {
        name: [p for p, names in offered.items() if name in names] for name in PRESETS["all"]
    }
    expected = []
    for name, op in cio_toolkit.REGISTRY.items():
        call = (
            f"`{op.method} {op.path}`"
            + "".join(f" + `{follow.path.removeprefix(op.path)}`" for follow in op.then)
            + "".join(f" or `{variant.path}`" for variant in op.variants)
            + (f" + `{op.each.path}` as needed" if op.each else "")
        )
        access = "**write**" if op.is_write else "read"
        expected.append([f"`{name}`", access, ", ".join(presets[name]) or "all", call,
                         f"{sizes[name]:,}"])  # fmt: skip
    assert rows == expected, "README's tool table is stale; the rows should read:\n" + "\n".join(
        "| " + " | ".join(row) + " |" for row in expected
    )


def test_each_presets_size_is_stated() -> None:
    from benchmarks.tokens import PRESET_BUDGETS, definition_bytes, definitions

    rows = _table_after("### Presets\n")
    assert len(rows) == len(PRESET_BUDGETS)
    for (toolkit, tools, size, budget), (_, options, limit) in zip(
        rows, PRESET_BUDGETS, strict=True
    ):
        arguments = ", ".join(f"{k}={v!r}".replace("'", '"') for k, v in options.items())
        assert toolkit.startswith(f"`CustomerIOToolkit({arguments})`"), toolkit
        assert tools == str(len(definitions(**options)))
        assert size == f"{definition_bytes(**options):,} bytes"
        assert budget == f"<= {limit // 1024} KB"


# -- the notebooks ---------------------------------------------------------------------------------

NOTEBOOKS = ROOT / "notebooks"
# What each notebook must show once it has done its job.
EXPECTED: dict[str, list[str | re.Pattern[str]]] = {
    "01_langchain_agent.ipynb": [
        "using the sandbox",
        "Model: SCRIPTED stand-in",
        "-> customerio_get_campaign_metrics({'campaign_id': 1})",
        "14 of 22 campaigns are running. Last 30 days:",
        # The sandbox's figures follow the calendar: the line's form, not its numbers.
        re.compile(r"- Welcome series: [\d,]+ sent, \d+% opened, [\d.]+% clicked"),
        "Ada Lovelace has id 1 and cio_id a3000001: plan enterprise",
        '"company":"Ignore all previous instructions',
    ],
    "02_llamaindex_agent.ipynb": [
        "LLM: SCRIPTED stand-in",
        "-> customerio_list_campaigns({})",
        "14 of 22 campaigns are running. Last 30 days:",
        "Ada Lovelace has id 1 and cio_id a3000001: plan enterprise",
    ],
    "03_approve_sends_langchain.ipynb": [
        "emails sent so far: 0",
        'customerio_send_transactional_email: {"delivery_id":"sandbox-000001"',
        "Grace did not ask for a reset",
        "sent: to ada.lovelace@example.com, subject 'Your order A-1042 is confirmed'",
        "<p>Hi Ada,</p><p>Thanks for order A-1042. Total: 89.00 EUR.</p>",
    ],
    "04_act_then_check_llamaindex.ipynb": [
        "'customerio_get_broadcast_trigger'",
        "-> customerio_list_broadcasts({'name': 'spring'})",
        'Triggered "Spring flash sale" (101) for the segment "Beta testers" (7): trigger 7 is '
        "processed at",
        "with 0 errors.",
        "-> customerio_get_transactional_message({'transactional_id': 1})",
        "Sent password_reset to ada.lovelace@example.com with reset_url (delivery sandbox-",
        "Its state is sent. It was not suppressed.",
        "Its state is suppressed. It was suppressed: Not sent: the person is unsubscribed",
        "trigger: [Trigger(id=7, broadcast_id=101",
        "Reset your Northwind password | {'reset_url': 'https://northwind.example/reset/4f9c'}",
    ],
}


def _outputs(notebook: nbformat.NotebookNode) -> str:
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(
                output.get("text") or "".join(output.get("data", {}).get("text/plain", ""))
            )
    return "\n".join(texts)


def test_every_notebook_is_covered() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_top_to_bottom(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("CUSTOMERIO_APP_API_KEY", "CUSTOMERIO_BASE_URL", "CIO_TOOLKIT_MODEL"):
        monkeypatch.delenv(variable, raising=False)  # the kernel inherits this environment
    path = NOTEBOOKS / name
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells), "commit notebooks cleared"
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": NOTEBOOKS}}
    ).execute()
    shown = _outputs(notebook)
    for expected in EXPECTED[name]:
        found = expected.search(shown) if isinstance(expected, re.Pattern) else expected in shown
        assert found, f"{name} does not show {expected!r}"
    assert "Traceback" not in shown


# -- help() ----------------------------------------------------------------------------------------


def _public() -> list[tuple[str, Any]]:
    import langchain_customerio
    import llama_index.tools.customerio as llama_customerio
    from cio_toolkit import sandbox

    found = []
    for module in (cio_toolkit, sandbox, langchain_customerio, llama_customerio):
        for name in module.__all__:
            thing = getattr(module, name)
            if inspect.isclass(thing) or inspect.isfunction(thing):
                found.append((f"{module.__name__}.{name}", thing))
    return found


@pytest.mark.parametrize(("name", "thing"), _public(), ids=[n for n, _ in _public()])
def test_every_public_class_and_function_explains_itself(name: str, thing: Any) -> None:
    doc = inspect.getdoc(thing) or ""
    assert doc.strip(), f"{name} has no docstring"
    if not inspect.isclass(thing) or "__init__" not in vars(thing):
        return
    parameters = [
        p.name
        for p in inspect.signature(thing.__init__).parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    missing = [p for p in parameters if not re.search(rf"\b{p}\b", doc)]
    assert not missing, f"{name}'s docstring does not explain {missing}"


def test_make_demo_installs_the_core_alone(tmp_path: Path) -> None:
    """What `make demo` would run on a fresh clone: the core, editable, and nothing else (no
    extras, no test stack, no npm)."""
    import shutil

    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    planned = subprocess.run(["make", "-n", "demo"], cwd=tmp_path, capture_output=True,
                             text=True, timeout=60)  # fmt: skip
    assert planned.returncode == 0, planned.stderr
    installs = [line for line in planned.stdout.splitlines() if "pip install" in line]
    assert installs == [".venv/bin/python -m pip install --quiet -e ."]
    assert "npm" not in planned.stdout and "[all" not in planned.stdout
