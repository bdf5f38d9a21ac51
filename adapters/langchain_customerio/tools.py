"""Each operation as a LangChain `BaseTool`, real sync and async, errors the model can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from langchain_core.tools import BaseTool, BaseToolkit, ToolException
from pydantic import ConfigDict, Field, ValidationError

import cio_toolkit
from cio_toolkit import ConfigurationError, CustomerIOError, InvalidArgumentsError, Result
from cio_toolkit.operation import Operation, describe_problems


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
    """One Customer.io operation; the text goes to the model, the typed result is the artifact."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    toolkit: cio_toolkit.CustomerIOToolkit = Field(exclude=True, repr=False)
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    handle_tool_error: bool = True

    @classmethod
    def from_operation(
        cls, toolkit: cio_toolkit.CustomerIOToolkit, operation: Operation[Any, Any]
    ) -> CustomerIOTool:
        def same_text_as_the_core(error: ValidationError) -> str:
            return str(InvalidArgumentsError(operation.name, describe_problems(error)))

        return cls(
            name=operation.name,
            description=operation.description,
            args_schema=operation.args_model,
            metadata={"access": operation.access},
            handle_validation_error=same_text_as_the_core,
            toolkit=toolkit,
        )

    @property
    def tool_call_schema(self) -> Any:
        # LangChain would rebuild the model without its aliases (`from_` for `from`) and without
        # the compact-schema hook; there are no injected arguments, so the args model is exact.
        return self.args_schema

    def _to_args_and_kwargs(
        self, tool_input: str | dict[str, Any], tool_call_id: str | None
    ) -> tuple[tuple[str, ...], dict[str, Any]]:
        # LangChain skips validation for tools without arguments, so `{"junk": 1}` would pass
        # silently; validate anyway, so both frameworks refuse unknown fields alike.
        if isinstance(tool_input, dict) and tool_input:
            self._parse_input(tool_input, tool_call_id)
        return super()._to_args_and_kwargs(tool_input, tool_call_id)

    def _run(self, **arguments: Any) -> tuple[str, Result]:
        with _as_tool_errors():
            result = self.toolkit.run(self.name, arguments)
        return result.to_text(), result

    async def _arun(self, **arguments: Any) -> tuple[str, Result]:
        with _as_tool_errors():
            result = await self.toolkit.arun(self.name, arguments)
        return result.to_text(), result


def tools_for(toolkit: cio_toolkit.CustomerIOToolkit) -> list[BaseTool]:
    """The toolkit's selected operations as LangChain tools."""
    return [CustomerIOTool.from_operation(toolkit, op) for op in toolkit.operations]


class CustomerIOToolkit(BaseToolkit):
    """LangChain's toolkit form: `CustomerIOToolkit(read_only=False).get_tools()`.

    Takes the same keyword arguments as `cio_toolkit.CustomerIOToolkit`, or `core=` an existing one.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    core: cio_toolkit.CustomerIOToolkit = Field(repr=False)

    def __init__(self, core: cio_toolkit.CustomerIOToolkit | None = None, **settings: Any) -> None:
        super().__init__(core=core or cio_toolkit.CustomerIOToolkit(**settings))

    def get_tools(self) -> list[BaseTool]:
        return tools_for(self.core)

    def interrupt_on(self) -> dict[str, Any]:
        """For `HumanInTheLoopMiddleware(interrupt_on=...)`: approval before every write."""
        return self.core.interrupt_on()
