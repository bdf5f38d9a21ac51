"""What every metrics tool shares: channels, time zones, totals and rates over a stated window."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, ClassVar, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, model_validator
from pydantic.json_schema import SkipJsonSchema
from typing_extensions import Self

from .._fields import LOCAL, QUERY, ArgsModel, Moment, in_zone
from .._operation import Result
from .._views import IsoTime, Part, View

# Always in the totals, zero or not: a missing one would read as "not reported". The others
# (2xx, suppressed, human_opened...) appear when they happened.
MAIN_METRICS = (
    "sent", "delivered", "opened", "clicked", "converted", "bounced", "unsubscribed", "failed",
    "spammed",
)  # fmt: skip
Channel = Literal[
    "email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification"
]
CHANNELS: tuple[str, ...] = get_args(Channel)
Period = Literal["hours", "days", "weeks", "months"]
DEFAULT_WINDOW_DAYS = 30


def known_zone(name: str | None) -> str | None:
    """An IANA time zone name, checked."""
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("unknown time zone; use an IANA name like America/New_York") from None
    return name


WEBHOOK_ANSWERS = ("2xx", "3xx", "4xx", "5xx")


def rates(totals: dict[str, int]) -> dict[str, float]:
    """Customer.io's definitions: delivery over sent; open, click, conversion over delivered.

    A webhook delivers nothing to open: its delivery rate is the share of 2xx answers, alone.
    Where there are clicks but no opens (a text message), opens are not tracked: no open rate.
    Where the answer counts human opens apart, `human_open_rate` leaves machine opens out.
    """

    def ratio(part: str, whole: str) -> float:
        return round(totals.get(part, 0) / totals[whole], 4) if totals.get(whole) else 0.0

    if not totals.get("delivered") and any(totals.get(key) for key in WEBHOOK_ANSWERS):
        return {"delivery_rate": ratio("2xx", "sent")}
    found = {
        "delivery_rate": ratio("delivered", "sent"),
        "open_rate": ratio("opened", "delivered"),
        "click_rate": ratio("clicked", "delivered"),
        "conversion_rate": ratio("converted", "delivered"),
    }
    if totals.get("clicked") and not totals.get("opened"):
        del found["open_rate"]  # clicks without opens: opens are not tracked (a text message)
    elif "human_opened" in totals and totals["human_opened"] != totals.get("opened"):
        # open_rate counts machine (prefetch) opens, as Customer.io's does; this one does not.
        found["human_open_rate"] = ratio("human_opened", "delivered")
    return found


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


class Window(Part):
    """The window measured, as the answer covers it: whole periods in a time zone."""

    start: IsoTime
    end: IsoTime
    tz: str
    res: str | None = Field(None, description="The period length (campaign metrics).")
    period: str | None = Field(None, description="The period length (steps metrics).")
    periods: int
    note: str | None = Field(None, description="Only when the window is not the one asked for.")


class MetricsView(View):
    """Totals and rates over a stated window, each metric per period on request. A subclass
    names what was measured in a base listed after this one, so its ids come first."""

    window: Window
    totals: dict[str, int]
    rates: dict[str, float]
    series: dict[str, list[int]] | None = Field(None, description="Only when asked for.")


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
    note: SkipJsonSchema[str | None] = Field(None, exclude=True)
    # What the window calls its period length: the request's own word for it.
    resolution_key: ClassVar[str] = "res"

    def measured(self) -> dict[str, Any]:
        """A `MetricsView`'s fields: the window, then the numbers."""
        window = Window(
            start=self.start.isoformat(timespec="seconds"),
            end=self.end.isoformat(timespec="seconds"),
            tz=self.tz,
            periods=self.periods,
            note=self.note,
            **{self.resolution_key: self.res},
        )
        shown = {k: v for k, v in self.series.items() if any(v)} if self.show_series else None
        return {"window": window, "totals": self.totals, "rates": self.rates, "series": shown}


# Metrics by period and steps (broadcasts, newsletters) --------------------------------------------

# The API's periods for `period`/`steps` metrics: "Maximums are 24 hours, 45 days, 12 weeks, or
# 121 months. Days start at 00:00 EST. Weeks start at 00:00 EST on Sunday. Months start at 00:00
# EST on the 1st of the month." Read as US Eastern time (EST/EDT: what "EST" means in
# Customer.io's documents; inferred), and at least 2 steps ("You cannot request fewer than 2").
STEPS_ZONE = "America/New_York"
MAX_STEPS: dict[str, int] = {"hours": 24, "days": 45, "weeks": 12, "months": 121}
MIN_STEPS = 2
# A period given alone: the API's own default count of it ("the maximum available, or 12 if
# the period is in months"), but the 30 days every metrics tool defaults to.
PERIOD_ALONE_STEPS: dict[str, int] = {**MAX_STEPS, "days": DEFAULT_WINDOW_DAYS, "months": 12}


def period_start(moment: datetime, period: str) -> datetime:
    """The start of the period holding `moment` (an aware datetime), in its own zone."""
    hour = moment.replace(minute=0, second=0, microsecond=0)
    if period == "hours":
        return hour
    day = hour.replace(hour=0)
    if period == "days":
        return day
    if period == "weeks":
        return day - timedelta(days=(day.weekday() + 1) % 7)  # back to Sunday
    return day.replace(day=1)


