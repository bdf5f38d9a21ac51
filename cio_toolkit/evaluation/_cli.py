"""`cio-toolkit eval`: the catalog's jobs with a model, graded: a table, JSON and a chart."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..operations import PRESETS
from ._personas import PERSONAS


def add_parser(commands: Any) -> None:
    """The `eval` subcommand, on the command line's subparsers."""
    evaluate = commands.add_parser(
        "eval",
        help="grade a model on the catalog's jobs, offline on the sandbox",
        description="Run each job of the catalog with a model, each try on a fresh sandbox "
        "(writes go nowhere), and grade it from the sandbox's own data. Exits 1 when a job "
        "was lost.",
    )
    evaluate.add_argument(
        "--model", default="scripted",
        help="scripted (the stand-in that does every job), scripted:no-tools, scripted:guesses... "
        "or PROVIDER:MODEL for LangChain's init_chat_model (openai:..., anthropic:..., "
        "google_genai:..., bedrock_converse:..., ollama:...), with its package and key",
    )  # fmt: skip
    evaluate.add_argument("--k", type=int, default=1, help="tries per job (pass^k; default 1)")
    evaluate.add_argument("--jobs", help="comma-separated job ids (default every job)")
    evaluate.add_argument("--persona", choices=PERSONAS, help="only this persona's jobs")
    evaluate.add_argument(
        "--preset", choices=PRESETS, default="all", help="the tools offered (default all)"
    )
    evaluate.add_argument(
        "--over", choices=("direct", "mcp"), default="direct",
        help="reach the tools directly, or through the MCP server over HTTP (default direct)",
    )  # fmt: skip
    evaluate.add_argument(
        "--defer", action="store_true",
        help="leave every tool outside core to the provider's tool search",
    )  # fmt: skip
    evaluate.add_argument(
        "--concurrency", type=int, default=1, help="tries run at once (default 1)"
    )
    evaluate.add_argument(
        "--json", type=Path, metavar="FILE",
        help="also write the report here, and its chart beside it (FILE with .png)",
    )  # fmt: skip
    evaluate.add_argument(
        "--compare", type=Path, nargs=2, metavar=("A.json", "B.json"),
        help="show two saved reports side by side (and chart them with --json), instead of a run",
    )  # fmt: skip
    evaluate.set_defaults(run=_run)


def _progress(done: int, total: int) -> None:
    """A line on stderr that fills as tries end (rewritten in place on a terminal)."""
    if not sys.stderr.isatty() and done < total:
        return
    filled = round(30 * done / total)
    end = "\n" if done == total else ""
    print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} tries", end=end,
          file=sys.stderr, flush=True)  # fmt: skip


def _run(options: argparse.Namespace) -> int:
    from ._chart import write_chart
    from ._report import Report

    if options.compare is not None:
        first, second = (Report.model_validate_json(path.read_text()) for path in options.compare)
        print(first.compared(second), flush=True)
        if options.json is not None:
            write_chart([first, second], options.json.with_suffix(".png"))
        return 0
    from . import evaluate

    jobs = [name.strip() for name in options.jobs.split(",")] if options.jobs else None
    report = evaluate(options.model, k=options.k, jobs=jobs, persona=options.persona,
                      preset=options.preset, over=options.over, defer=options.defer,
                      concurrency=options.concurrency,
                      on_progress=_progress)  # fmt: skip
    print(report.table(), flush=True)
    if options.json is not None:
        options.json.write_text(report.model_dump_json(indent=2) + "\n")
        write_chart([report], options.json.with_suffix(".png"))
    return 0 if report.overall.pass_at_1 == 1.0 else 1
