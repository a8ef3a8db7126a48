"""Home's lists (`RowsList`): a row's lines are counted without drawing it, and only the rows
in view are drawn; what they show is what an OptionList of the hung text would show."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.content import Content

from tests.fakes import FakeRunSource, sample_runs, settle
from tui_dl.ui.app import make_app
from tui_dl.ui.widgets.rows_list import HungRow, RowsList, hang


def _in_view(rows: RowsList) -> set[int]:
    top, height = rows.scroll_offset.y, rows.scrollable_content_region.height
    return {index for index, _ in rows._lines[top : top + height]}


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
async def test_each_rows_lines_are_counted_as_content_would_wrap_it_and_only_rows_in_view_are_drawn(
    size,
):
    app = make_app(source=FakeRunSource(sample_runs()), screen="home")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        lists = list(app.screen.query(RowsList))
        assert [rows.id for rows in lists] == ["lessons", "experiments"]
        for rows in lists:
            width = rows._row_width()
            heights = rows._line_cache.heights
            assert len(heights) == rows.option_count > 10
            for index, option in enumerate(rows.options):
                row = option._visual
                assert isinstance(row, HungRow), (rows.id, index)
                drawn = Content.from_rich_text(hang(option.prompt, width))
                assert heights[index] == drawn.get_height(rows.styles, width), (rows.id, index)
                # A row is made into Content when drawn: those in view, not the rest.
                assert (row._content is not None) == (index in _in_view(rows)), (rows.id, index)
        if size == (80, 24):  # home's lists hold more rows than they show at 80×24
            assert any(option._visual._content is None for option in lists[1].options)


def test_a_row_that_fits_is_kept_as_it_is_and_one_that_does_not_hangs_under_its_text():
    fits = Text("3. Lenet  0/6", style="bold")
    fits.append("\n  The course: 99 %.", style="dim")
    assert hang(fits, 20) is fits
    long = Text("3. Where neural networks came from  0/6")
    lines = [line.rstrip() for line in hang(long, 20).plain.split("\n")]
    assert lines == ["3. Where neural", "   networks came", "   from  0/6"]
    assert HungRow(RowsList(), hang(long, 20), 20).get_height({}, 20) == 3
