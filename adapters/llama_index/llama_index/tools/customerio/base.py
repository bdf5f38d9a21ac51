"""`CustomerIOToolSpec`: Customer.io's operations as LlamaIndex `FunctionTool`s, sync and async."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from llama_index.core.base.llms.types import ContentBlock, TextBlock
from llama_index.core.tools import FunctionTool, ToolOutput
from llama_index.core.tools.tool_spec.base import SPEC_FUNCTION_TYPE, BaseToolSpec
from llama_index.core.tools.types import DefaultToolFnSchema, ToolMetadata
from pydantic import BaseModel

import cio_toolkit
from cio_toolkit.operations import REGISTRY


@dataclass
class CustomerIOToolMetadata(ToolMetadata):
    """A tool's metadata whose parameters are the portable schema every provider is shown
    (LlamaIndex would otherwise generate its own from `fn_schema`, which stays the args model)."""

    parameters: dict[str, Any] = field(default_factory=dict)

    def get_parameters_dict(self) -> dict[str, Any]:
        return self.parameters


class CustomerIOFunctionTool(FunctionTool):
    """A `FunctionTool` whose content is the text the model sees and whose `raw_output` is the
    typed result; its functions return the core's `ToolOutput`, computed once."""

    def _parse_tool_output(self, raw_output: Any) -> list[ContentBlock]:
        if isinstance(raw_output, cio_toolkit.ToolOutput):
            return [TextBlock(text=raw_output.text)]
        return super()._parse_tool_output(raw_output)

    def call(self, *args: Any, **kwargs: Any) -> ToolOutput:
        return _typed(super().call(*args, **kwargs))

    async def acall(self, *args: Any, **kwargs: Any) -> ToolOutput:
        return _typed(await super().acall(*args, **kwargs))


def _typed(output: ToolOutput) -> ToolOutput:
    if isinstance(output.raw_output, cio_toolkit.ToolOutput):
        output.raw_output = output.raw_output.result
    return output


class CustomerIOToolSpec(BaseToolSpec):
    """Customer.io's App API as a LlamaIndex tool spec: `CustomerIOToolSpec(key).to_tool_list()`.

    Each tool validates its arguments in the core before any request (LlamaIndex does not check
    `fn_schema` itself), and its errors carry the text a `FunctionAgent` shows the model.

    Args:
        api_key: the App API key; default `CUSTOMERIO_APP_API_KEY`.
        toolkit: an existing `cio_toolkit.CustomerIOToolkit` to wrap, instead of the options.
        **options: `cio_toolkit.CustomerIOToolkit`'s keyword arguments (region, read_only,
            tools, guardrails...).

    Raises:
        ConfigurationError: no key, or an unknown region.
    """

    # Every tool a spec can offer; an instance narrows it to its toolkit's selection. A plain
    # class attribute, as BaseToolSpec declares it (not a ClassVar: instances assign it).
    spec_functions: list[SPEC_FUNCTION_TYPE] = list(REGISTRY)  # noqa: RUF012

    def __init__(
        self,
        api_key: str | None = None,
        *,
        toolkit: cio_toolkit.CustomerIOToolkit | None = None,
        **options: Any,
    ) -> None:
        self.toolkit = toolkit or cio_toolkit.CustomerIOToolkit(api_key, **options)
        self.spec_functions = [op.name for op in self.toolkit.operations]

    @classmethod
    def sandbox(cls, workspace: Any = None, **options: Any) -> CustomerIOToolSpec:
        """A spec on the emulated workspace (`cio_toolkit.sandbox.Sandbox`): no account needed."""
        return cls(toolkit=cio_toolkit.CustomerIOToolkit.sandbox(workspace, **options))

    def __getattr__(self, name: str) -> Callable[..., cio_toolkit.ToolOutput]:
        # BaseToolSpec finds spec functions as attributes; each tool is one of these.
        if name.startswith("_") or "toolkit" not in self.__dict__:
            raise AttributeError(name)
        toolkit = self.__dict__["toolkit"]
        toolkit.operation(name)  # UnknownToolError names the tools this spec offers

        def call(*text: str, **arguments: Any) -> cio_toolkit.ToolOutput:
            return toolkit.invoke(name, text[0] if text else arguments)  # type: ignore[no-any-return]

        call.__name__ = name
        return call

    def get_fn_schema_from_fn_name(
        self, fn_name: str, spec_functions: list[SPEC_FUNCTION_TYPE] | None = None
    ) -> type[BaseModel] | None:
        return self.toolkit.operation(fn_name).args_model

    def get_metadata_from_fn_name(
        self, fn_name: str, spec_functions: list[SPEC_FUNCTION_TYPE] | None = None
    ) -> ToolMetadata | None:
        spec = self.toolkit.spec(fn_name)
        return CustomerIOToolMetadata(
            name=spec.name,
            description=spec.description,
            fn_schema=self.toolkit.operation(fn_name).args_model,
            parameters=spec.parameters,
        )

    def to_tool_list(
        self,
        spec_functions: list[SPEC_FUNCTION_TYPE] | None = None,
        func_to_metadata_mapping: dict[str, ToolMetadata] | None = None,
    ) -> list[FunctionTool]:
        """The selected tools; `spec_functions` narrows them, `func_to_metadata_mapping` renames
        or redescribes them (its `fn_schema` defaults to the tool's own)."""
        mapping = func_to_metadata_mapping or {}
        tools = []
        for entry in spec_functions or self.spec_functions:
            names = (entry,) if isinstance(entry, str) else tuple(entry)
            name = names[0]
            metadata = next((mapping[n] for n in names if n in mapping), None)
            tools.append(self._tool(name, metadata))
        return tools

    def _tool(self, name: str, metadata: ToolMetadata | None) -> FunctionTool:
        own = self.get_metadata_from_fn_name(name)
        assert own is not None
        if metadata is None:
            metadata = own
        elif metadata.fn_schema in (None, DefaultToolFnSchema):
            # Renamed or redescribed: the tool's own schema still, portable as ever.
            metadata = CustomerIOToolMetadata(
                **{f.name: getattr(metadata, f.name) for f in dataclasses.fields(ToolMetadata)},
            )
            metadata.fn_schema, metadata.parameters = own.fn_schema, own.get_parameters_dict()
        toolkit = self.toolkit

        async def acall(*text: str, **arguments: Any) -> cio_toolkit.ToolOutput:
            return await toolkit.ainvoke(name, text[0] if text else arguments)

        return CustomerIOFunctionTool.from_defaults(
            fn=getattr(self, name), async_fn=acall, tool_metadata=metadata
        )


def tools_for(toolkit: cio_toolkit.CustomerIOToolkit) -> list[FunctionTool]:
    """The toolkit's selected operations as LlamaIndex tools."""
    return CustomerIOToolSpec(toolkit=toolkit).to_tool_list()
