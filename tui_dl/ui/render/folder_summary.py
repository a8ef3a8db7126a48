"""A learner's folder of pictures described in Rich renderables: the count per class as bars,
the balance warning, sizes and modes, the split, files skipped and why, the same picture in two
classes. The data view's side panel and `tui-dl data folder` print the same pieces.

Everything from the folder (class names, file names, reasons) is `Text`, never markup: a name
may hold `[brackets]`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tui_dl.data.my_images.other import OTHER

if TYPE_CHECKING:
    from tui_dl.data.my_images.summary import Duplicate, FolderSummary

BAR = "█"
MAX_LISTED = 50
"""Skipped files and duplicates listed by name, at most; the rest are counted."""


def _plural(count: int, word: str, words: str = "") -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def class_bars(summary: FolderSummary, width: int, chosen: str | None = None) -> Table:
    """One row a class, `width` cells in all: its name, a bar as long as its share of the
    largest, its count. The `chosen` class (the one whose pictures are shown) is marked."""
    heavy = {summary.majority_class} if summary.balance_warning else set()
    # the class the warning names stands out
    return count_bars(summary.counts, width, chosen, heavy)


def count_bars(
    counts: Mapping[str, int],
    width: int,
    chosen: str | None = None,
    heavy: Collection[str] = (),
) -> Table:
    """Counts by name as bars, `width` cells in all: a name, a bar as long as its count's share
    of the largest, the count; `chosen` marked, the `heavy` names in another colour."""
    largest = max(max(counts.values(), default=0), 1)
    name_width = min(max((len(name) for name in counts), default=0) + 2, max(8, width // 3))
    count_width = len(f"{largest:,}")
    bar_width = max(4, width - name_width - count_width - 2)
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, width=name_width, overflow="ellipsis")
    table.add_column(no_wrap=True, width=bar_width)
    table.add_column(justify="right", no_wrap=True, width=count_width)
    for name, count in counts.items():
        length = max(1, round(bar_width * count / largest))
        marked = name == chosen
        table.add_row(
            Text(("▸ " if marked else "  ") + name, style="bold" if marked else ""),
            Text(BAR * length, style="magenta" if name in heavy else "cyan"),
            Text(f"{count:,}"),
        )
    return table


def balance_text(summary: FolderSummary) -> Text:
    if summary.balance_warning:
        return Text(summary.balance_warning, style="yellow")
    return Text(
        f"Balanced: the largest class is {summary.imbalance:.1f}× the smallest.", style="green"
    )


def sizes_text(summary: FolderSummary) -> Text:
    width, height = summary.sizes.width, summary.sizes.height
    text = Text.assemble(
        ("Sizes ", "bold"),
        f"width {width[0]}–{width[2]} px (median {width[1]}), "
        f"height {height[0]}–{height[2]} px (median {height[1]})\n",
        ("Modes ", "bold"),
        ", ".join(f"{mode} {n}" for mode, n in summary.modes.items()),
        "\n",
        ("Formats ", "bold"),
        ", ".join(f"{kind} {n}" for kind, n in summary.formats.items()),
    )
    return text


def split_table(summary: FolderSummary) -> RenderableType:
    table = Table("class", "train", "valid.", "test", box=None, padding=(0, 1), show_edge=False)
    for name, (train, validation, test) in summary.split_sizes.items():
        cells = [Text(str(n), style="red" if n < 1 else "") for n in (train, validation, test)]
        table.add_row(Text(name, overflow="ellipsis", no_wrap=True), *cells)
    heading = Text.assemble(("Split ", "bold"), summary.split)
    if not summary.split_problems:
        return Group(heading, table)
    return Group(heading, table, Text("\n".join(summary.split_problems), style="red"))


def skipped_text(summary: FolderSummary) -> Text:
    if not summary.skipped:
        return Text("Skipped: nothing; every file is a picture that opens.", style="dim")
    kinds = ", ".join(f"{n} {kind}" for kind, n in summary.skipped_counts.items())
    text = Text.assemble(
        ("Skipped ", "bold"), f"{_plural(len(summary.skipped), 'file')} ({kinds}):"
    )
    for skipped in summary.skipped[:MAX_LISTED]:
        text.append("\n  ")
        text.append(skipped.relative or summary.folder)
        text.append(f" — {skipped.reason}", style="dim")
    if len(summary.skipped) > MAX_LISTED:
        text.append(f"\n  … and {len(summary.skipped) - MAX_LISTED:,} more", style="dim")
    return text


def _copies(duplicates: list[Duplicate]) -> Text:
    text = Text()
    for duplicate in duplicates[:MAX_LISTED]:
        text.append("\n  ")
        text.append(" = ".join(path for _, path in duplicate.files))
    if len(duplicates) > MAX_LISTED:
        text.append(f"\n  … and {len(duplicates) - MAX_LISTED:,} more", style="dim")
    return text


def duplicates_text(summary: FolderSummary) -> Text:
    if not summary.duplicates and not summary.repeats:
        return Text("No picture is in the folder twice.", style="dim")
    text = Text()
    if summary.duplicates:
        text.append(
            f"The same picture in two classes ({len(summary.duplicates):,}): its label "
            "contradicts itself.",
            style="bold red",
        )
        text.append_text(_copies(summary.duplicates))
        if summary.other and any(OTHER in d.classes for d in summary.duplicates):
            text.append(
                "\n  In the other folder and in a class: training refuses these until one "
                "copy goes.",
                style="red",
            )
    if summary.repeats:
        if summary.duplicates:
            text.append("\n")
        text.append(
            f"The same picture twice in one class ({len(summary.repeats):,}): it can land in "
            "training and in test.",
            style="bold yellow",
        )
        text.append_text(_copies(summary.repeats))
    return text


def headline(summary: FolderSummary) -> Text:
    classes = _plural(len(summary.counts), "class", "classes")
    text = Text.assemble(
        (summary.folder, "bold"), f": {classes}, {_plural(summary.total, 'picture')}"
    )
    if summary.other:
        text.append(f"\n{OTHER}: {_plural(summary.counts.get(OTHER, 0), 'picture')} from ")
        text.append(summary.other, style="bold")
        text.append(" (everything that is none of the classes)", style="dim")
    return text


def facts(summary: FolderSummary, width: int, chosen: str | None = None) -> Group:
    """Everything about the folder in `width` cells, one piece after another."""
    pieces: list[RenderableType] = [
        headline(summary),
        class_bars(summary, width, chosen),
        balance_text(summary),
        Text(""),
        sizes_text(summary),
        Text(""),
        split_table(summary),
        Text(""),
        skipped_text(summary),
        Text(""),
        duplicates_text(summary),
    ]
    return Group(*pieces)
