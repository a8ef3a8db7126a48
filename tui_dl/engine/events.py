"""Run events: their vocabulary, and the JSON-lines file that carries them.

Events are the only channel from a child process (a run, a sweep's driver, a short job) to
whoever watches it: the app, the CLI, a later session. This module names every event once
(`Event`), every status a run or a sweep cell can be in (`Status`), and the fields each event
carries, per kind of folder (`RUN_EVENTS`, `SWEEP_EVENTS`, `JOB_EVENTS`), as typed dicts.
`check_event` holds a record to that vocabulary; the tests check every event a real trainer
writes, and build their fake runs through `make_event`, so fakes and trainers cannot drift.

A folder's `events.jsonl` is appended one line per event and flushed at once, so a reader
that comes later (the app re-attaching after an SSH drop) sees everything written.

A reader believes nothing in it: `EventLog` opens it without following a symlink, reads a
bounded chunk at a time, and holds every record to its vocabulary's types (a metric that is
text, NaN, an epoch in the billions). The policy: a torn line (a writer killed mid-line) is
skipped, as it always was; a whole record that does not fit its type is dropped, and the log's
`problem` names the first one, so the run's row says "unreadable: why" while every record that
did fit is still shown. A file over `EVENTS_LIMIT` is not read at all (`problem` says so).
"""

# No `from __future__ import annotations` here: the typed dicts' NotRequired markers must be
# real objects for `__required_keys__` to see them.
import json
import math
import os
import re
import stat
import time
from enum import StrEnum
from pathlib import Path
from typing import Any, NotRequired, Protocol, TypedDict

from tui_dl.engine import runfiles
from tui_dl.engine.trust import append_line, loads, typed_problem


class Event(StrEnum):
    """Every event name; a StrEnum, so `Event.FINISHED == "finished"` as read from JSON."""

    PHASE = "phase"
    STARTED = "started"
    PROGRESS = "progress"
    EPOCH_END = "epoch_end"
    FOLD_END = "fold_end"
    EARLY_STOP = "early_stop"
    CELL_STARTED = "cell_started"
    CELL_ENDED = "cell_ended"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL_EVENTS = frozenset({Event.FINISHED, Event.FAILED, Event.CANCELLED})
"""A run, sweep or job writes exactly one of these, last."""


class Status(StrEnum):
    """Where a run (or a sweep, or one cell of it) stands. The ended ones are named after
    the terminal event that ended it."""

    PENDING = "pending"
    """A sweep cell not started yet."""
    SKIPPED = "skipped"
    """A sweep cell never started: the sweep ended first."""
    STARTING = "starting"
    """Launched, nothing reported yet."""
    QUEUED = "queued"
    """Waiting in the run queue for a slot of its device."""
    RUNNING = "running"
    FINISHED = Event.FINISHED.value
    FAILED = Event.FAILED.value
    CANCELLED = Event.CANCELLED.value
    UNREADABLE = "unreadable"
    """Its folder cannot be believed (a spec that is not a spec, a record of the wrong type,
    a symlink): the run's `problem` says why. Never live; it never changes by itself."""


ENDED = frozenset({Status.FINISHED, Status.FAILED, Status.CANCELLED})
LIVE = frozenset({Status.STARTING, Status.QUEUED, Status.RUNNING})
SETTLED = ENDED | {Status.UNREADABLE}
"""What will not change while nobody touches the folder: read once, kept."""


# ----- the fields each event carries -------------------------------------------------------
class _Header(TypedDict):
    event: str
    t: float
    """Seconds since the epoch, when it was written."""


class Phase(_Header):
    phase: str
    """What the process is doing now, in a few words ("loading data")."""
    epochs: NotRequired[int]
    steps: NotRequired[int]
    """The training phase says how long it will be: epochs × steps per epoch."""
    fold: NotRequired[int]
    folds: NotRequired[int]
    queue: NotRequired[dict[str, Any]]
    """While the run waits for a slot: device, position (1 = next), slots, busy, eta_s."""
    waited_s: NotRequired[float]
    """How long the run waited in the queue before it started (when it did)."""
    node: NotRequired[str]
    """On a Ray cluster: the machine the run's task runs on."""
    worker_pid: NotRequired[int]
    """On a Ray cluster: the worker process running it (on that node)."""
    points: NotRequired[list[list[float]]]
    """The learning-rate finder: the steps since its last report, each [rate, loss, smoothed]."""


class CourseFigure(TypedDict):
    """The course's figure for an experiment, as a started event carries it."""

    metric: str
    value: float | None
    text: str


