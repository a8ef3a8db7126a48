"""A run's script as a Jupyter notebook: the same code, one cell per part of the script (the
setup, the data, the model, the training, the evaluation: its `# %%` lines, or its
`# -----` section lines), written as nbformat 4 JSON with the standard library.

The cells joined again are the script, character for character (a test checks it): the
notebook and the script cannot drift apart."""

from __future__ import annotations

import json
from typing import Any

CELL_MARKS = ("# %%", "# -----")
"""A line starting with one of these begins a new cell."""


def cells_of(script: str) -> list[str]:
    """The script cut before each marked line; the header above the first mark is a cell of
    its own when there is one."""
    cells: list[str] = []
    for line in script.splitlines(keepends=True):
        if not cells or line.startswith(CELL_MARKS):
            cells.append(line)
        else:
            cells[-1] += line
    return cells


def notebook_json(script: str) -> str:
    """The notebook (nbformat 4.5) whose code cells are the script's parts, in order."""
    cells: list[dict[str, Any]] = []
    for number, text in enumerate(cells_of(script)):
        cells.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"cell-{number}",
                "metadata": {},
                "outputs": [],
                "source": text.splitlines(keepends=True),
            }
        )
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
