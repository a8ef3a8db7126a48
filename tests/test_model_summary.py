"""The model's summary against Keras's own counts, on real small models: a frozen nested base
(BatchNorm's statistics are never trainable) under a trainable head, written when a trainer
saves the model and, for a run saved without it, by the model job in a child process."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pytest

from tui_dl.analysis.layers.summary import find_summary, load_summary
from tui_dl.engine import runfiles
from tui_dl.engine.events import EventLog

if TYPE_CHECKING:
    import keras

# Keras and the job's module (which imports it) are imported inside each test: collecting the
# suite imports no TensorFlow here.


def keras_counts(model: keras.Model) -> tuple[int, int, int]:
    """Total, trainable and non-trainable parameters as `model.summary()` prints them."""
    lines: list[str] = []
    model.summary(print_fn=lambda line, **_: lines.append(line))
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(lines))

    def number(label: str) -> int:
        found = re.search(rf"{label} params: ([\d,]+)", text)
        assert found, text
        return int(found.group(1).replace(",", ""))

    return number("Total"), number("Trainable"), number("Non-trainable")


def transfer_model(frozen: bool = True) -> keras.Model:
    import keras

    keras.utils.set_random_seed(0)
    base = keras.Sequential(
        [
            keras.Input((12, 12, 3)),
            keras.layers.Conv2D(8, 3),
            keras.layers.BatchNormalization(),
            keras.layers.Conv2D(4, 3),
            keras.layers.GlobalAveragePooling2D(),
        ],
        name="base",
    )
    base.trainable = not frozen
    inputs = keras.Input((12, 12, 3))
    features = base(inputs, training=False)
    features = keras.layers.Dropout(0.2)(features)
    outputs = keras.layers.Dense(3, activation="softmax")(features)
    return keras.Model(inputs, outputs, name="transfer")


@pytest.mark.parametrize("frozen", [True, False], ids=["frozen base", "trainable base"])
def test_the_totals_are_keras_own_count_params_trainable_and_frozen_apart(frozen):
    from tui_dl.engine.jobs.layers_task import summarise

    model = transfer_model(frozen)
    summary = summarise(model, runfiles.MODEL)
    total, trainable, non_trainable = keras_counts(model)
    assert summary["trainable"] + summary["frozen"] == model.count_params() == total
    assert (summary["trainable"], summary["frozen"]) == (trainable, non_trainable)
    # BatchNorm's moving mean and variance (2 × 8) are never trained; the base's rest only
    # when it is not frozen: a count that ignored `trainable` would fail one of the two.
    conv, bn, conv2, head = 3 * 3 * 3 * 8 + 8, 4 * 8, 3 * 3 * 8 * 4 + 4, 4 * 3 + 3
    if frozen:
        assert (summary["trainable"], summary["frozen"]) == (head, conv + bn + conv2)
    else:
        assert (summary["trainable"], summary["frozen"]) == (conv + 16 + conv2 + head, 16)
    rows = {row["type"]: row for row in reversed(summary["layers"])}  # the first of each
    base = rows["Sequential"]
    assert base["name"] == "base" and base["depth"] == 0
    assert base["trainable"] + base["frozen"] == model.get_layer("base").count_params()
    assert rows["Conv2D"]["depth"] == 1 and rows["Conv2D"]["shape"] == "(None, 10, 10, 8)"
    assert rows["Dense"]["shape"] == "(None, 3)" and rows["Dense"]["trainable"] == head


def test_saving_a_model_writes_its_summary_beside_it(tmp_path):
    import keras

    from tui_dl.engine.jobs.layers_task import summarise
    from tui_dl.engine.trainers.common import save_model

    model = transfer_model()
    save_model(model, tmp_path)
    summary = load_summary(tmp_path)
    assert summary == summarise(model, runfiles.MODEL)
    loaded = keras.models.load_model(tmp_path / runfiles.MODEL, compile=False)
    assert summarise(loaded, runfiles.MODEL)["frozen"] == summary["frozen"]


def test_a_zoo_network_is_counted_from_its_name():
    from tui_dl.engine.jobs.layers_task import summarise, zoo_model

    model, source, note = zoo_model({"experiment": "transfer-imagenet",
                                     "params": {"model": "mobilenetv2"}})  # fmt: skip
    summary = summarise(model, source, note)
    assert summary["trainable"] + summary["frozen"] == model.count_params() == 3_538_984
    assert summary["frozen"] == 34_112  # the BatchNorm statistics
    assert "MobileNetV2" in source and "without weights" in note


def test_the_model_job_counts_an_older_run(tmp_path):
    import keras

    from tui_dl.engine.jobs.insights import launch_job
    from tui_dl.engine.store import RunStore

    run_dir = RunStore().create({"experiment": "mnist-mlp", "params": {}, "device": "cpu"})
    model = keras.Sequential(
        [keras.Input((784,)), keras.layers.Dense(16, "relu"), keras.layers.Dense(10)]
    )
    model.save(run_dir / runfiles.MODEL)  # saved as before the summary came: none beside it
    job = launch_job(run_dir, "model")
    assert job.wait(300) == 0, (job.run_dir / runfiles.LOG).read_text()[-2000:]
    job.reaper.join(5)
    finished = EventLog(job.run_dir).read_all()[-1]
    assert finished["event"] == "finished" and finished["parameters"] == 784 * 16 + 16 + 170
    summary = find_summary(run_dir, run_dir)
    assert summary["trainable"] == model.count_params() and summary["frozen"] == 0
    assert np.sum([r["trainable"] for r in summary["layers"]]) == 12_730


def test_a_model_that_cannot_be_counted_leaves_no_earlier_summary_beside_it(tmp_path, capsys):
    from tui_dl.engine.trainers.common import save_model

    class Unwalkable:  # saves, but has no layers to count
        def save(self, path) -> None:
            path.write_bytes(b"a model")

    save_model(transfer_model(), tmp_path)
    assert (tmp_path / runfiles.MODEL_SUMMARY).is_file()
    save_model(Unwalkable(), tmp_path)  # the run goes on
    assert not (tmp_path / runfiles.MODEL_SUMMARY).exists()  # not the earlier model's
    assert "summary was not written" in capsys.readouterr().out
