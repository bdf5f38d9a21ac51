"""`CustomerIOToolkit`: the selected operations as framework-neutral tools, text in and text out."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

import httpx

from . import _tracing as tracing
from ._client import AsyncCustomerIOClient, CustomerIOClient
from ._errors import UnknownToolError, WriteToolNotOfferedError
from ._guardrails import (
    DEFAULT_BROADCAST_CAP,
    Audit,
    DryRunResult,
    DryRunView,
    Guardrails,
    WriteAttempt,
)
from ._instructions import instructions
from ._operation import Access, Operation, Result
from ._output import ToolOutput
from ._pacing import Pacer
from ._per_loop import PerLoop
from ._retry import RetryPolicy
from ._settings import DEFAULT_TIMEOUT, Settings
from ._views import View
from ._wire import DEFAULT_MAX_RESPONSE_BYTES
from .operations import REGISTRY, Tools, select_operations

# About 12,000 tokens: room for a 1,000-person page of ids or a few hundred campaigns, while a
# runaway answer cannot fill a model's context.
DEFAULT_MAX_OUTPUT_CHARS = 50_000

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool
    from llama_index.core.tools import FunctionTool

    from .sandbox import Sandbox

Arguments = Mapping[str, Any] | str | None
# Where framework packages declare their `tools_for(toolkit)`: `langchain`, `llamaindex`.
ADAPTERS_GROUP = "cio_toolkit.adapters"
# The frameworks' own names for "the tools", and where those are.
_NEUTRAL = "cio_toolkit.CustomerIOToolkit is the framework-neutral toolkit and has no"
_ELSEWHERE = {
    "get_tools": ".langchain_tools(), or langchain_customerio.CustomerIOToolkit (a BaseToolkit)",
    "to_tool_list": ".llamaindex_tools(), or llama_index.tools.customerio.CustomerIOToolSpec",
}


@dataclass(frozen=True)
class ToolSpec:
    """What a model is shown of one tool.

    Args:
        name: the tool's name.
        description: what it is for, including the toolkit's guardrails on writes.
        parameters: the JSON schema of its arguments.
        access: `read` or `write`.
        output_view: the type of its structured output (`ToolOutput.structured`).
        deferred: whether a provider's tool search should load it only when the model looks
            for it (LangChain's `extras["defer_loading"]`), instead of on every turn.
    """

    name: str
    description: str
    parameters: dict[str, Any]
    access: Access
    output_view: type[View]
    deferred: bool = False

    @property
    def output_schema(self) -> dict[str, Any]:
        """The JSON schema of its structured output: generated when asked for (by MCP), not
        for every framework that only shows the model its inputs."""
        return self.output_view.output_schema()


def adapted(toolkit: CustomerIOToolkit, framework: str, package: str) -> Any:
    """`toolkit`'s tools as the installed adapter for `framework` makes them.

    Raises:
        ImportError: no installed package declares that adapter; names the one to install.
    """
    from importlib.metadata import entry_points

    missing = f"{framework} tools need the {package} package: pip install {package}"
    found = entry_points(group=ADAPTERS_GROUP, name=framework)
    if not found:
        raise ImportError(missing)
    try:
        tools_for = next(iter(found)).load()
    except ModuleNotFoundError as error:  # declared, but it (or its framework) is not there
        raise ImportError(f"{missing} ({error})") from error
    return tools_for(toolkit)


class CustomerIOToolkit:
    """Customer.io's App API as agent tools: the read-only set by default, or read/write.

    `specs` is what a model is shown; `invoke`/`ainvoke` run a tool and return its `ToolOutput`
    (the text a model sees, the same as structured JSON, and the typed result), `call`/`acall`
    the text alone, `run`/`arun` the typed result alone; `langchain_tools()` and
    `llamaindex_tools()` give the same tools to each framework.

    Args:
        api_key: the App API key; default `CUSTOMERIO_APP_API_KEY`.
        region: `us` or `eu`; default `CUSTOMERIO_REGION`, else `us`.
        base_url: overrides the region's host (proxies, the sandbox server); default
            `CUSTOMERIO_BASE_URL`.
        read_only: offer no write tool at all (the default).
        tools: which tools: a preset, `"core"` (default: the first eight tools, plus, with
            writes on, the four that check what writes did) or `"all"`; or a list of tool
            names, presets and `Operation`s of your own.
        rate_limit: `True` paces calls under Customer.io's limits, one budget per workspace in
            this process (or in the Redis of `CUSTOMERIO_RATE_LIMIT_URL`, when set);
            `"redis://host:port/db"` shares one budget with every process on the same key;
            `False` sends at once; or a `Pacer`.
        timeout: seconds each attempt may take in all (connecting, sending, reading the whole
            answer).
        retry: bounds on retrying (`RetryPolicy`).
        max_response_bytes: the largest answer read (decompressed); a larger one is an error.
        max_output_chars: the most text a model is given per call; longer output is cut to fit,
            and says so and how to ask for less.
        transport: an httpx transport for both clients (the sandbox's, or a mock in tests).
        dry_run: write tools return the request they would send, and send nothing.
        allow_recipients: domains (`example.com`, subdomains included) or addresses that writes
            may reach; anything else is refused.
        max_broadcast_recipients: how many recipients a broadcast may name inline (`None`: the
            API's own 10,000).
        send_to_unsubscribed: whether sends reach people who unsubscribed. `None` (default):
            a template's own setting decides, and content a model wrote itself reaches no
            unsubscribed person; `True`/`False`: every send. A model cannot choose.
        audit: called with a `WriteAttempt` for every write attempted, whatever its outcome.
        audit_bodies: include the arguments (subjects, bodies, Liquid data) in audit records.
        clock: Unix seconds now, the one reading windows relative to now ("the last 30 days")
            are resolved against; default the system clock.
        defer: leave tools to the provider's own tool search (Anthropic's and OpenAI's, through
            LangChain's `extras["defer_loading"]` and `ProviderToolSearchMiddleware`): `True`
            defers every tool outside preset `core`; a preset or list of names defers every
            tool outside it. Default `False`: every tool is sent on every turn.
        trace_content: put each call's arguments and the text it gave back on its
            OpenTelemetry span (personal data: off by default; `None` reads
            `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`). Spans themselves are
            made whenever opentelemetry-api is installed, and go wherever the program's tracer
            provider sends them (nowhere, until it sets one).

    Raises:
        ConfigurationError: no key, an unknown region, or a malformed base URL or timeout.
        UnknownToolError: `tools` names a tool that does not exist, or a write tool while
            `read_only`.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        region: str | None = None,
        base_url: str | None = None,
        read_only: bool = True,
        tools: Tools = None,
        rate_limit: bool | str | Pacer = True,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_output_chars: int = DEFAULT_MAX_OUTPUT_CHARS,
        # One transport for both clients (it serves sync and async): the sandbox, or a mock.
        transport: httpx.MockTransport | None = None,
        # Guardrails on the write tools (see guardrails.py); none is visible to the model.
        dry_run: bool = False,
        allow_recipients: Iterable[str] | None = None,
        max_broadcast_recipients: int | None = DEFAULT_BROADCAST_CAP,
        send_to_unsubscribed: bool | None = None,
        audit: Callable[[WriteAttempt], None] | None = None,
        audit_bodies: bool = False,
        clock: Callable[[], float] = time.time,
        defer: bool | Tools = False,
        trace_content: bool | None = None,
    ) -> None:
        self.settings = Settings.resolve(api_key, region=region, base_url=base_url, timeout=timeout)
        self.read_only = read_only
        self.operations = select_operations(read_only, tools)
        # The tools sent on every turn when some are deferred: those of `defer`'s own choice.
        kept = None if defer is False else select_operations(read_only, "core" if defer is True
                                                             else defer)  # fmt: skip
        self.deferred = frozenset(
            () if kept is None else {op.name for op in self.operations} - {op.name for op in kept}
        )
        self.guardrails = Guardrails.build(
            allow_recipients,
            dry_run=dry_run,
            max_broadcast_recipients=max_broadcast_recipients,
            send_to_unsubscribed=send_to_unsubscribed,
            audit=audit,
            audit_bodies=audit_bodies,
        )
        self.max_output_chars = max_output_chars
        self.clock = clock
        self.trace_content = tracing.content_recorded(trace_content)
        # Both clients resolve `True` (or the same Redis URL) to the same per-workspace pacer,
        # so they share one budget.
        self._client_options: dict[str, Any] = {
            "settings": self.settings,
            "rate_limit": rate_limit,
            "retry": retry,
            "max_response_bytes": max_response_bytes,
            "clock": clock,
        }
        self._transport = transport
        self._client: CustomerIOClient | None = None
        self._async_clients = PerLoop(
            lambda: AsyncCustomerIOClient(transport=transport, **self._client_options)
        )

    @classmethod
    def sandbox(cls, workspace: Sandbox | None = None, **options: Any) -> CustomerIOToolkit:
        """A toolkit on an emulated workspace in this process: no account, no network.

        Takes the constructor's options (read_only, tools, guardrails...). Pass your own
        `Sandbox()` to read its outbox or inject faults. The sandbox is only ever used when asked
        for by name, never as a fallback for a missing key.
        """
        from .sandbox import SANDBOX_KEY, SANDBOX_URL, Sandbox

        chosen = workspace if workspace is not None else Sandbox()
        return cls(SANDBOX_KEY, base_url=SANDBOX_URL, transport=chosen.transport(), **options)

    def __repr__(self) -> str:
        return (
            f"CustomerIOToolkit(base_url={self.settings.base_url!r}, read_only={self.read_only}, "
            f"tools={[op.name for op in self.operations]})"
        )

    # -- what the model is shown -----------------------------------------------------------------

    @property
    def instructions(self) -> str:
        """What to tell a model about these tools as a whole (a system prompt's paragraph; an
        MCP server's instructions): their use, the toolsets there are, what none can answer."""
        return instructions(self.operations)

    @property
    def specs(self) -> list[ToolSpec]:
        """What a model is shown of each selected tool."""
        return [self.spec(op.name) for op in self.operations]

    def spec(self, name: str) -> ToolSpec:
        """What a model is shown of one tool, this toolkit's limits on writes included;
        UnknownToolError if this toolkit lacks it."""
        op = self.operation(name)
        description = " ".join(filter(None, (op.description, self.guardrails.disclosure(op))))
        # A dry run answers every write with the request it would have sent.
        dry = self.guardrails.dry_run and op.is_write
        output = DryRunView if dry else op.view_model
        return ToolSpec(
            op.name, description, op.parameters, op.access, output, op.name in self.deferred
        )

    def operation(self, name: str) -> Operation[Any, Any]:
        """The selected operation called `name`; UnknownToolError names the ones there are."""
        for op in self.operations:
            if op.name == name:
                return op
        if self.read_only and name in REGISTRY and REGISTRY[name].is_write:
            raise WriteToolNotOfferedError(
                f"{name} can send messages and this toolkit is read-only; build it with "
                "read_only=False to offer write tools.",
                [name],
            )
        raise UnknownToolError(
            f"No tool named {name!r} in this toolkit; its tools are "
            f"{', '.join(op.name for op in self.operations)}."
        )

    # -- calling ---------------------------------------------------------------------------------

    @property
    def client(self) -> CustomerIOClient:
        """The sync client behind the tools (made on first use)."""
        if self._client is None:
            self._client = CustomerIOClient(transport=self._transport, **self._client_options)
        return self._client

    @property
    def async_client(self) -> AsyncCustomerIOClient:
        """The async client for the running event loop; it shares the sync client's pacing.

        httpx's pooled connections belong to the loop that opened them, so each event loop
        (a notebook's, each `asyncio.run`, each thread's) gets its own client, reused by every
        call on that loop and closed when the loop shuts down.
        """
        return self._async_clients.get()

    def run(self, name: str, arguments: Arguments = None, *, call_id: str | None = None) -> Result:
        """Run a tool and return its typed result; errors raise as in `call`. `call_id` is the
        model's id for this call, for its trace span (`gen_ai.tool.call.id`)."""
        with self._calling(name, arguments, call_id) as (op, audit, span):
            audit.arguments = args = self.guardrails.prepare(op, arguments, self.clock())
            result = self._dry_run(op, args) or self.client.perform(op, args, audit.request_left)
            self._finish(name, audit, span, result)
        return result

    async def arun(
        self, name: str, arguments: Arguments = None, *, call_id: str | None = None
    ) -> Result:
        """`run` for asyncio programs."""
        with self._calling(name, arguments, call_id) as (op, audit, span):
            audit.arguments = args = self.guardrails.prepare(op, arguments, self.clock())
            client = self.async_client
            result = self._dry_run(op, args) or await client.perform(op, args, audit.request_left)
            self._finish(name, audit, span, result)
        return result

    @contextmanager
    def _calling(
        self, name: str, arguments: Arguments, call_id: str | None
    ) -> Iterator[tuple[Operation[Any, Any], Audit, tracing.ToolCallSpan]]:
        """One call's span (when tracing), around its audit record (for a write)."""
        op = self.operation(name)
        with (
            tracing.tool_call(op, arguments, call_id, self.trace_content) as span,
            self.guardrails.audited(op, arguments, span.write_outcome) as audit,
        ):
            yield op, audit, span

    def _finish(self, name: str, audit: Audit, span: tracing.ToolCallSpan, result: Result) -> None:
        audit.done("dry_run" if isinstance(result, DryRunResult) else "sent", result)
        if span.record_content:
            span.result(self._output(name, result).text)

    def _dry_run(self, op: Operation[Any, Any], args: Any) -> Result | None:
        return self.guardrails.dry_run_result(op, args, self.settings.base_url)

    def invoke(
        self, name: str, arguments: Arguments = None, *, call_id: str | None = None
    ) -> ToolOutput:
        """Run a tool: its text for the model, its structured output and its typed result.

        Args:
            name: the tool's name.
            arguments: a mapping, JSON text, or a plain string for a tool with one argument.
            call_id: the model's id for this call, for its trace span, where the framework
                gives one.

        Raises:
            InvalidArgumentsError: bad arguments, or a guardrail refused the write; nothing sent.
            CustomerIOError: what Customer.io or the network did; `str(error)` is for the model.
        """
        return self._output(name, self.run(name, arguments, call_id=call_id))

    async def ainvoke(
        self, name: str, arguments: Arguments = None, *, call_id: str | None = None
    ) -> ToolOutput:
        """`invoke` for asyncio programs."""
        return self._output(name, await self.arun(name, arguments, call_id=call_id))

    def call(self, name: str, arguments: Arguments = None) -> str:
        """Run a tool and return exactly the text a model sees; raises as `invoke` does."""
        return self.invoke(name, arguments).text

    async def acall(self, name: str, arguments: Arguments = None) -> str:
        """`call` for asyncio programs."""
        return (await self.ainvoke(name, arguments)).text

    def _output(self, name: str, result: Result) -> ToolOutput:
        return ToolOutput.of(result, self.max_output_chars, self.operation(name).narrow)

    # -- framework adapters (found by entry point: the core imports none of them) ----------

    def langchain_tools(self) -> list[BaseTool]:
        """The selected tools as LangChain `BaseTool`s (needs langchain-customerio)."""
        return adapted(self, "langchain", "langchain-customerio")  # type: ignore[no-any-return]

    def llamaindex_tools(self) -> list[FunctionTool]:
        """The selected tools as LlamaIndex `FunctionTool`s (needs llama-index-tools-customerio)."""
        return adapted(self, "llamaindex", "llama-index-tools-customerio")  # type: ignore[no-any-return]

    # Defined only to say which toolkit this is: a `__getattr__` would blind type checkers.
    def get_tools(self) -> NoReturn:
        """Raises AttributeError naming `.langchain_tools()` and LangChain's toolkit."""
        raise AttributeError(f"{_NEUTRAL} get_tools(); use {_ELSEWHERE['get_tools']}.")

    def to_tool_list(self) -> NoReturn:
        """Raises AttributeError naming `.llamaindex_tools()` and LlamaIndex's tool spec."""
        raise AttributeError(f"{_NEUTRAL} to_tool_list(); use {_ELSEWHERE['to_tool_list']}.")

    # -- lifetime --------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the sync client, and the async ones on event loops still running."""
        if self._client is not None:
            self._client.close()
        self._async_clients.close_all()

    async def aclose(self) -> None:
        """Close every client; this loop's is closed before returning."""
        self.close()
        await self._async_clients.aclose_this_loop()

    def __enter__(self) -> CustomerIOToolkit:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> CustomerIOToolkit:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
