"""Talking to the internet: a quick "are we online?" probe and Keras-cached downloads.

Classrooms and CI machines are often offline, and a learner should hear so in a second, not
after a long socket timeout or a Keras traceback. So every download is gated by `is_online`,
and Keras (which drags in TensorFlow) is imported only once a download really starts.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

from tui_dl import paths
from tui_dl.data.registry import Dataset, DatasetUnavailable

PROBE_HOST = ("storage.googleapis.com", 443)

_online: bool | None = None


def is_online(timeout: float = 2.0) -> bool:
    """Whether the Keras dataset host answers a TCP connect; cached for the process.

    `TUI_DL_OFFLINE=1` forces False (tests, metered links). The probe runs in a daemon thread
    so that a hanging DNS lookup, which ignores socket timeouts, still costs at most `timeout`.
    """
    global _online
    if os.environ.get("TUI_DL_OFFLINE", "").strip() not in ("", "0"):
        return False
    if _online is None:
        result: list[bool] = []

        def probe() -> None:
            try:
                with socket.create_connection(PROBE_HOST, timeout=timeout):
                    result.append(True)
            except OSError:
                result.append(False)

        thread = threading.Thread(target=probe, name="tui-dl-online-probe", daemon=True)
        thread.start()
        thread.join(timeout)
        _online = bool(result and result[0])
    return _online


def offline_error(dataset: Dataset) -> DatasetUnavailable:
    """The error for "not here, and no internet to fetch it"."""
    sample = dataset.offline_sample
    partial = f" (only its {sample.count} offline sample is)" if sample else ""
    what = f"The full {dataset.title} dataset is"
    if dataset.downloads and all(d.cache_subdir == "models" for d in dataset.downloads):
        what = f"The file {dataset.downloads[0].fname} ({dataset.title}) is"
    return DatasetUnavailable(
        f"{what} not on this machine{partial}, and there is no internet connection to download it.",
        dataset.name,
    )


def download(dataset: Dataset) -> list[Path]:
    """Fetch every file of `dataset` into the Keras cache, with Keras's progress bar.

    Files already cached (and matching their hash) are not fetched again. Raises
    `DatasetUnavailable` when offline or when the download fails.
    """
    if not dataset.downloads:
        raise DatasetUnavailable(f"{dataset.title} has no download source.", dataset.name)
    if not is_online():
        raise offline_error(dataset)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from keras.utils import get_file  # lazy: importing Keras starts TensorFlow (~5 s)

    keras_home = paths.keras_cache_dir().parent
    keras_home.mkdir(parents=True, exist_ok=True)
    fetched = []
    for item in dataset.downloads:
        try:
            path = get_file(
                item.fname,
                origin=item.origin,
                file_hash=item.file_hash,
                cache_dir=str(keras_home),
                cache_subdir=item.cache_subdir,
            )
        except Exception as exc:  # Keras wraps HTTP, URL and hash errors in several types
            raise DatasetUnavailable(
                f"Downloading {item.origin} failed ({type(exc).__name__}: {exc}).",
                dataset.name,
            ) from exc
        fetched.append(Path(path))
    return fetched
