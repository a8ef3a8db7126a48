"""A trained IMDB LSTM, read back as plain numpy: a learner's sentence scored word by word.

The run saves its weights as arrays (`sentiment.npz`) and its vocabulary (`words.json`), so
this needs no TensorFlow: the same Embedding → LSTM → Dense arithmetic Keras does at
inference time (no dropout then), about a millisecond for 80 words. Running the Dense layer
on the LSTM's state after every word shows how the verdict moves as the network reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import numpy as np

from tui_dl.analysis.artifacts import (
    UnreadableArtifact,
    check_array,
    load_json,
    open_npz,
    save_json,
    save_npz,
)
from tui_dl.data.reviews import Vocabulary, pad, tokens, window
from tui_dl.engine import runfiles


class NoSentimentModel(Exception):
    """The run has no trained weights (still training, failed, or another experiment)."""


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class Reading:
    """What the model made of one text."""

    words: list[str]
    """The text's words as the model sees them (rare ones as <unk>), after the start mark."""
    typed: list[str]
    """The same words as they were typed."""
    opinions: list[float]
    """P(positive) after reading each of `words` (only words inside the window are read)."""
    probability: float
    """The verdict: P(positive) after the last word."""
    prior: float
    """P(positive) before the words it compares: after the start mark (or, for a text longer
    than the window, after the first word it reads)."""

    @property
    def unknown(self) -> list[str]:
        return [t for t, w in zip(self.typed, self.words, strict=True) if w == "<unk>"]


def save_vocabulary(run_dir: Path, vocabulary: Vocabulary) -> str:
    """words.json: the vocabulary the model is trained with."""
    save_json(Path(run_dir) / runfiles.WORDS, vocabulary.to_json())
    return runfiles.WORDS


class Words(TypedDict):
    """words.json: the vocabulary a run's model was trained with."""

    words: list[str]
    num_words: int


class ReviewEntry(TypedDict):
    index: int
    label: int
    indices: list[int]
    probability: float | None


class LabelCount(TypedDict):
    n: int
    right: int


class ReviewsReport(TypedDict, total=False):
    """reviews.json as the reviews screen reads it (every key may be missing)."""

    vocabulary: int
    maxlen: int
    truncate: str
    data_source: str
    samples: list[ReviewEntry]
    wrong: list[ReviewEntry]
    by_label: dict[str, LabelCount] | None


def load_vocabulary(run_dir: Path) -> Vocabulary:
    try:
        data = load_json(Path(run_dir) / runfiles.WORDS, Words)
        if not 0 <= data["num_words"] <= MAX_WORDS:
            raise UnreadableArtifact(f"{runfiles.WORDS}: num_words out of range")
        return Vocabulary.from_json(data)
    except (OSError, ValueError, KeyError) as exc:
        raise NoSentimentModel(f"no vocabulary in this run ({exc})") from exc


def save_reviews(run_dir: Path, report: dict[str, Any]) -> str:
    """reviews.json: the sample test reviews as indices (with the verdicts once there are
    some), the most confident mistakes and the right answers per label."""
    save_json(Path(run_dir) / runfiles.REVIEWS, report)
    return runfiles.REVIEWS


def load_reviews(run_dir: Path) -> dict[str, Any]:
    """The run's reviews.json (FileNotFoundError until the run has loaded its data)."""
    report: dict[str, Any] = load_json(Path(run_dir) / runfiles.REVIEWS, ReviewsReport)
    for group in ("samples", "wrong"):
        for entry in report.get(group, []):
            if entry["label"] not in (0, 1) or any(i < 0 for i in entry["indices"]):
                raise UnreadableArtifact(f"{runfiles.REVIEWS}: {group}: not a review's numbers")
    by_label = report.get("by_label") or {}
    if any(not 0 <= c["right"] <= c["n"] for c in by_label.values()):
        raise UnreadableArtifact(f"{runfiles.REVIEWS}: by_label: more right than there are")
    return report


def save_sentiment(run_dir: Path, **weights: np.ndarray) -> str:
    """sentiment.npz: the trained weights as plain arrays (Embedding, LSTM in Keras's i, f, c,
    o order, Dense) with the window they read, for `SentimentModel`."""
    save_npz(Path(run_dir) / runfiles.SENTIMENT, **weights)
    return runfiles.SENTIMENT


WEIGHTS = ("embeddings", "kernel", "recurrent_kernel", "bias", "dense_kernel", "dense_bias",
           "maxlen", "truncate")  # fmt: skip
MAX_WORDS = 10_000_000


