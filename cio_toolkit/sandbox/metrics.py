"""Campaign metric series: hourly counts from a hash, summed into the periods a caller asks for."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .seed import Campaign

HOUR = 3600
PERIODS = ("hours", "days", "weeks", "months")
# The series keys Customer.io answers for every message type; webhooks add 2xx..5xx.
SERIES = (
    "attempted", "bounced", "clicked", "converted", "created", "deferred", "delivered", "drafted",
    "failed", "human_clicked", "human_opened", "opened", "prefetch_clicked", "prefetch_opened",
    "sent", "spammed", "suppressed", "topic_unsubscribed", "undeliverable", "unsubscribed",
)  # fmt: skip
WEBHOOK_SERIES = ("2xx", "3xx", "4xx", "5xx")
# Busy afternoons, quiet nights (UTC), so hourly and daily views both look like traffic.
_HOUR_SHAPE = [0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.1, 1.4, 1.5, 1.5, 1.4,
               1.4, 1.5, 1.6, 1.6, 1.5, 1.3, 1.2, 1.1, 1.0, 0.8, 0.6, 0.4]  # fmt: skip


def unit(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) for the given parts."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _share(count: int, rate: float, *salt: object) -> int:
    """`count * rate`, rounded up or down at random: unbiased sums that never exceed count."""
    return min(count, math.floor(count * rate + unit(*salt)))


def hour_counts(campaign: Campaign, hour: int) -> dict[str, int]:
    """What the campaign did in the hour starting at `hour` (Unix seconds)."""
    mean = campaign.daily_volume / 24 * _HOUR_SHAPE[(hour // HOUR) % 24]
    sent = math.floor(mean * (0.6 + 0.8 * unit(campaign.id, hour, "sent")) + 0.5)
    if campaign.channel == "webhook":
        failures = _share(sent, 0.02, campaign.id, hour, "5xx")
        return {"attempted": sent, "sent": sent, "2xx": sent - failures, "5xx": failures,
                "failed": failures}  # fmt: skip
    delivered_rate, open_rate, click_rate, convert_rate, bounce_share, unsub_rate = campaign.rates
    delivered = _share(sent, delivered_rate, campaign.id, hour, "delivered")
    if campaign.channel == "twilio":
        # A text message cannot be seen opening: its clicks are of its links, from delivered.
        opened, clicked = 0, _share(delivered, open_rate * click_rate, campaign.id, hour, "clicked")
    else:
        opened = _share(delivered, open_rate, campaign.id, hour, "opened")
        clicked = _share(opened, click_rate, campaign.id, hour, "clicked")
    prefetch = _share(opened, 0.1, campaign.id, hour, "prefetch")
    bounced = _share(sent - delivered, bounce_share, campaign.id, hour, "bounced")
    # Refused as invalid before sending: attempted, never sent (a bounce came back after).
    undeliverable = _share(sent, 0.004, campaign.id, hour, "undeliverable")
    return {
        "attempted": sent + undeliverable,
        "created": sent + undeliverable,
        "sent": sent,
        "delivered": delivered,
        "opened": opened,
        "human_opened": opened - prefetch,
        "prefetch_opened": prefetch,
        "clicked": clicked,
        "human_clicked": clicked,
        "converted": _share(clicked, convert_rate, campaign.id, hour, "converted"),
        "bounced": bounced,
        "undeliverable": undeliverable,
        "deferred": sent - delivered - bounced,
        "unsubscribed": _share(delivered, unsub_rate, campaign.id, hour, "unsubscribed"),
        "spammed": _share(delivered, 0.0005, campaign.id, hour, "spammed"),
    }


def _floor(moment: datetime, res: str) -> datetime:
    if res == "hours":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if res == "days":
        return day
    if res == "weeks":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next(moment: datetime, res: str) -> datetime:
    """The next period's start, stepped in local wall time so days stay days across DST."""
    if res == "hours":
        return moment + timedelta(hours=1)
    if res == "days":
        return (moment.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=moment.tzinfo)
    if res == "weeks":
        return (moment.replace(tzinfo=None) + timedelta(weeks=1)).replace(tzinfo=moment.tzinfo)
    month = moment.month % 12 + 1
    return moment.replace(year=moment.year + (month == 1), month=month)


