"""Writes the clients' methods (`cio_toolkit/_methods.py`) and the registry's catalog
(`cio_toolkit/operations/_catalog.py`) from the operations the resource modules declare.

`python .ci/methods.py` (`make generate`) rewrites both; `--check` (run by `make lint` and the
suite) fails when either has drifted, as httpcore checks its generated sync code. Each method is
real: its tool's description as docstring, its arguments by name.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import textwrap
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic import BaseModel  # noqa: E402
from pydantic.fields import FieldInfo  # noqa: E402
from pydantic_core import PydanticUndefined  # noqa: E402

from cio_toolkit._fields import Accepts  # noqa: E402
from cio_toolkit._operation import Operation  # noqa: E402
from cio_toolkit.operations import MODULES  # noqa: E402

OPERATIONS: tuple[Operation[Any, Any], ...] = tuple(
    op
    for name in MODULES
    for op in __import__(f"cio_toolkit.operations.{name}", fromlist=["OPERATIONS"]).OPERATIONS
)

TARGET = ROOT / "cio_toolkit" / "_methods.py"
CATALOG = ROOT / "cio_toolkit" / "operations" / "_catalog.py"

CATALOG_HEADER = '''"""Every operation's tool name, module, access and checks, in registry order."""

# Do not edit: .ci/methods.py (`make generate`) writes this file from the resource modules, and
# `make lint` fails when it drifts. The registry reads it to name, select and find operations
# without importing the modules that declare them.
from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    """Where an operation is declared, and what choosing it needs to know."""

    module: str
    access: str
    checks: tuple[str, ...]


CATALOG: dict[str, Entry] = {{
{entries}}}
'''

HEADER = '''"""The clients' methods, one per operation; `make generate` writes this file."""

# Do not edit: .ci/methods.py writes this file from the registry, and `make lint` fails when it
# drifts. One generated method per operation and client, so each has its own signature and
# docstring for editors, `help()` and mypy.
from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from . import _filters as filters
    from ._operation import Operation, Result
    from .operations import {modules}

ResultT = TypeVar("ResultT", bound="Result")
'''


def _module_alias(cls: type) -> str:
    """The name a class's module has in the generated file (`_filters` is imported as `filters`)."""
    return cls.__module__.rsplit(".", 1)[-1].lstrip("_")


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
    raise TypeError(f"no python type for {annotation!r}; teach .ci/methods.py")


def _parameters(operation: Operation[Any, Any]) -> dict[str, FieldInfo]:
    """The arguments a caller gives: every field but those the core derives (`exclude`)."""
    return {n: i for n, i in operation.args_model.model_fields.items() if not i.exclude}


def _parameter(name: str, info: FieldInfo) -> str:
    kind = python_type(info.rebuild_annotation())
    if info.is_required():
        return f"{name}: {kind}"
    default = None if info.default is PydanticUndefined else info.default
    if default is None and "None" not in kind.split(" | "):
        kind += " | None"
    return f"{name}: {kind} = {default!r}"


def _classes_named(operation: Operation[Any, Any]) -> Iterator[type]:
    """The classes a method's signature names, whose modules the file must import."""
    yield operation.result_model
    for info in _parameters(operation).values():
        yield from _classes(info.rebuild_annotation())


def _classes(annotation: Any) -> Iterator[type]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _classes(arg)


def _constant(operation: Operation[Any, Any]) -> str:
    """`campaigns.LIST_CAMPAIGNS`: where the operation is declared."""
    module = sys.modules[operation.result_model.__module__]
    names = [n for n, v in vars(module).items() if v is operation]
    if not names:
        raise SystemExit(
            f"{operation.name}: declare it as a constant of {module.__name__} (where its result "
            "is), so its client methods can name it."
        )
    return f"{_module_alias(operation.result_model)}.{names[0]}"


def _method(operation: Operation[Any, Any], asynchronous: bool) -> str:
    parameters = _parameters(operation)
    rendered = [_parameter(name, info) for name, info in parameters.items()]
    signature = ", ".join(["self", *(["*", *rendered] if rendered else [])])
    result = f"{_module_alias(operation.result_model)}.{operation.result_model.__name__}"
    given = ", ".join(f"{name!r}: {name}" for name in parameters)
    doc = textwrap.fill(operation.description, 88, subsequent_indent="        ")
    call = f"self.execute({_constant(operation)}, {{{given}}})"
    # Imported on first call, as the registry imports it: `import cio_toolkit` builds no
    # operation's models.
    load = f"from .operations import {_module_alias(operation.result_model)}"
    run, wait = ("async ", "await ") if asynchronous else ("", "")
    return (
        f"    {run}def {operation.method_name}({signature}) -> {result}:\n"
        f'        """{doc}"""\n'
        f"        {load}\n\n"
        f"        return {wait}{call}\n"
    )


def render() -> str:
    """The file's whole text, formatted as `ruff format` leaves it."""
    modules = sorted(
        {_module_alias(op.result_model) for op in OPERATIONS}
        | {_module_alias(cls) for op in OPERATIONS for cls in _classes_named(op)} - {"filters"}
    )
    text = HEADER.format(modules=", ".join(modules))
    execute = (
        "def execute(self, operation: Operation[Any, ResultT], arguments: Mapping[str, Any], /)"
        " -> ResultT: ..."
    )
    for cls, asynchronous, doc in (
        ("SyncMethods", False, "`CustomerIOClient`'s methods: each runs its operation."),
        ("AsyncMethods", True, "`AsyncCustomerIOClient`'s methods: each runs its operation."),
    ):
        text += f'\n\nclass {cls}:\n    """{doc}"""\n\n'
        text += f"    if TYPE_CHECKING:\n\n        {'async ' if asynchronous else ''}{execute}\n\n"
        text += "\n".join(_method(op, asynchronous) for op in OPERATIONS)
    return _formatted(text, TARGET)


def render_catalog() -> str:
    """The catalog's whole text: one entry per operation, in registry order."""
    entries = "".join(
        f"    {op.name!r}: Entry({_module_alias(op.result_model)!r}, {op.access!r}, "
        f"{op.checks!r}),\n"
        for op in OPERATIONS
    )
    return _formatted(CATALOG_HEADER.format(entries=entries), CATALOG)


def _formatted(text: str, target: Path) -> str:
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(target), "-"],
        input=text, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return formatted.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a file has drifted")
    check = parser.parse_args().check
    stale = []
    for target, text in ((TARGET, render()), (CATALOG, render_catalog())):
        if check:
            if not target.exists() or target.read_text() != text:
                stale.append(target)
            continue
        target.write_text(text)
        print(f"wrote {target.relative_to(ROOT)}")
    for target in stale:
        print(f"{target.relative_to(ROOT)} is out of date: run `make generate`", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
