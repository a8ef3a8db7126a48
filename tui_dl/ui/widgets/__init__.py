"""Widgets of the app, one module each."""

from tui_dl.ui.widgets.activation_plot import ActivationPlot
from tui_dl.ui.widgets.descent_bowl import DescentBowl
from tui_dl.ui.widgets.descent_curve import DescentCurve
from tui_dl.ui.widgets.ethics_checklist import EthicsChecklist
from tui_dl.ui.widgets.metrics_plot import MetricsPlot
from tui_dl.ui.widgets.photo_view import PhotoView
from tui_dl.ui.widgets.run_form import RunForm
from tui_dl.ui.widgets.run_progress import RunProgress
from tui_dl.ui.widgets.run_summary import RunSummary, describe_outcome
from tui_dl.ui.widgets.softmax_bars import SoftmaxBars
from tui_dl.ui.widgets.sweep_plot import SweepPlot

__all__ = [
    "ActivationPlot",
    "DescentBowl",
    "DescentCurve",
    "EthicsChecklist",
    "MetricsPlot",
    "PhotoView",
    "RunForm",
    "RunProgress",
    "RunSummary",
    "SoftmaxBars",
    "SweepPlot",
    "describe_outcome",
]
