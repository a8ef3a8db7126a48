"""The web Playground's random numbers, so that one state string gives the same points and the
same starting weights here as there.

The Playground seeds `Math.random` with `Math.seedrandom(seed)` (David Bau's seedrandom 2.4,
MIT): an RC4 stream keyed by the seed string, its first 256 bytes thrown away, and each double
built from seven or more stream bytes. This is that algorithm written again from its
description, checked against the JavaScript library's own output (tests/test_playground.py).
"""

from __future__ import annotations

import math
from collections.abc import MutableSequence
from typing import TypeVar

WIDTH = 256
MASK = WIDTH - 1
CHUNKS = 6  # stream bytes to start a double with
SIGNIFICANCE = 2**52
OVERFLOW = 2**53

T = TypeVar("T")


def _key(seed: str) -> list[int]:
    """seedrandom's key mixing: each character added to a running xor of the key so far."""
    key: list[int] = []
    smear = 0
    for index, char in enumerate(seed):
        slot = index & MASK
        old = key[slot] if slot < len(key) else 0
        smear ^= old * 19
        value = MASK & (smear + ord(char))
        if slot < len(key):
            key[slot] = value
        else:
            key.append(value)
    return key or [0]


class SeededRandom:
    """`random()` in [0, 1), the same sequence as `Math.seedrandom(seed); Math.random()...`."""

    def __init__(self, seed: str) -> None:
        key = _key(str(seed))
        s = list(range(WIDTH))
        j = 0
        for i in range(WIDTH):
            j = MASK & (j + key[i % len(key)] + s[i])
            s[i], s[j] = s[j], s[i]
        self._s, self._i, self._j = s, 0, 0
        self._bytes(WIDTH)  # RC4-drop[256]

    def _bytes(self, count: int) -> int:
        """The next `count` stream bytes as one big-endian integer."""
        s, i, j, result = self._s, self._i, self._j, 0
        for _ in range(count):
            i = MASK & (i + 1)
            t = s[i]
            j = MASK & (j + t)
            s[i], s[j] = s[j], t
            result = result * WIDTH + s[MASK & (s[i] + t)]
        self._i, self._j = i, j
        return result

    def random(self) -> float:
        n, d, x = self._bytes(CHUNKS), WIDTH**CHUNKS, 0
        while n < SIGNIFICANCE:  # fill all 52 significant bits, a byte at a time
            n = (n + x) * WIDTH
            d *= WIDTH
            x = self._bytes(1)
        while n >= OVERFLOW:  # then exactly 53 bits: shift right rather than round
            n //= 2
            d //= 2
            x >>= 1
        return (n + x) / d

    # ----- what the Playground's generators build on (dataset.ts) ------------------------------
    def uniform(self, low: float, high: float) -> float:
        return self.random() * (high - low) + low

    def normal(self, mean: float = 0.0, variance: float = 1.0) -> float:
        """The polar (Marsaglia) method, one value per accepted pair, as the Playground does."""
        while True:
            v1 = 2 * self.random() - 1
            v2 = 2 * self.random() - 1
            s = v1 * v1 + v2 * v2
            if s <= 1:
                break
        return mean + math.sqrt(variance) * math.sqrt(-2 * math.log(s) / s) * v1

    def shuffle(self, items: MutableSequence[T]) -> None:
        """Fisher–Yates from the end, one draw per place, as the Playground's `shuffle`."""
        counter = len(items)
        while counter > 0:
            index = math.floor(self.random() * counter)
            counter -= 1
            items[counter], items[index] = items[index], items[counter]

    def new_seed(self) -> str:
        """A fresh seed as the Playground makes one: `Math.random().toFixed(5)`."""
        return f"{self.random():.5f}"
