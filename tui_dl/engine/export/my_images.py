"""my-images as a plain Keras script (`templates/my_images_keras.py`): the run's folder, split,
base, head and training settings, and what the run saw (its classes, how many pictures, its
test accuracy) so the script can say when the folder has changed since."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui_dl.engine import runfiles
from tui_dl.engine.events import Event
from tui_dl.engine.experiments.my_images import (
    FEATURE_KINDS,
    IMAGENET_BASES,
    RUN_PREFIX,
    base_scale,
)
from tui_dl.engine.export.refusals import ExportRefused
from tui_dl.engine.export.template import ScriptTemplate
from tui_dl.engine.store import RunInfo, RunStore

TRAINING = ("epochs", "batch_size", "dropout", "fine_tune", "fine_tune_epochs", "augment")
SPLIT = ("validation", "test", "seed")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


@dataclass(frozen=True)
class MyImagesScript(ScriptTemplate):
    def settings(self, info: RunInfo) -> dict[str, Any]:
        p = info.spec.get("params", {})
        started = info.final(Event.STARTED) or {}
        classes, size = started.get("classes"), (started.get("base") or {}).get("size")
        counts = [started.get(f"n_{part}") for part in ("train", "validation", "test")]
        if not (
            isinstance(classes, list)
            and all(isinstance(c, str) for c in classes)
            and isinstance(size, list)
            and len(size) == 2
            and all(_whole(n) for n in (*size, *counts))
            and isinstance(info.test_accuracy, float | int)
        ):
            raise ExportRefused(
                f"run {info.run_id}'s events do not say its classes, picture size, split and "
                "test accuracy: it was made by an older tui-dl, or its events.jsonl is damaged."
            )
        s: dict[str, Any] = {
            "run": info.run_id,
            "folder": str(p["folder"]),
            "other": str(p["other"]) if p.get("other") else None,
            "classes": classes,
            "pictures": sum(counts),
            "run_test_accuracy": float(info.test_accuracy),
            "base": p["base"],
            "image_size": int(size[0]),
        }
        if p["base"] in IMAGENET_BASES:
            s["network"] = IMAGENET_BASES[p["base"]]
            s["weights"] = self._weights(info) if p["weights"] == "imagenet" else "none"
        elif p["base"].startswith(RUN_PREFIX):
            model = self._base_model(info)
            s["base_model"] = str(model)
            s["base_scale"] = base_scale(model.parent)
            s["feature_kinds"] = list(FEATURE_KINDS)
        s.update({key: p[key] for key in TRAINING})
        s["rate"] = p["learning_rate"]
        s.update({key: p[key] for key in SPLIT})
        return s

    @staticmethod
    def _weights(info: RunInfo) -> str:
        """The weights file the run read where it is still here; else "imagenet" (Keras
        downloads the same file into its cache)."""
        from tui_dl.data.registry import get_dataset
        from tui_dl.data.sources import find_local

        found = find_local(
            get_dataset(f"{info.spec['params']['base']}-weights"), info.spec.get("data_dir")
        )
        return str(found.path) if found is not None else "imagenet"

    @staticmethod
    def _base_model(info: RunInfo) -> Path:
        wanted = info.spec["params"]["base"][len(RUN_PREFIX) :]
        try:
            base_dir = RunStore(info.run_dir.parent).resolve(wanted)
        except (LookupError, ValueError, OSError):
            base_dir = None
        model = base_dir / runfiles.MODEL if base_dir is not None else None
        if model is None or not model.is_file():
            raise ExportRefused(
                f"run {info.run_id} was built on run {wanted}, whose {runfiles.MODEL} is not "
                "here any more: the script could not build its base. Export the model instead "
                "(--keras, --tflite)."
            )
        return model


MY_IMAGES_SCRIPT = MyImagesScript(
    template="my_images_keras.py",
    reproduces=frozenset(
        (
            "folder",
            "other",
            "base",
            "weights",
            "learning_rate",
            "image_size",
            "threshold",
            *TRAINING,
            *SPLIT,
        )
    ),
)
"""`threshold` is read: it changes what predict answers, not what is trained."""
