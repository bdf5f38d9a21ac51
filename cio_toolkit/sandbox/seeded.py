"""The seeded history: every message sent before the agent came, made once a day and shared."""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .delivery import Delivery, Kind, context, delivery_id
from .fates import SUPPRESSED, UNSUBSCRIBED, fate
from .metrics import HOUR, unit
from .seed import Campaign, Person, Template
from .templates import render

if TYPE_CHECKING:
    from .state import Workspace

DAY = 86_400
# How far back a running campaign's and a transactional message's seeded deliveries go.
HISTORY_DAYS = 150
# A campaign made about `volume` times this many deliveries in its seeded life...
DELIVERIES_PER_VOLUME = 3
# ...and at most this many, on average, to any one person in its audience.
MOST_PER_PERSON = 12.0
# Where the webhook campaign posts: a webhook delivery's recipient.
WEBHOOK_URL = "https://crm.northwind.example/hooks/signup"
# Data a seeded transactional message was sent with, per template.
_SEEDED_DATA: dict[str, dict[str, Any]] = {
    "password_reset": {"reset_url": "https://northwind.example/reset/seeded"},
    "order_confirmation": {"order_id": "A-1000", "total": "19.00"},
    "shipping_update": {"status": "on its way", "tracking_url": "https://northwind.example/t/1"},
    "magic_link": {"link": "https://northwind.example/signin/seeded"},
}
# Workspaces seeded alike share one history a day (about 12 MB); the last two are kept.
_KEPT_HISTORIES = 2


@dataclass(frozen=True)
class History:
    """Every seeded delivery, by person (`cio_id`, newest first) and by sender."""

    by_person: Mapping[str, tuple[Delivery, ...]]
    by_sender: Mapping[tuple[Kind, int], tuple[Delivery, ...]]


_histories: OrderedDict[tuple[object, ...], History] = OrderedDict()
_lock = threading.Lock()


def day_zero(now: int) -> int:
    """Midnight UTC today: the seeded history is laid out in days back from it."""
    return now - now % DAY


def of(ws: Workspace) -> History:
    """The workspace's seeded history today, made on first use."""
    today = day_zero(ws.now())
    key = (*ws.seed_key, today)
    with _lock:
        if key not in _histories:
            _histories[key] = _made(ws, today)
            while len(_histories) > _KEPT_HISTORIES:
                _histories.popitem(last=False)
        _histories.move_to_end(key)
        return _histories[key]


def sent_at(ws: Workspace, newsletter_id: int) -> int | None:
    """When a seeded newsletter went out (None for a draft)."""
    letter = ws.newsletters[newsletter_id]
    if letter.days_ago is None:
        return None
    return day_zero(ws.now()) - letter.days_ago * DAY + letter.hour * HOUR


def _made(ws: Workspace, today: int) -> History:
    by_person: dict[str, tuple[Delivery, ...]] = {}
    by_sender: defaultdict[tuple[Kind, int], list[Delivery]] = defaultdict(list)
    reach = _campaign_reach(ws, today)
    for person in ws.people:
        found = [*_campaigns_to(person, reach), *_transactional_to(ws, person, today)]
        if person.email:
            found += [d for letter in ws.newsletters for d in _newsletter_to(ws, letter, person)]
            found += [d for cast in ws.broadcasts for d in _broadcast_to(ws, cast, person)]
        found = sorted(_suppressed_after_bounce(found), key=lambda d: (-d.created, d.id))
        by_person[person.cio_id] = tuple(found)
        for delivery in found:
            by_sender[(delivery.kind, delivery.source_id)].append(delivery)
    return History(by_person, {sender: tuple(found) for sender, found in by_sender.items()})


def _suppressed_after_bounce(found: list[Delivery]) -> Iterator[Delivery]:
    """The deliveries as they went: an email after the address hard-bounced is not sent."""
    bounces = [d.events["bounced"] for d in found if d.type == "email" and "bounced" in d.events]
    bounced = min(bounces, default=None)
    for delivery in found:
        if bounced is None or delivery.type != "email" or delivery.created <= bounced:
            yield delivery
        else:
            created = delivery.created
            events = {"created": created, "dropped": created + 1}
            yield dataclasses.replace(delivery, events=events, failure_message=SUPPRESSED)


def _to_one(
    kind: Kind,
    source_id: int,
    number: int,
    person: Person,
    template: Template,
    created: int,
    action_id: int,
    rates: tuple[float, float, float, float] = (0.97, 0.4, 0.2, 0.15),
    data: Mapping[str, Any] | None = None,
    reaches_unsubscribed: bool = False,
    drafted: bool = False,
    channel: str = "email",
    recipient: str | None = None,
) -> Delivery:
    """One seeded delivery of `template` to `person`, with its fate."""
    if person.unsubscribed and not reaches_unsubscribed:
        events, failure = {"created": created, "dropped": created + 1}, UNSUBSCRIBED
    elif drafted:
        events, failure = {"created": created, "drafted": created + 1}, None
    else:
        events, failure = fate(created, (kind, source_id, number, person.cio_id), rates, channel)
    return Delivery(
        id=delivery_id(kind, source_id, person.cio_id, number),
        kind=kind,
        source_id=source_id,
        action_id=action_id,
        recipient=recipient or person.email or "",
        subject=render(template.subject, context(person, data)),
        created=created,
        events=events,
        person=person,
        failure_message=failure,
        content_id=template.content_id or None,
        type=channel,
        template=template,
        data=data,
    )


