"""The sandbox's link metrics: each clicked delivery's click, counted on one of its template's
links, per period."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from . import deliveries
from .answers import Answer, Problem, integer
from .metrics import unit
from .routing import Route
from .seed import Template
from .state import Workspace
from .steps import steps_window

_HREF = re.compile(r'href="([^"]+)"')


def _links(
    ws: Workspace,
    request: httpx.Request,
    sent: list[deliveries.Delivery],
    template_of: Callable[[deliveries.Delivery], Template | None],
) -> Answer:
    # The link documents declare 400s for none of this: what cannot be read is the default.
    bounds = steps_window(ws.now(), request.url.params, strict=False)
    counts: dict[str, list[int]] = {}
    for delivery in sent:
        template = template_of(delivery)
        hrefs = _HREF.findall(template.body) if template else []
        clicked = delivery.seen(ws.now()).get("clicked")
        if not hrefs or clicked is None or not bounds[0][0] <= clicked < bounds[-1][1]:
            continue
        href = hrefs[int(unit(delivery.id, "link") * len(hrefs))]
        period = next(i for i, (start, end) in enumerate(bounds) if start <= clicked < end)
        counts.setdefault(href, [0] * len(bounds))[period] += 1
    # One click per delivery here, all by people: unique and machine counts follow.
    links = [
        {"link": {"id": 1000 + number, "href": href},
         "metric": {"series": {"clicked": series, "human_clicked": series,
                               "machine_clicked": [0] * len(series)}}}
        for number, (href, series) in enumerate(sorted(counts.items()))
    ]  # fmt: skip
    return 200, {"links": links}


def campaign_links(ws: Workspace, request: httpx.Request, campaign_id: str) -> Answer:
    number = integer(campaign_id, Problem(404))
    if number not in ws.campaigns:
        raise Problem(404)
    # A seeded campaign's messages have no body, so no links.
    return _links(ws, request, deliveries.of_campaign(ws, number), lambda _: None)


def broadcast_links(ws: Workspace, request: httpx.Request, broadcast_id: str) -> Answer:
    number = integer(broadcast_id, Problem(404))
    if number not in ws.broadcasts:
        raise Problem(404)
    template = ws.broadcasts[number].template
    return _links(ws, request, deliveries.of_broadcast(ws, number), lambda _: template)


def newsletter_links(ws: Workspace, request: httpx.Request, newsletter_id: str) -> Answer:
    number = integer(newsletter_id, Problem(404))
    if number not in ws.newsletters:
        raise Problem(404)
    template = ws.newsletters[number].template
    return _links(ws, request, deliveries.of_newsletter(ws, number), lambda _: template)


def transactional_links(ws: Workspace, request: httpx.Request, transactional_id: str) -> Answer:
    number = integer(transactional_id, Problem(404))
    if number not in ws.transactional:
        raise Problem(404)
    template = ws.transactional[number].template
    return _links(ws, request, deliveries.of_transactional(ws, number), lambda _: template)


ROUTES = (
    Route("GET", "/v1/campaigns/{campaign_id}/metrics/links", "campaignLinkMetrics",
          campaign_links),
    Route("GET", "/v1/broadcasts/{broadcast_id}/metrics/links", "broadcastLinks",
          broadcast_links),
    Route("GET", "/v1/newsletters/{newsletter_id}/metrics/links", "getNewsletterLinks",
          newsletter_links),
    Route("GET", "/v1/transactional/{transactional_id}/metrics/links", "transactionalLinks",
          transactional_links),
)  # fmt: skip
