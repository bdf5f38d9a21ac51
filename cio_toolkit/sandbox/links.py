"""The sandbox's link metrics: each clicked delivery's click, counted on one of its template's
links, per period."""

from __future__ import annotations

import re

import httpx

from . import deliveries
from .answers import Answer
from .messages import sent_by
from .metrics import unit
from .routing import Handler, Route
from .state import Workspace
from .steps import steps_window

_HREF = re.compile(r'href="([^"]+)"')


def _links_of(kind: deliveries.Kind) -> Handler:
    """The route answering one sender's link metrics: each clicked delivery's click counted on
    one of the links its own message holds (a seeded campaign's hold none)."""

    def answer(ws: Workspace, request: httpx.Request, **ids: str) -> Answer:
        (raw_id,) = ids.values()
        sent = sent_by(ws, kind, raw_id)
        # The link documents declare 400s for none of this: what cannot be read is the default.
        bounds = steps_window(ws.now(), request.url.params, strict=False)
        counts: dict[str, list[int]] = {}
        for delivery in sent:
            body = delivery.template.body if delivery.template else delivery.body or ""
            hrefs = _HREF.findall(body)
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

    return answer


ROUTES = (
    Route("GET", "/v1/campaigns/{campaign_id}/metrics/links", "campaignLinkMetrics",
          _links_of("campaign")),
    Route("GET", "/v1/broadcasts/{broadcast_id}/metrics/links", "broadcastLinks",
          _links_of("broadcast")),
    Route("GET", "/v1/newsletters/{newsletter_id}/metrics/links", "getNewsletterLinks",
          _links_of("newsletter")),
    Route("GET", "/v1/transactional/{transactional_id}/metrics/links", "transactionalLinks",
          _links_of("transactional")),
)  # fmt: skip
