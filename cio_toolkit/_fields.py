"""Building blocks for argument models: where fields go, ids, timestamps, addresses, schemas."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from email.utils import getaddresses
from functools import cache, lru_cache
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    WithJsonSchema,
    model_validator,
)
from typing_extensions import Self


class _Location:
    """Marks where an argument goes; fields without a marker go in the JSON body."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


PATH = _Location("path")
QUERY = _Location("query")
LOCAL = _Location("local")  # shapes the tool's output; never sent to Customer.io


def location_of(model: type[BaseModel], field: str) -> str:
    if field in getattr(model, "kept_local", ()):
        return "local"
    for marker in model.model_fields[field].metadata:
        if isinstance(marker, _Location):
            return marker.name
    return "body"


def _absent_when_null(model: type[BaseModel], data: Any) -> Any:
    """`null` means "not given", for every field, as strict providers send optional fields; so
    does blank text in an optional field, as Gemini's converter has models fill them."""
    if not isinstance(data, dict):
        return data
    required = _required_keys(model)
    return {
        key: value
        for key, value in data.items()
        if value is not None
        and not (isinstance(value, str) and not value.strip() and key not in required)
    }


@cache
def _required_keys(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(
        key
        for name, info in model.model_fields.items()
        if info.is_required()
        for key in (name, info.alias or name)
    )


@dataclass(frozen=True)
class Audience:
    """Who a write reaches, as far as its arguments say: what guardrails check before sending.

    `mode` is how the audience is given (`to` for a send; `emails`, `ids`, `per_user_data`,
    `recipients`, `data_file_url` or `default` for a broadcast). `named` holds the addresses or
    ids given inline. `by_email` is true when every recipient is named by an email address, so an
    allowlist can vouch for all of them; `bulk` marks audiences that count against the
    toolkit's cap on recipients named inline. `message` is what is sent to them: the
    transactional message or the broadcast, by id.
    """

    mode: str
    named: tuple[str, ...] = ()
    by_email: bool = False
    bulk: bool = False
    message: str | None = None


class ArgsModel(BaseModel):
    """Base of every tool's arguments: strict about unknown keys, API spellings via aliases,
    `null` taken as "not given"; `schema.ToolJsonSchema` makes the schema every provider takes."""

    model_config = ConfigDict(
        # Validators are built on first use, not at import: most programs use a few tools.
        defer_build=True,
        extra="forbid",
        populate_by_name=True,
        str_strip_whitespace=True,
    )
    # Whether these arguments name an audience in bulk (a broadcast's), which the toolkit's
    # cap on recipients named inline limits.
    names_bulk_audience: ClassVar[bool] = False
    # Inherited fields this model keeps to itself, whatever their marker says: a comparison's
    # window goes with each campaign's metrics call, not with the list before them.
    kept_local: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _nulls_are_absent(cls, data: Any) -> Any:
        return _absent_when_null(cls, data)

    def resolved(self, now: float) -> Self:
        """These arguments with whatever is relative to now ("the last 30 days", "at most 90
        days ahead") made absolute against `now`, Unix seconds from the caller's one clock;
        ValueError, naming the field, for a window that cannot be.

        Validators check what holds at any time; only this reads the time, so a call's request
        and its result's stated window come from one reading."""
        return self

    def audience(self) -> Audience | None:
        """Who these arguments would message; None for arguments that message nobody."""
        return None

    def unsubscribed_policy(self, allowed: bool | None) -> tuple[ArgsModel, str | None]:
        """These arguments under the program's choice about emailing unsubscribed people, and
        the problem if the model tried to make that choice itself."""
        return self, None


class NoArgs(ArgsModel):
    """The arguments of a tool that takes none."""


@dataclass(frozen=True)
class Accepts:
    """What a typed client method accepts for a field whose validator converts its input.

    The generated method stubs (`_methods.py`) read it; the field's own type is what it becomes.
    """

    python_type: str


def _to_unix(value: Any) -> Any:
    """Accept Unix seconds or ISO-8601 dates/datetimes (naive ones are UTC), give Unix seconds."""
    if isinstance(value, bool):
        return value  # let the int validator reject it with its own message
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, date):
        moment = (
            value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())
        )
        return int((moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp())
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        try:
            parsed = (
                datetime.combine(date.fromisoformat(text), datetime.min.time())
                if len(text) == 10
                else datetime.fromisoformat(text.replace("Z", "+00:00"))
            )
        except ValueError:
            raise ValueError(
                "expected an ISO-8601 date or datetime (2026-01-31, 2026-01-31T09:00:00Z) "
                "or Unix seconds"
            ) from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return int(parsed.timestamp())
    return value


Timestamp = Annotated[
    int,
    BeforeValidator(_to_unix),
    # Shown as text: a model writes "2026-01-31" more reliably than 1769817600.
    WithJsonSchema({"type": "string"}),
    Accepts("int | str | datetime.date"),
]

_MOMENT_FORMS = "an ISO-8601 date or datetime (2026-01-31, 2026-01-31T09:00:00Z) or Unix seconds"


def _moment(value: Any) -> Any:
    """A moment whose meaning may depend on a time zone given beside it: Unix seconds and
    datetimes with an offset are kept as they are; dates and naive datetimes stay text, for
    `in_zone` to place once the zone is known."""
    if isinstance(value, bool):
        return value  # the validator below rejects it
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return int(value.timestamp())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"expected {_MOMENT_FORMS}") from None
        return int(parsed.timestamp()) if parsed.tzinfo is not None else text
    return value


