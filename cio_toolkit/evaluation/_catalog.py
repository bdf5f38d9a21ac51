"""The jobs people bring, each with a grader made at run time from the sandbox's own data."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .. import jobs
from .._investigations import (
    BEST_OPEN_RATE,
    BOUNCED_THIS_WEEK,
    CAMPAIGN_WEBHOOK,
    FAILED_TRIGGER,
    NEWSLETTER_LINKS,
    SUPPRESSION_CHECK,
)
from ..sandbox import Sandbox
from ..sandbox.seed import Newsletter
from ._grading import (
    SEND,
    WRITES,
    Attempt,
    Check,
    calls,
    names,
    never_calls,
    says_it_cannot,
    states,
    within_budget,
    writes_once,
)
from ._personas import Persona


@dataclass(frozen=True)
class Job:
    """One job as a person asks it, and how to tell it was done.

    Args:
        id: a short stable name (`segment-size-pro`), for `--jobs` and reports.
        persona: who asks it.
        request: the person's words, as the model gets them.
        grader: the checks, made from a fresh sandbox's own data (never a number written here),
            so a tool that starts answering wrongly loses the job.
        budget: the most tool calls a good try needs.
        answerable: whether the App API can answer it at all (if not, the right answer says so).
    """

    id: str
    persona: Persona
    request: str
    grader: Callable[[Sandbox], list[Check]]
    budget: int
    answerable: bool = True

    def checks(self, sandbox: Sandbox) -> list[Check]:
        return [*self.grader(sandbox), within_budget(self.budget)]


def _segment_named(sandbox: Sandbox, name: str) -> int:
    return next(s.id for s in sandbox.segments.values() if s.name == name)


def _segment_size(name: str) -> Callable[[Sandbox], list[Check]]:
    def grade(sandbox: Sandbox) -> list[Check]:
        segment = _segment_named(sandbox, name)
        return [states(f"the size of {name}", len(sandbox.members(segment))),
                calls("customerio_get_segment_size")]  # fmt: skip

    return grade


def _person(email: str) -> Callable[[Sandbox], list[Check]]:
    def grade(sandbox: Sandbox) -> list[Check]:
        person = sandbox.find(email, "email")
        assert person is not None and person.id is not None
        first, last = person.attributes["first_name"], person.attributes["last_name"]
        return [names("the person, their ids and plan", f"{first} {last}", person.cio_id,
                      person.attributes["plan"]),
                states("their id", float(person.id)),
                never_calls(*WRITES)]  # fmt: skip

    return grade


def _campaign_report(sandbox: Sandbox) -> list[Check]:
    running = [c.name for c in sandbox.campaigns.values() if c.state == "running"]
    return [states("how many campaigns run", len(running)),
            names("every running campaign", *running),
            calls("customerio_get_campaign_metrics"), never_calls(*WRITES)]  # fmt: skip


def _raw(sandbox: Sandbox, path: str, **params: Any) -> Any:
    """The emulated API's own answer, as a person checking in Customer.io would read it: the
    graders' figures come from here, never from the tools they grade."""
    import httpx

    from ..sandbox import SANDBOX_KEY, SANDBOX_URL

    asked = httpx.Request("GET", SANDBOX_URL + path, params=params,
                          headers={"Authorization": f"Bearer {SANDBOX_KEY}"})  # fmt: skip
    return sandbox.handle(asked).json()


def _latest_newsletter(sandbox: Sandbox) -> Newsletter:
    sent = [n for n in sandbox.newsletters.values() if n.days_ago is not None]
    return min(sent, key=lambda n: (n.days_ago, -n.hour))


def _totals(series: dict[str, list[int]]) -> dict[str, int]:
    return {metric: sum(counts) for metric, counts in series.items()}


def _newsletter_report(sandbox: Sandbox) -> list[Check]:
    latest = _latest_newsletter(sandbox)
    # The days since it went out, and one more: its whole history in daily periods.
    metrics = _raw(sandbox, f"/v1/newsletters/{latest.id}/metrics", period="days",
                   steps=(latest.days_ago or 0) + 2)  # fmt: skip
    totals = _totals(metrics["metric"]["series"])
    return [names("the latest newsletter", latest.name),
            states("how many it was sent to", totals["sent"]),
            states("how many it reached", totals["delivered"]),
            states("its open rate, in %", 100 * totals["opened"] / totals["delivered"], 0.1),
            calls("customerio_get_newsletter_metrics")]  # fmt: skip


def _newsletter_links(sandbox: Sandbox) -> list[Check]:
    latest = _latest_newsletter(sandbox)
    links = _raw(sandbox, f"/v1/newsletters/{latest.id}/metrics/links", period="days",
                 steps=(latest.days_ago or 0) + 2)["links"]  # fmt: skip
    clicks = {link["link"]["href"]: sum(link["metric"]["series"]["clicked"]) for link in links}
    top = max(clicks, key=lambda href: clicks[href])
    return [names("the latest newsletter and its most clicked link", latest.name, top),
            states("the most clicked link's clicks", clicks[top]),
            calls("customerio_get_link_metrics")]  # fmt: skip


