"""The `Operation` record: one Customer.io call declared once; requests and tools derive from it."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, Literal, TypeVar, get_origin, get_type_hints
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.json_schema import SkipJsonSchema

from ._errors import InvalidArgumentsError
from ._fields import ArgsModel, location_of, name_matches
from ._views import View

Access = Literal["read", "write"]
# Which of Customer.io's rate limits a call counts against.
Pace = Literal["general", "send", "trigger"]


class Result(BaseModel):
    """A parsed answer: typed for code (every field as Customer.io gave it), shown to the model
    as its `view()`."""

    # Customer.io asks integrations to ignore fields they do not know.
    model_config = ConfigDict(extra="ignore", defer_build=True)

    @classmethod
    def from_api(cls, payload: Any, args: Any) -> Any:
        return cls.model_validate(payload)

    def view(self) -> View:
        """What the model is shown; the return annotation names the view type, whose schema
        MCP clients are given."""
        raise NotImplementedError(f"{type(self).__name__} is not shown to a model")

    def joined(self, part: Result) -> Result:
        """This result completed by the answer of a follow-up call (`Operation.then`, or
        `Operation.each`)."""
        raise NotImplementedError(f"{type(self).__name__} takes no follow-up answers")

    def each_args(self, args: Any) -> list[ArgsModel]:
        """The arguments of each call of `Operation.each` this answer asks for (one campaign's
        metrics per campaign listed). Default none."""
        return []


class Collection(Result):
    """A collection the API lists whole, kept to what the arguments' `name` (any case, part of
    the name) and `state` ask for; it remembers how many there were, for a `Listing`."""

    in_all: SkipJsonSchema[int] = Field(0, exclude=True)
    asked: SkipJsonSchema[str | None] = Field(None, exclude=True)

    @classmethod
    def from_api(cls, payload: Any, args: Any) -> Any:
        listed = cls.model_validate(payload)
        key = listed._items_field()
        items = getattr(listed, key)
        name, state = getattr(args, "name", None), getattr(args, "state", None)
        kept = [
            item
            for item in items
            if name_matches(item.name, name) and state in (None, getattr(item, "state", None))
        ]
        wanted = ([f"a name containing {name!r}"] if name else []) + (
            [f"state {state}"] if state else []
        )
        return listed.model_copy(
            update={key: kept, "in_all": len(items), "asked": " and ".join(wanted) or None}
        )

    @classmethod
    def _items_field(cls) -> str:
        return next(n for n, f in cls.model_fields.items() if get_origin(f.annotation) is list)

    def unmatched(self) -> dict[str, Any]:
        """A `Listing`'s `in_all` and `note`, where a filter matched nothing there is."""
        key = self._items_field()
        if getattr(self, key) or not self.asked or not self.in_all:
            return {}
        note = f"none of the {self.in_all:,} {key} has {self.asked}; ask without it to see them"
        return {"in_all": self.in_all, "note": note}


ArgsT = TypeVar("ArgsT", bound=ArgsModel)
ResultT = TypeVar("ResultT", bound=Result)


@dataclass(frozen=True)
class RequestParts:
    method: str
    path: str
    query: dict[str, Any]
    body: dict[str, Any] | None


