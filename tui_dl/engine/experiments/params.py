"""The settings a learner may change before a run, one class per kind, each checking itself.

The lab's form, the sweep's form and the command line all parse what was typed with the same
`parse`, so a bad value gets the same message everywhere, before anything starts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui_dl.engine.trust.files import Unreadable
from tui_dl.engine.trust.named import check_named

SEED_MAX = 2**32 - 1
"""The largest seed: NumPy's and Keras's seeds are 32-bit numbers (checked where typed, not
deep inside a run)."""
TRAIN_LIMIT_MAX = 10_000_000
"""More examples than any course dataset has (MNIST's 60,000, IMDB's 25,000)."""


@dataclass(frozen=True)
class Param:
    """One setting: its key in the run spec, what the form calls it, and the course's value."""

    name: str
    """Key in the run spec (and `--name-with-dashes` on the command line)."""
    label: str
    """What the form calls it."""
    default: Any
    """The course's value."""
    help: str = ""
    """One line shown beside the field and in `tui-dl run NAME -h`."""

    def parse(self, text: str) -> Any:
        """What was typed, as a value; ValueError with a message for the form otherwise."""
        text = str(text).strip()
        return self.convert(text) if text else self.empty()

    def convert(self, text: str) -> Any:
        """A non-empty text as a value (each kind its own)."""
        return text

    def empty(self) -> Any:
        if self.default == "":
            raise ValueError(f"{self.label}: empty — enter a value")
        raise ValueError(f"{self.label}: empty — enter a value (default {self.default})")

    @property
    def required(self) -> bool:
        """A setting with no default of its own must be given (a file, say)."""
        return self.default == ""

    def describe(self) -> str:
        """The allowed values and the default, for `-h`: 'a whole number 1–1000; default 10'."""
        return f"default {self.default}" if self.default != "" else "required"

    def fail(self, why: str) -> ValueError:
        return ValueError(f"{self.label}: {why}")

    def fits(self, value: Any) -> bool:
        """Whether a value read back from a run's spec is of this setting's kind (no file
        is looked at: a run's CSV may be gone since)."""
        return isinstance(value, str)


def _number(value: float) -> str:
    """A bound as typed: 4294967295 whole (not 4.29497e+09), 1e-12 short."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def _bounds(minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return f" {_number(minimum)}–{_number(maximum)}"
    if minimum is not None:
        return f" ≥ {_number(minimum)}"
    return f" ≤ {_number(maximum)}" if maximum is not None else ""


@dataclass(frozen=True, kw_only=True)
class FloatParam(Param):
    minimum: float | None = None
    """Smallest sensible value (inclusive); checked before launch."""
    maximum: float | None = None
    """Largest sensible value (inclusive)."""

    def convert(self, text: str) -> Any:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise self.fail(f"{text!r} is not a number")
        return self.check_range(value)

    def check_range(self, value: float) -> Any:
        if self.minimum is not None and value < self.minimum:
            raise self.fail(f"must be at least {_number(self.minimum)}")
        if self.maximum is not None and value > self.maximum:
            raise self.fail(f"must be at most {_number(self.maximum)}")
        return value

    def describe(self) -> str:
        return f"a number{_bounds(self.minimum, self.maximum)}; {super().describe()}"

    def fits(self, value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True, kw_only=True)
class IntParam(FloatParam):
    def convert(self, text: str) -> Any:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not number.is_integer():  # also NaN and infinity
            raise self.fail(f"{text!r} is not a whole number")
        return self.check_range(int(number))

    def describe(self) -> str:
        bounds = _bounds(self.minimum, self.maximum)
        return f"a whole number{bounds}; {Param.describe(self)}"

    def fits(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, kw_only=True)
class ChoiceParam(Param):
    choices: tuple[str, ...]
    """The allowed values; the form offers them in a list."""

    def convert(self, text: str) -> Any:
        if text not in self.choices:
            raise self.fail(f"choose one of {', '.join(self.choices)}")
        return text

    def describe(self) -> str:
        return f"{' | '.join(self.choices)}; {super().describe()}"

    def fits(self, value: Any) -> bool:
        return value in self.choices


@dataclass(frozen=True, kw_only=True)
class TextParam(Param):
    """Text with a shape of its own (hidden layer sizes): `shape` parses it or raises."""

    shape: Callable[[str], Any]
    example: str = ""

    def convert(self, text: str) -> Any:
        try:
            return self.shape(text)
        except ValueError as exc:
            raise self.fail(str(exc)) from None

    def describe(self) -> str:
        return f"e.g. {self.example or self.default}; {super().describe()}"


@dataclass(frozen=True, kw_only=True)
class PathParam(Param):
    """A file name, made absolute where it is typed (the run's process works elsewhere)."""

    optional: bool = False
    """Empty is allowed and means "none" (the course's data instead of the learner's file)."""
    must_exist: bool = False
    """The file must be there when the run is set up (checked before launch)."""

    def empty(self) -> Any:
        if self.optional:
            return ""
        raise self.fail("empty — name a file")

    @property
    def required(self) -> bool:
        return not self.optional

    def convert(self, text: str) -> Any:
        path = Path(text).expanduser().resolve()
        if not self.must_exist:
            return str(path)
        if path.is_dir():
            raise self.fail(f"{text} is a folder — name a file inside it")
        if not path.exists():
            raise self.fail(f"there is no file {text}")
        try:
            check_named(path)  # a FIFO or a device is not a file to read
        except Unreadable as exc:
            raise self.fail(f"{text}: {exc}") from None
        return str(path)

    def describe(self) -> str:
        return "a file; optional" if self.optional else "a file; required"


@dataclass(frozen=True, kw_only=True)
class FolderParam(Param):
    """A folder, made absolute where it is typed (the run's process works elsewhere). What is
    inside it is the experiment's to check (`Experiment.ready`), before launch."""

    optional: bool = False
    """Empty is allowed and means "none" (my-images' other class: no other folder)."""

    def empty(self) -> Any:
        if self.optional:
            return ""
        raise self.fail("empty — name a folder")

    @property
    def required(self) -> bool:
        return not self.optional

    def convert(self, text: str) -> Any:
        return str(Path(text).expanduser().resolve())

    def describe(self) -> str:
        return "a folder; optional" if self.optional else "a folder; required"


def layer_sizes(text: str) -> str:
    """'6' or '16, 8' → '16,8': hidden layer widths, first to last."""
    parts = [p.strip() for p in text.split(",")]
    if not all(p.isdigit() and 0 < int(p) <= 4096 for p in parts):
        raise ValueError(f"{text!r}: give hidden layer sizes as whole numbers, e.g. 6 or 16,8")
    return ",".join(str(int(p)) for p in parts)


def playground_state(text: str) -> str:
    """A Playground state string (or a whole playground.tensorflow.org URL) → the string, checked
    and written out in full, a CSV's path made absolute (the run's process works elsewhere)."""
    # numpy: not before it is needed
    from tui_dl.engine.playground.state import parse_state
    from tui_dl.engine.points_csv import POINTS_CSV_LIMIT

    state = parse_state(text)
    if state.csv:
        path = Path(state.csv).expanduser().resolve()
        try:  # a folder, a FIFO or a file over the limit is refused here, before launch
            check_named(path, POINTS_CSV_LIMIT)
        except Unreadable as exc:
            raise ValueError(f"csv={state.csv}: {exc}") from None
        state = state.with_(csv=str(path))
    return state.to_string()
