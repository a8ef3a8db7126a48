"""The UCI tables as raw pandas DataFrames, exactly as the repository ships them.

No cleaning happens here on purpose: spotting the '?' gaps, the BI-RADS 0/6/55 values and
the y/n strings is part of the course's projects, so the loader hands them over untouched
(only '?' becomes NaN, as the .names files define it).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from tui_dl.data.registry import DatasetUnavailable, get_dataset
from tui_dl.data.sources import Located, locate

if TYPE_CHECKING:
    import pandas as pd

MAMMOGRAPHIC_COLUMNS = ["BI-RADS", "age", "shape", "margin", "density", "severity"]
HOUSE_VOTES_COLUMNS = [
    "party",
    "handicapped-infants",
    "water-project-cost-sharing",
    "adoption-of-the-budget-resolution",
    "physician-fee-freeze",
    "el-salvador-aid",
    "religious-groups-in-schools",
    "anti-satellite-test-ban",
    "aid-to-nicaraguan-contras",
    "mx-missile",
    "immigration",
    "synfuels-corporation-cutback",
    "education-spending",
    "superfund-right-to-sue",
    "crime",
    "duty-free-exports",
    "export-administration-act-south-africa",
]
TABLE_COLUMNS = {
    "mammographic-masses": MAMMOGRAPHIC_COLUMNS,
    "house-votes": HOUSE_VOTES_COLUMNS,
}


def read_uci_table(
    name: str, data_dir: str | os.PathLike[str] | None = None, allow_download: bool = True
) -> tuple[pd.DataFrame, Located]:
    """One UCI table (`mammographic-masses` or `house-votes`) with named columns, '?' as NaN."""
    import pandas as pd  # lazy: keeps `import tui_dl.data` light for the UI

    dataset = get_dataset(name)
    if name not in TABLE_COLUMNS:
        raise ValueError(f"{name!r} is not a table; the tables are: {', '.join(TABLE_COLUMNS)}.")
    where = locate(name, data_dir=data_dir, allow_download=allow_download)
    columns = TABLE_COLUMNS[name]
    try:
        # keep_default_na=False: only '?' means missing; 'n' (a "no" vote) must stay a value.
        frame = pd.read_csv(
            where.path, header=None, names=columns, na_values=["?"], keep_default_na=False
        )
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DatasetUnavailable(
            f"The file {where.path} could not be read as {dataset.title} ({exc}).", name
        ) from exc
    if frame.shape[1] != len(columns) or frame.iloc[:, -1].isna().all():
        raise DatasetUnavailable(
            f"The file {where.path} does not look like {dataset.title}: expected "
            f"{len(columns)} comma-separated columns per row.",
            name,
        )
    return frame, where
