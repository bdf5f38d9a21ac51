"""The toolkit's tools as an MCP server: definitions, annotations, calls, and the start-up check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._errors import ConfigurationError, CustomerIOError
from .._version import __version__

if TYPE_CHECKING:
    from mcp import types
    from mcp.server.lowlevel import Server

    from .._operation import Operation
    from .._toolkit import CustomerIOToolkit


# The server's own bearer token for HTTP, where `--token` is not given.
def _title(operation: Operation[Any, Any]) -> str:
    """`customerio_get_broadcast_trigger` as "Get broadcast trigger"."""
    return operation.method_name.replace("_", " ").capitalize()


def tool_definitions(toolkit: CustomerIOToolkit) -> list[types.Tool]:
    """Each selected tool as MCP lists it: the toolkit's name, description and schema, an
    output schema, and annotations as the specification defines them."""
    from mcp import types

    tools = []
    for operation in toolkit.operations:
        spec = toolkit.spec(operation.name)
        write = operation.is_write
        annotations = types.ToolAnnotations(
            title=_title(operation),
            readOnlyHint=not write,
            # A message that went out cannot be called back: treated as destructive, so
            # clients confirm it. Sending again sends again: not idempotent.
            destructiveHint=True if write else None,
            idempotentHint=False if write else None,
            # Writes reach people outside the workspace; reads stay within it.
            openWorldHint=write,
        )
        tools.append(
            types.Tool(
                name=spec.name,
                title=_title(operation),
                description=spec.description,
                inputSchema=spec.parameters,
                outputSchema=spec.output_schema,
                annotations=annotations,
            )
        )
    return tools


def build_server(toolkit: CustomerIOToolkit) -> Server[Any, Any]:
    """An MCP server offering `toolkit`'s tools, made from the registry like every adapter.

    A call's errors that a model can act on (bad arguments, not found, refused by a guardrail,
    unreachable) come back as a tool result marked `isError`, in the same words LangChain and
    LlamaIndex give; the key never appears in any of them.
    """
    from mcp import types
    from mcp.server.lowlevel import Server

    server: Server[Any, Any] = Server(
        "cio-toolkit", version=__version__, instructions=toolkit.instructions
    )
    tools = tool_definitions(toolkit)

    @server.list_tools()  # type: ignore[no-untyped-call, untyped-decorator]
    async def list_tools() -> list[types.Tool]:
        return tools

    # The core checks arguments itself, naming each bad field; the SDK's own check would
    # answer first, in other words.
    @server.call_tool(validate_input=False)  # type: ignore[untyped-decorator]
    async def call_tool(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        try:
            output = await toolkit.ainvoke(name, arguments)
        except CustomerIOError as error:  # configuration errors too: the server keeps serving
            return types.CallToolResult(
                content=[types.TextContent(type="text", text=str(error))], isError=True
            )
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=output.text)],
            structuredContent=output.structured,
        )

    return server


def check_workspace(toolkit: CustomerIOToolkit) -> None:
    """Fail at start-up, not at the first call, when the key is missing or refused.

    Raises:
        ConfigurationError: no key, or Customer.io refused it (HTTP 401 or 403).
    """
    from .._errors import AuthenticationError, PermissionDeniedError

    try:
        toolkit.client.list_segments()
    except (AuthenticationError, PermissionDeniedError) as refused:
        # The advice once, in the server's words (the error's own repeats it for Python).
        raise ConfigurationError(
            f"Customer.io refused the App API key (HTTP {refused.status}). Set "
            "CUSTOMERIO_APP_API_KEY to a key from Settings > API Credentials > App API Keys, "
            "and add --region eu for a workspace in the EU region."
        ) from None