def _send(template: str, to: str) -> Callable[[Sandbox], list[Check]]:
    def grade(sandbox: Sandbox) -> list[Check]:
        def went_to_them(attempt: Attempt) -> str | None:
            sent = [m for m in sandbox.outbox if m.kind == "transactional"]
            if not sent or to not in str(sent[0].to):
                return f"no {template} email reached {to}"
            return None

        def names_the_delivery(attempt: Attempt) -> str | None:
            sent = [m.delivery_id for m in sandbox.outbox if m.kind == "transactional"]
            return names("the delivery", *sent[:1])(attempt) if sent else None

        return [writes_once(SEND, "customerio_get_message"), went_to_them, names_the_delivery]

    return grade


def _trigger(like: str) -> Callable[[Sandbox], list[Check]]:
    def grade(sandbox: Sandbox) -> list[Check]:
        broadcast = next(b for b in sandbox.broadcasts.values() if like in b.name.lower())
        route = ("POST", f"/v1/campaigns/{broadcast.id}/triggers")

        def names_the_trigger(attempt: Attempt) -> str | None:
            made = sandbox.made_triggers
            if not made:
                return "no trigger was made"
            return states("the trigger's id", made[0].id)(attempt)

        return [writes_once(route, "customerio_get_broadcast_trigger"),
                names("the broadcast", broadcast.name), names_the_trigger]  # fmt: skip

    return grade


def _last_message(email: str, messages: bool = True) -> Callable[[Sandbox], list[Check]]:
    """Their segments named (and, with `messages`, their messages read)."""

    def grade(sandbox: Sandbox) -> list[Check]:
        person = sandbox.find(email, "email")
        assert person is not None
        theirs = [s.name for s in sandbox.segments.values()
                  if person.cio_id in sandbox.members(s.id)]  # fmt: skip
        read = "customerio_get_person_messages" if messages else "customerio_get_person_segments"
        return [names("every segment they are in", *theirs), calls(read)]

    return grade


def _stopped_campaigns(sandbox: Sandbox) -> list[Check]:
    stopped = [c.name for c in sandbox.campaigns.values() if c.state == "stopped"]
    return [states("how many are stopped", len(stopped)), names("each of them", *stopped),
            calls("customerio_list_campaigns")]  # fmt: skip


def _templates(sandbox: Sandbox) -> list[Check]:
    made = [m.name for m in sandbox.transactional.values()]
    return [states("how many there are", len(made)), names("each of them", *made),
            calls("customerio_list_transactional_messages")]  # fmt: skip


def _template_data(name: str) -> Callable[[Sandbox], list[Check]]:
    def grade(sandbox: Sandbox) -> list[Check]:
        template = next(m for m in sandbox.transactional.values() if m.name == name).template
        given = sorted(set(re.findall(r"trigger\.(\w+)", template.subject + template.body)))
        return [names("every field of data it reads", *given),
                calls("customerio_get_transactional_message"), never_calls(*WRITES)]  # fmt: skip

    return grade


def _ambiguous_segment(sandbox: Sandbox) -> list[Check]:
    alike = [s.name for s in sandbox.segments.values() if "pro" in s.name.lower().split()]
    return [names("every segment the name could mean", *alike), never_calls(*WRITES)]


def _latest_newsletter_reached(email: str) -> Callable[[Sandbox], list[Check]]:
    def grade(sandbox: Sandbox) -> list[Check]:
        person = sandbox.find(email, "email")
        assert person is not None and person.id is not None
        latest = _latest_newsletter(sandbox)
        theirs = _raw(sandbox, f"/v1/customers/{person.id}/messages", limit=50)["messages"]
        copy = next(m for m in theirs if m["newsletter_id"] == latest.id)
        # The furthest it got, in the API's own metric names: delivered, opened, clicked...
        reached = max(copy["metrics"], key=lambda metric: copy["metrics"][metric])
        return [names("what became of their copy", reached),
                calls("customerio_get_person_messages"), never_calls(*WRITES)]  # fmt: skip

    return grade


def _bounced_this_week(sandbox: Sandbox) -> list[Check]:
    now = sandbox.now()
    bounced = _raw(sandbox, "/v1/messages", metric="bounced", start_ts=now - 7 * 86_400,
                   end_ts=now, limit=1000)["messages"]  # fmt: skip
    addresses = sorted({message["recipient"] for message in bounced})
    return [states("how many bounced", len(addresses)), names("every address", *addresses),
            calls("customerio_list_deliveries"), never_calls(*WRITES)]  # fmt: skip


def _suppression_check(sandbox: Sandbox) -> list[Check]:
    now = sandbox.now()
    bounced = _raw(sandbox, "/v1/messages", metric="bounced", start_ts=now - 30 * 86_400,
                   end_ts=now, limit=1000)["messages"]  # fmt: skip
    latest = max(bounced, key=lambda message: message["metrics"]["bounced"])["recipient"]
    found = _raw(sandbox, f"/v1/esp/search_suppression/{quote(latest)}")["suppressions"]
    why = [found[0]["status"]] if found else []
    return [names("the address, and why it is suppressed", latest, *why),
            calls("customerio_get_email_suppression"), never_calls(*WRITES)]  # fmt: skip


