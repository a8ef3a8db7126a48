"""Looking back at a finished run from its artifacts: numpy and scikit-learn, no TensorFlow,
no Textual — shared by the screens, the CLI's JSON report and the engine's jobs."""

from tui_dl.analysis.predictions import (
    ConfusionReport,
    Predictions,
    confusion_report,
    load_predictions,
    mistakes,
)

__all__ = ["ConfusionReport", "Predictions", "confusion_report", "load_predictions", "mistakes"]
