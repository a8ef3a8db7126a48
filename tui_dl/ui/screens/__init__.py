"""The app's screens, one module each (`run_views/` for the views of one run). The app opens
them by name through `tui_dl.ui.registry`, which imports a screen's module when it is first
opened; this package imports them lazily by class name too (`from tui_dl.ui.screens import
LabScreen`)."""

from __future__ import annotations

from tui_dl.ui.lazy import lazy_names

_HOMES = {
    "DataScreen": "data",
    "EthicsScreen": "ethics",
    "HomeScreen": "home",
    "ImageNetScreen": "imagenet",
    "LabScreen": "lab",
    "LessonScreen": "lesson",
    "ProjectScreen": "project",
    "RunsScreen": "runs",
    "SweepScreen": "sweep",
    "AttentionScreen": "run_views.attention",
    "ConfusionScreen": "run_views.confusion",
    "MisclassifiedScreen": "run_views.misclassified",
    "ProbeScreen": "run_views.probe",
    "ReviewsScreen": "run_views.reviews",
    "RunViewScreen": "run_views.base",
}

__all__ = sorted(_HOMES)


__getattr__ = lazy_names(__name__, _HOMES)
