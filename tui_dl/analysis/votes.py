"""The 1984 House votes, cleaned as the course does: '?' rows dropped, y/n → 1/0,
democrat → 1 — and the question the course asks: does dropping rows bias the result?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tui_dl.data.tables import read_uci_table


@dataclass
class Votes:
    source: str
    raw_rows: int
    x: np.ndarray
    y: np.ndarray
    democrat_share_raw: float
    democrat_share_kept: float

    def note(self) -> str:
        """The course's question about dropping rows, answered with this file's numbers."""
        return dropping_note(self.raw_rows, len(self.y), self.democrat_share_raw,
                             self.democrat_share_kept)  # fmt: skip


def dropping_note(raw_rows: int, kept_rows: int, share_raw: float, share_kept: float) -> str:
    """How many rows dropping the incomplete ones costs, and which way it moves the House:
    each figure from the file, the direction from the two shares of Democrats."""
    dropped = raw_rows - kept_rows
    head = (
        f"{raw_rows} representatives; {kept_rows} voted on all 16 bills and are kept, "
        f"{dropped} with a missing vote dropped."
    )
    if dropped == 0:
        return head + " Nothing is dropped, so the House is the real one."
    before, after = round(share_raw * 100, 1), round(share_kept * 100, 1)
    shares = f" Democrats are {before:.1f} % of all rows and {after:.1f} % of the kept ones"
    if before == after:
        return head + shares + ": dropping the rows leaves the mix as it was."
    towards = "the Republicans" if after < before else "the Democrats"
    return (
        head
        + shares
        + (
            f": dropping the rows moves the mix {abs(after - before):.1f} points towards "
            f"{towards}, so the model learns from a different House than the real one."
        )
    )


def load_votes(data_dir: str | None = None, allow_download: bool = True) -> Votes:
    frame, where = read_uci_table("house-votes", data_dir=data_dir, allow_download=allow_download)
    democrat_raw = float((frame["party"] == "democrat").mean())
    kept = frame.dropna()
    votes = kept.drop(columns="party").replace({"y": 1, "n": 0}).astype(np.float32)
    return Votes(
        source=where.label,
        raw_rows=len(frame),
        x=votes.to_numpy(),
        y=(kept["party"] == "democrat").to_numpy(dtype=np.int64),
        democrat_share_raw=democrat_raw,
        democrat_share_kept=float((kept["party"] == "democrat").mean()),
    )
