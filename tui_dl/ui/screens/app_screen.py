"""The base of every tui-dl screen: `self.app` is the tui-dl app, with its run source, its
data folder and its ways of opening screens (Textual types it as any App)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from textual import getters

    from tui_dl.ui.app import TuiDlApp


class AppScreen(Screen[None]):
    if TYPE_CHECKING:  # Textual's own typed getter; at run time the app is the same object
        app = getters.app(TuiDlApp)