def periods_back(now: datetime, period: str, count: int) -> datetime:
    """The start of the `count`-th period back, counting the one holding `now` as the first.

    Steps are taken in wall time, so a day is a calendar day across a daylight-saving change.
    """
    first = period_start(now, period).replace(tzinfo=None)
    back = count - 1
    if period == "hours":
        # Hours are absolute time: an hour repeated or skipped by a clock change still counts.
        return datetime.fromtimestamp(
            period_start(now, period).timestamp() - back * 3600, now.tzinfo
        )
    if period == "months":
        months = first.year * 12 + first.month - 1 - back
        local = first.replace(year=months // 12, month=months % 12 + 1)
    else:
        local = first - timedelta(days=back * (7 if period == "weeks" else 1))
    return local.replace(tzinfo=now.tzinfo)


def steps_covering(now: datetime, start: datetime, period: str) -> int:
    """How many periods, the current one included, reach back to `start`."""
    first, last = period_start(start, period), period_start(now, period)
    if period == "hours":
        return int(last.timestamp() - first.timestamp()) // 3600 + 1
    if period == "months":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    days = (last.replace(tzinfo=None) - first.replace(tzinfo=None)).days
    return days // (7 if period == "weeks" else 1) + 1


class StepsWindowArgs(ArgsModel):
    """A window of the last N periods, as `period`/`steps` metrics take it (see `MAX_STEPS`).

    The model gives `days` or `start`, and optionally `period`; `steps` follows, the finest
    period that covers the window by default.
    """

    days: Annotated[int | None, LOCAL] = Field(
        None,
        ge=1,
        le=3650,
        description=f"The last N days, today included; default {DEFAULT_WINDOW_DAYS}. Or give "
        "start.",
    )
    start: Annotated[Moment | None, LOCAL] = Field(
        None,
        description="Window start instead: an ISO-8601 date or datetime (US Eastern) or Unix "
        "seconds; the window runs to now.",
    )
    period: Annotated[Period | None, QUERY] = Field(
        None,
        description="Period length: hours (up to 24), days (45), weeks (12) or months (121); "
        "default the finest that covers the window. Alone: the last 24 hours, 30 days, 12 weeks "
        "or 12 months.",
    )
    steps: Annotated[SkipJsonSchema[int | None], QUERY] = None  # from the window
    series: Annotated[bool, LOCAL] = Field(False, description="Also give each metric per period.")
    # The moment the window ends, set by `resolved` from the caller's clock (what a model
    # sends here is replaced): the request's steps and the answer's stated window agree.
    until: Annotated[SkipJsonSchema[datetime | None], LOCAL] = Field(None, exclude=True)
    # Set by `resolved` when the API's least number of periods made the window longer.
    widened: Annotated[SkipJsonSchema[bool], LOCAL] = Field(False, exclude=True)

    @model_validator(mode="after")
    def _days_or_start(self) -> StepsWindowArgs:
        if self.days is not None and self.start is not None:
            raise ValueError("days: give days or start, not both")
        return self

    def resolved(self, now: float) -> Self:
        zone = ZoneInfo(STEPS_ZONE)
        until = datetime.fromtimestamp(now, zone)
        if self.period is not None and self.days is None and self.start is None:
            return self.model_copy(
                update={"until": until, "steps": PERIOD_ALONE_STEPS[self.period]}
            )
        if self.start is not None:
            start = datetime.fromtimestamp(in_zone(self.start, zone), zone)
            if start >= until:
                raise ValueError("start: must be in the past")
        else:
            today = until.replace(hour=0, minute=0, second=0, microsecond=0)
            back = (self.days or DEFAULT_WINDOW_DAYS) - 1
            start = (today.replace(tzinfo=None) - timedelta(days=back)).replace(tzinfo=zone)
        choices: list[Period] = [self.period] if self.period else ["days", "weeks", "months"]
        for period in choices:
            covering = steps_covering(until, start, period)
            needed = max(MIN_STEPS, covering)
            if needed <= MAX_STEPS[period]:
                return self.model_copy(update={
                    "until": until, "period": period, "steps": needed,
                    "widened": needed > covering,
                })  # fmt: skip
        asked = self.period or "months"
        field = "start" if self.start is not None else "days"
        raise ValueError(
            f"{field}: the window needs {steps_covering(until, start, asked):,} {asked}; "
            f"the API gives at most {MAX_STEPS[asked]} {asked}"
            + ("; choose a longer period" if self.period and asked != "months" else "")
        )


def steps_span(args: StepsWindowArgs, periods: int) -> dict[str, Any]:
    """The window an answer to `args` covers: its start, end, zone, period and how many
    periods, the answer's own count (`periods`, where it gives one) first."""
    period = args.period or "days"
    assert args.until is not None, "arguments not resolved (Operation.validate resolves them)"
    periods = periods or (args.steps or 0)
    return {
        "start": periods_back(args.until, period, max(periods, 1)),
        "end": args.until.replace(microsecond=0),
        "tz": STEPS_ZONE,
        "res": period,
        "periods": periods,
        "note": (
            f"the API gives at least {MIN_STEPS} {period}: the one before is included"
            if args.widened
            else None
        ),
    }


class StepsMetricsResult(MetricsResult):
    """Totals and rates over the last `periods` periods (US Eastern), as the answer gives them."""

    resolution_key: ClassVar[str] = "period"

    @classmethod
    def window_fields(cls, payload: Any, args: StepsWindowArgs) -> dict[str, Any]:
        """The window, totals and rates of an answer to `args`."""
        series, totals = tally(payload)
        return {
            **steps_span(args, max((len(v) for v in series.values()), default=0)),
            "totals": totals,
            "rates": rates(totals),
            "series": series,
            "show_series": args.series,
        }
