"""What every metrics tool shares: channels, time zones, totals and rates over a stated window."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from ..operation import Result

MAIN_METRICS = ("sent", "delivered", "opened", "clicked", "converted", "bounced", "unsubscribed")
Channel = Literal[
    "email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification"
]
CHANNELS: tuple[str, ...] = get_args(Channel)
Period = Literal["hours", "days", "weeks", "months"]


def known_zone(name: str | None) -> str | None:
    """An IANA time zone name, checked."""
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("unknown time zone; use an IANA name like America/New_York") from None
    return name


def rates(totals: dict[str, int]) -> dict[str, float]:
    """Customer.io's definitions: delivery over sent; open, click, conversion over delivered."""

    def ratio(part: str, whole: str) -> float:
        return round(totals[part] / totals[whole], 4) if totals[whole] else 0.0

    return {
        "delivery_rate": ratio("delivered", "sent"),
        "open_rate": ratio("opened", "delivered"),
        "click_rate": ratio("clicked", "delivered"),
        "conversion_rate": ratio("converted", "delivered"),
    }


def tally(payload: Any) -> tuple[dict[str, list[int]], dict[str, int]]:
    """The `metric.series` of an answer, and its totals: the main metrics always, the others
    (failed, spammed, webhook 4xx...) only when they happened."""
    raw = ((payload or {}).get("metric") or {}).get("series") or {}
    series = {
        key: [int(v or 0) for v in values]
        for key, values in raw.items()
        if isinstance(values, list)
    }
    totals = {key: sum(series.get(key) or [0]) for key in MAIN_METRICS}
    totals.update({k: sum(v) for k, v in series.items() if k not in totals and any(v)})
    return series, totals


class MetricsResult(Result):
    """Totals and rates over a window the answer states: start, end, time zone, periods."""

    start: datetime
    end: datetime
    tz: str
    res: str
    periods: int
    totals: dict[str, int]
    rates: dict[str, float]
    series: dict[str, list[int]]
    show_series: SkipJsonSchema[bool] = Field(False, exclude=True)

    def window(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(timespec="seconds"),
            "end": self.end.isoformat(timespec="seconds"),
            "tz": self.tz,
            "res": self.res,
            "periods": self.periods,
        }

    def for_model(self) -> Any:
        # What was measured first (a subclass's ids), then the window, then the numbers.
        shown = self.model_dump(mode="json", exclude=set(MetricsResult.model_fields))
        shown = {**shown, "window": self.window(), "totals": self.totals, "rates": self.rates}
        if self.show_series:
            shown["series"] = {k: v for k, v in self.series.items() if any(v)}
        return shown
