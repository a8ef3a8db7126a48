"""`--screen confusion`: which digits the model takes for which, and how often; for a run on
the learner's own pictures, its classes by name."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui_dl.analysis.predictions import Predictions, confusion_report
from tui_dl.text import one_line, percent
from tui_dl.ui.screens.run_views.predictions import PredictionsScreen
from tui_dl.ui.widgets.run.confusion_grid import ConfusionGrid
from tui_dl.ui.widgets.run.named_confusion import NamedConfusionGrid


class ConfusionScreen(PredictionsScreen):
    TITLE_TEXT = "confusion matrix"

    def compose_body(self) -> ComposeResult:
        yield VerticalScroll(Static("", id="confusion-summary"), id="confusion-body")
        yield Static("", id="confusion-cell")

    def show(self, predictions: Predictions, finished: dict) -> None:
        self.report = confusion_report(predictions)
        names = predictions.class_names
        legend = ""
        named = any(name != str(i) for i, name in enumerate(names))
        if named and not predictions.own_pictures:  # own classes: their names on the axes
            legend = "  ·  " + ", ".join(f"{i} {name}" for i, name in enumerate(names))
        source = finished.get("data_source", "")
        summary = Text(
            f"Accuracy {percent(self.report.accuracy)} on {len(predictions.y_true):,} test "
            f"images{legend}"
        )
        if source:
            summary.append(f"\n{source}", style="dim")
        if predictions.colour_problem:
            summary.append(f"\n{predictions.colour_problem}", style="yellow")
        self.query_one("#confusion-summary", Static).update(summary)
        if predictions.own_pictures:
            grid: ConfusionGrid = NamedConfusionGrid(self.report, names, id="confusion-grid")
            self.query_one("#confusion-body").styles.overflow_x = "auto"
        else:
            grid = ConfusionGrid(self.report, id="confusion-grid")
        self.query_one("#confusion-body").mount(grid)
        grid.focus()

    def on_resize(self) -> None:
        for grid in self.query(NamedConfusionGrid):  # its columns share the screen's width
            grid.fit_screen()

    @on(ConfusionGrid.CellMoved)
    def describe_cell(self, event: ConfusionGrid.CellMoved) -> None:
        true, pred = event.true, event.pred
        count = int(self.report.matrix[true, pred])
        share = self.report.rates[true, pred]
        names = self.shown.class_names
        if self.shown.own_pictures:
            text = self._own_cell(true, pred, count, share)
        elif true == pred:
            text = (
                f"{count} of the {names[true]}s were read correctly "
                f"({percent(share)}). enter: the least sure of them"
            )
        else:
            text = (
                f"true {names[true]} → predicted {names[pred]}: {count} test image(s), "
                f"{percent(share)} of the {names[true]}s." + (" enter: show them" if count else "")
            )
        self.query_one("#confusion-cell", Static).update(Text(text))

    def _own_cell(self, true: int, pred: int, count: int, share: float) -> str:
        """One cell in words, the classes by their (folder) names."""
        names = [one_line(name) for name in self.shown.class_names]
        total = int(self.report.matrix[true].sum())
        if true == pred:
            return (
                f"{names[true]}: {count} of its {total} test pictures named right "
                f"({percent(share)}). enter: the least sure of them"
            )
        return (
            f"true {names[true]} → predicted {names[pred]}: {count} test picture(s), "
            f"{percent(share)} of the {names[true]} pictures."
            + (" enter: show them" if count else "")
        )

    @on(ConfusionGrid.CellChosen)
    def open_cell(self, event: ConfusionGrid.CellChosen) -> None:
        if self.report.matrix[event.true, event.pred] == 0:
            self.notify("No test images in that cell.")
            return
        self.app.open_insight("misclassified", self.run_id, true=event.true, pred=event.pred)
