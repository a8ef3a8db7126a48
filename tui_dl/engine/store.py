"""Run folders on disk: creating them, listing them, and telling what state each is in.

A run folder is the whole record of a run (spec.json, events.jsonl, log.txt, pid,
artifacts), so any process — the app that launched it, a later app, the CLI — can read it.

In a workshop the folder may be another user's, and whatever its owner wrote there: so every
file is read without following a symlink and held to its type (`RunSpec`, the events'
vocabulary), and a folder that cannot be believed is still a run in every list, with the
status `unreadable` and its `problem`. A reader never writes into another user's folder: a
run whose process is gone without a last word is reported "process lost" in memory, and only
its owner's app records that in the folder.
"""

from __future__ import annotations

import builtins
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from tui_dl import paths
from tui_dl.engine import runfiles, trust
from tui_dl.engine.events import (
    LIVE,
    RUN_EVENTS,
    TERMINAL_EVENTS,
    Event,
    EventLog,
    Status,
    append_event,
    epoch_ends,
    last_event,
    make_event,
)
from tui_dl.engine.runfiles import RunSpec

SPEC_LIMIT = 256 * 1024
"""What spec.json may weigh: a few hundred bytes, a few kB with a long path."""


ACCURACY_METRICS = ("test_accuracy", "accuracy_mean")
"""The finished event's metrics a list shows as a run's accuracy, the first one present."""


@dataclass(frozen=True)
class Trained:
    """How far a run trained: epochs of how many, and for a run of several folds (k-fold) or
    stages (transfer), which one; for a run reported per step (tf-lowlevel), steps."""

    epoch: int = 0
    epochs: int | None = None
    fold: int | None = None
    folds: int | None = None
    stage: str | None = None
    step: int | None = None
    steps: int | None = None

    @property
    def words(self) -> str:
        """'12/40' epochs; '3/10 × 40/100' folds × epochs; 'scratch 5/5'; '3,000/3,000 steps';
        '—' for a run that trains no epochs."""
        if self.steps is not None or self.step is not None:
            return f"{self.step or 0:,}/{_of(self.steps, ',')} steps"
        if self.epochs is None and not self.epoch:
            return "—"  # trains no epochs (the model zoo classifies)
        epochs = f"{self.epoch}/{_of(self.epochs)}"
        if self.folds is not None:
            return f"{self.fold or 0}/{self.folds} × {epochs}"
        if self.stage is not None:
            return f"{self.stage} {epochs}"
        return epochs


def _of(total: int | None, spec: str = "") -> str:
    return "?" if total is None else format(total, spec)


