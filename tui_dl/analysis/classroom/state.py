"""The room at a glance, from the shared folders only: every seat and user, what each runs or
last ran, how far it is, its result beside the course's figure, a leaderboard per
experiment, the queue and the GPUs. The class view's screen and `tui-dl class` word it.

Nothing here writes, starts or cancels anything; it reads run folders, the seats' files and
the queue's locks, so any seat may open it (cancelling stays the owner's or the
instructor's, checked where it happens).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tui_dl.analysis.summary import Outcome, outcome
from tui_dl.engine.events import LIVE, Event, Status
from tui_dl.engine.experiments import EXPERIMENTS, metric
from tui_dl.engine.queue import QueueState, RunQueue, ordinal
from tui_dl.engine.store import RunInfo, RunStore
from tui_dl.engine.workshop.seats import Seat, list_seats, who_ran

RECENT_RUNS = 400
"""How many of the newest runs the view reads of one user's own folder (no workshop)."""
WORKSHOP_RUNS = 5000
"""...and of a workshop folder, which holds only the class's runs: all of them, in practice
(thirty learners a day for a week is about a thousand), each ended one read once."""


def owner_key(info: RunInfo) -> str:
    """Who a run belongs to, from the file system: its seat (when proven), else the Unix
    user who owns its folder — never what its spec says."""
    return who_ran(info.run_dir, info.spec).key


@dataclass
class Person:
    """A seat of the workshop or a user who ran something here."""

    key: str
    label: str
    user: str = ""
    seat: Seat | None = None
    runs: list[RunInfo] = field(default_factory=list)
    """Newest first."""

    @property
    def latest(self) -> RunInfo | None:
        return self.runs[0] if self.runs else None

    @property
    def live(self) -> RunInfo | None:
        return next((r for r in self.runs if r.status in LIVE), None)

    @property
    def current(self) -> RunInfo | None:
        """What the view shows for them: the run going now, else the last one."""
        return self.live or self.latest

    @property
    def where(self) -> str:
        if self.seat is None:
            return "seat" if self.key.startswith("seat:") else "ssh"
        return "browser" if self.seat.connected else "left"


@dataclass(frozen=True)
class Entry:
    """A place on an experiment's leaderboard: someone's best finished run."""

    label: str
    run_id: str
    value: float
    text: str
    """The value as the experiment words it ('97.4 %', '266.1')."""


@dataclass
class ClassState:
    people: list[Person]
    leaderboards: dict[str, list[Entry]]
    """Experiment → its best finished run per person, best first (only experiments run)."""
    queue: QueueState
    gpus: list[Any] | str
    """GpuStats per GPU, or the sentence saying why there are none."""
    read_at: float = field(default_factory=time.time)

    def person(self, key: str) -> Person | None:
        return next((p for p in self.people if p.key == key), None)


def progress_words(info: RunInfo) -> str:
    """Where a run is, in a few words: 'epoch 3/10 · 42 %', 'queued: 2nd in line', '✓ 97.1 %'."""
    if info.status == Status.QUEUED:
        position = (info.last.get("queue") or {}).get("position")
        return f"queued: {ordinal(position)} in line" if isinstance(position, int) else "queued"
    if info.status in LIVE:
        last = info.final(Event.PROGRESS)
        if last is None:
            phase = info.final(Event.PHASE)
            return str(phase.get("phase", "starting")) if phase else "starting"
        done = (last["epoch"] - 1) * last["steps"] + last["batch"]
        share = done / max(1, last["epochs"] * last["steps"])
        fold = f"fold {last['fold']}/{last['folds']} · " if "fold" in last else ""
        return f"{fold}epoch {last['epoch']}/{last['epochs']} · {share:.0%}"
    return info.status_words


def result_words(info: RunInfo) -> tuple[str, str]:
    """(the run's key result, the course's figure beside it), as the experiment words them."""
    found: Outcome = outcome(info.status, info.events, info.spec)
    shown = found.metric or metric("test_accuracy")
    mine = shown.format(found.value) if found.value is not None else ""
    course = shown.format(found.course) if found.course is not None else ""
    return mine, course


