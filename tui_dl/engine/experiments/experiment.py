"""What an experiment is: its settings, the course's figure, and what its runs leave behind.

Plain data: the UI reads it to build its form and show the reference figure without
importing TensorFlow; the training child imports `runner` (a "module:function" path).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_dl.engine.experiments.cost import Cost
from tui_dl.engine.experiments.params import Param
from tui_dl.text import percent


@dataclass(frozen=True)
class Metric:
    """How a result is named where it is shown."""

    label: str
    """In a sentence: the CLI's summary, the lab's ("test accuracy")."""
    short: str
    """In a list beside the course's figure ("k-fold accuracy")."""
    share: bool = True
    """A share of 1, written as a percentage; otherwise a number (a loss)."""
    per_epoch: bool = False
    """The course's figure is an epoch's training log (Keras's mean over the epoch, what the
    loss plot shows), so the run's figure beside it is its last epoch's too, not a measure
    taken after training."""

    def format(self, value: float | None, digits: int = 1) -> str:
        if value is None or self.share:
            return percent(value, digits)
        return f"{value:.{digits}f}"


METRICS = {
    "test_accuracy": Metric("test accuracy", "test accuracy"),
    "accuracy_mean": Metric("mean accuracy over the folds", "k-fold accuracy"),
    "top1_probability": Metric("confidence in its first guess", "sure of its first guess"),
    "loss": Metric("total loss", "loss", share=False, per_epoch=True),
    "d_acc_real": Metric("the discriminator's accuracy on real images", "D accuracy on real"),
}
"""Every experiment's key result, by its name in the finished event's metrics."""


def metric(name: str) -> Metric:
    return METRICS.get(name) or Metric(name.replace("_", " "), name.replace("_", " "))


@dataclass(frozen=True)
class Reference:
    """What the course reported, to put beside the learner's own figure."""

    metric: str
    value: float | None
    """None where the course reported no figure of its own."""
    text: str


@dataclass
class Checks:
    """What a check before launch (`Experiment.ready`) gets besides the settings."""

    memo: dict[str, Any] = field(default_factory=dict)
    """What it found, kept for the launches of one family (a sweep's cells: its folder is
    scanned once, not once a cell)."""
    progress: Callable[[str], None] | None = None
    """Where to say how far it is (the lab's phase line while the folder is read)."""

    def say(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)


@dataclass(frozen=True)
class Experiment:
    name: str
    title: str
    summary: str
    dataset: str
    runner: str
    reference: Reference
    params: tuple[Param, ...] = field(default_factory=tuple)
    writes: tuple[str, ...] = ()
    """The artifacts a finished run leaves in its folder (names from `runfiles`): what the
    views of one run can show about it."""
    notes: str = ""
    """Shown beside the form: e.g. the maths each step of the hard way performs."""
    compare_stages: tuple[str, str] | None = None
    """A run in stages whose last two are plotted together (transfer against from scratch)."""
    plots: tuple[tuple[str, str], tuple[str, str]] = (("loss", "Loss"), ("accuracy", "Accuracy"))
    """The lab's two live plots: (epoch logs' name, title) each."""
    cost: Cost | None = None
    """Its training time per image on a CPU: the lab says what a long run costs before it."""
    check: Callable[[dict[str, Any]], object] | None = None
    """A rule between settings, each in its range alone but impossible together (mnist-cnn's
    blocks and kernel): called by `validate` with the full settings; raises ValueError with a
    sentence that starts with the setting's label."""
    caution: Callable[[dict[str, Any]], str | None] | None = None
    """One line the lab shows under the form while these settings would run but teach
    little (my-images on an untrained ImageNet network); from the settings alone, read
    nothing: it is called on the UI's thread as the form changes."""
    ready: Callable[[dict[str, Any], str | None, Path, Checks], list[str]] | None = None
    """What must hold before launch beyond each setting's own range (a folder that can be
    used, weights that are on this machine): called with the validated settings, the data
    folder, the runs folder and `Checks` (a memo launches of one family share, where to say
    how far it is); raises ValueError with one plain sentence, or returns what to say before
    the run starts (the split's sizes). It reads files (the folder's every picture): never
    call it on a UI's thread."""

    def reference_fields(self) -> dict[str, Any]:
        """The course's figure, as the `started` event carries it to every screen and report."""
        ref = self.reference
        return {"metric": ref.metric, "value": ref.value, "text": ref.text}

    @property
    def data_needed(self) -> tuple[str, ...]:
        """The data registry entries a run reads."""
        if self.dataset == "my-images":  # the learner's own folder, not the registry's
            return ()
        return ("imdb", "imdb-word-index") if self.dataset == "imdb" else (self.dataset,)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def validate(self, values: dict[str, Any]) -> dict[str, Any]:
        """Full settings from partial ones; raises ValueError naming the first bad field."""
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise ValueError(f"unknown setting(s) for {self.name}: {', '.join(sorted(unknown))}")
        merged = self.defaults()
        for name, value in values.items():
            merged[name] = self.param(name).parse(str(value))
        for param in self.params:  # a setting with no default (a file) must be given
            if param.name not in values and param.required:
                param.parse("")
        if self.check is not None:
            self.check(merged)
        return merged

    def complete(self, params: dict[str, Any]) -> dict[str, Any]:
        """A run's spec settings with the defaults of any setting added since it was made, so
        an old run means what it meant (its network had the course's filters, say)."""
        return {**self.defaults(), **params}
