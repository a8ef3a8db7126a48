"""Runs side by side: the settings that differ among them, their results, and each result's
difference from a baseline run (issue 27 §5)."""

from tui_dl.analysis.compare.table import (
    DELTA_STYLES,
    RESULTS,
    Compared,
    CompareRefused,
    Result,
    compare_runs,
    shown_delta,
    shown_result,
    shown_setting,
)

__all__ = [
    "DELTA_STYLES",
    "RESULTS",
    "CompareRefused",
    "Compared",
    "Result",
    "compare_runs",
    "shown_delta",
    "shown_result",
    "shown_setting",
]
