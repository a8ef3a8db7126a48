"""The app's screens, one module each."""

from tui_dl.ui.screens.data import DataScreen
from tui_dl.ui.screens.help import HelpScreen
from tui_dl.ui.screens.home import HomeScreen
from tui_dl.ui.screens.lab import LabScreen
from tui_dl.ui.screens.runs import RunsScreen

__all__ = ["DataScreen", "HelpScreen", "HomeScreen", "LabScreen", "RunsScreen"]
