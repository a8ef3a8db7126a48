"""The screen under a modal one (help), tinted, each line tinted once.

Textual draws a modal screen with a translucent background (help's) by rendering the whole
screen under it and tinting every segment of it again, each time the modal screen is drawn:
for help over home at 120×40, ~4,000 segments, most of the time help took to open. The lines
of the screen under it change little between two openings, so each line is tinted once and
kept, by its segments: a changed line is tinted again, an unchanged one is taken as it was.
What is drawn is what Textual's own `BackgroundScreen` draws, through the widget's
`post_render` (its style under each segment's own, as Textual's `_Styled`).
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual.renderables.background_screen import BackgroundScreen
from textual.strip import Strip
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.color import Color
    from textual.css.styles import RulesMap
    from textual.screen import Screen
    from textual.style import Style
    from textual.visual import RenderOptions

KEEP_LINES = 512
"""How many tinted lines are kept (a few screens' worth); past it, they are tinted afresh."""
TintedLines = dict[tuple[object, ...], Strip]


class TintedScreen(Visual):
    """What `BackgroundScreen(screen, color)` draws, its lines taken from `kept` when their
    segments were tinted before."""

    def __init__(self, background: BackgroundScreen, kept: TintedLines) -> None:
        self.screen: Screen[object] = background.screen
        self.color: Color = background.color
        self.kept = kept

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.screen._compositor.size.height

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        base, color, kept = style.rich_style, self.color, self.kept
        if len(kept) > KEEP_LINES:
            kept.clear()
        lines = []
        for strip in islice(self.screen._compositor.render_strips(), None, height):
            key = (color, base, *strip)
            line = kept.get(key)
            if line is None:
                tinted = BackgroundScreen.process_segments(strip, color)
                if base:  # the widget's style under each segment's own, as `_Styled` does
                    tinted = (Segment(text, base + own, None) for text, own, _ in tinted)
                line = kept[key] = Strip(list(tinted)).crop(0, width)
            lines.append(line)
        return lines
