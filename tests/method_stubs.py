"""Writes `cio_toolkit/_methods.py`, the typed client methods, from the registry.

`python -m tests.method_stubs` (`make generate`) rewrites it; `render()` is what the architecture
tests compare it with, so an operation added without regenerating fails the suite.
"""

from __future__ import annotations

import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cio_toolkit.fields import Accepts
from cio_toolkit.operation import Operation
from cio_toolkit.operations import OPERATIONS

TARGET = Path(__file__).parent.parent / "cio_toolkit" / "_methods.py"

DOCSTRING = "The clients' typed methods, one per operation; `make generate` writes this file."
HEADER = '''"""{docstring}"""

# Do not edit: tests/method_stubs.py writes this file, and the suite fails when it drifts from
# the registry. At run time the clients make these methods from the registry itself.
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping, Sequence
    from typing import Any, Literal

{imports}
'''


def _module_alias(cls: type) -> str:
    return cls.__module__.rsplit(".", 1)[-1]


def python_type(annotation: Any) -> str:
    """What a caller may pass for a field of this type (its friendly forms included)."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        base, *metadata = get_args(annotation)
        hinted = [m for m in metadata if isinstance(m, Accepts)]
        return hinted[0].python_type if hinted else python_type(base)
    if origin in (Union, types.UnionType):
        parts = [python_type(arg) for arg in get_args(annotation)]
        return " | ".join(dict.fromkeys(part for joined in parts for part in joined.split(" | ")))
    if origin is Literal:
        return f"Literal[{', '.join(repr(value) for value in get_args(annotation))}]"
    if origin is list:
        return f"Sequence[{python_type(get_args(annotation)[0])}]"
    if origin is dict:
        return "Mapping[str, Any]"
    if annotation is type(None):
        return "None"
    if annotation is Any:
        return "Any"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"{_module_alias(annotation)}.{annotation.__name__} | Mapping[str, Any]"
    if annotation in (int, str, bool, float):
        return str(annotation.__name__)
    raise TypeError(f"no python type for {annotation!r}; teach tests/method_stubs.py")


def _parameter(name: str, info: FieldInfo) -> str:
    rendered = f"{name}: {python_type(info.rebuild_annotation())}"
    return rendered if info.is_required() else f"{rendered} = ..."


def _classes_named(operation: Operation[Any, Any]) -> Iterator[type]:
    """The classes a method's signature names, whose modules the file must import."""
    yield operation.result_model
    for info in operation.args_model.model_fields.values():
        yield from _classes(info.rebuild_annotation())


def _classes(annotation: Any) -> Iterator[type]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _classes(arg)


def _method(operation: Operation[Any, Any], prefix: str) -> str:
    parameters = [
        _parameter(name, info) for name, info in operation.args_model.model_fields.items()
    ]
    signature = ", ".join(["self", *(["*", *parameters] if parameters else [])])
    result = f"{_module_alias(operation.result_model)}.{operation.result_model.__name__}"
    return f"        {prefix}def {operation.method_name}({signature}) -> {result}: ...\n"


def render() -> str:
    """The file's whole text, formatted as `ruff format` leaves it."""
    modules = {cls.__module__ for op in OPERATIONS for cls in _classes_named(op)}
    packages: dict[str, list[str]] = {}
    for module in sorted(modules):
        package, _, name = module.removeprefix("cio_toolkit").rpartition(".")
        packages.setdefault("." + package.lstrip(".") if package else ".", []).append(name)
    imports = "\n".join(
        f"    from {package} import {', '.join(sorted(names))}"
        for package, names in sorted(packages.items())
    )
    text = HEADER.format(docstring=DOCSTRING, imports=imports)
    for cls, prefix, doc in (
        ("SyncMethods", "", "`CustomerIOClient`'s methods: each runs its operation."),
        ("AsyncMethods", "async ", "`AsyncCustomerIOClient`'s methods: each runs its operation."),
    ):
        text += f'\n\nclass {cls}:\n    """{doc}"""\n\n    if TYPE_CHECKING:\n'
        text += "\n".join(_method(op, prefix) for op in OPERATIONS)
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(TARGET), "-"],
        input=text, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return formatted.stdout


if __name__ == "__main__":
    TARGET.write_text(render())
    print(f"wrote {TARGET}")