def period_bounds(start: int, end: int, res: str, tz: str) -> list[tuple[int, int]]:
    """The periods of `res` in time zone `tz` that overlap [start, end), oldest first."""
    zone = ZoneInfo(tz)
    moment = _floor(datetime.fromtimestamp(start, zone), res)
    bounds = []
    while moment.timestamp() < end:
        following = _next(moment, res)
        bounds.append((int(moment.timestamp()), int(following.timestamp())))
        moment = following
    return bounds


def series(
    campaign: Campaign, start: int, end: int, res: str, tz: str, now: int, channel: str | None
) -> dict[str, list[int]]:
    """The version-2 metrics answer's `series`: one entry per period, every key present."""
    bounds = period_bounds(start, end, res, tz)
    keys = SERIES + (WEBHOOK_SERIES if campaign.channel == "webhook" else ())
    result = {key: [0] * len(bounds) for key in keys}
    if campaign.first_started is None or (channel and channel != campaign.channel):
        return result
    live_from = max(start, campaign.first_started)
    live_until = min(end, now, campaign.stopped or now)
    for index, (period_start, period_end) in enumerate(bounds):
        first = -(-max(period_start, live_from) // HOUR) * HOUR  # the first whole hour inside
        for hour in range(first, min(period_end, live_until), HOUR):
            for key, count in hour_counts(campaign, hour).items():
                result[key][index] += count
    return result


# -- broadcasts and newsletters: the last `steps` periods, counted from deliveries ---------------

# A delivery event's metric series, where the names differ: `dropped` is counted as suppressed.
EVENT_SERIES = {"dropped": "suppressed", "created": "attempted"}


def last_periods(now: int, period: str, steps: int, tz: str) -> list[tuple[int, int]]:
    """The `steps` periods ending with the one holding `now`, oldest first; weeks start on
    Sunday, as the documents say of these endpoints."""
    zone = ZoneInfo(tz)
    moment = _floor(datetime.fromtimestamp(now, zone), period)
    if period == "weeks":
        moment = moment - timedelta(days=(moment.weekday() + 1) % 7)  # Monday back to Sunday
    starts = [moment]
    for _ in range(steps - 1):
        starts.insert(0, _previous(starts[0], period))
    ends = [*starts[1:], _next(starts[-1], period)]
    return [(int(a.timestamp()), int(b.timestamp())) for a, b in zip(starts, ends, strict=True)]


def _previous(moment: datetime, period: str) -> datetime:
    if period == "hours":
        return datetime.fromtimestamp(moment.timestamp() - HOUR, moment.tzinfo)
    if period in ("days", "weeks"):
        days = 7 if period == "weeks" else 1
        return (moment.replace(tzinfo=None) - timedelta(days=days)).replace(tzinfo=moment.tzinfo)
    month = moment.month - 1 or 12
    return moment.replace(year=moment.year - (month == 12), month=month)


def delivery_series(
    events: list[dict[str, int]], bounds: list[tuple[int, int]], webhook: bool = False
) -> dict[str, list[int]]:
    """Per-period counts of each event (every series key present), from deliveries' events."""
    keys = SERIES + (WEBHOOK_SERIES if webhook else ())
    result = {key: [0] * len(bounds) for key in keys}
    starts = [start for start, _ in bounds]
    for happened in events:
        for event, at in happened.items():
            if not bounds[0][0] <= at < bounds[-1][1]:
                continue
            index = next(i for i in range(len(bounds) - 1, -1, -1) if starts[i] <= at)
            key = EVENT_SERIES.get(event, event)
            if key in result:
                result[key][index] += 1
            if key in ("opened", "clicked"):
                result[f"human_{key}"][index] += 1  # the sandbox's readers are all people
            if event == "created":
                result["created"][index] += 1
    return result
