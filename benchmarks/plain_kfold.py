"""The plain-Keras baseline for votes-kfold in `engine_vs_keras.py`: the k-fold loop a learner
writes — a fresh Keras model per fold, `model.fit(numpy arrays)`, `model.predict`.

Same data (`load_votes`: 232 complete rows, 16 votes), the same stratified, seeded folds, the
same per-fold scaling (`scaled_fold`), the same model (the engine's own `build_model` from the
shared k-fold trainer, with Keras' default `steps_per_execution=1`), seed, epochs and batch
size. What it does not do is what the engine adds for speed: one compiled model reset per fold,
a `tf.data` pipeline, one epoch per call. Each fold is timed from before the model is built to
after its test rows are predicted (the engine's `fold_end.duration_s` spans the reset, scaling,
fit, predict and fold metrics). Prints one JSON object on its last stdout line.
"""

from __future__ import annotations

import argparse
import json
import time

import keras
import numpy as np
from sklearn.model_selection import StratifiedKFold

from tui_dl.analysis.kfold import scaled_fold
from tui_dl.analysis.votes import load_votes
from tui_dl.engine.experiments import VOTES_KFOLD
from tui_dl.engine.trainers.kfold import build_model


def main() -> None:
    p = VOTES_KFOLD.defaults()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=p["epochs"])
    parser.add_argument("--k", type=int, default=p["k"])
    args = parser.parse_args()
    p["epochs"], p["k"] = args.epochs, args.k

    keras.utils.set_random_seed(p["seed"])
    votes = load_votes(None)
    x, y = votes.x, votes.y
    folds = StratifiedKFold(p["k"], shuffle=True, random_state=p["seed"]).split(x, y)
    durations, ends, accuracies = [], [], []
    for train_rows, test_rows in folds:
        start = time.monotonic()
        x_train, x_test, _ = scaled_fold(x, train_rows, test_rows)
        model = build_model(
            p["hidden"],
            p["activation"],
            p["optimizer"],
            p["learning_rate"],
            steps_per_execution=1,
            n_features=x.shape[1],
        )
        model.fit(x_train, y[train_rows], epochs=p["epochs"], batch_size=p["batch_size"], verbose=0)
        probabilities = model.predict(x_test, verbose=0)[:, 0]
        accuracies.append(float(np.mean((probabilities >= 0.5) == y[test_rows])))
        durations.append(time.monotonic() - start)
        ends.append(time.time())
    result = {
        "n_train": int(len(y)),
        "fit_s": sum(durations),
        "epoch_durations": durations,
        "epoch_ends": ends,
        "accuracy_mean": float(np.mean(accuracies)),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
