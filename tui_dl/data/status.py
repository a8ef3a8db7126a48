"""What is on this machine, one row per dataset, for the app's data screen and `tui-dl data`.

It runs inside the UI on every refresh, so it only stats files: no network, no reading of data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tui_dl.data.registry import DATASETS
from tui_dl.data.sources import find_local, find_offline_sample


@dataclass(frozen=True)
class StatusRow:
    """One dataset's availability, ready to show."""

    name: str
    title: str
    available: bool
    source: str
    """The `Located` label, or "not found — tui-dl data fetch NAME"."""
    size: str
    """Bytes on disk of the copy that would be used ("11.5 MB"), or "—"."""
    kind: str = "missing"
    """The `Located` kind (folder, keras-cache, system, offline-sample), or "missing"."""

    @property
    def short_source(self) -> str:
        """For narrow panels: where it comes from, in two or three words."""
        return SHORT_KINDS.get(self.kind, self.kind)


SHORT_KINDS = {
    "folder": "data folder",
    "keras-cache": "Keras cache",
    "system": "system copy",
    "download": "downloaded",
    "offline-sample": "sample only",  # 11 cells at most: home's Data panel at 80 columns
    "missing": "not here",
}


def format_size(n_bytes: int) -> str:
    """Decimal units, as download pages and `ls -h --si` print them."""
    size = float(n_bytes)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


def disk_size(path: Path) -> int:
    """A file's size, or the total of the files directly inside a folder."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size


def status_rows(data_dir: str | os.PathLike[str] | None = None) -> list[StatusRow]:
    """Every registered dataset, in registry order, with where it would be read from."""
    rows = []
    for dataset in DATASETS.values():
        found = find_local(dataset, data_dir) or find_offline_sample(dataset)
        if found is None:
            rows.append(
                StatusRow(
                    dataset.name,
                    dataset.title,
                    False,
                    f"not found — tui-dl data fetch {dataset.name}",
                    "—",
                )
            )
            continue
        size = format_size(disk_size(found.path))
        rows.append(StatusRow(dataset.name, dataset.title, True, found.label, size, found.kind))
    return rows
