"""The GAN Lab's settings as a list the arrows walk: ↑↓ choose, ←→ change.

The learning rates step through GAN Lab's own menu (0.001 to 1) and a decade each side of
it, steps per iteration 0 to 10 as there; sizes, activations, the batch and the seed are
ours. Which change keeps the networks and which starts them again is the screen's to say.
"""

from __future__ import annotations

from typing import Any

from tui_dl.engine.ganlab.optimizers import OPTIMIZERS
from tui_dl.engine.ganlab.settings import (
    ACTIVATIONS,
    MAX_LAYERS,
    MAX_STEPS,
    NOISES,
    SOURCES,
    GanSettings,
)
from tui_dl.ui.widgets.settings_list import Setting, SettingsList

LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
NEURONS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)
BATCHES = (8, 16, 32, 64, 128, 256, 512)
SEEDS = tuple(range(1, 100))
SHORT = {"uniform": "uniform", "normal": "normal", "sgd": "SGD", "adam": "Adam"}


def settings_for(settings: GanSettings) -> list[Setting]:
    sources = SOURCES if settings.csv else SOURCES[:-1]  # your CSV once there is one
    steps = tuple(range(0, MAX_STEPS + 1))
    layers = tuple(range(1, MAX_LAYERS + 1))
    return [
        Setting("dataset", "Data", sources),
        Setting("noise", "Noise", NOISES),
        Setting("optimizer", "Optimiser", OPTIMIZERS),
        Setting("d_learning_rate", "D rate", LEARNING_RATES),
        Setting("g_learning_rate", "G rate", LEARNING_RATES),
        Setting("d_steps", "D steps", steps),
        Setting("g_steps", "G steps", steps),
        Setting("g_layers", "G layers", layers),
        Setting("g_neurons", "G neurons", NEURONS),
        Setting("g_activation", "G act.", ACTIVATIONS),
        Setting("d_layers", "D layers", layers),
        Setting("d_neurons", "D neurons", NEURONS),
        Setting("d_activation", "D act.", ACTIVATIONS),
        Setting("batch_size", "Batch", BATCHES),
        Setting("seed", "Seed", SEEDS),
    ]


class GanControls(SettingsList):
    DEFAULT_CSS = "GanControls { height: 1fr; padding: 0 1; text-wrap: nowrap; }"
    LABEL_WIDTH = 9
    VALUE_WIDTH = 7
    state: GanSettings

    def settings(self) -> list[Setting]:
        return settings_for(self.state)

    def shown(self, value: Any, key: str) -> str:
        if isinstance(value, str):
            return SHORT.get(value, value)
        return f"{value:g}"