@dataclass(frozen=True, eq=False)
class Operation(Generic[ArgsT, ResultT]):
    """One tool: its name and description for the model, its arguments, its HTTP call.

    Everything else derives from this record: the request, the client method (named after the
    tool without its `customerio_` prefix), the framework tools and the contract check, which
    finds Customer.io's OpenAPI object by `operation_id`.

    Args:
        name: the tool's name (public API: `customerio_...`).
        description: when to use the tool, for the model; the args model documents parameters.
        args_model: the arguments, spelled as the API spells them; its fields say where each
            goes (`PATH`, `QUERY`, `LOCAL`; the rest is the JSON body).
        result_model: parses the answer; its `view()` is what the model is shown.
        access: `read` or `write`.
        method: the HTTP method.
        path: the path template, `{name}` placeholders filled from `PATH` fields.
        operation_id: the `operationId` of Customer.io's OpenAPI object for this call.
        pace: which of Customer.io's rate limits the call counts against.
        fixed_query: query parameters every call sends (`version=2`).
        not_found: what a 404 means, formatted with the arguments: it names the id and the
            next step.
        verify: for a write, how to find out whether it went out when its answer was lost,
            formatted with the arguments: it names the tool that checks.
        narrow: how to ask for less, told to the model when its output had to be cut.
        unprocessable: what to do after a 422, formatted with the arguments, in place of the
            general advice.
        bad_request: what to do after a 400, likewise (a person looked up by an identifier
            the workspace does not use).
        checks: for a write, the tools that show what it did (the ones its answer and
            `verify` name): a toolkit offering the write offers them too.
        then: further calls with the same arguments; each answer is joined to the result.
        variants: the same question asked of one object at its own path (a campaign's
            deliveries for the workspace's): the first variant whose path ids the arguments
            all give is called instead, with the same arguments.
        cached: a GET whose answer never changes (an archived copy): each client answers it
            again from memory, as Customer.io allows few of them a day.
        each: a call made once per item the answer asks for (`Result.each_args`: a
            comparison's metrics call per campaign), one after another, paced; each answer
            is joined to the result.
    """

    name: str
    description: str
    args_model: type[ArgsT]
    result_model: type[ResultT]
    access: Access
    method: Literal["GET", "POST"]
    path: str
    operation_id: str
    pace: Pace = "general"
    fixed_query: Mapping[str, str] = field(default_factory=dict)
    # What a 404 means here, formatted with the arguments; it names the id and the next step.
    not_found: str = "Customer.io found nothing at that id."
    # How to find out whether a write that may have arrived did: the end of DeliveryUnknownError.
    verify: str = "check Customer.io before trying again."
    # How a model can ask for less when the output is too long for it.
    narrow: str = "ask for less"
    # What to do after a 422 (formatted with the arguments), where the general advice is wrong.
    unprocessable: str | None = None
    # What to do after a 400 (formatted with the arguments), where the general advice is vague.
    bad_request: str | None = None
    # For a write, the tools that show what it did; they come with it into every toolkit.
    # (Which jobs' presets offer a tool is the registry's table, `operations.PRESETS`.)
    checks: tuple[str, ...] = ()
    # Further calls, with the same arguments, whose answers complete the result
    # (`Result.joined`): a trigger's status, then its errors.
    then: tuple[Operation[Any, Any], ...] = ()
    # The same call for one object, at its own path (`/v1/campaigns/{campaign_id}/messages`
    # for `/v1/messages`): an argument named in a variant's path goes there, wherever else
    # it would go.
    variants: tuple[Operation[Any, Any], ...] = ()
    # A call made per item of the answer (a comparison's metrics per campaign).
    each: Operation[Any, Any] | None = None
    # An answer that never changes, kept by each client (a delivery's archived copy).
    cached: bool = False

    @property
    def is_write(self) -> bool:
        return self.access == "write"

    @property
    def method_name(self) -> str:
        """The client method for this operation: `client.list_segments()`."""
        return self.name.removeprefix("customerio_")

    @cached_property
    def parameters(self) -> dict[str, Any]:
        """The JSON schema of the arguments, as a framework would show it to a model."""
        from ._schema import ToolJsonSchema  # built when a framework first asks, not at import

        return self.args_model.model_json_schema(by_alias=True, schema_generator=ToolJsonSchema)

    @cached_property
    def view_model(self) -> type[View]:
        """The type of what the tool answers: `result_model.view`'s return annotation."""
        return get_type_hints(self.result_model.view)["return"]  # type: ignore[no-any-return]

    @property
    def output_schema(self) -> dict[str, Any]:
        """The JSON Schema of what the tool answers: MCP's `outputSchema`."""
        return self.view_model.output_schema()

    def validate(
        self, arguments: Mapping[str, Any] | str | bytes | ArgsT | None, now: float | None = None
    ) -> ArgsT:
        """Arguments as the model's typed form, or InvalidArgumentsError naming each bad field.

        Arguments may be a mapping, JSON text, or, for a tool with only one argument, that
        argument as plain text. Whatever JSON cannot carry (a lone surrogate, NaN, Infinity) is
        refused too, wherever it is, rather than sent mangled. Windows relative to now are
        resolved against `now` (Unix seconds; default the system clock: see `ArgsModel.resolved`).
        """
        if isinstance(arguments, (str, bytes)):
            arguments = self._from_text(
                arguments.decode(errors="replace") if isinstance(arguments, bytes) else arguments
            )
        if isinstance(arguments, self.args_model):
            args = arguments
        else:
            try:
                args = self.args_model.model_validate(arguments or {})
            except ValidationError as exc:
                raise InvalidArgumentsError(self.name, describe_problems(exc)) from None
        problems = unrepresentable(args.model_dump(by_alias=True, exclude_none=True))
        if problems:
            raise InvalidArgumentsError(self.name, problems)
        try:
            return args.resolved(time.time() if now is None else now)
        except ValueError as exc:
            said = str(exc)
            raise InvalidArgumentsError(
                self.name, [said if _NAMES_A_FIELD.match(said) else f"arguments: {said}"]
            ) from None

    def _from_text(self, text: str) -> Any:
        """Text arguments: a JSON object, or the value of a tool's only argument."""
        stripped = text.strip()
        if not stripped:
            return {}
        if stripped.startswith("{"):
            try:
                return json.loads(stripped)
            except ValueError as exc:
                raise InvalidArgumentsError(
                    self.name, [f"arguments: Invalid JSON ({exc})"]
                ) from None
            except RecursionError:  # nested past the parser's depth: refused, nothing sent
                raise InvalidArgumentsError(
                    self.name, ["arguments: nested too deeply to read"]
                ) from None
        properties: dict[str, Any] = self.parameters.get("properties", {})
        if len(properties) == 1:
            return {next(iter(properties)): stripped}
        raise InvalidArgumentsError(
            self.name, [f"arguments: give a JSON object, not plain text: {self.shape()}"]
        )

    def shape(self) -> str:
        """The arguments' JSON shape in one line, for messages: `{"campaign_id": 0, ...}`."""
        schema = self.parameters
        placeholders = {
            "string": '"…"', "integer": "0", "number": "0", "boolean": "false",
            "object": "{…}", "array": "[…]",
        }  # fmt: skip
        fields = [
            f'"{name}": {placeholders.get(str(prop.get("type")), "…")}'
            for name, prop in schema.get("properties", {}).items()
        ]
        required = ", ".join(schema.get("required", [])) or "none"
        return "{" + ", ".join(fields) + "} (required: " + required + ")"

    @cached_property
    def path_ids(self) -> frozenset[str]:
        """The names of the path's `{placeholders}`."""
        return frozenset(re.findall(r"\{(\w+)\}", self.path))

    def variant_for(self, args: ArgsModel) -> Operation[Any, Any]:
        """The call these arguments make: the first variant whose path ids they all give,
        else this operation."""
        if not self.variants:  # most operations: nothing to choose, on every call's path
            return self
        given = {name for name in self.args_model.model_fields if getattr(args, name) is not None}
        return next((v for v in self.variants if v.path_ids <= given), self)

    def request_parts(self, args: ArgsT) -> RequestParts:
        """The request these arguments make (at the path of the variant they choose)."""
        chosen = self.variant_for(args)
        if chosen is not self:
            return chosen.request_parts(args)
        values = args.model_dump(mode="json", by_alias=True, exclude_none=True)
        path_values: dict[str, str] = {}
        query: dict[str, Any] = dict(self.fixed_query)
        body: dict[str, Any] = {}
        for name, info in self.args_model.model_fields.items():
            key = info.alias or name
            if key not in values:
                continue
            where = "path" if name in self.path_ids else location_of(self.args_model, name)
            if where == "path":
                if name in self.path_ids:  # else another variant's id, not this call's
                    path_values[name] = quote(str(values[key]), safe="")
            elif where == "query":
                query[key] = values[key]
            elif where == "body":
                body[key] = values[key]
        return RequestParts(
            method=self.method,
            path=self.path.format(**path_values),
            query=query,
            body=body if self.method == "POST" else None,
        )

    def follow_up_args(self, args: ArgsModel) -> ArgsT:
        """This (follow-up) operation's arguments, taken from the main operation's."""
        given = args.model_dump(by_alias=True, exclude_none=True)
        names = {info.alias or name for name, info in self.args_model.model_fields.items()}
        return self.args_model.model_validate({k: v for k, v in given.items() if k in names})

    def parse(self, payload: Any, args: ArgsT) -> ResultT:
        result: ResultT = self.result_model.from_api(payload, args)
        return result

    def not_found_message(self, args: ArgsT) -> str:
        return self.not_found.format(**dict(args))

    def verify_message(self, args: ArgsT) -> str:
        return self.verify.format(**dict(args))

    def advice_message(self, status: int, args: ArgsT) -> str | None:
        """This operation's own advice after a 400 or 422, formatted with the arguments."""
        advice = {400: self.bad_request, 422: self.unprocessable}.get(status)
        return None if advice is None else advice.format(**dict(args))


