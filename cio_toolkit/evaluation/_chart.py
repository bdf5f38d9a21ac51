"""Reports as a PNG chart: pass@1 and pass^k by persona, for one run or several side by side."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .._errors import ConfigurationError
from ._report import Report


def write_chart(reports: Sequence[Report], path: Path) -> None:
    """Two bars per run for each persona and for all jobs: pass@1, and pass^k hatched.

    Raises:
        ConfigurationError: matplotlib is not installed (the `eval` extra brings it).
    """
    try:
        import matplotlib

        matplotlib.use("Agg")  # a file, never a window
        from matplotlib import pyplot
    except ImportError:
        raise ConfigurationError(
            "The chart needs matplotlib: pip install 'cio-toolkit[eval]'"
        ) from None
    groups = [*sorted({p for report in reports for p in report.personas}), "all"]
    bars = 2 * len(reports)  # each run's pass@1, then its pass^k beside it, hatched
    width = 0.8 / bars
    figure, axes = pyplot.subplots(figsize=(max(7, 1.5 * len(groups)) + 3, 4), dpi=100)
    for n, report in enumerate(reports):
        shown = [report.personas.get(g) if g != "all" else report.overall for g in groups]
        for m, (measure, hatch) in enumerate((("pass_at_1", ""), ("pass_hat_k", "//"))):
            offset = (2 * n + m - (bars - 1) / 2) * width
            heights = [100 * getattr(g, measure) if g else 0.0 for g in shown]
            name = "pass@1" if m == 0 else f"pass^{report.k}"
            axes.bar([i + offset for i in range(len(groups))], heights, width, hatch=hatch,
                     color=f"C{n}", alpha=1.0 if m == 0 else 0.6,
                     label=f"{report.model} ({report.preset}): {name}")  # fmt: skip
    axes.set_xticks(range(len(groups)), groups)
    axes.set_ylim(0, 105)
    axes.set_ylabel("jobs done, %")
    axes.set_title("cio-toolkit eval: pass rate by persona")
    axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    figure.savefig(path, format="png")
    pyplot.close(figure)
