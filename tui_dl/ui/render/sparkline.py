"""A series as bars of `▁▂▃▄▅▆▇█`: the Playground's and the GAN Lab's running loss charts,
where a plot would not fit — one line, or a few where there is room."""

from __future__ import annotations

import math

import numpy as np

BARS = " ▁▂▃▄▅▆▇█"


def spark(values: list[float], width: int, top: float) -> str:
    """`values` squeezed (or stretched) into `width` bars, 0 to `top`."""
    return bar_rows(values, width, top, 1)[0]


def bar_rows(values: list[float], width: int, top: float, height: int) -> list[str]:
    """`values` as bars `height` characters tall (top row first), 0 to `top`, in eighths of
    a character. A value above 0 is never blank."""
    if not values or width <= 0:
        return [""] * height
    index = np.linspace(0, len(values) - 1, num=min(width, len(values))).round().astype(int)
    eighths = []
    for v in (values[i] for i in index):
        level = 0.0 if not math.isfinite(v) or top <= 0 else min(1.0, v / top)
        eighths.append(max(1, round(level * 8 * height)) if v > 0 else 0)
    full = len(BARS) - 1
    return [
        "".join(BARS[min(full, max(0, e - 8 * (height - 1 - row)))] for e in eighths)
        for row in range(height)
    ]