class SentimentModel:
    def __init__(self, weights: dict[str, np.ndarray], vocabulary: Vocabulary) -> None:
        """The LSTM's weights as plain arrays, their shapes checked against each other and
        the vocabulary (ValueError naming the first that does not fit)."""
        self.embeddings = check_array("embeddings", weights["embeddings"], "f", 2)
        words, width = self.embeddings.shape
        self.recurrent = check_array("recurrent_kernel", weights["recurrent_kernel"], "f", 2)
        self.units = self.recurrent.shape[0]
        gates = 4 * self.units
        self.kernel = check_array("kernel", weights["kernel"], "f", 2, width)
        self.bias = check_array("bias", weights["bias"], "f", 1, gates)
        if self.kernel.shape[1] != gates or self.recurrent.shape[1] != gates:
            raise ValueError("the LSTM's kernels are not of one size")
        self.dense_kernel = check_array("dense_kernel", weights["dense_kernel"], "f", 2)
        self.dense_kernel = self.dense_kernel.reshape(-1)
        if self.dense_kernel.size != self.units:
            raise ValueError("dense_kernel: not one weight per LSTM unit")
        dense_bias = check_array("dense_bias", weights["dense_bias"], "f", 1)
        self.dense_bias = float(dense_bias.reshape(-1)[0])
        self.maxlen = int(check_array("maxlen", weights["maxlen"], "i", 0))
        self.truncate = str(check_array("truncate", weights["truncate"], "U", 0))
        if not 0 < self.maxlen <= 100_000 or self.truncate not in ("start", "end"):
            raise ValueError("maxlen or truncate: not a window the model reads")
        if vocabulary.num_words > words:
            raise ValueError("the vocabulary has more words than the embeddings")
        self.vocabulary = vocabulary

    @classmethod
    def load(cls, run_dir: Path) -> SentimentModel:
        path = Path(run_dir) / runfiles.SENTIMENT
        if not path.is_file():
            raise NoSentimentModel("The model answers here once training has finished.")
        try:
            weights = open_npz(path, WEIGHTS)
            vocabulary = load_vocabulary(run_dir)
            return cls(weights, vocabulary)
        except NoSentimentModel:
            raise
        except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise NoSentimentModel(f"{path.name} cannot be read ({exc})") from exc

    def states(self, indices: np.ndarray) -> np.ndarray:
        """The LSTM's output h after each step, (steps, units); Keras's gate order i, f, c, o."""
        h = np.zeros(self.units, np.float32)
        c = np.zeros(self.units, np.float32)
        inputs = self.embeddings[indices] @ self.kernel + self.bias
        out = np.empty((len(indices), self.units), np.float32)
        u = self.units
        for t, z in enumerate(inputs):
            z = z + h @ self.recurrent
            i, f = _sigmoid(z[:u]), _sigmoid(z[u : 2 * u])
            g, o = np.tanh(z[2 * u : 3 * u]), _sigmoid(z[3 * u :])
            c = f * c + i * g
            h = o * np.tanh(c)
            out[t] = h
        return out

    def verdicts(self, padded: np.ndarray) -> np.ndarray:
        """P(positive) after each step of one padded sequence (maxlen,)."""
        return _sigmoid(self.states(padded) @ self.dense_kernel + self.dense_bias)

    def predict(self, sequences: list[list[int]]) -> np.ndarray:
        """P(positive) for whole index sequences, as Keras's `predict` gives after `pad`."""
        padded = pad(sequences, self.maxlen, self.truncate)
        return np.array([self.verdicts(row)[-1] for row in padded], np.float32)

    def read(self, text: str) -> Reading:
        typed = tokens(text)
        indices = self.vocabulary.encode(text)  # [START, word, word, ...]
        padded = pad([indices], self.maxlen, self.truncate)[0]
        steps = self.verdicts(padded)
        first, last = window(len(indices), self.maxlen, self.truncate)
        used = last - first
        # The last `used` steps of the padded row read indices[first:last].
        per_index = [float("nan")] * len(indices)
        for k in range(used):
            per_index[first + k] = float(steps[self.maxlen - used + k])
        return Reading(
            words=self.vocabulary.decode(indices[1:]),
            typed=typed,
            opinions=per_index[1:],
            probability=float(steps[-1]),
            prior=per_index[first],
        )


def describe(probability: float) -> str:
    """'positive (87 %)' / 'negative (91 %)': the verdict and how sure."""
    if probability >= 0.5:
        return f"positive ({probability * 100:.0f} %)"
    return f"negative ({(1 - probability) * 100:.0f} %)"
