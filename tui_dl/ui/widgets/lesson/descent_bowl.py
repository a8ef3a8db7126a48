"""Gradient descent in two parameters: a bowl seen from above, the path drawn on it.

The bowl is eight times steeper along y than along x, so the same learning rate that crawls
along the valley floor zigzags (and, above 2/8, flies off) across it. Drawn as character cells
shaded by height, so it needs no plotting library and reads the same in any terminal.
"""

from __future__ import annotations

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from tui_dl.lessons.maths import Descent, bowl_gradient, bowl_loss
from tui_dl.ui.widgets.lesson.descent_controls import DescentControls, short_number

START = (-3.6, 1.4)
SPAN = (4.0, 2.0)
"""The view shows x in ±4 and y in ±2; character cells are about twice as tall as wide."""
LOW, HIGH = Color.from_rgb(20, 60, 90), Color.from_rgb(120, 170, 200)


class BowlView(Widget):
    """Height bands of the bowl, the path as dots, the ball as ●, the minimum as +."""

    DEFAULT_CSS = "BowlView { height: 1fr; width: 1fr; }"

    def __init__(self, run: Descent, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.run = run

    def cell_of(self, point: np.ndarray) -> tuple[int, int] | None:
        width, height = self.size
        if not np.all(np.isfinite(point)) or width < 2 or height < 2:
            return None
        col = round((point[0] + SPAN[0]) / (2 * SPAN[0]) * (width - 1))
        row = round((SPAN[1] - point[1]) / (2 * SPAN[1]) * (height - 1))
        return (col, row) if 0 <= col < width and 0 <= row < height else None

    def marks(self) -> dict[tuple[int, int], str]:
        marks: dict[tuple[int, int], str] = {}
        path = self.run.path
        for a, b in zip(path, path[1:], strict=False):
            if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
                break
            for t in np.linspace(0.0, 1.0, 12):
                cell = self.cell_of(a + t * (b - a))
                if cell:
                    marks[cell] = "·"
        for point in path[:-1]:
            cell = self.cell_of(point)
            if cell:
                marks[cell] = "∘"
        centre = self.cell_of(np.zeros(2))
        if centre:
            marks.setdefault(centre, "+")
        ball = self.cell_of(path[-1])
        if ball:
            marks[ball] = "●"
        return marks

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        if y == 0:
            self._marks = self.marks()
        marks = getattr(self, "_marks", {})
        ys = SPAN[1] - y / max(1, height - 1) * 2 * SPAN[1]
        xs = np.linspace(-SPAN[0], SPAN[0], width)
        levels = np.sqrt(bowl_loss(np.stack([xs, np.full_like(xs, ys)], axis=1)))
        bands = np.floor(levels * 1.5).astype(int)
        top = np.sqrt(bowl_loss(np.array(SPAN))) * 1.5
        segments = []
        for x, band in enumerate(bands):
            mix = min(1.0, band / top)
            colour = _blend(LOW, HIGH, mix if band % 2 == 0 else mix * 0.85)
            char = marks.get((x, y), " ")
            fg = "bold red" if char == "●" else "bold yellow" if char in "·∘" else "white"
            segments.append(Segment(char, Style.parse(fg) + Style(bgcolor=colour)))
        return Strip(segments, width)


def _blend(a: Color, b: Color, t: float) -> Color:
    (r1, g1, b1), (r2, g2, b2) = a.get_truecolor(), b.get_truecolor()
    return Color.from_rgb(r1 + (r2 - r1) * t, g1 + (g2 - g1) * t, b1 + (b2 - b1) * t)


class DescentBowl(DescentControls):
    """The same keys as the curve; the bowl's stability bound is 2 / 8 = 0.25."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Descent(bowl_loss, bowl_gradient, np.array(START), rate=0.1), id=id)

    def make_view(self) -> Widget:
        return BowlView(self.run, id="bowl-view")

    def random_start(self, rng: np.random.Generator) -> np.ndarray:
        angle = rng.uniform(0, 2 * np.pi)
        return np.array([3.5 * np.cos(angle), 1.7 * np.sin(angle)])

    def describe_position(self) -> str:
        x, y = self.run.position
        return f"(x, y) ({short_number(float(x))}, {short_number(float(y))})"

    def redraw(self) -> None:
        self.query_one(BowlView).refresh()
        super().redraw()
