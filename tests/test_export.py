"""`tui-dl export`: a finished my-images run as a plain Keras script, its model.keras and a
TensorFlow Lite file — each refusal by name (no TensorFlow), and for real once: the script
run in a process where tui-dl cannot be imported gets the run's test accuracy again."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest

from tests.my_images import shapes_folder
from tests.script_runner import run_script
from tui_dl.cli import main
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event, make_event
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.export import render_script
from tui_dl.engine.store import RunStore

CLASSES = ["circles", "squares", "triangles"]


MY_IMAGES = {"folder": "/pictures/mine", "base": "scratch", "image_size": 32}


def started_and_finished() -> list[dict]:
    """A finished scratch run's events, as its trainer writes them (what the script reads)."""
    return [
        make_event(
            Event.STARTED, devices=[], device="cpu", dataset="my-images", data_source="x",
            reference={"metric": "test_accuracy", "value": None, "text": ""},
            classes=CLASSES, n_train=60, n_validation=15, n_test=15,
            base={"name": "scratch", "size": [32, 32], "channels": 3},
        ),
        make_event(
            Event.FINISHED, metrics={"test_accuracy": 0.8}, duration_s=1.0,
            data_source="x", device="cpu", artifacts={"model": runfiles.MODEL},
        ),
    ]  # fmt: skip


def fake_run(experiment: str = "my-images", end: str | None = "finished", **params) -> Path:
    """A run folder as a finished (or not) run leaves it, written without TensorFlow."""
    defaults = get_experiment(experiment).defaults()
    if experiment == "my-images":
        defaults.update(MY_IMAGES)
    run_dir = RunStore().create(
        {"experiment": experiment, "params": {**defaults, **params}, "device": "cpu"}
    )
    events = started_and_finished()[:1]
    if end == "finished":
        events = started_and_finished()
        (run_dir / runfiles.MODEL).write_bytes(b"PK a model")
    elif end == "failed":
        events.append(make_event(Event.FAILED, error_type="X", message="it broke", traceback=""))
    (run_dir / runfiles.EVENTS).write_text("".join(json.dumps(e) + "\n" for e in events))
    return run_dir


def export(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())


# ----- refusals, by name ----------------------------------------------------------------------


@pytest.fixture
def dest(tmp_path) -> Path:
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


def test_a_run_that_is_not_finished_or_not_my_images_is_refused_by_name(dest, capsys):
    failed = fake_run(end="failed").name
    code, _, err = export(capsys, failed, "-o", str(dest))
    assert code == 2 and f"run {failed} is failed: only a finished run exports" in err
    running = fake_run(end=None).name
    code, _, err = export(capsys, running, "--keras", "-o", str(dest))
    assert code == 2 and f"run {running} is starting: only a finished run exports" in err
    mlp = fake_run("mnist-mlp").name
    code, _, err = export(capsys, mlp, "--tflite", "-o", str(dest))
    assert code == 2 and f"run {mlp} is a mnist-mlp run" in err
    assert "TensorFlow Lite export takes my-images runs" in err
    code, _, err = export(capsys, "20200101-nothing", "-o", str(dest))
    assert code == 2 and "20200101-nothing" in err
    assert list(dest.iterdir()) == []  # nothing written


def test_a_missing_folder_and_an_existing_file_are_refused_and_force_overwrites(dest, capsys):
    run = fake_run().name
    code, _, err = export(capsys, run, "--keras", "-o", str(dest / "nowhere" / "m.keras"))
    assert code == 2 and f"{dest / 'nowhere'}: there is no such folder" in err
    there = dest / "m.keras"
    there.write_text("mine")
    code, _, err = export(capsys, run, "--keras", "-o", str(there))
    assert code == 2 and f"{there} exists: add --force" in err
    assert there.read_text() == "mine"
    code, out, _ = export(capsys, run, "--keras", "-o", str(there), "--force", "--json")
    assert code == 0 and there.read_bytes() == b"PK a model"
    assert json.loads(out) == {"run": run, "kind": "keras", "path": str(there), "bytes": 10}
    # A folder takes the file under the run's id; no temporary file is left beside it.
    code, out, _ = export(capsys, run, "-o", str(dest), "--json")
    written = Path(json.loads(out)["path"])
    assert code == 0 and written.parent == dest and written.suffix == ".py"
    assert sorted(p.name for p in dest.iterdir()) == sorted(["m.keras", written.name])


def test_a_run_without_a_model_or_with_a_setting_the_script_lacks_is_refused(dest, capsys):
    run_dir = fake_run()
    (run_dir / runfiles.MODEL).unlink()
    code, _, err = export(capsys, run_dir.name, "--tflite", "-o", str(dest))
    assert code == 2 and f"run {run_dir.name} has no model.keras" in err
    newer = fake_run(colour_space="lab").name  # a setting a later tui-dl may add
    code, _, err = export(capsys, newer, "-o", str(dest))
    assert code == 2 and "does not reproduce yet (colour_space='lab')" in err
    on_run = fake_run(base="run:20200101-000000-mnist-cnn-abcd").name
    code, _, err = export(capsys, on_run, "-o", str(dest))
    assert code == 2 and "built on run 20200101-000000-mnist-cnn-abcd" in err


