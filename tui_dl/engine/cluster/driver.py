"""A run on Ray: `python -m tui_dl.engine.cluster.driver RUN_DIR`, the run's own process.

Started like a local run's child (its pid, log.txt, the cancel signal and file all work the
same), it joins the cluster (or starts a Ray on this machine for `local`), submits the run
as one task with the resources its device asks for, and drains the task's events into the
run folder as they come. No retries: a task whose worker or node dies is a failed run, with
the reason, not a second run writing its events over the first's.
"""

from __future__ import annotations

import signal
import socket
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from tui_dl.engine.cluster import ADDRESS_ENV, LOCAL, ray_module, resources, shutdown
from tui_dl.engine.events import Event, append_event
from tui_dl.engine.store import read_spec
from tui_dl.engine.workshop.folder import cancel_asked

POLL_S = 0.2
CANCEL_GRACE_S = 0.5
CONNECT_TIMEOUT_S = 5.0


def reachable(address: str) -> None:
    """A HOST:PORT that answers, or ConnectionError naming it (at once, not after a minute)."""
    host_port = address.removeprefix("ray://")
    host, _, port = host_port.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), CONNECT_TIMEOUT_S):
            pass
    except (OSError, ValueError) as exc:
        raise ConnectionError(
            f"the Ray cluster at {address} cannot be reached ({exc.__class__.__name__}: {exc})"
        ) from None


def connect(address: str, num_cpus: int | None = None):
    """Ray, joined to `address` (or a Ray of its own on this machine for `local`)."""
    import os

    ray = ray_module()
    if ray.is_initialized():
        return ray
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    # The task's own output (TensorFlow's messages, a traceback) comes back to this driver,
    # whose stdout is the run's log.txt: plain, every line.
    os.environ.setdefault("RAY_COLOR_PREFIX", "0")
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    quiet: dict[str, Any] = {"include_dashboard": False, "log_to_driver": True}
    joined = os.environ.get(ADDRESS_ENV)
    if address == LOCAL and not joined:
        ray.init(num_cpus=num_cpus or os.cpu_count(), **quiet)
        return ray
    target = joined or address
    if target != "auto":
        reachable(target)
    try:
        ray.init(address=target, **({} if target.startswith("ray://") else quiet))
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ConnectionError(f"the Ray cluster at {target} cannot be joined: {exc}") from None
    return ray


