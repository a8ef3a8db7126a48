"""The reparameterisation trick, live: z = μ + σ·ε as the learner moves μ and σ.

The same ε (drawn once from N(0, I)) is used all along, so the z cloud is visibly the ε cloud
moved by μ and stretched by σ: the randomness sits in ε, and z depends smoothly on μ and σ,
which is why the encoder can learn them by gradient descent. Beside it the KL term the VAE
adds to its loss, in closed form and estimated from the very samples drawn.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget

from tui_dl.lessons.widgets.vae import (
    MU_LIMIT,
    MU_STEP,
    SAMPLES,
    SIGMAS,
    kl_divergence,
    monte_carlo_kl,
    noise,
    reparameterise,
)
from tui_dl.ui.render.digits import colour_allowed

RANGE = 4.0
"""The plane (and the 1-D axis) shows −4 … 4."""
PANEL = 31
"""Columns of the read-out on the right."""
START_MU, START_SIGMA = (1.5, -1.0), (0.5, 0.7)
PARAMETERS = ("μ₁", "μ₂", "σ₁", "σ₂")
KEYS = "↑↓ pick · ←→ change · e new ε · v 1-D/2-D · 0 prior · r reset"
EPS_COLOUR, Z_COLOUR = "rgb(90,140,255)", "rgb(255,160,50)"
GLYPHS = {True: ("·", "•", "+"), False: (".", "o", "+")}
"""(ε, z, μ) with colour and without (NO_COLOR); z is drawn over ε where both fall."""
BLOCKS = " ▁▂▃▄▅▆▇█"


class VaeSampling(Widget, can_focus=True):
    DEFAULT_CSS = "VaeSampling { height: 1fr; padding: 0 1; }"
    BINDINGS = [
        Binding("up,k", "select(-1)", "Previous", show=False),
        Binding("down,j", "select(1)", "Next", show=False),
        Binding("right,l", "change(1)", "Increase", key_display="→"),
        Binding("left,h", "change(-1)", "Decrease", key_display="←"),
        Binding("e", "resample", "New ε"),
        Binding("v", "view", "1-D/2-D"),
        Binding("0", "prior", "μ=0, σ=1", show=False),
        Binding("r", "reset", "Reset", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.seed = 0
        self.epsilon = noise(SAMPLES, 2, self.seed)
        self.selected = 0
        self.dims = 2
        self.action_reset()

    # ----- state ---------------------------------------------------------------------------
    @property
    def mu(self) -> np.ndarray:
        return self._mu[: self.dims]

    @property
    def sigma(self) -> np.ndarray:
        return np.array([SIGMAS[i] for i in self._sigma_index[: self.dims]])

    @property
    def samples(self) -> np.ndarray:
        return reparameterise(self.mu, self.sigma, self.epsilon[:, : self.dims])

    @property
    def kl(self) -> float:
        return kl_divergence(self.mu, self.sigma)

    @property
    def kl_estimate(self) -> float:
        return monte_carlo_kl(self.mu, self.sigma, self.epsilon[:, : self.dims])

    # ----- keys ----------------------------------------------------------------------------
    def action_select(self, direction: int) -> None:
        usable = [0, 2] if self.dims == 1 else [0, 1, 2, 3]
        position = usable.index(self.selected) if self.selected in usable else 0
        self.selected = usable[(position + direction) % len(usable)]
        self.refresh()

    def action_change(self, direction: int) -> None:
        if self.selected < 2:
            value = self._mu[self.selected] + direction * MU_STEP
            self._mu[self.selected] = float(np.clip(value, -MU_LIMIT, MU_LIMIT))
        else:
            i = self.selected - 2
            self._sigma_index[i] = max(0, min(len(SIGMAS) - 1, self._sigma_index[i] + direction))
        self.refresh()

    def action_resample(self) -> None:
        self.seed += 1
        self.epsilon = noise(SAMPLES, 2, self.seed)
        self.refresh()

    def action_view(self) -> None:
        self.dims = 1 if self.dims == 2 else 2
        if self.dims == 1 and self.selected in (1, 3):
            self.selected -= 1
        self.refresh()

    def action_prior(self) -> None:
        self._mu = np.zeros(2)
        self._sigma_index = [SIGMAS.index(1.0)] * 2
        self.refresh()

    def action_reset(self) -> None:
        self._mu = np.array(START_MU, dtype=float)
        self._sigma_index = [SIGMAS.index(s) for s in START_SIGMA]
        self.selected = 0
        self.refresh()

    # ----- drawing -------------------------------------------------------------------------
    def render(self) -> Text:
        width, height = self.size
        colour = colour_allowed()
        rows = max(4, min(25, height - 1))
        room = max(10, width - PANEL - 2)
        if self.dims == 2:
            cols = min(room, 2 * rows + 1)
            picture = self._plane(rows, cols, colour)
        else:
            cols = min(room, 4 * rows + 1)
            picture = self._histogram(rows, cols, colour)
        panel = self._panel(colour)
        lines = []
        for i in range(max(len(picture), len(panel))):
            line = picture[i].copy() if i < len(picture) else Text(" " * cols)
            line.append("  ")
            line.append_text(panel[i] if i < len(panel) else Text())
            lines.append(line)
        lines = lines[: max(1, height - 1)]
        lines.append(Text(KEYS, "dim"))
        text = Text("\n").join(lines)
        text.no_wrap, text.overflow = True, "crop"
        return text

    def _to_cells(self, values: np.ndarray, cells: int) -> np.ndarray:
        return np.floor((values + RANGE) / (2 * RANGE) * cells).astype(int)

    def _plane(self, rows: int, cols: int, colour: bool) -> list[Text]:
        """Each cell: ε points there, z points there, or both; axes through 0; μ as +."""
        grid = np.zeros((rows, cols), dtype=int)
        for bit, points in ((1, self.epsilon), (2, self.samples)):
            c = self._to_cells(points[:, 0], cols)
            r = rows - 1 - self._to_cells(points[:, 1], rows)
            inside = (c >= 0) & (c < cols) & (r >= 0) & (r < rows)
            np.bitwise_or.at(grid, (r[inside], c[inside]), bit)
        zero_col, zero_row = cols // 2, rows // 2
        mu_col = int(self._to_cells(np.array([self.mu[0]]), cols)[0])
        mu_row = rows - 1 - int(self._to_cells(np.array([self.mu[1]]), rows)[0])
        eps_glyph, z_glyph, mu_glyph = GLYPHS[colour]
        lines = []
        for y in range(rows):
            line = Text()
            for x in range(cols):
                code = grid[y, x]
                if (y, x) == (mu_row, mu_col):
                    line.append(mu_glyph, "bold reverse" if colour else "bold")
                elif code & 2:  # z drawn over ε where both are
                    line.append(z_glyph, Z_COLOUR if colour else "")
                elif code == 1:
                    line.append(eps_glyph, EPS_COLOUR if colour else "")
                elif y == zero_row or x == zero_col:
                    line.append("┼" if (y, x) == (zero_row, zero_col) else "─│"[x == zero_col])
                    line.stylize("dim", len(line) - 1)
                else:
                    line.append(" ")
            lines.append(line)
        return lines

    def _histogram(self, rows: int, cols: int, colour: bool) -> list[Text]:
        """1-D: the z samples' histogram as bars, N(0, 1)'s density as a row of dots on top."""
        bars_rows = rows - 1
        z = self.samples[:, 0]
        counts = np.bincount(
            np.clip(self._to_cells(z, cols), -1, cols)[(z > -RANGE) & (z < RANGE)], minlength=cols
        )[:cols]
        width = 2 * RANGE / cols
        centres = -RANGE + (np.arange(cols) + 0.5) * width
        expected = SAMPLES * width * np.exp(-0.5 * centres**2) / np.sqrt(2 * np.pi)
        top = max(float(counts.max()), float(expected.max()), 1.0)
        eighths = np.round(counts / top * bars_rows * 8).astype(int)
        curve = np.round(expected / top * bars_rows * 8).astype(int)
        eps_glyph = "·" if colour else "*"
        lines = []
        for row in range(bars_rows - 1, -1, -1):
            line = Text()
            for c in range(cols):
                on_curve = row * 8 <= curve[c] < (row + 1) * 8 and curve[c] > 0
                fill = int(np.clip(eighths[c] - row * 8, 0, 8))
                if on_curve and fill < 8:
                    line.append(eps_glyph, f"bold {EPS_COLOUR}" if colour else "")
                else:
                    line.append(BLOCKS[fill], Z_COLOUR if colour else "")
            lines.append(line)
        axis = Text("".join("┴" if c == cols // 2 else "─" for c in range(cols)), "dim")
        lines.append(axis)
        return lines

    def _panel(self, colour: bool) -> list[Text]:
        sigma = np.array([SIGMAS[i] for i in self._sigma_index])
        values = [*self._mu, *sigma]
        lines = [Text("z = μ + σ·ε", "bold")]
        for i, name in enumerate(PARAMETERS):
            unused = self.dims == 1 and i in (1, 3)
            chosen = i == self.selected
            line = Text()
            line.append("▶ " if chosen else "  ", "bold yellow" if colour else "bold")
            line.append(
                f"{name} {values[i]:+.2f}" if i < 2 else f"{name}  {values[i]:.2f}",
                "dim" if unused else "bold" if chosen else "",
            )
            if unused:
                line.append("  (1-D: unused)", "dim")
            lines.append(line)
        lines.append(Text("KL = −½Σ(1+log σ²−μ²−σ²)"))
        lines.append(Text(f"   = {self.kl:.3f}", "bold"))
        lines.append(Text(f"Monte Carlo, {SAMPLES} z: {self.kl_estimate:.3f}"))
        eps_glyph, z_glyph, _ = GLYPHS[colour]
        legend = Text()
        legend.append(z_glyph if self.dims == 2 else "█", Z_COLOUR if colour else "")
        legend.append(" z   ")
        legend.append(
            eps_glyph if self.dims == 2 else ("·" if colour else "*"), EPS_COLOUR if colour else ""
        )
        legend.append(" ε ~ N(0, I)" if self.dims == 2 else " N(0, 1)")
        lines.append(legend)
        return lines
