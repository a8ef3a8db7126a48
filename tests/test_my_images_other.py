"""my-images' "other" class (`--other DIR`): a folder of everything that is none of the
learner's classes, taught as one more class so the network can answer "none of these".

Fast: the other folder read at any depth and counted (the scan, `tui-dl data folder --other`),
every bad other folder refused by name before anything trains, the share code carrying it, and
predict's report of the pictures it put there. Slow (two TensorFlow processes): a scratch run
taught circles and squares with triangles among "other" calls new triangles "other"."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from PIL import Image

from tests.my_images import shape_picture, shapes_folder
from tests.test_my_images_trainer import EXP, finished, refused
from tui_dl.analysis.predicted import Predicted, answers_of
from tui_dl.cli import main
from tui_dl.cli.predict import as_json, as_text
from tui_dl.data.my_images.other import OTHER, check_apart
from tui_dl.data.my_images.problems import FolderProblem
from tui_dl.data.my_images.scan import scan_folder
from tui_dl.engine.jobs.launch import launch_run
from tui_dl.lessons.share.codes import decode, encode


def everything_else(root, triangles: int = 6, noise: int = 4, seed: int = 50):
    """A folder of pictures that are neither circles nor squares: triangles in a subfolder,
    grey noise directly in it, and a file that is no picture."""
    (root / "shapes").mkdir(parents=True, exist_ok=True)
    for i in range(triangles):
        shape_picture("triangles", (40, 40), seed + i).save(root / "shapes" / f"t{i:02d}.png")
    rng = np.random.default_rng(seed)
    for i in range(noise):
        pixels = rng.integers(0, 256, (36, 36, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(root / f"noise-{i}.png")
    (root / "notes.txt").write_text("not a picture")
    return root


@pytest.fixture
def two(tmp_path):
    return shapes_folder(tmp_path / "mine", {"circles": 10, "squares": 10})


# ----- read and counted ---------------------------------------------------------------------
def test_the_other_folder_is_one_more_class_read_at_any_depth(tmp_path, two):
    other = everything_else(tmp_path / "else")
    folder = scan_folder(two, other=other)
    assert folder.classes == ["circles", "squares", OTHER]  # after the folder's own
    assert folder.counts() == {"circles": 10, "squares": 10, OTHER: 10}
    assert folder.labels()[-10:] == [2] * 10 and folder.other == other
    shown = [i.relative for i in folder.images if i.label == OTHER]
    assert f"{other}/noise-0.png" in shown and f"{other}/shapes/t00.png" in shown
    assert [(s.relative, s.kind) for s in folder.skipped] == [
        (f"{other}/notes.txt", "not a picture")
    ]
    assert scan_folder(two).classes == ["circles", "squares"]  # without it: as before


def test_data_folder_counts_the_other_class(tmp_path, two, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # a long temporary path is not wrapped mid-name
    other = everything_else(tmp_path / "else")
    assert main(["data", "folder", str(two), "--other", str(other), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["counts"] == {"circles": 10, "squares": 10, OTHER: 10}
    assert summary["other"] == str(other) and summary["total"] == 30
    assert summary["split_sizes"][OTHER] == [6, 2, 2]  # split like the rest
    assert main(["data", "folder", str(two), "--other", str(other)]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"3 classes, 30 pictures other: 10 pictures from {other}" in text
    assert f"{other}/notes.txt — not a picture" in text
    assert main(["data", "folder", str(two), "--other", str(tmp_path / "gone")]) == 2
    assert "The other folder" in capsys.readouterr().err


# ----- refused before training --------------------------------------------------------------
def test_every_bad_other_folder_is_refused_before_training_by_name(tmp_path, two):
    def no(params: dict, said: str) -> None:
        refused({"folder": two, "base": "scratch", **params}, re.escape(said))

    gone = tmp_path / "gone"
    no({"other": gone}, f"The other folder {gone}: there is no such folder")
    a_file = tmp_path / "a.png"
    shape_picture("circles", (30, 30), 1).save(a_file)
    no({"other": a_file}, f"The other folder {a_file} is a file, not a folder")
    empty = tmp_path / "empty"
    empty.mkdir()
    no({"other": empty}, f"The other folder {empty} has no usable picture: it is empty")
    (empty / "notes.txt").write_text("not a picture")
    no({"other": empty}, f"{empty} has no usable picture (skipped: 1 not a picture)")
    no({"other": two}, f"The other folder {two} is your folder itself")
    no({"other": two / "circles"}, f"{two / 'circles'} is inside your folder {two}")
    no({"other": tmp_path}, f"Your folder {two} is inside the other folder {tmp_path}")
    named = shapes_folder(tmp_path / "named", {"circles": 10, "squares": 10})
    (named / "squares").rename(named / "Other")
    elsewhere = everything_else(tmp_path / "else")
    no(
        {"folder": named, "other": elsewhere},
        f"{named / 'Other'}: your folder already has a class named 'Other'",
    )
    copy = elsewhere / "shapes" / "copied.png"
    copy.write_bytes((two / "circles" / "000.png").read_bytes())
    no(
        {"other": elsewhere},
        f"hold the same picture: {copy} = {two / 'circles' / '000.png'}. A picture cannot",
    )
    with pytest.raises(FolderProblem):  # the scan alone keeps them (the data view lists them)
        check_apart(scan_folder(two, other=elsewhere))


def test_the_command_line_refuses_it_with_exit_2(tmp_path, two, capsys):
    args = ["run", "my-images", "--folder", str(two), "--base", "scratch"]
    assert main([*args, "--other", str(two / "squares")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"The other folder {two / 'squares'} is inside your folder" in err
    assert "Traceback" not in err


def test_the_setting_is_an_optional_folder_and_travels_in_a_share_code(tmp_path):
    from tui_dl.ui.sharing import lab_setup

    assert EXP.validate({"folder": "x"})["other"] == ""
    assert EXP.validate({"folder": "x", "other": "~/else"})["other"].startswith("/")
    assert "a folder; optional" in EXP.param("other").describe()
    params = EXP.validate({"folder": str(tmp_path / "mine"), "other": str(tmp_path / "else")})
    shared = decode(encode(lab_setup("my-images", params)))
    assert shared.target.params == {
        "folder": str(tmp_path / "mine"),
        "other": str(tmp_path / "else"),
    }


# ----- predict ------------------------------------------------------------------------------
def test_predict_says_what_it_put_in_other(tmp_path):
    probabilities = np.array([[0.1, 0.1, 0.8], [0.7, 0.2, 0.1], [0.2, 0.1, 0.7]], np.float32)
    report = {
        "class_names": ["circles", "squares", OTHER],
        "threshold": 0.0,
        "answers": answers_of(["a.png", "b.png", "c.png"], probabilities),
        "skipped": [],
        "asked": {"n": 3, "mean": 0.733, "spread": 0.05},
        "taught": None,
    }
    found = Predicted(report, np.zeros((3, 4, 4, 3), np.uint8))
    assert [found.answer(i) for i in range(3)] == [OTHER, "circles", OTHER]
    assert found.chose(OTHER) == 2 and found.chose(OTHER, 0.75) == 1  # c under 0.75: none
    out = as_json(tmp_path, found, None)
    assert [a["answer"] for a in out["answers"]] == [OTHER, "circles", OTHER]
    assert out["other"] == 2
    text = " ".join(as_text(tmp_path, found, None).plain.split())
    assert (
        f'Its "{OTHER}" class, taught from a folder of everything else, took 2 of these 3' in text
    )
    report["class_names"] = ["circles", "squares", "triangles"]  # no other class: not said
    assert as_json(tmp_path, found, None)["other"] is None
    assert "class, taught from a folder" not in as_text(tmp_path, found, None).plain


# ----- for real -----------------------------------------------------------------------------
@pytest.mark.slow
def test_a_run_with_an_other_class_calls_an_untaught_shape_other(tmp_path, capsys):
    folder = shapes_folder(tmp_path / "mine", {"circles": 30, "squares": 30})
    other = everything_else(tmp_path / "else", triangles=20, noise=10)
    params = {"folder": folder, "other": other, "base": "scratch", "epochs": 12,
              "learning_rate": 0.003, "image_size": 32}  # fmt: skip
    handle = launch_run("my-images", params)
    assert f"3 classes, 'other' from {other}, 90 pictures" in handle.before[-1]
    events = finished(handle)
    started = next(e for e in events if e["event"] == "started")
    assert started["classes"] == ["circles", "squares", OTHER] and started["other"] == str(other)
    assert set(events[-1]["per_class"]) == {"circles", "squares", OTHER}
    assert events[-1]["metrics"]["test_accuracy"] >= 0.8, events[-1]

    new = tmp_path / "new"
    new.mkdir()
    for i in range(6):  # triangles it never saw, and a circle
        shape_picture("triangles", (44, 44), 900 + i).save(new / f"t{i}.png")
    shape_picture("circles", (44, 44), 990).save(new / "zz-circle.png")
    assert main(["predict", "latest", str(new), "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    answers = [a["answer"] for a in out["answers"]]
    assert out["class_names"] == ["circles", "squares", OTHER]
    assert answers[-1] == "circles" and answers[:6].count(OTHER) >= 5, out["answers"]
    assert out["other"] == answers.count(OTHER)
