"""`scripted_llm`: a function-calling LlamaIndex LLM driven by a script, for offline runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, MessageRole, ToolCallBlock
from llama_index.core.llms.mock import MockFunctionCallingLLM

from cio_toolkit.scripted import Exchange, Script, ToolResult


def exchange_of(messages: Sequence[ChatMessage]) -> Exchange:
    """What the model has seen since the latest user message."""
    start = max((i for i, m in enumerate(messages) if m.role == MessageRole.USER), default=-1)
    since = messages[start + 1 :]
    # Tool results carry only the call id; the tool's name is on the assistant's call.
    names = {
        block.tool_call_id: block.tool_name
        for message in since
        for block in message.blocks
        if isinstance(block, ToolCallBlock)
    }
    return Exchange(
        request=str(messages[start].content or "") if start >= 0 else "",
        turn=sum(m.role == MessageRole.ASSISTANT for m in since),
        results=tuple(
            ToolResult(names.get(m.additional_kwargs.get("tool_call_id"), ""), str(m.content or ""))
            for m in since
            if m.role == MessageRole.TOOL
        ),
    )


def scripted_llm(script: Script) -> MockFunctionCallingLLM:
    """LlamaIndex's mock function-calling LLM, playing a `cio_toolkit.scripted` script.

    `FunctionAgent(tools=toolkit.llamaindex_tools(), llm=scripted_llm(example_jobs))`.
    """

    def respond(messages: Sequence[ChatMessage], **_: Any) -> ChatMessage:
        exchange = exchange_of(messages)
        turn = script(exchange)
        if isinstance(turn, str):
            return ChatMessage(role=MessageRole.ASSISTANT, content=turn)
        calls = [
            ToolCallBlock(
                tool_call_id=f"call_{exchange.turn}_{i}", tool_name=name, tool_kwargs=args
            )
            for i, (name, args) in enumerate(turn)
        ]
        return ChatMessage(role=MessageRole.ASSISTANT, blocks=list(calls))

    return MockFunctionCallingLLM(response_generator=respond)