def trained(events: builtins.list[dict[str, Any]], spec: dict[str, Any]) -> Trained:
    """`Trained` from a run's events: the last epoch it ended, in the last fold or stage it
    reached, of the length its epochs announced (its settings, until it says)."""
    params = spec.get("params") or {}
    if "steps" in params and "epochs" not in params:  # reported per step (tf-lowlevel)
        step = next((e.get("step") for e in reversed(events) if "step" in e), 0)
        return Trained(step=_whole(step) or 0, steps=_whole(params.get("steps")))
    epoch, epochs, folds = 0, _whole(params.get("epochs")), _whole(params.get("k"))
    fold, stage = None, None
    for event in events:
        kind = event.get("event")
        if kind == Event.PHASE and "fold" in event and "epochs" not in event:
            fold, epoch = _whole(event.get("fold")), 0  # a fold begins
            folds = _whole(event.get("folds")) or folds
        elif kind == Event.EPOCH_END:
            if event.get("stage") != stage:
                stage, epoch = event.get("stage"), 0
            epoch = _whole(event.get("epoch")) or epoch
            epochs = _whole(event.get("epochs")) or epochs
            fold = _whole(event.get("fold")) or fold
            folds = _whole(event.get("folds")) or folds
        elif kind == Event.FOLD_END:
            fold = _whole(event.get("fold")) or fold
            folds = _whole(event.get("folds")) or folds
    return Trained(epoch, epochs, fold, folds, stage if isinstance(stage, str) else None)


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class RunInfo:
    """What the runs list shows about one run, derived from its folder."""

    run_id: str
    run_dir: Path
    spec: dict[str, Any]
    status: str
    """running, finished, failed, cancelled, or starting (no event yet)."""
    created: float
    events: list[dict[str, Any]] = field(default_factory=list)
    problem: str = ""
    """Why its folder cannot be believed ('' when it can): the status is then `unreadable`
    and a row says "unreadable: " and this."""

    @property
    def experiment(self) -> str:
        return self.spec.get("experiment", "?")

    @property
    def last(self) -> dict[str, Any]:
        return self.events[-1] if self.events else {}

    def final(self, name: str) -> dict[str, Any] | None:
        return last_event(self.events, name)

    def epoch_ends(self) -> list[dict[str, Any]]:
        """Its epoch_end events, in order (each with its epoch, stage or fold)."""
        return epoch_ends(self.events)

    def history(self) -> list[dict[str, Any]]:
        """Each epoch's logs, in order: the curves a metrics plot draws."""
        return [e.get("logs", {}) for e in self.epoch_ends()]

    @property
    def test_accuracy(self) -> float | None:
        finished = self.final(Event.FINISHED)
        if finished:
            return finished.get("metrics", {}).get("test_accuracy")
        return None

    @property
    def accuracy(self) -> float | None:
        """The accuracy a list shows for the run, from its finished event: its test accuracy,
        or a k-fold run's (a project's) mean accuracy over its folds."""
        metrics = (self.final(Event.FINISHED) or {}).get("metrics") or {}
        for key in ACCURACY_METRICS:
            value = metrics.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
        return None

    @property
    def trained(self) -> Trained:
        """How far it trained, from its own events (`Trained.words`: '12/40', '3/10 × 40/100')."""
        return trained(self.events, self.spec)

    @property
    def message(self) -> str:
        if self.problem:
            return self.problem
        failed = self.final(Event.FAILED)
        return failed.get("message", "") if failed else ""

    @property
    def status_words(self) -> str:
        """The status as a row shows it: 'finished', or 'unreadable: spec.json: not JSON'."""
        return f"{Status.UNREADABLE}: {self.problem}" if self.problem else str(self.status)


def pid_alive(pid: int | None, run_dir: Path) -> bool:
    """True if `pid` is running *this* run: a pid above 1 whose process is owned by the run
    folder's owner and names the folder (guards against a recycled pid and a forged file).
    Where there is no /proc to prove it (not Linux), a signal-0 probe of a plausible pid."""
    if not isinstance(pid, int) or not 1 < pid <= trust.PID_MAX:
        return False
    proven = trust.proven_process(pid, run_dir, trust.owner_of(run_dir))
    if proven is not None:
        return proven
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return False
    return True


def lost_event(run_dir: Path) -> dict[str, Any]:
    """The failed event of a run whose process ended without a last word (never written by
    a reader of another user's run: worked out in memory)."""
    return make_event(
        Event.FAILED,
        t=round(time.time(), 3),
        error_type="ProcessLost",
        message=(
            "The run's process ended without reporting a result — it was probably killed "
            "(for example by the out-of-memory killer) or the machine restarted. "
            f"See {Path(run_dir) / runfiles.LOG}."
        ),
        traceback="",
    )


AMBIGUOUS_SHOWN = 5
"""How many of the runs an ambiguous prefix matches the error names."""
SHORT_ID = len("20261206-023645")
"""A short id is never shorter than an id's date and time: what a learner can read back."""


