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
        return (
            f"{self.raw_rows} representatives; {len(self.y)} voted on all 16 bills and are kept. "
            f"Democrats are {self.democrat_share_raw * 100:.1f} % of all rows and "
            f"{self.democrat_share_kept * 100:.1f} % of the kept ones: dropping the rows with a "
            "missing vote changes the mix a little, so the model learns from a slightly "
            "different House than the real one."
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
