"""The `cio-toolkit` command: the demo's jobs, the tool list, one call, the sandbox server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
import time_machine

from cio_toolkit import CustomerIOToolkit
from cio_toolkit.cli import main
from cio_toolkit.operations import OPERATIONS
from cio_toolkit.sandbox import Sandbox, SandboxServer
from tests.conftest import API_KEY


@pytest.fixture
def no_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CUSTOMERIO_APP_API_KEY", raising=False)
    monkeypatch.delenv("CUSTOMERIO_BASE_URL", raising=False)


@pytest.fixture
def real_workspace(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    """A configured workspace (key and base URL), served by a sandbox on loopback."""
    with SandboxServer(Sandbox(api_key=API_KEY)) as server:
        monkeypatch.setenv("CUSTOMERIO_APP_API_KEY", API_KEY)
        monkeypatch.setenv("CUSTOMERIO_BASE_URL", server.url)
        yield server


def test_demo_runs_the_three_jobs_on_the_sandbox(
    no_workspace: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # The sandbox's metrics follow the calendar: a fixed day gives fixed figures, read from
    # the sandbox itself for the comparison.
    with time_machine.travel("2026-12-01T12:00:00Z", tick=True):
        assert main(["demo"]) == 0
        welcome = CustomerIOToolkit.sandbox(tools="all").run(
            "customerio_get_campaign_metrics", {"campaign_id": 1}
        )
    out = capsys.readouterr().out
    sent, opened = welcome.totals["sent"], welcome.rates["open_rate"]
    assert out.startswith("Using the sandbox (CUSTOMERIO_APP_API_KEY is not set)")
    assert "The model is a scripted stand-in" in out
    # 1. the running campaigns with their metrics, from the tools' outputs
    assert "-> customerio_list_campaigns({})" in out
    assert "-> 14 calls of customerio_get_campaign_metrics" in out
    assert "Answer: 14 of 22 campaigns are running. Last 30 days:" in out
    assert f"- Welcome series: {sent:,} sent, {opened:.0%} opened" in out
    assert "Holiday sale" not in out and sent > 0
    # 2. a person found by email, their profile as the agent sees it
    assert '2. "Who is ada.lovelace@example.com?"' in out
    assert '"first_name":"Ada"' in out
    assert "Answer: Ada Lovelace has id 1 and cio_id a3000001: plan enterprise" in out
    # 3. a send with the read/write tools: the template read first, the delivery checked after,
    # and the outbox entry with its Liquid rendered
    assert "-> customerio_get_transactional_message(" in out
    assert (
        "Answer: Sent order_confirmation to ada.lovelace@example.com with order_id, total, "
        "currency (delivery sandbox-000001). Its state is sent. It was not suppressed."
    ) in out
    assert "subject:  Your order A-1042 is confirmed" in out
    assert "Hi Ada," in out and "status:   sent" in out
    assert "\n4. " not in out  # the other jobs come with --all


def test_demo_all_runs_every_job_on_the_sandbox(
    no_workspace: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--all"]) == 0
    newsletter = CustomerIOToolkit.sandbox(tools="all").run(
        "customerio_get_newsletter_metrics", {"newsletter_id": 204}
    )
    out = capsys.readouterr().out
    answers = [line for line in out.splitlines() if line.startswith("   Answer: ")]
    assert len(answers) == 9
    assert '3. "How many people are in the segment "Pro plan"?"' in out
    assert 'Answer: 172 people are in the segment "Pro plan" (2).' in out
    assert 'The last message to ada.lovelace@example.com: "New: automations"' in out
    assert (
        '"Product update: automations" (204), sent ' in out
        and f"open rate {newsletter.rates['open_rate']:.1%}" in out
    )
    assert "Sent password_reset to ada.lovelace@example.com with reset_url" in out
    assert "Its state is suppressed. It was suppressed: Not sent: the person is unsubscribed" in out
    assert (
        'Triggered "Spring flash sale" (101) for the segment "Beta testers" (7): trigger 7' in out
    )
    assert "is processed at " in out and "with 0 errors." in out


def test_demo_on_a_real_workspace_writes_only_when_told(
    real_workspace: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--email", "grace.hopper@example.com", "--days", "7"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Using your Customer.io workspace at {real_workspace.url}.")
    assert "over the last 7 days" in out and "Last 7 days:" in out
    assert '"Who is grace.hopper@example.com?"' in out and "Grace Hopper has id 2" in out
    assert "3. Skipped: on a real workspace this sends a real email" in out
    assert real_workspace.sandbox.outbox == []

    send = ["demo", "--write", "--to", "ops@northwind.example", "--template", "5"]
    assert main(send) == 0  # invoice_ready reads two keys: the job asks for them, sends nothing
    assert "5 reads invoice_number, amount: tell me the values to send." in capsys.readouterr().out
    assert real_workspace.sandbox.outbox == []
    assert main([*send, "--data", "invoice_number=INV-7", "--data", "amount=12.00"]) == 0
    (sent,) = real_workspace.sandbox.outbox
    assert (sent.to, sent.transactional_message_id) == ("ops@northwind.example", 5)
    assert dict(sent.message_data) == {"invoice_number": "INV-7", "amount": "12.00"}
    assert API_KEY not in capsys.readouterr().out


def test_tools_lists_a_presets_tools_with_access_and_arguments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["tools"]) == 0
    out, err = capsys.readouterr()
    default = [spec.name for spec in CustomerIOToolkit("k").specs]
    assert [line.split()[0] for line in out.splitlines()] == default
    assert err == "6 tools: preset core, without the write tools.\n"
    assert main(["tools", "--preset", "all", "--write"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [[op.name, op.access] for op in OPERATIONS]
    assert any("campaign_id, days?, start?, end?" in line for line in lines)


def test_call_prints_what_a_model_sees(
    no_workspace: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["call", "customerio_list_segments"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["count"] == 10 and "Using the sandbox" in err

    assert main(["call", "customerio_get_campaign_metrics", "--args", '{"campaign_id": 0}']) == 1
    assert "campaign_id: must be a positive id" in capsys.readouterr().err

    arguments = '{"to": "a@example.com", "transactional_message_id": 1}'
    send = ["call", "customerio_send_transactional_email", "--args", arguments]
    assert main(send) == 2
    assert "sends messages; add --write to run it" in capsys.readouterr().err
    assert main([*send, "--write"]) == 0
    assert json.loads(capsys.readouterr().out)["delivery_id"] == "sandbox-000001"


def test_the_sandbox_command_serves_over_http() -> None:
    command = [sys.executable, "-m", "cio_toolkit.cli", "sandbox", "--port", "0", "--no-limits"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            banner = server.stdout.readline()
            url = banner.split(" at ")[1].split()[0]
            headers = {"Authorization": "Bearer sandbox"}
            answer = httpx.get(f"{url}/v1/segments/7/customer_count", headers=headers)
            assert answer.json() == {"segment_id": 7, "count": 45}
        finally:
            server.terminate()


def test_version_and_python_dash_m() -> None:
    from cio_toolkit import __version__

    shown = subprocess.run([sys.executable, "-m", "cio_toolkit", "--version"],
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert shown.returncode == 0 and shown.stdout.strip() == f"cio-toolkit {__version__}"


@pytest.mark.parametrize("command", [["call", "customerio_list_segments"], ["mcp"]])
def test_a_public_key_stops_the_command_in_one_line_holding_none_of_it(command: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUSTOMERIO_")}
    env["CUSTOMERIO_APP_API_KEY"] = "pk_live_0123456789abcdef"
    ran = subprocess.run([sys.executable, "-m", "cio_toolkit", *command], capture_output=True,
                         text=True, timeout=60, env=env)  # fmt: skip
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    (said,) = [line for line in ran.stderr.splitlines() if line.startswith("error:")]
    assert "public key (pk_...)" in said and "0123456789abcdef" not in ran.stderr + ran.stdout


@pytest.mark.parametrize("command", [["call", "customerio_list_segments"],
                                     ["demo", "--email", "grace.hopper@example.com"]])  # fmt: skip
def test_call_and_demo_take_the_base_url_as_mcp_does(
    command: list[str], no_workspace: None, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """--base-url (and --region) on the command line: a key from the environment, the
    workspace from the flag, no sandbox in its place."""
    workspace = Sandbox(api_key=API_KEY)
    with SandboxServer(workspace) as server:
        monkeypatch.setenv("CUSTOMERIO_APP_API_KEY", API_KEY)
        assert main([*command, "--base-url", server.url]) == 0
    assert sum(workspace.received.values()) > 0  # it served them
    assert "Using the sandbox" not in capsys.readouterr().err
    monkeypatch.delenv("CUSTOMERIO_APP_API_KEY")
    assert main([*command, "--base-url", "http://127.0.0.1:9"]) == 2  # a URL, yet no key
    assert "no Customer.io App API key" in capsys.readouterr().err


def test_demo_sends_the_template_it_is_given_even_with_a_space(
    no_workspace: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--template", "password reset"]) == 0
    out = capsys.readouterr().out
    assert 'Send the "password reset" email to ada.lovelace@example.com' in out
    assert '{"name": "password reset"}' in out  # looked up by the name given, not another job
    assert "There is no transactional message named like password reset." in out


def test_demo_on_a_real_workspace_asks_for_a_template(
    real_workspace: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--write", "--to", "ops@northwind.example"]) == 0
    out = capsys.readouterr().out
    assert "Skipped: say which transactional message to send, with" in out
    assert "--template NAME" in out and "order_confirmation" not in out
    assert real_workspace.sandbox.outbox == []


def test_the_latest_newsletter_is_the_one_sent_last_whatever_its_id() -> None:
    from cio_toolkit.jobs import NEWSLETTER_REPORT, example_jobs
    from cio_toolkit.scripted import Exchange, ToolResult

    listed = {"columns": ["id", "name", "sent_at"], "newsletters": [
        [9, "Older, higher id", "2026-01-05T10:00:00Z"],
        [3, "Newer, lower id", "2026-06-01T10:00:00Z"],
        [12, "A draft", None]]}  # fmt: skip
    seen = (ToolResult("customerio_list_newsletters", json.dumps(listed)),)
    (asked,) = example_jobs(Exchange(NEWSLETTER_REPORT, 1, seen))
    assert asked == ("customerio_get_newsletter_metrics",
                     {"newsletter_id": 3, "start": "2026-06-01T10:00:00Z"})  # fmt: skip
