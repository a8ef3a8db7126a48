"""The Playground's settings as a list the arrows walk: ↑↓ choose a setting, ←→ change it.

Each setting steps through the values the web Playground offers for it (its learning-rate
and regularisation-rate menus, noise by 5 %, the train share by 10 %), so a change is one key.
The list only proposes a change (`Controls.Changed`); the screen checks it against the whole
state and says why when it cannot be (the list itself is `SettingsList`'s).
"""

from __future__ import annotations

from typing import Any

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
from tui_dl.ui.widgets.settings_list import Setting, SettingsList

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
REGULARIZATION_RATES = (0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
STOP_EPOCHS = (0, 100, 200, 300, 500, 1000, 2000, 5000)
STOP_LOSSES = (0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1)


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


class Controls(SettingsList):
    DEFAULT_CSS = "Controls { width: 24; height: 1fr; padding: 0 1; text-wrap: nowrap; }"
    state: PlaygroundState

    def settings(self) -> list[Setting]:
        return settings_for(self.state)

    def current(self, key: str) -> Any:
        return current(self.state, key)

    def shown(self, value: Any, key: str) -> str:
        return shown(value, key)
