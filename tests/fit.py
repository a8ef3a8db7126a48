"""What is cut on a rendered screen: text that runs past the widget that holds it, a list row
that wraps, a table that scrolls sideways, a footer key under the palette key, a picture
drawn for another size. Read from the widget tree after a render (tests/test_fit_80x24.py).

Each widget's content is rendered again, unbounded, and compared with the room it has:
- a leaf widget (a Static, a Label, a plot): the rows it needs at its width, and the
  characters it shows at its width against those it holds (an ellipsis or a crop loses some;
  a word wrap loses none);
- a widget its containers clip (off the right edge, or below a container that does not
  scroll);
- a list: an option whose prompt wraps where it holds no line break; a table: a cell
  wider than its column;
- a table or scrolling container: content wider than it (a sideways scroll nothing hints at);
- a border's title or subtitle: as long as its edge at most; a plot's title and the words
  it writes on its canvas: whole;
- a footer: each key ends before the palette key starts;
- a picture (the Playground's and the GAN Lab's planes): drawn as wide and tall as it is;
- a widget that knows the rows it needs (`rows_needed()`, the CNN lesson's digit) has them.
"""

from __future__ import annotations

from collections import Counter

from textual.app import App
from textual.containers import ScrollableContainer
from textual.content import Content
from textual.render import measure
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList
from textual.widgets._data_table import default_cell_formatter
from textual.widgets._footer import FooterKey
from textual_plotext import PlotextPlot

from tui_dl.ui.widgets.boundary_map import BoundaryMap

WIDE = 2000
"""Columns to render a widget's content at when asking what it holds."""
SKIPPED = {"ScrollBar", "ScrollBarCorner", "FooterKey", "Footer", "Tooltip"}


def _drawn(ch: str) -> bool:
    """Characters drawn to fill a width (rules, bars, block and braille pictures): a wider
    render has more of them without anything being cut."""
    return ch.isspace() or "\u2500" <= ch <= "\u259f" or "\u2800" <= ch <= "\u28ff"


def _chars(strips: list[Strip]) -> Counter[str]:
    found: Counter[str] = Counter()
    for strip in strips:
        found.update(ch for ch in strip.text if not _drawn(ch))
    return found


def _name(widget: Widget) -> str:
    return f"{type(widget).__name__}#{widget.id}" if widget.id else type(widget).__name__


def screen_text(app: App) -> str:
    """The screen as the terminal shows it, one line a row."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def _scrolls(widget: Widget) -> bool:
    """Whether a container between it and the screen scrolls down to it, with a scrollbar."""
    return any(
        isinstance(a, Widget) and a.show_vertical_scrollbar and a.allow_vertical_scroll
        for a in widget.ancestors
    )


def cuts(app: App) -> list[str]:
    """Every cut on the current screen, as 'widget: what'."""
    screen = app.screen
    found: list[str] = []
    for widget, geometry in screen._compositor.full_map.items():
        if not widget.display or not widget.visible or type(widget).__name__ in SKIPPED:
            continue
        region, clip = geometry.region, geometry.clip
        if not region.width or not region.height or region.y >= screen.size.height:
            continue
        name = _name(widget)
        if region.right > clip.right and region.x < clip.right:
            found.append(f"{name}: {region.right - clip.right} columns past the right edge")
        if region.bottom > clip.bottom and not _scrolls(widget) and not widget.is_container:
            found.append(f"{name}: {region.bottom - clip.bottom} rows below what is shown")
        found += _content_cuts(widget, name)
    found += footer_cuts(app)
    return found


def _border_cuts(widget: Widget, name: str) -> list[str]:
    """A border's title or subtitle longer than its edge: Textual ends it with '…'."""
    found = []
    room = widget.outer_size.width - 4  # two corners, a space each side
    for edge, label in (("top", widget.border_title), ("bottom", widget.border_subtitle)):
        if not label or not getattr(widget.styles, f"border_{edge}")[0]:
            continue
        length = Content.from_markup(label).cell_length if isinstance(label, str) else 0
        if isinstance(label, Content):
            length = label.cell_length
        if length > room:
            found.append(f"{name}: its {edge} border's {label!s:.40} cut to {room} columns")
    return found


