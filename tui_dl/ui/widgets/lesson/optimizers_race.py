"""Five optimisers racing down the same surface, seen from above, their paths drawn in letters.

Each optimiser has a letter — S SGD, M momentum, N Nesterov, R RMSProp, A Adam — shown in
capitals where it is now and in small letters along the path it took, each in its own colour
as well, so the race reads the same under NO_COLOR. The surface is shaded by height; + marks
a minimum, × the saddle point. The maths is `tui_dl.lessons.widgets.optimizers`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tui_dl.lessons.widgets.optimizers import SURFACES, Race, Racer
from tui_dl.ui.widgets.offered import follow_keys
from tui_dl.ui.widgets.player import Player

RATES = (0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
START_RATE = 0.1
PLAY_S = 0.1
MAX_STEPS = 300
"""Playing stops here; `s` still steps on."""
COLOURS = {
    "S": (235, 235, 235),
    "M": (240, 200, 60),
    "N": (240, 120, 60),
    "R": (80, 200, 230),
    "A": (120, 220, 110),
}
LOW, HIGH = Color.from_rgb(15, 40, 70), Color.from_rgb(95, 130, 170)
KEYS = "space play · s step · ↑↓ rate · v surface · 1-5 show/hide · r reset"


@lru_cache(maxsize=64)
def _background(t: float) -> Style:
    """The shade of a height band (a handful of them, so each style is made once)."""
    return Style(bgcolor=_blend(t))


def _blend(t: float) -> Color:
    (r1, g1, b1), (r2, g2, b2) = LOW.get_truecolor(), HIGH.get_truecolor()
    return Color.from_rgb(r1 + (r2 - r1) * t, g1 + (g2 - g1) * t, b1 + (b2 - b1) * t)


class RaceView(Widget):
    """The surface from above, the racers' paths and where each is now."""

    DEFAULT_CSS = "RaceView { width: 1fr; height: 1fr; }"

    def __init__(self, owner: OptimizerRace, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.owner = owner
        self._marks: dict[tuple[int, int], tuple[str, Style]] = {}
        self._shade: np.ndarray | None = None
        self._shade_for: tuple = ()

    @property
    def race(self) -> Race:
        return self.owner.race

    def cells(self, points: np.ndarray) -> list[tuple[int, int]]:
        """The (column, row) of each point (…, 2) inside the view; the others are left out."""
        width, height = self.size
        if width < 2 or height < 2:
            return []
        span_x, span_y = self.race.surface.span
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        points = points[np.all(np.isfinite(points), axis=1)]
        points = np.clip(points, -1e6, 1e6)
        cols = np.round((points[:, 0] + span_x) / (2 * span_x) * (width - 1)).astype(int)
        rows = np.round((span_y - points[:, 1]) / (2 * span_y) * (height - 1)).astype(int)
        inside = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
        return list(zip(cols[inside].tolist(), rows[inside].tolist(), strict=True))

    def shade(self) -> np.ndarray:
        """Height bands, 0..1, for every cell (cached for the size and surface)."""
        width, height = self.size
        key = (width, height, self.race.surface.name)
        if width < 1 or height < 1:
            return np.zeros((max(height, 1), max(width, 1)))
        if self._shade is None or self._shade_for != key:
            span_x, span_y = self.race.surface.span
            xs = np.linspace(-span_x, span_x, width)
            ys = np.linspace(span_y, -span_y, height)
            grid = np.stack(np.meshgrid(xs, ys), axis=-1)
            heights = self.race.surface.loss(grid)
            levels = np.sqrt(heights - heights.min())
            bands = np.floor(levels / max(levels.max(), 1e-12) * 7)
            self._shade = bands / 7 + (bands % 2) * 0.05
            self._shade_for = key
        return self._shade

    def marks(self) -> dict[tuple[int, int], tuple[str, Style]]:
        marks: dict[tuple[int, int], tuple[str, Style]] = {}
        surface = self.race.surface
        shown = [r for r in self.race.racers if r.optimizer.letter in self.owner.shown]
        for racer in shown:
            letter = racer.optimizer.letter
            style = Style(color=Color.from_rgb(*COLOURS[letter]))
            path = np.array(racer.path)
            along = np.linspace(0.0, 1.0, 8)[:, None, None]
            for cell in self.cells(path[:-1] + along * (path[1:] - path[:-1])):
                marks[cell] = (letter.lower(), style)
        landmarks = [(m, "+") for m in surface.minima] + [(p, "×") for p in surface.saddles]
        for point, char in landmarks:
            for cell in self.cells(np.array(point)):
                marks[cell] = (char, Style(color="white", bold=True))
        for racer in shown:
            letter = racer.optimizer.letter
            colour = Color.from_rgb(*COLOURS[letter])
            for cell in self.cells(racer.position):
                marks[cell] = (letter, Style(color=colour, bold=True, reverse=True))
        return marks

    def render_line(self, y: int) -> Strip:
        width, _ = self.size
        if y == 0:
            self._marks = self.marks()
        shade = self.shade()[y]
        segments = []
        for x in range(width):
            background = _background(float(shade[x]))
            mark = self._marks.get((x, y))
            if mark is None:
                segments.append(Segment(" ", background))
            else:
                segments.append(Segment(mark[0], background + mark[1]))
        return Strip(segments, width)


class OptimizerRace(Player, can_focus=True):
    DEFAULT_CSS = """
    OptimizerRace:focus { background: $boost; }
    #race-top { height: 1fr; }
    #race-board { width: 31; height: auto; padding: 0 1; }
    #race-hint { height: auto; padding: 0 1; color: $text-muted; }
    """
    PLAY_S = PLAY_S
    BINDINGS = [
        Binding("space", "play", "Play/pause"),
        Binding("s,full_stop", "step", "Step"),
        Binding("up,plus,equals_sign", "rate(1)", "Rate up", key_display="↑"),
        Binding("down,minus", "rate(-1)", "Rate down", key_display="↓"),
        Binding("v", "surface", "Surface"),
        Binding("r", "reset", "Reset"),
        *(Binding(str(i + 1), f"show_racer({i})", show=False) for i in range(5)),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rate_index = RATES.index(START_RATE)
        self.race = Race(rate=START_RATE)
        self.shown = {r.optimizer.letter for r in self.race.racers}

    def compose(self) -> ComposeResult:
        with Horizontal(id="race-top"):
            yield RaceView(self, id="race-view")
            yield Static(id="race-board")
        yield Static(KEYS, id="race-hint")

    def on_mount(self) -> None:
        self.redraw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """r is offered once there is something to reset."""
        return action != "reset" or self.playing or self.race.steps > 0

    def advance(self) -> None:
        self.race.step()

    def played_out(self) -> bool:
        return self.race.steps >= MAX_STEPS or all(r.diverged for r in self.race.racers)

    def replay(self) -> None:
        if self.race.steps >= MAX_STEPS:
            self.race.reset()

    # ----- keys -------------------------------------------------------------------------------

    def action_rate(self, direction: int) -> None:
        self.rate_index = max(0, min(len(RATES) - 1, self.rate_index + direction))
        self.race.set_rate(RATES[self.rate_index])
        self.redraw()

    def action_surface(self) -> None:
        self.pause()
        index = SURFACES.index(self.race.surface)
        self.race.reset(SURFACES[(index + 1) % len(SURFACES)])
        self.redraw()

    def action_reset(self) -> None:
        self.pause()
        self.race.reset()
        self.redraw()

    def action_show_racer(self, index: int) -> None:
        letter = self.race.racers[index].optimizer.letter
        self.shown ^= {letter}
        self.redraw()

    # ----- drawing ----------------------------------------------------------------------------
    def redraw(self) -> None:
        follow_keys(self, self.playing or self.race.steps > 0)  # the footer's r
        self.query_one(RaceView).refresh()
        self.query_one("#race-board", Static).update(self.board())

    def board(self) -> Text:
        race = self.race
        text = Text()
        text.append(f"{race.surface.name}", "bold")
        text.append(f" · step {race.steps} · rate ")
        text.append(f"{race.rate:g}\n", "bold yellow")
        text.append(f"{race.surface.title}\n", "dim")
        leader = race.leader()
        for racer in race.racers:
            text.append_text(self.entry(racer, racer is leader and race.steps > 0))
        state = "playing…" if self.playing else "paused"
        if race.steps >= MAX_STEPS:
            state = f"{MAX_STEPS} steps: s goes on"
        text.append(state, "dim")
        return text

    def entry(self, racer: Racer, leading: bool) -> Text:
        letter = racer.optimizer.letter
        shown = letter in self.shown
        text = Text()
        text.append(f"{letter} ", Style(color=Color.from_rgb(*COLOURS[letter]), bold=True))
        text.append(f"{racer.optimizer.name:<9}", "" if shown else "dim")
        if racer.diverged:
            text.append(" diverged", "bold #ff7070")
        else:
            loss = self.race.loss(racer)
            text.append(f"{loss:>9.4f}".replace("-", "−"))
        if not shown:
            text.append(" hidden", "dim")
        elif leading:
            text.append(" ◀ lowest", "green")
        text.append("\n")
        return text
