"""Scripted stand-ins for a model: one that does every job right, and bad habits to catch."""

from __future__ import annotations

import re

from ..jobs import example_jobs
from ..scripted import Exchange, Script, Turn
from ._catalog import CATALOG, WRITES

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


def scripted(exchange: Exchange) -> Turn:
    """Every job done as a careful model does it: the example jobs' scripts, and "the API does
    not give this" where it does not."""
    return _CANNOT.get(exchange.request) or example_jobs(exchange)


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
