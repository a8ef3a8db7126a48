"""The confusion matrix of a run on the learner's own classes, their names on both axes.

Names come from folder names: any length, any number of them. The columns share the width
the screen has (a name cut with an ellipsis where it is longer than its column); where even
the narrowest columns do not fit, the matrix scrolls, and the cursor's cell stays in view.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual, visualize

from tui_dl.analysis.predictions import ConfusionReport
from tui_dl.text import clipped
from tui_dl.ui.widgets.run.confusion_grid import ConfusionGrid

RECALL = 9
"""'  100.0 %': the recall after each row."""
WIDEST = 14
"""A column no wider than this, however much room there is."""
MARGIN = 4
"""The grid's padding and a scroll bar: what the screen's width leaves for the matrix."""


class NamedConfusionGrid(ConfusionGrid):
    BINDINGS = [Binding("enter", "choose", "Show these pictures")]

    def __init__(
        self, report: ConfusionReport, names: tuple[str, ...], *, id: str | None = None
    ) -> None:
        super().__init__(report, id=id)
        self.names = names
        self.layout_now = (7, 6)
        """(label, cell) for the screen's width, set when the matrix is mounted or resized."""

    def columns(self) -> tuple[int, int]:
        """(label, cell): the width of the row names and of each column, for this screen."""
        n = self.size_n
        room = max(20, self.screen.size.width - MARGIN)
        longest = max(cell_len(clipped(name, 200)) for name in self.names)
        content = max(4, len(str(int(self.report.matrix.max()))))  # '100%' or the largest count
        narrowest = content + 2  # the cursor's cell: '[' + value + ']'
        label = max(7, min(longest + 1, room // 4))
        cell = (room - label - RECALL) // n
        cell = max(narrowest, min(cell, WIDEST, max(narrowest, longest + 1)))
        return label, cell

    def on_mount(self) -> None:
        self.fit_screen()

    def fit_screen(self) -> None:
        """Columns for the screen's width now, and the matrix's own size set to theirs (an
        auto width stops at the screen's edge and wraps the rows where it should scroll)."""
        self.layout_now = self.columns()
        label, cell = self.layout_now
        self.styles.width = 2 + label + self.size_n * cell + RECALL
        self.styles.height = self.size_n + 3
        self.refresh(layout=True)

    def render_line(self, y: int) -> Strip:
        """One line at a time, only those in view: a matrix of 200 classes is 200 lines of
        1,200 cells, too many to draw whole at each step of the cursor."""
        if not 0 <= y < self.size_n + 3:
            return Strip.blank(self.size.width, self.visual_style.rich_style)
        visual = visualize(self, self.line(y, *self.layout_now))  # as `render` is drawn
        return Visual.to_strips(self, visual, self.size.width, 1, self.visual_style)[0]

    def render(self) -> Text:
        """The whole matrix as one text (what a test reads)."""
        label, cell = self.columns()
        return Text("\n").join(self.line(y, label, cell) for y in range(self.size_n + 3))

    def line(self, y: int, label: int, cell: int) -> Text:
        """Line `y`: the heading, the columns' names, a row per class, the precisions."""
        n = self.size_n
        if y == 0:
            return Text(" " * label + "predicted →", style="dim")
        text = Text(style="dim")  # as the digits' matrix: dim, but for its coloured cells
        if y == 1:
            text.append("true ↓".ljust(label), style="dim")
            for col in range(n):
                name = clipped(self.names[col], cell - 1)
                text.append(" " * (cell - 1 - cell_len(name)) + name + " ", style="bold")
            text.append("  recall", style="bold")
        elif y < n + 2:
            row = y - 2
            name = clipped(self.names[row], label - 1)
            text.append(name + " " * (label - cell_len(name)), style="bold")
            for col in range(n):
                text.append(*self._cell(row, col, cell))
            text.append(f"  {self.report.recall[row] * 100:5.1f} %")
        else:
            text.append("prec.".ljust(label), style="bold")
            for col in range(n):
                text.append(f"{self.report.precision[col] * 100:{cell - 1}.0f}%")
        return text

    def watch_cursor(self, cursor: tuple[int, int]) -> None:
        super().watch_cursor(cursor)
        self.call_after_refresh(self._keep_in_view)

    def _keep_in_view(self) -> None:
        """The cursor's cell scrolled into view in the matrix's box; in the first column the
        rows' names too, in the last the recall."""
        box = self.parent
        if not isinstance(box, ScrollableContainer):
            return
        label, cell = self.layout_now
        row, col = self.cursor
        left = 0 if col == 0 else 1 + label + col * cell
        right = 1 + label + (col + 1) * cell + (RECALL if col == self.size_n - 1 else 0)
        origin = self.virtual_region.offset
        box.scroll_to_region(
            Region(origin.x + left, origin.y + 2 + row, right - left, 1), animate=False, force=True
        )
