"""One try at a job on a fresh sandbox: a stand-in played directly, a chat model via LangChain."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any, Literal

from .._errors import ConfigurationError, CustomerIOError
from .._toolkit import CustomerIOToolkit
from ..operations import Tools
from ..sandbox import Sandbox
from ..scripted import Script, play
from ._catalog import Job
from ._grading import Attempt, Call
from ._served import call_over_mcp, mcp_over_http
from ._stand_ins import STAND_INS


@dataclass(frozen=True)
class Scripted:
    """A stand-in, played as an agent loop plays a model: no framework, no tokens."""

    name: str
    script: Script


def chat_model(spec: str) -> Any:
    """The model `spec` names: a stand-in (`scripted`, `scripted:guesses`...), or any model
    LangChain's `init_chat_model` knows (`openai:gpt-5`, `anthropic:claude-...`,
    `google_genai:...`, `bedrock_converse:...`, `ollama:...`), with its package and key.

    Raises:
        ConfigurationError: an unknown stand-in, or a model LangChain cannot make here.
    """
    if spec.startswith("scripted"):
        if spec not in STAND_INS:
            raise ConfigurationError(f"No stand-in {spec!r}; there are {', '.join(STAND_INS)}.")
        return Scripted(spec, STAND_INS[spec])
    try:
        from langchain.chat_models import init_chat_model

        return init_chat_model(spec)
    except (ImportError, ValueError) as error:
        raise ConfigurationError(f"Cannot make the model {spec!r}: {error}") from None


Over = Literal["direct", "mcp"]


def attempt(
    job: Job,
    model: Any,
    tools: Tools = "all",
    sandbox: Sandbox | None = None,
    *,
    over: Over = "direct",
    defer: bool = False,
) -> Attempt:
    """Run `job` once with `model` on a sandbox of its own (or the one given), writes on: what
    it called, read and answered, its tokens and its time.

    `over="mcp"` reaches the tools through the toolkit's MCP server over streamable HTTP, as an
    MCP client does; `defer` leaves every tool outside `core` to the provider's tool search.
    """
    sandbox = sandbox or Sandbox(rate_limits=False)
    kit = CustomerIOToolkit.sandbox(sandbox, read_only=False, tools=tools, rate_limit=False,
                                    defer=defer)  # fmt: skip
    tried = Attempt(sandbox)
    started = time.perf_counter()
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(mcp_over_http(kit)) if over == "mcp" else None
            if isinstance(model, Scripted):
                _play(job, model, kit, tried, url)
            else:
                _through_langchain(job, model, kit, tried, url)
    except Exception as error:  # a model's failure or a turn limit: the try failed, and says why
        tried.error = f"the run stopped: {type(error).__name__}: {error}"[:500]
    tried.seconds = time.perf_counter() - started
    return tried


def _play(
    job: Job, model: Scripted, kit: CustomerIOToolkit, tried: Attempt, url: str | None
) -> None:
    def call(name: str, arguments: dict[str, Any]) -> str:
        if url is not None:
            text = call_over_mcp(url, name, arguments)
        else:
            try:
                text = kit.call(name, arguments)
            except CustomerIOError as error:  # what the model reads of an error
                text = str(error)
        tried.calls.append(Call(name, arguments, text))
        return text

    # Room for every call of a try over budget to be seen and counted, and no more.
    tried.answer = play(model.script, job.request, call, turns=2 * job.budget + 5)


def _through_langchain(
    job: Job, model: Any, kit: CustomerIOToolkit, tried: Attempt, url: str | None
) -> None:
    from langchain.agents import create_agent

    limit: dict[str, Any] = {"recursion_limit": 4 * job.budget + 10}
    asked_for = {"messages": [{"role": "user", "content": job.request}]}
    middleware = []
    if kit.deferred:
        from langchain.agents.middleware import ProviderToolSearchMiddleware

        middleware.append(ProviderToolSearchMiddleware())
    if url is None:
        agent = create_agent(model, tools=kit.langchain_tools(), middleware=middleware)
        state = agent.invoke(asked_for, limit)  # type: ignore[call-overload]
    else:
        state = asyncio.run(_through_mcp(model, url, asked_for, limit))
    _read(state, tried)


async def _through_mcp(
    model: Any, url: str, asked_for: dict[str, Any], limit: dict[str, Any]
) -> Any:
    """The agent with LangChain's own MCP adapter's tools (async, as MCP calls are)."""
    import warnings

    from langchain.agents import create_agent
    from langchain_core._api import LangChainBetaWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LangChainBetaWarning)
        from langchain.mcp import MCPAdapter

    async with MCPAdapter(url) as adapter:
        agent = create_agent(model, tools=await adapter.list_tools())
        return await agent.ainvoke(asked_for, limit)  # type: ignore[call-overload]


def _read(state: Any, tried: Attempt) -> None:
    """What the agent's messages say it called, read, spent and answered."""
    from langchain_core.messages import AIMessage, ToolMessage

    asked: dict[str, tuple[str, dict[str, Any]]] = {}
    for message in state["messages"]:
        if isinstance(message, AIMessage):
            for made in message.tool_calls:
                asked[str(made["id"])] = (made["name"], dict(made["args"]))
            if message.usage_metadata is not None:  # what the provider counted, when it says
                tried.input_tokens += message.usage_metadata["input_tokens"]
                tried.output_tokens += message.usage_metadata["output_tokens"]
        elif isinstance(message, ToolMessage) and message.tool_call_id in asked:
            name, arguments = asked[message.tool_call_id]
            tried.calls.append(Call(name, arguments, str(message.content)))
    last = state["messages"][-1]
    tried.answer = last.content if isinstance(last.content, str) else str(last.content)
