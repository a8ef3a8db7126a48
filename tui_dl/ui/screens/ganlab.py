"""GAN Lab in the terminal: a 2-D GAN trained live, the course's last hands-on.

Settings on the left (↑↓ choose, ←→ change), the plane in the middle — the discriminator's
verdict behind, the generator's manifold over it, real points green and fakes purple on top —
and the numbers on the right. Space plays and pauses; `d` is one discriminator step, `g` one
generator step, `.` one iteration; `s` slows playing down to one step at a time, so the
learner watches D move, then G.

The numpy engine (tui_dl.engine.ganlab) trains in a worker thread under a lock, as the
Playground's does: about fifteen times a second the worker copies out a snapshot (the
verdict over the plane, the points, the manifold, the losses), and only the snapshot is drawn.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from tui_dl.engine.ganlab.datasets import DataError
from tui_dl.engine.ganlab.session import GanLab, GanSnapshot
from tui_dl.engine.ganlab.settings import LIVE, GanSettings, SettingError
from tui_dl.ui.render.digits import colour_allowed
from tui_dl.ui.render.gan_plane import plane_rows
from tui_dl.ui.render.plain import set_titles
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.boundary_map import BoundaryMap
from tui_dl.ui.widgets.ganlab.controls import GanControls
from tui_dl.ui.widgets.ganlab.numbers import numbers_text
from tui_dl.ui.widgets.keys_footer import KeysFooter

FRAME_S = 1 / 15
"""How often a playing GAN is redrawn."""
SLOW_S = 0.4
"""Slow motion: one update, then this long to look at it."""
SWITCH_S = 0.0005
KEY_HOLD_S = 0.06
"""Training waits this long after a key, so that answering it has the interpreter to itself."""
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


class GanLabScreen(AppScreen):
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

    def __init__(self, settings: GanSettings | None = None) -> None:
        super().__init__()
        self.engine_lock = threading.Lock()
        self.playing = False
        self.slow = False
        self.arrows = False
        self.manifold = True
        self.lab = GanLab(settings or GanSettings())
        self.snapshot: GanSnapshot | None = None
        self.draw_s = 0.0
        """How long the last `show` took (the worker paces its frames by it)."""

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

    def on_screen_suspend(self) -> None:
        self.playing = False  # not shown: not training

    def on_boundary_map_resized(self) -> None:
        self.redraw(keep_snapshot=False)  # a snapshot is taken at the plane's size

    # ----- training -------------------------------------------------------------------------
    def action_play(self) -> None:
        if self.playing:
            self.playing = False
            self.call_later(self.redraw)
            return
        if self.lab.stopped:
            self.say(self.lab.stopped)
            return
        self.playing = True
        self.train_loop()

    @work(thread=True, exclusive=True, group="ganlab")
    def train_loop(self) -> None:
        worker = get_current_worker()
        # As the Playground's: the training thread hands the interpreter back every 0.5 ms,
        # so a key waits for it a fraction of a millisecond at each step of its handling.
        switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_S)
        try:
            self._train(worker)
        finally:
            sys.setswitchinterval(switch)

    def _train(self, worker: Any) -> None:
        last = 0.0
        while self.playing and not worker.is_cancelled:
            if time.monotonic() - self.app.collector.last_key < KEY_HOLD_S:
                time.sleep(0.005)  # a key is being answered: the interpreter is the app's
                continue
            slow = self.slow
            with self.engine_lock:
                alive = bool(self.lab.advance()) if slow else self.lab.step()
            now = time.monotonic()
            # Drawing shares the interpreter with training: a costly picture (a large
            # terminal) is drawn less often, never more than a third of the time.
            if slow or not alive or now - last >= max(FRAME_S, 3 * self.draw_s):
                last = now
                self.from_thread(self.show, self.take_snapshot())
                time.sleep(self.draw_s)  # the app paints the frame with the interpreter to itself
            if slow:
                self._linger(worker)
            if not alive:
                self.playing = False
                self.from_thread(self.say, self.lab.stopped)

    def _linger(self, worker: Any) -> None:
        """Slow motion's pause after a step, cut short by a pause or by slow motion's end."""
        until = time.monotonic() + SLOW_S
        while time.monotonic() < until and self.playing and self.slow and not worker.is_cancelled:
            time.sleep(0.02)

    def one_move(self, move: str) -> None:
        """`d`, `g` or `.`: pause, make that move, show it."""
        self.playing = False
        with self.engine_lock:
            {"d": self.lab.step_d, "g": self.lab.step_g, ".": self.lab.step}[move]()
        self.redraw()
        if self.lab.stopped:
            self.say(self.lab.stopped)

    def action_step_d(self) -> None:
        self.one_move("d")

    def action_step_g(self) -> None:
        self.one_move("g")

    def action_step(self) -> None:
        self.one_move(".")

    def action_slow(self) -> None:
        self.slow = not self.slow
        self.say("Slow motion: one step at a time" if self.slow else "Full speed")
        if not self.playing:
            self.redraw(keep_snapshot=True)

    def action_reset(self) -> None:
        self.playing = False
        with self.engine_lock:
            self.lab.reset()
        self.redraw()

    def action_flip(self, view: str) -> None:
        setattr(self, view, not getattr(self, view))
        self.redraw(keep_snapshot=True)

    # ----- changing the setup -----------------------------------------------------------------
    @on(GanControls.Changed)
    def setting_changed(self, event: GanControls.Changed) -> None:
        self.change(**{event.key: event.value})

    def change(self, **changes: Any) -> bool:
        """A new setup if it can be; the networks start again unless only a learning rate,
        the steps or the optimiser changed. False (and the reason said) when it cannot be."""
        try:
            new = self.settings.with_(**changes)
        except SettingError as exc:
            self.say(f"Not changed: {exc}", error=True)
            return False
        if set(changes) <= LIVE:
            with self.engine_lock:
                self.lab.retune(new)
        elif new.dataset == "csv":  # the learner's file: read in a thread, keys answered
            self.playing = False
            self.load_points(new)
            return True
        else:
            try:
                fresh = GanLab(new)
            except DataError as exc:
                self.say(f"Not changed: {exc}", error=True)
                return False
            self.playing = False
            with self.engine_lock:
                self.lab = fresh
        self.query_one(GanControls).show(new)
        if not self.playing:  # playing, the next frame shows it
            self.redraw()
        return True

    @work(thread=True, exclusive=True, group="points")
    def load_points(self, new: GanSettings) -> None:
        """A setup on the learner's own points, made off the UI thread: the CSV is read (or
        refused: over its size limit, a folder, a FIFO) while keys are still answered."""
        worker = get_current_worker()
        try:
            fresh = GanLab(new)
        except DataError as exc:
            self.from_thread(self.say, f"Not changed: {exc}", True)
            return
        if not worker.is_cancelled:  # else a later choice replaced this one
            self.from_thread(self.points_loaded, fresh)

    def points_loaded(self, fresh: GanLab) -> None:
        # A rate or the steps changed while the file was read stay as they are now.
        fresh.retune(fresh.settings.with_(**{key: getattr(self.settings, key) for key in LIVE}))
        self.playing = False
        with self.engine_lock:
            self.lab = fresh
        self.query_one(GanControls).show(fresh.settings)
        self.redraw()

    def action_open_csv(self) -> None:
        from tui_dl.ui.dialogs.file_picker import FilePicker

        def picked(path: Path | None) -> None:
            if path is not None:
                self.change(dataset="csv", csv=str(path))

        self.app.push_screen(FilePicker(Path.cwd(), "Choose a CSV of x,y points"), picked)

    def action_back(self) -> None:
        self.playing = False
        self.app.pop_screen()

    # ----- drawing ---------------------------------------------------------------------------
    def take_snapshot(self) -> GanSnapshot:
        columns, rows = self.query_one("#gl-middle", BoundaryMap).pixel_size()
        with self.engine_lock:
            return self.lab.snapshot(columns, rows)

    def redraw(self, keep_snapshot: bool = False) -> None:
        if not self.is_attached or not self.query("#gl-middle"):
            return
        if keep_snapshot and self.snapshot is not None:
            self.show(self.snapshot)
        else:
            self.show(self.take_snapshot())

    def show(self, snap: GanSnapshot) -> None:
        started = time.perf_counter()
        self.draw(snap)
        self.draw_s = 2 * (time.perf_counter() - started)  # and about as long to paint it

    def draw(self, snap: GanSnapshot) -> None:
        self.snapshot = snap
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

    def say(self, text: str, error: bool = False) -> None:
        self.notify(text, severity="error" if error else "information", timeout=6)
