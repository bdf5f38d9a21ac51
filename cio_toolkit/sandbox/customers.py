"""The sandbox's people endpoints: search, and one person's attributes, messages and segments."""

from __future__ import annotations

from typing import Any

import httpx

from . import deliveries
from .answers import Answer, Problem, cursor, errors_body, integer, json_object, offset_of
from .limits import (
    MESSAGES_LIMIT_DEFAULT,
    MESSAGES_LIMIT_MAX,
    MESSAGES_WINDOW,
    SEARCH_LIMIT_DEFAULT,
    SEARCH_LIMIT_MAX,
)
from .routing import Route
from .seed import Person
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


def person_asked(ws: Workspace, request: httpx.Request, customer_id: str) -> Person:
    """The person a path's id (and `id_type`) names; a 400 or 404 as Customer.io answers."""
    id_type = request.url.params.get("id_type", "id")
    # This workspace identifies people by id and email; phone lookups fail as they would.
    if id_type not in ("id", "email", "cio_id"):
        raise Problem(400)
    person = ws.find(customer_id, id_type)
    if person is None:
        raise Problem(404)
    return person


def person_attributes(ws: Workspace, request: httpx.Request, customer_id: str) -> Answer:
    return 200, {"customer": _customer_json(person_asked(ws, request, customer_id))}


