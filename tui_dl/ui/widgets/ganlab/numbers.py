"""The GAN Lab's numbers beside the picture: the iteration, both losses and a running chart of
them, how sure D is on each side, and how close the fakes have come.

The losses read against the point where D can no longer tell (D(x) = ½ everywhere): D's is
then 2·ln 2 ≈ 1.39, G's ln 2 ≈ 0.69. A D loss well below that is a discriminator winning; a
G loss far above it, a generator being caught.
"""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from tui_dl.engine.ganlab.session import GanSnapshot
from tui_dl.ui.render.gan_plane import FAKE, MESH, REAL, SAYS_FAKE, SAYS_REAL, rgb_tuple
from tui_dl.ui.render.sparkline import bar_rows

EVEN_D, EVEN_G = 2 * math.log(2), math.log(2)
CHART_LABEL = 2
"""`D ` and `G ` before each chart line."""


def _hex(colour: np.ndarray) -> str:
    r, g, b = rgb_tuple(colour)
    return f"#{r:02x}{g:02x}{b:02x}"


def numbers_text(
    snap: GanSnapshot, width: int, *, colour: bool, wide: bool, chart_rows: int = 1
) -> Text:
    """`wide`: room for a word on what each number means; `chart_rows`: each loss's chart
    this many lines tall (one: a short terminal, where no blank line parts the groups, so
    all of it fits 18 rows at 80×24)."""
    m = snap.metrics
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"Iteration {snap.iteration:,}\n", "bold")
    if snap.stopped:
        text.append("Blew up: r resets\n", "bold yellow")
    text.append(f"D updates {snap.d_updates:,}\nG updates {snap.g_updates:,}\n", "dim")
    for name, value, even in (("D loss", m.d_loss, EVEN_D), ("G loss", m.g_loss, EVEN_G)):
        _number(text, f"{name} ", f"{value:.3f}", f"{even:.2f} when D cannot tell", wide)
    gap = "\n" if chart_rows > 1 else ""
    text.append(gap)
    chart_text(snap, width, text, chart_rows)
    text.append(f"\n{gap}D says real\n", "dim")
    text.append(f"on real {m.d_on_real:.2f}\non fake {m.d_on_fake:.2f}\n")
    _number(text, "fake→real ", f"{m.distance:.3f}", "mean distance to the nearest real", wide)
    _number(text, "KL ", f"{m.kl:.2f}", "real ‖ fake over a 10×10 grid; 0: alike", wide)
    text.append(gap)
    text.append_text(legend(colour))
    if snap.stopped:
        text.append(f"\n\n{snap.stopped}", "yellow")
    return text


def _number(text: Text, label: str, value: str, meaning: str, wide: bool) -> None:
    text.append(label)
    text.append(value, "bold")
    if wide:
        text.append(f" · {meaning}", "dim")
    text.append("\n")


def chart_text(snap: GanSnapshot, width: int, text: Text, height: int = 1) -> None:
    """Both losses so far, `height` lines each, on one scale (the largest loss seen)."""
    d = [h[0] for h in snap.history]
    g = [h[1] for h in snap.history]
    finite = [v for v in d + g if math.isfinite(v)]
    top = max(finite) if finite else 1.0
    for name, values, style in (("D", d, "bold"), ("G", g, "grey62")):
        rows = bar_rows(values, width - CHART_LABEL, top, height)
        for index, row in enumerate(rows):
            label = name if index == len(rows) - 1 else " "
            text.append(f"{label} ", "dim")
            text.append(row + "\n", style)
    text.right_crop(1)  # the last newline


def legend(colour: bool) -> Text:
    """What the picture's colours (or, without colour, its characters) stand for."""
    if not colour:
        return Text("o real  x fake\n* both\n· G's manifold\n▒ D says real\n░ D unsure", "dim")
    text = Text()
    for swatch, what in (
        (REAL, "real points"),
        (FAKE, "fake points"),
        (MESH, "G's manifold"),
        (SAYS_REAL, "D says real"),
        (SAYS_FAKE, "D says fake"),
    ):
        text.append("█ ", _hex(swatch))
        text.append(what + "\n", "dim")
    text.rstrip()
    return text
