"""The `Operation` record: one Customer.io call declared once; requests and tools derive from it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import InvalidArgumentsError
from .fields import ArgsModel, location_of

Access = Literal["read", "write"]
# Which of Customer.io's rate limits a call counts against.
Pace = Literal["general", "send", "trigger"]


class Result(BaseModel):
    """A parsed answer: typed for code, rendered compactly for the model by `for_model`."""

    # Customer.io asks integrations to ignore fields they do not know.
    model_config = ConfigDict(extra="ignore", defer_build=True)

    @classmethod
    def from_api(cls, payload: Any, args: Any) -> Any:
        return cls.model_validate(payload)

    def for_model(self) -> Any:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def to_text(self) -> str:
        """Compact JSON text: the exact tool output a model sees."""
        return json.dumps(self.for_model(), ensure_ascii=False, separators=(",", ":"))


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
        result_model: parses the answer and renders the model's text.
        access: `read` or `write`.
        method: the HTTP method.
        path: the path template, `{name}` placeholders filled from `PATH` fields.
        operation_id: the `operationId` of Customer.io's OpenAPI object for this call.
        pace: which of Customer.io's rate limits the call counts against.
        fixed_query: query parameters every call sends (`version=2`).
        not_found: what a 404 means, formatted with the arguments: it names the id and the
            next step.
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
        return self.args_model.model_json_schema(by_alias=True)

    def validate(self, arguments: Mapping[str, Any] | str | bytes | ArgsT | None) -> ArgsT:
        """Arguments as the model's typed form, or InvalidArgumentsError naming each bad field.

        Arguments may be a mapping, JSON text, or, for a tool with one required argument (or
        only one argument), that argument as plain text.
        """
        if isinstance(arguments, self.args_model):
            return arguments
        if isinstance(arguments, (str, bytes)):
            arguments = self._from_text(
                arguments.decode(errors="replace") if isinstance(arguments, bytes) else arguments
            )
        try:
            return self.args_model.model_validate(arguments or {})
        except ValidationError as exc:
            raise InvalidArgumentsError(self.name, describe_problems(exc)) from None

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

    def request_parts(self, args: ArgsT) -> RequestParts:
        values = args.model_dump(mode="json", by_alias=True, exclude_none=True)
        path_values: dict[str, str] = {}
        query: dict[str, Any] = dict(self.fixed_query)
        body: dict[str, Any] = {}
        for name, info in self.args_model.model_fields.items():
            key = info.alias or name
            if key not in values:
                continue
            where = location_of(self.args_model, name)
            if where == "path":
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

    def parse(self, payload: Any, args: ArgsT) -> ResultT:
        result: ResultT = self.result_model.from_api(payload, args)
        return result

    def not_found_message(self, args: ArgsT) -> str:
        return self.not_found.format(**dict(args))


def describe_problems(exc: ValidationError) -> list[str]:
    """One line per problem, naming the field by its API spelling; never echoing the value."""
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "arguments"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown field; see the tool's schema for the accepted ones"
        problems.append(f"{where}: {message}")
    return problems
