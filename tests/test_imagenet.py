"""transfer-imagenet: the engine on a stub photo (untrained weights), its plain failures,
the weights as data, the photo renderer, and the model-zoo screen over a fake run."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from rich.console import Console
from textual.widgets import Input, OptionList, Static

from tests.fakes import T0, FakeRun, FakeRunSource, settle
from tui_dl.analysis.artifacts import ImageNetResult, save_imagenet
from tui_dl.cli import main
from tui_dl.cli.data import data_fetch_command
from tui_dl.data.registry import DATASETS
from tui_dl.data.sources import locate
from tui_dl.data.status import status_rows
from tui_dl.engine import runfiles
from tui_dl.engine.events import TERMINAL_EVENTS, Event, EventLog, make_event
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.jobs.launch import launch_run
from tui_dl.engine.trainers.imagenet import label
from tui_dl.ui.app import make_app
from tui_dl.ui.render.photos import fit, render_photo
from tui_dl.ui.screens.imagenet import ImageNetScreen
from tui_dl.ui.widgets.run.photo_view import PhotoView

SIZE = (80, 24)
RUN = "20261122-140000-transfer-imagenet-e1e1"
FAILED = "20261122-141500-transfer-imagenet-f0f0"
WEIGHTS_NAMES = ("resnet50-weights", "vgg16-weights", "mobilenetv2-weights", "imagenet-classes")


def house(size: tuple[int, int] = (96, 72)) -> Image.Image:
    """A stub photo: sky, grass, a red house with a brown door."""
    w, h = size
    pixels = np.zeros((h, w, 3), np.uint8)
    pixels[:] = (120, 180, 235)
    pixels[h * 2 // 3 :] = (70, 150, 60)
    pixels[h // 3 : h * 5 // 6, w // 2 : w * 5 // 6] = (180, 40, 40)
    pixels[h * 7 // 12 : h * 5 // 6, w * 5 // 8 : w * 17 // 24] = (80, 50, 20)
    return Image.fromarray(pixels)


@pytest.fixture
def photo(tmp_path) -> Path:
    path = tmp_path / "house.png"
    house().save(path)
    return path


def run_to_the_end(params: dict) -> tuple[Path, list[dict]]:
    handle = launch_run("transfer-imagenet", params)
    handle.wait(120)
    handle.reaper.join(5)
    events = EventLog(handle.run_dir).read_all()
    assert events and events[-1]["event"] in TERMINAL_EVENTS, events
    return handle.run_dir, events


# ----- the engine ---------------------------------------------------------------------------
@pytest.mark.slow
def test_headless_run_names_the_photo_and_keeps_its_maps(photo, capsys, tmp_path):
    models = tmp_path / "keras" / "models"  # the class names, where Keras caches them
    models.mkdir(parents=True)
    index = {str(i): [f"n{i:08d}", f"thing_{i}"] for i in range(1000)}
    (models / "imagenet_class_index.json").write_text(json.dumps(index))
    code = main(
        [
            "run",
            "transfer-imagenet",
            "--image",
            str(photo),
            "--model",
            "mobilenetv2",
            "--weights",
            "none",
            "--top",
            "3",
            "--json",
        ]
    )
    out, err = capsys.readouterr()
    report = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and report["status"] == "finished", report
    assert [g["rank"] for g in report["top"]] == [1, 2, 3]
    assert report["top"][0]["label"] == f"thing {report['top'][0]['index']}"
    assert report["metrics"]["top1_probability"] == report["top"][0]["probability"]
    assert "1. thing" in err and "untrained MobileNetV2" in err

    run_dir = Path(report["run_dir"])
    events = EventLog(run_dir).read_all()
    phases = [e["phase"] for e in events if e["event"] == "phase"]
    assert "reading your image" in phases and "building an untrained MobileNetV2" in phases
    assert phases[-1] == "where it looked for guess 3 of 3"
    started = next(e for e in events if e["event"] == "started")
    assert started["model"]["layer"] == "out_relu" and started["image"]["width"] == 96
    result = json.loads((run_dir / runfiles.IMAGENET_RESULT).read_text())
    assert result["layer"] == "out_relu" and result["grid"] == [7, 7]
    assert [g["index"] for g in result["top"]] == [g["index"] for g in report["top"]]
    with np.load(run_dir / runfiles.IMAGENET_MAPS) as saved:
        assert saved["image"].shape == (224, 224, 3) and saved["image"].dtype == np.uint8
        assert saved["maps"].shape == (3, 224, 224) and saved["maps"].dtype == np.uint8
        assert list(saved["classes"]) == [g["index"] for g in result["top"]]


def test_offline_without_weights_fails_in_a_second_naming_the_file(photo):
    started = time.monotonic()
    _, events = run_to_the_end({"image": str(photo)})
    failed = events[-1]
    assert failed["event"] == "failed" and failed["error_type"] == "DatasetUnavailable"
    message = failed["message"]
    assert "resnet50_weights_tf_dim_ordering_tf_kernels.h5" in message
    assert "no internet connection" in message and "Weights to none" in message
    assert "`tui-dl data fetch resnet50-weights`" in message
    assert "Traceback" not in message
    assert time.monotonic() - started < 10  # decided before TensorFlow starts


@pytest.mark.slow
def test_a_weights_file_keras_cannot_read_fails_plainly(photo, tmp_path):
    models = tmp_path / "keras" / "models"
    models.mkdir(parents=True)
    (models / "vgg16_weights_tf_dim_ordering_tf_kernels.h5").write_text("half a download")
    _, events = run_to_the_end({"image": str(photo), "model": "vgg16"})
    assert events[-1]["error_type"] == "BadWeights"
    assert "`tui-dl data fetch vgg16-weights` again" in events[-1]["message"]


def test_without_the_class_names_file_classes_go_by_number():
    assert label(None, 386) == ("", "class 386")
    assert label([("n02504458", "African_elephant")] * 1000, 386) == (
        "n02504458",
        "African elephant",
    )


def test_a_file_that_is_not_a_picture_fails_plainly(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture\n")
    _, events = run_to_the_end({"image": str(notes), "weights": "none"})
    assert events[-1]["error_type"] == "NotAnImage"
    assert events[-1]["message"].startswith("notes.txt is not a picture")


def test_the_image_setting_must_name_an_existing_file(tmp_path):
    image = get_experiment("transfer-imagenet").param("image")
    with pytest.raises(ValueError, match="Image file: empty — name a file"):
        image.parse("")
    with pytest.raises(ValueError, match="there is no file"):
        image.parse(str(tmp_path / "nope.jpg"))
    with pytest.raises(ValueError, match="is a folder"):
        image.parse(str(tmp_path))
    with pytest.raises(ValueError, match="name a file"):
        get_experiment("transfer-imagenet").validate({"weights": "none"})
    assert get_experiment("mammogram").validate({})["csv"] == ""  # optional paths stay so


# ----- the weights as data ------------------------------------------------------------------
def test_data_status_lists_the_weights_and_finds_keras_own_cache(tmp_path):
    rows = {row.name: row for row in status_rows()}
    assert all(not rows[name].available for name in WEIGHTS_NAMES)
    assert "tui-dl data fetch vgg16-weights" in rows["vgg16-weights"].source
    models = tmp_path / "keras" / "models"  # where keras.applications itself caches
    models.mkdir(parents=True)
    (models / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5").write_bytes(b"x")
    found = locate("mobilenetv2-weights")
    assert found.kind == "keras-cache" and ".." not in str(found.path)
    assert found.path.parent == models
    download = DATASETS["resnet50-weights"].downloads[0]
    assert download.cache_subdir == "models" and download.origin.endswith(download.fname)


def test_fetching_weights_offline_names_the_file():
    console = Console(record=True, width=200)
    assert data_fetch_command("vgg16-weights", console=console) == 1
    text = console.export_text()
    assert "vgg16_weights_tf_dim_ordering_tf_kernels.h5" in text and "no internet" in text


# ----- the renderer -------------------------------------------------------------------------
def test_a_photo_fits_its_box_with_square_pixels():
    assert fit((224, 224), 40, 20) == (40, 20)
    assert fit((224, 224), 80, 20) == (40, 20)  # height-bound
    assert fit((100, 200), 40, 40) == (40, 10)  # wide photo: half as many pixel rows


def test_colour_photo_is_half_blocks_in_the_photo_colours():
    image = np.zeros((8, 8, 3), np.uint8)
    image[:4] = (255, 0, 0)  # red top half, black bottom half
    text = render_photo(image, 4, 2, colour=True)
    assert text.plain == "▀▀▀▀\n▀▀▀▀"
    first = text.spans[0].style
    assert first.color.triplet == (255, 0, 0) and first.bgcolor.triplet == (255, 0, 0)
    last = text.spans[-1].style
    assert last.color.triplet == (0, 0, 0) and last.bgcolor.triplet == (0, 0, 0)


def test_heat_over_a_photo_glows_where_it_is_hot_and_dims_the_rest():
    image = np.full((8, 8, 3), 128, np.uint8)
    heat = np.zeros((8, 8), np.float32)
    heat[:, 4:] = 1.0
    text = render_photo(image, 8, 4, heat=heat, colour=True)
    cold, hot = text.spans[0].style.color.triplet, text.spans[7].style.color.triplet
    assert max(cold) < 128  # ignored: darker than the photo
    assert hot.red > 200 and hot.blue < 60  # mattered: red to yellow


def test_without_colour_the_photo_and_its_heat_are_ramps():
    image = np.zeros((8, 8, 3), np.uint8)
    image[:, 4:] = 255
    assert render_photo(image, 8, 4, colour=False).plain.splitlines()[0] == "    @@@@"
    heat = np.zeros((8, 8))
    heat[:4] = 1.0
    rows = render_photo(image, 8, 4, heat=heat, colour=False).plain.splitlines()
    assert rows[0] == "@" * 8 and rows[-1] == " " * 8


# ----- the screen ---------------------------------------------------------------------------
GUESSES = [
    ("n02504458", "African elephant", 0.912),
    ("n01871265", "tusker", 0.078),
    ("n02504013", "Indian elephant", 0.004),
    ("n02437312", "Arabian camel", 0.002),
    ("n02410509", "bison", 0.001),
]


def zoo_events(end: str = "finished") -> list[dict]:
    events = [
        make_event(Event.PHASE, phase="starting TensorFlow", t=T0),
        make_event(Event.PHASE, phase="reading your image", t=T0 + 0.1),
        make_event(Event.PHASE, phase="loading the VGG16 weights", t=T0 + 5),
        make_event(
            Event.STARTED,
            t=T0 + 7,
            devices=[{"name": "/device:CPU:0", "type": "CPU"}],
            device="cpu",
            dataset="imagenet",
            data_source="VGG16 ImageNet weights — Keras cache (~/.keras/models/vgg16.h5)",
            model={"name": "VGG16", "parameters": 138357544, "layer": "block5_conv3"},
            image={"name": "elephant.jpg", "width": 640, "height": 480},
            reference=get_experiment("transfer-imagenet").reference_fields(),
        ),
        make_event(Event.PHASE, phase="predicting", t=T0 + 7.5),
    ]
    if end == "failed":
        events.append(
            make_event(
                Event.FAILED,
                t=T0 + 8,
                error_type="NotAnImage",
                message="notes.txt is not a picture that can be read: give a JPEG, PNG, GIF, "
                "BMP or WebP file (a photo of your own, say).",
                traceback="Traceback ...",
            )
        )
        return events
    top = [
        {"rank": r, "index": 385 + r, "label": name, "probability": p}
        for r, (_, name, p) in enumerate(GUESSES, 1)
    ]
    events.append(
        make_event(
            Event.FINISHED,
            t=T0 + 12,
            metrics={"top1_probability": 0.912},
            top=top,
            duration_s=6.2,
            data_source="VGG16 ImageNet weights",
            device="cpu",
            artifacts={"result": runfiles.IMAGENET_RESULT, "maps": runfiles.IMAGENET_MAPS},
        )
    )
    return events


def write_zoo_result(run_dir: Path) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    image = np.asarray(house((224, 224)), np.uint8)
    yy, xx = np.mgrid[0:224, 0:224]
    maps = np.stack(
        [np.exp(-((yy - 60 - 25 * r) ** 2 + (xx - 150 + 20 * r) ** 2) / 1500.0) for r in range(5)]
    )
    result = {
        "model": "VGG16",
        "weights": "imagenet",
        "weights_source": "VGG16 ImageNet weights — Keras cache, 138 million weights, 553 MB",
        "weights_from": "Keras cache",
        "class_names": "ImageNet class names — Keras cache, 1,000 classes",
        "image": {"name": "elephant.jpg", "width": 640, "height": 480},
        "layer": "block5_conv3",
        "grid": [14, 14],
        "top": [
            {"rank": r, "index": 385 + r, "id": wnid, "label": name, "probability": p}
            for r, (wnid, name, p) in enumerate(GUESSES, 1)
        ],
    }
    save_imagenet(
        run_dir,
        ImageNetResult(result, image, np.rint(maps * 255).astype(np.uint8)),
        list(range(386, 391)),
        np.array([p for *_, p in GUESSES], np.float32),
    )


@pytest.fixture
def source(tmp_path) -> FakeRunSource:
    write_zoo_result(tmp_path / RUN)
    params = {"image": "photos/elephant.jpg", "model": "vgg16"}
    return FakeRunSource(
        [
            FakeRun(
                RUN, zoo_events(), params, experiment="transfer-imagenet", run_dir=tmp_path / RUN
            ),
            FakeRun(FAILED, zoo_events("failed"), params, experiment="transfer-imagenet"),
        ],
        launch_events=zoo_events()[:3],
        launch_delivered=3,
    )


def caption(app) -> str:
    return str(app.screen.query_one("#zoo-caption", Static).render())


async def test_a_finished_run_opens_on_its_first_guess_and_keys_switch_the_map(source):
    app = make_app(source=source, screen="lab", run=RUN)  # the lab sends it to its own screen
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImageNetScreen)
        assert "African elephant" in caption(app)
        assert screen.query_one(OptionList).option_count == 5
        view = screen.query_one("#zoo-heat", PhotoView)
        assert view.heat is not None and view.heat.shape == (224, 224)
        await pilot.press("3")
        await pilot.pause()
        assert "Indian elephant" in caption(app) and screen.chosen == 2
        await pilot.press("up")
        await pilot.pause()
        assert "tusker" in caption(app)
        await pilot.press("h")
        await pilot.pause()
        assert view.heat is None and "saw" in caption(app)


async def test_a_failed_run_says_why_in_plain_words(source):
    app = make_app(source=source, screen="imagenet", run=FAILED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.query_one("#zoo-heat", PhotoView)
        assert "notes.txt is not a picture" in str(view.render())
        assert str(app.screen.query_one("#zoo-phase", Static).render()) == "Failed."


async def test_ctrl_r_launches_with_the_form_and_an_empty_image_is_refused(source, photo):
    app = make_app(source=source, screen="imagenet")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert source.launched == []
        assert "name a file" in str(app.screen.query_one("#zoo-error", Static).render())
        app.screen.query_one("#field-image", Input).value = str(photo)
        app.screen.query_one("#field-weights").value = "none"
        await pilot.press("ctrl+r")
        await settle(pilot)  # the launch runs in a thread
        experiment, params, device = source.launched[0]
        assert experiment == "transfer-imagenet" and device == "cpu"
        assert params["image"] == str(photo) and params["weights"] == "none"
        assert "Loading the VGG16 weights…" in str(
            app.screen.query_one("#zoo-phase", Static).render()
        )


async def test_a_picked_photo_is_drawn_before_any_run(source, photo):
    app = make_app(source=source, screen="imagenet")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hint = str(app.screen.query_one("#zoo-weights", Static).render())
        assert "ResNet50 ImageNet weights: not here" in hint  # offline, nothing cached
        app.screen.preview(photo)
        await settle(pilot)
        assert caption(app) == "Your photo: house.png (96×72)"
        assert app.screen.query_one("#zoo-heat", PhotoView).image.shape == (224, 224, 3)


def test_snapshot_finished(snap_compare, source):
    app = make_app(source=source, screen="imagenet", run=RUN)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_snapshot_failed(snap_compare, source):
    app = make_app(source=source, screen="imagenet", run=FAILED)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
