"""`tui-dl predict RUN PATH...`: a my-images run asked about pictures it was never shown.

Fast: the pictures a learner names (files, folders, what is skipped and why), the answers'
file read back and checked, and every refusal of the command line. Slow (two TensorFlow
processes): a scratch run taught circles, squares and triangles, asked about pictures of
something it was never taught — it must name one of its three — and about its own kind."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from tests.fakes import mnist_events
from tests.my_images import shape_picture, shapes_folder
from tests.test_my_images_trainer import fake_run, finished
from tui_dl.analysis.artifacts import UnreadableArtifact
from tui_dl.analysis.predicted import (
    NONE_OF_THESE,
    Predicted,
    answers_of,
    load_predicted,
    save_predicted,
    sureness,
)
from tui_dl.cli import main
from tui_dl.data.my_images.named import named_pictures
from tui_dl.data.my_images.problems import FolderProblem
from tui_dl.engine import runfiles
from tui_dl.engine.jobs.launch import launch_run
from tui_dl.engine.store import RunStore


def stars(folder, n: int = 6):
    """Pictures of something the shapes run was never taught: grey noise."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    for i in range(n):
        pixels = rng.integers(0, 256, (40, 40, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / f"noise-{i}.png")
    return folder


# ----- the pictures named -------------------------------------------------------------------
def test_named_pictures_are_files_and_folders_with_what_was_skipped(tmp_path):
    shapes_folder(tmp_path / "mine", {"circles": 3, "squares": 2})
    (tmp_path / "mine" / "notes.txt").write_text("not a picture")
    (tmp_path / "mine" / "circles" / "empty.png").write_bytes(b"")
    (tmp_path / "mine" / ".hidden.png").write_bytes(b"x")
    one = shape_picture("triangles", (30, 30), 1)
    one.save(tmp_path / "one.png")
    found = named_pictures([tmp_path / "one.png", tmp_path / "mine"])
    shown = [image.relative for image in found.images]
    assert shown[0] == str(tmp_path / "one.png") and len(shown) == 6
    assert f"{tmp_path / 'mine'}/circles/000.png" in shown
    reasons = {s.relative.rsplit("/", 1)[-1]: s.kind for s in found.skipped}
    assert reasons == {"notes.txt": "not a picture", "empty.png": "empty"}


def test_named_pictures_refuse_what_cannot_be_asked_about(tmp_path):
    with pytest.raises(FolderProblem, match="nowhere: there is no such file or folder"):
        named_pictures([tmp_path / "nowhere"])
    (tmp_path / "words.txt").write_text("hello")
    with pytest.raises(FolderProblem, match="No picture to ask about.*words.txt"):
        named_pictures([tmp_path / "words.txt"])
    shapes_folder(tmp_path / "many", {"circles": 4})
    with pytest.raises(FolderProblem, match="more than 3 pictures"):
        named_pictures([tmp_path / "many"], limit=3)


# ----- the answers' file ----------------------------------------------------------------------
def answered(tmp_path, tops: list[float]) -> Predicted:
    """Answers for pictures whose top confidences are `tops`, saved and read back."""
    rows = np.array([[t, (1 - t) * 0.6, (1 - t) * 0.4] for t in tops])
    report = {
        "class_names": ["circles", "squares", "triangles"],
        "threshold": 0.0,
        "answers": answers_of([f"p{i}.png" for i in range(len(tops))], rows),
        "skipped": [],
        "asked": sureness(rows.max(axis=1)),
        "taught": sureness(np.array([0.99, 0.97])),
    }
    thumbnails = np.zeros((len(tops), 32, 32, 3), np.uint8)
    tmp_path.mkdir(exist_ok=True)
    save_predicted(tmp_path, Predicted(report, thumbnails))  # type: ignore[arg-type]
    return load_predicted(tmp_path)


def test_a_threshold_answers_none_of_these_below_it_and_the_numbers_follow_the_data(tmp_path):
    found = answered(tmp_path, [0.95, 0.6, 0.4])
    assert [found.answer(i) for i in range(3)] == ["circles"] * 3  # it must pick one
    assert found.answer(1, threshold=0.7) == NONE_OF_THESE
    assert [found.refused(t) for t in (0.3, 0.5, 0.7, 0.99)] == [0, 1, 2, 3]
    assert found.report["asked"]["mean"] == pytest.approx(0.65)
    assert found.report["asked"]["spread"] == pytest.approx(np.std([0.95, 0.6, 0.4]))
    assert found.report["answers"][1]["top"] == [[0, 0.6], [1, pytest.approx(0.24)],
                                                 [2, pytest.approx(0.16)]]  # fmt: skip
    surer = answered(tmp_path / "surer", [0.99, 0.98, 0.97])
    assert surer.refused(0.7) == 0 and surer.report["asked"]["mean"] > 0.97


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda r: r["answers"][0].update(top=[[7, 0.5]]), "an answer that is no class"),
        (lambda r: r["answers"][0].update(top=[[0, 1.5]]), "no confidence"),
        (lambda r: r.update(class_names=[]), "no class names"),
        (lambda r: r.pop("asked"), "asked: missing"),
        (lambda r: r["answers"].append(r["answers"][0]), "2 entries where there are 3"),
    ],
)
def test_a_damaged_answers_file_is_said_not_believed(tmp_path, damage, words):
    answered(tmp_path, [0.9, 0.5])
    path = tmp_path / runfiles.PREDICTED_REPORT
    report = json.loads(path.read_text())
    damage(report)
    path.write_text(json.dumps(report))
    with pytest.raises(UnreadableArtifact, match=words):
        load_predicted(tmp_path)