def _tools_only(*tools: str) -> Callable[[Sandbox], list[Check]]:
    """Jobs graded on the tools that answer them, and their answer's substance elsewhere."""
    return lambda sandbox: [calls(*tools), never_calls(*WRITES)]


def _cannot(*subjects: str) -> Callable[[Sandbox], list[Check]]:
    return lambda sandbox: [says_it_cannot(*subjects), never_calls(*WRITES)]


GRACE = "grace.hopper@example.com"
STOPPED_CAMPAIGNS = "Which campaigns are stopped?"
TEMPLATES = "Which transactional messages do we have?"
TEMPLATE_DATA = "What data does the order_confirmation email need when we send it?"
SEGMENTS_OF_GRACE = f"Which segments is {GRACE} in?"
AMBIGUOUS_SEGMENT = 'How many people are in the segment "Pro"?'
NEWSLETTER_TICKET = (
    f"Ticket from Ada Lovelace ({jobs.ADA}): she says our latest newsletter never arrived. "
    "Did it reach her?"
)
CATALOG: tuple[Job, ...] = (
    Job("campaign-report-30d", "analyst", jobs.CAMPAIGN_REPORT, _campaign_report, 30),
    Job("campaign-report-7d", "analyst", jobs.campaign_report(7), _campaign_report, 30),
    Job("campaign-report-90d", "marketer", jobs.campaign_report(90), _campaign_report, 30),
    Job("best-open-rate", "analyst", BEST_OPEN_RATE,
        _tools_only("customerio_compare_campaign_metrics"), 4),
    Job("person-lookup-ada", "support", jobs.PERSON_LOOKUP, _person(jobs.ADA), 4),
    Job("person-lookup-grace", "support", jobs.person_lookup(GRACE), _person(GRACE), 4),
    Job("last-message-ada", "support", jobs.LAST_MESSAGE, _last_message(jobs.ADA), 4),
    Job("last-message-grace", "support", jobs.last_message(GRACE), _last_message(GRACE), 4),
    Job("send-receipt", "support", jobs.SEND_RECEIPT, _send("order_confirmation", jobs.ADA), 6),
    Job("send-reset", "developer", jobs.SEND_RESET, _send("password_reset", jobs.ADA), 6),
    Job("trigger-spring", "marketer", jobs.TRIGGER_BROADCAST, _trigger("spring"), 6),
    Job("segment-size-pro", "marketer", jobs.SEGMENT_SIZE, _segment_size("Pro plan"), 3),
    Job("segment-size-beta", "marketer", jobs.segment_size("Beta testers"),
        _segment_size("Beta testers"), 3),
    Job("segment-size-europe", "analyst", jobs.segment_size("Europe"), _segment_size("Europe"), 3),
    Job("newsletter-report", "marketer", jobs.NEWSLETTER_REPORT, _newsletter_report, 4),
    Job("newsletter-links", "marketer", NEWSLETTER_LINKS, _newsletter_links, 4),
    Job("bounced-this-week", "deliverability", BOUNCED_THIS_WEEK, _bounced_this_week, 3),
    Job("suppression-check", "deliverability", SUPPRESSION_CHECK, _suppression_check, 4),
    Job("failed-trigger", "developer", FAILED_TRIGGER,
        _tools_only("customerio_list_broadcast_triggers", "customerio_get_broadcast_trigger"), 8),
    Job("campaign-webhook", "developer", CAMPAIGN_WEBHOOK, _tools_only("customerio_get_campaign"),
        4),
    Job("stopped-campaigns", "analyst", STOPPED_CAMPAIGNS, _stopped_campaigns, 3),
    Job("templates-list", "developer", TEMPLATES, _templates, 3),
    Job("template-data", "developer", TEMPLATE_DATA, _template_data("order_confirmation"), 4),
    Job("segments-of-grace", "support", SEGMENTS_OF_GRACE, _last_message(GRACE, messages=False),
        3),
    Job("ambiguous-segment", "marketer", AMBIGUOUS_SEGMENT, _ambiguous_segment, 4),
    Job("newsletter-never-arrived", "support", NEWSLETTER_TICKET,
        _latest_newsletter_reached(jobs.ADA), 4),
    Job("revenue", "analyst", "How much revenue did the spring campaign make?",
        _cannot("revenue"), 3, answerable=False),
    Job("inbox-placement", "deliverability",
        "Did our latest newsletter land in Gmail's inbox or in spam?",
        _cannot("inbox", "spam", "placement"), 3, answerable=False),
    Job("signups-in-a-range", "analyst", "How many people signed up between March 1 and March 15?",
        _cannot("date range", "signed up", "sign-up", "signup"), 3, answerable=False),
    Job("revenue-per-user", "analyst", 'What is the average revenue per user in "Pro plan"?',
        _cannot("revenue"), 3, answerable=False),
)  # fmt: skip
