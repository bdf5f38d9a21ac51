"""Metric series: deliveries' events counted into the periods a caller asks for."""

from __future__ import annotations

import bisect
import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

HOUR = 3600
PERIODS = ("hours", "days", "weeks", "months")
# The series keys Customer.io answers for every message type; webhooks add 2xx..5xx.
SERIES = (
    "attempted", "bounced", "clicked", "converted", "created", "deferred", "delivered", "drafted",
    "failed", "human_clicked", "human_opened", "opened", "prefetch_clicked", "prefetch_opened",
    "sent", "spammed", "suppressed", "topic_unsubscribed", "undeliverable", "unsubscribed",
)  # fmt: skip
WEBHOOK_SERIES = ("2xx", "3xx", "4xx", "5xx")


def unit(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) for the given parts."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


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


# -- counted from deliveries: a campaign's window, or a broadcast's last `steps` periods --------

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
            index = bisect.bisect_right(starts, at) - 1  # ten years of hours: 87,600 periods
            key = EVENT_SERIES.get(event, event)
            if webhook and key == "delivered":
                key = "2xx"  # a webhook is delivered when its endpoint answers 2xx
            if key in result:
                result[key][index] += 1
            if webhook and key == "failed":
                result["5xx"][index] += 1
            if key in ("opened", "clicked"):
                result[f"human_{key}"][index] += 1  # the sandbox's readers are all people
            if event == "created":
                result["created"][index] += 1
    return result
