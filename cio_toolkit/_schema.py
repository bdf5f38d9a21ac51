"""The JSON Schema generator every tool schema comes from: inputs portable, outputs exact."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import CoreSchema

# Kept out of the input schemas a model sees: a title repeats the name; a default,
# additionalProperties, minLength and maxLength are refused by OpenAI's strict mode or Gemini's
# converter, and the core enforces every constraint anyway, with a message naming the field.
_UNSHOWN_IN_INPUTS = ("title", "default", "additionalProperties", "minLength", "maxLength")
NULL = {"type": "null"}


class ToolJsonSchema(GenerateJsonSchema):
    """Pydantic's generator, finished for tools; pass it as `schema_generator`.

    Either way `$ref`s are inlined (OpenAI and LangChain inline them anyway; Gemini refuses
    them) and titles go. Inputs (validation mode) take every provider unchanged in meaning:
    every optional field accepts `null`, meaning "not given", which is what OpenAI's strict
    mode makes of optional fields, since it requires them all. Outputs (serialization mode)
    say exactly what a tool answers: output holds no nulls, so no branch allows one, and no
    key its view does not declare, so every object is closed.
    """

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        generated = super().generate(schema, mode)
        definitions = generated.pop("$defs", {})
        inlined = _inline(generated, definitions)
        return _input(inlined) if mode == "validation" else _output(inlined)


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = _inline(definitions[node["$ref"].rsplit("/", 1)[1]], definitions)
        return {**target, **{k: _inline(v, definitions) for k, v in node.items() if k != "$ref"}}
    return {k: _inline(v, definitions) for k, v in node.items()}


def _input(node: dict[str, Any]) -> dict[str, Any]:
    shown = {k: v for k, v in node.items() if k not in _UNSHOWN_IN_INPUTS}
    if "anyOf" in shown:
        # An optional one-of-several (`X | None` where X is itself an anyOf) as one flat list.
        branches = [_input(branch) for branch in shown["anyOf"]]
        shown["anyOf"] = [
            inner for b in branches for inner in (b["anyOf"] if set(b) == {"anyOf"} else [b])
        ]
    if "items" in shown:
        shown["items"] = _input(shown["items"])
    if "properties" in shown:
        required = shown.get("required", [])
        shown["properties"] = {
            name: _input(prop) if name in required else _nullable(_input(prop))
            for name, prop in shown["properties"].items()
        }
    return shown


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    if "anyOf" in prop:
        if NULL not in prop["anyOf"]:
            prop["anyOf"].append(NULL)
        return prop
    described = {"description": prop.pop("description")} if "description" in prop else {}
    return {"anyOf": [prop, NULL], **described}


def _output(node: Any) -> Any:
    if isinstance(node, list):
        return [_output(item) for item in node]
    if not isinstance(node, dict):
        return node
    handled = ("title", "default", "properties")  # dropped, or done below
    shown = {k: _output(v) for k, v in node.items() if k not in handled}
    if "properties" in node:  # property names are data here, not keywords
        shown["properties"] = {name: _output(p) for name, p in node["properties"].items()}
        # Output is built from its view: a key the view does not declare is never in it.
        shown["additionalProperties"] = False
    branches = [b for b in shown.get("anyOf", ()) if b != NULL]
    if "anyOf" in shown and len(branches) == 1:
        del shown["anyOf"]
        return {**branches[0], **shown}
    if "anyOf" in shown:
        shown["anyOf"] = branches
    return shown
