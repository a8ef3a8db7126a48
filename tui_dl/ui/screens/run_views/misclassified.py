"""`--screen misclassified`: the digits it got wrong, the most confident mistakes first; for a
run on the learner's own pictures, the pictures in colour with their top 3."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Static

from tui_dl.analysis.predictions import Predictions, mistakes
from tui_dl.text import one_line
from tui_dl.ui.screens.run_views.predictions import PredictionsScreen
from tui_dl.ui.widgets.run import digit_card, photo_card
from tui_dl.ui.widgets.run.digit_card import DigitCard, card
from tui_dl.ui.widgets.run.photo_card import PhotoCard


class MisclassifiedScreen(PredictionsScreen):
    TITLE_TEXT = "misclassified"
    BINDINGS = [
        Binding("right,pagedown,space", "page(1)", "Next page"),
        Binding("left,pageup", "page(-1)", "Previous"),
        Binding("home", "first", "First", show=False),
        Binding("x", "clear_filter", "All mistakes"),
        *PredictionsScreen.BINDINGS,
    ]

    def __init__(self, run_id: str, true: int | None = None, pred: int | None = None) -> None:
        super().__init__(run_id)
        self.true, self.pred = true, pred
        self.indices: list[int] = []
        self.first = 0

    def compose_body(self) -> ComposeResult:
        yield Static("", id="gallery-title")
        yield Grid(id="gallery")

    def show(self, predictions: Predictions, finished: dict) -> None:
        self.indices = [int(i) for i in mistakes(predictions, self.true, self.pred)]
        self.first = 0
        self.layout_page()

    def on_resize(self) -> None:
        if self.predictions is not None:
            self.layout_page()

    @property
    def card_size(self) -> tuple[int, int]:
        """(width, height) of one card: a photo card for a run on the learner's pictures."""
        own = self.predictions is not None and self.predictions.own_pictures
        kind = photo_card if own else digit_card
        return kind.CARD_WIDTH, kind.CARD_HEIGHT

    @property
    def columns(self) -> int:
        return max(1, self.size.width // self.card_size[0])

    @property
    def per_page(self) -> int:
        rows = max(1, (self.size.height - self._title_lines - 3) // self.card_size[1])
        return self.columns * rows

    @property
    def _title_lines(self) -> int:
        """The title's lines: one, and the colour pictures' problem when there is one."""
        return 1 + (self.predictions is not None and self.predictions.colour_problem is not None)

    def layout_page(self) -> None:
        p = self.shown
        gallery = self.query_one("#gallery", Grid)
        gallery.styles.grid_size_columns = self.columns
        gallery.remove_children()
        shown = self.indices[self.first : self.first + self.per_page]
        if p.own_pictures:
            gallery.mount_all([PhotoCard(photo_card.photo_card(p, i)) for i in shown])
        else:
            gallery.mount_all([DigitCard(card(p, index)) for index in shown])
        title = Text(self._title(len(shown)))
        if p.colour_problem:
            title.append(f"\nIn grey: {p.colour_problem}", style="yellow")
        self.query_one("#gallery-title", Static).update(title)

    def _title(self, shown: int) -> str:
        names = [one_line(name) for name in self.shown.class_names]
        what = "mistakes"
        if self.true is not None and self.true == self.pred and self.shown.own_pictures:
            what = f"{names[self.true]}: the pictures named right, least sure first"
        elif self.true is not None and self.true == self.pred:
            what = f"{names[self.true]}s read correctly, least sure first"
        elif self.true is not None or self.pred is not None:
            parts = []
            if self.true is not None:
                parts.append(f"true {names[self.true]}")
            if self.pred is not None:
                parts.append(f"read as {names[self.pred]}")
            what = "mistakes: " + ", ".join(parts)
        if not self.indices:
            return f"No {what} — nothing to show."
        return (
            f"{what} · {self.first + 1}–{self.first + shown} of {len(self.indices)} · "
            "most confident first"
        )

    def action_page(self, step: int) -> None:
        if not self.indices:
            return
        last = max(0, len(self.indices) - self.per_page)
        self.first = min(max(0, self.first + step * self.per_page), last)
        self.layout_page()

    def action_first(self) -> None:
        self.first = 0
        self.layout_page()

    def action_clear_filter(self) -> None:
        self.true = self.pred = None
        self.show(self.shown, {})