class Guess(TypedDict):
    """One of a classifier's top guesses about an image (the model zoo)."""

    rank: int
    label: str
    probability: float
    index: NotRequired[int]


class Started(_Header):
    """The run's data and model are ready; it says what it trains on, and where."""

    devices: list[dict[str, str]]
    """The devices TensorFlow really sees."""
    device: str
    dataset: str
    data_source: str
    reference: CourseFigure
    """The course's figure: {metric, value, text}."""
    n_train: NotRequired[int]
    n_test: NotRequired[int]
    n_few: NotRequired[int]
    n_rows: NotRequired[int]
    k: NotRequired[int]
    tf_version: NotRequired[str]
    model: NotRequired[dict[str, Any]]
    note: NotRequired[str]
    stages: NotRequired[list[str]]
    image: NotRequired[dict[str, Any]]
    class_names: NotRequired[str]
    n_validation: NotRequired[int]
    classes: NotRequired[list[str]]
    """A classifier's class names, in label order (my-images: the folder's subfolders)."""
    split: NotRequired[dict[str, Any]]
    """How the pictures were split: the settings, and each class's (train, validation, test)."""
    base: NotRequired[dict[str, Any]]
    """What a run built on (my-images: the base network, its weights, the picture size)."""
    other: NotRequired[str]
    """my-images: the folder its "other" class was read from (`--other`), when it has one."""


class _Where(TypedDict):
    """Which fold or stage an epoch belongs to, for runs that have several."""

    fold: NotRequired[int]
    folds: NotRequired[int]
    stage: NotRequired[str]


class Progress(_Header, _Where):
    epoch: int
    epochs: int
    batch: int
    steps: int
    samples: int
    samples_per_s: float
    eta_s: float | None
    elapsed_s: float
    loss: float | None


class EpochEnd(_Header, _Where):
    epoch: int
    epochs: int
    logs: dict[str, float | None]
    """Every Keras log of the epoch (None where it was NaN)."""
    duration_s: NotRequired[float]
    step: NotRequired[int]
    """For a run reported per step (tf-lowlevel): the step this point was taken at."""


class FoldEnd(_Header):
    fold: int
    folds: int
    accuracy: float
    sensitivity: float | None
    specificity: float | None
    """None where the fold held no case of that kind (the rate is NaN)."""
    n: int
    duration_s: float


class EarlyStop(_Header):
    stopped_epoch: int
    best_epoch: int
    """The epoch whose weights were kept."""
    patience: int


class Finished(_Header):
    metrics: dict[str, float | None]
    """The test metrics (None where one was NaN: a diverged GAN)."""
    duration_s: float
    data_source: str
    device: str
    artifacts: dict[str, str]
    """What the run folder now holds, by role (model, predictions, log: names from `runfiles`)."""
    train_s: NotRequired[float]
    comparison: NotRequired[list[str]]
    """What else the run measured, in words (transfer-digits: from scratch)."""
    top: NotRequired[list[Guess]]
    """A classifier's guesses about one image (transfer-imagenet)."""
    per_class: NotRequired[dict[str, float]]
    """Each class's test accuracy (recall), by name."""
    features: NotRequired[dict[str, Any]]
    """How the features were had (my-images: computed or reused, seconds, the cache's file)."""
    watch_s: NotRequired[float]
    """Seconds spent after the epochs drawing what the run shows (a generative model's
    samples and latent space), to set against `train_s`."""


class Failed(_Header):
    error_type: str
    message: str
    """What a learner can act on: no traceback, no colour codes."""
    traceback: NotRequired[str]
    duration_s: NotRequired[float]
    exit_code: NotRequired[int]


class Cancelled(_Header):
    by: str
    """request (the child stopped itself) or app (it had to be stopped)."""
    forced: NotRequired[bool]
    duration_s: NotRequired[float]


class SweepStarted(_Header):
    experiment: str
    cells: int


class _Cell(_Header):
    index: int
    lr: float
    batch_size: int


class CellStarted(_Cell):
    run_id: str
    cell_dir: str


class CellEnded(_Cell):
    run_id: str | None
    status: str
    message: str
    metric: NotRequired[float | None]


class SweepFinished(_Header):
    duration_s: float
    finished: int
    failed: int


class JobFinished(_Header):
    artifact: str
    method: NotRequired[str]
    layer: NotRequired[str]
    count: NotRequired[int]
    groups: NotRequired[int]
    skipped: NotRequired[int]
    """predict: the files named that were not pictures it could read."""
    parameters: NotRequired[int]
    """model: the model's parameters, as Keras's count_params() counts them."""
    bytes: NotRequired[int]
    """tflite: the file's size."""
    max_difference: NotRequired[float]
    """tflite: the largest difference between its outputs and the Keras model's."""
    compared: NotRequired[str]
    """tflite: the pictures both were asked about, in words."""


