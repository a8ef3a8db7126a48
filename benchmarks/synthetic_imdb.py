"""A stand-in for Keras's IMDB files, for timing only: the real shapes, made-up words.

`imdb.npz` (reviews as lists of word ranks, object arrays) and `imdb_word_index.json` in Keras's
own format, with Zipf-distributed ranks over an 88,584-word vocabulary and review lengths
spread around the real corpus's mean (about 230 words). The LSTM's speed depends on these
shapes, not on what the words say, so engine and plain script can be compared offline.

    .venv/bin/python benchmarks/synthetic_imdb.py FOLDER [--train 25000] [--test 25000]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

VOCABULARY = 88_584


def write(folder: Path, n_train: int, n_test: int, seed: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)

    def reviews(n: int) -> np.ndarray:
        out = np.empty(n, dtype=object)
        lengths = np.clip(rng.lognormal(5.2, 0.6, n).astype(int), 10, 2500)
        for i, length in enumerate(lengths):
            out[i] = np.minimum(rng.zipf(1.3, length), VOCABULARY).tolist()
        return out

    np.savez(
        folder / "imdb.npz",
        x_train=reviews(n_train),
        y_train=rng.integers(0, 2, n_train),
        x_test=reviews(n_test),
        y_test=rng.integers(0, 2, n_test),
    )
    words = {f"w{r}": r for r in range(1, VOCABULARY + 1)}
    (folder / "imdb_word_index.json").write_text(json.dumps(words))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--train", type=int, default=25_000)
    parser.add_argument("--test", type=int, default=25_000)
    args = parser.parse_args()
    write(args.folder, args.train, args.test)


if __name__ == "__main__":
    main()
