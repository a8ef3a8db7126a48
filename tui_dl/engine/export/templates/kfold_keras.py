# %% The setup: the run's settings, and Keras seeded as the run was
# A k-fold experiment of the course (mammogram masses or house votes) as a plain Keras script:
# the same rows, folds, network, optimizer and seed as the run; one network re-initialised
# for each fold, each fold scaled on its own training rows. It needs keras (with TensorFlow),
# numpy, pandas and scikit-learn.
import argparse
import json
import sys
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

SETTINGS: dict = {}  # the run's settings (written here by the export)

keras.utils.set_random_seed(SETTINGS["seed"])

# %% The data
# include: data_path
MAMMOGRAM = ["BI-RADS", "age", "shape", "margin", "density", "severity"]
PROMISED = {"age": (0, 120), "shape": (1, 4), "margin": (1, 5), "density": (1, 4)}


def mammogram_rows(path):
    """Age, shape, margin, density → severity: rows with a missing value ('?') dropped, then
    rows with a value the data's description does not allow."""
    frame = pd.read_csv(
        path, header=None, na_values=["?"], keep_default_na=False, skipinitialspace=True, dtype=str
    )
    frame.columns = MAMMOGRAM
    frame = frame.apply(pd.to_numeric, errors="coerce")
    kept = frame[~frame.isna().any(axis=1)]
    for column, (low, high) in PROMISED.items():
        kept = kept[kept[column].between(low, high)]
    x = kept[["age", "shape", "margin", "density"]].to_numpy(dtype=np.float32)
    return x, kept["severity"].to_numpy(dtype=np.int64)


def votes_rows(path):
    """16 votes (y = 1, n = 0) → party (democrat = 1): rows with a missing vote dropped."""
    frame = pd.read_csv(path, header=None, na_values=["?"], keep_default_na=False).dropna()
    x = frame.drop(columns=0).replace({"y": 1, "n": 0}).astype(np.float32).to_numpy()
    return x, (frame[0] == "democrat").to_numpy(dtype=np.int64)


x, y = (mammogram_rows if SETTINGS["table"] == "mammogram" else votes_rows)(DATA)
print(f"{len(y)} rows kept", file=sys.stderr)
folds = list(
    StratifiedKFold(SETTINGS["k"], shuffle=True, random_state=SETTINGS["seed"]).split(x, y)
)

# %% The model: one network, compiled once, its weights drawn again for each fold
# include: optimizer
model = keras.Sequential(
    [
        keras.Input(shape=(x.shape[1],)),
        *[
            keras.layers.Dense(units, activation=SETTINGS["activation"])
            for units in SETTINGS["hidden"]
        ],
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(
    optimizer=optimizer(SETTINGS["optimizer"], SETTINGS["learning_rate"], SETTINGS["momentum"]),
    loss="binary_crossentropy",
    metrics=["accuracy"],
    steps_per_execution=int(np.ceil(len(folds[0][0]) / SETTINGS["batch_size"])),
)
model.summary()


def reset(model):
    """A fresh network without a new graph: new random weights, the optimizer's state zero."""
    for layer in model.layers:
        for weight, initializer in (
            (layer.kernel, "kernel_initializer"),
            (layer.bias, "bias_initializer"),
        ):
            weight.assign(getattr(layer, initializer)(weight.shape))
    for variable in model.optimizer.variables:
        if "learning_rate" not in variable.path:
            variable.assign(np.zeros(variable.shape, variable.dtype))


# %% The training: each fold scaled on its own training rows, trained, scored
probabilities = np.zeros(len(y), np.float32)
accuracies = []
for number, (train_rows, test_rows) in enumerate(folds, start=1):
    reset(model)
    scaler = StandardScaler().fit(x[train_rows])
    batches = (
        tf.data.Dataset.from_tensor_slices(
            (scaler.transform(x[train_rows]).astype(np.float32), y[train_rows].astype(np.float32))
        )
        .shuffle(len(train_rows), seed=SETTINGS["seed"] + number, reshuffle_each_iteration=True)
        .batch(SETTINGS["batch_size"])
    )
    model.fit(batches, epochs=SETTINGS["epochs"], verbose=0)
    fold = model.predict(scaler.transform(x[test_rows]), verbose=0, batch_size=1024)[:, 0]
    probabilities[test_rows] = fold
    accuracies.append(float(((fold >= 0.5) == y[test_rows]).mean()))
    print(f"fold {number} of {SETTINGS['k']}: accuracy {accuracies[-1]:.4f}")

# %% The evaluation: the test metrics, as JSON on the last line
metrics = {
    "accuracy_mean": float(np.mean(accuracies)),
    "accuracy_std": float(np.std(accuracies)),
    "auc": float(roc_auc_score(y, probabilities)),
}
predicted = probabilities >= 0.5  # over every fold's test rows together
if SETTINGS["table"] == "mammogram":  # malignant masses found, benign ones spared
    metrics["sensitivity"] = float(predicted[y == 1].mean())
    metrics["specificity"] = float((~predicted[y == 0]).mean())
# include: report
