"""The sandbox's subscription centre: the workspace's topics, and one person's preferences."""

from __future__ import annotations

import json
from typing import Any

import httpx

from .answers import Answer
from .customers import person_asked
from .routing import Route
from .seed import TOPIC_DEFAULTS
from .state import Workspace

# The seeded topics (see seed.TOPIC_DEFAULTS), as the subscription centre names them.
TOPICS = {
    "topic_1": ("Product updates", "New features and changes."),
    "topic_2": ("Newsletter", "The monthly newsletter."),
    "topic_3": ("Offers", "Discounts and sales."),
}


def list_topics(ws: Workspace, request: httpx.Request) -> Answer:
    topics = [
        {"id": int(key.removeprefix("topic_")), "identifier": key, "name": name,
         "description": description, "subscribed_by_default": TOPIC_DEFAULTS[key]}
        for key, (name, description) in TOPICS.items()
    ]  # fmt: skip
    return 200, {"topics": topics}


def person_preferences(ws: Workspace, request: httpx.Request, customer_id: str) -> Answer:
    person = person_asked(ws, request, customer_id)
    chosen = json.loads(person.attributes["_cio_subscription_preferences_computed"])["topics"]
    topics: list[dict[str, Any]] = [
        # A string here, where the workspace's list has an integer: as the documents say.
        {"id": key.removeprefix("topic_"), "subscribed": bool(chosen.get(key)), "name": name,
         "description": description}
        for key, (name, description) in TOPICS.items()
    ]  # fmt: skip
    return 200, {
        "customer": {
            "id": person.id,
            "identifiers": person.identifiers,
            "topics": topics,
            "unsubscribed": person.unsubscribed,
            "header": {"title": "Manage your subscription preferences", "subtitle": ""},
        }
    }


ROUTES = (
    Route("GET", "/v1/subscription_topics", "getTopics", list_topics),
    Route("GET", "/v1/customers/{customer_id}/subscription_preferences",
          "getPersonSubscriptionPreferences", person_preferences),
)  # fmt: skip
