"""`ScriptedChatModel`: a tool-calling LangChain chat model driven by a script, for offline runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from cio_toolkit.scripted import Exchange, Script, ToolResult


def exchange_of(messages: Sequence[BaseMessage]) -> Exchange:
    """What the model has seen since the latest human message."""
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    since = messages[start + 1 :]
    return Exchange(
        request=messages[start].text if start >= 0 else "",
        turn=sum(isinstance(m, AIMessage) for m in since),
        results=tuple(
            ToolResult(m.name or "", m.text) for m in since if isinstance(m, ToolMessage)
        ),
    )


class ScriptedChatModel(BaseChatModel):
    """Plays a `cio_toolkit.scripted` script: no LLM, no network; tools run for real.

    `create_agent(ScriptedChatModel(script=example_jobs), tools=toolkit.langchain_tools())`.
    """

    script: Script

    @property
    def _llm_type(self) -> str:
        return "cio-toolkit-scripted"

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedChatModel:
        return self  # the script names its tools itself

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        exchange = exchange_of(messages)
        turn = self.script(exchange)
        if isinstance(turn, str):
            message = AIMessage(content=turn)
        else:
            calls = [
                {"name": name, "args": args, "id": f"call_{exchange.turn}_{i}", "type": "tool_call"}
                for i, (name, args) in enumerate(turn)
            ]
            message = AIMessage(content="", tool_calls=calls)
        return ChatResult(generations=[ChatGeneration(message=message)])
