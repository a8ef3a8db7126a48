"""A list of settings the arrows walk: ↑↓ choose a setting, ←→ change it.

Each setting steps through the values offered for it, so a change is one key. The list only
proposes a change (`SettingsList.Changed`); the screen checks it against the whole setup and
says why when it cannot be. A subclass says which settings there are for a setup, what each
is now and how a value is written (the Playground's, the GAN Lab's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    values: tuple[Any, ...]


def step(values: tuple[Any, ...], value: Any, direction: int) -> Any:
    """The next value along, from the nearest offered one (a string may hold any)."""
    if value in values:
        index = values.index(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        index = min(range(len(values)), key=lambda i: abs(float(values[i]) - float(value)))
    else:
        index = 0
    return values[max(0, min(len(values) - 1, index + direction))]


class SettingsList(Widget, can_focus=True):
    BINDINGS = [
        Binding("up", "select(-1)", "Setting ↑", show=False),
        Binding("down", "select(1)", "Setting ↓", show=False),
        Binding("left", "change(-1)", "Less", show=False),
        Binding("right", "change(1)", "More", show=False),
        Binding("pageup", "select(-5)", "5 settings ↑", show=False),
        Binding("pagedown", "select(5)", "5 settings ↓", show=False),
    ]
    LABEL_WIDTH = 10
    VALUE_WIDTH = 8
    selected: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, key: str, value: Any) -> None:
            super().__init__()
            self.key, self.value = key, value

    def __init__(self, state: Any, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state

    # ----- what a subclass says -------------------------------------------------------------
    def settings(self) -> list[Setting]:
        """The settings this setup has, in their order."""
        raise NotImplementedError

    def current(self, key: str) -> Any:
        return getattr(self.state, key)

    def shown(self, value: Any, key: str) -> str:
        return str(value)

    # ----- the list -------------------------------------------------------------------------
    def show(self, state: Any) -> None:
        self.state = state
        self.selected = min(self.selected, len(self.settings()) - 1)
        self.refresh()

    @property
    def setting(self) -> Setting:
        return self.settings()[self.selected]

    def action_select(self, direction: int) -> None:
        self.selected = max(0, min(len(self.settings()) - 1, self.selected + direction))

    def action_change(self, direction: int) -> None:
        setting = self.setting
        value = self.current(setting.key)
        new = step(setting.values, value, direction)
        if new != value:
            self.post_message(self.Changed(setting.key, new))

    def render(self) -> Text:
        rows = self.settings()
        height = max(1, self.size.height)
        start = max(0, min(self.selected - height // 2, len(rows) - height))
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, setting in enumerate(rows[start : start + height], start=start):
            if index > start:
                text.append("\n")
            chosen = index == self.selected
            value = self.shown(self.current(setting.key), setting.key)
            left, right = ("‹", "›") if chosen else (" ", " ")
            line = f"{setting.label:<{self.LABEL_WIDTH}}{left}{value:>{self.VALUE_WIDTH}}{right}"
            style = "reverse" if chosen and self.has_focus else ("bold" if chosen else "")
            text.append(line, style)
        return text

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
