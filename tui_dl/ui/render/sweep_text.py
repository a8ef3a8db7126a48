"""A sweep in words: where it is, its best cell, the course's lessons its cells showed, and a
cell's result — read from its SweepState, for the sweep screen's status line and summary."""

from __future__ import annotations

from rich.text import Text

from tui_dl.engine.events import ENDED, LIVE, Status
from tui_dl.engine.sweeps.lessons import LESSONS
from tui_dl.engine.sweeps.state import CellState, SweepState
from tui_dl.text import percent


def cell_label(cell: CellState) -> str:
    """A cell by its pair: '0.01/256' (rate/batch), in the legend and the lessons' lines."""
    return f"{cell.learning_rate:g}/{cell.batch_size}"


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
            line.append(f"; now rate {current.learning_rate:g}, batch {current.batch_size}")
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
    if state.best is not None:
        best = state.cells[state.best]
        text.append("★ best: ", style="bold green")
        text.append(f"rate {best.learning_rate:g}, batch {best.batch_size}")
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