_NAMES_A_FIELD = re.compile(r"^[A-Za-z_][\w.]*: ")


_FIELD_NAME = re.compile(r"^[A-Za-z_]\w*$")


LONE_SURROGATE = "holds a lone surrogate (\\ud800-\\udfff), which is not text"


def describe_problems(exc: ValidationError) -> list[str]:
    """One line per problem, naming the field by its API spelling; never echoing the value.

    Where a field takes one of several types, pydantic reports each type's complaint under its
    own name (`id.int`, `id.str`); those come back as one line for the field.
    """
    by_field: dict[str, list[str]] = {}
    for error in exc.errors(include_input=False, include_url=False):
        path = [str(p) for p in error["loc"] if isinstance(p, int) or _FIELD_NAME.match(str(p))]
        where = ".".join(path) or "arguments"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown field; see the tool's schema for the accepted ones"
        elif error["type"] == "string_unicode":  # a text field's own check; same words as below
            message = LONE_SURROGATE
        if not error["loc"] and _NAMES_A_FIELD.match(message):
            where, _, message = message.partition(": ")  # a rule across fields names its own
        said = by_field.setdefault(where, [])
        if message not in said:
            said.append(message)
    return [f"{where}: {', or '.join(_meant(said))}" for where, said in by_field.items()]


def _meant(said: list[str]) -> list[str]:
    """Of a union's complaints, the ones about the value rather than about its type: a value
    of the right type for one member is about that member's rules, not the others' types."""
    rules = [message for message in said if not message.startswith("Input should be")]
    return rules or said


def unrepresentable(value: Any, where: str = "") -> list[str]:
    """What in `value` JSON cannot carry, by field: lone surrogates, NaN and Infinity."""
    here = where or "arguments"
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return [f"{here}: {LONE_SURROGATE}"]
        return []
    if isinstance(value, float) and not math.isfinite(value):
        return [f"{here}: NaN and Infinity are not JSON numbers"]
    if isinstance(value, Mapping):
        found = []
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            found += unrepresentable(key, where) if isinstance(key, str) else []
            found += unrepresentable(item, path)
        return found
    if isinstance(value, (list, tuple)):
        return [p for i, item in enumerate(value) for p in unrepresentable(item, f"{here}.{i}")]
    return []
