"""The activations view from a fake run folder with its activations file already written (no
TensorFlow): the input, a convolution's channels and a channel's kernels, a dense strip with
its strongest units named, ←→ reading an input seen before and asking a job for a new one, a
run with no model refused by name, a damaged file said."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.fakes import FakeRun, FakeRunSource, settle
from tests.fit import screen_text
from tests.test_model_view import finished
from tui_dl.analysis.activations.files import (
    Activations,
    LayerOutput,
    load_activations,
    save_activations,
)
from tui_dl.analysis.activations.files import test_image_file as file_of_test_image
from tui_dl.analysis.artifacts import UnreadableArtifact
from tui_dl.analysis.predictions import save_predictions
from tui_dl.engine import runfiles
from tui_dl.engine.events import JOB_EVENTS, Event, make_event
from tui_dl.engine.jobs.activations_bases import MAX_KEPT, flat_base, selection
from tui_dl.ui.app import make_app

RUN = "20261122-100000-mnist-cnn-a1b2"
MLP_NO_MODEL = "20261122-090000-mnist-mlp-c3d4"
KFOLD = "20261122-080000-votes-kfold-e5f6"
IMDB = "20261122-070000-imdb-lstm-a7b8"
CLASSES = [str(d) for d in range(10)]


def digit(index: int) -> np.ndarray:
    """A made-up 28×28 'digit': a ring, a bar or a cross."""
    y, x = np.mgrid[:28, :28]
    shapes = [
        np.abs(np.hypot(y - 14, x - 14) - 8) < 2.5,
        (np.abs(x - 14) < 3) & (y > 4) & (y < 24),
        (np.abs(x - y) < 2.5) | (np.abs(x + y - 27) < 2.5),
    ]
    return (shapes[index % 3] * 255).astype(np.uint8)


def made_up(index: int) -> Activations:
    """What the job would keep for test image `index` of a small CNN."""
    rng = np.random.default_rng(index)
    image = digit(index).astype(np.float32) / 255
    k1 = rng.normal(0, 0.5, (3, 3, 1, 4)).astype(np.float32)
    conv = np.stack([np.roll(image, c, axis=c % 2)[1:27, 1:27] * (c + 1) for c in range(4)], -1)
    pool = conv.reshape(13, 2, 13, 2, 4).max(axis=(1, 3))
    k2 = rng.normal(0, 0.3, (3, 3, 4, 3)).astype(np.float32)
    conv2 = np.stack([pool[1:12, 1:12].mean(-1) * (c + 1) for c in range(3)], -1)
    flat = conv2.reshape(-1)
    dense = np.maximum(0, np.sin(np.arange(64) * 0.7 + index) * 3)
    answer = np.full(10, 0.01)
    answer[[7, 2, 1][index % 3]] = 0.91
    layers = [
        LayerOutput("conv2d", "Conv2D", conv, k1),
        LayerOutput("max_pooling2d", "MaxPooling2D", pool),
        LayerOutput("conv2d_1", "Conv2D", conv2, k2),
        LayerOutput("flatten", "Flatten", flat),
        LayerOutput("dense", "Dense", dense),
        LayerOutput("dense_1", "Dense", answer),
    ]
    return Activations(f"test image #{index}", digit(index), layers)


def runs(tmp_path: Path) -> list[FakeRun]:
    cnn = finished(RUN, tmp_path / RUN, "mnist-cnn")
    (cnn.run_dir / runfiles.MODEL).write_bytes(b"a model")
    images = np.stack([digit(i) for i in range(3)])
    probabilities = np.stack([made_up(i).layers[-1].output for i in range(3)])
    save_predictions(cnn.run_dir, images, np.array([7, 2, 7]), probabilities, CLASSES)
    save_activations(cnn.run_dir, file_of_test_image(0), made_up(0))
    mlp = finished(MLP_NO_MODEL, tmp_path / MLP_NO_MODEL, "mnist-mlp")
    save_predictions(mlp.run_dir, images, np.array([7, 2, 1]), probabilities, CLASSES)
    kfold = finished(KFOLD, tmp_path / KFOLD, "votes-kfold", k=5)
    imdb = finished(IMDB, tmp_path / IMDB, "imdb-lstm")
    (imdb.run_dir / runfiles.MODEL).write_bytes(b"a model")
    return [cnn, mlp, kfold, imdb]


async def open_view(pilot, run_id: str = RUN) -> None:
    pilot.app.open_insight("activations", run_id)
    await settle(pilot)


def words(app) -> str:
    return " ".join(screen_text(app).split())


# ----- the file ----------------------------------------------------------------------------
def test_a_file_is_read_back_and_a_damaged_one_is_unreadable(tmp_path):
    save_activations(tmp_path, "test-0.npz", made_up(0))
    back = load_activations(tmp_path, "test-0.npz")
    assert [layer.name for layer in back.layers][:3] == ["conv2d", "max_pooling2d", "conv2d_1"]
    assert back.layers[0].kernel is not None and back.layers[0].channels == 4
    np.testing.assert_array_equal(back.image, digit(0))
    bad = made_up(0)
    wrong = LayerOutput("conv2d", "Conv2D", bad.layers[0].output, np.zeros((3, 3, 1, 5)))
    save_activations(tmp_path, "test-1.npz", Activations("x", digit(0), [wrong]))
    with pytest.raises(UnreadableArtifact, match="a kernel of 5 filters"):
        load_activations(tmp_path, "test-1.npz")
    nan = LayerOutput("dense", "Dense", np.array([1.0, np.nan]))
    save_activations(tmp_path, "test-2.npz", Activations("x", digit(0), [nan]))
    with pytest.raises(UnreadableArtifact, match="not finite"):
        load_activations(tmp_path, "test-2.npz")


# ----- the view ----------------------------------------------------------------------------
async def test_the_layers_channels_kernels_and_the_strip_are_shown(tmp_path):
    source = FakeRunSource(runs(tmp_path))
    app = make_app(source=source)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot)
        assert source.jobs == []  # the file was there: no job
        text = words(app)
        assert "test image #0 of 3 · true 7 · it said 7 (91.0 %)" in text
        assert "What the model was given" in text and "conv2d_1 11×11×3" in text
        await pilot.press("down", "down", "down")  # input → conv2d → pool → conv2d_1
        await settle(pilot)
        text = words(app)
        assert (
            "its 3 channels" in text and "channel 0's kernel: 3×3 weights on each of its 4" in text
        )
        assert "in 3" in text and "+" in text  # four grids, their weights written in (120 wide)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "channel 1's kernel" in words(app)
        await pilot.press("down", "down", "down")  # flatten → dense → dense_1, the answer
        await settle(pilot)
        text = words(app)
        assert "its 10 units" in text and "strongest: 7 0.91" in text


async def test_stepping_reads_a_seen_input_and_asks_a_job_for_a_new_one(tmp_path):
    found = runs(tmp_path)
    source = FakeRunSource(found)
    source.job_events = [make_event(Event.FINISHED, JOB_EVENTS, artifact="activations/test-1.npz")]
    app = make_app(source=source)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot)
        save_activations(found[0].run_dir, file_of_test_image(1), made_up(1))  # the job's work
        await pilot.press("right")
        await settle(pilot, 0.5)
        assert source.jobs == []  # written meanwhile: read, not computed
        assert "test image #1 of 3 · true 2" in words(app)
        await pilot.press("right")  # image 2: not computed yet
        await settle(pilot, 0.5)
        # One job, finished (the fake writes nothing): said, never started again and again.
        assert source.jobs == [(RUN, "activations", {"index": 2})]
        assert "The job finished but left no outputs" in words(app)
        save_activations(found[0].run_dir, file_of_test_image(2), made_up(2))
        await pilot.press("left", "right")
        await settle(pilot, 0.5)
        assert "test image #2 of 3" in words(app) and len(source.jobs) == 1
        await pilot.press("right")  # round to the first
        await settle(pilot, 0.5)
        assert len(source.jobs) == 1 and "test image #0 of 3" in words(app)


@pytest.mark.parametrize(
    ("run_id", "said"),
    [
        (MLP_NO_MODEL, f"has no {runfiles.MODEL}"),
        (KFOLD, "votes-kfold k-fold run"),
        (IMDB, "imdb-lstm run: it keeps no test pictures"),
    ],
)
async def test_a_run_with_no_model_is_refused_by_name(tmp_path, run_id, said):
    source = FakeRunSource(runs(tmp_path))
    app = make_app(source=source)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_view(pilot, run_id)
        assert said in words(app) and source.jobs == []
        await pilot.press("right", "down", "right_square_bracket")  # nothing breaks
        await settle(pilot)


async def test_a_damaged_file_and_a_failed_job_are_said(tmp_path):
    found = runs(tmp_path)
    (found[0].run_dir / runfiles.ACTIVATIONS / file_of_test_image(0)).write_bytes(b"junk")
    source = FakeRunSource(found)
    source.job_events = [
        make_event(
            Event.FAILED, JOB_EVENTS, error_type="LayersUnreadable", message="no layers, sorry"
        )
    ]
    app = make_app(source=source)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_view(pilot)
        assert "unreadable: test-0.npz: not a numpy archive" in words(app)
        await pilot.press("right")
        await settle(pilot, 0.5)
        assert "The layers could not be read: no layers, sorry" in words(app)


async def test_capital_a_opens_it_from_runs_the_lab_and_a_run_view(tmp_path):
    from tui_dl.ui.screens.run_views.activations import ActivationsScreen

    app = make_app(source=FakeRunSource(runs(tmp_path)), screen="runs")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("A")  # the newest run: the CNN
        await settle(pilot)
        assert isinstance(app.screen, ActivationsScreen) and app.screen.run_id == RUN
        await pilot.press("escape")
        app.open_insight("confusion", RUN)
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, ActivationsScreen)
        await pilot.press("escape")
        await settle(pilot)
        app.open_run(RUN)
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, ActivationsScreen)


async def test_a_layer_named_like_markup_is_shown_as_written(tmp_path):
    found = runs(tmp_path)
    inside = made_up(0)
    renamed = [
        LayerOutput("[red]x[/]", layer.type, layer.output, layer.kernel)
        for layer in inside.layers[:1]
    ]
    save_activations(
        found[0].run_dir, file_of_test_image(0), Activations("[b]s", inside.image, renamed)
    )
    app = make_app(source=FakeRunSource(found))
    async with app.run_test(size=(120, 30)) as pilot:
        await open_view(pilot)
        assert "[red]x[/]" in words(app) and "[b]s" in words(app)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_the_activations_view(snap_compare, tmp_path, size):
    async def opened(pilot):
        await open_view(pilot)
        await pilot.press("down", "down", "down", "right_square_bracket")
        await settle(pilot)

    app = make_app(source=FakeRunSource(runs(tmp_path)))
    assert snap_compare(app, terminal_size=size, run_before=opened)


# ----- a pretrained base inside the model --------------------------------------------------
def with_base(layers: int = 6, total: int = 154) -> Activations:
    """What the job keeps for a my-images run on MobileNetV2: its scaling, `layers` of the
    base's `total` (a selection), the head."""
    rng = np.random.default_rng(5)
    inner = [
        LayerOutput(f"block_{i}_relu", "ReLU", rng.random((7, 7, 4)).astype(np.float32))
        for i in range(layers)
    ]
    inner = [LayerOutput(x.name, x.type, x.output, None, "mobilenetv2") for x in inner]
    found = [
        LayerOutput("preprocess", "Rescaling", rng.random((14, 14, 3)).astype(np.float32)),
        *inner,
        LayerOutput("head_out", "Dense", np.array([0.2, 0.8], np.float32)),
    ]
    return Activations("test image #0", digit(0), found, {"mobilenetv2": total})


