"""Where the app gets runs from: the real engine, or (in tests) pre-written events.

The app only ever talks to a `RunSource`; this is the thin adapter over the engine that
STYLE.md asks for. Every method is quick except `cancel` (up to ~1 s: call it in a worker).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tui_dl.engine.events import JOB_EVENTS, LIVE, RUN_EVENTS, EventLog
from tui_dl.paths import sweeps_dir

if TYPE_CHECKING:
    from tui_dl.analysis.classroom.state import ClassReader, ClassState
    from tui_dl.engine.devices import Gpu
    from tui_dl.engine.jobs.launch import RunHandle
    from tui_dl.engine.spare.pool import SparePool
    from tui_dl.engine.store import RunInfo, RunStore
    from tui_dl.engine.sweeps.state import SweepTracker

BEHIND_THE_FIRST_FRAME = (
    "tui_dl.engine.devices",
    "tui_dl.engine.jobs.insights",
    "tui_dl.engine.jobs.launch",
    "tui_dl.engine.spare.pool",
    "tui_dl.engine.sweeps.launch",
    "tui_dl.engine.sweeps.state",
)
"""What launching, following and sweeping need and listing runs does not: imported where
used (the home screen paints without them) and, after the first frame, by `preload`."""


def preload() -> None:
    for module in BEHIND_THE_FIRST_FRAME:
        importlib.import_module(module)


class EventReader(Protocol):
    def read_new(self) -> list[dict[str, Any]]: ...


class RunSource(Protocol):
    def list_runs(self, limit: int | None = None) -> list[RunInfo]: ...
    def info(self, run_id: str) -> RunInfo: ...
    def resolve(self, run_id: str) -> str: ...
    def newest_live(self, experiment: str) -> str | None: ...
    def launch(
        self,
        experiment: str,
        params: dict[str, Any],
        device: str,
        cluster: str | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> str: ...
    def launch_note(self, run_id: str) -> str | None: ...
    def start_spare(self, device: str | None = None) -> None: ...
    def close(self) -> None: ...
    def reader(self, run_id: str) -> EventReader: ...
    def is_active(self, run_id: str) -> bool: ...
    def cancel(self, run_id: str) -> None: ...
    def gpus(self) -> list[Gpu]: ...
    def gpu_line(self, device: str, run_id: str | None) -> tuple[str, bool]: ...
    def class_state(self) -> ClassState: ...
    def start_job(self, run_id: str, kind: str, args: dict[str, Any]) -> Path: ...
    def job_reader(self, job_dir: Path) -> EventReader: ...
    def start_lr_find(self, experiment: str, params: dict[str, Any], device: str) -> Path: ...
    def stop_lr_find(self, folder: Path) -> None: ...
    def latest_sweep(self) -> str | None: ...
    def start_sweep(
        self,
        experiment: str,
        params: dict[str, Any],
        axes: dict[str, list[Any]],
        device: str,
        cluster: str | None = None,
        seeds: int = 1,
    ) -> str: ...
    def sweep_tracker(self, sweep_id: str) -> SweepTracker: ...
    def cancel_sweep(self, sweep_id: str) -> None: ...


class LocalRunSource:
    """Runs on this machine, in the user's tui-dl home."""

    def __init__(self, store: RunStore | None = None, data_dir: str | None = None) -> None:
        self._store = store
        self._store_lock = threading.Lock()
        self.data_dir = data_dir
        self._handles: dict[str, RunHandle] = {}
        self._class: ClassReader | None = None
        self._spare: SparePool | None = None
        self._closed = False

    @property
    def store(self) -> RunStore:
        """The runs' folder, opened when first asked for (by home's run list, in its thread
        after the first frame): the store's module and what it imports are not needed for
        the first paint."""
        with self._store_lock:
            if self._store is None:
                from tui_dl.engine.store import RunStore

                self._store = RunStore()
            return self._store

    def list_runs(self, limit: int | None = None) -> list[RunInfo]:
        return self.store.list(limit)

    def info(self, run_id: str) -> RunInfo:
        return self.store.info(self.store.root / run_id)

    def resolve(self, run_id: str) -> str:
        return self.store.resolve(run_id).name

    def newest_live(self, experiment: str) -> str | None:
        """The newest run of `experiment` still starting, queued or training, if any."""
        info = self.store.newest_live(experiment)
        return info.run_id if info else None

    def launch(
        self,
        experiment: str,
        params: dict[str, Any],
        device: str,
        cluster: str | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> str:
        """Blocking (the check before launch reads the folder): from a worker thread;
        `progress` hears how far that check is."""
        from tui_dl.engine.experiments.experiment import Checks
        from tui_dl.engine.jobs.launch import launch_run

        handle = launch_run(
            experiment, params, device=device, data_dir=self.data_dir, store=self.store,
            cluster=cluster, spare=self._spare, checks=Checks(progress=progress),
        )  # fmt: skip
        self._handles[handle.run_id] = handle
        return handle.run_id

    def launch_note(self, run_id: str) -> str | None:
        """What the launch of `run_id` has to say (a spare that could not take it), once."""
        handle = self._handles.get(run_id)
        if handle is None:
            return None
        note, handle.note = handle.note, None
        return note

    # ----- the spare: a process with TensorFlow imported, for the next run or job -----------
    def start_spare(self, device: str | None = None) -> None:
        """Keep a spare ready (for `device`, or the last run's); nothing when it is off
        (`TUI_DL_SPARE=0`, a workshop whose instructor has not turned it on). Quick."""
        from tui_dl.engine.spare.pool import SparePool, refusal

        if self._closed:
            return
        if self._spare is None:
            if refusal() is not None:
                return
            self._spare = SparePool()
        self._spare.start(device)

    def close(self) -> None:
        """The app is ending: its spare ends with it (the runs go on)."""
        self._closed = True
        if self._spare is not None:
            self._spare.close()

    def reader(self, run_id: str) -> EventLog:
        return EventLog(self.store.root / run_id, RUN_EVENTS)

    def is_active(self, run_id: str) -> bool:
        handle = self._handles.get(run_id)
        if handle is not None:
            if handle.process.poll() is None:
                return True
            handle.reaper.join(1.0)  # let it write how the process ended
        return self.info(run_id).status in LIVE

    def cancel(self, run_id: str) -> None:
        """Cancel a run; PermissionError (saying whose it is) for another learner's run."""
        from tui_dl.engine.jobs.launch import cancel_run
        from tui_dl.engine.workshop.folder import cancel_refusal

        info = self.info(run_id)
        refusal = cancel_refusal(info.run_dir, info.spec)
        if refusal:
            raise PermissionError(refusal)
        cancel_run(info.run_dir, handle=self._handles.get(run_id))

    def gpus(self) -> list[Gpu]:
        from tui_dl.engine.devices import list_gpus

        return list_gpus()

    def gpu_line(self, device: str, run_id: str | None) -> tuple[str, bool]:
        """One line on the GPU a run uses (NVML), and whether it is worth reading again."""
        from tui_dl.engine.gpustats import read_gpus, run_line
        from tui_dl.engine.store import read_pid

        pid = read_pid(self.store.root / run_id) if run_id else None
        return run_line(device, {pid} if pid else None), not isinstance(read_gpus(), str)

    def class_state(self) -> ClassState:
        """The room: every seat's runs, the leaderboards, the queue, the GPUs (reads the
        shared folders; ended runs are read once)."""
        from tui_dl.analysis.classroom.state import ClassReader

        if self._class is None:
            self._class = ClassReader(self.store)
        return self._class.read()

    def start_job(self, run_id: str, kind: str, args: dict[str, Any]) -> Path:
        from tui_dl.engine.jobs.insights import launch_job

        handle = launch_job(self.store.root / run_id, kind, args, spare=self._spare)
        self._handles[f"{run_id}/{handle.run_id}"] = handle
        return handle.run_dir

    def job_reader(self, job_dir: Path) -> EventLog:
        return EventLog(job_dir, JOB_EVENTS)

    def start_lr_find(self, experiment: str, params: dict[str, Any], device: str) -> Path:
        """A learning-rate finder on these settings (tui_dl.engine.jobs.lrfind): its folder."""
        from tui_dl.engine.jobs.lrfind.launch import launch_lr_find

        handle = launch_lr_find(
            experiment, params, device, data_dir=self.data_dir, runs=self.store.root,
            spare=self._spare,
        )  # fmt: skip
        self._handles[f"lr-find/{handle.run_id}"] = handle
        return handle.run_dir

    def stop_lr_find(self, folder: Path) -> None:
        """The finder left before it ended: its process goes (nothing of it is kept)."""
        handle = self._handles.pop(f"lr-find/{folder.name}", None)
        if handle is not None and handle.process.poll() is None:
            handle.process.terminate()

    # ----- sweeps: a grid of runs under one driver process ----------------------------------
    def latest_sweep(self) -> str | None:
        from tui_dl.engine.sweeps.launch import list_sweeps

        found = list_sweeps()
        return found[0].name if found else None

    def start_sweep(
        self,
        experiment: str,
        params: dict[str, Any],
        axes: dict[str, list[Any]],
        device: str,
        cluster: str | None = None,
        seeds: int = 1,
    ) -> str:
        """`axes`: setting → values (one value: shared by every cell); each cell runs
        `seeds` times."""
        from tui_dl.engine.sweeps.launch import launch_sweep

        handle = launch_sweep(
            experiment, params, None, None, device, data_dir=self.data_dir,
            cluster=cluster, axes=axes, seeds=seeds,
        )  # fmt: skip
        self._handles[f"sweep/{handle.run_id}"] = handle
        return handle.run_id

    def sweep_tracker(self, sweep_id: str) -> SweepTracker:
        from tui_dl.engine.sweeps.state import track_sweep

        return track_sweep(sweeps_dir() / sweep_id, self.store.root)

    def cancel_sweep(self, sweep_id: str) -> None:
        from tui_dl.engine.sweeps.launch import cancel_sweep

        cancel_sweep(sweeps_dir() / sweep_id)
