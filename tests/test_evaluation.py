"""`cio-toolkit eval`: the catalog graded from the sandbox's own data; the stand-in that does
every job passes them all, and each bad habit fails the jobs it breaks, saying why."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cio_toolkit import ConfigurationError
from cio_toolkit.evaluation import CATALOG, PERSONAS, evaluate, pass_hat_k
from cio_toolkit.evaluation._grading import WRITES, failures
from cio_toolkit.evaluation._run import attempt, chat_model
from cio_toolkit.sandbox import Sandbox

WRITE_JOBS = {"send-receipt", "send-reset", "trigger-spring"}
# Jobs whose grader states a figure from the sandbox: a stand-in that guesses loses each.
WITH_FIGURES = {"campaign-report-30d", "campaign-report-7d", "campaign-report-90d",
                "person-lookup-ada", "person-lookup-grace", "segment-size-pro",
                "segment-size-beta", "segment-size-europe", "newsletter-report",
                "newsletter-links", "trigger-spring", "bounced-this-week",
                "suppression-check", "stopped-campaigns", "templates-list"}  # fmt: skip


def test_the_catalog_spans_the_personas_and_what_the_api_cannot_answer() -> None:
    assert len({job.id for job in CATALOG}) == len(CATALOG) == 30  # as the README says
    assert {job.persona for job in CATALOG} == set(PERSONAS)
    assert sum(not job.answerable for job in CATALOG) == 4
    assert {job.id for job in CATALOG} >= WRITE_JOBS


def test_the_scripted_stand_in_does_every_job() -> None:
    report = evaluate("scripted", k=1)
    assert [job.id for job in report.jobs] == [job.id for job in CATALOG]
    assert {job.id: job.why for job in report.jobs if job.passed != 1} == {}
    assert report.overall.pass_at_1 == report.overall.pass_hat_k == 1.0
    assert set(report.personas) == set(PERSONAS)
    assert report.definition_bytes > 30_000  # every tool's definition, as a model is sent it


def _lost(model: str) -> dict[str, list[str]]:
    return {job.id: job.why for job in evaluate(model).jobs if not job.passed}


def test_answering_without_a_tool_loses_every_job() -> None:
    lost = _lost("scripted:no-tools")
    assert set(lost) == {job.id for job in CATALOG}
    assert any(
        "never called customerio_get_segment_size" in why for why in lost["segment-size-pro"]
    )
    assert lost["revenue"] == ["the answer does not say that the API cannot give this"]


def test_the_wrong_tool_loses_every_job_it_cannot_answer() -> None:
    lost = _lost("scripted:wrong-tool")
    assert set(lost) == {job.id for job in CATALOG}
    assert any(why.startswith("never called") for why in lost["newsletter-report"])


def test_guessed_numbers_lose_every_job_with_a_figure() -> None:
    lost = _lost("scripted:guesses")
    assert set(lost) >= WITH_FIGURES
    pro = len(Sandbox().members(2))
    assert f"the answer does not give the size of Pro plan: {pro}" in lost["segment-size-pro"]


@pytest.mark.parametrize(("model", "said"), [("scripted:sends-twice", "times, not once"),
                                             ("scripted:no-check", "was not checked")])  # fmt: skip
def test_a_write_made_twice_or_left_unchecked_loses_exactly_the_write_jobs(
    model: str, said: str
) -> None:
    lost = _lost(model)
    assert set(lost) == WRITE_JOBS
    assert all(any(said in why for why in reasons) for reasons in lost.values()), lost


def test_a_tool_that_answers_wrongly_loses_the_job() -> None:
    """The grader reads the workspace, not the tool: a count the API gets wrong shows."""
    job = next(job for job in CATALOG if job.id == "segment-size-pro")
    sandbox = Sandbox(rate_limits=False)
    sandbox.inject("/v1/segments/2/customer_count", status=200, body={"count": 999})
    tried = attempt(job, chat_model("scripted"), sandbox=sandbox)
    assert "999 people" in tried.answer
    assert failures(job.checks(sandbox), tried) == [
        f"the answer does not give the size of Pro plan: {len(sandbox.members(2))}"
    ]


def test_pass_hat_k_is_the_chance_that_k_tries_all_succeed() -> None:
    assert pass_hat_k(5, 3, 1) == 0.6 and pass_hat_k(5, 3, 2) == 0.3
    assert pass_hat_k(3, 3, 3) == 1.0 and pass_hat_k(3, 2, 3) == 0.0
    with pytest.raises(ValueError, match="k=4 needs at least 4 tries"):
        pass_hat_k(3, 3, 4)


def test_unknown_names_are_refused_before_anything_runs() -> None:
    with pytest.raises(ConfigurationError, match="No job nope"):
        evaluate(jobs=["nope"])
    with pytest.raises(ConfigurationError, match="No persona 'cfo'"):
        evaluate(persona="cfo")
    with pytest.raises(ConfigurationError, match="No stand-in 'scripted:lazy'"):
        evaluate("scripted:lazy")


def test_the_command_prints_the_table_writes_json_and_fails_on_a_lost_job(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    command = [sys.executable, "-m", "cio_toolkit.cli", "eval", "--jobs",
               "segment-size-pro,send-receipt", "--k", "2", "--json", str(out)]  # fmt: skip
    ran = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert "segment-size-pro" in ran.stdout and "pass^2" in ran.stdout
    report = json.loads(out.read_text())
    assert [(j["id"], j["tries"], j["pass_hat_k"]) for j in report["jobs"]] == [
        ("segment-size-pro", 2, 1.0),
        ("send-receipt", 2, 1.0),
    ]
    chart = out.with_suffix(".png")  # beside the JSON
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    worse_out = tmp_path / "worse.json"
    worse_command = [*command[:-2], "--json", str(worse_out), "--model", "scripted:no-check"]
    worse = subprocess.run(worse_command, capture_output=True, text=True, timeout=120)
    assert worse.returncode == 1 and "was not checked" in worse.stdout
    both = tmp_path / "both.json"
    compared = subprocess.run([sys.executable, "-m", "cio_toolkit.cli", "eval", "--compare",
                               str(out), str(worse_out), "--json", str(both)],
                              capture_output=True, text=True, timeout=120)  # fmt: skip
    assert compared.returncode == 0, compared.stderr
    rows = {line.split()[0]: line.split()[1:] for line in compared.stdout.splitlines()[2:]}
    assert rows["send-receipt"] == ["100%", "0%", "-100", "points"]
    assert rows["segment-size-pro"] == ["100%", "100%"]
    from PIL import Image

    with Image.open(both.with_suffix(".png")) as pair, Image.open(chart) as one:
        assert pair.format == "PNG" and pair.size[1] == one.size[1] == 400


def test_writes_only_ever_reach_the_sandbox() -> None:
    job = next(job for job in CATALOG if job.id == "send-receipt")
    tried = attempt(job, chat_model("scripted"))
    assert [call.tool for call in tried.calls if call.tool in WRITES] == [
        "customerio_send_transactional_email"
    ]
    assert len(tried.sandbox.outbox) == 1  # the try's own sandbox holds the send


def test_a_chat_model_runs_through_a_langchain_agent_and_its_tokens_are_counted() -> None:
    """Any LangChain chat model takes the same path as `init_chat_model`'s: here the scripted
    one, saying what each turn cost as providers do in `usage_metadata`."""
    from langchain_core.outputs import ChatResult

    from cio_toolkit.evaluation._stand_ins import scripted
    from langchain_customerio.testing import ScriptedChatModel

    class Counted(ScriptedChatModel):
        def _generate(self, *args: object, **kwargs: object) -> ChatResult:
            made = super()._generate(*args, **kwargs)  # type: ignore[arg-type]
            made.generations[0].message.usage_metadata = {  # type: ignore[attr-defined]
                "input_tokens": 100, "output_tokens": 7, "total_tokens": 107}  # fmt: skip
            return made

    job = next(job for job in CATALOG if job.id == "send-receipt")
    tried = attempt(job, Counted(script=scripted))
    direct = attempt(job, chat_model("scripted"))
    assert failures(job.checks(tried.sandbox), tried) == []
    assert [c.tool for c in tried.calls] == [c.tool for c in direct.calls]
    turns = len(tried.calls) + 1  # the model's turns: one per call here, and the answer
    assert (tried.input_tokens, tried.output_tokens) == (100 * turns, 7 * turns)


def test_tries_run_at_once_grade_the_same_and_report_progress() -> None:
    seen: list[tuple[int, int]] = []
    chosen = ["segment-size-pro", "send-receipt", "trigger-spring"]
    together = evaluate(k=3, jobs=chosen, concurrency=3, on_progress=lambda *n: seen.append(n))
    one_by_one = evaluate(k=3, jobs=chosen)
    assert (
        [(j.id, j.tries, j.passed) for j in together.jobs]
        == [(j.id, j.tries, j.passed) for j in one_by_one.jobs]
        == [(name, 3, 3) for name in chosen]
    )
    assert seen == [(n, 9) for n in range(1, 10)]


def test_two_runs_compared_job_by_job_and_persona_by_persona() -> None:
    chosen = ["segment-size-pro", "send-receipt"]
    said = evaluate(jobs=chosen).compared(evaluate("scripted:sends-twice", jobs=chosen))
    lines = said.splitlines()
    assert lines[0].split() == ["scripted/all", "scripted:sends-twice/all", "change"]
    assert [line.split()[0] for line in lines[2:]] == [*chosen, "marketer", "support", "all"]
    assert lines[-1].split() == ["all", "100%", "50%", "-50", "points"]


def test_over_mcp_every_job_is_done_through_the_server() -> None:
    """The stand-in reads what an MCP client reads: the server's text, errors as results."""
    report = evaluate(over="mcp")
    assert report.preset == "all over mcp"
    assert {job.id: job.why for job in report.jobs if not job.passed} == {}
    assert report.overall.pass_at_1 == 1.0 and len(report.jobs) == len(CATALOG)


