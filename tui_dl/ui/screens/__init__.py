"""The app's screens, one module each."""

from tui_dl.ui.screens.attention import AttentionScreen
from tui_dl.ui.screens.confusion import ConfusionScreen
from tui_dl.ui.screens.data import DataScreen
from tui_dl.ui.screens.ethics import EthicsScreen
from tui_dl.ui.screens.help import HelpScreen
from tui_dl.ui.screens.home import HomeScreen
from tui_dl.ui.screens.imagenet import ImageNetScreen
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.screens.lesson import LessonScreen
from tui_dl.ui.screens.misclassified import MisclassifiedScreen
from tui_dl.ui.screens.probe import ProbeScreen
from tui_dl.ui.screens.project import ProjectScreen
from tui_dl.ui.screens.reviews import ReviewsScreen
from tui_dl.ui.screens.run_view import RunViewScreen
from tui_dl.ui.screens.runs import RunsScreen
from tui_dl.ui.screens.sweep import SweepScreen

__all__ = [
    "AttentionScreen",
    "ConfusionScreen",
    "DataScreen",
    "EthicsScreen",
    "HelpScreen",
    "HomeScreen",
    "ImageNetScreen",
    "LabScreen",
    "LessonScreen",
    "MisclassifiedScreen",
    "ProbeScreen",
    "ProjectScreen",
    "ReviewsScreen",
    "RunViewScreen",
    "RunsScreen",
    "SweepScreen",
]
