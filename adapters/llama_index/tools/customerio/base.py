"""Each operation as a LlamaIndex `FunctionTool`, validated by the core, sync and async."""

from __future__ import annotations

from typing import Any

from llama_index.core.tools import FunctionTool
from llama_index.core.tools.tool_spec.base import BaseToolSpec

import cio_toolkit


def _function_tool(toolkit: cio_toolkit.CustomerIOToolkit, name: str) -> FunctionTool:
    operation = toolkit.operation(name)

    # LlamaIndex does not validate against fn_schema; the core does, before any request, and its
    # exceptions carry the text a FunctionAgent shows the model.
    def call(**arguments: Any) -> str:
        return toolkit.call(name, arguments)

    async def acall(**arguments: Any) -> str:
        return await toolkit.acall(name, arguments)

    return FunctionTool.from_defaults(
        fn=call,
        async_fn=acall,
        name=name,
        description=operation.description,
        fn_schema=operation.args_model,
    )


def tools_for(toolkit: cio_toolkit.CustomerIOToolkit) -> list[FunctionTool]:
    """The toolkit's selected operations as LlamaIndex tools."""
    return [_function_tool(toolkit, op.name) for op in toolkit.operations]


class CustomerIOToolSpec(BaseToolSpec):
    """LlamaIndex's tool-spec form: `CustomerIOToolSpec(read_only=False).to_tool_list()`.

    Takes the same keyword arguments as `cio_toolkit.CustomerIOToolkit`, or `core=` an existing one.
    """

    def __init__(self, core: cio_toolkit.CustomerIOToolkit | None = None, **settings: Any) -> None:
        self.core = core or cio_toolkit.CustomerIOToolkit(**settings)
        self.spec_functions = [op.name for op in self.core.operations]

    def to_tool_list(  # type: ignore[override]
        self, spec_functions: list[str] | None = None, **_: Any
    ) -> list[FunctionTool]:
        names = spec_functions or self.spec_functions
        return [_function_tool(self.core, n if isinstance(n, str) else n[0]) for n in names]
