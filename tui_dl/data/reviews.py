"""IMDB movie reviews as Keras stores them, read with numpy, and turned back into words.

Keras keeps each review as a list of word *ranks* (1 = the most frequent word in the whole
corpus) and, when it loads them, shifts every rank by 3 to make room for three reserved
indices: 0 pads short reviews, 1 marks the start of a review, 2 stands for any word outside
the vocabulary (rarer than the `num_words` most frequent). Index 3 is never used. This module
does the same, without TensorFlow, so the UI can decode reviews and encode a learner's own
sentence exactly as the model saw its training data.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from tui_dl.data.registry import DatasetUnavailable
from tui_dl.data.sources import Located, locate

PAD, START, OOV = 0, 1, 2
INDEX_FROM = 3
"""Keras's `index_from`: a word of rank r is index r + 3."""
RESERVED = {PAD: "<pad>", START: "<start>", OOV: "<unk>", 3: "<unused>"}
KERAS_SEED = 113
"""`keras.datasets.imdb.load_data` shuffles train and test with this seed; so do we."""

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def tokens(text: str) -> list[str]:
    """Lower-case words as the IMDB index spells them: HTML breaks and punctuation dropped."""
    text = text.lower().replace("<br />", " ").replace("’", "'")
    return _WORD.findall(text)


@dataclass(frozen=True)
class Vocabulary:
    """The word ↔ index mapping a model was trained with."""

    words: tuple[str, ...]
    """words[r - 1] is the word of rank r (at least the `num_words` most frequent)."""
    num_words: int
    """Indices below this are kept; the rest become <unk> (Keras's `num_words`)."""

    @classmethod
    def from_word_index(cls, word_index: dict[str, int], num_words: int) -> Vocabulary:
        ordered = sorted(word_index.items(), key=lambda item: item[1])
        if any(rank != i for i, (_, rank) in enumerate(ordered, start=1)):
            raise ValueError("the word index does not number its words 1, 2, 3, …")
        return cls(tuple(word for word, _ in ordered), num_words)

    def trimmed(self) -> Vocabulary:
        """Only the words the model can tell apart: what a run folder keeps."""
        return Vocabulary(self.words[: max(0, self.num_words - INDEX_FROM - 1)], self.num_words)

    def index(self, word: str) -> int:
        rank = self._ranks.get(word)
        if rank is None or rank + INDEX_FROM >= self.num_words:
            return OOV
        return rank + INDEX_FROM

    @cached_property
    def _ranks(self) -> dict[str, int]:
        return {w: r for r, w in enumerate(self.words, start=1)}

    def encode(self, text: str) -> list[int]:
        """A sentence → indices, starting with the start mark, as Keras's loader produces."""
        return [START, *(self.index(w) for w in tokens(text))]

    def word(self, index: int) -> str:
        if index in RESERVED:
            return RESERVED[index]
        position = index - INDEX_FROM - 1
        return self.words[position] if 0 <= position < len(self.words) else RESERVED[OOV]

    def decode(self, indices: Iterable[int], keep_padding: bool = False) -> list[str]:
        return [self.word(int(i)) for i in indices if keep_padding or int(i) != PAD]

    def to_json(self) -> dict:
        return {"num_words": self.num_words, "words": list(self.words)}

    @classmethod
    def from_json(cls, data: dict) -> Vocabulary:
        return cls(tuple(data["words"]), int(data["num_words"]))


def pad(sequences: Sequence[Sequence[int]], maxlen: int, truncate: str = "start") -> np.ndarray:
    """Every sequence to exactly `maxlen`: zeros in front of short ones; long ones cut.

    truncate="start" drops a long review's first words (keeps its last `maxlen`), as
    `keras.utils.pad_sequences` does by default; "end" keeps its first `maxlen`.
    """
    out = np.zeros((len(sequences), maxlen), np.int32)
    for row, seq in enumerate(sequences):
        seq = list(seq)
        kept = seq[-maxlen:] if truncate == "start" else seq[:maxlen]
        if kept:
            out[row, maxlen - len(kept) :] = kept
    return out


