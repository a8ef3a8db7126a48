"""A lesson's "try it" entries: what its `t` key (and `1`…`9`) opens, from its front matter.

    try:
      - Train the MLP with dropout => lab mnist-mlp-dropout epochs=5
      - The circle in the Playground => playground dataset=circle&networkShape=3
      - Learning rates × batch sizes => sweep learning_rate=0.1,0.01,0.001 batch_size=32,256
      - Dropout, three seeds each => sweep mnist-mlp dropout=0,0.2,0.5 seeds=3 epochs=2
      - The GAN Lab => screen ganlab

A target is `lab EXPERIMENT [name=value ...]`, `playground STATE`, `sweep [EXPERIMENT]
[SETTING=LIST ...] [seeds=K] [epochs=N]` (one or two settings to sweep, as `tui-dl sweep`
takes them; the first sweeps' `learning_rates=` and `batch_sizes=` still read) or `screen
NAME`. The course map's steps use the same words, and `lesson ID` besides.

What this layer can check without the UI it checks when a lesson is read: the kind, the
experiment's name and a lab's settings (through the experiment's own `validate`, so a bad
value reads as it does in the lab's form). The rest (a Playground state, a sweep's grid, a
screen's name) is checked by the layer that knows them, `tui_dl.ui.tries.check_target`,
handed to `load_lessons(check=...)` by `tui-dl lessons` and the lesson screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui_dl.engine.experiments import get_experiment

TRY_KINDS = ("lab", "playground", "sweep", "screen")
COURSE_KINDS = (*TRY_KINDS, "lesson")
MAX_TRIES = 9
"""Keys 1…9."""
ARROW = "=>"
DEFAULT_SWEEP = "mnist-mlp"


@dataclass(frozen=True)
class Target:
    """Somewhere a lesson or the course map sends the learner."""

    kind: str
    """One of COURSE_KINDS."""
    name: str = ""
    """The experiment (lab, sweep), the screen's registry name, or the lesson's id."""
    settings: tuple[tuple[str, str], ...] = ()
    """`name=value` pairs as written: a lab's settings, a sweep's lists and length."""
    state: str = ""
    """A Playground state string (`dataset=circle&networkShape=3`)."""

    @property
    def params(self) -> dict[str, str]:
        return dict(self.settings)

    @property
    def text(self) -> str:
        """As written in a lesson file, one space apart: also its key among visited steps."""
        if self.kind == "playground":
            return f"playground {self.state}".strip()
        words = [self.kind, self.name, *(f"{k}={v}" for k, v in self.settings)]
        return " ".join(word for word in words if word)


TargetCheck = Callable[[Target], None]
"""Raises ValueError saying what is wrong with a target (the UI layer's deeper check)."""


@dataclass(frozen=True)
class Try:
    label: str
    target: Target
    line: int
    """Where it is written, for messages."""


def parse_target(text: str, kinds: tuple[str, ...] = TRY_KINDS) -> Target:
    """`lab mnist-mlp epochs=5` → Target; ValueError naming what is wrong."""
    kind, _, rest = text.strip().partition(" ")
    rest = rest.strip()
    if kind not in kinds:
        raise ValueError(
            f"{kind or text.strip()!r} is not something to open: a target starts with "
            f"{', '.join(kinds[:-1])} or {kinds[-1]}"
        )
    if kind == "playground":
        if " " in rest:
            raise ValueError("a Playground state holds no spaces: key=value&key=value")
        return Target("playground", state=rest)
    words = rest.split()
    if kind in ("screen", "lesson"):
        if len(words) != 1:
            raise ValueError(f"{kind} takes one name, e.g. `{kind} {_example(kind)}`")
        return Target(kind, words[0])
    name = ""
    if words and "=" not in words[0]:
        name = words.pop(0)
    elif kind == "lab":
        raise ValueError("lab takes an experiment's name first, e.g. `lab mnist-mlp epochs=5`")
    settings: list[tuple[str, str]] = []
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not key or not value:
            raise ValueError(f"{word!r}: settings are written name=value, without spaces")
        if key in dict(settings):
            raise ValueError(f"{key} is given twice")
        settings.append((key, value))
    target = Target(kind, name or DEFAULT_SWEEP, tuple(settings))
    check_light(target)
    return target


def _example(kind: str) -> str:
    return "ganlab" if kind == "screen" else "softmax"


def check_light(target: Target) -> None:
    """What needs no UI and no numpy: an experiment's name and a lab's settings, each parsed
    by the experiment's own Param (a preset fills the form; a setting left out keeps the
    form's default, and one the form asks for, a file, is asked there). A sweep's grid is
    checked by the sweep's own rules, in the UI layer's check."""
    if target.kind not in ("lab", "sweep"):
        return
    experiment = get_experiment(target.name)
    if target.kind == "sweep":
        return
    names = {param.name for param in experiment.params}
    unknown = [name for name in target.params if name not in names]
    if unknown:
        raise ValueError(
            f"{experiment.name} has no setting {', '.join(unknown)}; "
            f"its settings: {', '.join(sorted(names))}"
        )
    for name, value in target.settings:
        experiment.param(name).parse(value)


def parse_try(text: str) -> tuple[str, Target]:
    """`LABEL => TARGET` → (label, target); ValueError naming what is wrong."""
    label, sep, target = text.partition(ARROW)
    if not sep:
        raise ValueError(f"a try entry is written 'LABEL {ARROW} TARGET', got {text.strip()!r}")
    if not label.strip():
        raise ValueError(f"a try entry needs a label before {ARROW}: what the learner reads")
    if not target.strip():
        raise ValueError(f"nothing after {ARROW}: lab, playground, sweep or screen")
    return label.strip(), parse_target(target)