class Driver:
    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.cancel_requested = False

    def on_signal(self, _signum: int, _frame: object) -> None:
        self.cancel_requested = True

    def cancelled(self) -> bool:
        if not self.cancel_requested and cancel_asked(self.run_dir):
            self.cancel_requested = True
        return self.cancel_requested

    def emit(self, event: Event | str, **fields: Any) -> None:
        append_event(self.run_dir, Event(event), **fields)

    def run(self) -> int:
        started = time.monotonic()
        spec = read_spec(self.run_dir)
        address = spec.get("cluster") or LOCAL
        self.emit(Event.PHASE, phase=f"joining the Ray cluster ({address})")
        try:
            ray = connect(address)
        except (ConnectionError, RuntimeError) as exc:
            self.emit(Event.FAILED, error_type="ClusterUnreachable", message=f"{exc}.",
                      traceback="", duration_s=round(time.monotonic() - started, 2))  # fmt: skip
            return 1
        from tui_dl.engine.cluster.mailbox import Mailbox
        from tui_dl.engine.cluster.task import run_task
        from tui_dl.engine.devices import device_env

        # Where the task's events wait: no CPU of its own (it would take one from the runs),
        # on this machine's node when Ray started here, as any actor otherwise.
        events = ray.remote(num_cpus=0, max_restarts=0)(Mailbox).remote()
        env = {**device_env(spec.get("device", "cpu")), "PYTHONUNBUFFERED": "1"}
        if spec.get("device", "cpu") != "cpu":
            env.pop("CUDA_VISIBLE_DEVICES", None)  # Ray gives the task its GPU(s)
        data_dir = spec.get("data_dir")
        if data_dir:
            env["TUI_DL_DATA"] = data_dir
        task = ray.remote(max_calls=1, max_retries=0, retry_exceptions=False)(run_task)
        asked = resources(spec.get("device", "cpu"), spec.get("gpu_share"))
        ref = task.options(runtime_env={"env_vars": env}, **asked).remote(spec, events)
        self.emit(Event.PHASE, phase="waiting for the cluster to place the run")
        while True:
            self.drain(ray, events)
            if self.cancelled():
                return self.cancel(ray, ref, events, started)
            ready, _ = ray.wait([ref], timeout=POLL_S)
            if ready:
                break
        try:
            result = ray.get(ref)
        except Exception as exc:  # noqa: BLE001 — how the task ended is the run's last word
            self.drain(ray, events)
            if self.cancelled():
                return self.cancel(ray, ref, events, started)
            self.emit(Event.FAILED, **died(ray, exc, started))
            return 1
        self.drain(ray, events)
        for name, data in result["artifacts"].items():
            path = self.run_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        terminal = result.get("terminal")
        if terminal is None:
            self.emit(Event.FAILED, error_type="NoResult", traceback="",
                      message="The run's task ended without reporting a result.")  # fmt: skip
            return 1
        name, fields = terminal
        self.emit(name, **fields)
        return 0 if name == Event.FINISHED else 1

    def drain(self, ray: Any, events: Any) -> None:
        for name, fields in ray.get(events.take.remote()):
            self.emit(name, **fields)

    def cancel(self, ray: Any, ref: Any, events: Any, started: float) -> int:
        from tui_dl.engine.jobs.launch import EXIT_CANCELLED

        ray.cancel(ref)
        deadline = time.monotonic() + CANCEL_GRACE_S
        while time.monotonic() < deadline and not ray.wait([ref], timeout=0.1)[0]:
            pass
        if not ray.wait([ref], timeout=0)[0]:
            ray.cancel(ref, force=True)
        try:
            self.drain(ray, events)
        except Exception:  # noqa: BLE001 — the mailbox may have gone with the cluster
            pass
        self.emit(Event.CANCELLED, by="request", duration_s=round(time.monotonic() - started, 2))
        return EXIT_CANCELLED


def died(ray: Any, exc: BaseException, started: float) -> dict[str, Any]:
    """A task that did not return: the failed event's fields, with the reason."""
    errors = ray.exceptions
    lost = (errors.WorkerCrashedError, errors.NodeDiedError, errors.RayActorError)
    if isinstance(exc, lost) or "died" in str(exc).lower():
        message = (
            "The Ray worker (or its node) running this run died before it ended — killed, out "
            f"of memory, or its machine left the cluster. Not retried. Ray said: {first_line(exc)}"
        )
        kind = "WorkerDied"
    else:
        message = f"The run's Ray task failed: {first_line(exc)}"
        kind = type(exc).__name__
    return {
        "error_type": kind,
        "message": message,
        "traceback": "".join(traceback.format_exception_only(type(exc), exc))[-4000:],
        "duration_s": round(time.monotonic() - started, 2),
    }


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def main(argv: list[str]) -> int:
    run_dir = Path(argv[0]).resolve()
    driver = Driver(run_dir)
    signal.signal(signal.SIGUSR1, driver.on_signal)
    signal.signal(signal.SIGTERM, driver.on_signal)
    try:
        return driver.run()
    except BaseException as exc:  # noqa: BLE001 — every failure must become an event
        traceback.print_exc()
        if driver.cancelled():
            # Asked to stop, and the cluster went first (a sweep's `local` Ray shut down
            # under it): the run was cancelled, not failed.
            from tui_dl.engine.jobs.launch import EXIT_CANCELLED

            append_event(run_dir, Event.CANCELLED, by="request", forced=True)
            return EXIT_CANCELLED
        append_event(run_dir, Event.FAILED, error_type=type(exc).__name__, traceback="",
                     message=f"The run's driver stopped: {type(exc).__name__}: {exc}")  # fmt: skip
        return 1
    finally:
        shutdown()


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    import os

    os._exit(code)
