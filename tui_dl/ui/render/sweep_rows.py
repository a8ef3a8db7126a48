"""The sweep table's columns and rows, from its SweepState: one column per axis, one row per
cell — or, when each cell runs with several seeds, one row per grid point with the mean ±
standard deviation of its runs (sample sd, n − 1) and how many of them finished."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tui_dl.engine.events import ENDED, LIVE, Status
from tui_dl.engine.sweeps.grid import axis_label, value_text
from tui_dl.engine.sweeps.spread import Group, best_group, group_cells
from tui_dl.engine.sweeps.state import SweepState, higher_is_better
from tui_dl.ui.render.status_marks import status_mark
from tui_dl.ui.render.sweep_text import metric_text

VERDICT_STYLE = {"best": "bold green", "diverged": "red", "failed": "red", "overshoots": "red"}
TAIL = ("status", "epoch", "metric", "verdict")
"""The keys of the columns after the axes'."""


def columns(state: SweepState) -> list[tuple[str, str]]:
    """(label, key) of each column."""
    axes = [(axis_label(name), f"axis-{name}") for name in state.axes]
    if state.seeds > 1:
        tail = ["", "runs", "mean ± sd", "lesson"]
    else:
        tail = ["", "done", "result", "lesson"]
    return axes + list(zip(tail, TAIL, strict=True))


def rows(state: SweepState, colour) -> list[tuple[str, tuple[Any, ...]]]:
    """(row key, cells) in the order of `columns`; `colour(i)` is the i-th curve's RGB."""
    if state.seeds > 1:
        return _group_rows(state, colour)
    out = []
    for index, cell in enumerate(state.cells):
        status = _mark(cell.status, bool(cell.history), colour(index))
        epochs = f"{cell.epoch}/{cell.epochs}" if cell.epochs else ""
        verdict = Text(
            ("★ " if index == state.best else "") + cell.verdict.text,
            style=VERDICT_STYLE.get(cell.verdict.code, ""),
        )
        values = _values(state, cell.settings)
        out.append((str(index), (*values, status, epochs, metric_text(state.metric, cell.metric),
                                 verdict)))  # fmt: skip
    return out


def _group_rows(state: SweepState, colour) -> list[tuple[str, tuple[Any, ...]]]:
    groups = group_cells(state.cells)
    best = best_group(groups, higher_is_better(state.metric))
    out = []
    for index, group in enumerate(groups):
        cells = [state.cells[i] for i in group.members]
        statuses = {c.status for c in cells}
        live = statuses & set(LIVE)
        if live:
            status_of = Status.RUNNING
        elif statuses <= set(ENDED):
            status_of = Status.FINISHED if group.results else Status.FAILED
        else:
            status_of = Status.PENDING
        status = _mark(status_of, any(c.history for c in cells), colour(index))
        ended = sum(c.status in ENDED for c in cells)
        runs = f"{len(group.results)}/{len(cells)}" if ended else f"0/{len(cells)}"
        lessons = list(dict.fromkeys(c.verdict.text for c in cells if c.verdict.text))
        lesson = ", ".join(t for t in lessons if t != "best")
        verdict = Text(
            ("★ best mean " if index == best else "") + lesson,
            style="bold green" if index == best else "",
        )
        result = spread_text(state.metric, group)
        out.append((f"g{index}", (*_values(state, group.settings), status, runs, result, verdict)))
    return out


def spread_text(metric: str, group: Group) -> str:
    """'96.0% ± 1.0' (an accuracy's sd in percentage points), '0.084 ± 0.012' else."""
    if group.mean is None:
        return ""
    mean = metric_text(metric, group.mean)
    if group.sd is None:
        return f"{mean} (1 run)"
    sd = f"{group.sd * 100:.1f}" if "accuracy" in metric else f"{group.sd:.3f}"
    return f"{mean} ± {sd}"


def _values(state: SweepState, settings: dict[str, Any]) -> list[str]:
    return [value_text(settings.get(name, "")) for name in state.axes]


def _mark(status: str, drawn: bool, rgb: tuple[int, int, int]) -> Text:
    glyph, style = status_mark(status)
    r, g, b = rgb
    text = Text.assemble(("━" if drawn else " ", f"rgb({r},{g},{b})"))
    text.append(glyph, style=style)
    return text