def test_the_script_holds_the_runs_settings_as_literals_and_imports_no_tui_dl(tmp_path):
    folder = str(tmp_path / 'it\'s "mine"\nprint("owned")')  # a name is data, never code
    run_dir = fake_run(
        folder=folder, epochs=7, learning_rate=0.003, seed=5, validation=0.2, other="/else"
    )
    text = render_script(RunStore().info(run_dir))
    tree = ast.parse(text)
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module)])
    }
    assert "tui_dl" not in imported and {"keras", "numpy", "PIL", "sklearn"} <= imported
    assigned = next(
        n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "SETTINGS"
    )
    settings = ast.literal_eval(assigned.value)
    assert settings["folder"] == folder and settings["classes"] == CLASSES
    assert settings["other"] == "/else"
    assert (settings["epochs"], settings["rate"], settings["seed"]) == (7, 0.003, 5)
    assert (settings["validation"], settings["test"], settings["image_size"]) == (0.2, 0.15, 32)
    assert settings["pictures"] == 90 and settings["run_test_accuracy"] == 0.8
    assert all(line.startswith("#") for line in text.splitlines()[:2])


def test_a_script_on_a_base_run_feeds_it_pixels_as_its_own_run_did(tmp_path):
    mine = fake_run().name  # a my-images model rescales its pixels itself
    digits = fake_run("mnist-cnn").name  # the others read 0-1
    for base, scale in ((mine, 1.0), (digits, 1 / 255)):
        text = render_script(RunStore().info(fake_run(base=f"run:{base}")))
        settings = ast.literal_eval(text.split("SETTINGS = ", 1)[1].split("\n\n", 1)[0])
        assert settings["base_model"] == str(RunStore().resolve(base) / runfiles.MODEL)
        assert (
            settings["base_scale"] == scale
            and "GlobalAveragePooling2D" in settings["feature_kinds"]
        )


def test_the_script_and_the_copy_are_made_without_tensorflow():
    from tests.test_import_hygiene import heavy, modules_after

    loaded = modules_after("import tui_dl.cli.export, tui_dl.engine.export")
    assert "tui_dl.engine.export.script" in loaded
    assert heavy(loaded, ("tensorflow", "keras")) == []


# ----- for real -------------------------------------------------------------------------------


def without_tui_dl(script: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python script` where `import tui_dl` fails: it must need none of it (in a fork of the
    worker's TensorFlow-warm script runner, tests/script_runner.py)."""
    return run_script(script, cwd=cwd, timeout=600)


@pytest.mark.slow
def test_the_script_trains_the_run_again_and_tflite_answers_as_keras(tmp_path, capsys):
    from tests.test_my_images_trainer import finished
    from tui_dl.engine.export.tflite import TOLERANCE  # imports TensorFlow: here, not at collection
    from tui_dl.engine.jobs.launch import launch_run

    folder = shapes_folder(tmp_path / "shapes", 10)
    (folder / "circles" / "notes.txt").write_text("not a picture")  # both skip these
    (folder / "squares" / "empty.png").write_bytes(b"")
    (folder / "squares" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    params = {"folder": folder, "base": "scratch", "image_size": 24, "epochs": 6,
              "learning_rate": 0.003, "seed": 7}  # fmt: skip
    run_end = finished(launch_run("my-images", params))[-1]
    run = RunStore().resolve("latest").name
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    code, out, err = export(capsys, run, "-o", str(out_dir / "again.py"), "--json")
    assert code == 0, err
    done = without_tui_dl(out_dir / "again.py", out_dir)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Note: the run read" not in done.stderr  # the same 30 pictures as the run
    metrics = json.loads(done.stdout.strip().splitlines()[-1])
    assert metrics["n_test"] == 6
    assert abs(metrics["test_accuracy"] - run_end["metrics"]["test_accuracy"]) <= 0.02
    assert metrics["per_class"] == pytest.approx(run_end["per_class"])

    code, out, err = export(capsys, run, "--tflite", "-o", str(out_dir / "m.tflite"), "--json")
    assert code == 0, err
    said = json.loads(out)
    written = out_dir / "m.tflite"
    assert said["bytes"] == written.stat().st_size > 0
    assert written.read_bytes()[4:8] == b"TFL3"  # a TFLite flatbuffer
    assert said["compared"] == "6 test pictures" and 0 <= said["max_difference"] <= TOLERANCE
    # And on pictures of its own, apart from the job: the file answers as the model does.
    model = RunStore().resolve(run) / runfiles.MODEL
    check = (
        "import sys, numpy as np, keras, tensorflow as tf\n"
        "model = keras.models.load_model(sys.argv[1], compile=False)\n"
        "x = np.random.default_rng(1).uniform(0, 255, (5, 24, 24, 3)).astype(np.float32)\n"
        "lite = tf.lite.Interpreter(model_path=sys.argv[2])\n"
        "given = lite.get_input_details()[0]\n"
        "lite.resize_tensor_input(given['index'], list(x.shape)); lite.allocate_tensors()\n"
        "lite.set_tensor(given['index'], x); lite.invoke()\n"
        "out = lite.get_tensor(lite.get_output_details()[0]['index'])\n"
        "print(float(np.abs(out - model.predict(x, verbose=0)).max()))\n"
    )
    (out_dir / "check.py").write_text(check)
    compared = run_script(out_dir / "check.py", str(model), str(written), cwd=out_dir)
    assert compared.returncode == 0, compared.stderr[-2000:]
    assert float(compared.stdout.strip().splitlines()[-1]) <= TOLERANCE

    code, out, _ = export(capsys, run, "--keras", "-o", str(out_dir), "--json")
    assert code == 0 and Path(json.loads(out)["path"]).read_bytes() == model.read_bytes()
