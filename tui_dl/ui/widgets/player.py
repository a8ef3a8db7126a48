"""Play, pause and step for a widget that animates a lesson: space plays and pauses, a step key
makes one move, and while playing a paused interval timer makes one every `PLAY_S` seconds.

A widget says what one move is (`advance`), when playing has reached its end (`played_out`:
it pauses there) and what play does from the end (`replay`: start again); it draws in `redraw`.
The lesson screen calls `pause` on every widget when the learner turns the page.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.timer import Timer
from textual.widget import Widget


class Player(Widget):
    PLAY_S: ClassVar[float] = 0.1
    """Seconds between moves while playing."""

    def __init__(self, *children: Widget, **kwargs: Any) -> None:
        super().__init__(*children, **kwargs)
        self.playing = False
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        # Textual calls every class's handler: a widget's own `on_mount` runs beside this one.
        self._timer = self.set_interval(self.PLAY_S, self._tick, pause=True)

    # ----- what a widget says -----------------------------------------------------------------
    def advance(self) -> None:
        """One move (a tick while playing, or the step key)."""
        raise NotImplementedError

    def played_out(self) -> bool:
        """After a tick: whether playing stops here."""
        return False

    def replay(self) -> None:
        """Play pressed while paused: start again if the animation has reached its end."""

    def redraw(self) -> None:
        self.refresh()

    # ----- playing ----------------------------------------------------------------------------
    def pause(self) -> None:
        self.playing = False
        if self._timer:
            self._timer.pause()

    def _tick(self) -> None:
        self.advance()
        if self.played_out():
            self.pause()
        self.redraw()

    def action_play(self) -> None:
        if self.playing:
            self.pause()
        elif self._timer:
            self.replay()
            self._timer.resume()
            self.playing = True
        self.redraw()

    def action_step(self) -> None:
        self.pause()
        self.advance()
        self.redraw()
