"""A Rich renderable laid out once per width, however often it is drawn.

Textual draws a Rich renderable (a `Group` of `Table`s, say) by asking Rich for all of it
twice — once to count its lines for the widget's height, once to paint them — and again for
every new widget that shows it. Help's tables took most of the time help needed to open. Here
Rich lays the renderable out once for each width; the widget's base style is laid over the
kept lines as Textual's own `post_render` does, so what is painted is the same.
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual._context import active_app
from textual.render import measure
from textual.strip import Strip
from textual.visual import Visual

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.css.styles import RulesMap
    from textual.style import Style
    from textual.visual import RenderOptions


class RenderedOnce(Visual):
    """`renderable`, laid out by Rich at most once for each width it is drawn at."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self._lines: dict[int, list[Segment]] = {}

    def _segments(self, width: int) -> list[Segment]:
        if width not in self._lines:
            app = active_app.get()
            options = app.console_options.update(highlight=False, width=width)
            self._lines[width] = list(app.console.render(self.renderable, options))
        return self._lines[width]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        console = active_app.get().console
        return measure(console, self.renderable, container_width, container_width=container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(text.count("\n") for text, _, _ in self._segments(width))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        segments = self._segments(width)
        base = style.rich_style
        if base:  # as Textual's `_Styled`: the widget's style under each segment's own
            segments = [Segment(text, base + own, None) for text, own, _ in segments]
        lines = Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=False)
        return [Strip(line) for line in islice(lines, None, height)]
