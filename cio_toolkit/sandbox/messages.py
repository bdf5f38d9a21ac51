"""The sandbox's message endpoint: one delivery, seeded or sent by the agent, as it stands now."""

from __future__ import annotations

import httpx

from . import deliveries
from .answers import Answer, Problem
from .routing import Route
from .state import Workspace


def get_message(ws: Workspace, request: httpx.Request, message_id: str) -> Answer:
    found = deliveries.find(ws, message_id)
    if found is None:
        raise Problem(404)
    return 200, {"message": found.as_message(ws.now())}


ROUTES = (Route("GET", "/v1/messages/{message_id}", "getMessage", get_message),)