def in_zone(moment: int | str, zone: tzinfo) -> int:
    """Unix seconds for a `Moment`: a date is its midnight in `zone`, a naive datetime is
    read in `zone`."""
    if isinstance(moment, int):
        return moment
    return int(datetime.fromisoformat(moment).replace(tzinfo=zone).timestamp())


# A moment read in the time zone given beside it (see `in_zone`).
Moment = Annotated[
    int | str,
    BeforeValidator(_moment),
    WithJsonSchema({"type": "string"}),
    Accepts("int | str | datetime.date"),
]


def object_from_text(value: Any) -> Any:
    """A JSON object given as text (as strict providers must send it) or as an object."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        raise ValueError('must be a JSON object, written as text: {"key": "value"}') from None
    except RecursionError:  # the parser's depth, not the program's: say so, send nothing
        raise ValueError(
            "is nested too deeply to read (JSON at most a few hundred levels deep)"
        ) from None
    if not isinstance(parsed, dict):
        raise ValueError("must be a JSON object ({...}), not another JSON value")
    return parsed


# Free-form data (Liquid variables): an object with no fixed properties, which OpenAI's strict
# mode cannot express and Gemini turns into a string anyway. Shown as a JSON object in text,
# which every provider keeps; an object is accepted too, from programs and lenient providers.
# Optional by nature: empty text is "not given".
JsonObject = Annotated[
    dict[str, Any] | None,
    BeforeValidator(object_from_text),
    WithJsonSchema({"type": "string"}),
    Accepts("Mapping[str, Any] | str | None"),
]


# Customer.io's numeric ids are 32-bit (`format: int32` in its documents).
MAX_ID = 2**31 - 1


def positive_id(value: int) -> int:
    if value < 1:
        raise ValueError("must be a positive id")
    if value > MAX_ID:
        raise ValueError(f"is larger than any Customer.io id (at most {MAX_ID:,})")
    return value


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


# Constraints checked without being spelled out in the schema: obvious to a model, and each
# spelled-out constraint is repeated wherever the schema is inlined.
PositiveId = Annotated[int, AfterValidator(positive_id)]
Text = Annotated[str, AfterValidator(_not_blank)]
PathId = Annotated[PositiveId, PATH]
# Customer.io answers some ids as integers where its schema says strings; keep them as text.
IdText = Annotated[str | None, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+$")


def is_email(value: str) -> bool:
    """A plain address (local@domain.tld): enough to catch what a model gets wrong."""
    return bool(_EMAIL.match(value)) and len(value) <= 254


def name_matches(name: str | None, wanted: str | None) -> bool:
    """A list tool's `name` filter, applied here: a case-insensitive part of the name."""
    return wanted is None or wanted.casefold() in (name or "").casefold()


@lru_cache(maxsize=1024)
def addresses(value: str | None) -> tuple[str, ...]:
    """The addresses in a header value such as `to` (display names dropped).

    Cached: the standard library's parser is slow, and every send reads `to` several times.
    """
    try:
        return tuple(addr for _, addr in getaddresses([value])) if value else ()
    except RecursionError:  # its parser recurses on each "(" or ":": a thousand of them are not
        raise ValueError("cannot be read as email addresses") from None


def check_path_value(value: str) -> str:
    """Reject ids that would change the URL's path once placed in it (`..`, slashes, controls)."""
    if value in {".", ".."} or any(c in value for c in "/\\?#") or not value.isprintable():
        raise ValueError("must be a plain id: no '/', '\\', '?', '#', '..' or control characters")
    return value
