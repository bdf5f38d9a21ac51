"""`cio-toolkit eval`: the catalog's jobs with a model, graded, as a table and as JSON."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..operations import PRESETS
from ._personas import PERSONAS


def add_parser(commands: Any) -> None:
    """The `eval` subcommand, on the command line's subparsers."""
    evaluate = commands.add_parser(
        "eval",
        help="grade a model on the catalog's jobs, offline on the sandbox",
        description="Run each job of the catalog with a model through a LangChain agent, each "
        "try on a fresh sandbox (writes go nowhere), and grade it from the sandbox's own data.",
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
    evaluate.add_argument("--json", type=Path, metavar="FILE", help="also write the report here")
    evaluate.set_defaults(run=_run)


def _run(options: argparse.Namespace) -> int:
    from . import evaluate

    jobs = [name.strip() for name in options.jobs.split(",")] if options.jobs else None
    report = evaluate(options.model, k=options.k, jobs=jobs, persona=options.persona,
                      preset=options.preset)  # fmt: skip
    print(report.table(), flush=True)
    if options.json is not None:
        options.json.write_text(report.model_dump_json(indent=2) + "\n")
    return 0 if report.overall.pass_at_1 == 1.0 else 1
