"""Pre-written run artifacts for the screens about one run: real digits (the offline MNIST
sample, deterministic), made-up but plausible predictions, maps and probe results."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tui_dl.data import load_mnist

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
    np.savez_compressed(
        run_dir / "predictions.npz",
        y_true=labels,
        y_pred=probs.argmax(axis=1),
        probabilities=probs.astype(np.float32),
        images=images,
        class_names=np.array([str(i) for i in range(10)]),
    )


def write_attention(run_dir: Path, indices: list[int], method: str = "grad-cam") -> None:
    yy, xx = np.mgrid[0:28, 0:28]
    maps = np.zeros((len(indices), 10, 28, 28), np.float32)
    for n, index in enumerate(indices):
        for c in range(10):
            cy, cx = 8 + (index + c) % 12, 8 + (index * 3 + c) % 12
            maps[n, c] = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 30.0)
    np.savez_compressed(
        run_dir / "attention.npz",
        indices=np.array(indices),
        maps=maps,
        method=np.array(method),
        layer=np.array("conv2d_1"),
    )


def write_probe(run_dir: Path) -> None:
    with np.load(run_dir / "predictions.npz") as data:
        images = data["images"][:12]
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
    (run_dir / "probe.json").write_text(json.dumps(summary))
    np.savez_compressed(
        run_dir / "probe.npz",
        images=images,
        pred=np.full(12, 3),
        conf=np.linspace(0.99, 0.6, 12).astype(np.float32),
    )


def write_kfold(run_dir: Path, uci: Path, k: int = 10) -> None:
    """A finished mammogram run's kfold.json/.npz: the real data, made-up probabilities."""
    from sklearn.model_selection import StratifiedKFold

    from tui_dl.analysis.kfold import fold_metrics, summarise
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
    (run_dir / "kfold.json").write_text(json.dumps(report))
    np.savez_compressed(
        run_dir / "kfold.npz",
        y=y,
        probabilities=probabilities,
        fold=fold_of,
        birads=data.birads,
        x=x,
    )


def kfold_events(k: int = 10, done: int = 10, end: str | None = "finished") -> list[dict]:
    """What a mammogram run writes: started, per-fold progress and fold_end, finished."""
    events = [
        {"event": "phase", "phase": "loading data", "t": 1.0},
        {
            "event": "started",
            "t": 2.0,
            "k": k,
            "n_rows": 830,
            "device": "cpu",
            "data_source": "Mammographic masses — data folder (test)",
            "reference": {"metric": "accuracy_mean", "value": 0.8, "text": "about 80 %"},
        },
    ]
    for fold in range(1, done + 1):
        events.append(
            {
                "event": "progress",
                "fold": fold,
                "folds": k,
                "epoch": 100,
                "epochs": 100,
                "batch": 24,
                "steps": 24,
                "eta_s": 0.0,
                "t": 2.0 + fold,
                "samples_per_s": 9000.0,
                "elapsed_s": 3.0,
                "loss": 0.45,
            }
        )
        events.append(
            {
                "event": "fold_end",
                "fold": fold,
                "folds": k,
                "accuracy": 0.8,
                "sensitivity": 0.82,
                "specificity": 0.78,
                "n": 83,
                "duration_s": 3.1,
                "t": 2.5 + fold,
            }
        )
    if done < k and end is None:
        events.append(
            {
                "event": "progress",
                "fold": done + 1,
                "folds": k,
                "epoch": 37,
                "epochs": 100,
                "batch": 24,
                "steps": 24,
                "eta_s": 2.0,
                "t": 20.0,
                "samples_per_s": 9000.0,
                "elapsed_s": 1.0,
                "loss": 0.5,
            }
        )
    if end == "finished":
        events.append(
            {
                "event": "finished",
                "t": 40.0,
                "duration_s": 38.0,
                "metrics": {"accuracy_mean": 0.8, "accuracy_std": 0.04, "auc": 0.86},
            }
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
