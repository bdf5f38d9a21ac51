"""Each operation as a LangChain `BaseTool`, real sync and async, errors the model can act on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool, BaseToolkit, ToolException
from pydantic import BaseModel, ConfigDict, Field

import cio_toolkit
from cio_toolkit import ConfigurationError, CustomerIOError, Result


@contextmanager
def _as_tool_errors() -> Iterator[None]:
    """Errors the model can act on become ToolExceptions; misconfiguration stays loud."""
    try:
        yield
    except ConfigurationError:
        raise
    except CustomerIOError as error:
        raise ToolException(str(error)) from error


class CustomerIOTool(BaseTool):
    """One Customer.io operation; the text goes to the model, the typed result is the artifact.

    `args_schema` is the core's portable JSON schema, which every provider's converter takes
    unchanged in meaning; `get_input_schema()` is the operation's args model it comes from. The
    core validates the input (a dict, JSON text, or a plain string for a tool with one
    argument) before any request, so LangChain's own validation is not run: every framework
    refuses bad input with the same text.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    toolkit: cio_toolkit.CustomerIOToolkit = Field(exclude=True, repr=False)
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    handle_tool_error: bool = True

    @classmethod
    def from_toolkit(cls, toolkit: cio_toolkit.CustomerIOToolkit, name: str) -> CustomerIOTool:
        """The tool `name` of `toolkit`, as its spec describes it."""
        spec = toolkit.spec(name)
        return cls(
            name=spec.name,
            description=spec.description,
            args_schema=spec.parameters,
            metadata={"access": spec.access},
            # What ProviderToolSearchMiddleware and the providers' tool search read.
            extras={"defer_loading": True} if spec.deferred else None,
            toolkit=toolkit,
        )

    def get_input_schema(self, config: RunnableConfig | None = None) -> type[BaseModel]:
        """The operation's args model (`args_schema` is its portable JSON schema)."""
        return self.toolkit.operation(self.name).args_model

    def _to_args_and_kwargs(
        self, tool_input: str | dict[str, Any], tool_call_id: str | None
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        # The input goes to the core as given: LangChain would skip validating tools without
        # arguments, and would read a plain string as the first field whatever the tool. The
        # model's call id goes with it, for the call's trace span.
        return (tool_input, tool_call_id), {}

    def _run(self, given: str | dict[str, Any], call_id: str | None = None) -> tuple[str, Result]:
        with _as_tool_errors():
            output = self.toolkit.invoke(self.name, given, call_id=call_id)
        return output.text, output.result

    async def _arun(
        self, given: str | dict[str, Any], call_id: str | None = None
    ) -> tuple[str, Result]:
        with _as_tool_errors():
            output = await self.toolkit.ainvoke(self.name, given, call_id=call_id)
        return output.text, output.result


def tools_for(toolkit: cio_toolkit.CustomerIOToolkit) -> list[BaseTool]:
    """The toolkit's selected operations as LangChain tools."""
    return [CustomerIOTool.from_toolkit(toolkit, op.name) for op in toolkit.operations]


class CustomerIOToolkit(BaseToolkit):
    """Customer.io's App API as a LangChain toolkit: `CustomerIOToolkit().get_tools()`.

    Args:
        api_key: the App API key; default `CUSTOMERIO_APP_API_KEY`.
        toolkit: an existing `cio_toolkit.CustomerIOToolkit` to wrap, instead of the options.
        **options: `cio_toolkit.CustomerIOToolkit`'s keyword arguments (region, read_only,
            tools, guardrails...).

    Raises:
        ConfigurationError: no key, or an unknown region.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    toolkit: cio_toolkit.CustomerIOToolkit = Field(repr=False)

    def __init__(
        self,
        api_key: str | None = None,
        *,
        toolkit: cio_toolkit.CustomerIOToolkit | None = None,
        **options: Any,
    ) -> None:
        super().__init__(toolkit=toolkit or cio_toolkit.CustomerIOToolkit(api_key, **options))

    @classmethod
    def sandbox(cls, workspace: Any = None, **options: Any) -> CustomerIOToolkit:
        """A toolkit on the emulated workspace (`cio_toolkit.sandbox.Sandbox`): no account."""
        return cls(toolkit=cio_toolkit.CustomerIOToolkit.sandbox(workspace, **options))

    def get_tools(self) -> list[BaseTool]:
        return tools_for(self.toolkit)

    def interrupt_on(self) -> dict[str, Any]:
        """For `HumanInTheLoopMiddleware(interrupt_on=...)`: approval before every write."""
        return interrupt_on(self.get_tools())


def interrupt_on(tools: Iterable[BaseTool]) -> dict[str, Any]:
    """Approval before every write tool among `tools`, as `HumanInTheLoopMiddleware` takes it:
    `HumanInTheLoopMiddleware(interrupt_on=interrupt_on(tools))`. Tools that are not this
    package's, and read tools, run without asking."""
    return {
        tool.name: {
            "allowed_decisions": ["approve", "edit", "reject"],
            "description": f"{tool.name} messages real people; approve, edit or reject it.",
        }
        for tool in tools
        if isinstance(tool, CustomerIOTool) and (tool.metadata or {}).get("access") == "write"
    }