def test_a_chat_model_over_mcp_uses_langchains_mcp_adapter() -> None:
    from cio_toolkit.evaluation._stand_ins import scripted
    from langchain_customerio.testing import ScriptedChatModel

    job = next(job for job in CATALOG if job.id == "send-receipt")
    tried = attempt(job, ScriptedChatModel(script=scripted), over="mcp")
    assert tried.error is None and failures(job.checks(tried.sandbox), tried) == []
    assert [c.tool for c in tried.calls][-2:] == [
        "customerio_send_transactional_email", "customerio_get_message"
    ]  # fmt: skip


def test_deferred_tools_leave_only_core_in_each_turns_definitions() -> None:
    everything = evaluate(jobs=["segment-size-pro"])
    deferred = evaluate(jobs=["segment-size-pro"], defer=True)
    assert deferred.preset == "all, deferred" and deferred.overall.pass_at_1 == 1.0
    assert deferred.definition_bytes < everything.definition_bytes / 2


def test_a_configured_workspace_is_never_touched() -> None:
    """With a key and a base URL set, every try still runs on its own sandbox."""
    from cio_toolkit.sandbox import SandboxServer
    from tests.conftest import API_KEY
    from tests.servers import clean_environment

    workspace = Sandbox(api_key=API_KEY, rate_limits=False)
    with SandboxServer(workspace) as live:
        env = clean_environment(CUSTOMERIO_APP_API_KEY=API_KEY, CUSTOMERIO_BASE_URL=live.url)
        ran = subprocess.run(
            [sys.executable, "-m", "cio_toolkit.cli", "eval", "--jobs", "send-receipt"],
            capture_output=True, text=True, timeout=120, env=env,
        )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert sum(workspace.received.values()) == 0 and workspace.outbox == []
