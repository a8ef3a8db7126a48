"""The Playground's settings as a list the arrows walk: ↑↓ choose a setting, ←→ change it.

Each setting steps through the values the web Playground offers for it (its learning-rate
and regularisation-rate menus, noise by 5 %, the train share by 10 %), so a change is one key.
The list only proposes a change (`Controls.Changed`); the screen checks it against the whole
state and says why when it cannot be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui_dl.engine.playground.datasets import CLASSIFICATION, MANY_CLASSES, REGRESSION
from tui_dl.engine.playground.state import (
    ACTIVATIONS,
    FEATURE_LABELS,
    FEATURES,
    LOSSES,
    PROBLEMS,
    REGULARIZATIONS,
    PlaygroundState,
)
from tui_dl.engine.playground.state import js_number as number

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
REGULARIZATION_RATES = (0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
STOP_EPOCHS = (0, 100, 200, 300, 500, 1000, 2000, 5000)
STOP_LOSSES = (0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1)


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    values: tuple[Any, ...]


def settings_for(state: PlaygroundState) -> list[Setting]:
    rows = [Setting("problem", "Problem", PROBLEMS)]
    if state.regression:
        rows.append(Setting("regDataset", "Data", REGRESSION))
    else:
        rows.append(Setting("dataset", "Data", CLASSIFICATION))
        if state.dataset in MANY_CLASSES or state.csv:
            rows.append(Setting("classes", "Classes", (2, 3, 4, 5)))
    rows += [
        Setting("noise", "Noise %", tuple(range(0, 55, 5))),
        Setting("percTrainData", "Train %", tuple(range(10, 100, 10))),
        Setting("batchSize", "Batch size", tuple(range(1, 31))),
        Setting("learningRate", "Rate", LEARNING_RATES),
        Setting("activation", "Activation", ACTIVATIONS),
        Setting("regularization", "Regularize", REGULARIZATIONS),
        Setting("regularizationRate", "Reg. rate", REGULARIZATION_RATES),
    ]
    if not state.regression:
        rows.append(Setting("loss", "Loss", LOSSES))
    rows.append(Setting("layers", "Layers", tuple(range(0, 7))))
    rows += [Setting(name, FEATURE_LABELS[name], (False, True)) for name in FEATURES]
    rows += [
        Setting("stopEpochs", "Stop after", STOP_EPOCHS),
        Setting("stopLoss", "Stop loss", STOP_LOSSES),
    ]
    return rows


def current(state: PlaygroundState, key: str) -> Any:
    if key == "layers":
        return len(state.networkShape)
    if key == "loss":  # what the network uses: more than two classes take cross-entropy
        return state.output_loss
    return getattr(state, key)


SHORT = {
    "classification": "classify",
    "regression": "regress",
    "reg-plane": "plane",
    "reg-gauss": "gauss",
}


def shown(value: Any, key: str) -> str:
    if isinstance(value, str):
        return SHORT.get(value, value)
    if isinstance(value, bool):
        return "on" if value else "off"
    if key in ("stopEpochs", "stopLoss") and not value:
        return "never"
    if isinstance(value, int | float):
        return number(value)
    return str(value)


def step(values: tuple[Any, ...], value: Any, direction: int) -> Any:
    """The next value along, from the nearest offered one (a string may hold any)."""
    if value in values:
        index = values.index(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        index = min(range(len(values)), key=lambda i: abs(float(values[i]) - float(value)))
    else:
        index = 0
    return values[max(0, min(len(values) - 1, index + direction))]


class Controls(Widget, can_focus=True):
    DEFAULT_CSS = "Controls { width: 24; height: 1fr; padding: 0 1; text-wrap: nowrap; }"
    BINDINGS = [
        Binding("up", "select(-1)", "Setting ↑", show=False),
        Binding("down", "select(1)", "Setting ↓", show=False),
        Binding("left", "change(-1)", "Less", show=False),
        Binding("right", "change(1)", "More", show=False),
        Binding("pageup", "select(-5)", show=False),
        Binding("pagedown", "select(5)", show=False),
    ]
    selected: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, key: str, value: Any) -> None:
            super().__init__()
            self.key, self.value = key, value

    def __init__(self, state: PlaygroundState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state

    def show(self, state: PlaygroundState) -> None:
        self.state = state
        self.selected = min(self.selected, len(settings_for(state)) - 1)
        self.refresh()

    @property
    def setting(self) -> Setting:
        return settings_for(self.state)[self.selected]

    def action_select(self, direction: int) -> None:
        self.selected = max(0, min(len(settings_for(self.state)) - 1, self.selected + direction))

    def action_change(self, direction: int) -> None:
        setting = self.setting
        value = current(self.state, setting.key)
        new = step(setting.values, value, direction)
        if new != value:
            self.post_message(self.Changed(setting.key, new))

    def render(self) -> Text:
        rows = settings_for(self.state)
        height = max(1, self.size.height)
        start = max(0, min(self.selected - height // 2, len(rows) - height))
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, setting in enumerate(rows[start : start + height], start=start):
            if index > start:
                text.append("\n")
            chosen = index == self.selected
            value = shown(current(self.state, setting.key), setting.key)
            left, right = ("‹", "›") if chosen else (" ", " ")
            line = f"{setting.label:<10}{left}{value:>8}{right}"
            style = "reverse" if chosen and self.has_focus else ("bold" if chosen else "")
            text.append(line, style)
        return text

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
