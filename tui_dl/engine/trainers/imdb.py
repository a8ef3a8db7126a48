"""The course's LSTM on IMDB reviews: Embedding → LSTM → Dense 1 sigmoid, positive or negative.

Besides the model, the run folder gets what the reviews screen needs without TensorFlow:
`words.json` (the vocabulary the model was trained with), `reviews.json` (a few test reviews
as indices, and after training the model's verdicts and its most confident mistakes) and
`sentiment.npz` (the trained weights as plain arrays, so the screen can score a sentence the
learner types in a few milliseconds, word by word).

The network is the exported script's own code (`export/templates/parts/imdb_model.py`): a run
and its script cannot drift apart.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import keras
import numpy as np

from tui_dl.analysis.sentiment import save_reviews, save_sentiment, save_vocabulary
from tui_dl.data.reviews import Reviews, load_imdb, pad
from tui_dl.engine import runfiles
from tui_dl.engine.events import Emit, Event
from tui_dl.engine.export.templates.parts.imdb_model import build_lstm
from tui_dl.engine.trainers import Cancel
from tui_dl.engine.trainers.common import (
    begin,
    emit_started,
    fit_reported,
    save_model,
)

SAMPLES_PER_CLASS = 4
WRONG = 6


def sample_reviews(labels: np.ndarray, seed: int) -> list[int]:
    """A few test reviews of each kind, negative first, the same ones for the same seed."""
    rng = np.random.default_rng(seed)
    picks: list[int] = []
    for label in (0, 1):
        where = np.flatnonzero(labels == label)
        picks += sorted(rng.choice(where, min(SAMPLES_PER_CLASS, len(where)), replace=False))
    return [int(i) for i in picks]


def review_entry(reviews: Reviews, index: int, probability: float | None) -> dict[str, Any]:
    return {
        "index": index,
        "label": int(reviews.y_test[index]),
        "indices": reviews.x_test[index],
        "probability": None if probability is None else round(float(probability), 4),
    }


def write_reviews(
    run_dir: Path,
    reviews: Reviews,
    p: dict[str, Any],
    samples: list[int],
    probabilities: np.ndarray | None = None,
) -> None:
    """reviews.json: the sample (with verdicts once there are some) and the worst mistakes."""

    def prob(i: int) -> float | None:
        return None if probabilities is None else float(probabilities[i])

    report: dict[str, Any] = {
        "vocabulary": p["vocabulary"],
        "maxlen": p["maxlen"],
        "truncate": p["truncate"],
        "data_source": reviews.describe(),
        "samples": [review_entry(reviews, i, prob(i)) for i in samples],
        "wrong": [],
        "by_label": None,
    }
    if probabilities is not None:
        predicted = (probabilities >= 0.5).astype(np.int64)
        wrongness = np.abs(probabilities - reviews.y_test)
        worst = [int(i) for i in np.argsort(-wrongness)[:WRONG]]
        worst = [i for i in worst if predicted[i] != reviews.y_test[i]]
        report["wrong"] = [review_entry(reviews, i, probabilities[i]) for i in worst]
        report["by_label"] = {
            name: {
                "n": int((reviews.y_test == label).sum()),
                "right": int(((reviews.y_test == label) & (predicted == label)).sum()),
            }
            for label, name in ((0, "negative"), (1, "positive"))
        }
    save_reviews(run_dir, report)


def save_sentiment_weights(run_dir: Path, model: keras.Model, p: dict[str, Any]) -> str:
    """The trained weights as plain arrays: Embedding, LSTM (Keras's i, f, c, o order), Dense."""
    embedding, lstm, dense = model.layers
    kernel, recurrent, bias = lstm.get_weights()
    dense_kernel, dense_bias = dense.get_weights()
    return save_sentiment(
        run_dir,
        embeddings=embedding.get_weights()[0],
        kernel=kernel,
        recurrent_kernel=recurrent,
        bias=bias,
        dense_kernel=dense_kernel,
        dense_bias=dense_bias,
        maxlen=np.array(p["maxlen"]),
        truncate=np.array(p["truncate"]),
    )


def train(spec: runfiles.TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None:
    start = begin(spec)
    run_dir, p = start.run_dir, start.params

    emit(Event.PHASE, phase="loading the reviews")
    reviews = load_imdb(p["vocabulary"], spec.get("data_dir"), allow_download=True)
    if p["train_limit"]:
        reviews.x_train = reviews.x_train[: p["train_limit"]]
        reviews.y_train = reviews.y_train[: p["train_limit"]]
    save_vocabulary(run_dir, reviews.vocabulary.trimmed())
    samples = sample_reviews(reviews.y_test, p["seed"])
    write_reviews(run_dir, reviews, p, samples)
    cut = "start" if p["truncate"] == "start" else "end"
    x_train = pad(reviews.x_train, p["maxlen"], cut)
    x_test = pad(reviews.x_test, p["maxlen"], cut)
    cancel.raise_if_requested()

    model = build_lstm(p)
    emit_started(
        emit, spec, start, "imdb", reviews.describe(), model,
        n_train=len(x_train), n_test=len(x_test),
        note=f"{p['vocabulary']:,} most frequent words, reviews cut or padded to "
        f"{p['maxlen']} words",
    )  # fmt: skip
    reporter, train_s = fit_reported(
        model, x_train, reviews.y_train, (x_test, reviews.y_test), p, emit, cancel
    )

    emit(Event.PHASE, phase="evaluating on the test reviews")
    test_loss, test_accuracy = model.evaluate(
        x_test,
        reviews.y_test,
        verbose=0,
        batch_size=max(p["batch_size"], 256),
        callbacks=[reporter],
    )
    cancel.raise_if_requested()
    probabilities = model.predict(x_test, verbose=0, batch_size=1024).reshape(-1)
    emit(Event.PHASE, phase="saving the model and its verdicts")
    save_model(model, run_dir)
    weights = save_sentiment_weights(run_dir, model, p)
    write_reviews(run_dir, reviews, p, samples, probabilities)
    emit(
        Event.FINISHED,
        metrics={"test_accuracy": float(test_accuracy), "test_loss": float(test_loss)},
        duration_s=round(time.monotonic() - started, 2),
        train_s=round(train_s, 2),
        artifacts={
            "model": runfiles.MODEL,
            "reviews": runfiles.REVIEWS,
            "words": runfiles.WORDS,
            "sentiment": weights,
            "log": runfiles.LOG,
        },
        data_source=reviews.describe(),
        device=spec["device"],
    )
