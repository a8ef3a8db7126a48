"""A picture of the plane in half-block rows: the Playground's boundary, the GAN Lab's
verdict and points.

Drawn line by line from ready-made strips (Textual's line API): a 100×100-pixel picture a
frame costs no text layout.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui_dl.ui.render.boundary import Run


class BoundaryMap(Widget):
    DEFAULT_CSS = "BoundaryMap { width: 1fr; height: 1fr; }"

    class Resized(Message):
        """Its size changed: the picture, drawn for the old one, is to be drawn again. (A
        screen that draws it when the screen is resized can draw before the layout gives the
        map its new width: the GAN Lab's first frame was 27 of 36 columns wide.)"""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.strips: list[Strip] = []

    def on_resize(self, event: events.Resize) -> None:
        if self.strips:  # nothing drawn yet: nothing drawn for the wrong size
            self.post_message(self.Resized())

    def show_rows(self, rows: list[list[Run]]) -> None:
        # No style is the null style: Textual's NO_COLOR filter reads every segment's colours.
        plain = Style()
        self.strips = [
            Strip([Segment(chunk, style or plain) for chunk, style in row]) for row in rows
        ]
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y < len(self.strips):
            return self.strips[y].crop_extend(0, width, Style())
        return Strip.blank(width, Style())

    def text(self) -> str:
        """What it shows, as plain text (for tests)."""
        return "\n".join(strip.text for strip in self.strips)

    def pixel_size(self) -> tuple[int, int]:
        """Columns and pixel rows (two a character) that fill the widget."""
        width, height = self.content_size
        return max(8, width), max(8, 2 * height)
