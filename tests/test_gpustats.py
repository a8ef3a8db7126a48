"""GPU numbers through NVML: read from a stand-in for the driver's library (no GPU here),
and the one line a run's panel shows, with a GPU and without."""

from __future__ import annotations

import sys
import types
from types import SimpleNamespace

import pytest

from tui_dl.engine import gpustats


@pytest.fixture(autouse=True)
def fresh_nvml(monkeypatch):
    monkeypatch.setattr(gpustats, "_STATE", {"ready": False, "problem": None})


def fake_nvml(monkeypatch, init_error: int | None = None) -> types.ModuleType:
    nvml = types.ModuleType("pynvml")

    class NVMLError(Exception):
        def __init__(self, value: int) -> None:
            super().__init__(f"NVML error {value}")
            self.value = value

    nvml.NVMLError = NVMLError
    nvml.NVML_ERROR_LIBRARY_NOT_FOUND = 12
    nvml.NVML_ERROR_DRIVER_NOT_LOADED = 9

    def init() -> None:
        if init_error is not None:
            raise NVMLError(init_error)

    gib = 2**30
    nvml.nvmlInit = init
    nvml.nvmlDeviceGetCount = lambda: 2
    nvml.nvmlDeviceGetHandleByIndex = lambda i: i
    nvml.nvmlDeviceGetName = lambda h: b"NVIDIA H200" if h == 0 else "NVIDIA L4"
    nvml.nvmlDeviceGetMemoryInfo = lambda h: SimpleNamespace(used=(30 + h) * gib, total=141 * gib)
    nvml.nvmlDeviceGetUtilizationRates = lambda h: SimpleNamespace(gpu=57 if h == 0 else 3)
    nvml.nvmlDeviceGetComputeRunningProcesses = lambda h: [
        SimpleNamespace(pid=4242, usedGpuMemory=3 * gib),
        SimpleNamespace(pid=77, usedGpuMemory=None),
    ]
    monkeypatch.setitem(sys.modules, "pynvml", nvml)
    return nvml


def test_every_gpu_read_with_what_each_process_holds(monkeypatch):
    fake_nvml(monkeypatch)
    first, second = gpustats.read_gpus()
    assert (first.name, first.memory_used_mib, first.utilisation) == ("NVIDIA H200", 30720, 57)
    assert first.processes == {4242: 3072.0}
    assert second.name == "NVIDIA L4"
    assert gpustats.gpu_memory_total_mib(1) == 141 * 1024
    line = gpustats.run_line("gpu:0", {4242})
    assert line == "GPU 0 NVIDIA H200: 30.0 of 141 GiB · 57 % busy · this run 3.0 GiB"
    assert gpustats.run_line("cpu") == "this run is on the CPU (GPU 0 57 % · GPU 1 3 %)"
    assert gpustats.run_line("gpu:5").startswith("GPU 5: not on this machine")


def test_no_driver_is_one_sentence_and_is_not_asked_again(monkeypatch):
    nvml = fake_nvml(monkeypatch, init_error=12)
    assert gpustats.read_gpus() == "No GPU here: no NVIDIA driver"
    nvml.nvmlInit = lambda: pytest.fail("asked again")
    assert gpustats.run_line("gpu:0") == "No GPU here: no NVIDIA driver"


def test_without_the_bindings_it_says_which_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", None)
    assert gpustats.read_gpus() == "No GPU stats: nvidia-ml-py is not installed"