Vocabulary = dict[Event, type]

RUN_EVENTS: Vocabulary = {
    Event.PHASE: Phase,
    Event.STARTED: Started,
    Event.PROGRESS: Progress,
    Event.EPOCH_END: EpochEnd,
    Event.FOLD_END: FoldEnd,
    Event.EARLY_STOP: EarlyStop,
    Event.FINISHED: Finished,
    Event.FAILED: Failed,
    Event.CANCELLED: Cancelled,
}
"""What a run's child (and whoever records how it ended) writes to its run folder."""
SWEEP_EVENTS: Vocabulary = {
    Event.STARTED: SweepStarted,
    Event.CELL_STARTED: CellStarted,
    Event.CELL_ENDED: CellEnded,
    Event.FINISHED: SweepFinished,
    Event.FAILED: Failed,
    Event.CANCELLED: Cancelled,
}
"""What a sweep's driver writes to the sweep folder (each cell is an ordinary run)."""
JOB_EVENTS: Vocabulary = {
    Event.PHASE: Phase,
    Event.FINISHED: JobFinished,
    Event.FAILED: Failed,
}
"""What a short job on a finished run writes to its job folder."""


def check_event(record: dict[str, Any], vocabulary: Vocabulary = RUN_EVENTS) -> list[str]:
    """What is wrong with `record` for this vocabulary: an unknown event, a missing or an
    unnamed field, a field of the wrong type. Empty when it fits."""
    if not isinstance(record, dict):
        return ["a record that is not an object"]
    name = record.get("event")
    if not isinstance(name, str) or name not in vocabulary:
        return [f"unknown event {str(name)[:40]!r}"]
    fields: Any = vocabulary[Event(name)]
    present, required = set(record), set(fields.__required_keys__)
    problems = [f"{name}: no {key!r}" for key in sorted(required - present)]
    unnamed = present - required - set(fields.__optional_keys__)
    problems += [f"{name}: {key!r} is not in the vocabulary" for key in sorted(unnamed)]
    if not problems:
        wrong = typed_problem(record, fields, name)
        problems += [wrong] if wrong else []
    return problems


ANY_EVENTS: tuple[Vocabulary, ...] = (RUN_EVENTS, SWEEP_EVENTS, JOB_EVENTS)


def record_problem(record: Any, vocabularies: tuple[Vocabulary, ...] = ANY_EVENTS) -> str | None:
    """Why a record read from a file cannot be believed, or None when it fits one of these
    vocabularies' types. Fields a vocabulary does not name are let through (a newer version's
    addition); the fields it names must have their types and ranges."""
    if not isinstance(record, dict):
        return "a record that is not an object"
    name = record.get("event")
    found = []
    for vocabulary in vocabularies:
        if isinstance(name, str) and name in vocabulary:
            wrong = typed_problem(record, vocabulary[Event(name)], name)
            if wrong is None:
                return None
            found.append(wrong)
    return found[0] if found else f"unknown event {str(name)[:40]!r}"


def make_event(
    name: Event, vocabulary: Vocabulary = RUN_EVENTS, t: float = 0.0, **fields: Any
) -> dict[str, Any]:
    """A record as `append_event` writes it, checked against the vocabulary (for fakes)."""
    record = {"event": name.value, "t": t, **fields}
    problems = check_event(record, vocabulary)
    if problems:
        raise ValueError("; ".join(problems))
    return record


# ----- the file ----------------------------------------------------------------------------
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def strip_ansi(text: str) -> str:
    """Error text from TF/Keras may carry colour codes; a screen or a JSON report must not."""
    return _ANSI.sub("", text)


