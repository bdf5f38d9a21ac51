"""The example jobs end to end, on the sandbox: scripted, in a LangChain agent and in a LlamaIndex
agent, each answer's facts checked against the workspace's own data."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from cio_toolkit import CustomerIOToolkit
from cio_toolkit._template_reads import template_reads
from cio_toolkit.jobs import (
    LAST_MESSAGE,
    NEWSLETTER_REPORT,
    SEGMENT_SIZE,
    SEND_RECEIPT,
    SEND_RESET,
    TRIGGER_BROADCAST,
    example_jobs,
    send_template,
)
from cio_toolkit.operations.messages import delivery_state
from cio_toolkit.sandbox import Sandbox, deliveries
from cio_toolkit.scripted import play

Runner = Callable[[CustomerIOToolkit, str], Awaitable[str]]


async def scripted(kit: CustomerIOToolkit, request: str) -> str:
    return play(example_jobs, request, kit.call)


async def langchain(kit: CustomerIOToolkit, request: str) -> str:
    from langchain.agents import create_agent

    from langchain_customerio.testing import ScriptedChatModel

    agent = create_agent(ScriptedChatModel(script=example_jobs), tools=kit.langchain_tools())
    state = await agent.ainvoke({"messages": [{"role": "user", "content": request}]})
    return str(state["messages"][-1].content)


async def llamaindex(kit: CustomerIOToolkit, request: str) -> str:
    from llama_index.core.agent.workflow import FunctionAgent

    from llama_index.tools.customerio.testing import scripted_llm

    agent = FunctionAgent(tools=kit.llamaindex_tools(), llm=scripted_llm(example_jobs))
    return str(await agent.run(user_msg=request))


RUNNERS = pytest.mark.parametrize(
    "run", [scripted, langchain, llamaindex], ids=lambda r: r.__name__
)


class StillClock:
    """The sandbox's clock held at one moment, so a state read in the answer is the state now."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def workspace() -> Sandbox:
    return Sandbox(rate_limits=False, clock=StillClock())


def writer(workspace: Sandbox) -> CustomerIOToolkit:
    """The read/write toolkit as it comes: the core tools and those that check the writes."""
    return CustomerIOToolkit.sandbox(workspace, read_only=False, rate_limit=False)


def reader(workspace: Sandbox) -> CustomerIOToolkit:
    return CustomerIOToolkit.sandbox(workspace, tools="all", rate_limit=False)


# -- 1. find a broadcast, trigger it for one segment, check the trigger ----------------------------


@RUNNERS
async def test_trigger_the_spring_broadcast_for_a_segment(run: Runner, workspace: Sandbox) -> None:
    answer = await run(writer(workspace), TRIGGER_BROADCAST)
    (trigger,) = workspace.made_triggers
    assert trigger.broadcast_id == 101 and "spring" in workspace.broadcasts[101].name.lower()
    testers = {p.email for p in workspace.people if p.cio_id in workspace.members(7) and p.email}
    assert {m.to for m in workspace.outbox} == testers
    assert all(m.message_data == {"code": "SPRING10"} for m in workspace.outbox)
    assert '"Spring flash sale" (101) for the segment "Beta testers" (7)' in answer
    assert f"trigger {trigger.id} is processed" in answer
    assert f"with {len(trigger.errors)} errors" in answer and not trigger.errors


# -- 2. send a template with exactly the data it reads, confirm the delivery -----------------------


def _delivery_state(workspace: Sandbox, delivery_id: str) -> str:
    found = deliveries.find(workspace, delivery_id)
    assert found is not None
    return delivery_state(found.seen(workspace.now()), found.failure_message)


@RUNNERS
@pytest.mark.parametrize(
    ("request_", "template_id", "data"),
    [
        (SEND_RESET, 1, {"reset_url": "https://northwind.example/reset/4f9c"}),
        (SEND_RECEIPT, 2, {"order_id": "A-1042", "total": "89.00", "currency": "EUR"}),
    ],
)
async def test_send_a_template_with_the_data_it_reads_and_confirm_it(
    run: Runner, workspace: Sandbox, request_: str, template_id: int, data: dict[str, str]
) -> None:
    answer = await run(writer(workspace), request_)
    (sent,) = workspace.outbox
    template = workspace.transactional[template_id]
    reads = template_reads(template.template.subject, template.template.preheader,
                           template.template.body)  # fmt: skip
    required = set(reads.paths["trigger"]) - set(reads.optional["trigger"])
    assert sent.transactional_message_id == template_id and dict(sent.message_data) == data
    assert required <= set(data) <= set(reads.paths["trigger"])  # exactly what it reads
    assert all(value in sent.subject + sent.body for value in data.values())
    state = _delivery_state(workspace, sent.delivery_id)
    assert f"(delivery {sent.delivery_id}). Its state is {state}." in answer
    assert "It was not suppressed." in answer and state == "sent"


@RUNNERS
async def test_a_send_to_someone_unsubscribed_says_it_was_suppressed(
    run: Runner, workspace: Sandbox
) -> None:
    person = next(p for p in workspace.people if p.unsubscribed and p.email)
    assert person.email is not None
    answer = await run(writer(workspace), send_template("welcome", person.email))
    (sent,) = workspace.outbox
    assert sent.status == "suppressed" and dict(sent.message_data) == {}  # welcome reads none
    assert _delivery_state(workspace, sent.delivery_id) == "suppressed"
    assert "Its state is suppressed. It was suppressed: Not sent: the person is unsubscribed" in (
        answer
    )


