"""The GPUs' own numbers, live, through NVIDIA's NVML (`nvidia-ml-py`, imported as pynvml):
memory used and total, utilisation, and how much each process holds.

NVML is a C library of the driver, read through ctypes: no TensorFlow, a few milliseconds a
reading, so the app may poll it. Where there is no driver or no GPU, `read_gpus` says why in
a sentence instead.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {"ready": False, "problem": None}


@dataclass(frozen=True)
class GpuStats:
    index: int
    name: str
    memory_used_mib: float
    memory_total_mib: float
    utilisation: int
    """Percent of the last sample period the GPU was busy."""
    processes: dict[int, float] = field(default_factory=dict)
    """pid → MiB that process holds on this GPU (where the driver tells)."""

    @property
    def line(self) -> str:
        used, total = self.memory_used_mib / 1024, self.memory_total_mib / 1024
        busy = f"{self.utilisation} % busy"
        return f"GPU {self.index} {self.name}: {used:.1f} of {total:.0f} GiB · {busy}"


def _init() -> Any:
    """pynvml, initialised once; raises RuntimeError saying why there is none."""
    with _LOCK:
        if _STATE["problem"]:
            raise RuntimeError(_STATE["problem"])
        try:
            import pynvml
        except ImportError:
            _STATE["problem"] = "No GPU stats: nvidia-ml-py is not installed"
            raise RuntimeError(_STATE["problem"]) from None
        if not _STATE["ready"]:
            try:
                pynvml.nvmlInit()
            except pynvml.NVMLError as exc:
                _STATE["problem"] = f"No GPU here: {_init_problem(pynvml, exc)}"
                raise RuntimeError(_STATE["problem"]) from None
            _STATE["ready"] = True
        return pynvml


def _init_problem(nvml: Any, exc: Exception) -> str:
    known = {
        "NVML_ERROR_LIBRARY_NOT_FOUND": "no NVIDIA driver",
        "NVML_ERROR_DRIVER_NOT_LOADED": "the NVIDIA driver is not loaded",
        "NVML_ERROR_NO_PERMISSION": "no permission to read the GPUs",
    }
    code = getattr(exc, "value", None)
    for name, words in known.items():
        if code is not None and code == getattr(nvml, name, object()):
            return words
    return _reason(exc)


def _reason(exc: BaseException) -> str:
    return str(exc).strip() or type(exc).__name__


def read_gpus() -> list[GpuStats] | str:
    """Every GPU's numbers now, or one sentence saying why there are none."""
    try:
        nvml = _init()
        count = nvml.nvmlDeviceGetCount()
    except RuntimeError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 — NVML errors are many; each is a sentence
        return f"The GPUs could not be read: {_reason(exc)}"
    if not count:
        return "No GPU here: the driver sees none"
    stats = []
    for index in range(count):
        try:
            stats.append(_read_one(nvml, index))
        except Exception as exc:  # noqa: BLE001
            return f"GPU {index} could not be read: {_reason(exc)}"
    return stats


def _read_one(nvml: Any, index: int) -> GpuStats:
    handle = nvml.nvmlDeviceGetHandleByIndex(index)
    name = nvml.nvmlDeviceGetName(handle)
    if isinstance(name, bytes):
        name = name.decode()
    memory = nvml.nvmlDeviceGetMemoryInfo(handle)
    try:
        busy = int(nvml.nvmlDeviceGetUtilizationRates(handle).gpu)
    except nvml.NVMLError:
        busy = 0
    processes: dict[int, float] = {}
    try:
        for proc in nvml.nvmlDeviceGetComputeRunningProcesses(handle):
            used = getattr(proc, "usedGpuMemory", None)
            if isinstance(used, int):
                processes[int(proc.pid)] = used / 2**20
    except nvml.NVMLError:
        pass
    return GpuStats(index, str(name), memory.used / 2**20, memory.total / 2**20, busy, processes)


def gpu_memory_total_mib(index: int) -> int | None:
    """One GPU's memory (NVML, else nvidia-smi), or None when there is no such GPU."""
    stats = read_gpus()
    if isinstance(stats, list):
        for gpu in stats:
            if gpu.index == index:
                return int(gpu.memory_total_mib)
        return None
    from tui_dl.engine.devices import list_gpus

    return next((g.memory_mib for g in list_gpus() if g.index == index), None)


def run_line(device: str, pids: set[int] | None = None) -> str:
    """One line for a run's panel: its GPU's memory and load (and what the run holds), or why
    there is nothing to show."""
    stats = read_gpus()
    if isinstance(stats, str):
        return stats
    if device == "cpu":
        busy = " · ".join(f"GPU {g.index} {g.utilisation} %" for g in stats)
        return f"this run is on the CPU ({busy})"
    index = int(device.partition(":")[2] or 0)
    gpu = next((g for g in stats if g.index == index), None)
    if gpu is None:
        return f"GPU {index}: not on this machine ({len(stats)} GPU here)"
    line = gpu.line
    mine = sum(mib for pid, mib in gpu.processes.items() if pids and pid in pids)
    if mine:
        line += f" · this run {mine / 1024:.1f} GiB"
    return line
