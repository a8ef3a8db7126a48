"""The base of a screen that trains a numpy engine live: the Playground and the GAN Lab.

The engine's session steps in a worker thread under a lock; about fifteen times a second the
worker copies out a snapshot (at the map's size), and only the snapshot is drawn. A setup
changes live where it can (a rate: the session goes on from where it is), else a fresh session
replaces it; one on the learner's own CSV is read in a thread, keys answered meanwhile.

A subclass says how a session is made from a setup and retuned, which map the snapshot is
taken for, and how a snapshot is drawn.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Set
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from textual import work
from textual.worker import Worker, get_current_worker

from tui_dl.engine.playground.datasets import DataError  # the GAN Lab's points raise it too
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.boundary_map import BoundaryMap

FRAME_S = 1 / 15
"""How often a playing session is redrawn."""
SLOW_S = 0.4
"""Slow motion: one move, then this long to look at it."""
SWITCH_S = 0.0005
"""The training thread hands the interpreter back this often while it plays."""
KEY_HOLD_S = 0.06
"""Training waits this long after a key, so that answering it has the interpreter to itself."""

Snap = TypeVar("Snap", covariant=True)


class Setup(Protocol):
    """What a session is made from (a `PlaygroundState`, `GanSettings`): changed by copy."""

    def with_(self, **changes: Any) -> Any: ...


class Session(Protocol[Snap]):
    """The engine's side: a step at a time, a reset, a snapshot at a size."""

    stopped: str
    """Why training stopped by itself, '' while it may go on."""

    def step(self) -> bool: ...

    def reset(self) -> None: ...

    def snapshot(self, columns: int, rows: int) -> Snap: ...


SetupT = TypeVar("SetupT", bound=Setup)
SessionT = TypeVar("SessionT", bound=Session[Any])
SnapT = TypeVar("SnapT")


