"""Where runs execute: this machine's child processes (the default, `tui_dl.engine.jobs`),
or a Ray cluster (`pip install -e '.[cluster]'`).

On Ray a run is still a run folder with a process of its own on the machine that launched
it — a small driver (driver.py) that submits the run as one Ray task, drains the task's
events into the folder's `events.jsonl` as they come, and writes back the artifacts when it
ends — so every screen, `tui-dl runs`, the sweep and the class view read it as any run.
Ray is imported only here, and only when a cluster is asked for.
"""

from __future__ import annotations

import re

LOCAL = "local"
AUTO = "auto"
ADDRESS_ENV = "TUI_DL_RAY_ADDRESS"
"""A running Ray to join instead of starting one (a sweep's driver sets it for its cells)."""
INSTALL = "Ray is not installed: pip install -e '.[cluster]' (the cluster extra)"
_HOST_PORT = re.compile(r"^(ray://)?[A-Za-z0-9.\-_\[\]:]+:\d{1,5}$")


def check_address(address: str) -> str:
    """`local`, `auto`, `ray://HOST:PORT` or `HOST:PORT`; ValueError otherwise."""
    address = address.strip()
    if address in (LOCAL, AUTO) or _HOST_PORT.match(address):
        return address
    raise ValueError(
        f"cluster {address!r}: use local (a Ray on this machine), auto (the cluster this "
        "machine belongs to) or ray://HOST:PORT"
    )


def ray_module():
    """Ray, or RuntimeError saying which extra to install."""
    try:
        import ray
    except ImportError:
        raise RuntimeError(INSTALL) from None
    return ray


def resources(device: str, gpu_share: float | None) -> dict[str, float]:
    """What one run asks the scheduler for: a CPU, or a GPU (or a share of one)."""
    if device == "cpu":
        return {"num_cpus": 1.0, "num_gpus": 0.0}
    share = 1.0 if gpu_share is None else gpu_share
    if not 0 < share <= 1:
        raise ValueError(f"--gpu-share {share:g}: a share of one GPU, above 0 and at most 1")
    return {"num_cpus": 1.0, "num_gpus": share}


def shutdown() -> None:
    """Leave the cluster (and stop the Ray this process started, for `local`): no Ray
    process outlives the run or the sweep that needed it."""
    import sys

    ray = sys.modules.get("ray")
    if ray is not None and ray.is_initialized():
        try:
            ray.shutdown()
        except Exception:  # noqa: BLE001 — leaving is best effort; the run has its last word
            pass
