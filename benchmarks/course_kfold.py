"""The course's k-fold as it wrote it: scikeras `cross_val_score`, a child of kfold_vs_scikeras.

StandardScaler on all rows (as the course did), KerasClassifier(epochs=E, verbose=0) with
its default batch size (32), `cross_val_score(..., cv=k)`. Prints one JSON line: the seconds
spent inside cross_val_score and the fold accuracies. Needs `pip install scikeras`.
"""

from __future__ import annotations

import json
import sys
import time

import keras
from scikeras.wrappers import KerasClassifier
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import StandardScaler

from tui_dl.analysis.mammogram import prepare
from tui_dl.data.sources import locate


def create_model() -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(6, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def main(epochs: int, k: int) -> None:
    where = locate("mammographic-masses")
    data = prepare(where.path, where.label, k)
    x = StandardScaler().fit_transform(data.x)
    start = time.monotonic()
    scores = cross_val_score(
        KerasClassifier(model=create_model, epochs=epochs, verbose=0), x, data.y, cv=k
    )
    print(json.dumps({"seconds": time.monotonic() - start, "accuracies": scores.tolist()}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
