"""Scripted stand-ins for a model: one that does every job right, and bad habits to catch."""

from __future__ import annotations

import re

from ..jobs import ADA, example_jobs
from ..scripted import Exchange, Script, Turn, rows
from ._catalog import (
    AMBIGUOUS_SEGMENT,
    CATALOG,
    GRACE,
    NEWSLETTER_TICKET,
    SEGMENTS_OF_GRACE,
    STOPPED_CAMPAIGNS,
    TEMPLATE_DATA,
    TEMPLATES,
)
from ._grading import WRITES

# What the App API has no answer for, said as the right answer says it.
_CANNOT = {
    job.request: (
        "The App API cannot answer that: it does not give revenue, inbox placement (inbox or "
        "spam), or people filtered by when they signed up over a date range. Customer.io's "
        "dashboards or an export of your own data can."
    )
    for job in CATALOG
    if not job.answerable
}


def _stopped_campaigns(exchange: Exchange) -> Turn:
    found = exchange.last("customerio_list_campaigns")
    if found is None:
        return [("customerio_list_campaigns", {"state": "stopped"})]
    stopped = [row["name"] for row in rows(found, "campaigns")]
    return f"{len(stopped)} campaigns are stopped: {', '.join(stopped)}."


def _templates(exchange: Exchange) -> Turn:
    found = exchange.last("customerio_list_transactional_messages")
    if found is None:
        return [("customerio_list_transactional_messages", {})]
    made = [message["name"] for message in found["messages"]]
    return f"{len(made)} transactional messages: {', '.join(made)}."


def _template_data(exchange: Exchange) -> Turn:
    found = exchange.last("customerio_list_transactional_messages")
    if found is None:
        return [("customerio_list_transactional_messages", {"name": "order_confirmation"})]
    (message,) = found["messages"]
    template = exchange.last("customerio_get_transactional_message")
    if template is None:
        return [("customerio_get_transactional_message", {"transactional_id": message["id"]})]
    data, optional = template["message_data"], template["message_data_optional"]
    person = ", ".join(template["customer_attributes"])
    return (f"order_confirmation reads message_data {', '.join(data)} (optional: "
            f"{', '.join(optional) or 'none'}), and the person's {person}.")  # fmt: skip


def _segments_of_grace(exchange: Exchange) -> Turn:
    found = exchange.last("customerio_get_person_segments")
    if found is None:
        return [("customerio_get_person_segments", {"customer_id": GRACE, "id_type": "email"})]
    theirs = [segment["name"] for segment in found["segments"]]
    return f"{GRACE} is in {len(theirs)} segments: {', '.join(theirs)}."


def _ambiguous_segment(exchange: Exchange) -> Turn:
    found = exchange.last("customerio_list_segments")
    if found is None:
        return [("customerio_list_segments", {"name": "Pro"})]
    alike = [f'"{segment["name"]}" ({segment["id"]})' for segment in found["segments"]]
    return f'{len(alike)} segments match "Pro": {" and ".join(alike)}. Which one do you mean?'


def _newsletter_ticket(exchange: Exchange) -> Turn:
    listed = exchange.last("customerio_list_newsletters")
    if listed is None:
        return [("customerio_list_newsletters", {"limit": 10})]
    newest = max((row for row in rows(listed, "newsletters") if row["sent_at"]),
                 key=lambda row: row["sent_at"])  # fmt: skip
    theirs = exchange.last("customerio_get_person_messages")
    if theirs is None:
        return [("customerio_get_person_messages",
                 {"customer_id": ADA, "id_type": "email", "limit": 50})]  # fmt: skip
    copy = next((row for row in rows(theirs, "messages")
                 if row["source"] == f"newsletter {newest['id']}"), None)  # fmt: skip
    if copy is None:
        return f'"{newest["name"]}" was not sent to {ADA}.'
    return (
        f'Yes: "{newest["name"]}" ({newest["id"]}) was {copy["state"]} to {ADA} on '
        f"{copy['created']}; if she cannot find it, it may be in a filtered folder."
    )


_SCRIPTS: dict[str, Script] = {
    STOPPED_CAMPAIGNS: _stopped_campaigns,
    TEMPLATES: _templates,
    TEMPLATE_DATA: _template_data,
    SEGMENTS_OF_GRACE: _segments_of_grace,
    AMBIGUOUS_SEGMENT: _ambiguous_segment,
    NEWSLETTER_TICKET: _newsletter_ticket,
}


def scripted(exchange: Exchange) -> Turn:
    """Every job done as a careful model does it: the example jobs' scripts, the catalog's
    own, and "the API does not give this" where it does not."""
    if exchange.request in _CANNOT:
        return _CANNOT[exchange.request]
    return _SCRIPTS.get(exchange.request, example_jobs)(exchange)


def answers_without_tools(exchange: Exchange) -> Turn:
    return "Done: about 120 people, and everything went out fine."


def calls_the_wrong_tool(exchange: Exchange) -> Turn:
    if exchange.turn == 0:
        return [("customerio_list_segments", {})]
    return "Here are the segments; that should answer it."


def guesses_numbers(exchange: Exchange) -> Turn:
    """Calls what a careful model calls, then answers with every number off by 37."""
    turn = scripted(exchange)
    if isinstance(turn, str):
        return re.sub(r"\d+", lambda n: str(int(n.group()) + 37), turn)
    return turn


def sends_twice(exchange: Exchange) -> Turn:
    """Makes each write twice, as a model that retries a slow send does."""
    turn = scripted(exchange)
    if isinstance(turn, str):
        return turn
    return [call for call in turn for _ in range(2 if call[0] in WRITES else 1)]


def never_checks_its_write(exchange: Exchange) -> Turn:
    """Answers as soon as its write is made, without looking at what became of it."""
    if any(result.name in WRITES for result in exchange.results):
        return "Done: it has been sent."
    return scripted(exchange)


STAND_INS: dict[str, Script] = {
    "scripted": scripted,
    "scripted:no-tools": answers_without_tools,
    "scripted:wrong-tool": calls_the_wrong_tool,
    "scripted:guesses": guesses_numbers,
    "scripted:sends-twice": sends_twice,
    "scripted:no-check": never_checks_its_write,
}
