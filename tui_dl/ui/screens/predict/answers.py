"""What the predict screen says, as text: each picture asked about with its top classes, how
sure it was over them all beside how sure it was of its own test pictures, what the threshold
refuses, and a few of the pictures it was taught. Every number from the answers it is given;
every name (a file's, a class folder's) as text, never markup."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from tui_dl.analysis.predicted import NONE_OF_THESE
from tui_dl.data.my_images.other import OTHER
from tui_dl.text import percent
from tui_dl.ui.render.sheet import contact_sheet

if TYPE_CHECKING:
    import numpy as np

    from tui_dl.analysis.predicted import Predicted

MAX_ROWS = 200
"""Pictures listed at most (a folder may hold 2,000); the summary counts them all."""
THUMB = (8, 4)
"""(columns, rows) of each picture asked about."""
MAX_TAUGHT_CLASSES = 24
"""Classes whose pictures are shown (a run may know hundreds; their names are in the answers)."""
CARD = 56
"""The cells a picture's card takes at least: more than this, and cards stand side by side."""


def the_point(names: tuple[str, ...] | list[str]) -> Text:
    """The course's point, in one line: a network picks among what it knows."""
    text = Text("Its only answers are its ")
    text.append(f"{len(names)} classes", style="bold")
    text.append(
        ": shown anything else, it still picks one."
        if OTHER not in names
        else f'; "{OTHER}" stands for everything else.'
    )
    return text


def short_names(paths: list[str]) -> list[str]:
    """The pictures' paths without the folder they all share (a file alone: its name)."""
    if len(paths) < 2:
        return [os.path.basename(p) or p for p in paths]
    try:
        shared = os.path.commonpath(paths)
    except ValueError:  # relative beside absolute
        return list(paths)
    return [os.path.relpath(p, shared) if p != shared else os.path.basename(p) for p in paths]


def answer_words(answer: str) -> Text:
    if answer == NONE_OF_THESE:
        return Text(answer, style="yellow")
    if answer == OTHER:
        return Text.assemble((answer, "bold"), (" (everything else)", "dim"))
    return Text(answer, style="bold")


def thumbnails_of(found: Predicted) -> list[Text]:
    """The pictures listed, drawn once (off the UI thread: the threshold redraws the rest)."""
    return [contact_sheet([picture], *THUMB, across=1) for picture in found.thumbnails[:MAX_ROWS]]


def answers_table(
    found: Predicted, threshold: float, width: int = 80, thumbnails: list[Text] | None = None
) -> Table:
    """One card a picture, as many side by side as `width` cells hold: its thumbnail (drawn
    here unless given), its name, what it answers at `threshold`, and its top classes with
    their confidences (one a line where they do not fit)."""
    drawn = thumbnails_of(found) if thumbnails is None else thumbnails
    names = found.report["class_names"]
    across = max(1, width // CARD)
    room = width // across - THUMB[0] - 2
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1, 1, 0))
    for _ in range(across):
        table.add_column(width=THUMB[0], no_wrap=True)
        table.add_column(ratio=1)
    answers = found.report["answers"]
    shown = short_names([a["path"] for a in answers[:MAX_ROWS]])
    cells: list[Text] = []
    for i, (answer, name) in enumerate(zip(answers, shown, strict=False)):
        said = Text(name + "\n", style="bold")
        said.append("→ ")
        said.append_text(answer_words(found.answer(i, threshold)))
        said.append("\n")
        tops = [f"{names[int(c)]} {percent(p, 0)}" for c, p in answer["top"]]
        said.append(("  " if len("  ".join(tops)) <= room else "\n").join(tops), style="dim")
        cells += [drawn[i], said]
        if len(cells) == 2 * across:
            table.add_row(*cells)
            cells = []
    if cells:
        table.add_row(*cells)
    return table


def left_out(found: Predicted) -> Text:
    """The pictures not listed, and the files skipped and why."""
    text = Text()
    hidden = len(found.report["answers"]) - MAX_ROWS
    if hidden > 0:
        text.append(f"… and {hidden:,} more (all counted below).\n", style="dim")
    skipped = found.report["skipped"]
    if skipped:
        text.append(f"Skipped {len(skipped):,}:\n", style="dim")
        for skip in skipped[:20]:
            text.append(f"  {skip['path']} — {skip['reason']}\n", style="dim")
    return text


def summary(found: Predicted | None, threshold: float, taught: np.ndarray) -> Text:
    """How sure it was over these pictures (None: none asked about yet) and over its own test
    pictures (`taught`: their top confidences), and what `threshold` refuses of each."""
    if found is None:
        return refusals(threshold, 0, 0, taught)
    asked = found.report["asked"]
    n = asked["n"]
    text = Text("How sure it was (top confidence): ")
    text.append(f"{percent(asked['mean'], 0)} ± {percent(asked['spread'], 0)}", style="bold")
    text.append(f" over these {n:,}" if n > 1 else " for this one")
    if len(taught):
        text.append(
            f"; {percent(float(taught.mean()), 0)} ± {percent(float(taught.std()), 0)} over its "
            f"own {len(taught):,} test pictures"
        )
    text.append(".\n")
    names = found.report["class_names"]
    if OTHER in names:
        other = found.chose(OTHER, 0.0)
        text.append(f'It answered "{OTHER}" for {other:,} of these {n:,}.\n')
    text.append_text(refusals(threshold, found.refused(threshold), n, taught))
    return text


def refusals(threshold: float, refused: int, n: int, taught: np.ndarray) -> Text:
    """What the threshold does: the pictures it answers "none of these", of these and of its
    own (the remedy's cost); `refused` of the `n` asked about."""
    if threshold <= 0:
        every = f" for all {n:,}" if n else ""
        return Text(f"No threshold: it names one of its classes{every} (+ sets one).", style="dim")
    text = Text(f"Threshold {percent(threshold, 0)} (+ -): ")
    text.append(f'"{NONE_OF_THESE}"', style="yellow")
    counts = [f"{refused:,} of these {n:,}"] if n else []
    if len(taught):
        own = int((taught < threshold).sum())
        counts.append(f"{own:,} of its own {len(taught):,} test pictures")
    text.append(" for " + ", and for ".join(counts) + "." if counts else ".")
    return text


def taught_sheet(
    colour: np.ndarray, examples: list[list[int]], names: tuple[str, ...], per_row: int
) -> Text:
    """Each class's name over a few of its own pictures, in colour (the first
    MAX_TAUGHT_CLASSES classes)."""
    text = Text()
    for c, indices in enumerate(examples[:MAX_TAUGHT_CLASSES]):
        if c:
            text.append("\n")
        text.append(names[c] + "\n", style="bold" if names[c] != OTHER else "italic")
        if indices:
            text.append_text(contact_sheet([colour[i] for i in indices[:per_row]], 8, 4, per_row))
        else:
            text.append("(none among its test pictures)", style="dim")
        text.append("\n")
    if len(examples) > MAX_TAUGHT_CLASSES:
        text.append(f"\n… and {len(examples) - MAX_TAUGHT_CLASSES:,} more classes.", style="dim")
    return text
