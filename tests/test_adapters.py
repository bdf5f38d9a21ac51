"""LangChain and LlamaIndex adapters: standard tests, real agents, approval before writes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
import respx
import time_machine
from langchain_core.messages import ToolMessage
from langchain_tests.integration_tests import ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests

from cio_toolkit import AuthenticationError, CustomerIOError, CustomerIOToolkit, UnknownToolError
from cio_toolkit.operations import REGISTRY
from cio_toolkit.operations.campaigns import ListCampaignsArgs
from cio_toolkit.scripted import in_order
from langchain_customerio import interrupt_on
from langchain_customerio.testing import ScriptedChatModel
from tests.cases import BY_TOOL, CASES, CORE_READS, CORE_WITH_WRITES, FROZEN, Case
from tests.conftest import API_KEY, FAST_RETRY, US

MISSING = {"campaign_id": 404404}  # a campaign the mocked workspace does not have


# Each mocked route by method and path, and how many calls the cases together make of it.
Workspace = dict[tuple[str, str], tuple[respx.Route, int]]


def _mock_workspace(router: respx.MockRouter, cases: list[Case] = CASES) -> Workspace:
    """Every case's calls answered. Cases that call the same path (a comparison lists the
    campaigns as the list tool does) give it the same answer, so any order of calls works."""
    router.get("/v1/campaigns/404404/metrics").respond(404)
    answers: dict[tuple[str, str], list[Any]] = {}
    for case in cases:
        for method, path, answer, _ in case.calls():
            answers.setdefault((method, unquote(path)), []).append(answer)
    for (method, path), said in answers.items():
        assert all(a == said[0] for a in said), f"cases answer {method} {path} differently"
    return {
        (method, path): (router.route(method=method, path=path).respond(json=said[0]), len(said))
        for (method, path), said in answers.items()
    }


def _called_once_each(workspace: Workspace) -> bool:
    return all(route.call_count == calls for route, calls in workspace.values())


@pytest.fixture
def workspace() -> Iterator[Workspace]:
    # Frozen where the metrics cases' windows end, so every case's text is exact.
    with (
        respx.mock(base_url=US, assert_all_called=False) as router,
        time_machine.travel(FROZEN, tick=False),
    ):
        yield _mock_workspace(router)


def _kit(**options: Any) -> CustomerIOToolkit:
    return CustomerIOToolkit(API_KEY, rate_limit=False, retry=FAST_RETRY, **options)


def _every_tool() -> CustomerIOToolkit:
    return _kit(read_only=False, tools="all")


# -- LangChain's standard tool tests, one pair of classes per tool ---------------------------------


def _standard_tests(case: Any) -> tuple[type, type]:
    tool = next(t for t in _every_tool().langchain_tools() if t.name == case.tool)

    class ThisTool:
        tool_constructor = tool
        tool_invoke_params_example = case.arguments

    class Unit(ThisTool, ToolsUnitTests):  # type: ignore[misc]
        pass

    class Integration(ThisTool, ToolsIntegrationTests):  # type: ignore[misc]
        @pytest.fixture(autouse=True)
        def _workspace(self, workspace: Workspace) -> None:
            return None

    return Unit, Integration


for _case in CASES:
    _short = "".join(part.title() for part in _case.tool.split("_")[1:])
    globals()[f"TestUnit{_short}"], globals()[f"TestIntegration{_short}"] = _standard_tests(_case)


# -- behaviour shared by both frameworks ------------------------------------------------------


def test_read_only_by_default_in_every_framework() -> None:
    kit = _kit()
    reads = [spec.name for spec in kit.specs]
    assert reads == CORE_READS
    assert [t.name for t in kit.langchain_tools()] == reads
    assert [t.metadata.name for t in kit.llamaindex_tools()] == reads
    narrowed = _kit(tools=["customerio_list_segments"])
    assert [t.name for t in narrowed.langchain_tools()] == ["customerio_list_segments"]


def test_write_tools_are_marked_and_gated() -> None:
    kit = _kit(read_only=False)
    access = {t.name: t.metadata for t in kit.langchain_tools()}
    assert access["customerio_send_transactional_email"] == {"access": "write"}
    assert access["customerio_list_campaigns"] == {"access": "read"}
    assert set(interrupt_on(kit.langchain_tools())) == {
        "customerio_send_transactional_email",
        "customerio_trigger_broadcast",
    }


def test_the_model_sees_the_api_field_names() -> None:
    from langchain_core.utils.function_calling import convert_to_openai_tool

    tool = next(
        t
        for t in _kit(read_only=False).langchain_tools()
        if t.name == "customerio_send_transactional_email"
    )
    shown = convert_to_openai_tool(tool)["function"]["parameters"]["properties"]
    assert "from" in shown and "from_" not in shown


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.tool)
async def test_same_text_in_both_frameworks(case: Case) -> None:
    with (
        respx.mock(base_url=US, assert_all_called=False) as router,
        time_machine.travel(FROZEN, tick=False),
    ):
        _mock_workspace(router, [case])
        await _same_text(case)


async def _same_text(case: Case) -> None:
    kit = _every_tool()
    lc = {t.name: t for t in kit.langchain_tools()}[case.tool]
    li = {t.metadata.name: t for t in kit.llamaindex_tools()}[case.tool]
    call = {"type": "tool_call", "id": "1", "name": case.tool, "args": case.arguments}
    assert lc.invoke(call).content == case.text
    assert (await lc.ainvoke(call)).content == case.text
    assert li.call(**case.arguments).content == case.text
    assert (await li.acall(**case.arguments)).content == case.text
    assert isinstance(lc.invoke(call).artifact, kit.operation(case.tool).result_model)


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("customerio_send_transactional_email", {"to": "nobody"}),
        ("customerio_search_customers", {"filter": {"and": []}, "limit": 5000}),
        ("customerio_get_person_attributes", {"customer_id": "../../etc"}),
    ],
)
async def test_same_error_text_in_both_frameworks_and_nothing_sent(
    tool: str, arguments: dict[str, Any], workspace: Workspace
) -> None:
    kit = _kit(read_only=False)
    expected = ""
    try:
        kit.call(tool, arguments)
    except Exception as error:
        expected = str(error)
    assert expected.startswith(f"Invalid arguments for {tool}")
    lc = {t.name: t for t in kit.langchain_tools()}[tool]
    message = await lc.ainvoke({"type": "tool_call", "id": "1", "name": tool, "args": arguments})
    assert (message.content, message.status) == (expected, "error")
    li = {t.metadata.name: t for t in kit.llamaindex_tools()}[tool]
    with pytest.raises(Exception, match="Invalid arguments") as raised:
        await li.acall(**arguments)
    assert str(raised.value) == expected
    assert not any(route.called for route, _ in workspace.values())


def test_misconfiguration_raises_to_the_program() -> None:
    with respx.mock(base_url=US) as router:
        router.get("/v1/segments").respond(401)
        tool = {t.name: t for t in _kit().langchain_tools()}["customerio_list_segments"]
        with pytest.raises(AuthenticationError):
            tool.invoke({"type": "tool_call", "id": "1", "name": tool.name, "args": {}})


def test_missing_packages_name_what_to_install() -> None:
    for module, package in (
        ("langchain_customerio", "langchain-customerio"),
        ("llama_index.tools.customerio", "llama-index-tools-customerio"),
    ):
        blocked = "langchain_core" if package.startswith("langchain") else "llama_index.core"
        code = f"import sys; sys.modules[{blocked!r}] = None; import {module}"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert f"pip install {package}" in out.stderr
    for method, package, blocked in (
        ("langchain_tools", "langchain-customerio", "langchain_customerio"),
        ("llamaindex_tools", "llama-index-tools-customerio", "llama_index.tools.customerio"),
    ):
        code = (
            f"import sys; sys.modules[{blocked!r}] = None\n"
            f"from cio_toolkit import CustomerIOToolkit\nCustomerIOToolkit('k').{method}()"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert f"pip install {package}" in out.stderr, out.stderr


def test_each_adapter_imports_only_its_framework() -> None:
    code = (
        "import sys, cio_toolkit; cio_toolkit.CustomerIOToolkit('k').{}(); "
        "print(any(m.startswith({!r}) for m in sys.modules))"
    )
    for method, other in (("langchain_tools", "llama_index"), ("llamaindex_tools", "langchain")):
        out = subprocess.run(
            [sys.executable, "-c", code.format(method, other)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == "False", method


def test_framework_native_forms() -> None:
    from langchain_customerio import CustomerIOToolkit as LangChainToolkit
    from llama_index.tools.customerio import CustomerIOToolSpec

    # The presets reach both frameworks: the default six reads; the first eight and the four
    # that check writes; every tool.
    assert len(LangChainToolkit("k").get_tools()) == len(CORE_READS)
    assert len(LangChainToolkit(api_key="k", read_only=False).get_tools()) == len(CORE_WITH_WRITES)
    assert len(LangChainToolkit("k", read_only=False, tools="all").get_tools()) == len(REGISTRY)
    assert len(CustomerIOToolSpec("k", tools="all").to_tool_list()) == len(
        [op for op in REGISTRY.values() if not op.is_write]
    )
    assert len(CustomerIOToolSpec("k").to_tool_list()) == len(
        CORE_READS
    )  # the key first, as LlamaHub's specs
    spec = CustomerIOToolSpec(toolkit=_kit(read_only=False))
    assert [t.metadata.name for t in spec.to_tool_list(["customerio_list_segments"])] == [
        "customerio_list_segments"
    ]


def test_both_framework_toolkits_open_the_sandbox() -> None:
    from cio_toolkit.sandbox import Sandbox
    from langchain_customerio import CustomerIOToolkit as LangChainToolkit
    from llama_index.tools.customerio import CustomerIOToolSpec

    workspace = Sandbox(rate_limits=False)
    langchain = LangChainToolkit.sandbox(workspace, read_only=False, rate_limit=False)
    assert {t.name for t in langchain.get_tools()} >= {"customerio_send_transactional_email"}
    segments = next(t for t in langchain.get_tools() if t.name == "customerio_list_segments")
    assert '"name":"Beta testers"' in segments.invoke({})
    spec = CustomerIOToolSpec.sandbox(workspace, rate_limit=False)
    (tool,) = spec.to_tool_list(["customerio_list_segments"])
    assert '"name":"Beta testers"' in tool.call().content
    assert workspace.received[("GET", "/v1/segments")] == 2


# -- LlamaIndex's BaseToolSpec contract ------------------------------------------------------------


async def test_the_tool_spec_keeps_llamaindexs_contract(
    workspace: Workspace,
) -> None:
    from llama_index.core.tools import ToolMetadata

    from llama_index.tools.customerio import CustomerIOToolSpec

    assert "customerio_send_transactional_email" in CustomerIOToolSpec.spec_functions  # class
    spec = CustomerIOToolSpec(API_KEY, rate_limit=False, retry=FAST_RETRY)
    assert "customerio_send_transactional_email" not in spec.spec_functions  # read-only default
    tools = await spec.to_tool_list_async()
    assert [t.metadata.name for t in tools] == spec.spec_functions
    renamed = await spec.to_tool_list_async(
        spec_functions=["customerio_list_segments"],
        func_to_metadata_mapping={
            "customerio_list_segments": ToolMetadata(
                name="segments", description="Every segment in our workspace."
            )
        },
    )
    (tool,) = renamed
    assert (tool.metadata.name, tool.metadata.description) == (
        "segments",
        "Every segment in our workspace.",
    )
    assert tool.metadata.fn_schema is REGISTRY["customerio_list_segments"].args_model
    assert tool.call().content == BY_TOOL["customerio_list_segments"].text
    assert (await tool.acall()).content == BY_TOOL["customerio_list_segments"].text
    # A (sync, async) pair names one tool, as BaseToolSpec allows.
    (paired,) = spec.to_tool_list([("customerio_list_segments", "customerio_list_segments")])
    assert paired.metadata.name == "customerio_list_segments"
    metadata = spec.get_metadata_from_fn_name("customerio_list_campaigns")
    assert metadata is not None and metadata.fn_schema is ListCampaignsArgs
    with pytest.raises(UnknownToolError, match="read_only=False"):
        spec.to_tool_list(["customerio_send_transactional_email"])


# -- plain-string input ----------------------------------------------------------------------------


def test_a_plain_string_is_a_single_argument_tools_argument() -> None:
    from cio_toolkit.sandbox import Sandbox

    kit = CustomerIOToolkit.sandbox(Sandbox(rate_limits=False), rate_limit=False)
    segments = {t.name: t for t in kit.langchain_tools()}["customerio_list_segments"]
    shown = json.loads(segments.invoke("beta"))  # its one argument: name
    assert [s["name"] for s in shown["segments"]] == ["Beta testers"]
    (llama,) = [t for t in kit.llamaindex_tools() if t.metadata.name == segments.name]
    assert json.loads(llama.call("beta").content) == shown


def test_a_plain_string_gets_a_message_showing_the_shape(
    workspace: Workspace,
) -> None:
    """A tool with several arguments: the message shows the JSON it takes, and nothing is sent.
    (A tool with one argument takes the string as it: tests/test_architecture.py.)"""
    kit = _kit(read_only=False)
    langchain = {t.name: t for t in kit.langchain_tools()}
    llama = {t.metadata.name: t for t in kit.llamaindex_tools()}
    for tool in ("customerio_send_transactional_email", "customerio_get_person_attributes"):
        message = langchain[tool].invoke("ada.lovelace@example.com")
        assert message.startswith(f"Invalid arguments for {tool}: arguments: give a JSON object")
        with pytest.raises(CustomerIOError) as raised:
            llama[tool].call("ada.lovelace@example.com")
        assert str(raised.value) == message
    assert '{"customer_id": "…", "id_type": …} (required: customer_id)' in message
    assert not any(route.called for route, _ in workspace.values())


# -- a real LangChain agent ----------------------------------------------------------------------


def _script(calls: list[tuple[str, dict[str, Any]]]) -> ScriptedChatModel:
    """A chat model making one tool call per turn, then answering "All done."."""
    return ScriptedChatModel(script=in_order(*([call] for call in calls), then="All done."))


EVERY_JOB = [(case.tool, case.arguments) for case in CASES] + [
    ("customerio_get_campaign_metrics", MISSING)
]


@pytest.mark.parametrize("mode", ["invoke", "ainvoke"])
async def test_langchain_agent_does_every_job(mode: str, workspace: Workspace) -> None:
    from langchain.agents import create_agent

    agent = create_agent(_script(EVERY_JOB), tools=_every_tool().langchain_tools())
    prompt = {"messages": [{"role": "user", "content": "Do everything."}]}
    state = agent.invoke(prompt) if mode == "invoke" else await agent.ainvoke(prompt)

    results = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    assert [m.name for m in results] == [name for name, _ in EVERY_JOB]
    for message, case in zip(results, CASES, strict=False):
        assert message.content == case.text
    assert results[-1].status == "error"
    assert results[-1].content == (
        "Customer.io has no campaign 404404; list campaigns to find valid ids."
    )
    assert state["messages"][-1].content == "All done."  # the run went on after the 404
    assert _called_once_each(workspace)


async def test_a_rejected_send_never_reaches_the_api(workspace: Workspace) -> None:
    from langchain.agents import create_agent
    from langchain.agents.middleware import HumanInTheLoopMiddleware
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.types import Command

    kit = _kit(read_only=False)
    send = next(c for c in CASES if c.tool == "customerio_send_transactional_email")
    agent = create_agent(
        _script([(send.tool, send.arguments)]),
        tools=kit.langchain_tools(),
        middleware=[HumanInTheLoopMiddleware(interrupt_on=interrupt_on(kit.langchain_tools()))],
        checkpointer=InMemorySaver(),
    )
    config = {"configurable": {"thread_id": "review"}}
    paused = await agent.ainvoke(
        {"messages": [{"role": "user", "content": "Email the receipt."}]}, config
    )
    assert "__interrupt__" in paused
    finished = await agent.ainvoke(
        Command(resume={"decisions": [{"type": "reject", "message": "Not today."}]}), config
    )
    assert workspace[("POST", "/v1/send/email")][0].call_count == 0
    rejected = [m for m in finished["messages"] if isinstance(m, ToolMessage)]
    assert rejected and "Not today." in str(rejected[-1].content)


# -- a real LlamaIndex agent ---------------------------------------------------------------------


def _llama_script(calls: list[tuple[str, dict[str, Any]]]) -> Any:
    from llama_index.tools.customerio.testing import scripted_llm

    return scripted_llm(in_order(*([call] for call in calls), then="All done."))


async def _run_llama_agent(tools: list[Any]) -> list[Any]:
    from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult

    agent = FunctionAgent(tools=tools, llm=_llama_script(EVERY_JOB))
    handler = agent.run(user_msg="Do everything.", max_iterations=2 * len(EVERY_JOB))
    results = [
        event async for event in handler.stream_events() if isinstance(event, ToolCallResult)
    ]
    answer = await handler
    assert "All done." in str(answer)
    return results


async def test_llamaindex_agent_does_every_job(workspace: Workspace) -> None:
    results = await _run_llama_agent(_every_tool().llamaindex_tools())
    assert [r.tool_name for r in results] == [name for name, _ in EVERY_JOB]
    for result, case in zip(results, CASES, strict=False):
        assert result.tool_output.content == case.text and not result.tool_output.is_error
    assert results[-1].tool_output.is_error
    assert results[-1].tool_output.content == (
        "Customer.io has no campaign 404404; list campaigns to find valid ids."
    )
    assert _called_once_each(workspace)


def test_llamaindex_agent_over_the_sync_path() -> None:
    import asyncio

    from llama_index.core.tools import FunctionTool

    with (
        respx.mock(base_url=US, assert_all_called=False) as router,
        time_machine.travel(FROZEN, tick=False),
    ):
        workspace = _mock_workspace(router)
        # Sync-only tools: the agent runs each in a worker thread, through the sync client.
        sync_only = [
            FunctionTool.from_defaults(
                fn=t.fn,
                name=t.metadata.name,
                description=t.metadata.description,
                fn_schema=t.metadata.fn_schema,
            )
            for t in _every_tool().llamaindex_tools()
        ]
        results = asyncio.run(_run_llama_agent(sync_only))
    assert [r.tool_output.content for r in results[:-1]] == [case.text for case in CASES]
    assert _called_once_each(workspace)


@pytest.mark.parametrize(("name", "use"), [("get_tools", ".langchain_tools()"),
                                           ("to_tool_list", ".llamaindex_tools()")])  # fmt: skip
def test_the_neutral_toolkit_asked_for_a_frameworks_method_says_which_to_use(
    name: str, use: str
) -> None:
    kit = CustomerIOToolkit.sandbox()
    with pytest.raises(AttributeError, match="framework-neutral toolkit") as asked:
        getattr(kit, name)()
    assert use in str(asked.value)
