"""A learner's own CSV of 2-D points, as the Playground (x1,x2,label) and the GAN Lab (x,y)
read it: within one size limit, without following a symlink, split into numbered rows. Each
keeps its own columns and its own words for what is wrong with a row."""

from __future__ import annotations

from pathlib import Path

from tui_dl.engine.trust.files import Unreadable
from tui_dl.engine.trust.named import read_named

POINTS_CSV_LIMIT = 2_000_000
"""The most a learner's CSV of 2-D points may weigh (the Playground's and the GAN Lab's):
some 60,000 rows, where a course's file has hundreds. Larger is refused before reading."""


class DataError(ValueError):
    """A CSV that cannot be used, with what is wrong with it."""


def read_points_csv(path: Path) -> str:
    """A learner's CSV of points as text: a plain file within POINTS_CSV_LIMIT, else
    DataError saying why (the limit named) before it is read."""
    try:
        return read_named(path, POINTS_CSV_LIMIT).decode("utf-8-sig")
    except Unreadable as exc:
        raise DataError(f"{path}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: cannot be read ({exc})") from None


def csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The file's non-blank lines, each as (its line number from 1, its comma-split cells);
    a header is the caller's to recognise."""
    text = read_points_csv(path)
    return [(n, line.split(",")) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