# -- 3. how many people are in a segment -----------------------------------------------------------


@RUNNERS
async def test_the_size_of_a_segment(run: Runner, workspace: Sandbox) -> None:
    answer = await run(reader(workspace), SEGMENT_SIZE)
    (pro,) = [s for s in workspace.segments.values() if s.name == "Pro plan"]
    count = len(workspace.members(pro.id))
    assert answer == f'{count:,} people are in the segment "Pro plan" ({pro.id}).'
    assert count == sum(p.attributes["plan"] == "pro" for p in workspace.people)


# -- 4. a person's last message and segments -------------------------------------------------------


@RUNNERS
async def test_the_last_message_to_a_person_and_their_segments(
    run: Runner, workspace: Sandbox
) -> None:
    answer = await run(reader(workspace), LAST_MESSAGE)
    ada = workspace.find("ada.lovelace@example.com", "email")
    assert ada is not None
    newest = deliveries.of_person(workspace, ada)[0]
    state = delivery_state(newest.seen(workspace.now()), newest.failure_message)
    assert f'"{newest.subject}" ({newest.kind} {newest.source_id}, email)' in answer
    assert f"now {state}." in answer
    member_of = [s for s in workspace.segments.values() if ada.cio_id in workspace.members(s.id)]
    assert f"Segments ({len(member_of)}): " in answer
    assert all(f"{s.name} ({s.id})" in answer for s in member_of)


# -- 5. how the most recent newsletter did ---------------------------------------------------------


@RUNNERS
async def test_how_the_latest_newsletter_performed(run: Runner, workspace: Sandbox) -> None:
    answer = await run(reader(workspace), NEWSLETTER_REPORT)
    sent = [n for n in workspace.newsletters.values() if n.days_ago is not None]
    latest = min(sent, key=lambda n: n.days_ago or 0)
    seen = [d.seen(workspace.now()) for d in deliveries.of_newsletter(workspace, latest.id)]

    def count(event: str) -> int:
        return sum(event in events for events in seen)

    delivered = count("delivered")
    assert f'"{latest.name}" ({latest.id})' in answer
    assert f"{count('sent'):,} sent, {delivered:,} delivered" in answer
    assert f"open rate {count('opened') / delivered:.1%}" in answer
    assert f"click rate {count('clicked') / delivered:.1%}" in answer


def test_every_job_has_a_request_the_script_understands() -> None:
    requests: list[Any] = [TRIGGER_BROADCAST, SEND_RESET, SEND_RECEIPT, SEGMENT_SIZE,
                           LAST_MESSAGE, NEWSLETTER_REPORT]  # fmt: skip
    from cio_toolkit.scripted import Exchange

    first_calls = [example_jobs(Exchange(r, 0, ())) for r in requests]
    assert [calls[0][0] for calls in first_calls] == [
        "customerio_list_broadcasts", "customerio_list_transactional_messages",
        "customerio_list_transactional_messages", "customerio_list_segments",
        "customerio_get_person_messages", "customerio_list_newsletters",
    ]  # fmt: skip


# -- the jobs the later tools close, each answer held to the workspace's own data ---------------


def _investigation_facts(sandbox: Sandbox) -> dict[str, list[str]]:
    from cio_toolkit import _investigations as jobs
    from cio_toolkit.sandbox.suppressions import suppressed

    now = sandbox.now()
    week = [d for d in deliveries.everything(sandbox)
            if now - 7 * 86_400 <= d.created <= now and "bounced" in d.seen(now)]  # fmt: skip
    (failed,) = [t for t in sandbox.triggers.values() if t.broadcast_id == 102 and t.errors]
    letter = max((n for n in sandbox.newsletters.values() if n.days_ago is not None),
                 key=lambda n: -n.days_ago)  # fmt: skip
    latest = max(week, key=lambda d: d.created)
    bounces = {s["email"] for s in suppressed(sandbox, "bounces")}
    return {
        jobs.BOUNCED_THIS_WEEK: [f"{len({d.recipient for d in week})} addresses bounced",
                                 *sorted({d.recipient for d in week})[:3]],
        jobs.FAILED_TRIGGER: [f"Trigger {failed.id} ", f"could not use {len(failed.errors)}",
                              *failed.errors],
        jobs.CAMPAIGN_WEBHOOK: ["started by webhook 3", "POST https://crm.northwind.example"],
        jobs.NEWSLETTER_LINKS: [letter.name, "https://northwind.example/blog/automations ("],
        jobs.SUPPRESSION_CHECK: [latest.recipient, "is suppressed by the email provider: bounces"]
        if latest.recipient in bounces else ["is not suppressed"],
        jobs.BEST_OPEN_RATE: ["had the best open rate over the last 7 days"],
    }  # fmt: skip


@RUNNERS
@pytest.mark.parametrize("job", range(6))
async def test_the_later_tools_jobs_are_done_from_their_outputs(run: Runner, job: int) -> None:
    sandbox = Sandbox(rate_limits=False)
    kit = CustomerIOToolkit.sandbox(sandbox, tools="all", rate_limit=False)
    request, facts = list(_investigation_facts(sandbox).items())[job]
    answer = await run(kit, request)
    for fact in facts:
        assert fact in answer, (request, fact, answer)
