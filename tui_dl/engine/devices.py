"""Which device a run trains on, decided before TensorFlow starts.

The app lists GPUs with `nvidia-smi` (importing TF to ask would cost seconds and hundreds
of MB in the UI); the choice reaches the child through its environment, because TF
refuses device settings once its runtime is up.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class Gpu:
    index: int
    name: str
    memory_mib: int

    @property
    def label(self) -> str:
        return f"GPU {self.index}: {self.name} ({self.memory_mib / 1024:.0f} GiB)"


def list_gpus(timeout: float = 3.0) -> list[Gpu]:
    """GPUs `nvidia-smi` reports; empty when there is no driver or no GPU."""
    exe = shutil.which("nvidia-smi")
    if not exe:
        return []
    try:
        out = subprocess.run(
            [exe, "--query-gpu=index,name,memory.total", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    gpus = []
    for line in out.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) == 3 and parts[0].isdigit():
            memory = int(float(parts[2])) if parts[2].replace(".", "").isdigit() else 0
            gpus.append(Gpu(int(parts[0]), parts[1], memory))
    return gpus


def normalise_device(text: str) -> str:
    """'cpu', 'gpu' or 'gpu:N' (also 'GPU 1', 'cuda:0') → 'cpu' or 'gpu:N'."""
    value = text.strip().lower().replace(" ", ":").replace("cuda", "gpu")
    if value == "cpu":
        return "cpu"
    if value == "gpu":
        return "gpu:0"
    if value.startswith("gpu:") and value[4:].isdigit():
        return f"gpu:{int(value[4:])}"
    raise ValueError(f"device {text!r}: use cpu, gpu or gpu:N")


def device_env(device: str) -> dict[str, str]:
    """Environment for a child that must use exactly this device."""
    env = {"TF_CPP_MIN_LOG_LEVEL": "2"}
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = "-1"
    else:
        env["CUDA_VISIBLE_DEVICES"] = device.split(":", 1)[1]
        env["TF_FORCE_GPU_ALLOW_GROWTH"] = "true"
    return env
