"""What a call's last answer or failed attempt means: the typed result, or the error it stands
for, in words the model can act on."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

import httpx

from ._errors import (
    CustomerIOError,
    DeliveryUnknownError,
    TransportError,
    error_class_for,
    parse_error_detail,
)
from ._fields import location_of
from ._operation import ArgsT, Operation, ResultT
from ._retry import may_have_arrived
from ._settings import HOSTS
from ._wire import Answer, AnswerTooLarge, AnswerUndecodable

logger = logging.getLogger("cio_toolkit")


def result_of(operation: Operation[ArgsT, ResultT], args: ArgsT, answer: Answer) -> ResultT:
    """The typed result of a final answer, or the error it stands for.

    Whatever is wrong with an answer (too large, corrupt, not JSON, nested beyond reason, not the
    documented shape) becomes an error the model can read; a write is then reported as probably
    delivered, never as failed.
    """
    if not answer.is_success:
        raise status_error(operation, args, answer)
    try:
        if answer.unreadable is not None:
            raise answer.unreadable
        payload = json.loads(answer.content)
        # An empty 200 is not an empty list: every operation documents a JSON object.
        if not isinstance(payload, dict):
            raise ValueError("not a JSON object")
        return operation.parse(payload, args)
    except Exception as error:  # RecursionError, UnicodeDecodeError, ValidationError and the rest
        logger.debug("%s: unreadable answer: %s", operation.name, type(error).__name__)
        if operation.is_write:
            raise DeliveryUnknownError(
                f"Customer.io accepted {operation.name} (HTTP {answer.status}) but its answer "
                "could not be read. It has probably gone out: do not send it again; "
                f"{operation.verify_message(args)}",
                **about(operation, args),
            ) from None
        if isinstance(error, AnswerTooLarge):
            raise CustomerIOError(
                f"Customer.io's answer to {operation.name} is {error}, more than this toolkit "
                f"reads; {operation.narrow}.",
                **about(operation, args),
            ) from None
        why = "nested too deeply" if isinstance(error, RecursionError) else type(error).__name__
        if isinstance(error, AnswerUndecodable):
            why = str(error)
        raise CustomerIOError(
            f"Customer.io answered {operation.name} with something that is not the documented "
            f"JSON ({why}); try again later.",
            **about(operation, args),
        ) from None


def status_error(
    operation: Operation[ArgsT, ResultT], args: ArgsT, answer: Answer
) -> CustomerIOError:
    status = answer.status
    detail = parse_error_detail(answer.content)
    # Quoted, as data: a server's text that reads like an instruction must not blend into ours.
    said = f" Customer.io said: {json.dumps(detail, ensure_ascii=False)}." if detail else ""
    if status >= 500 and operation.is_write:
        return DeliveryUnknownError(
            f"Customer.io failed with HTTP {status} on {operation.name}, after the request may "
            f"have been acted on.{said} It was not resent, so nothing goes out twice; "
            f"{operation.verify_message(args)}",
            **about(operation, args),
        )
    error_class = error_class_for(status)
    if status == 404:
        message = f"{operation.not_found_message(args)}{said}"
    elif 300 <= status < 400:
        where = urlsplit(answer.headers.get("location", "")).netloc
        message = (
            f"Customer.io redirected {operation.name} (HTTP {status}"
            f"{' to ' + where if where else ''}) instead of answering. {error_class.advice}"
        )
    else:
        advice = operation.advice_message(status, args) or error_class.advice
        message = f"Customer.io answered HTTP {status} to {operation.name}.{said} {advice}"
    return error_class(message, status=status, detail=detail, **about(operation, args))


def network_error(
    operation: Operation[ArgsT, Any], args: ArgsT, error: httpx.TransportError, attempts: int
) -> CustomerIOError:
    kind = type(error).__name__
    if operation.is_write and may_have_arrived(error):
        return DeliveryUnknownError(
            f"The connection failed ({kind}) after the request for {operation.name} may have "
            "reached Customer.io. It was not resent, so nothing goes out twice; "
            f"{operation.verify_message(args)}",
            **about(operation, args),
        )
    return TransportError(
        f"Could not reach Customer.io at {_tried(error)} for {operation.name} ({kind}, "
        f"{attempts} attempt{'s' * (attempts != 1)}); check the region or base URL, or try "
        "again later.",
        **about(operation, args),
    )


def _tried(error: httpx.TransportError) -> str:
    """Where the request went: the host, and the region it is the host of, if any."""
    try:
        url = error.request.url
    except RuntimeError:  # an error raised with no request (a transport of one's own)
        return "its host"
    host = f"{url.scheme}://{url.host}" + (f":{url.port}" if url.port else "")
    region = next((name for name, known in HOSTS.items() if known == host), None)
    return f"{host} (the {region} region)" if region else f"{host} (the base URL)"


def about(operation: Operation[ArgsT, Any], args: ArgsT) -> dict[str, Any]:
    """What an error of this call carries besides its text: the tool, and the ids in its path."""
    ids = {
        k: v
        for k, v in dict(args).items()
        if k in operation.path_ids or location_of(type(args), k) == "path"
    }
    return {"tool": operation.name, "ids": ids}