def test_a_base_and_its_count_survive_the_file_and_a_false_count_is_unreadable(tmp_path):
    save_activations(tmp_path, "test-0.npz", with_base())
    back = load_activations(tmp_path, "test-0.npz")
    assert back.groups == {"mobilenetv2": 154}
    assert [layer.group for layer in back.layers] == ["", *["mobilenetv2"] * 6, ""]
    save_activations(tmp_path, "test-1.npz", with_base(total=5))  # keeps 6 of 5: false
    with pytest.raises(UnreadableArtifact, match="keeps 6 layers but says it has 5"):
        load_activations(tmp_path, "test-1.npz")
    assert load_activations(tmp_path, "test-0.npz").layers[0].group == ""


def test_a_deep_base_keeps_its_convolutions_activations_and_output_spread_over_it():
    types = ["ZeroPadding2D", *["Conv2D", "BatchNormalization", "ReLU"] * 40, "Dropout"]
    kept = selection(types)
    assert len(kept) == MAX_KEPT and kept[-1] == len(types) - 1  # its output always
    assert all(types[i] in ("Conv2D", "ReLU") for i in kept[:-1])  # no BN, no padding
    assert kept[0] < 10 and kept[MAX_KEPT // 2] > 40  # spread, not the first sixteen
    assert selection(["Conv2D", "BatchNormalization"]) == [0, 1]  # a short base: whole
    names = ["pixels", "preprocess", "Conv1", "bn_Conv1", "out_relu", "head_dropout", "head_out"]
    title, members = flat_base({"experiment": "my-images", "params": {"base": "vgg16"}}, names)
    assert title == "vgg16" and members == {"Conv1", "bn_Conv1", "out_relu"}
    spec = {"experiment": "my-images", "params": {"base": "run:abc"}}
    assert flat_base(spec, names)[0] == "run abc's layers"
    assert flat_base({"experiment": "my-images", "params": {"base": "scratch"}}, names)[1] == set()
    assert flat_base({"experiment": "mnist-cnn", "params": {}}, names) == ("", set())


async def test_a_base_s_layers_are_listed_under_its_name_with_the_rest_counted(tmp_path):
    found = runs(tmp_path)
    save_activations(found[0].run_dir, file_of_test_image(0), with_base())
    app = make_app(source=FakeRunSource(found))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot)
        text = words(app)
        assert "▾ mobilenetv2" in text and "6 of its 154 layers" in text
        assert "6 inside mobilenetv2, 148 more not kept" in text
        await pilot.press("down", "down", "down")  # input → preprocess → block_0 → block_1
        await settle(pilot)
        assert "mobilenetv2 › block_1_relu · ReLU · 7×7×4" in words(app)


async def test_a_long_list_keeps_the_picked_layer_in_sight(tmp_path):
    found = runs(tmp_path)
    save_activations(found[0].run_dir, file_of_test_image(0), with_base(40, 40))
    app = make_app(source=FakeRunSource(found))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(pilot)
        assert "↓" in words(app) and "block_30_relu" not in words(app)
        await pilot.press(*["down"] * 32)  # to block_30_relu
        await settle(pilot)
        text = words(app)
        assert "▸ block_30_relu" in text and "↑" in text and "block_0_relu" not in text


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_a_base_inside_the_model(snap_compare, tmp_path, size):
    async def opened(pilot):
        await open_view(pilot)
        await pilot.press("down", "down", "down")
        await settle(pilot)

    found = runs(tmp_path)
    save_activations(found[0].run_dir, file_of_test_image(0), with_base())
    app = make_app(source=FakeRunSource(found))
    assert snap_compare(app, terminal_size=size, run_before=opened)
