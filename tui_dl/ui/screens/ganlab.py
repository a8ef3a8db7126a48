"""GAN Lab in the terminal: a 2-D GAN trained live, the course's last hands-on.

Settings on the left (↑↓ choose, ←→ change), the plane in the middle — the discriminator's
verdict behind, the generator's manifold over it, real points green and fakes purple on top —
and the numbers on the right. Space plays and pauses; `d` is one discriminator step, `g` one
generator step, `.` one iteration; `s` slows playing down to one step at a time, so the
learner watches D move, then G.

The numpy engine (tui_dl.engine.ganlab) trains in a worker thread under a lock, as the
Playground's does (both are live training screens, screens/live.py): about fifteen times a
second the worker copies out a snapshot (the verdict over the plane, the points, the manifold,
the losses), and only the snapshot is drawn.
"""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Static

from tui_dl.engine.ganlab.session import GanLab, GanSnapshot
from tui_dl.engine.ganlab.settings import LIVE, GanSettings, SettingError
from tui_dl.ui.render.digits import colour_allowed
from tui_dl.ui.render.gan_plane import plane_rows
from tui_dl.ui.render.plain import set_titles
from tui_dl.ui.screens.live import LiveTrainingScreen
from tui_dl.ui.widgets.boundary_map import BoundaryMap
from tui_dl.ui.widgets.ganlab.controls import GanControls
from tui_dl.ui.widgets.ganlab.numbers import numbers_text
from tui_dl.ui.widgets.keys_footer import KeysFooter

SETTINGS_WIDTH = 22
"""#gl-controls's width (its CSS below)."""
WIDE = 150
"""From this many columns the numbers say what they mean."""
TALL = 40
"""From this many rows the loss chart is four lines a loss, not one."""
HINT = (
    "space play/pause · d one D step · g one G step · . one iteration · s slow motion · "
    "r reset · a arrows · m manifold · ↑↓←→ settings · ctrl+o CSV"
)
HINT_LINES = 2
"""The hint's most lines (a narrow terminal wraps it)."""
DATA_TITLES = {"ring": "a ring", "line": "a line", "blobs": "two blobs"}


class GanLabScreen(LiveTrainingScreen[GanSettings, GanLab, GanSnapshot]):
    CSS = """
    #ganlab { height: 1fr; }
    #gl-controls { width: 22; border: round $panel-lighten-2; border-title-color: $text-accent; }
    #gl-middle { border: round $panel-lighten-2; border-title-color: $text-accent; }
    #gl-side { width: 1fr; height: 1fr; border: round $panel-lighten-2; padding: 0 1;
               border-title-color: $text-accent; text-wrap: nowrap; text-overflow: ellipsis; }
    #gl-hint { height: auto; max-height: 2; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("space", "play", "Play/pause"),
        Binding("d", "step_d", "D step"),
        Binding("g", "step_g", "G step"),
        Binding("full_stop", "step", "Iteration", key_display="."),
        Binding("s", "slow", "Slow"),
        Binding("r", "reset", "Reset"),
        Binding("a", "flip('arrows')", "Arrows", show=False),
        Binding("m", "flip('manifold')", "Manifold", show=False),
        Binding("ctrl+o", "open_csv", "CSV", show=False),
    ]

    MAP = "#gl-middle"
    LIVE = LIVE
    SETUP_ERROR = SettingError
    CSV_PROMPT = "Choose a CSV of x,y points"

    def __init__(self, settings: GanSettings | None = None) -> None:
        super().__init__(GanLab(settings or GanSettings()))
        self.arrows = False
        self.manifold = True

    @property
    def lab(self) -> GanLab:
        return self.session

    @property
    def settings(self) -> GanSettings:
        return self.lab.settings

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="ganlab"):
            yield GanControls(self.settings, id="gl-controls")
            yield BoundaryMap(id="gl-middle")
            yield Static(id="gl-side")
        yield Static(Text(HINT, style="dim"), id="gl-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "GAN Lab"
        controls = self.query_one(GanControls)
        controls.focus()
        controls.border_title = "Settings"
        self.query_one("#gl-side").border_title = "Training"
        self.call_after_refresh(self.redraw)

    def on_resize(self) -> None:
        # A square plane: two pixels a character row, so as many columns as pixel rows.
        width, height = self.size
        hint = min(HINT_LINES, -(-len(HINT) // max(1, width - 2)))
        rows = max(4, height - 2 - hint - 2)  # the header and footer, the hint, the border
        middle = self.query_one("#gl-middle")
        middle.styles.width = min(2 * rows + 2, max(20, width - SETTINGS_WIDTH - 18))
        self.call_after_refresh(self.redraw)

    # ----- training -------------------------------------------------------------------------
    def move(self, slow: bool) -> bool:
        """Slow motion makes one update (D's or G's), full speed a whole iteration."""
        return bool(self.lab.advance()) if slow else self.lab.step()

    def action_step_d(self) -> None:
        self.one_move(lambda lab: lab.step_d())

    def action_step_g(self) -> None:
        self.one_move(lambda lab: lab.step_g())

    def action_slow(self) -> None:
        self.slow = not self.slow
        self.say("Slow motion: one step at a time" if self.slow else "Full speed")
        if not self.playing:
            self.redraw(keep_snapshot=True)

    def action_flip(self, view: str) -> None:
        setattr(self, view, not getattr(self, view))
        self.redraw(keep_snapshot=True)

    # ----- changing the setup -----------------------------------------------------------------
    @on(GanControls.Changed)
    def setting_changed(self, event: GanControls.Changed) -> None:
        self.change(**{event.key: event.value})

    def setup_of(self, session: GanLab) -> GanSettings:
        return session.settings

    def make_session(self, setup: GanSettings) -> GanLab:
        return GanLab(setup)

    def retune(self, session: GanLab, setup: GanSettings, changed: Set[str]) -> None:
        session.retune(setup)  # a learning rate, the steps or the optimiser

    def reads_file(self, setup: GanSettings) -> bool:
        return setup.dataset == "csv"

    def show_setup(self, setup: GanSettings) -> None:
        self.query_one(GanControls).show(setup)

    def csv_changes(self, path: Path) -> dict[str, Any]:
        return {"dataset": "csv", "csv": str(path)}

    # ----- drawing ---------------------------------------------------------------------------
    def draw(self, snap: GanSnapshot) -> None:
        colour = colour_allowed()
        plane = self.query_one("#gl-middle", BoundaryMap)
        plane.show_rows(
            plane_rows(
                snap.verdict,
                snap.real,
                snap.fake,
                snap.manifold if self.manifold else None,
                snap.push if self.arrows else None,
                colour=colour,
            )
        )
        real = self.lab.real
        name = DATA_TITLES.get(real.name, real.name)
        if real.scale != 1:
            name += f" (scaled ×{real.scale:.3g})"
        set_titles(  # the CSV's name, as text
            plane, f"{name} · D's verdict", "arrows: G's push on each fake" if self.arrows else ""
        )
        side = self.query_one("#gl-side", Static)
        width = side.size.width or 16
        wide, tall = self.size.width >= WIDE, self.size.height >= TALL
        side.update(
            numbers_text(snap, width, colour=colour, wide=wide, chart_rows=4 if tall else 1)
        )
        state = "playing" if self.playing else "paused"
        sub_title = f"{state}, slow motion" if self.slow else state
        if self.sub_title != sub_title:
            self.sub_title = sub_title
