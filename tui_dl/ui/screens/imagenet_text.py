"""The model zoo screen's words and small pictures: the guesses, the notes, the strip of maps."""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.table import Table
from rich.text import Text

from tui_dl.text import bar
from tui_dl.ui.render.photos import render_photo


def guess_prompt(guess: dict[str, Any], width: int) -> Text:
    """'1 African elephant  ██████▌  91.2%' in `width` columns."""
    bar_width = 6 if width < 44 else 12
    name_width = max(6, width - bar_width - 10)
    name = guess["label"]
    name = name if len(name) <= name_width else name[: name_width - 1] + "…"
    text = Text(f"{guess['rank']} ", style="dim")
    text.append(f"{name:<{name_width}} ")
    text.append(bar(guess["probability"], bar_width), style="green")
    text.append(f" {guess['probability'] * 100:5.1f}%")
    return text


def strip(
    image: np.ndarray, maps: np.ndarray, top: list[dict[str, Any]], chosen: int, width: int
) -> Table:
    """Every guess's map, small, side by side, the one shown large marked."""
    gap = 2
    count = max(1, min(len(top), (width + gap) // (12 + gap)))
    columns = max(10, min(30, (width - gap * (count - 1)) // count))
    grid = Table.grid(padding=(0, gap, 0, 0))
    for _ in range(count):
        grid.add_column(width=columns, no_wrap=True)
    grid.add_row(*(render_photo(image, columns, columns // 2, maps[i]) for i in range(count)))
    grid.add_row(
        *(
            Text(
                f"{g['rank']} {g['label']}"[:columns],
                style="bold reverse" if i == chosen else "dim",
            )
            for i, g in enumerate(top[:count])
        )
    )
    return grid


def result_notes(result: dict[str, Any]) -> Text:
    """Where the map comes from, whose weights, and what not to believe."""
    notes = Text(style="dim")
    grid = "×".join(str(g) for g in result.get("grid", []))
    notes.append(f"Grad-CAM on {result['layer']} ({grid})")
    if result.get("weights") == "none":
        notes.append("\nUntrained: its guesses are noise.")
    else:
        notes.append(f"\nImageNet weights ({result.get('weights_from', 'pretrained')})")
    if not result["top"] or result["top"][0]["label"].startswith("class "):
        notes.append("\nNo class names: tui-dl data fetch imagenet-classes")
    return notes