def _content_cuts(widget: Widget, name: str) -> list[str]:
    found: list[str] = _border_cuts(widget, name)
    needed = getattr(widget, "rows_needed", None)
    if needed is not None and needed() > widget.content_region.height:
        found.append(f"{name}: needs {needed()} rows, shows {widget.content_region.height}")
    if isinstance(widget, BoundaryMap) and widget.strips:
        width, height = widget.content_size
        drawn = max(strip.cell_length for strip in widget.strips)
        if (drawn, len(widget.strips)) != (width, height):
            found.append(f"{name}: drawn {drawn}×{len(widget.strips)} in {width}×{height}")
    if isinstance(widget, PlotextPlot):
        found += _plot_words(widget, name)
    if isinstance(widget, OptionList):
        found += _wrapped_options(widget, name)
    if isinstance(widget, DataTable):
        found += _narrow_columns(widget, name)
    if isinstance(widget, Input):
        return found  # its value scrolls under the cursor, as every text field does
    if isinstance(widget, (ScrollView, ScrollableContainer)) or widget.is_container:
        room = widget.scrollable_content_region.width
        if widget.virtual_size.width > room:  # a scrollbar under a table hints at little
            found.append(f"{name}: {widget.virtual_size.width} columns wide in {room}")
        return found
    return found + _text_cuts(widget, name)


def _text_cuts(widget: Widget, name: str) -> list[str]:
    """A leaf: the rows its content needs at its width, and characters lost at that width."""
    width, height = widget.content_region.width, widget.content_region.height
    if width <= 0:
        return []
    try:
        visual = widget._render()
        style = widget.visual_style
        narrow = Visual.to_strips(widget, visual, width, None, style)
        wide = Visual.to_strips(widget, visual, WIDE, None, style)
    except Exception:  # a widget drawn line by line (the line API) has no content to ask
        return []
    found = []
    while narrow and not narrow[-1].text.strip():
        narrow.pop()
    if len(narrow) > height:
        hidden = next((s.text.strip() for s in narrow[height:] if s.text.strip()), "")
        found.append(f"{name}: {len(narrow)} rows in {height}, hidden: {hidden[:40]!r}")
    lost = _chars(wide) - _chars(narrow)
    if lost:
        found.append(f"{name}: cut at {width} columns, losing {''.join(lost.elements())[:30]!r}")
    return found


def _plot_words(plot: PlotextPlot, name: str) -> list[str]:
    """A plot's title and the words it writes on its canvas ('BI-RADS ≥4' by a point), whole
    in what it draws: plotext crops them at its frame without a mark."""
    monitor = plot.plt._active.monitor
    drawn = str(plot.render()).replace("\n", " ")
    words = [monitor.title or "", *(monitor.text or [])]
    return [
        f"{name}: '{word}' is not whole on the plot"
        for word in words
        if isinstance(word, str) and word.strip() and word.strip() not in drawn
    ]


def _wrapped_options(options: OptionList, name: str) -> list[str]:
    padding = options.get_component_styles("option-list--option").padding
    width = (
        options.scrollable_content_region.width - options._get_left_gutter_width() - padding.width
    )
    found = []
    for option in options.options:
        visual = options._get_visual(option)
        if visual.get_height(options.styles, width) > visual.get_height(options.styles, WIDE):
            found.append(f"{name}: a row wraps at {width} columns: {str(option.prompt)[:50]!r}")
    return found


def _narrow_columns(table: DataTable, name: str) -> list[str]:
    """A cell wider than its column: a cell updated after its column was sized keeps the
    old width unless asked ('oversh' for 'overshoots')."""
    found = []
    console = table.app.console
    for key, column in table.columns.items():
        room = column.content_width if column.auto_width else column.width
        for row_key in table.rows:
            value = table.get_cell(row_key, key)
            width = measure(console, default_cell_formatter(value), 1)
            if width > room:
                found.append(f"{name}: {value!s:.30} in a column {room} wide")
    return found


def footer_cuts(app: App) -> list[str]:
    """Footer keys that do not end before the palette key (or the screen's edge)."""
    found = []
    keys = list(app.screen.query(FooterKey))
    palette = [key for key in keys if key.has_class("-command-palette")]
    edge = palette[0].region.x if palette else app.screen.size.width
    for key in keys:
        if key in palette or not key.display:
            continue
        if not key.region or key.region.right > edge:
            found.append(f"footer: '{key.key_display} {key.description}' cut at column {edge}")
    return found
