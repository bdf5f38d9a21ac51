"""The shape of the code: an operation is declared once and found everywhere; no module imports
another in a ring; the typed client methods follow the registry; and mypy holds callers to them."""

from __future__ import annotations

import ast
import graphlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import httpx
import pytest
from pydantic import Field

from cio_toolkit import CustomerIOClient, CustomerIOToolkit, Operation, Result
from cio_toolkit.declare import ArgsModel, PathId, View
from cio_toolkit.sandbox import SANDBOX_KEY, SANDBOX_URL, Sandbox
from tests.contract import check_request

ROOT = Path(__file__).parent.parent

# -- an operation declared here, and nowhere else --------------------------------------------------


class SegmentSizeArgs(ArgsModel):
    segment_id: Annotated[PathId, Field(description="From customerio_list_segments.")]


class SegmentSizeView(View):
    segment_id: int
    count: int


class SegmentSize(Result):
    segment_id: int
    count: int

    def view(self) -> SegmentSizeView:
        return SegmentSizeView(segment_id=self.segment_id, count=self.count)


THROWAWAY = Operation(
    name="customerio_throwaway_segment_size",
    description="How many people are in a segment (a test's own operation).",
    args_model=SegmentSizeArgs,
    result_model=SegmentSize,
    access="read",
    method="GET",
    path="/v1/segments/{segment_id}/customer_count",
    operation_id="getSegmentCount",
)


def _checked(sandbox: Sandbox, seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        check_request(THROWAWAY.operation_id, request)  # the contract check finds it too
        seen.append(request)
        return sandbox.handle(request)

    return httpx.MockTransport(handle)


async def test_a_new_operation_is_one_declaration_found_everywhere() -> None:
    sandbox, seen = Sandbox(rate_limits=False), []
    expected = {"segment_id": 7, "count": len(sandbox.members(7))}
    options = {"rate_limit": False, "transport": _checked(sandbox, seen)}

    with CustomerIOClient(SANDBOX_KEY, base_url=SANDBOX_URL, **options) as client:
        assert client.execute(THROWAWAY, segment_id=7).model_dump() == expected

    kit = CustomerIOToolkit(SANDBOX_KEY, base_url=SANDBOX_URL, tools=[THROWAWAY], **options)
    assert [spec.name for spec in kit.specs] == [THROWAWAY.name]
    assert json.loads(kit.call(THROWAWAY.name, {"segment_id": 7})) == expected
    assert json.loads(await kit.acall(THROWAWAY.name, '{"segment_id": 7}')) == expected
    output = kit.invoke(THROWAWAY.name, {"segment_id": 7})
    assert output.structured == expected and isinstance(output.result, SegmentSize)
    # Its output schema comes from its view, with no schema written beside it.
    assert kit.spec(THROWAWAY.name).output_schema["required"] == ["segment_id", "count"]

    (langchain,) = kit.langchain_tools()
    assert langchain.name == THROWAWAY.name
    assert json.loads(langchain.invoke({"segment_id": 7})) == expected
    assert json.loads(langchain.invoke("7")) == expected  # a plain string: its one argument
    call = {"type": "tool_call", "id": "1", "name": THROWAWAY.name, "args": {"segment_id": 7}}
    assert langchain.invoke(call).artifact.count == expected["count"]  # the typed result
    (llama,) = kit.llamaindex_tools()
    assert llama.metadata.name == THROWAWAY.name
    assert json.loads((await llama.acall(segment_id=7)).content) == expected
    called = llama.call("7")
    assert json.loads(called.content) == expected and isinstance(called.raw_output, SegmentSize)

    assert len(seen) == 9 and all(r.url.path == "/v1/segments/7/customer_count" for r in seen)


# -- no rings --------------------------------------------------------------------------------------

PACKAGES = [ROOT / "cio_toolkit", *(p for p in (ROOT / "adapters").glob("*/*") if p.is_dir())]


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in package.rglob("*.py"):
            if "__pycache__" not in path.parts:
                base = ROOT if package.name == "cio_toolkit" else package.parent
                parts = path.relative_to(base).with_suffix("").parts
                name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
                found[name] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module a module imports: at its top, under TYPE_CHECKING and inside functions (a
    lazy import is an arrow too)."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes: list[ast.Import | ast.ImportFrom]) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)

    visit([n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))])
    return {m for m in found if m in known and m != name}


def test_no_module_imports_another_in_a_ring() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    # A package's __init__ re-exporting its own modules is not a ring with them.
    graph = {
        name: {
            m
            for m in targets
            if not (name.startswith(m + ".") and modules[m].name == "__init__.py")
        }
        for name, targets in graph.items()
    }
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as ring:
        raise AssertionError(f"modules import each other in a ring: {ring.args[1]}") from None
    core_to_adapter = [
        (name, target)
        for name, targets in graph.items()
        if name.startswith("cio_toolkit")
        for target in targets
        if not target.startswith("cio_toolkit")
    ]
    assert not core_to_adapter, f"the core imports an adapter: {core_to_adapter}"


# -- the typed client methods ----------------------------------------------------------------------


