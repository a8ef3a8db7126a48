"""The mammogram project's data, step by step: read, inspect, judge, clean.

Everything the project screen shows about the data comes from `prepare()`, and so does
what the engine trains on: one path from file to features, whichever process runs it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tui_dl.engine.trust.files import Unreadable
from tui_dl.engine.trust.named import read_named

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["BI-RADS", "age", "shape", "margin", "density", "severity"]
FEATURES = ["age", "shape", "margin", "density"]
PROMISED = {
    "BI-RADS": (1, 5),
    "age": (0, 120),
    "shape": (1, 4),
    "margin": (1, 5),
    "density": (1, 4),
    "severity": (0, 1),
}
"""The ranges mammographic_masses.names promises (age: what a human age can be)."""
CSV_LIMIT = 10_000_000
"""The most a mammogram CSV may weigh: the UCI file is 16 kB (961 rows), this some 600,000
rows. A larger file is refused before it is read."""


class ProjectDataError(ValueError):
    """The learner's file cannot be used; the message says why and what to fix."""


@dataclass
class OutOfRange:
    column: str
    values: dict[float, int]
    """value → how many rows hold it"""
    action: str


@dataclass
class Prepared:
    """The file read and cleaned, with what was found on the way."""

    source: str
    raw_lines: list[str]
    frame: pd.DataFrame
    missing: dict[str, int]
    malignant_rate_complete: float
    malignant_rate_incomplete: float
    rows_incomplete: int
    out_of_range: list[OutOfRange] = field(default_factory=list)
    kept: pd.DataFrame | None = None

    @property
    def rows(self) -> pd.DataFrame:
        """The rows kept for training (set by `prepare` once the data is cleaned)."""
        if self.kept is None:
            raise ProjectDataError(f"{self.source}: not cleaned yet")
        return self.kept

    @property
    def x(self) -> np.ndarray:
        return self.rows[FEATURES].to_numpy(dtype=np.float32)

    @property
    def y(self) -> np.ndarray:
        return self.rows["severity"].to_numpy(dtype=np.int64)

    @property
    def birads(self) -> np.ndarray:
        """The radiologists' assessment per kept row; NaN where it is no valid 1–5 grade."""
        return self.rows["BI-RADS valid"].to_numpy(dtype=np.float64)


def read_file(path: Path) -> bytes:
    """The file's bytes: a plain file within CSV_LIMIT, else ProjectDataError saying why (a
    folder, a FIFO, no such file, its size and the limit) before anything is read."""
    try:
        return read_named(path, CSV_LIMIT)
    except Unreadable as exc:
        raise ProjectDataError(f"{path}: {exc}.") from None


def read_raw(path: Path, data: bytes | None = None) -> pd.DataFrame:
    """A learner's CSV (or the UCI file), checked so nothing downstream meets a surprise.
    `data`: its bytes, when `read_file` has read them already."""
    import pandas as pd

    path = Path(path)
    if data is None:
        data = read_file(path)
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            header=None,
            na_values=["?"],
            keep_default_na=False,
            skipinitialspace=True,
            dtype=str,
        )
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ProjectDataError(f"{path}: cannot be read as CSV ({exc}).") from exc
    if frame.shape[1] != len(COLUMNS):
        raise ProjectDataError(
            f"{path}: {frame.shape[1]} columns, expected {len(COLUMNS)} "
            f"({', '.join(COLUMNS)}), no header line."
        )
    frame.columns = COLUMNS
    for column in COLUMNS:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = frame[column].notna() & values.isna()
        if bad.any():
            row = int(bad.idxmax())
            raise ProjectDataError(
                f"{path}: line {row + 1}, column {column}: {frame[column][row]!r} is not a "
                "number ('?' marks a missing value)."
            )
        frame[column] = values
        if values.isna().all():
            raise ProjectDataError(f"{path}: column {column} has no values at all.")
    return frame


