"""Train and validation curves of one metric, one point per epoch."""

from __future__ import annotations

from typing import Any

from tui_dl.ui.widgets.axis_plot import AxisPlot

MAX_POINTS = 200
OWN = {"train": "▚", "validation": "⣿"}
"""This run's series and their marks (plotext's `hd` and `braille` lines)."""
COMPANION = ("•", "○")
OTHER = ("×", "○")
"""The marks of another run laid over this one, train then validation: one per epoch."""


def _downsample(xs: list[int], ys: list[float | None]) -> tuple[list[int], list[float | None]]:
    """Plot redraw cost grows with points; keep at most MAX_POINTS, always the last one."""
    if len(xs) <= MAX_POINTS:
        return xs, ys
    step = len(xs) / MAX_POINTS
    picks = sorted({int(i * step) for i in range(MAX_POINTS)} | {len(xs) - 1})
    return [xs[i] for i in picks], [ys[i] for i in picks]


class MetricsPlot(AxisPlot):
    """A per-widget plotext figure (no global plotext state), redrawn once per epoch."""

    def __init__(self, metric: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.metric = metric
        self.title = title
        self.history: list[dict[str, Any]] = []
        self.mark: int | None = None
        self.overlay: list[dict[str, Any]] | None = None
        """Another run's epochs, drawn dotted for comparison."""
        self.companion: list[dict[str, Any]] = []
        """A second stage of the same run (from scratch), drawn as lines beside this one."""
        self.names: tuple[str, str] = ("", "")
        self.course: tuple[float, str] | None = None
        """The course's figure for this curve: (value, label), drawn as a level line."""
        self.other_marks: tuple[str, ...] = ()
        """The marks the run laid over this one is drawn with: only those of its series that
        have points."""

    def on_mount(self) -> None:
        super().on_mount()
        self.replot()

    def set_history(
        self,
        history: list[dict[str, Any]],
        mark: int | None = None,
        companion: list[dict[str, Any]] | None = None,
        names: tuple[str, str] = ("", ""),
    ) -> None:
        """`mark`: an epoch to draw a vertical line at (where early stopping kept the weights).
        `companion`: another stage's epochs, named `names[1]` against `names[0]` for these."""
        self.history = list(history)
        self.mark = mark
        self.companion = list(companion or [])
        self.names = names
        self.replot()

    def set_course(self, line: tuple[float, str] | None) -> None:
        """The course's figure as a line across the plot (drawn at the next redraw)."""
        self.course = line

    def set_overlay(self, history: list[dict[str, Any]] | None) -> None:
        self.overlay = history
        self.replot()

    def replot(self) -> None:
        plt = self.plt
        plt.clear_data()
        # Points are epochs, or training steps where the run reports per step (tf-lowlevel).
        by_step = bool(self.history) and "_step" in self.history[0]
        epochs = [h.get("_step", i) for i, h in enumerate(self.history, start=1)]
        if not epochs:
            plt.title(f"{self.title} — no epochs yet")
            self.refresh()
            return
        own = []
        for key, marker, mark in (
            (self.metric, "hd", OWN["train"]),
            (f"val_{self.metric}", "braille", OWN["validation"]),
        ):
            values = [h.get(key) for h in self.history]
            if all(v is None for v in values):
                continue
            xs, ys = _downsample(epochs, values)
            points = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
            plt.plot([p[0] for p in points], [p[1] for p in points], marker=marker)
            own.append(mark)
        companion = []
        for key, marker in zip((self.metric, f"val_{self.metric}"), COMPANION, strict=True):
            points = _points(self.companion, key)
            if points:
                plt.plot([p[0] for p in points], [p[1] for p in points], marker=marker)
                companion.append(marker)
        other = []
        for key, marker in zip((self.metric, f"val_{self.metric}"), OTHER, strict=True):
            points = _points(self.overlay or [], key)
            if points:  # one mark per epoch, no line: the other run stays in the background
                plt.scatter([p[0] for p in points], [p[1] for p in points], marker=marker)
                other.append(marker)
        self.other_marks = tuple(other)
        # The legend lives in the title (inside a small plot it would hide the lines), and
        # names only the series drawn.
        plt.title(self.legend(by_step, own, companion, other))
        if self.course is not None:
            course_mark(plt, self.course, epochs[0])
        if self.mark is not None:
            plt.vertical_line(self.mark, color="yellow")
        self.refresh()

    def legend(self, by_step: bool, own: list[str], companion: list[str], other: list[str]) -> str:
        if by_step:  # the hard way reports its latest batch, and the test set
            names = {OWN["train"]: "batch", OWN["validation"]: "test"}
            return f"{self.title} per step  " + "  ".join(f"{m} {names[m]}" for m in own)
        if companion:
            return f"{self.title}  {self.names[0]} {''.join(own)}  {self.names[1]} " + "".join(
                companion
            )
        if other:
            return f"{self.title}  {' '.join(own)} this run  {' '.join(other)} the other"
        names = {mark: name for name, mark in OWN.items()}
        return f"{self.title}  " + "  ".join(f"{m} {names[m]}" for m in own)


def _points(history: list[dict[str, Any]], key: str) -> list[tuple[int, float]]:
    """(epoch, value) where the epoch has a value for `key`."""
    return [(i, h[key]) for i, h in enumerate(history, start=1) if h.get(key) is not None]


def course_mark(plt: Any, course: tuple[float, str], x: float) -> None:
    """The course's figure as a level line, its label written on it from the first point
    (not in the title: a narrow plot drops a title too long for it)."""
    value, label = course
    plt.hline(value, color="gray")
    plt.text(f" {label} ", x, value, color="gray", alignment="left")
