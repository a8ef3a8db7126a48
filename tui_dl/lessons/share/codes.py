"""Share codes: a short, self-contained text for a setup — an experiment and its settings, a
lesson page, a Playground state, a sweep grid, a screen — that anyone can type back in.

A code is the setup's target text (the words a lesson's `try:` entries use, plus
`page=N` for a lesson page), deflated against a fixed dictionary of tui-dl's own words so
short setups stay short, with a 16-bit checksum, in Crockford's base32 (no I, L, O or U to
misread), grouped by four after a version prefix:

    lab mnist-mlp epochs=3   →   TD1-…  (see `encode`)

No server holds anything: the code is the setup. Decoding forgives case, spaces, dashes
and the look-alikes (O→0, I and L→1); a mistyped character fails the checksum.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from tui_dl.lessons.tries import COURSE_KINDS, Target, parse_target

PREFIX = "TD1"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
MAX_CODE = 400
"""Longer than any setup's code: what is pasted beyond it is not a code."""
DICTIONARY = (
    b"screen ganlab screen course screen runs screen class lesson page= gradient-descent "
    b"softmax activation-functions ethics history backprop optimizers overfitting tuning "
    b"normalising cnn rnn transfer vae gan "
    b"playground activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&"
    b"learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2&seed=0.&"
    b"showTestData=false&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&"
    b"xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&"
    b"collectStats=false&problem=classification&initZero=false&hideText=false "
    b"sweep learning_rates=0.1,0.01,0.001 batch_sizes=32,128,256 "
    b"lab fashion-gan fashion-vae transfer-digits transfer-imagenet imdb-lstm votes-kfold "
    b"mammogram tf-lowlevel mnist-cnn mnist-mlp-dropout mnist-mlp epochs= batch_size= "
    b"learning_rate=0.001 hidden_units= dropout=0. optimizer=adam rmsprop sgd dataset=mnist "
    b"fashion-mnist patience= train_limit= seed= steps= "
)
"""The words setups are made of (fixed for the code's version: changing it changes codes)."""


@dataclass(frozen=True)
class Shared:
    """What a code opens: a target, and for a lesson the page (0-based)."""

    target: Target
    page: int | None = None

    @property
    def text(self) -> str:
        if self.target.kind == "lesson" and self.page is not None:
            return f"{self.target.text} page={self.page + 1}"
        return self.target.text


def encode(shared: Shared) -> str:
    """The code for a setup."""
    text = shared.text.encode("utf-8")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, DICTIONARY)
    packed = packer.compress(text) + packer.flush()
    check = zlib.crc32(text) & 0xFFFF
    digits = _base32(packed + check.to_bytes(2, "big"))
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    return "-".join([PREFIX, *groups])


def parse_shared(text: str) -> Shared:
    """Target text (and `page=N` after a lesson's id) → Shared; ValueError saying what is
    wrong with it."""
    words = text.split()
    page = None
    if words[:1] == ["lesson"] and len(words) == 3 and words[2].startswith("page="):
        number = words[2].removeprefix("page=")
        if not number.isdigit() or int(number) < 1:
            raise ValueError(f"page={number}: a page is a number from 1")
        page = int(number) - 1
        text = " ".join(words[:2])
    return Shared(parse_target(text, kinds=COURSE_KINDS), page)


def decode(code: str) -> Shared:
    """A code as typed → what it opens; ValueError with a message a learner can act on."""
    shown = code.strip()
    if len(shown) > MAX_CODE:
        raise ValueError("That is too long to be a share code (a code is a few groups of 4).")
    cleaned = "".join(shown.split()).replace("-", "").upper().translate(LOOKALIKES)
    if not cleaned.startswith("TD"):
        short = shown if len(shown) <= 24 else shown[:21] + "…"
        raise ValueError(f"{short!r} is not a share code: a code starts with {PREFIX}-")
    version = cleaned[2:3]
    if version != PREFIX[2]:
        raise ValueError(
            f"This code is of version {version or '?'}, from another tui-dl: this one reads "
            f"{PREFIX} codes (update tui-dl, or ask for the code again)."
        )
    digits = cleaned[3:]
    bad = sorted({ch for ch in digits if ch not in ALPHABET})
    if bad:
        raise ValueError(f"{''.join(bad)!r} cannot be part of a share code: it was mistyped")
    try:
        data = _unbase32(digits)
        if len(data) < 3:
            raise ValueError
        unpacker = zlib.decompressobj(-15, DICTIONARY)
        text = unpacker.decompress(data[:-2], 4096) + unpacker.flush()
        if not unpacker.eof or unpacker.unconsumed_tail or unpacker.unused_data:
            raise ValueError
    except (ValueError, zlib.error):
        raise ValueError(_MISTYPED) from None
    if zlib.crc32(text) & 0xFFFF != int.from_bytes(data[-2:], "big"):
        raise ValueError(_MISTYPED)
    try:
        return parse_shared(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError(_MISTYPED) from None
    except ValueError as exc:
        raise ValueError(f"The code reads `{text.decode()}`, which cannot open: {exc}") from None


_MISTYPED = "That share code was mistyped: a character is wrong or missing."


def describe(shared: Shared) -> str:
    """What a code opens, in words."""
    target = shared.target
    settings = " ".join(f"{k}={v}" for k, v in target.settings)
    if target.kind == "lab":
        return f"the lab on {target.name}" + (f" with {settings}" if settings else "")
    if target.kind == "sweep":
        return f"a sweep of {target.name}" + (f": {settings}" if settings else "")
    if target.kind == "playground":
        return "the Playground on a setup" if target.state else "the Playground"
    if target.kind == "lesson":
        page = f", page {shared.page + 1}" if shared.page is not None else ""
        return f"the lesson {target.name}{page}"
    return f"the {target.name} screen"


def _base32(data: bytes) -> str:
    number = int.from_bytes(b"\x01" + data, "big")  # a leading 1 keeps leading zero bytes
    digits = []
    while number:
        number, rest = divmod(number, 32)
        digits.append(ALPHABET[rest])
    return "".join(reversed(digits))


def _unbase32(digits: str) -> bytes:
    number = 0
    for ch in digits:
        number = number * 32 + ALPHABET.index(ch)
    data = number.to_bytes((number.bit_length() + 7) // 8, "big")
    if not data or data[0] != 1:
        raise ValueError("not a code")
    return data[1:]