def people_attributes(ws: Workspace, request: httpx.Request) -> Answer:
    id_type = request.url.params.get("id_type", "id")
    if id_type not in ("id", "email", "cio_id"):
        raise Problem(400, errors_body(400, f"{id_type} is not an identifier in this workspace"))
    ids = json_object(request, errors_body).get("ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= PEOPLE_MAX:
        raise Problem(400, errors_body(400, f"ids must be 1 to {PEOPLE_MAX} ids", "/ids"))
    # Unknown ids are left out of the answer, as the document says; each person once.
    found = {p.cio_id: p for i in ids if isinstance(i, str) and (p := ws.find(i, id_type))}
    return 200, {"customers": [{"customer": _customer_json(p)} for p in found.values()]}


def _customer_json(person: Person) -> dict[str, Any]:
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
    return customer


def person_messages(ws: Workspace, request: httpx.Request, customer_id: str) -> Answer:
    person = person_asked(ws, request, customer_id)
    query = request.url.params
    limit = min(max(integer(query.get("limit", MESSAGES_LIMIT_DEFAULT), Problem(400)), 1),
                MESSAGES_LIMIT_MAX)  # fmt: skip
    now = ws.now()
    end = integer(query.get("end_ts", now), Problem(400))
    # At most six months, counted back from the most recent time asked for.
    start = max(integer(query.get("start_ts", 0), Problem(400)), end - MESSAGES_WINDOW)
    found = [d for d in deliveries.of_person(ws, person) if start <= d.created <= min(end, now)]
    offset = offset_of(query.get("start"))
    answer: dict[str, Any] = {
        "messages": [d.as_person_message(now) for d in found[offset : offset + limit]]
    }
    if offset + limit < len(found):
        answer["next"] = cursor(offset + limit)  # undeclared in the schema; see _notes
    return 200, answer


def person_segments(ws: Workspace, request: httpx.Request, customer_id: str) -> Answer:
    person = person_asked(ws, request, customer_id)
    segments = [
        {"id": s.id, "name": s.name, "description": s.description}
        for s in ws.segments.values()
        if person.cio_id in ws.members(s.id)
    ]
    return 200, {"segments": segments}


# getPeopleById: 1 to 100 ids a call.
PEOPLE_MAX = 100
# getPersonActivities: `limit` default 10, maximum 100.
ACTIVITIES_LIMIT_DEFAULT, ACTIVITIES_LIMIT_MAX = 10, 100
# A delivery's events as activities, `{event}_{channel}`, for the types the document lists
# per channel (`dropped` is a message not sent; a webhook's 2xx answer is no activity).
_EMAIL_EVENTS = ("sent", "delivered", "opened", "clicked", "converted", "bounced", "failed",
                 "undeliverable", "dropped", "spammed", "unsubscribed")  # fmt: skip
_ACTIVITY_EVENTS = {
    "email": frozenset(_EMAIL_EVENTS),
    "push": frozenset({"sent", "delivered", "opened", "bounced", "failed", "undeliverable",
                       "dropped"}),
    "twilio": frozenset({"sent", "delivered", "clicked", "converted", "bounced", "failed",
                         "undeliverable", "dropped"}),
    "webhook": frozenset({"sent", "clicked", "converted", "failed", "undeliverable", "dropped"}),
}  # fmt: skip


def _delivery_type(person: Person, channel: str) -> str | None:
    """The recipient device, as activities name it: none for a webhook."""
    if channel == "push":
        return str(person.devices[0]["platform"]) if person.devices else None
    return {"email": "email", "twilio": "phone"}.get(channel)


def activities_of(ws: Workspace, person: Person) -> list[dict[str, Any]]:
    """A person's activities, newest first: their deliveries' events and, for someone
    unsubscribed, the attribute change that did it (before anything they were not sent)."""
    now = ws.now()
    found: list[dict[str, Any]] = []
    sent = deliveries.of_person(ws, person)
    for delivery in sent:
        device_type = _delivery_type(person, delivery.type)
        device = {"delivery_type": device_type} if device_type else {}
        for event, at in delivery.seen(now).items():
            if event not in _ACTIVITY_EVENTS.get(delivery.type, ()):
                continue
            found.append({
                "id": f"{delivery.id}:{event}",
                "type": f"{event}_{delivery.type}",
                "timestamp": at,
                "delivery_id": delivery.id,
                **device,
                "customer_id": person.id,
                "customer_identifiers": person.identifiers,
                "data": {"delivery_id": delivery.id, "delivered": delivery.seen(now).get(
                    "delivered"), "opened": "opened" in delivery.seen(now)},
            })  # fmt: skip
    if person.unsubscribed:
        at = min((d.created for d in sent), default=now) - 86_400
        found.append({
            "id": f"{person.cio_id}:unsubscribed", "type": "attribute_change", "timestamp": at,
            "name": "unsubscribed", "customer_id": person.id,
            "customer_identifiers": person.identifiers,
            "data": {"unsubscribed": {"from": "false", "to": "true"}},
        })  # fmt: skip
    found.sort(key=lambda a: (-a["timestamp"], a["id"]))
    return found


def person_activities(ws: Workspace, request: httpx.Request, customer_id: str) -> Answer:
    person = person_asked(ws, request, customer_id)
    query = request.url.params
    limit = min(max(integer(query.get("limit", ACTIVITIES_LIMIT_DEFAULT), Problem(400)), 1),
                ACTIVITIES_LIMIT_MAX)  # fmt: skip
    kind, name = query.get("type"), query.get("name")
    found = [
        a
        for a in activities_of(ws, person)
        if (kind is None or a["type"] == kind) and (name is None or a.get("name") == name)
    ]
    offset = offset_of(query.get("start"))
    answer: dict[str, Any] = {"activities": found[offset : offset + limit]}
    if offset + limit < len(found):
        answer["next"] = cursor(offset + limit)  # undeclared in the schema; see _notes
    return 200, answer


CUSTOMER = "/v1/customers/{customer_id}"
ROUTES = (
    Route("POST", "/v1/customers", "getPeopleFilter", search),
    Route("GET", f"{CUSTOMER}/attributes", "getPersonAttributes", person_attributes),
    Route("POST", "/v1/customers/attributes", "getPeopleById", people_attributes),
    Route("GET", f"{CUSTOMER}/messages", "getPersonMessages", person_messages),
    Route("GET", f"{CUSTOMER}/segments", "getPersonSegments", person_segments),
    Route("GET", f"{CUSTOMER}/activities", "getPersonActivities", person_activities),
)
