"""A Playground setup as one string, in the web Playground's own URL-hash format.

`activation=tanh&batchSize=10&dataset=circle&...&networkShape=4,2&seed=0.55534&...`: the keys
and values of playground.tensorflow.org (src/state.ts), written in its order, so a string from
here pasted after `playground.tensorflow.org/#` opens the same network there, and a URL from
there opens the same setup here. What only tui-dl has (more classes, a loss, an activation and
dropout per layer, a stop condition, a CSV) rides along as keys of its own, after the web's,
and only when not at their defaults; the web Playground ignores keys it does not know.

Here, unlike the web, a key nobody knows or a value out of range is refused with its name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import unquote

import numpy as np

from tui_dl.engine.playground.datasets import (
    CLASSIFICATION,
    MANY_CLASSES,
    MAX_CLASSES,
    REGRESSION,
)

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
REGULARIZATIONS = ("none", "L1", "L2")
PROBLEMS = ("classification", "regression")
LOSSES = ("square", "xent")
FEATURES = ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")
"""The inputs the web Playground offers, in its order (its state also has cosX and cosY, which
no version of its page shows: they are kept in the string and, as there, change nothing)."""
FEATURE_LABELS = {
    "x": "X₁",
    "y": "X₂",
    "xSquared": "X₁²",
    "ySquared": "X₂²",
    "xTimesY": "X₁X₂",
    "sinX": "sin X₁",
    "sinY": "sin X₂",
}
MAX_LAYERS, MAX_NEURONS = 6, 8
LEARNING_RATE = (0.00001, 10.0)
BATCH_SIZE = (1, 30)
NOISE = (0, 50)
TRAIN_PERCENT = (10, 90)
HIDE = "_hide"
WEB_KEYS = (
    "activation",
    "regularization",
    "batchSize",
    "dataset",
    "regDataset",
    "learningRate",
    "regularizationRate",
    "noise",
    "networkShape",
    "seed",
    "showTestData",
    "discretize",
    "percTrainData",
    "x",
    "y",
    "xTimesY",
    "xSquared",
    "ySquared",
    "cosX",
    "sinX",
    "cosY",
    "sinY",
    "collectStats",
    "tutorial",
    "problem",
    "initZero",
    "hideText",
)
"""state.ts's PROPS, in the order it writes them."""
OWN_KEYS = ("classes", "loss", "activations", "dropout", "stopLoss", "stopEpochs", "csv")
"""tui-dl's own, written after the web's and only when they differ from the default."""
DEFAULT_SEED = "0.55534"


class StateError(ValueError):
    """A state string that cannot be used, naming the key and what is wrong with its value."""


