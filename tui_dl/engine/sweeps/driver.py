"""A sweep's driver: `python -m tui_dl.engine.sweeps.driver SWEEP_DIR`.

Launches the grid's cells as ordinary runs, one after another (see `tui_dl.engine.sweeps.launch` for
why not side by side), waits for each, and records how it ended. A failed cell is data — NaN
at a huge rate is the lesson — so the driver carries on. A cancel (the `cancel` file, or the
cancel signal) cancels the current cell through its own run's cancel and stops the sweep.
The driver never imports TensorFlow: the cells do, each in its own process. Run one after
another on this machine, the cells are forks of one spare (tui_dl.engine.spare) that the
driver keeps for the sweep: TensorFlow is imported once, not once a cell; `TUI_DL_SPARE=0`,
or a workshop whose instructor did not turn spares on, gives every cell a cold start.
"""

from __future__ import annotations

import signal
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_dl.engine.events import ENDED, Event, Status, append_event
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.experiments.experiment import Checks
from tui_dl.engine.jobs.launch import (
    CANCEL_SIGNAL,
    EXIT_CANCELLED,
    RunHandle,
    cancel_run,
    launch_run,
)
from tui_dl.engine.store import RunStore
from tui_dl.engine.sweeps.launch import cell_params, read_spec, write_spec
from tui_dl.engine.workshop.folder import cancel_asked

if TYPE_CHECKING:
    from tui_dl.engine.spare.pool import SparePool

POLL_S = 0.1
SPARE_WAIT_S = 180.0
"""How long the driver waits for its spare's import before it gives up on it (cold cells)."""