def _jsonable(value: Any) -> Any:
    """Numpy scalars and NaN/inf arrive from Keras logs; JSON wants plain floats or null."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN/inf loss: the failed event says so in words
    return value


def append_event(folder: Path, event: Event, **fields: Any) -> dict[str, Any]:
    """Append one event and make it visible to readers immediately (one write, O_APPEND).

    PermissionError when the file is another user's (or a symlink): a reader never writes
    there; only a run's own process, or its owner's app, records how it ended."""
    record = {"event": Event(event).value, "t": round(time.time(), 3), **_jsonable(fields)}
    line = (json.dumps(record, allow_nan=False) + "\n").encode()
    # Only into this user's own file, never through a symlink, on a line of its own.
    append_line(Path(folder) / runfiles.EVENTS, line)
    return record


class Emit(Protocol):
    """How a process reports, given to whatever does the work (a trainer, a job, the queue):
    one event and its fields. The child appends it to the folder's events.jsonl (append_event);
    a Ray task hands it to the driver, which does."""

    def __call__(self, event: Event, **fields: Any) -> None: ...


EVENTS_LIMIT = 256 * 1024 * 1024
"""The largest events file read: a run reports at most ten times a second, about 100 MB in
a day of training; a bigger one is not a run's and is not read (its `problem` says so)."""
READ_CHUNK = 8 * 1024 * 1024
"""The most one `read_new` takes; the rest waits for the next call."""
LINE_LIMIT = 1024 * 1024
"""A record longer than this is not one (a traceback is a few kB)."""


class EventLog:
    """Incremental reader of a folder's events: each `read_new()` returns only what is new.

    A line still being written (no trailing newline yet) is left for the next read. The file
    is opened without following a symlink or blocking on a FIFO, only a regular file is read,
    at most `READ_CHUNK` a call; records that do not fit the vocabulary's types are dropped,
    and `problem` says why (the first such record, or why the file cannot be read at all).
    """

    def __init__(self, folder: Path, vocabulary: Vocabulary | None = None) -> None:
        self.path = Path(folder) / runfiles.EVENTS
        self.offset = 0
        self.vocabularies = ANY_EVENTS if vocabulary is None else (vocabulary,)
        self.problem: str | None = None
        """Why some of the file could not be believed; None while all of it could."""

    def read_new(self) -> list[dict[str, Any]]:
        chunk = self._chunk()
        if not chunk:
            return []
        end = chunk.rfind(b"\n")
        if end < 0:
            if len(chunk) >= min(READ_CHUNK, LINE_LIMIT):  # no line ends in it: not a record
                self.offset += len(chunk)
                self._doubt("events.jsonl: a line too long to be a record")
            return []
        self.offset += end + 1
        events = []
        for raw in chunk[: end + 1].splitlines():
            if not raw.strip():
                continue
            if len(raw) > LINE_LIMIT:
                self._doubt("events.jsonl: a line too long to be a record")
                continue
            try:
                record = loads(raw)
            except ValueError as exc:
                if "JSON allows" in str(exc) or "too deep" in str(exc):
                    self._doubt(f"events.jsonl: {exc}")
                continue  # a torn line from a killed writer: skip it, keep the rest
            wrong = record_problem(record, self.vocabularies)
            if wrong is not None:
                self._doubt(f"events.jsonl: {wrong}")
                continue
            events.append(record)
        return events

    def read_all(self) -> list[dict[str, Any]]:
        self.offset, self.problem = 0, None
        events, new = [], self.read_new()
        while new or self._more():
            events += new
            before = self.offset
            new = self.read_new()
            if self.offset == before:
                break
        return events

    def _more(self) -> bool:
        try:
            return os.lstat(self.path).st_size > self.offset
        except OSError:
            return False

    def _doubt(self, why: str) -> None:
        if self.problem is None:
            self.problem = why

    def _chunk(self) -> bytes:
        """What is new since `offset`, at most READ_CHUNK of it; b"" when nothing (or the
        file cannot be read: `problem` says why)."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self.path, flags | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            return b""
        except OSError as exc:
            link = os.path.islink(self.path)
            self._doubt("events.jsonl: a symbolic link (not followed)" if link else str(exc))
            return b""
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                self._doubt("events.jsonl: not a regular file")
                return b""
            if info.st_size > EVENTS_LIMIT:
                self._doubt(
                    f"events.jsonl: {info.st_size:,} bytes, over the {EVENTS_LIMIT:,}-byte limit"
                )
                return b""
            return os.pread(fd, READ_CHUNK, self.offset)
        except OSError as exc:
            self._doubt(f"events.jsonl: {exc.strerror or exc}")
            return b""
        finally:
            os.close(fd)


def ended(events: list[dict[str, Any]]) -> str | None:
    """The terminal event among these (the last one), or None while it runs."""
    for event in reversed(events):
        if event.get("event") in TERMINAL_EVENTS:
            return str(event["event"])
    return None


def last_event(events: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The last event of this kind among these, or None."""
    return next((e for e in reversed(events) if e.get("event") == name), None)


def epoch_ends(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The epoch_end events among these, in order: a run's epoch history."""
    return [e for e in events if e.get("event") == Event.EPOCH_END]