@dataclass
class PlaygroundState:
    # the web Playground's
    activation: str = "tanh"
    regularization: str = "none"
    batchSize: int = 10
    dataset: str = "circle"
    regDataset: str = "reg-plane"
    learningRate: float = 0.03
    regularizationRate: float = 0.0
    noise: float = 0
    networkShape: list[int] = field(default_factory=lambda: [4, 2])
    seed: str = DEFAULT_SEED
    showTestData: bool = False
    discretize: bool = False
    percTrainData: float = 50
    x: bool = True
    y: bool = True
    xTimesY: bool = False
    xSquared: bool = False
    ySquared: bool = False
    cosX: bool = False
    sinX: bool = False
    cosY: bool = False
    sinY: bool = False
    collectStats: bool = False
    tutorial: str | None = None
    problem: str = "classification"
    initZero: bool = False
    hideText: bool = False
    hidden: dict[str, bool] = field(default_factory=dict)
    """The web's `NAME_hide` keys (controls an instructor hid), kept for the round trip."""
    # tui-dl's own
    classes: int = 2
    loss: str = "square"
    activations: list[str] = field(default_factory=list)
    """One per hidden layer; empty: `activation` for all of them."""
    dropout: list[float] = field(default_factory=list)
    """One rate per hidden layer; empty: none."""
    stopLoss: float = 0.0
    """Stop once the test loss is at or below this (0: never)."""
    stopEpochs: int = 0
    """Stop after this many epochs (0: never)."""
    csv: str = ""
    """A learner's own points instead of `dataset` (a path on this machine)."""

    # ----- what the trainer reads -------------------------------------------------------------
    @property
    def regression(self) -> bool:
        return self.problem == "regression"

    @property
    def features(self) -> list[str]:
        return [name for name in FEATURES if getattr(self, name)]

    def layer_activations(self) -> list[str]:
        return self.activations or [self.activation] * len(self.networkShape)

    def layer_dropout(self) -> list[float]:
        return self.dropout or [0.0] * len(self.networkShape)

    @property
    def data_name(self) -> str:
        if self.csv:
            return self.csv
        return self.regDataset if self.regression else self.dataset

    @property
    def output_loss(self) -> str:
        """What the network really uses: more than two classes always take cross-entropy."""
        if self.regression:
            return "square"
        return "xent" if self.classes > 2 else self.loss

    def with_(self, **changes: Any) -> PlaygroundState:
        """A copy with some values changed, checked as a parsed string would be."""
        state = replace(self, **changes)
        state.check()
        return state

    # ----- checks -----------------------------------------------------------------------------
    def check(self) -> None:
        def within(key: str, value: float, bounds: tuple[float, float]) -> None:
            if not (bounds[0] <= value <= bounds[1]) or math.isnan(value):
                low, high = js_number(bounds[0]), js_number(bounds[1])
                raise StateError(f"{key}={js_number(value)}: must be {low} to {high}")

        _choice("activation", self.activation, ACTIVATIONS)
        _choice("regularization", self.regularization, REGULARIZATIONS)
        _choice("dataset", self.dataset, CLASSIFICATION)
        _choice("regDataset", self.regDataset, REGRESSION)
        _choice("problem", self.problem, PROBLEMS)
        _choice("loss", self.loss, LOSSES)
        within("learningRate", self.learningRate, LEARNING_RATE)
        within("batchSize", self.batchSize, BATCH_SIZE)
        within("noise", self.noise, NOISE)
        within("percTrainData", self.percTrainData, TRAIN_PERCENT)
        if not (0 <= self.regularizationRate <= 10) or math.isnan(self.regularizationRate):
            raise StateError(f"regularizationRate={js_number(self.regularizationRate)}: 0 to 10")
        if len(self.networkShape) > MAX_LAYERS:
            raise StateError(
                f"networkShape={_join(self.networkShape)}: at most {MAX_LAYERS} hidden layers"
            )
        for n in self.networkShape:
            if not 1 <= n <= MAX_NEURONS:
                raise StateError(
                    f"networkShape={_join(self.networkShape)}: 1 to {MAX_NEURONS} neurons a layer"
                )
        if not self.features:
            raise StateError("no input features: turn on at least one of x, y, xSquared, …")
        if not self.seed or "&" in self.seed or "=" in self.seed:
            raise StateError(f"seed={self.seed!r}: a seed is a short text without & or =")
        if not 2 <= self.classes <= MAX_CLASSES:
            raise StateError(f"classes={self.classes}: 2 to {MAX_CLASSES}")
        if self.classes > 2 and not self.csv and self.dataset not in MANY_CLASSES:
            raise StateError(
                f"classes={self.classes}: the {self.dataset} data has two classes; "
                f"more come with {' or '.join(MANY_CLASSES)} (or your own CSV)"
            )
        if self.regression and self.loss == "xent":
            raise StateError("loss=xent: cross-entropy is for classification, not regression")
        layers = len(self.networkShape)
        if self.activations:
            if len(self.activations) != layers:
                raise StateError(
                    f"activations={_join(self.activations)}: one per hidden layer ({layers})"
                )
            for name in self.activations:
                _choice("activations", name, ACTIVATIONS)
        if self.dropout:
            if len(self.dropout) != layers:
                raise StateError(f"dropout={_join(self.dropout)}: one per hidden layer ({layers})")
            for rate in self.dropout:
                if not 0 <= rate < 1:
                    raise StateError(f"dropout={_join(self.dropout)}: each rate 0 to 0.9")
        if self.stopLoss < 0 or math.isnan(self.stopLoss):
            raise StateError(f"stopLoss={js_number(self.stopLoss)}: a loss, 0 or more")
        if self.stopEpochs < 0:
            raise StateError(f"stopEpochs={self.stopEpochs}: a number of epochs, 0 or more")

    # ----- the string -------------------------------------------------------------------------
    def to_string(self) -> str:
        parts = []
        for key in WEB_KEYS:
            value = getattr(self, key)
            if value is None or (key == "regularization" and value == "none"):
                continue  # the web writes no value for "none" (its null)
            parts.append(f"{key}={_format(value)}")
        parts += [f"{key}{HIDE}={_format(hidden)}" for key, hidden in self.hidden.items()]
        default = PlaygroundState()
        for key in OWN_KEYS:
            value = getattr(self, key)
            if value != getattr(default, key):
                parts.append(f"{key}={_format(value)}")
        return "&".join(parts)

    def web_url(self) -> str:
        return f"https://playground.tensorflow.org/#{self.to_string()}"