def resolve_id(run_id: str, ids: builtins.list[str]) -> str:
    """The one run `run_id` names among `ids` (newest first), as git names a commit by its
    hash: the whole id, else the one id it begins (a unique prefix), else `latest` for the
    newest. LookupError, saying what to give instead, for none and for several."""
    wanted = run_id.strip()
    if wanted == "latest":
        if not ids:
            raise LookupError("there are no runs yet")
        return ids[0]
    if wanted in ids:
        return wanted
    if not wanted:
        raise LookupError("no run id given (see `tui-dl runs`)")
    matches = [i for i in ids if i.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise LookupError(f"no run {wanted!r} (see `tui-dl runs`)")
    shown = ", ".join(matches[:AMBIGUOUS_SHOWN])
    more = f" and {len(matches) - AMBIGUOUS_SHOWN} more" if len(matches) > AMBIGUOUS_SHOWN else ""
    raise LookupError(f"{len(matches)} runs begin {wanted!r}: {shown}{more}; give more of the id")


def short_ids(ids: builtins.list[str]) -> dict[str, str]:
    """Each id's shortest beginning that no other id in `ids` shares (`resolve_id` takes it
    back), never shorter than its date and time."""
    ordered = sorted(ids)
    short = {}
    for index, run_id in enumerate(ordered):
        neighbours = ordered[max(0, index - 1) : index] + ordered[index + 1 : index + 2]
        shared = max((_common(run_id, other) for other in neighbours), default=0)
        short[run_id] = run_id[: max(SHORT_ID, shared + 1)]
    return short


def _common(a: str, b: str) -> int:
    """How many characters `a` and `b` begin with in common."""
    return len(os.path.commonprefix([a, b]))


class RunStore:
    """All runs under one folder (default: the user's tui-dl home, `TUI_DL_HOME`)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else paths.runs_dir()
        self.root.mkdir(parents=True, exist_ok=True)

    def create(self, spec: dict[str, Any]) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        run_dir = paths.new_folder(self.root, lambda tail: f"{stamp}-{spec['experiment']}-{tail}")
        run_id = run_dir.name
        spec = {**spec, "run_id": run_id, "created": time.time()}
        paths.write_atomic(run_dir / runfiles.SPEC, json.dumps(spec, indent=2) + "\n")
        return run_dir

    def run_ids(self) -> list[str]:
        """Newest first (ids start with a timestamp). Only real folders holding a spec.json
        (of whatever kind: a bad one is an unreadable run); a symlink in the runs folder is
        not a run and is not followed."""
        ids = []
        try:
            entries = list(os.scandir(self.root))
        except OSError:
            return []
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    os.lstat(Path(entry.path) / runfiles.SPEC)
                    ids.append(entry.name)
            except OSError:
                continue
        return sorted(ids, reverse=True)

    def resolve(self, run_id: str) -> Path:
        """A run folder from an id, a unique id prefix, or `latest` (`resolve_id`)."""
        return self.root / resolve_id(run_id, self.run_ids())

    def newest_live(self, experiment: str) -> RunInfo | None:
        """The newest run of `experiment` still starting, waiting for a slot or training —
        launched by this app, the command line or an earlier app — or None. Only a folder
        whose process is proven alive (or that was made seconds ago and has no pid yet) is
        read whole, so a home of many runs costs a pid check each."""
        for run_id in self.run_ids():
            run_dir = self.root / run_id
            pid = read_pid(run_dir)
            young = time.time() - _created(run_dir) < 10 and not os.path.lexists(
                run_dir / runfiles.PID
            )
            if not young and (pid is None or not pid_alive(pid, run_dir)):
                continue
            try:
                info = self.info(run_dir)
            except OSError:
                continue
            if info.experiment == experiment and info.status in LIVE:
                return info
        return None

    def info(self, run_dir: Path) -> RunInfo:
        """What the folder says about its run; a folder that cannot be believed is a run
        whose status is `unreadable`, with its `problem` (FileNotFoundError: no folder)."""
        run_dir = Path(run_dir)
        if os.path.islink(run_dir):
            return _unreadable(run_dir, {}, [], "a symbolic link (not followed)")
        if not run_dir.is_dir():
            raise FileNotFoundError(f"no run folder {run_dir}")
        try:
            spec, problem = parse_spec(trust.read_json(run_dir / runfiles.SPEC, SPEC_LIMIT))
        except trust.Unreadable as exc:
            spec, problem = {}, f"spec.json: {exc}"
        log = EventLog(run_dir, RUN_EVENTS)
        events = log.read_all()
        problem = problem or log.problem
        if problem:
            return _unreadable(run_dir, spec, events, problem)
        status = self._status(run_dir, events)
        return RunInfo(run_dir.name, run_dir, spec, status, _when(spec, run_dir), events)

    def list(self, limit: int | None = None) -> list[RunInfo]:
        infos = []
        for run_id in self.run_ids()[:limit]:
            try:
                infos.append(self.info(self.root / run_id))
            except OSError as exc:  # removed since it was listed, or not ours to read
                infos.append(_unreadable(self.root / run_id, {}, [], str(exc)))
        return infos

    def _status(self, run_dir: Path, events: builtins.list[dict[str, Any]]) -> str:
        """Where the run stands. Never writes, except the one case below: a run whose
        process is gone without a last word is failed ("process lost") in memory, and the
        event is recorded in the folder only when this process's user owns it."""
        for event in reversed(events):
            if event.get("event") in TERMINAL_EVENTS:
                return event["event"]
        pid = read_pid(run_dir)
        if pid is not None and pid_alive(pid, run_dir):
            if events and events[-1].get("event") == Event.PHASE and "queue" in events[-1]:
                return Status.QUEUED
            return Status.RUNNING if events else Status.STARTING
        no_pid_yet = not os.path.lexists(run_dir / runfiles.PID)  # not one that is no pid
        if no_pid_yet and time.time() - _created(run_dir) < 10:
            return Status.STARTING
        # The events were read before the pid was checked: a run that ended in between wrote
        # its last word after that read. Look again before calling it lost.
        again = EventLog(run_dir, RUN_EVENTS).read_all()
        ended = next((e for e in reversed(again) if e.get("event") in TERMINAL_EVENTS), None)
        if ended is not None:
            events[:] = again
            return ended["event"]
        # The process is gone without a last word: killed, out of memory, or machine restart.
        events.append(record_lost(run_dir))
        return Status.FAILED


def record_lost(run_dir: Path) -> dict[str, Any]:
    """The run's "process lost" event: recorded in its folder when this user owns the folder
    (and its events file, if any), else only returned, for the reader to show."""
    record = lost_event(run_dir)
    events = Path(run_dir) / runfiles.EVENTS
    if trust.is_mine(run_dir) and (trust.is_mine(events) or not os.path.lexists(events)):
        fields = {k: v for k, v in record.items() if k not in ("event", "t")}
        try:
            return append_event(run_dir, Event.FAILED, **fields)
        except OSError:
            pass  # a read-only folder or disk: still lost, said in memory
    return record


def parse_spec(value: Any) -> tuple[dict[str, Any], str | None]:
    """spec.json's value as typed values (`RunSpec`), and the first problem found, if any.
    A field of the wrong type is left out (the rest is kept, to name the run in its row)."""
    if not isinstance(value, dict):
        return {}, trust.typed_problem(value, RunSpec, "spec.json")
    spec: dict[str, Any] = {}
    problem = None
    for key, item in value.items():
        wrong = _field_problem(item, key) if key in RunSpec.__annotations__ else None
        if wrong is None:
            spec[key] = item
        else:
            problem = problem or f"spec.json: {wrong}"
    if "experiment" not in value:
        problem = problem or "spec.json: experiment: missing"
    wrong = _params_problem(spec)
    if wrong:
        del spec["params"]  # nothing reads them from here
    return spec, problem or wrong


def _params_problem(spec: dict[str, Any]) -> str | None:
    """A known experiment's settings must be of their kinds (a choice among its choices):
    screens fill forms and estimate costs from them."""
    from tui_dl.engine.experiments import EXPERIMENTS

    experiment = EXPERIMENTS.get(spec.get("experiment", ""))
    params = spec.get("params", {})
    if experiment is None:
        return None
    for param in experiment.params:
        if param.name in params and not param.fits(params[param.name]):
            shown = str(params[param.name])[:40]
            return f"spec.json: params.{param.name}: {shown!r} does not fit {param.label!r}"
    return None


def _field_problem(item: Any, key: str) -> str | None:
    return trust.typed_problem({"experiment": "", key: item}, RunSpec)


def _unreadable(
    run_dir: Path, spec: dict[str, Any], events: builtins.list[dict[str, Any]], problem: str
) -> RunInfo:
    when = _when(spec, run_dir)
    return RunInfo(run_dir.name, run_dir, spec, Status.UNREADABLE, when, events, problem)


def _when(spec: dict[str, Any], run_dir: Path) -> float:
    created = spec.get("created")
    return float(created) if isinstance(created, int | float) else _created(run_dir)


def read_spec(run_dir: Path) -> RunSpec:
    """A run's settings as launched (OSError or ValueError — `trust.Unreadable` — for a folder
    that cannot be believed)."""
    spec, problem = parse_spec(trust.read_json(Path(run_dir) / runfiles.SPEC, SPEC_LIMIT))
    if problem:
        raise trust.Unreadable(problem)
    return cast(RunSpec, spec)  # no problem: it names its experiment, and every key it names fits


def read_pid(run_dir: Path) -> int | None:
    """The pid the run's `pid` file names, when it is a plausible one (1 < pid <= PID_MAX)."""
    try:
        return trust.parse_pid(trust.read_bytes(Path(run_dir) / runfiles.PID, 64))
    except trust.Unreadable:
        return None


def _created(run_dir: Path) -> float:
    try:
        return os.lstat(Path(run_dir) / runfiles.SPEC).st_mtime
    except OSError:
        return 0.0
