"""What the tools cost an agent in tokens: their definitions, and their outputs against raw JSON."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from langchain_core.utils.function_calling import convert_to_openai_tool

from cio_toolkit import CustomerIOToolkit
from cio_toolkit.scripted import example_jobs, play

from .common import HEADERS, KEY, Row, sandbox_server

EVERYONE = {"attribute": {"field": "cio_id", "operator": "exists"}}
ADA = {"customer_id": "1"}  # a full profile: device, subscription preferences


def _definition_bytes() -> int:
    tools = CustomerIOToolkit("benchmark", read_only=False).langchain_tools()
    return len(json.dumps([convert_to_openai_tool(tool) for tool in tools]))


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
    definitions = _definition_bytes()
    rows = [
        Row(
            "8 tool definitions (convert_to_openai_tool)",
            f"{definitions:,} bytes",
            f"{definitions / 10_240:.0%} of 10 KB",
            "<= 10 KB",
            definitions <= 10_240,
        )
    ]
    end = int(time.time())
    window = {"start": end - 90 * 86_400, "end": end}
    with sandbox_server(limits=False, extra_running=36) as url:
        kit = CustomerIOToolkit(KEY, base_url=url, read_only=False, rate_limit=False)
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
        report = play(
            example_jobs, "Which campaigns are running, and how are they doing?", kit.call
        )
        lookup = play(example_jobs, "Who is ada.lovelace@example.com?", kit.call)
        kit.close()
    answered = "50 of 58 campaigns are running" in report and "Ada Lovelace has id 1" in lookup
    rows.append(
        Row(
            "example jobs done from these outputs alone",
            "campaign report, person lookup",
            "",
            "nothing missing",
            answered,
        )
    )
    return rows