def parse_state(text: str | None) -> PlaygroundState:
    """A state from a string, a `#...` hash or a whole Playground URL; empty: the defaults."""
    text = (text or "").strip()
    if "#" in text:
        text = text.split("#", 1)[1]
    elif "://" in text:
        text = text.split("?", 1)[1] if "?" in text else ""
    state = PlaygroundState()
    known = {f.name: f for f in fields(PlaygroundState)}
    types = {f.name: type(getattr(state, f.name)) for f in fields(PlaygroundState)}
    types.update(tutorial=str, noise=float, percTrainData=float)
    for pair in filter(None, text.split("&")):
        key, sep, raw = pair.partition("=")
        key, raw = unquote(key.strip()), unquote(raw.strip())
        if not sep:
            raise StateError(f"{key!r}: expected key=value")
        if key.endswith(HIDE):
            state.hidden[key[: -len(HIDE)]] = _boolean(key, raw)
            continue
        if key not in WEB_KEYS and key not in OWN_KEYS or key not in known:
            raise StateError(f"unknown key {key!r}; a state has {', '.join(WEB_KEYS + OWN_KEYS)}")
        setattr(state, key, _value(key, raw, types[key]))
    state.check()
    return state


# ----- values ---------------------------------------------------------------------------------
def _value(key: str, raw: str, kind: type) -> Any:
    if key == "networkShape":
        return [_integer(key, v) for v in raw.split(",")] if raw else []
    if key == "activations":
        return [v.strip() for v in raw.split(",")] if raw else []
    if key == "dropout":
        return [_float(key, v) for v in raw.split(",")] if raw else []
    if kind is bool:
        return _boolean(key, raw)
    if kind is int:
        return _integer(key, raw)
    if kind is float:
        return _float(key, raw)
    if key == "regularization" and raw in ("", "null"):
        return "none"
    return raw


def _boolean(key: str, raw: str) -> bool:
    if raw not in ("true", "false"):
        raise StateError(f"{key}={raw}: true or false")
    return raw == "true"


def _float(key: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise StateError(f"{key}={raw}: not a number") from None
    if not math.isfinite(value):
        raise StateError(f"{key}={raw}: not a finite number")
    return value


def _integer(key: str, raw: str) -> int:
    value = _float(key, raw)
    if value != int(value):
        raise StateError(f"{key}={raw}: a whole number")
    return int(value)


def _choice(key: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise StateError(f"{key}={value}: one of {', '.join(allowed)}")


def js_number(value: float) -> str:
    """As JavaScript writes a number (what the web Playground puts in its URL): 10, 0.03,
    0.00001 — no exponent, no trailing zeros."""
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    return np.format_float_positional(float(value), trim="-")


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return js_number(value)
    if isinstance(value, list):
        return _join(value)
    return str(value)


def _join(values: list[Any]) -> str:
    return ",".join(_format(v) for v in values)
