"""What the tools cost an agent in tokens: their definitions, and their outputs against raw JSON."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from langchain_core.utils.function_calling import convert_to_openai_tool

from cio_toolkit import CustomerIOToolkit, jobs
from cio_toolkit import _investigations as investigations
from cio_toolkit.jobs import example_jobs
from cio_toolkit.scripted import play

from .common import HEADERS, KEY, Row, sandbox_server

EVERYONE = {"attribute": {"field": "cio_id", "operator": "exists"}}
ADA = {"customer_id": "1"}  # a full profile: device, subscription preferences


# What a model is sent on every turn, per preset, and the budget each stays within (issue 13):
# (label, the toolkit's options, budget in bytes).
PRESET_BUDGETS: list[tuple[str, dict[str, Any], int]] = [
    ("CustomerIOToolkit() (core, read-only)", {}, 10 * 1024),
    ("read_only=False (core and the writes' checks)", {"read_only": False}, 16 * 1024),
    *(
        (f'tools="{preset}", read_only=False', {"tools": preset, "read_only": False}, 16 * 1024)
        for preset in ("support", "marketing", "analytics", "deliverability")
    ),
    # Every tool: a ceiling that shows growth, not a budget a turn should pay.
    ('tools="all" (read-only)', {"tools": "all"}, 48 * 1024),
    ('tools="all", read_only=False', {"tools": "all", "read_only": False}, 48 * 1024),
]


def definitions(**options: Any) -> list[dict[str, Any]]:
    """A toolkit's tool definitions as LangChain renders them for OpenAI."""
    tools = CustomerIOToolkit("benchmark", **options).langchain_tools()
    return [convert_to_openai_tool(tool) for tool in tools]


def definition_bytes(**options: Any) -> int:
    return len(json.dumps(definitions(**options)))


def _definition_rows() -> list[Row]:
    rows = []
    for label, options, budget in PRESET_BUDGETS:
        tools, size = len(definitions(**options)), definition_bytes(**options)
        rows.append(
            Row(
                f"definitions: {label}",
                f"{tools} tools, {size:,} bytes",
                f"{size / budget:.0%} of {budget // 1024} KB",
                f"<= {budget // 1024} KB",
                size <= budget,
            )
        )
    return rows


def _output_row(label: str, raw: bytes, ours: str, target: bool) -> Row:
    share = len(ours.encode()) / len(raw)
    return Row(
        f"output: {label}",
        f"{len(ours.encode()):,} of {len(raw):,} raw bytes",
        f"{share:.0%}",
        "<= 40% of raw" if target else "",
        share <= 0.4 if target else None,
    )


def run(quick: bool) -> list[Row]:
    rows = _definition_rows()
    end = int(time.time())
    window = {"start": end - 90 * 86_400, "end": end}
    with sandbox_server(limits=False, extra_running=36) as url:
        kit = CustomerIOToolkit(KEY, base_url=url, read_only=False, tools="all", rate_limit=False)
        with httpx.Client(base_url=url, headers=HEADERS) as raw:
            page = raw.post("/v1/customers", params={"limit": 1000}, json={"filter": EVERYONE})
            metrics = raw.get(
                "/v1/campaigns/1/metrics", params={"version": 2, "res": "days", **window}
            )
            campaigns = raw.get("/v1/campaigns")
            person = raw.get(f"/v1/customers/{ADA['customer_id']}/attributes")
        count = len(campaigns.json()["campaigns"])
        search = {"filter": EVERYONE, "limit": 1000}
        series: dict[str, Any] = {"campaign_id": 1, "res": "days", **window}
        emails, with_series = {**search, "emails": True}, {**series, "series": True}
        outputs = [
            (f"{count} campaigns", campaigns, "customerio_list_campaigns", {}, True),
            ("1,000-person search page", page, "customerio_search_customers", search, True),
            ("  the same, emails=true", page, "customerio_search_customers", emails, False),
            ("90-day daily metrics", metrics, "customerio_get_campaign_metrics", series, True),
            (
                "  the same, series=true",
                metrics,
                "customerio_get_campaign_metrics",
                with_series,
                False,
            ),
            ("full person profile", person, "customerio_get_person_attributes", ADA, True),
        ]
        for label, answer, tool, arguments, is_target in outputs:
            rows.append(_output_row(label, answer.content, kit.call(tool, arguments), is_target))
        answers = {request: play(example_jobs, request, kit.call) for request in JOBS}
        kit.close()
    done = [request for request, fact in JOBS.items() if fact in answers[request]]
    rows.append(
        Row(
            "example jobs done from these outputs alone",
            f"{len(done)} of {len(JOBS)}",
            "",
            "nothing missing",
            len(done) == len(JOBS),
        )
    )
    return rows


# Each example job, and a fact its answer holds only when the tools' outputs sufficed.
JOBS = {
    jobs.campaign_report(): "50 of 58 campaigns are running",
    jobs.PERSON_LOOKUP: "Ada Lovelace has id 1",
    jobs.SEND_RECEIPT: "Its state is sent.",
    jobs.TRIGGER_BROADCAST: "is processed at",
    jobs.SEGMENT_SIZE: 'people are in the segment "Pro plan" (2)',
    jobs.LAST_MESSAGE: "Segments (5): Paying customers (1)",
    jobs.NEWSLETTER_REPORT: "open rate",
    # The jobs the later tools close.
    investigations.BOUNCED_THIS_WEEK: "addresses bounced in the last 7 days",
    investigations.FAILED_TRIGGER: "could not use 2 recipients",
    investigations.CAMPAIGN_WEBHOOK: "call POST https://crm.northwind.example",
    investigations.NEWSLETTER_LINKS: "https://northwind.example/blog/automations (",
    investigations.SUPPRESSION_CHECK: "is suppressed by the email provider: bounces",
    investigations.BEST_OPEN_RATE: "had the best open rate",
}
