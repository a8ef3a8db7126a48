"""The predict screen: a my-images run asked about pictures it was never taught."""

from tui_dl.ui.screens.predict.screen import PredictScreen

__all__ = ["PredictScreen"]