def window(length: int, maxlen: int, truncate: str = "start") -> tuple[int, int]:
    """Which words [first, last) of a `length`-long sequence the model reads after `pad`."""
    if length <= maxlen:
        return 0, length
    return (length - maxlen, length) if truncate == "start" else (0, maxlen)


@dataclass
class Reviews:
    """Reviews as index lists (start mark, shifted ranks, <unk>), labels 1 = positive."""

    x_train: list[list[int]]
    y_train: np.ndarray
    x_test: list[list[int]]
    y_test: np.ndarray
    vocabulary: Vocabulary
    located: Located

    def describe(self) -> str:
        return f"{self.located.label}: {len(self.x_train):,} train / {len(self.x_test):,} test"


def read_word_index(path: Path) -> dict[str, int]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetUnavailable(
            f"The word index {path} cannot be read ({exc}). Delete it and get a fresh copy.",
            "imdb-word-index",
        ) from exc
    if not isinstance(data, dict) or not all(isinstance(v, int) for v in data.values()):
        raise DatasetUnavailable(
            f"{path} is not a word index (a JSON object of word → rank).", "imdb-word-index"
        )
    return data


def read_imdb_npz(path: Path) -> tuple[list, np.ndarray, list, np.ndarray]:
    """Raw ranks (unshifted) and labels, as stored in Keras's `imdb.npz`."""
    try:
        # Keras stores each review as a Python list inside an object array, so pickle it is.
        with np.load(path, allow_pickle=True) as f:
            arrays = [f[k] for k in ("x_train", "y_train", "x_test", "y_test")]
    except (OSError, ValueError, KeyError, zlib.error, EOFError, pickle.UnpicklingError) as exc:
        raise DatasetUnavailable(
            f"The file {path} is not a readable Keras IMDB .npz ({exc}). It may be damaged; "
            "delete it and get a fresh copy.",
            "imdb",
        ) from exc
    x_train, y_train, x_test, y_test = arrays
    if len(x_train) != len(y_train) or len(x_test) != len(y_test):
        raise DatasetUnavailable(f"{path}: reviews and labels differ in number.", "imdb")
    return list(x_train), y_train.astype(np.int64), list(x_test), y_test.astype(np.int64)


def _shift(raw: list, num_words: int) -> list[list[int]]:
    """Keras's treatment: start mark, ranks + 3, indices ≥ num_words → <unk>."""
    out = []
    for review in raw:
        shifted = np.asarray(review, dtype=np.int64) + INDEX_FROM
        shifted[shifted >= num_words] = OOV
        out.append([START, *shifted.tolist()])
    return out


def load_imdb(
    num_words: int,
    data_dir: str | os.PathLike[str] | None = None,
    allow_download: bool = False,
) -> Reviews:
    """The reviews as `keras.datasets.imdb.load_data(num_words=...)` returns them, plus words.

    Raises `DatasetUnavailable` (saying how to get the files) when either file is missing.
    """
    where = locate("imdb", data_dir=data_dir, allow_download=allow_download)
    words = locate("imdb-word-index", data_dir=data_dir, allow_download=allow_download)
    x_train, y_train, x_test, y_test = read_imdb_npz(where.path)
    vocabulary = Vocabulary.from_word_index(read_word_index(words.path), num_words)
    rng = np.random.RandomState(KERAS_SEED)
    order = np.arange(len(x_train))
    rng.shuffle(order)
    x_train, y_train = [x_train[i] for i in order], y_train[order]
    order = np.arange(len(x_test))
    rng.shuffle(order)
    x_test, y_test = [x_test[i] for i in order], y_test[order]
    return Reviews(
        _shift(x_train, num_words),
        y_train,
        _shift(x_test, num_words),
        y_test,
        vocabulary,
        where,
    )
