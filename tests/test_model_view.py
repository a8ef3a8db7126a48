"""The model, layer by layer, without TensorFlow: its summary file checked, the model view from
fake run folders (a nested base opened and closed, runs with no model refused by name, a
damaged summary said), `tui-dl model RUN [--json]`, and snapshots at 80×24 and 200×60.
(The counts against Keras's own: tests/test_model_summary.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes import FakeRun, FakeRunSource, mnist_events, settle
from tests.fit import screen_text
from tui_dl.analysis.artifacts import UnreadableArtifact
from tui_dl.analysis.layers.summary import (
    ModelSummary,
    load_summary,
    nested,
    save_summary,
    visible,
)
from tui_dl.engine import runfiles
from tui_dl.engine.events import JOB_EVENTS, Event, make_event
from tui_dl.ui.app import make_app

RUN = "20261122-101500-my-images-a1b2"
MLP = "20261122-090000-mnist-mlp-c3d4"
KFOLD = "20261122-080000-votes-kfold-e5f6"


def row(name: str, kind: str, shape: str, trainable: int, frozen: int, depth: int = 0) -> dict:
    return {"name": name, "type": kind, "shape": shape, "trainable": trainable,
            "frozen": frozen, "depth": depth}  # fmt: skip


def my_images_summary() -> ModelSummary:
    """A my-images model: a frozen MobileNetV2 base (a few of its layers) under a new head."""
    return {
        "model": "functional",
        "type": "Functional",
        "trainable": 3_843,
        "frozen": 2_257_984,
        "layers": [
            row("input_layer_1", "InputLayer", "(None, 96, 96, 3)", 0, 0),
            row("mobilenetv2_1.00_96", "Functional", "(None, 3, 3, 1280)", 0, 2_257_984),
            row("input_layer", "InputLayer", "(None, 96, 96, 3)", 0, 0, 1),
            row("Conv1", "Conv2D", "(None, 48, 48, 32)", 0, 864, 1),
            row("bn_Conv1", "BatchNormalization", "(None, 48, 48, 32)", 0, 128, 1),
            row("Conv_1", "Conv2D", "(None, 3, 3, 1280)", 0, 2_251_872, 1),
            row("Conv_1_bn", "BatchNormalization", "(None, 3, 3, 1280)", 0, 5_120, 1),
            row("global_average_pooling2d", "GlobalAveragePooling2D", "(None, 1280)", 0, 0),
            row("dropout", "Dropout", "(None, 1280)", 0, 0),
            row("dense", "Dense", "(None, 3)", 3_843, 0),
        ],
        "source": "model.keras",
        "note": "",
    }


def mlp_summary() -> ModelSummary:
    return {
        "model": "sequential",
        "type": "Sequential",
        "trainable": 101_770,
        "frozen": 0,
        "layers": [
            row("dense", "Dense", "(None, 128)", 100_480, 0),
            row("dropout", "Dropout", "(None, 128)", 0, 0),
            row("dense_1", "Dense", "(None, 10)", 1_290, 0),
        ],
        "source": "model.keras",
        "note": "",
    }


def finished(run_id: str, folder: Path, experiment: str = "my-images", **params) -> FakeRun:
    folder.mkdir(parents=True, exist_ok=True)
    return FakeRun(run_id, mnist_events(2, 2, end="finished"), params=params,
                   experiment=experiment, run_dir=folder)  # fmt: skip


def runs(tmp_path: Path) -> list[FakeRun]:
    images = finished(RUN, tmp_path / RUN)
    save_summary(images.run_dir, my_images_summary())
    mlp = finished(MLP, tmp_path / MLP, "mnist-mlp")
    save_summary(mlp.run_dir, mlp_summary())
    kfold = finished(KFOLD, tmp_path / KFOLD, "votes-kfold", k=5)
    return [images, mlp, kfold]


# ----- the file ----------------------------------------------------------------------------
def test_a_summary_is_read_back_and_its_nested_model_opens(tmp_path):
    summary = my_images_summary()
    save_summary(tmp_path, summary)
    assert load_summary(tmp_path) == summary
    assert nested(summary) == [1]
    assert visible(summary, set()) == [0, 1, 7, 8, 9]  # the base closed: one row
    assert visible(summary, {1}) == list(range(10))
    assert visible(summary) == list(range(10))


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda s: s.update(trainable=3_844), "its total says 3,844"),
        (lambda s: s["layers"][9].update(frozen=-1), "negative"),
        (lambda s: s["layers"][0].update(depth=1), "sits inside no model"),
        (lambda s: s.pop("layers"), "layers: missing"),
        (lambda s: s["layers"][3].update(trainable="864"), "layers"),
    ],
)
def test_a_summary_whose_numbers_do_not_agree_is_unreadable(tmp_path, damage, words):
    summary: dict = dict(my_images_summary())
    summary["layers"] = [dict(r) for r in summary["layers"]]
    damage(summary)
    (tmp_path / runfiles.MODEL_SUMMARY).write_text(json.dumps(summary))
    with pytest.raises(UnreadableArtifact, match=words):
        load_summary(tmp_path)


# ----- the view ----------------------------------------------------------------------------
async def open_model(pilot, run_id: str) -> None:
    pilot.app.open_insight("model", run_id)
    await settle(pilot)


async def test_the_view_shows_the_layers_and_opens_the_frozen_base(tmp_path):
    from tui_dl.ui.screens.run_views.model import ModelScreen

    app = make_app(source=FakeRunSource(runs(tmp_path)))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_model(pilot, RUN)
        screen = app.screen
        assert isinstance(screen, ModelScreen)
        text = screen_text(app)
        assert "2,261,827 parameters, 3,843 trainable, 2,257,984 frozen" in text
        assert "▸ mobilenetv2_1.00_96" in text and "Conv1 " not in text  # closed
        await pilot.press("down", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "▾ mobilenetv2_1.00_96" in text and "bn_Conv1" in text
        assert "(48, 48, 32)" in text  # a shape per example
        words = " ".join(text.split())
        assert "Functional of 5 layers" in words and "99.8 % of the model" in words
        await pilot.press("down", "down", "enter")  # inside the base: closes it
        await settle(pilot)
        assert "bn_Conv1" not in screen_text(app) and screen.rows[screen.cursor] == 1
        await pilot.press("e")
        await settle(pilot)
        assert "Conv_1_bn" in screen_text(app)


@pytest.mark.parametrize(
    ("run_id", "words"),
    [
        (KFOLD, "votes-kfold k-fold run: it trained a fresh model on each of its 5 folds and "),
        ("20261122-070000-mnist-mlp-0fa1", "is failed: it saved no model"),
        ("20261122-060000-mnist-mlp-0fa2", f"has no {runfiles.MODEL} in its folder"),
        ("20261122-050000-fashion-vae-0fa3", "keeps no Keras model"),
    ],
)
async def test_a_run_with_no_model_is_refused_by_name(tmp_path, run_id, words):
    found = runs(tmp_path)
    found.append(FakeRun("20261122-070000-mnist-mlp-0fa1", mnist_events(0, end="failed")))
    found.append(finished("20261122-060000-mnist-mlp-0fa2", tmp_path / "empty", "mnist-mlp"))
    found.append(finished("20261122-050000-fashion-vae-0fa3", tmp_path / "vae", "fashion-vae"))
    source = FakeRunSource(found)
    app = make_app(source=source)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_model(pilot, run_id)
        text = " ".join(screen_text(app).split())
        assert f"run {run_id}" in text and " ".join(words.split()) in text
        assert source.jobs == []  # refused before any job


async def test_a_damaged_summary_is_said_and_the_view_stays(tmp_path):
    found = runs(tmp_path)
    summary = json.loads((tmp_path / RUN / runfiles.MODEL_SUMMARY).read_text())
    summary["frozen"] = 7
    (tmp_path / RUN / runfiles.MODEL_SUMMARY).write_text(json.dumps(summary))
    app = make_app(source=FakeRunSource(found))
    async with app.run_test(size=(120, 30)) as pilot:
        await open_model(pilot, RUN)
        await pilot.press("down", "enter", "e", "up")
        text = " ".join(screen_text(app).split())
        assert "unreadable: model-summary.json" in text and "its total says 7" in text


async def test_an_older_run_has_its_layers_counted_by_a_job(tmp_path):
    older = finished(MLP, tmp_path / MLP, "mnist-mlp")
    (older.run_dir / runfiles.MODEL).write_bytes(b"a model")
    source = FakeRunSource([older])
    source.job_events = [make_event(Event.FINISHED, JOB_EVENTS, artifact=runfiles.MODEL_SUMMARY)]
    app = make_app(source=source)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_model(pilot, MLP)
        assert source.jobs == [(MLP, "model", {})]
        await settle(pilot, 0.5)
        assert "left no summary" in screen_text(app)  # the fake job wrote none
        save_summary(older.run_dir, mlp_summary())
        app.screen.load()
        await settle(pilot)
        assert "101,770 parameters" in screen_text(app) and len(source.jobs) == 1


async def test_capital_m_opens_the_model_from_runs_and_the_lab(tmp_path):
    from tui_dl.ui.screens.run_views.model import ModelScreen

    app = make_app(source=FakeRunSource(runs(tmp_path)), screen="runs")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")  # the mnist-mlp run (the newest first)
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, ModelScreen) and app.screen.run_id == MLP
        assert "101,770 parameters" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        app.open_run(MLP)
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, ModelScreen) and app.screen.run_id == MLP


def test_the_command_prints_the_table_and_json_and_refuses_by_name(tmp_path, capsys):
    from tui_dl.cli import main
    from tui_dl.engine.store import RunStore

    store = RunStore()
    images = store.create({"experiment": "my-images", "params": {}, "device": "cpu"})
    kfold = store.create({"experiment": "votes-kfold", "params": {"k": 4}, "device": "cpu"})
    for folder in (images, kfold):
        with (folder / runfiles.EVENTS).open("w") as out:
            out.writelines(json.dumps(e) + "\n" for e in mnist_events(2, 2, end="finished"))
    save_summary(images, my_images_summary())
    assert main(["model", images.name, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["run"] == images.name and printed["total"] == 2_261_827
    assert printed["frozen"] == 2_257_984 and len(printed["layers"]) == 10
    assert main(["model", images.name]) == 0
    out = capsys.readouterr().out
    assert "2,261,827 parameters" in out and "bn_Conv1" in out  # every layer, nested too
    assert main(["model", kfold.name]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"run {kfold.name} is a votes-kfold k-fold run" in err and "its 4 folds" in err
    (images / runfiles.MODEL_SUMMARY).write_text('{"model": "x"}')
    assert main(["model", images.name]) == 1
    assert "cannot be read" in capsys.readouterr().err
    assert main(["model", "no-such-run"]) == 2


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_the_model_view(snap_compare, tmp_path, size):
    async def opened(pilot):
        await open_model(pilot, RUN)
        await pilot.press("down", "enter", "down", "down")
        await settle(pilot)

    app = make_app(source=FakeRunSource(runs(tmp_path)))  # no path is shown
    assert snap_compare(app, terminal_size=size, run_before=opened)


async def test_at_80x24_only_long_names_end_in_an_ellipsis_and_the_picked_one_is_whole(tmp_path):
    from tests.fit import cuts

    app = make_app(source=FakeRunSource(runs(tmp_path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_model(pilot, RUN)
        await pilot.press("down", "enter")
        await settle(pilot)
        # A long name or type ends in "…" in its cell (MobileNetV2's rows need ~100
        # columns); the picked layer is written whole under the table.
        found = cuts(app)
        assert [c for c in found if not c.startswith("Static#model-table: cut at 80")] == []
        words = " ".join(screen_text(app).split())
        assert "▾ mobilenetv2_…" in words
        assert "mobilenetv2_1.00_96 · Functional of 5 layers" in words


async def test_a_model_zoo_run_has_its_network_counted_by_the_job_and_m_offers_it(tmp_path):
    zoo = finished("20261122-040000-transfer-imagenet-0fa4", tmp_path / "zoo",
                   "transfer-imagenet", model="mobilenetv2")  # fmt: skip
    source = FakeRunSource([zoo])
    app = make_app(source=source, screen="runs")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert app.screen.check_action("insight", ("model",))
        await pilot.press("M")
        await settle(pilot)
        assert source.jobs == [(zoo.run_id, "model", {})]  # no model.keras: built by name


async def test_a_layer_named_like_markup_is_shown_as_written(tmp_path):
    found = runs(tmp_path)
    summary = mlp_summary()
    summary["layers"][0]["name"] = "[/]dense[b]x"
    summary["model"] = "[red]net"
    save_summary(tmp_path / MLP, summary)
    app = make_app(source=FakeRunSource(found))
    async with app.run_test(size=(120, 30)) as pilot:
        await open_model(pilot, MLP)
        text = screen_text(app)
        assert "[red]net (Sequential)" in text and "[/]dense[b]x" in text
