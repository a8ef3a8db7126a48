"""A model's summary as Keras counts it: every layer's name, type, output shape and its
parameters, trainable and frozen, with a nested model's own layers under it (my-images'
pretrained base). What `model.summary()` prints, as data a screen and the CLI can lay out.

Written where Keras is — beside model.keras when a trainer saves it, or by the model job into
the viewer's notes folder for an older run — and read back here, every field checked: the
top-level rows must add up to the totals the file states, so a damaged or edited file is said
("unreadable: …"), never shown with numbers that do not agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from tui_dl.analysis.artifacts import UnreadableArtifact, load_json, save_json
from tui_dl.engine import runfiles

MAX_LAYERS = 20_000
"""More rows than any model here has (ResNet50 with its inside: ~180)."""


class LayerRow(TypedDict):
    name: str
    type: str
    """Its Keras class: Dense, Conv2D, Functional (a nested model)…"""
    shape: str
    """Its output shape as Keras writes it, `(None, 26, 26, 32)`; '?' when not known."""
    trainable: int
    frozen: int
    """Parameters that training does not change (a frozen base, BatchNorm's statistics)."""
    depth: int
    """0 for the model's own layers, 1 for those inside a nested model, …"""


class ModelSummary(TypedDict):
    model: str
    """The model's name (`sequential`, `resnet50`)."""
    type: str
    trainable: int
    """The model's trainable parameters as Keras counts them."""
    frozen: int
    layers: list[LayerRow]
    source: str
    """What it was read from: the run's model.keras, or the zoo's architecture."""
    note: str
    """Anything the reader should know about it ('' for nothing): a zoo network built again."""


def total(row: LayerRow | ModelSummary) -> int:
    return row["trainable"] + row["frozen"]


def children(summary: ModelSummary, index: int) -> range:
    """The rows inside row `index` (a nested model's layers, theirs included): the rows after
    it that are deeper."""
    rows = summary["layers"]
    depth = rows[index]["depth"]
    end = index + 1
    while end < len(rows) and rows[end]["depth"] > depth:
        end += 1
    return range(index + 1, end)


def nested(summary: ModelSummary) -> list[int]:
    """The rows that are models with layers of their own."""
    return [i for i in range(len(summary["layers"])) if len(children(summary, i))]


def visible(summary: ModelSummary, opened: set[int] | None = None) -> list[int]:
    """The rows shown when the nested models in `opened` show their layers (None: all do)."""
    shown: list[int] = []
    index = 0
    rows = summary["layers"]
    while index < len(rows):
        shown.append(index)
        inside = children(summary, index)
        if opened is not None and len(inside) and index not in opened:
            index = inside.stop
        else:
            index += 1
    return shown


def save_summary(folder: Path, summary: ModelSummary) -> str:
    save_json(Path(folder) / runfiles.MODEL_SUMMARY, summary, indent=1)
    return runfiles.MODEL_SUMMARY


def load_summary(folder: Path) -> ModelSummary:
    """The summary in `folder`, checked: FileNotFoundError when there is none,
    UnreadableArtifact when it cannot be believed."""
    name = runfiles.MODEL_SUMMARY
    summary: ModelSummary = load_json(Path(folder) / name, ModelSummary)
    rows = summary["layers"]
    if len(rows) > MAX_LAYERS:
        raise UnreadableArtifact(f"{name}: {len(rows):,} layers, more than a model has")
    numbers = [summary["trainable"], summary["frozen"]]
    numbers += [n for row in rows for n in (row["trainable"], row["frozen"], row["depth"])]
    if any(n < 0 for n in numbers):
        raise UnreadableArtifact(f"{name}: a negative count")
    depth = -1
    for row in rows:
        if row["depth"] > depth + 1:
            raise UnreadableArtifact(f"{name}: layer {row['name']!r} sits inside no model")
        depth = row["depth"]
    for key in ("trainable", "frozen"):
        added = sum(row[key] for row in rows if row["depth"] == 0)
        if added != summary[key]:
            raise UnreadableArtifact(
                f"{name}: its layers hold {added:,} {key} parameters, its total says "
                f"{summary[key]:,}"
            )
    return summary


def find_summary(run_dir: Path, notes: Path) -> ModelSummary:
    """The run's own summary (written when its model was saved), else the one the model job
    left in the viewer's notes for it; FileNotFoundError when neither is there."""
    try:
        return load_summary(run_dir)
    except FileNotFoundError:
        return load_summary(notes)