class Driver:
    def __init__(self, sweep_dir: Path) -> None:
        self.sweep_dir = sweep_dir
        self.spec = read_spec(sweep_dir)
        self.store = RunStore()
        self.cancel_requested = False
        self.checks = Checks()
        """The cells' check before launch, shared: my-images's folder is scanned once."""
        self.spare: SparePool | None = None
        """The spare whose forks run the cells (none on a cluster, or when refused)."""

    def keep_a_spare(self) -> None:
        """Start the sweep's spare and wait for its import (what the first cell would wait
        for anyway): every cell is then a fork of it. Without one, cells start cold."""
        from tui_dl.engine.spare.pool import SparePool, refusal

        if self.spec.get("cluster") or len(self.spec["cells"]) < 2 or refusal() is not None:
            return
        print("[tui-dl sweep] starting TensorFlow once, for every cell", flush=True)
        self.spare = SparePool()
        self.spare.start(self.spec["device"])
        deadline = time.monotonic() + SPARE_WAIT_S
        while not self.cancelled() and time.monotonic() < deadline:
            if self.spare.wait_ready(0.25):
                return
            if self.spare.ready() is None:  # it ended: cold cells, nothing lost
                break
        self.spare.close()
        self.spare = None

    def on_signal(self, _signum: int, _frame: object) -> None:
        self.cancel_requested = True

    def cancelled(self) -> bool:
        if not self.cancel_requested and cancel_asked(self.sweep_dir):
            self.cancel_requested = True
        return self.cancel_requested

    def emit(self, event: Event, **fields: Any) -> None:
        append_event(self.sweep_dir, event, **fields)

    def run(self) -> int:
        spec = self.spec
        metric = get_experiment(spec["experiment"]).reference.metric
        started = time.monotonic()
        self.emit(Event.STARTED, experiment=spec["experiment"], cells=len(spec["cells"]))
        ended: list[str] = []
        self.keep_a_spare()
        if spec.get("cluster"):
            ended = self.run_side_by_side(metric)
        for index, cell in enumerate([] if spec.get("cluster") else spec["cells"]):
            if self.cancelled():
                break
            status, value = self.run_cell(index, cell, metric)
            ended.append(status)
            if status == Status.CANCELLED:
                break
        duration = round(time.monotonic() - started, 2)
        if self.cancelled():
            self.emit(Event.CANCELLED, by="request", duration_s=duration)
            return EXIT_CANCELLED
        self.emit(
            Event.FINISHED,
            duration_s=duration,
            finished=ended.count(Status.FINISHED),
            failed=ended.count(Status.FAILED),
        )
        return 0

    def run_side_by_side(self, metric: str) -> list[str]:
        """On a Ray cluster: every cell submitted at once, each a run whose driver joins the
        one cluster (for `local`, the Ray this driver starts); Ray runs as many at once as
        its CPUs and GPUs allow. A cancel cancels every cell."""
        import os

        from tui_dl.engine.cluster import ADDRESS_ENV, LOCAL
        from tui_dl.engine.cluster.driver import connect

        spec = self.spec
        if spec["cluster"] == LOCAL and ADDRESS_ENV not in os.environ:
            ray = connect(LOCAL)
            os.environ[ADDRESS_ENV] = ray.get_runtime_context().gcs_address
        handles = {}
        for index, cell in enumerate(spec["cells"]):
            if self.cancelled():
                break
            handle = self.start_cell(index, cell)
            if handle is not None:
                handles[index] = handle
        ended: list[str] = [Status.FAILED] * (len(spec["cells"]) - len(handles))
        waiting = dict(handles)
        cancelling = False
        while waiting:
            if self.cancelled() and not cancelling:
                cancelling = True
                cancel_all([h for h in waiting.values() if h.process.poll() is None])
            for index, handle in list(waiting.items()):
                if handle.process.poll() is None:
                    continue
                del waiting[index]
                status, _ = self.end_cell(index, spec["cells"][index], handle, metric)
                ended.append(status)
            time.sleep(POLL_S)
        return ended

    def start_cell(self, index: int, cell: dict[str, Any]) -> RunHandle | None:
        spec = self.spec
        params = cell_params(spec, cell)
        try:
            handle = launch_run(
                spec["experiment"], params, spec["device"], spec.get("data_dir"), self.store,
                cluster=spec.get("cluster"), gpu_share=spec.get("gpu_share"),
                checks=self.checks, spare=self.spare,
            )  # fmt: skip
        except (OSError, ValueError) as exc:
            self.emit(
                Event.CELL_ENDED, index=index, lr=cell["lr"], batch_size=cell["batch_size"],
                run_id=None, status=Status.FAILED, message=str(exc),
            )  # fmt: skip
            return None
        spec["cells"][index]["run_id"] = handle.run_id
        write_spec(self.sweep_dir, spec)
        self.emit(
            Event.CELL_STARTED, index=index, lr=cell["lr"], batch_size=cell["batch_size"],
            run_id=handle.run_id, cell_dir=str(handle.run_dir),
        )  # fmt: skip
        return handle

    def end_cell(
        self, index: int, cell: dict[str, Any], handle: RunHandle, metric: str
    ) -> tuple[str, Any]:
        handle.wait()
        handle.reaper.join(5)  # it writes the last word of a cell that died
        info = self.store.info(handle.run_dir)
        status = info.status if info.status in ENDED else Status.FAILED
        finished = info.final(Event.FINISHED) or {}
        value = (finished.get("metrics") or {}).get(metric)
        self.emit(
            Event.CELL_ENDED, index=index, lr=cell["lr"], batch_size=cell["batch_size"],
            run_id=handle.run_id, status=status, metric=value, message=info.message,
        )  # fmt: skip
        return status, value

    def run_cell(self, index: int, cell: dict[str, Any], metric: str) -> tuple[str, Any]:
        """One cell, started and waited for here (a cancel cancels it)."""
        handle = self.start_cell(index, cell)
        if handle is None:  # it could not start: start_cell said so
            return Status.FAILED, None
        while handle.process.poll() is None:
            if self.cancelled():
                cancel_run(handle.run_dir, handle=handle)
                break
            time.sleep(POLL_S)
        return self.end_cell(index, cell, handle, metric)


def cancel_all(handles: list[RunHandle]) -> None:
    """Every cell's cancel at once, not one after another: side by side on a cluster, each
    cell's driver needs about a second to stop its task, and the sweep's own cancel waits
    for them all."""
    import threading

    threads = [
        threading.Thread(target=cancel_run, args=(h.run_dir,), kwargs={"handle": h}, daemon=True)
        for h in handles
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)


def main(argv: list[str]) -> int:
    sweep_dir = Path(argv[0]).resolve()
    driver = Driver(sweep_dir)
    signal.signal(CANCEL_SIGNAL, driver.on_signal)
    signal.signal(signal.SIGTERM, driver.on_signal)
    try:
        return driver.run()
    except BaseException as exc:  # noqa: BLE001 — every failure must become an event
        append_event(
            sweep_dir,
            Event.FAILED,
            error_type=type(exc).__name__,
            message=f"The sweep stopped: {type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(),
        )
        traceback.print_exc()
        return 1
    finally:
        if driver.spare is not None:
            driver.spare.close()  # the cells it forked have all ended
        if driver.spec.get("cluster"):
            from tui_dl.engine.cluster import shutdown

            shutdown()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
