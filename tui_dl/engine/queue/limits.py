"""How many runs may train at once on each device, and how much GPU memory each may take.

From the most specific to the least: the environment (`TUI_DL_GPU_SLOTS`, `TUI_DL_CPU_SLOTS`,
`TUI_DL_GPU_MEMORY_MB`), the queue's `config.json` in the shared folder (what
`tui-dl serve --workshop` or `tui-dl queue set` wrote), then defaults: a GPU holds as many
runs as its memory has room for at the per-run limit (4 GiB: every course model fits), and
the CPU as many as it has cores.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from tui_dl import paths
from tui_dl.engine.trust import Unreadable, owner_of, read_json

CONFIG = "config.json"
DEFAULT_GPU_MEMORY_MB = 4096
ENV = {
    "gpu_slots": "TUI_DL_GPU_SLOTS",
    "cpu_slots": "TUI_DL_CPU_SLOTS",
    "gpu_memory_mb": "TUI_DL_GPU_MEMORY_MB",
}


@dataclass(frozen=True)
class Limits:
    cpu_slots: int
    gpu_slots: int | None
    """None: from each GPU's memory (`gpu_slots_for`)."""
    gpu_memory_mb: int
    """The memory limit TensorFlow is given in each GPU run's child."""

    def slots(self, device: str, gpu_memory_mib: int | None = None) -> int:
        """Slots of `device` ('cpu' or 'gpuN'); the GPU's total memory decides by default."""
        if device == "cpu":
            return self.cpu_slots
        if self.gpu_slots is not None:
            return self.gpu_slots
        if not gpu_memory_mib:
            return 1
        return max(1, gpu_memory_mib // self.gpu_memory_mb)


def device_key(device: str) -> str:
    """A run's device as the queue names it: 'cpu' → 'cpu', 'gpu:1' → 'gpu1'."""
    return "cpu" if device == "cpu" else "gpu" + device.partition(":")[2]


def _positive(value: object, what: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not a whole number") from None
    if number < 1:
        raise ValueError(f"{what}: {number} — at least 1")
    return number


def read_config(folder: Path | None = None) -> dict[str, int]:
    """The limits kept in the folder; in a workshop only the instructor's file counts (the
    queue's folder is shared: a learner's config.json there is ignored)."""
    path = (folder or paths.queue_dir()) / CONFIG
    if paths.workshop() is not None:
        from tui_dl.engine.workshop.folder import instructor_uid

        if owner_of(path) != instructor_uid():
            return {}
    try:
        data = read_json(path, 65536)
    except Unreadable:
        return {}
    if not isinstance(data, dict):
        return {}
    out = {}
    for key in ENV:
        try:
            value = _positive(data.get(key), key)
        except ValueError:
            continue  # a hand-edited file: that entry is ignored, the rest holds
        if value is not None:
            out[key] = value
    return out


def write_config(folder: Path | None = None, **values: int | None) -> dict[str, int]:
    """Keep limits for every process on this folder (None removes one). Returns the file.
    In a workshop only the instructor may (PermissionError)."""
    if paths.workshop() is not None:
        from tui_dl.engine.workshop.folder import is_instructor

        if not is_instructor():
            raise PermissionError("only the workshop's instructor sets the queue's limits")
    folder = folder or paths.queue_dir()
    config = read_config(folder)
    for key, value in values.items():
        if key not in ENV:
            raise ValueError(f"no queue setting {key!r}; choose from {', '.join(ENV)}")
        number = _positive(value, key)
        if number is None:
            config.pop(key, None)
        else:
            config[key] = number
    paths.write_atomic(folder / CONFIG, json.dumps(config, indent=1) + "\n")
    return config


def limits(folder: Path | None = None) -> Limits:
    """The limits in force for this process (the environment wins over the file)."""
    merged: dict[str, int | None] = dict(read_config(folder))
    for key, name in ENV.items():
        value = _positive(os.environ.get(name), name)
        if value is not None:
            merged[key] = value
    return Limits(
        cpu_slots=merged.get("cpu_slots") or (os.cpu_count() or 1),
        gpu_slots=merged.get("gpu_slots"),
        gpu_memory_mb=merged.get("gpu_memory_mb") or DEFAULT_GPU_MEMORY_MB,
    )


def as_dict(limit: Limits) -> dict[str, int | None]:
    return asdict(limit)
