"""A list whose long rows wrap under their own text, not back at its left edge.

An OptionList wraps a row too long for it at the edge, so on home at 80 columns
"3. Where neural networks came from  0/6" read as a row and then a row "0/6". Here a row is
wrapped at the list's width before it is shown, its further lines indented as far as its
first line's text starts (past "3. ", past "· 10. "; two further in for a title without a
number), so it reads as one row on two lines.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.visual import Visual, visualize
from textual.widgets import OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.strip import Strip
    from textual.style import Style
    from textual.visual import RenderOptions

LEAD = re.compile(r"^\s*(?:[^\w\s]\s+)?\s*(?:\d+\.\s+)?")
"""What a row's further lines are indented past: its leading spaces, a mark, a number."""
_CONSOLE = Console(width=1000, color_system=None, legacy_windows=False)


def hang(text: Text, width: int) -> Text:
    """`text` wrapped to `width` cells, each line's continuation indented under its text."""
    if all(cell_len(line) <= width for line in text.plain.split("\n")):
        return text  # nothing to wrap (most rows): not split into lines and joined again
    out = Text()
    for number, line in enumerate(text.split("\n", allow_blank=True)):
        if number:
            out.append("\n")
        found = LEAD.match(line.plain)
        lead = found.group(0) if found else ""
        # Under the text past a number or a mark; else two further in than the line starts.
        indent = len(lead) if lead.strip() else len(lead) + 2
        if indent >= width // 2:
            indent = 0
        if line.cell_len <= width:
            out.append_text(line)
            continue
        wrapped = line.wrap(_CONSOLE, max(1, width - indent))
        for index, part in enumerate(wrapped):
            if index:
                out.append("\n" + " " * indent)
            out.append_text(part)
    return out


class HungRow(Visual):
    """A row `hang` wrapped at `width`: its height there is its count of lines, known without
    turning it into Textual's Content; that is made when the row is first drawn. A list
    counts every row's lines to lay itself out but draws only the rows in view (home's two
    lists hold 30 rows and draw 11 of them at 80×24)."""

    def __init__(self, widget: OptionList, text: Text, width: int) -> None:
        self._widget = widget
        self._text = text
        self._width = width
        self._lines = text.plain.count("\n") + 1
        self._content: Visual | None = None

    @property
    def content(self) -> Visual:
        if self._content is None:
            self._content = visualize(self._widget, self._text, markup=False)
        return self._content

    def get_height(self, rules: RulesMap, width: int) -> int:
        if width == self._width and not rules.get("line_pad", 0):
            return self._lines
        return self.content.get_height(rules, width)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content.render_strips(width, height, style, options)


class RowsList(OptionList):
    """An OptionList whose rows of rich Text wrap with a hanging indent (see the module)."""

    _lines_at: int | None = None
    """The row width the option list's lines were counted at."""
    _counting_at: int | None = None
    """The list's content width while its rows' lines are counted (`_update_lines`): the
    widget's regions are asked once for the pass, not once a row (they cost more than it)."""

    def _update_lines(self) -> None:
        """A row's lines are counted again when the rows' width changed. A Resize does it
        for a change of the list's size, but not for its scrollbar's coming: rows added to a
        list already laid out were counted at its whole width, and the scrollbar that they
        brought narrowed them, so a row that then wrapped onto one more line lost its last
        line (home's experiments, filled after its first frame)."""
        width = self.scrollable_content_region.width  # asked for each line drawn
        if width:
            if width != self._lines_at:
                if self._lines_at is not None:
                    self._clear_caches()
                self._lines_at = width
        self._counting_at = width
        try:
            super()._update_lines()
        finally:
            self._counting_at = None

    def _row_width(self) -> int:
        width = self._counting_at
        if width is None:
            width = self.scrollable_content_region.width
        padding = self.get_component_styles("option-list--option").padding
        return width - self._get_left_gutter_width() - padding.width

    def _get_visual(self, option: Option) -> Visual:
        width = self._row_width()
        if option._visual is None or getattr(option, "_hung_at", None) != width:
            prompt = option.prompt
            if isinstance(prompt, Text) and width > 0:
                option._visual = HungRow(self, hang(prompt, width), width)
            else:
                option._visual = visualize(self, prompt, markup=self._markup)
            option._hung_at = width  # type: ignore[attr-defined]
        return option._visual

    def _on_resize(self) -> None:
        for option in self.options:
            option._visual = None
        super()._on_resize()