def build_class(
    infos: list[RunInfo], seats: list[Seat], queue: QueueState, gpus: list[Any] | str
) -> ClassState:
    """The room from what was read: runs (newest first), seats, the queue, the GPUs."""
    people: dict[str, Person] = {}
    for seat in seats:
        key = f"seat:{seat.seat}"
        people[key] = Person(key, seat.label, seat.user, seat)
    for info in infos:
        owner = who_ran(info.run_dir, info.spec)
        if owner.key not in people:
            people[owner.key] = Person(owner.key, owner.label, owner.user)
        people[owner.key].runs.append(info)
    return ClassState((ordered := in_order(people.values())), leaderboards(ordered), queue, gpus)


class ClassReader:
    """Reads the room again and again (the class view every two seconds): a run that has
    ended never changes, so its folder is read once; only live runs are read each time."""

    def __init__(self, store: RunStore | None = None) -> None:
        self.store = store or RunStore()
        self._ended: dict[str, RunInfo] = {}

    def runs(self) -> list[RunInfo]:
        infos = []
        from tui_dl import paths

        limit = RECENT_RUNS if paths.workshop() is None else WORKSHOP_RUNS
        for run_id in self.store.run_ids()[:limit]:
            info = self._ended.get(run_id)
            if info is None:
                try:
                    info = self.store.info(self.store.root / run_id)
                except (OSError, ValueError):
                    continue
                if info.status not in LIVE:
                    self._ended[run_id] = info
            infos.append(info)
        return infos

    def read(self) -> ClassState:
        from tui_dl.engine.gpustats import read_gpus
        from tui_dl.engine.queue.place import slots_of

        queue = RunQueue().state(slots_of)
        return build_class(self.runs(), list_seats(), queue, read_gpus())


def read_class(store: RunStore | None = None) -> ClassState:
    """Everything the class view shows, read now."""
    return ClassReader(store).read()


def in_order(people: Iterable[Person]) -> list[Person]:
    """Running first, then by their newest run (ids start with the time), then by name."""
    ordered = sorted(people, key=lambda p: p.label.lower())
    ordered.sort(key=lambda p: p.latest.run_id if p.latest else "", reverse=True)
    ordered.sort(key=lambda p: 0 if p.live else 1)
    return ordered


def leaderboards(people: list[Person]) -> dict[str, list[Entry]]:
    boards: dict[str, list[Entry]] = {}
    for name, experiment in EXPERIMENTS.items():
        key = experiment.reference.metric
        shown = metric(key)
        higher = "loss" not in key
        entries = []
        for person in people:
            values = [
                (float(v), info.run_id)
                for info in person.runs
                if info.experiment == name and info.status == Status.FINISHED
                for v in [(info.final(Event.FINISHED) or {}).get("metrics", {}).get(key)]
                if isinstance(v, int | float)
            ]
            if values:
                value, run_id = max(values) if higher else min(values)
                entries.append(Entry(person.label, run_id, value, shown.format(value)))
        if entries:
            boards[name] = sorted(entries, key=lambda e: -e.value if higher else e.value)
    return boards


def as_json(state: ClassState) -> dict[str, Any]:
    """The class view as one JSON object (`tui-dl class --json`)."""
    people = []
    for person in state.people:
        run = person.current
        entry: dict[str, Any] = {
            "name": person.label,
            "user": person.user,
            "where": person.where,
            "runs": len(person.runs),
        }
        if run is not None:
            mine, course = result_words(run)
            entry["run"] = {
                "id": run.run_id,
                "experiment": run.experiment,
                "status": run.status,
                "progress": progress_words(run),
                "result": mine,
                "course": course,
            }
        people.append(entry)
    queue = {
        device: {
            "slots": q.slots,
            "running": [h.info.get("run_id") for h in q.held],
            "waiting": [w.run_id for w in q.waiting],
        }
        for device, q in state.queue.devices.items()
    }
    gpus = (
        state.gpus
        if isinstance(state.gpus, str)
        else [
            {
                "index": g.index,
                "name": g.name,
                "memory_used_mib": round(g.memory_used_mib),
                "memory_total_mib": round(g.memory_total_mib),
                "utilisation": g.utilisation,
            }
            for g in state.gpus
        ]
    )
    boards = {
        name: [{"name": e.label, "run": e.run_id, "value": e.value} for e in entries]
        for name, entries in state.leaderboards.items()
    }
    return {"people": people, "leaderboards": boards, "queue": queue, "gpus": gpus}
