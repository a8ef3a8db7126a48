"""A sweep in words: where it is, its best cell, the course's lessons its cells showed, and a
cell's result — read from its SweepState, for the sweep screen's status line and summary."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tui_dl.engine.events import ENDED, LIVE, Status
from tui_dl.engine.sweeps.grid import axis_label, value_text
from tui_dl.engine.sweeps.lessons import LESSONS
from tui_dl.engine.sweeps.state import CellState, SweepState
from tui_dl.text import percent


def cell_label(cell: CellState) -> str:
    """A cell by its axis values: '0.01/256' (rate/batch), in the legend and the lessons'
    lines; its seed after a '#' when each cell runs several times."""
    values = cell.settings.values() if cell.settings else (cell.learning_rate, cell.batch_size)
    label = "/".join(value_text(v) for v in values) or "cell"
    return label if cell.seed is None else f"{label} #{cell.seed}"


def point_words(settings: dict[str, Any], seed: int | None = None) -> str:
    """'rate 0.01, batch 256' — a grid point in words (and its seed)."""
    parts = [f"{axis_label(n)} {value_text(v)}" for n, v in settings.items()]
    return ", ".join(parts + ([f"seed {seed}"] if seed is not None else [])) or "the one cell"


def metric_text(metric: str, value: float | None) -> str:
    """A cell's result in its metric's own terms: '97.1%' for an accuracy, '0.084' else."""
    if value is None:
        return ""
    return percent(value).replace(" ", "") if "accuracy" in metric else f"{value:.3f}"


def status_line(state: SweepState) -> Text:
    """Where the sweep is: running (and on which cell), finished, cancelled or failed."""
    done = sum(c.status in ENDED for c in state.cells)
    total = len(state.cells)
    line = Text()
    if state.status in LIVE:
        line.append(f"running — {done}/{total} cells done", style="yellow")
        current = next((c for c in state.cells if c.status in LIVE), None)
        if current is not None:
            line.append(f"; now {point_words(current.settings, current.seed)}")
    elif state.status == Status.FINISHED:
        line.append(f"finished — {total} cells", style="green")
    elif state.status == Status.CANCELLED:
        line.append(f"cancelled after {done} of {total} cells", style="yellow")
    else:
        line.append(f"failed: {state.message}", style="red")
    return line


def summary_text(state: SweepState) -> Text:
    """The best cell and the lessons seen so far, in words."""
    text = Text()
    if state.seeds > 1:
        _spread_summary(state, text)
    elif state.best is not None:
        best = state.cells[state.best]
        text.append("★ best: ", style="bold green")
        text.append(point_words(best.settings))
        text.append(f" — {state.metric.replace('_', ' ')} {metric_text(state.metric, best.metric)}")
        text.append("\n\n")
    seen = []
    for cell in state.cells:
        code = cell.verdict.code
        if code in LESSONS and code not in seen:
            seen.append(code)
    for code in seen:
        labels = ", ".join(cell_label(c) for c in state.cells if c.verdict.code == code)
        text.append(f"{code.replace('-', ' ')} ({labels}): ", style="bold")
        text.append(LESSONS[code] + "\n")
    return text


def _spread_summary(state: SweepState, text: Text) -> None:
    """Several seeds per cell: the best mean, and which cell varied most from run to run
    (sample standard deviation of its finished runs)."""
    from tui_dl.engine.sweeps.spread import best_group, group_cells, most_varied
    from tui_dl.engine.sweeps.state import higher_is_better

    groups = group_cells(state.cells)
    metric = state.metric
    best = best_group(groups, higher_is_better(metric))
    if best is not None:
        group = groups[best]
        text.append("★ best mean: ", style="bold green")
        text.append(f"{point_words(group.settings)} — {metric_text(metric, group.mean)} over ")
        runs = len(group.results)
        text.append(f"{runs} seed{'s' if runs != 1 else ''}\n")
    varied = most_varied(groups)
    if varied is not None:
        most, least = varied
        text.append("Most varied from run to run: ", style="bold")
        text.append(
            f"{point_words(most.settings)} (sd {_sd(metric, most.sd)}); least: "
            f"{point_words(least.settings)} (sd {_sd(metric, least.sd)}).\n"
        )
    text.append("\n")


def _sd(metric: str, value: float | None) -> str:
    value = value or 0.0
    return f"{value * 100:.1f} pts" if "accuracy" in metric else f"{value:.3f}"