# ----- the command line's refusals ------------------------------------------------------------
def test_predict_refuses_a_run_it_cannot_ask_and_a_path_that_is_not_there(tmp_path, capsys):
    picture = tmp_path / "a.png"
    shape_picture("circles", (30, 30), 0).save(picture)
    assert main(["predict", "nosuchrun", str(picture)]) == 2
    assert "nosuchrun" in capsys.readouterr().err
    mlp = fake_run("mlp", ["Flatten", "Dense"])
    assert main(["predict", mlp, str(picture)]) == 2
    assert "is a mnist-mlp run: predict asks a my-images run" in capsys.readouterr().err
    mine = fake_run("mine", None, experiment="my-images")
    assert main(["predict", mine, str(picture)]) == 2
    assert "predict asks a finished run" in capsys.readouterr().err
    run_dir = RunStore().resolve(mine)
    with (run_dir / runfiles.EVENTS).open("a") as events:
        for event in mnist_events(2, end="finished"):
            events.write(json.dumps(event) + "\n")
    assert main(["predict", mine, str(tmp_path / "gone.png")]) == 2
    assert "gone.png: there is no such file or folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["predict", mine, str(picture), "--threshold", "1.5"])
    assert exit_.value.code == 2 and "a number from 0 to 1" in capsys.readouterr().err


# ----- for real -----------------------------------------------------------------------------
@pytest.mark.slow
def test_a_shapes_run_names_noise_as_one_of_its_shapes_and_a_threshold_refuses_some(
    tmp_path, capsys
):
    folder = shapes_folder(tmp_path / "shapes", 30)
    params = {"folder": folder, "base": "scratch", "epochs": 10, "learning_rate": 0.003,
              "image_size": 32, "threshold": 0.0}  # fmt: skip
    finished(launch_run("my-images", params))
    noise = stars(tmp_path / "noise", 6)
    circle = tmp_path / "a circle.png"
    shape_picture("circles", (50, 50), 99).save(circle)
    (noise / "readme.txt").write_text("not a picture")

    assert main(["predict", "latest", str(noise), str(circle), "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["class_names"] == ["circles", "squares", "triangles"]
    answers = out["answers"]
    assert len(answers) == 7 and out["asked"]["n"] == 7
    assert all(a["answer"] in out["class_names"] for a in answers)  # it must pick one
    assert answers[-1]["path"].endswith("a circle.png") and answers[-1]["answer"] == "circles"
    tops = [a["top"][0][1] for a in answers]
    assert out["asked"]["mean"] == pytest.approx(np.mean(tops), abs=1e-6)
    assert out["taught"]["n"] == 15  # its own test split
    assert [s["path"].rsplit("/", 1)[-1] for s in out["skipped"]] == ["readme.txt"]

    limit = sorted(tops)[3]  # a threshold between the answers: some refused, some not
    assert main(["predict", "latest", str(noise), str(circle), "--threshold", str(limit)]) == 0
    text = " ".join(capsys.readouterr().out.split())
    refused = sum(t < limit for t in tops)
    assert 0 < refused < 7
    assert f'answers "{NONE_OF_THESE}" for {refused} of these 7 pictures' in text
    assert "It must pick one of the classes it knows" in text
    kept = load_predicted(RunStore().resolve("latest"))
    assert kept.thumbnails.shape == (7, 32, 32, 3) and kept.report["threshold"] == limit
