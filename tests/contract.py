"""Customer.io's own OpenAPI operation objects (copied from shared/openapi) as a request checker.

Each check takes the operation's `operationId`, which every `Operation` record carries.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
from openapi_schema_validator import OAS31Validator

SPEC_DIR = Path(__file__).parent / "openapi"


@cache
def spec(operation_id: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SPEC_DIR / f"{operation_id}.json").read_text())
    return loaded


def any_of(schema: Any) -> Any:
    """oneOf read as anyOf: the document's variants overlap (its filter grammar repeats a variant,
    and version 1 and 2 metrics share a shape), so strict oneOf rejects valid documents."""
    if isinstance(schema, list):
        return [any_of(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {("anyOf" if k == "oneOf" else k): any_of(v) for k, v in schema.items()}


def closed(schema: Any, in_all_of: bool = False) -> Any:
    """The schema with every object closed to undeclared keys ("send only documented keys").

    The document's variants declare no required keys and no closed objects, so without this any
    body would match every variant. `unevaluatedProperties` sees through allOf, so it is added
    everywhere except on allOf's own members.
    """
    if isinstance(schema, list):
        return [closed(item, in_all_of) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {
        ("anyOf" if k == "oneOf" else k): closed(v, in_all_of=(k == "allOf"))
        if k != "properties"
        else {name: closed(sub) for name, sub in v.items()}
        for k, v in schema.items()
    }
    is_object = (
        "properties" in schema
        or "allOf" in schema
        or (any(k in schema for k in ("oneOf", "anyOf")) and schema.get("type") == "object")
    )
    if is_object and not in_all_of and "additionalProperties" not in schema:
        result["unevaluatedProperties"] = False
    return result


def _coerce(value: str, schema: dict[str, Any]) -> Any:
    """A query value as the type its schema declares: `3` an integer, `true` a boolean."""
    if schema.get("type") == "integer":
        return int(value)
    if schema.get("type") == "boolean":
        return {"true": True, "false": False}.get(value, value)
    return value


def check_request(operation_id: str, request: httpx.Request) -> None:
    """Assert the request is one the OpenAPI object allows; raises AssertionError."""
    doc = spec(operation_id)
    operation = doc["operation"]
    assert request.method.lower() == doc["method"], f"{operation_id}: method {request.method}"
    assert request.headers["authorization"].startswith("Bearer "), "missing bearer auth"

    pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", doc["path"]) + "$"
    match = re.match(pattern, request.url.path)
    assert match, f"{operation_id}: path {request.url.path} is not {doc['path']}"

    parameters = doc["path_item"].get("parameters", []) + (operation.get("parameters") or [])
    declared = {(p["in"], p["name"]): p for p in parameters}
    for name, raw in match.groupdict().items():
        param = declared[("path", name)]
        OAS31Validator(param["schema"]).validate(_coerce(unquote(raw), param["schema"]))
    query = dict(request.url.params)
    for name, value in query.items():
        assert ("query", name) in declared, f"{operation_id}: undeclared query parameter {name}"
        schema = declared[("query", name)]["schema"]
        OAS31Validator(schema).validate(_coerce(value, schema))
    for (where, name), param in declared.items():
        if where == "query" and param.get("required"):
            assert name in query, f"{operation_id}: required query parameter {name} missing"

    if "requestBody" in operation:
        body_schema = operation["requestBody"]["content"]["application/json"]["schema"]
        body = json.loads(request.content)
        OAS31Validator(closed(body_schema)).validate(body)
        for key in body_schema.get("required", []):
            assert key in body, f"{operation_id}: body lacks required {key}"
    else:
        assert not request.content, f"{operation_id}: a body on a {request.method}"


def check_response(operation_id: str, payload: Any, status: int = 200) -> None:
    """Assert a response body we feed the client is one the document allows."""
    content = spec(operation_id)["operation"]["responses"][str(status)]["content"]
    OAS31Validator(any_of(content["application/json"]["schema"])).validate(payload)


# Statuses every operation may answer (the document's global rules), and ones the docs pages or
# customerio-app-api.md describe although the operation object does not declare them.
ANY_OPERATION = {"401", "429"}
ALSO_ANSWERED = {
    ("getPeopleFilter", "400"),
    # id_type's own description: email or phone where not enabled "returns `400`".
    ("getPersonAttributes", "400"),
    ("getPersonMessages", "400"),
    ("getPersonSegments", "400"),
}


def _is_error_family(body: Any) -> bool:
    """One of Customer.io's error bodies: {"meta": {"error"|"errors"}} or {"errors": [...]}."""
    if not isinstance(body, dict) or len(body) != 1:
        return False
    if "meta" in body:
        return isinstance(body["meta"], dict) and bool({"error", "errors"} & set(body["meta"]))
    errors = body.get("errors")
    return isinstance(errors, list) and all(isinstance(e, (dict, str)) for e in errors)


def check_answer(operation_id: str, response: httpx.Response) -> None:
    """Assert a whole answer (status and body) is one the operation's document allows."""
    status = str(response.status_code)
    declared = spec(operation_id)["operation"]["responses"]
    allowed = (
        status in declared or status in ANY_OPERATION or (operation_id, status) in ALSO_ANSWERED
    )
    assert allowed, f"{operation_id}: status {status} is not documented"
    content = declared.get(status, {}).get("content")
    if content is not None:
        schema = content["application/json"]["schema"]
        OAS31Validator(any_of(schema)).validate(response.json())
    elif response.content:
        assert _is_error_family(response.json()), f"{operation_id}: {status} body {response.text}"


def response_example(operation_id: str) -> Any:
    """The document's own 200 example, where it has one."""
    content = spec(operation_id)["operation"]["responses"]["200"]["content"]
    schema = content["application/json"]["schema"]
    return content["application/json"].get("example", schema.get("example"))


@cache
def _routes() -> list[tuple[str, re.Pattern[str], str]]:
    routes = []
    for path in sorted(SPEC_DIR.glob("*.json")):
        doc = json.loads(path.read_text())
        if "operation" in doc:
            pattern = re.compile(re.sub(r"\{(\w+)\}", r"[^/]+", doc["path"]) + "$")
            routes.append((doc["method"].upper(), pattern, doc["operation"]["operationId"]))
    return routes


def operation_for(request: httpx.Request) -> str:
    """The operationId a request is for, from the documents' own paths."""
    return documented(request.method, request.url.path)


def documented(method: str, path: str) -> str:
    """The operationId of a method and (decoded) path, from the documents' own paths."""
    for known, pattern, operation_id in _routes():
        if known == method and pattern.match(path):
            return operation_id
    raise AssertionError(f"no documented operation for {method} {path}")