class LiveTrainingScreen(AppScreen, Generic[SetupT, SessionT, SnapT]):
    MAP: ClassVar[str]
    """The selector of the `BoundaryMap` a snapshot is taken for (its size in pixels)."""
    LIVE: ClassVar[Set[str]] = frozenset()
    """Settings changed while it trains: the session goes on from where it is."""
    SETUP_ERROR: ClassVar[type[Exception]] = ValueError
    """What the setup's `with_` raises for a value it refuses."""
    CSV_PROMPT: ClassVar[str] = "Choose a CSV"
    """The file picker's title for ctrl+o (what the CSV holds)."""

    def __init__(self, session: SessionT) -> None:
        super().__init__()
        self.engine_lock = threading.Lock()
        self.session = session
        """The engine; replaced (under the lock) when the setup starts it again."""
        self.playing = False
        self.slow = False
        """Slow motion: one move, then `SLOW_S` to look at it (the GAN Lab's `s`)."""
        self.snapshot: SnapT | None = None
        self.draw_s = 0.0
        """How long the last `show` took (the worker paces its frames by it)."""

    # ----- what a subclass says -------------------------------------------------------------
    def setup_of(self, session: SessionT) -> SetupT:
        raise NotImplementedError

    def make_session(self, setup: SetupT) -> SessionT:
        """A fresh session on `setup`; DataError when its points cannot be used."""
        raise NotImplementedError

    def retune(self, session: SessionT, setup: SetupT, changed: Set[str]) -> None:
        """`session` goes on under `setup`, which differs from its own only in LIVE keys."""
        raise NotImplementedError

    def reads_file(self, setup: SetupT) -> bool:
        """Whether `setup` is on the learner's own CSV (read in a thread)."""
        raise NotImplementedError

    def show_setup(self, setup: SetupT) -> None:
        """The settings panel shows `setup`."""
        raise NotImplementedError

    def csv_changes(self, path: Path) -> dict[str, Any]:
        """The changes that put the setup on the CSV at `path`."""
        raise NotImplementedError

    def setup_changed(self, changed: Set[str]) -> None:
        """After a change is shown (a layout that depends on the setup follows it)."""

    def move(self, slow: bool) -> bool:
        """One move of a playing session (under the lock), in slow motion or not; False once
        it has stopped."""
        return self.session.step()

    def draw(self, snap: SnapT) -> None:
        raise NotImplementedError

    @property
    def setup(self) -> SetupT:
        return self.setup_of(self.session)

    # ----- the screen ------------------------------------------------------------------------
    def on_screen_suspend(self) -> None:
        self.playing = False  # not shown: not training (as a hidden browser tab)

    def on_boundary_map_resized(self) -> None:
        self.redraw()  # a snapshot is taken at the map's size

    def action_back(self) -> None:
        self.playing = False
        self.app.pop_screen()

    def say(self, text: str, error: bool = False) -> None:
        self.notify(text, severity="error" if error else "information", timeout=6)

    # ----- training -------------------------------------------------------------------------
    def action_play(self) -> None:
        if self.playing:
            self.playing = False
            self.call_later(self.redraw)
            return
        if self.session.stopped:
            self.say(self.session.stopped)
            return
        self.playing = True
        self.train_loop()

    @work(thread=True, exclusive=True, group="train")
    def train_loop(self) -> None:
        worker = get_current_worker()
        # The training thread hands the interpreter back every 0.5 ms instead of every 5: a
        # key then waits for it a fraction of a millisecond, not up to 5 ms at every step of
        # its handling (measured: key → repaint p95 112 ms at 5 ms, see BENCHMARKS.md).
        switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_S)
        try:
            self._train(worker)
        finally:
            sys.setswitchinterval(switch)

    def _train(self, worker: Worker[None]) -> None:
        last = 0.0
        while self.playing and not worker.is_cancelled:
            if time.monotonic() - self.app.collector.last_key < KEY_HOLD_S:
                time.sleep(0.005)  # a key is being answered: the interpreter is the app's
                continue
            slow = self.slow
            with self.engine_lock:
                alive = self.move(slow)
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
                self.from_thread(self.say, self.session.stopped)

    def _linger(self, worker: Worker[None]) -> None:
        """Slow motion's pause after a move, cut short by a pause or by slow motion's end."""
        until = time.monotonic() + SLOW_S
        while time.monotonic() < until and self.playing and self.slow and not worker.is_cancelled:
            time.sleep(0.02)

    def one_move(self, move: Callable[[SessionT], object]) -> None:
        """A key's single move (`.`): pause, make it, show it."""
        self.playing = False
        with self.engine_lock:
            move(self.session)
        self.redraw()
        if self.session.stopped:
            self.say(self.session.stopped)

    def action_step(self) -> None:
        self.one_move(lambda session: session.step())

    def action_reset(self) -> None:
        self.playing = False
        with self.engine_lock:
            self.session.reset()
        self.redraw()

    # ----- changing the setup -----------------------------------------------------------------
    def change(self, **changes: Any) -> bool:
        """A new setup if it can be; the session starts again unless only LIVE values changed.
        False (and the reason said) when it cannot be."""
        try:
            new = self.setup.with_(**changes)
        except self.SETUP_ERROR as exc:
            self.say(f"Not changed: {exc}", error=True)
            return False
        if set(changes) <= self.LIVE:
            with self.engine_lock:
                self.retune(self.session, new, set(changes))
        elif self.reads_file(new):  # the learner's file: read in a thread, keys answered
            self.playing = False
            self.load_points(new)
            return True
        else:
            try:
                fresh = self.make_session(new)
            except DataError as exc:
                self.say(f"Not changed: {exc}", error=True)
                return False
            self.playing = False
            with self.engine_lock:
                self.session = fresh
        self.show_setup(new)
        self.setup_changed(set(changes))
        if not self.playing:  # playing, the next frame (within 1/15 s) shows it
            self.redraw()
        return True

    @work(thread=True, exclusive=True, group="points")
    def load_points(self, new: SetupT, failed: str = "Not changed") -> None:
        """A setup on the learner's own points, made off the UI thread: the CSV is read (or
        refused: over its size limit, a folder, a FIFO) while keys are still answered."""
        worker = get_current_worker()
        try:
            fresh = self.make_session(new)
        except DataError as exc:
            self.from_thread(self.say, f"{failed}: {exc}", True)
            return
        if not worker.is_cancelled:  # else a later choice replaced this one
            self.from_thread(self.points_loaded, fresh)

    def points_loaded(self, fresh: SessionT) -> None:
        # What was changed on the screen while the file was read (a rate, the test points
        # shown) stays as it is now.
        kept = {key: getattr(self.setup, key) for key in self.LIVE}
        self.retune(fresh, self.setup_of(fresh).with_(**kept), set())
        self.playing = False
        with self.engine_lock:
            self.session = fresh
        self.show_setup(self.setup_of(fresh))
        self.redraw()

    def action_open_csv(self) -> None:
        from tui_dl.ui.dialogs.file_picker import FilePicker

        def picked(path: Path | None) -> None:
            if path is not None:
                self.change(**self.csv_changes(path))

        self.app.push_screen(FilePicker(Path.cwd(), self.CSV_PROMPT), picked)

    # ----- drawing ---------------------------------------------------------------------------
    def take_snapshot(self) -> SnapT:
        columns, rows = self.query_one(self.MAP, BoundaryMap).pixel_size()
        with self.engine_lock:
            snap: SnapT = self.session.snapshot(columns, rows)
            return snap

    def redraw(self, keep_snapshot: bool = False) -> None:
        if not self.is_attached or not self.query(self.MAP):
            return
        if keep_snapshot and self.snapshot is not None:
            self.show(self.snapshot)
        else:
            self.show(self.take_snapshot())

    def show(self, snap: SnapT) -> None:
        started = time.perf_counter()
        self.snapshot = snap
        self.draw(snap)
        self.draw_s = 2 * (time.perf_counter() - started)  # and about as long to paint it
