"""What the dataset view shows, built from what the worker read: each class's examples as a
sheet of pictures, the balance as bars and a sentence, the table with its gaps marked, and
`describe()`. Every value from the file reaches the screen as `Text`, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from tui_dl.data.overview.balance import ClassCount, balance_sentence
from tui_dl.ui.render.folder_summary import count_bars

if TYPE_CHECKING:
    from tui_dl.data.overview.read import ImageOverview, TableOverview
    from tui_dl.ui.render.plain import TextTable

MISSING = Text("?", style="bold red")
"""A missing value in the table: the file's own '?', in red."""


def source_line(overview: ImageOverview | TableOverview) -> Text:
    """Where the copy shown was read from, and its size in words."""
    from tui_dl.data.overview.read import ImageOverview

    if isinstance(overview, ImageOverview):
        train = sum(c.count for c in overview.train)
        test = sum(c.count for c in overview.test)
        size = f"{train:,} training + {test:,} test pictures, {len(overview.class_names)} classes"
    else:
        rows = len(overview.frame)
        gaps = sum(overview.missing.values())
        holed = overview.drop.dropped
        size = (
            f"{rows:,} rows × {overview.frame.shape[1]} columns; {gaps:,} missing values "
            f"(marked ?) in {holed:,} rows"
        )
    return Text.assemble((overview.label, "bold"), "\n", size)


def example_sheet(overview: ImageOverview, width: int, height: int) -> Text:
    """Each class: its name and counts, then as many of its training pictures as fit across."""
    import numpy as np

    from tui_dl.ui.render.sheet import contact_sheet, grid

    columns, rows, across, _ = grid(width, height)
    text = Text()
    for k, name in enumerate(overview.class_names):
        if k:
            text.append("\n\n")
        text.append(Text.assemble((name, "bold"), f" · {overview.train[k].count:,} training"))
        text.append(f" / {overview.test[k].count:,} test\n", style="dim")
        pictures = overview.examples[k][:across]
        if not len(pictures):
            text.append("(no pictures of this class)", style="yellow")
            continue
        rgb = [np.repeat(picture[..., None], 3, axis=2) for picture in pictures]
        text.append_text(contact_sheet(rgb, columns, rows, across))
    return text


def _bars(title: str, counts: list[ClassCount], width: int) -> list[RenderableType]:
    total = sum(c.count for c in counts)
    return [
        Text(f"{title} ({total:,})", style="bold"),
        count_bars({c.name: c.count for c in counts}, width),
        Text(""),
    ]


def image_balance(overview: ImageOverview, width: int) -> Group:
    return Group(
        *_bars("Training set", overview.train, width),
        *_bars("Test set", overview.test, width),
        Text(balance_sentence(overview.train, "training pictures")),
    )


def table_balance(overview: TableOverview, width: int) -> Group:
    drop = overview.drop
    after = f"After dropping the {drop.dropped:,} rows with a missing {drop.missing_word}"
    return Group(
        Text(f"Class: {drop.target}", style="dim"),
        *_bars("Every row", drop.before, width),
        *_bars(after, drop.after, width),
        Text(drop.sentence(), style="yellow" if drop.dropped else ""),
    )


def cell(value: object) -> Text:
    """A value of the table as text: NaN as a red '?', 67.0 as 67."""
    if isinstance(value, float):
        return MISSING if value != value else Text(f"{value:g}")
    return Text(str(value))


NARROW = 60
"""Column names longer than this in all are numbered (house votes' 16 votes), and the line
under the table names the cursor's column: the table's cells are a letter each, and full
names would scroll it sideways at any width."""


def headers(overview: TableOverview) -> list[str]:
    """The table's column labels: "#" (the file's row) and the names, or the class column
    and the others numbered."""
    names = [str(c) for c in overview.frame.columns]
    if sum(len(n) + 2 for n in names) <= NARROW:
        return ["#", *names]
    return [names[0], *(str(k) for k in range(1, len(names)))]


def fill_table(table: TextTable, overview: TableOverview) -> None:
    """The whole table, row numbers as in the file (1 = its first line) where there is room."""
    labels = headers(overview)
    numbered = labels[0] == "#"
    table.clear(columns=True)
    table.add_columns(*labels)
    for number, row in enumerate(overview.frame.itertuples(index=False), start=1):
        cells = [cell(v) for v in row]
        table.add_row(*([Text(str(number), style="dim")] if numbered else []), *cells)


def cursor_line(overview: TableOverview, row: int, column: int) -> Text:
    """What the table's cursor is on, named in full: "row 14 · 1 handicapped-infants: ?"."""
    frame = overview.frame
    offset = 1 if headers(overview)[0] == "#" else 0
    index = column - offset
    if not (0 <= row < len(frame) and 0 <= index < frame.shape[1]):
        return Text(f"row {row + 1} of {len(frame):,}")
    name = str(frame.columns[index])
    label = f"{index} {name}" if not offset and index else name
    return Text.assemble(f"row {row + 1} · {label}: ", cell(frame.iloc[row, index]))


def fill_describe(table: TextTable, overview: TableOverview) -> Text:
    """`describe()`, one row a column of the table, with its missing values beside. A
    statistic the same for every column (house votes' 2 unique values) is not a column but
    the line returned, so the table fits 80 columns."""
    stats = [str(s) for s in overview.describe.columns]
    rows = overview.describe_rows()
    same = [k for k in range(len(stats)) if len({row[2][k] for row in rows}) == 1 and rows]
    kept = [k for k in range(len(stats)) if k not in same]
    table.clear(columns=True)
    table.add_columns("column", "missing", *(stats[k] for k in kept))
    for column, missing, values in rows:
        table.add_row(
            Text(column, style="bold"),
            Text(f"{missing:,}", style="red" if missing else ""),
            *(Text(values[k]) for k in kept),
        )
    said = [f"{stats[k]} {rows[0][2][k]}" for k in same if rows[0][2][k]]
    return Text(f"In every column: {', '.join(said)}." if said else "", style="dim")