def dropping_verdict(
    incomplete: int, rows: int, complete_rate: float, incomplete_rate: float, all_rate: float
) -> str:
    """Is dropping the incomplete rows safe? Said from the file's own shares of malignant
    rows: which way the incomplete ones lean, and how far dropping them moves the mix."""
    if incomplete == 0:
        return f"No row of the {rows} misses a value: nothing is dropped, nothing is skewed."
    said = f"{incomplete} of {rows} rows miss at least one value."
    if incomplete_rate != incomplete_rate:  # NaN: none of them says benign or malignant
        return f"{said} None of them gives its severity, so they could not be learned from anyway."
    shares = (
        f" Among the complete rows {complete_rate * 100:.1f} % are malignant; among the "
        f"incomplete ones {incomplete_rate * 100:.1f} %."
    )
    if f"{complete_rate * 100:.1f}" == f"{incomplete_rate * 100:.1f}":
        return said + shares + " They lean neither way: dropping them keeps the mix."
    lean, towards = (
        ("benign", "malignant") if incomplete_rate < complete_rate else ("malignant", "benign")
    )
    before, after = round(all_rate * 100, 1), round(complete_rate * 100, 1)
    moved = (
        f" The incomplete rows lean {lean}, so dropping them moves the classes towards "
        f"{towards}: from {before:.1f} % malignant in all rows to {after:.1f} % in the "
        f"complete ones, {abs(after - before):.1f} points. The course drops them; a report "
        "says so, and imputing the missing values is the way to keep them when the shift "
        "matters."
    )
    return said + shares + moved


def dropping_words(data: Prepared) -> str:
    """`dropping_verdict` for a prepared file."""
    severity = data.frame["severity"].dropna()
    return dropping_verdict(
        data.rows_incomplete,
        len(data.frame),
        data.malignant_rate_complete,
        data.malignant_rate_incomplete,
        float(severity.mean()) if len(severity) else float("nan"),
    )


def prepare(path: Path, source: str, k: int = 10) -> Prepared:
    """Read, inspect and clean; raises ProjectDataError if too little is left to fold k ways."""
    data = read_file(path)  # once: the frame and the first lines from the same bytes
    frame = read_raw(path, data)
    raw_lines = data[:65536].decode("utf-8", errors="replace").splitlines()[:6]
    incomplete = frame.isna().any(axis=1)
    rate = lambda rows: float(rows["severity"].mean()) if len(rows) else float("nan")  # noqa: E731
    prepared = Prepared(
        source=source,
        raw_lines=raw_lines,
        frame=frame,
        missing={c: int(frame[c].isna().sum()) for c in COLUMNS},
        malignant_rate_complete=rate(frame[~incomplete]),
        malignant_rate_incomplete=rate(frame[incomplete & frame["severity"].notna()]),
        rows_incomplete=int(incomplete.sum()),
    )
    kept = frame[~incomplete].copy()
    kept["BI-RADS valid"] = kept["BI-RADS"].where(kept["BI-RADS"].between(1, 5))
    for column, (low, high) in PROMISED.items():
        outside = kept[column][(kept[column] < low) | (kept[column] > high)]
        if outside.empty:
            continue
        counts = {float(v): int(n) for v, n in outside.value_counts().sort_index().items()}
        if column == "BI-RADS":
            typo = " (a 55 is surely a typo for 5, but we do not guess)" if 55 in counts else ""
            action = (
                "BI-RADS is not a feature, so these rows stay; they are left out only "
                f"when the radiologists' grades are scored{typo}."
            )
        elif column == "severity":
            raise ProjectDataError(
                f"{source}: severity must be 0 (benign) or 1 (malignant); found {sorted(counts)}."
            )
        else:
            action = "these rows are dropped: a value the description does not allow."
            kept = kept[kept[column].between(low, high)]
        prepared.out_of_range.append(OutOfRange(column, counts, action))
    prepared.kept = kept
    _check_foldable(kept, k, source)
    return prepared


def _check_foldable(kept: pd.DataFrame, k: int, source: str) -> None:
    classes = kept["severity"].value_counts()
    if len(kept) < 2 * k:
        raise ProjectDataError(
            f"{source}: only {len(kept)} complete rows; {k}-fold cross-validation needs at "
            f"least {2 * k}."
        )
    if len(classes) < 2:
        only = "malignant" if classes.index[0] == 1 else "benign"
        raise ProjectDataError(
            f"{source}: every complete row is {only}: there is nothing to "
            "tell apart. Both classes are needed."
        )
    if classes.min() < k:
        raise ProjectDataError(
            f"{source}: only {classes.min()} rows of one class; stratified {k}-fold needs at "
            f"least {k} (one per fold)."
        )