# -- campaigns: each sends to its audience over its live days ----------------------------------


@dataclass(frozen=True)
class _Reach:
    campaign: Campaign
    audience: frozenset[str]
    per_person: float
    start: int
    end: int


def _campaign_reach(ws: Workspace, today: int) -> list[_Reach]:
    """Who each live campaign reached, how often, and over which days: a running campaign's
    last HISTORY_DAYS, a stopped one's whole run (an event's campaign at the event's time)."""
    reach = []
    for campaign in ws.campaigns.values():
        if campaign.first_started is None:
            continue  # a draft never sent
        start, end = campaign.first_started, min(campaign.stopped or today, today)
        if campaign.state == "running":
            start = max(start, today - HISTORY_DAYS * DAY)
        segments = campaign.trigger.get("trigger_segment_ids") or ()
        audience = frozenset(
            p.cio_id
            for p in ws.people
            if _address(p, campaign.channel)
            and (not segments or any(p.cio_id in ws.members(s) for s in segments))
        )
        if start < end and audience:
            wanted = campaign.volume * DELIVERIES_PER_VOLUME / len(audience)
            reach.append(_Reach(campaign, audience, min(wanted, MOST_PER_PERSON), start, end))
    return reach


def _address(person: Person, channel: str) -> str | None:
    """Where a campaign of `channel` reaches the person: none when they cannot be reached."""
    if channel == "email":
        return person.email
    if channel == "push":
        return person.devices[0]["id"] if person.devices else None
    if channel == "twilio":
        return person.attributes.get("phone")
    return WEBHOOK_URL


def _campaigns_to(person: Person, reach: list[_Reach]) -> Iterator[Delivery]:
    for live in reach:
        campaign = live.campaign
        if person.cio_id not in live.audience:
            continue
        times = int(live.per_person + unit("campaign", campaign.id, person.cio_id))
        for number in range(times):
            created = live.start + int(
                unit("campaign at", campaign.id, person.cio_id, number) * (live.end - live.start)
            )
            subject = campaign.name if campaign.channel == "email" else ""
            yield _to_one(
                "campaign", campaign.id, number, person, Template(subject, ""), created,
                campaign.actions[number % len(campaign.actions)], campaign.rates[:4],
                reaches_unsubscribed=campaign.channel == "webhook", channel=campaign.channel,
                recipient=_address(person, campaign.channel),
            )  # fmt: skip


# -- transactional messages, newsletters and past broadcast triggers ---------------------------


def _transactional_to(ws: Workspace, person: Person, today: int) -> Iterator[Delivery]:
    if not person.email:
        return
    seeded = [m for m in ws.transactional.values() if m.name in _SEEDED_DATA]
    for number in range(int(unit("transactional", person.cio_id) * 3)):
        message = seeded[int(unit("template", person.cio_id, number) * len(seeded))]
        days = 1 + int(unit("transactional day", person.cio_id, number) * HISTORY_DAYS)
        created = today - days * DAY + int(unit("t hour", person.cio_id, number) * DAY)
        yield _to_one(
            "transactional", message.id, number, person, message.template, created,
            500 + message.id, data=_SEEDED_DATA[message.name],
            reaches_unsubscribed=message.send_to_unsubscribed, drafted=message.queue_drafts,
        )  # fmt: skip


def _newsletter_to(ws: Workspace, newsletter_id: int, person: Person) -> list[Delivery]:
    letter, sent = ws.newsletters[newsletter_id], sent_at(ws, newsletter_id)
    audience = (ws.members(segment) for segment in letter.segment_ids)
    if sent is None or not any(person.cio_id in a for a in audience):
        return []
    return [
        _to_one("newsletter", letter.id, 0, person, letter.template, sent, 300 + letter.id,
                letter.rates)
    ]  # fmt: skip


def _broadcast_to(ws: Workspace, broadcast_id: int, person: Person) -> list[Delivery]:
    """What a broadcast's seeded triggers sent one person."""
    broadcast = ws.broadcasts[broadcast_id]
    if person.cio_id not in ws.members(broadcast.audience_segment_id):
        return []
    now = ws.now()
    sent = [sending for sending in broadcast.sendings if not sending.errors]
    return [
        _to_one("broadcast", broadcast.id, number, person, broadcast.template, sending.at(now),
                400 + broadcast.id, data=sending.data)
        for number, sending in enumerate(sent)
    ]  # fmt: skip
