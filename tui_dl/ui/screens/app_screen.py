"""The base of every tui-dl screen: `self.app` is the tui-dl app, with its run source, its
data folder and its ways of opening screens (Textual types it as any App)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual._context import active_app
from textual.css.query import NoMatches
from textual.screen import Screen

if TYPE_CHECKING:
    from textual import getters
    from textual._path import CSSPathType
    from textual.message import Message

    from tui_dl.ui.app import TuiDlApp


SCREENS_CSS = str(Path(__file__).resolve().parents[1] / "screens.tcss")
"""The styles of every screen but home (app.tcss holds home's and the shared ones). A screen
naming it in CSS_PATH has Textual read it when the first such screen opens; the app reads it
after home's first frame (`read_screens_css`), so neither that frame nor a first opening
parses it."""


class AppScreen(Screen[None]):
    CSS_PATH: ClassVar[CSSPathType | None] = SCREENS_CSS
    if TYPE_CHECKING:  # Textual's own typed getter; at run time the app is the same object
        app = getters.app(TuiDlApp)

    _left_under: tuple[object, ...] | None = None
    """What this screen's styles were worked out from when it was last left (`_style_inputs`)."""

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        app = active_app.get(None)
        self._styled_whole = app is not None and all(
            app.stylesheet.has_source(str(path), "") for path in self.css_path
        )
        """Whether its style files were read before it was built: it is then styled in full
        as it mounts. (Opened before the app read them, by `--screen`, Textual reads them
        after styling the screen itself: its first show restyles it.)"""

    def _style_inputs(self) -> tuple[object, ...]:
        """What a screen's styles follow beyond its own widgets (whose class and focus changes
        restyle them as they happen): the app's rules, its theme, whether it has focus."""
        app = self.app
        return app.stylesheet.rules, app.theme, app.app_focus

    def post_message(self, message: Message) -> bool:
        """Textual restyles every widget of a screen each time it shows it. A screen shown
        the first time is about to be mounted, each widget styled as it is; a screen kept and
        shown again (the lab) was styled when it was left, and only a change of what its
        styles follow since then calls for it (for the lab, that restyle was half of coming
        back to it)."""
        if isinstance(message, events.ScreenSuspend):
            self._left_under = self._style_inputs()
        elif isinstance(message, events.ScreenResume):
            if not self.is_mounted:
                message.refresh_styles = not self._styled_whole
            elif self._left_under is not None:
                rules, theme, focus = self._left_under
                now_rules, now_theme, now_focus = self._style_inputs()
                if rules is now_rules and (theme, focus) == (now_theme, now_focus):
                    message.refresh_styles = False
        return super().post_message(message)

    @property
    def shown_before(self) -> bool:
        """Whether this screen has been left once: shown now, it is coming back (kept between
        openings, or uncovered), and what it shows is read again; at its first show its
        mount has just read it all."""
        return self._left_under is not None

    def from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """From a thread worker: `callback(*args)` on the app's thread, if this screen is still
        shown or kept. A thread cannot be stopped, so one started here may finish after the
        learner has left; what it found then has nowhere to go and is dropped."""

        def guarded() -> None:
            if not self.is_attached or self._pruning:  # closed, or being taken down (the
                return  # app closing: its screens' widgets go while they are on the stack)
            try:
                callback(*args, **kwargs)
            except NoMatches:
                # Left while the callback waited: the screen is still attached while Textual
                # takes its widgets down, so what it looks for may be gone already.
                if self in self.app.screen_stack:
                    raise

        self.app.call_from_thread(guarded)
