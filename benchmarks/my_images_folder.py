"""How fast a learner's folder of pictures is scanned and loaded (tui_dl/data/my_images).

Makes a folder of N pictures in three classes (by default 2,000: two thirds photo-sized JPEG
files, 640×480, one third 256×256 PNG files), then times, alternated, median of `--repeats`:
- the scan (`scan_folder`: format by content, decode check, sha256, in threads) against the
  least any scan does, a plain loop of `Image.open(path).size` and `hashlib.file_digest`, and
  against itself in one thread;
- the load at 224×224 (`load_images`) against a plain loop of
  `Image.open(path).convert("RGB").resize((224, 224))` into a float32 array.

    PYTHONPATH=. .venv/bin/python benchmarks/my_images_folder.py [--pictures 2000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image


def make_folder(root: Path, pictures: int) -> list[Path]:
    rng = np.random.default_rng(0)
    ramp = np.linspace(0, 200, 640, dtype=np.float32)
    paths = []
    for i in range(pictures):
        label = ("cats", "dogs", "birds")[i % 3]
        (root / label).mkdir(exist_ok=True)
        if i % 3 == 2:
            pixels = rng.integers(0, 60, (256, 256, 3)) + ramp[None, :256, None]
            path = root / label / f"{i:05d}.png"
        else:
            pixels = rng.integers(0, 60, (480, 640, 3)) + ramp[None, :, None]
            path = root / label / f"{i:05d}.jpg"
        Image.fromarray(pixels.astype(np.uint8)).save(path)
        paths.append(path)
    return paths


def plain_scan(paths: list[Path]) -> None:
    for path in paths:
        with Image.open(path) as image:
            _ = image.size
        with open(path, "rb") as f:
            hashlib.file_digest(f, "sha256")


def plain_load(paths: list[Path]) -> np.ndarray:
    out = np.empty((len(paths), 224, 224, 3), np.float32)
    for i, path in enumerate(paths):
        with Image.open(path) as image:
            out[i] = np.asarray(image.convert("RGB").resize((224, 224)), np.float32)
    return out


def timed(function: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from tui_dl.data.my_images.load import load_images
    from tui_dl.data.my_images.progress import WORKERS
    from tui_dl.data.my_images.scan import scan_folder

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = make_folder(root, args.pictures)
        loaded = paths[: min(len(paths), 300)]
        names = ("scan", "scan, 1 thread", "plain scan", "load", "plain load")
        times: dict[str, list[float]] = {k: [] for k in names}
        for _ in range(args.repeats):
            times["plain scan"].append(timed(plain_scan, paths))
            times["scan"].append(timed(scan_folder, root))
            times["scan, 1 thread"].append(timed(lambda: scan_folder(root, workers=1)))
            times["plain load"].append(timed(plain_load, loaded))
            times["load"].append(timed(load_images, loaded, (224, 224)))
    median = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"load average {os.getloadavg()[0]:.2f}; {args.pictures} pictures, "
        f"{len(loaded)} loaded at 224×224, median of {args.repeats}"
    )
    threaded = median["scan"] / median["scan, 1 thread"]
    print(f"scan in {WORKERS} threads against 1: {threaded:.2f}")
    for name in ("scan", "load"):
        n = args.pictures if name == "scan" else len(loaded)
        ours, plain = median[name], median[f"plain {name}"]
        print(
            f"{name:5} {ours:6.2f} s ({n / ours:6.0f}/s)   plain {plain:6.2f} s "
            f"({n / plain:6.0f}/s)   ours/plain {ours / plain:4.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
