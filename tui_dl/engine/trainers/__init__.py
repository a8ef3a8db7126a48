"""Experiment trainers: run inside the child process only (they import TensorFlow).

Each experiment names its trainer as "module:function" (`Experiment.runner`); the training
child (`jobs.child`) and a Ray task (`cluster.task`) import only that one and call it as a
`Trainer`. `TRAINERS` holds every trainer to that signature for the type checker only: at run
time nothing imports them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tui_dl.engine.events import Emit
    from tui_dl.engine.runfiles import TrainerSpec


class Cancel(Protocol):
    """The cancel flag a trainer polls (the child's `CancelFlag`, a Ray task's `TaskCancel`)."""

    interruptible: bool
    """True until `fit` starts: a cancel raises at once; after, the callback stops Keras."""

    def check(self) -> bool:
        """Was a cancel asked for?"""
        ...

    def raise_if_requested(self) -> None:
        """Leave the run (`Cancelled`) if a cancel was asked for."""
        ...


class Trainer(Protocol):
    """One experiment's training: reports through `emit` until its finished event, polls
    `cancel`, writes its artifacts into `spec["run_dir"]`; `started` is when the process began
    (time.monotonic), for the run's duration."""

    def __call__(self, spec: TrainerSpec, emit: Emit, cancel: Cancel, started: float) -> None: ...


if TYPE_CHECKING:
    from tui_dl.engine.trainers import (
        gan,
        imagenet,
        images,
        imdb,
        mammogram,
        playground,
        tf_lowlevel,
        transfer_digits,
        vae,
        votes,
    )
    from tui_dl.engine.trainers.my_images import train as my_images

    TRAINERS: Mapping[str, Trainer] = {
        "images": images.train,
        "mammogram": mammogram.train,
        "tf_lowlevel": tf_lowlevel.train,
        "votes": votes.train,
        "imdb": imdb.train,
        "imagenet": imagenet.train,
        "transfer_digits": transfer_digits.train,
        "playground": playground.train,
        "vae": vae.train,
        "gan": gan.train,
        "my_images": my_images.train,
    }
