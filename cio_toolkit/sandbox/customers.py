"""The sandbox's people endpoints: search, and one person's attributes."""

from __future__ import annotations

from typing import Any

import httpx

from .answers import Answer, Problem, cursor, errors_body, integer, json_object, offset_of
from .limits import SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX
from .routing import Route
from .state import Workspace


def search(ws: Workspace, request: httpx.Request) -> Answer:
    limit = integer(request.url.params.get("limit", SEARCH_LIMIT_DEFAULT), Problem(400))
    limit = min(max(limit, 1), SEARCH_LIMIT_MAX)
    offset = offset_of(request.url.params.get("start"))
    body = json_object(request, errors_body)
    if "filter" not in body:
        raise Problem(400, errors_body(400, "filter is required", "/filter"))
    try:
        found = [p for p in ws.people if ws.matches(body["filter"], p)]
    except ValueError as error:
        raise Problem(400, errors_body(400, f"invalid filter: {error}", "/filter")) from None
    page = found[offset : offset + limit]
    more = offset + limit < len(found)
    return 200, {
        "identifiers": [p.identifiers for p in page],
        "ids": [p.id or "" for p in page],
        "next": cursor(offset + limit) if more else "",
    }


def person_attributes(ws: Workspace, request: httpx.Request, customer_id: str) -> Answer:
    id_type = request.url.params.get("id_type", "id")
    # This workspace identifies people by id and email; phone lookups fail as they would.
    if id_type not in ("id", "email", "cio_id"):
        raise Problem(400)
    person = ws.find(customer_id, id_type)
    if person is None:
        raise Problem(404)
    created = int(person.attributes["created_at"])
    customer: dict[str, Any] = {
        "identifiers": person.identifiers,
        "attributes": dict(person.attributes),
        "timestamps": {
            **{key: created for key in person.attributes},
            **({"_last_emailed": created + 86_400} if person.email else {}),
        },
        "unsubscribed": person.unsubscribed,
        "devices": person.devices,
    }
    if person.id:
        customer = {"id": person.id, **customer}
    return 200, {"customer": customer}


ROUTES = (
    Route("POST", "/v1/customers", "getPeopleFilter", search),
    Route(
        "GET", "/v1/customers/{customer_id}/attributes", "getPersonAttributes", person_attributes
    ),
)