def test_the_typed_methods_are_written_from_the_registry() -> None:
    out = subprocess.run(
        [sys.executable, ".ci/methods.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr


def test_each_method_is_real_with_its_arguments_and_description() -> None:
    import inspect

    from cio_toolkit import AsyncCustomerIOClient, ClientClosedError
    from cio_toolkit.operations import REGISTRY

    for op in REGISTRY.values():
        for client in (CustomerIOClient, AsyncCustomerIOClient):
            method = getattr(client, op.method_name)
            assert " ".join(str(inspect.getdoc(method)).split()) == op.description, op.name
            assert inspect.iscoroutinefunction(method) == (client is AsyncCustomerIOClient)
    shown = inspect.signature(CustomerIOClient.list_campaigns)
    assert list(shown.parameters) == ["self", "name", "state"]
    assert "list_campaigns" in pydoc_text(CustomerIOClient)
    client = CustomerIOClient(SANDBOX_KEY, base_url=SANDBOX_URL, transport=Sandbox().transport())
    client.close()
    with pytest.raises(ClientClosedError, match="was closed"):
        client.list_segments()


def pydoc_text(thing: object) -> str:
    import pydoc

    return pydoc.render_doc(thing, renderer=pydoc.plaintext)


def test_mypy_refuses_a_misspelt_keyword_or_a_wrong_type(tmp_path: Path) -> None:
    caller = tmp_path / "caller.py"
    caller.write_text(
        "from cio_toolkit import AsyncCustomerIOClient, CustomerIOClient\n"
        "client = CustomerIOClient('key')\n"
        "CustomerIOClient(api_kee='key')\n"  # misspelt
        "client.get_campaign_metrics(campaign_id=1, start='2026-01-01')\n"  # fine
        "client.get_campaign_metrics(campain_id=1)\n"  # misspelt
        "client.get_person_attributes(customer_id=42)\n"  # wrong type
        "client.list_segmentz()\n"  # no such method
        "async def run(aclient: AsyncCustomerIOClient) -> int:\n"
        "    return (await aclient.list_segments()).segments\n"  # wrong result type
    )
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(caller)],
        capture_output=True, text=True, cwd=ROOT,
    ).stdout  # fmt: skip
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert [int(line.split(":")[1]) for line in errors] == [3, 5, 6, 7, 9], out


# -- no tool left out ------------------------------------------------------------------------------


def test_every_registered_tool_has_one_call() -> None:
    """The fault matrix, the secrets scan, the output checks and MCP take their tools from
    `EVERY_TOOL_ONCE`, which follows the registry: a tool without a call there would pass them
    all untested."""
    from cio_toolkit.operations import REGISTRY
    from tests.cases import CASES, EVERY_TOOL_ONCE, ONE_CALL

    missing = [name for name in REGISTRY if name not in ONE_CALL]
    assert not missing, f"add a call of {', '.join(missing)} to ONE_CALL in tests/cases.py"
    assert set(ONE_CALL) == set(REGISTRY), "ONE_CALL names a tool the registry lacks"
    assert [name for name, _ in EVERY_TOOL_ONCE] == list(REGISTRY)
    assert {case.tool for case in CASES} == set(REGISTRY)


# -- one clock ------------------------------------------------------------------------------------


def test_arguments_never_read_the_clock_themselves() -> None:
    """Windows relative to now are resolved in `ArgsModel.resolved`, from the `now` its caller
    read once from its clock; no validator or result reads the time on its own."""
    declared = [
        *(ROOT / "cio_toolkit" / "operations").glob("*.py"),
        ROOT / "cio_toolkit" / "_fields.py",
    ]
    for path in declared:
        text = path.read_text()
        for reading in ("time.time(", "datetime.now(", "date.today(", "PrivateAttr("):
            assert reading not in text, f"{path.name} reads the clock: {reading}"


def test_the_clock_is_the_callers() -> None:
    """A toolkit's clock decides every relative window: the request's and the answer's."""
    moment = 1_767_225_600  # 2026-01-01T00:00:00Z
    sandbox = Sandbox(rate_limits=False)
    kit = CustomerIOToolkit.sandbox(sandbox, rate_limit=False, tools="all", clock=lambda: moment)
    campaign = kit.invoke("customerio_get_campaign_metrics", {"campaign_id": 1, "days": 7})
    assert campaign.structured["window"]["end"] == "2026-01-01T00:00:00+00:00"
    assert campaign.structured["window"]["start"] == "2025-12-26T00:00:00+00:00"
    broadcast = kit.invoke("customerio_get_broadcast_metrics", {"broadcast_id": 101, "days": 7})
    assert broadcast.structured["window"]["end"] == "2025-12-31T19:00:00-05:00"  # US Eastern
    with CustomerIOClient(SANDBOX_KEY, base_url=SANDBOX_URL, transport=sandbox.transport(),
                          rate_limit=False, clock=lambda: moment) as client:  # fmt: skip
        assert client.get_campaign_metrics(campaign_id=1, days=7).end.timestamp() == moment


