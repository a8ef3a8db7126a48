"""Widgets of the app, one module each."""

from tui_dl.ui.widgets.metrics_plot import MetricsPlot
from tui_dl.ui.widgets.run_form import RunForm
from tui_dl.ui.widgets.run_progress import RunProgress
from tui_dl.ui.widgets.run_summary import RunSummary, describe_outcome

__all__ = ["MetricsPlot", "RunForm", "RunProgress", "RunSummary", "describe_outcome"]
