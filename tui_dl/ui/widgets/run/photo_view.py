"""A photo drawn in half blocks, as large as its box allows, with a heatmap over it or not."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.widget import Widget

from tui_dl.ui.render.photos import render_photo


class PhotoView(Widget):
    """Redrawn to fit whenever its box changes size; shows `placeholder` until a photo is set."""

    DEFAULT_CSS = """
    PhotoView { width: 1fr; height: 1fr; content-align: center top; }
    """

    def __init__(self, placeholder: str | Text = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.placeholder = placeholder
        self.image: np.ndarray | None = None
        self.heat: np.ndarray | None = None

    def show(self, image: np.ndarray | None, heat: np.ndarray | None = None) -> None:
        self.image, self.heat = image, heat
        self.refresh()

    def say(self, placeholder: str | Text) -> None:
        """Words instead of a picture (before a run, or when it failed): a `str` as text."""
        self.image, self.heat, self.placeholder = None, None, placeholder
        self.refresh()

    def render(self) -> Text:
        if self.image is None:
            return Text(self.placeholder) if isinstance(self.placeholder, str) else self.placeholder
        width, height = self.content_size
        return render_photo(self.image, max(1, width), max(1, height), heat=self.heat)
