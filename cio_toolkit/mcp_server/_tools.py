"""The toolkit's tools as an MCP server: definitions, annotations, calls, and the start-up check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._errors import ConfigurationError, CustomerIOError, WriteToolNotOfferedError
from .._version import __version__

if TYPE_CHECKING:
    from mcp import types
    from mcp.server import Server

    from .._operation import Operation
    from .._toolkit import CustomerIOToolkit


# How long a client may keep the tool list (`ttlMs`, protocol 2026-07-28).
TOOL_LIST_TTL_MS = 5 * 60 * 1000


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
            read_only_hint=not write,
            # A message that went out cannot be called back: treated as destructive, so
            # clients confirm it. Sending again sends again: not idempotent.
            destructive_hint=True if write else None,
            idempotent_hint=False if write else None,
            # Writes reach people outside the workspace; reads stay within it.
            open_world_hint=write,
        )
        tools.append(
            types.Tool(
                name=spec.name,
                title=_title(operation),
                description=spec.description,
                input_schema=spec.parameters,
                output_schema=spec.output_schema,
                annotations=annotations,
            )
        )
    return tools


def _error(text: str) -> types.CallToolResult:
    """A call's error as the model reads it: a result marked `isError`."""
    from mcp import types

    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=True)


def build_server(toolkit: CustomerIOToolkit) -> Server[Any]:
    """An MCP server offering `toolkit`'s tools, made from the registry like every adapter.

    The SDK's low-level server answers every protocol version clients speak: the 2026-07-28
    per-request envelope (`server/discover`, no handshake) and the `initialize` handshake of
    2025-11-25 and 2025-06-18. A call's errors that a model can act on (bad arguments, not
    found, refused by a guardrail, unreachable) come back as a tool result marked `isError`,
    in the same words LangChain and LlamaIndex give; the key never appears in any of them.
    """
    from mcp import types
    from mcp.server import CacheHint, Server, ServerRequestContext

    listed = types.ListToolsResult(tools=tool_definitions(toolkit))
    input_schemas = {tool.name: tool.input_schema for tool in listed.tools}

    async def list_tools(
        context: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return listed

    # The SDK checks no arguments against the schema: the core does, naming each bad field.
    async def call_tool(
        context: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        try:
            output = await toolkit.ainvoke(params.name, params.arguments or {})
        except WriteToolNotOfferedError:  # in the words of the server's flags, not Python's
            said = (f"{params.name} can send messages and this server is read-only: it offers "
                    "write tools only when started with --write.")  # fmt: skip
            return _error(said)
        except CustomerIOError as error:  # configuration errors too: the server keeps serving
            return _error(str(error))
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=output.text)],
            structured_content=output.structured,
        )

    return Server(
        "cio-toolkit",
        version=__version__,
        instructions=toolkit.instructions,
        # The list is fixed when the server starts (its flags choose it) and is the same for
        # every caller: any client may keep it a while. Five minutes bounds how long one keeps
        # the list of a server since restarted with other flags.
        cache_hints={"tools/list": CacheHint(ttl_ms=TOOL_LIST_TTL_MS, scope="public")},
        # Over 2026-07-28 HTTP the SDK checks a call's `Mcp-Param-*` headers against the tool's
        # input schema; without this it runs (and serializes) the whole list for each call.
        get_tool_input_schema=input_schemas.get,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


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
