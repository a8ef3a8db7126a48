"""The feature cache: the frozen base's features of every picture, kept in the run folder.

`features.npz` holds the features with the files (paths inside the folder) and their sha256
in the same order, and the base they came from as a JSON key. It is believed only when all of
it matches the folder as scanned now and the base as built now; a later run on the same folder
with the same base finds the newest such cache among the learner's own runs and reuses it.
Numpy only: a test (or a screen) can check a cache without TensorFlow.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from tui_dl.analysis.artifacts import UnreadableArtifact, check_array, open_npz, save_npz
from tui_dl.data.my_images.scan import Folder
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event
from tui_dl.engine.trust.files import is_mine

LOOKED_AT = 20
"""How many of the newest runs are searched for a cache to reuse."""


def cache_problem(path: Path, key: dict[str, Any], folder: Folder) -> str | None:
    """Why `path` cannot stand for this folder's features through this base (None: it can)."""
    try:
        data = open_npz(path, ("features", "files", "sha256", "key"))
        features = check_array("features", data["features"], "f", 2)
        files = check_array("files", data["files"], "U", 1, len(features))
        hashes = check_array("sha256", data["sha256"], "U", 1, len(features))
    except FileNotFoundError:
        return "no cache"
    except UnreadableArtifact as exc:
        return f"unreadable ({exc})"
    if str(data["key"]) != json.dumps(key, sort_keys=True):
        return "made by another base or size"
    if files.tolist() != [i.relative for i in folder.images]:
        return f"the folder's files changed ({len(files):,} then, {len(folder.images):,} now)"
    changed = sum(a != b.sha256 for a, b in zip(hashes.tolist(), folder.images, strict=True))
    if changed:
        return f"the folder changed: {changed} picture{'s' if changed > 1 else ''} differ"
    return None


def save_cache(path: Path, features: np.ndarray, key: dict[str, Any], folder: Folder) -> None:
    save_npz(
        path,
        features=features.astype(np.float32),
        files=np.array([i.relative for i in folder.images]),
        sha256=np.array([i.sha256 for i in folder.images]),
        key=np.array(json.dumps(key, sort_keys=True)),
    )


def reusable(run_dir: Path, key: dict[str, Any], folder: Folder, emit) -> Path | None:
    """The newest of the learner's own runs' caches that fits, copied into this run; each
    one that was looked at and did not fit is said (why), so a learner sees the cache work."""
    runs = sorted((p for p in run_dir.parent.iterdir() if p != run_dir), reverse=True)
    for other in runs[:LOOKED_AT]:
        cached = other / runfiles.FEATURES
        if not cached.is_file() or not is_mine(other) or not is_mine(cached):
            continue
        problem = cache_problem(cached, key, folder)
        if problem is None:
            shutil.copyfile(cached, run_dir / runfiles.FEATURES)
            return other
        emit(Event.PHASE, phase=f"cached features of run {other.name} not used: {problem}")
    return None
