"""The learning-rate finder's screen, the plot on it and the lab's key that opens it."""

from tui_dl.ui.screens.lr_find.lab_key import LrFindLab
from tui_dl.ui.screens.lr_find.plot import LrPlot
from tui_dl.ui.screens.lr_find.screen import LrFindScreen

__all__ = ["LrFindLab", "LrFindScreen", "LrPlot"]
