"""Widgets of the app, one module each: `lesson/` for the lessons' live widgets, `run/` for
everything about runs. Imported lazily by name (`from tui_dl.ui.widgets import RunForm`), so
a screen loads only the widgets it uses."""

from __future__ import annotations

from tui_dl.ui.lazy import lazy_names

_HOMES = {
    "ActivationPlot": "lesson.activation_plot",
    "DescentBowl": "lesson.descent_bowl",
    "DescentCurve": "lesson.descent_curve",
    "EthicsChecklist": "lesson.ethics_checklist",
    "SoftmaxBars": "lesson.softmax_bars",
    "ConfusionGrid": "run.confusion_grid",
    "DigitCard": "run.digit_card",
    "MetricsPlot": "run.metrics_plot",
    "PhotoView": "run.photo_view",
    "RunForm": "run.run_form",
    "RunProgress": "run.run_progress",
    "RunSummary": "run.run_summary",
    "SweepPlot": "run.sweep_plot",
    "ThresholdSlider": "run.threshold_slider",
}

__all__ = sorted(_HOMES)


__getattr__ = lazy_names(__name__, _HOMES)
