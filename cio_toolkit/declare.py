"""What declaring an operation of your own needs, in one import: `cio_toolkit.declare`.

An operation is an `Operation(...)` of an args model (an `ArgsModel`, its fields placed by
`PATH`, `QUERY` and `LOCAL`, the rest the JSON body) and a `Result` whose `view()` returns a
`View`: the text the model sees, MCP's structured output and its schema all come from that type.
`CustomerIOToolkit(tools=[..., your_operation])` offers it like any other.
"""

from ._fields import (
    LOCAL,
    PATH,
    QUERY,
    ArgsModel,
    IdText,
    JsonObject,
    Moment,
    NoArgs,
    PathId,
    PositiveId,
    Text,
    Timestamp,
)
from ._operation import Collection, Operation, Result
from ._output import ToolOutput
from ._schema import ToolJsonSchema
from ._views import Check, IsoTime, Listing, Page, RowsPage, Table, View

__all__ = [
    "LOCAL",
    "PATH",
    "QUERY",
    "ArgsModel",
    "Check",
    "Collection",
    "IdText",
    "IsoTime",
    "JsonObject",
    "Listing",
    "Moment",
    "NoArgs",
    "Operation",
    "Page",
    "PathId",
    "PositiveId",
    "Result",
    "RowsPage",
    "Table",
    "Text",
    "Timestamp",
    "ToolJsonSchema",
    "ToolOutput",
    "View",
]
