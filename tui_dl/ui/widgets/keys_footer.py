"""The footer every screen shows: Textual's, fitted to the terminal's width.

Textual's footer lays its keys out in one row and lets the ones that do not fit run on under
the palette key (docked right), cut mid-word: "b Sma▏^p palette". This one works out, before
it shows anything, which keys fit: first closer together (Textual's compact style), then
without the keys at the end of the row, until the rest fit beside the palette key. `?` is
always kept, and says "All keys" when some were left out: help lists every key of the screen.
The keys still work when they are not shown.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.cells import cell_len as cell_width
from textual import events
from textual.app import ComposeResult
from textual.compose import compose
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

HELP_KEY = "question_mark"


def key_width(key: FooterKey, compact: bool) -> int:
    """The cells a key takes in the row, with its margin: ' k Desc ' or 'k Desc' + margin."""
    shown = cell_width(key.key_display)
    words = cell_width(key.description)
    if compact:
        return shown + (1 + words if words else 0) + 1
    return shown + 2 + (words + 1 if words else 0)


def palette_width(key: FooterKey, compact: bool) -> int:
    """The palette key, docked right behind a one-cell border (padded on its right unless
    compact)."""
    return 1 + cell_width(key.key_display) + 1 + cell_width(key.description) + (not compact) + 1


def fitted(keys: list[FooterKey], palette: FooterKey | None, width: int) -> tuple[bool, int]:
    """(compact?, how many keys other than `?` fit from the start, `?` kept besides) in
    `width` cells."""
    for compact in (False, True):
        room = width - (palette_width(palette, compact) if palette is not None else 0)
        widths = [key_width(key, compact) for key in keys]
        if sum(widths) <= room:
            return compact, len(keys)
    helper = [w for key, w in zip(keys, widths, strict=True) if key.key == HELP_KEY]
    room -= helper[0] + cell_width("All keys") - cell_width("Help") if helper else 0
    shown, used = 0, 0
    for key, w in zip(keys, widths, strict=True):
        if key.key == HELP_KEY:
            continue
        if used + w > room:
            break
        used += w
        shown += 1
    return True, shown


class KeysFooter(Footer):
    """A footer whose keys all fit on its one row (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self._fitted_to = 0
        self._keys_shown: tuple[object, ...] | None = None
        """The screen's keys as they were when the footer was last built (`_keys_now`)."""
        self._one_at_a_time = asyncio.Lock()
        """Rebuilds and updates in turn: two at once removed and mounted around each other."""

    def _keys_now(self) -> tuple[object, ...]:
        """Everything the footer's keys are made from: each shown binding, whether it is
        enabled, its tooltip."""
        return tuple(
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuilt only when the keys changed: Textual rebuilds the footer whenever its screen
        is shown again or the focus moves, and every key it makes is styled anew (half of
        coming back to a kept lab)."""
        if self._bindings_ready and screen is self.screen and self.is_attached:
            try:
                same = self._keys_now() == self._keys_shown
            except NoMatches:  # a check_action that looks for a widget not (or no longer) there
                same = False
            if same:
                return
        first = not self._bindings_ready  # as Textual's footer, but one change at a time
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild if first else self._update_keys)

    async def _update_keys(self) -> None:
        """The keys shown made over: the footer's key widgets take the new keys' words, in
        place, and only a surplus is removed or a shortfall mounted. Textual's rebuild removed
        every key and mounted and styled new ones each time the focus moved to a widget with
        other keys (a fifth of a walk of random keys was the footer's rebuilds)."""
        async with self._one_at_a_time:  # each await below lets another change come in
            if self.is_attached and not self._pruning:
                await self._update_keys_now()

    async def _update_keys_now(self) -> None:
        try:
            made = list(compose(self))
        except NoMatches:  # a check_action that looks for a widget not (or no longer) there:
            made = []  # Textual's rebuild, which looks again once the old keys are removed
        made_keys = [w for w in made if isinstance(w, FooterKey)]
        old = [w for w in self.children if isinstance(w, FooterKey)]
        if not made or len(made_keys) != len(made) or len(old) != len(self.children):
            await self.recompose()  # no keys, binding groups, or keys not read: Textual's
            return
        new_keys = [w for w in made_keys if not w.has_class("-command-palette")]
        new_palette = [w for w in made_keys if w.has_class("-command-palette")]
        old_keys = [w for w in old if not w.has_class("-command-palette")]
        old_palette = [w for w in old if w.has_class("-command-palette")]
        async with self.batch():
            for mounted, wanted in zip(old_keys, new_keys, strict=False):
                _take_over(mounted, wanted)
            for mounted, wanted in zip(old_palette, new_palette, strict=False):
                _take_over(mounted, wanted)
            surplus = old_keys[len(new_keys) :] + old_palette[len(new_palette) :]
            if surplus:
                await self.remove_children(surplus)
            missing = new_keys[len(old_keys) :]
            if missing:  # after the keys kept, before the palette key
                await self.mount_all(missing, before=min(len(old_keys), len(new_keys)))
            if len(new_palette) > len(old_palette):
                await self.mount_all(new_palette)
            # No layout asked for here: a key whose words changed asks for one (`_take_over`),
            # as do a class that changes a key's size and a key mounted or removed. A key
            # only enabled or disabled is repainted, the screen not laid out again.

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            try:
                self._keys_shown = self._keys_now()
            except NoMatches:
                self._keys_shown = None  # built again at the next change
        made: list[Widget] = list(super().compose())
        if not all(isinstance(w, FooterKey) for w in made):  # binding groups: as Textual's
            yield from made
            return
        keys = [w for w in made if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        palette = next(
            (w for w in made if isinstance(w, FooterKey) and w.has_class("-command-palette")),
            None,
        )
        width = self.size.width or self.app.size.width
        self._fitted_to = width
        compact, shown = fitted(keys, palette, width)
        self.compact = compact
        for key in keys:  # made as they will stay: a key starts compact, and each one the
            key.set_reactive(FooterKey.compact, compact)  # footer's `compact` changed once
            key.set_class(compact, "-compact", update=False)  # mounted was styled again
        others = [key for key in keys if key.key != HELP_KEY]
        helps = [key for key in keys if key.key == HELP_KEY]
        for key in helps if shown < len(others) else []:
            key.description = "All keys"
        yield from others[:shown] + helps
        if palette is not None:
            yield palette

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and event.size.width != self._fitted_to:
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        async with self._one_at_a_time:
            await self.recompose()


def _take_over(mounted: FooterKey, wanted: FooterKey) -> None:
    """A mounted key shows what a newly made one would: its key, words, action, state."""
    same = (mounted.key, mounted.key_display, mounted.description, mounted.action) == (
        wanted.key,
        wanted.key_display,
        wanted.description,
        wanted.action,
    )
    mounted.key, mounted.key_display = wanted.key, wanted.key_display
    mounted.description, mounted.action = wanted.description, wanted.action
    mounted._disabled = wanted._disabled
    mounted.set_class(wanted._disabled, "-disabled")
    if mounted.compact != wanted.compact:
        mounted.compact = wanted.compact
    if mounted.tooltip != wanted.tooltip:
        mounted.tooltip = wanted.tooltip
    if not same:
        mounted.refresh(layout=True)
