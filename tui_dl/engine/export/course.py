"""The course's Keras experiments as plain scripts (`templates/*_keras.py`): each run's settings
(every one of its experiment's, the defaults of any added since the run was made filled in),
where its data is (found as its trainer finds it: the run's data folder, the Keras cache, the
offline sample), what the run read, and the test metrics it reached, so the script can say
how close it came.

The experiments whose runs cannot honestly be trained again from a script are in `REFUSED`,
each with the reason said by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui_dl.engine.events import Event
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.export.template import ScriptTemplate
from tui_dl.engine.store import RunInfo

REFUSED = {
    "transfer-imagenet": "it trains nothing: it asks a pretrained ImageNet model about one "
    "photo (keras.applications does that in three lines)",
    "playground": "the Playground exports its own Keras script, from its current weights: "
    "open it (`tui-dl playground`) and press x",
}
"""Experiment → why its runs do not export as a script (said after "run X is a NAME run:")."""


def run_data(info: RunInfo, dataset: str) -> tuple[str | None, str]:
    """Where this run's data is now, found as its trainer finds it (no download), and what
    the run said it read."""
    from tui_dl.data.registry import DatasetUnavailable
    from tui_dl.data.sources import locate

    finished = info.final(Event.FINISHED) or {}
    said = str(finished.get("data_source") or "")
    try:
        path: str | None = str(locate(dataset, info.spec.get("data_dir")).path)
    except (DatasetUnavailable, OSError, LookupError):
        path = None
    return path, said or (path or "(not said)")


def run_metrics(info: RunInfo) -> dict[str, float]:
    finished = info.final(Event.FINISHED) or {}
    metrics = finished.get("metrics") or {}
    return {
        k: float(v)
        for k, v in metrics.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }


@dataclass(frozen=True)
class CourseScript(ScriptTemplate):
    """A course experiment's script: its settings, as `shape` makes them, and its data."""

    dataset: str = ""
    """The dataset its trainer locates (mnist / fashion-mnist come from the `dataset` setting)."""

    def settings(self, info: RunInfo) -> dict[str, Any]:
        p = get_experiment(info.experiment).complete(info.spec.get("params", {}))
        dataset = p.get("dataset", self.dataset)
        path, said = run_data(info, dataset)
        if p.get("csv"):  # the learner's own mammogram CSV
            path = said = str(p["csv"])
        s: dict[str, Any] = {"run": info.run_id, "experiment": info.experiment}
        s.update(shape(info.experiment, p))
        s.update(data=path, data_source=said, run_metrics=run_metrics(info))
        return s


def shape(experiment: str, p: dict[str, Any]) -> dict[str, Any]:
    """The settings as the template reads them: a network's layer widths as a list, the
    architecture by name; every other setting as it is."""
    s = dict(p)
    if experiment == "mnist-mlp":
        s.update(network="mlp", hidden=[p["hidden_units"]])
    elif experiment == "mnist-mlp-dropout":
        s.update(network="mlp", hidden=[512, 512])
    elif experiment == "mnist-cnn":
        s.update(network="cnn")
    elif experiment in ("mammogram", "votes-kfold"):
        s.update(
            table="mammogram" if experiment == "mammogram" else "votes",
            hidden=[int(units) for units in str(p["hidden"]).split(",")],
        )
    return s


def course_script(template: str, experiment: str, dataset: str = "") -> CourseScript:
    """The script of `experiment`, from `template`: it reproduces every setting it has."""
    names = frozenset(param.name for param in get_experiment(experiment).params)
    return CourseScript(template=template, reproduces=names, dataset=dataset)


COURSE_SCRIPTS = {
    "mnist-mlp": course_script("images_keras.py", "mnist-mlp"),
    "mnist-mlp-dropout": course_script("images_keras.py", "mnist-mlp-dropout"),
    "mnist-cnn": course_script("images_keras.py", "mnist-cnn"),
    "tf-lowlevel": course_script("tf_lowlevel_keras.py", "tf-lowlevel"),
    "mammogram": course_script("kfold_keras.py", "mammogram", "mammographic-masses"),
    "votes-kfold": course_script("kfold_keras.py", "votes-kfold", "house-votes"),
    "imdb-lstm": course_script("imdb_keras.py", "imdb-lstm", "imdb"),
    "fashion-vae": course_script("vae_keras.py", "fashion-vae", "fashion-mnist"),
    "fashion-gan": course_script("gan_keras.py", "fashion-gan", "fashion-mnist"),
    "transfer-digits": course_script("transfer_digits_keras.py", "transfer-digits"),
}
"""Experiment → its script: the course's Keras experiments that export."""
