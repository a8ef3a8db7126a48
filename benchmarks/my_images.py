"""my-images' two speed claims (issue 26), measured on the engine's own code, in one process:

- head training on cached features (the trainer's `fit_reported` on the head alone) against
  plain Keras `model.fit` with the frozen base inside the model, same pictures, labels, batch
  size and epochs: seconds per epoch, each after a one-epoch warm-up (tracing left out);
- feature extraction (`features.extract`: the base with its preprocessing inside, batches of
  32, a progress callback) against plain `base.predict` on the same pictures
  (keras.applications' network without its head, `preprocess_input` applied first, Keras's
  default batch of 32): plain seconds / ours, so ≥ 1 means ours is faster.

Pictures are random (N, S, S, 3) in three classes; MobileNetV2 with ImageNet weights at 224
where they are on this machine, else untrained at `--size` (the timings do not depend on the
weights). Alternated, median of `--repeats`.

    PYTHONPATH=. .venv/bin/python benchmarks/my_images.py [--pictures 300] [--size 96]
        [--epochs 5] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


class NoCancel:
    interruptible = True
    run_dir = None

    def check(self) -> bool:
        return False

    def raise_if_requested(self) -> None:
        return None


def quiet(*_args, **_fields) -> None:
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=300)
    parser.add_argument("--size", type=int, default=96)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import keras
    import numpy as np

    from tui_dl.data.registry import get_dataset
    from tui_dl.data.sources import find_local
    from tui_dl.engine.export.templates import my_images_keras as script
    from tui_dl.engine.trainers.common import fit_reported
    from tui_dl.engine.trainers.my_images import bases
    from tui_dl.engine.trainers.my_images.features import extract
    from tui_dl.engine.trainers.transfer_digits import compile_model as compiled

    weighted = find_local(get_dataset("mobilenetv2-weights")) is not None
    size = 224 if weighted else args.size
    p = {
        "base": "mobilenetv2",
        "weights": "imagenet" if weighted else "none",
        "image_size": size,
        "seed": 0,
        "augment": "no",
    }
    base = bases.build(p, Path("."), None, quiet)
    assert base.model is not None
    base.model.trainable = False
    rng = np.random.default_rng(0)
    pixels = rng.uniform(0, 255, (args.pictures, size, size, 3)).astype(np.float32)
    labels = rng.integers(0, 3, args.pictures)
    settings = {"batch_size": 32, "epochs": args.epochs, "learning_rate": 0.001}

    module = keras.applications.mobilenet_v2
    plain_base = module.MobileNetV2(
        input_shape=(size, size, 3), include_top=False, pooling="avg", weights=None
    )
    plain_base.trainable = False
    plain_model = compiled(
        keras.Sequential([plain_base, *script.head_layers(3, 0.2)], name="plain"), 0.001
    )
    plain_model.fit(pixels, labels, batch_size=32, epochs=1, verbose=0)  # warm-up

    features = extract(base.model, pixels, quiet, NoCancel())
    head = compiled(
        keras.Sequential([keras.Input(features.shape[1:]), *script.head_layers(3, 0.2)]), 0.001
    )
    fit_reported(head, features, labels, None, settings, quiet, NoCancel(), epochs=1)

    times: dict[str, list[float]] = {k: [] for k in ("head", "plain fit", "extract", "predict")}
    for _ in range(args.repeats):
        start = time.perf_counter()
        plain_model.fit(pixels, labels, batch_size=32, epochs=args.epochs, verbose=0)
        times["plain fit"].append((time.perf_counter() - start) / args.epochs)
        _, seconds = fit_reported(head, features, labels, None, settings, quiet, NoCancel())
        times["head"].append(seconds / args.epochs)
        start = time.perf_counter()
        plain_base.predict(module.preprocess_input(pixels.copy()), verbose=0)
        times["predict"].append(time.perf_counter() - start)
        start = time.perf_counter()
        extract(base.model, pixels, quiet, NoCancel())
        times["extract"].append(time.perf_counter() - start)
    median = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"load average {os.getloadavg()[0]:.2f}; {args.pictures} pictures at {size}×{size}, "
        f"MobileNetV2 {'ImageNet' if weighted else 'untrained'}, {args.epochs} epochs, "
        f"median of {args.repeats}"
    )
    print(
        f"head on cached features {median['head'] * 1000:8.1f} ms/epoch   plain fit with the "
        f"frozen base {median['plain fit'] * 1000:8.1f} ms/epoch   "
        f"{median['plain fit'] / median['head']:.0f}× faster"
    )
    print(
        f"feature extraction {median['extract']:6.2f} s   plain base.predict "
        f"{median['predict']:6.2f} s   plain/ours {median['predict'] / median['extract']:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