def test_operations_are_imported_when_first_offered_not_with_the_package() -> None:
    """The operations' models are most of the import cost, and a toolkit serves a few."""
    script = (
        "import sys, cio_toolkit\n"
        "loaded = lambda: sorted(m.rsplit('.', 1)[1] for m in sys.modules\n"
        "                        if m.startswith('cio_toolkit.operations.'))\n"
        "print(loaded())\n"
        "cio_toolkit.CustomerIOToolkit.sandbox()\n"
        "print(loaded())\n"
        "print(len(cio_toolkit.OPERATIONS), loaded())\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    on_import, core_reads, everything = out.stdout.splitlines()
    assert on_import == "['_catalog']"
    assert "send_email" not in core_reads and "triggers" not in core_reads  # read-only: no writes
    assert "customers" in core_reads and "newsletters" not in core_reads
    from cio_toolkit.operations import MODULES, REGISTRY

    # Shared by resource modules, not resources themselves.
    helpers = ["_catalog", "actions", "metrics", "people", "senders"]
    assert everything == f"{len(REGISTRY)} {sorted([*helpers, *MODULES])}"
    assert list(REGISTRY) == [op.name for op in REGISTRY.values()]


# -- the public surface ---------------------------------------------------------------------------

PUBLIC = {
    "cio_toolkit": [
        "OPERATIONS", "REGISTRY", "APIError", "AsyncCustomerIOClient", "AuthenticationError",
        "BadRequestError", "ClientClosedError", "ConfigurationError", "CustomerIOClient",
        "CustomerIOError", "CustomerIOToolkit", "DeliveryUnknownError", "InvalidArgumentsError",
        "NoPacing", "NotFoundError", "Operation", "Pacer", "PayloadTooLargeError",
        "PermissionDeniedError", "RateLimitError", "RatePacer", "RedirectError", "RedisPacer",
        "Result", "RetryPolicy", "ServerError", "Settings", "ToolOutput", "ToolSpec",
        "TransportError", "UnknownToolError", "UnprocessableError", "WindowPacer", "WriteAttempt",
        "__version__",
    ],
    "langchain_customerio": [
        "CustomerIOTool", "CustomerIOToolkit", "__version__", "interrupt_on", "tools_for",
    ],
    "llama_index.tools.customerio": ["CustomerIOToolSpec", "__version__", "tools_for"],
}  # fmt: skip


@pytest.mark.parametrize("module", list(PUBLIC))
def test_the_public_surface_is_deliberate(module: str) -> None:
    """Each package's `__all__` is pinned: a name added or dropped is a decision, made here."""
    import importlib
    from importlib.metadata import version

    imported = importlib.import_module(module)
    assert sorted(imported.__all__) == sorted(PUBLIC[module])
    distribution = {"cio_toolkit": "cio-toolkit", "langchain_customerio": "langchain-customerio"}
    assert imported.__version__ == version(distribution.get(module, "llama-index-tools-customerio"))
    for name in imported.__all__:
        thing = getattr(imported, name)
        if isinstance(thing, type) and issubclass(thing, Exception):
            assert thing.__doc__ and thing.__doc__ != Exception.__doc__, f"{name} says nothing"


# What a user imports a module by name for; everything else is private by name (`_client.py`), so
# nobody comes to depend on a layout that is ours to change. The sandbox's and the operations'
# modules sit behind their packages: the operations' are the catalog, declared in the open.
PUBLIC_MODULES = {
    "cio_toolkit": {"__init__", "cli", "declare", "jobs", "scripted"},
    "cio_toolkit.mcp_server": {"__init__"},
}


@pytest.mark.parametrize("package", list(PUBLIC_MODULES))
def test_internal_modules_are_private_by_name(package: str) -> None:
    folder = ROOT.joinpath(*package.split("."))
    public = {path.stem for path in folder.glob("*.py") if not path.stem.startswith("_")}
    assert public | {"__init__"} == PUBLIC_MODULES[package], f"{package}: name it _{public}"


def test_exported_classes_are_named_by_their_public_path() -> None:
    import pickle

    import cio_toolkit

    assert repr(cio_toolkit.APIError) == "<class 'cio_toolkit.APIError'>"
    sent = cio_toolkit.NotFoundError(
        "no campaign 7", status=404, tool="customerio_get_campaign_metrics", ids={"campaign_id": 7}
    )
    error = pickle.loads(pickle.dumps(sent))  # errors cross processes: queues, multiprocessing
    assert type(error) is cio_toolkit.NotFoundError and str(error) == "no campaign 7"
    assert (error.status, error.tool, error.ids) == (404, sent.tool, {"campaign_id": 7})
    invalid = pickle.loads(pickle.dumps(cio_toolkit.InvalidArgumentsError("t", ["days: ≥ 1"])))
    assert (invalid.tool, invalid.problems, str(invalid)) == ("t", ["days: ≥ 1"], str(invalid))


def test_no_hand_written_module_is_over_420_lines() -> None:
    generated_or_data = {"_methods.py", "seed.py"}
    for package in PACKAGES:
        for path in package.rglob("*.py"):
            if path.name not in generated_or_data:
                lines = len(path.read_text().splitlines())
                assert lines <= 420, f"{path.relative_to(ROOT)}: {lines} lines"
