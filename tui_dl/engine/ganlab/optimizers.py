"""The two ways GAN Lab moves a network's parameters: plain gradient descent and Adam.

Each network has its own optimiser, as in GAN Lab and the course's GAN (two Adams with their
own learning rates): the discriminator and the generator are two players, each following
only its own loss. An optimiser changes the parameter arrays in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

OPTIMIZERS = ("sgd", "adam")
BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-8
"""Adam's defaults (Kingma and Ba; GAN Lab's and Keras's too)."""


@dataclass
class Optimizer:
    kind: str
    """`sgd` or `adam`."""
    learning_rate: float
    steps: int = 0
    _first: list[np.ndarray] = field(default_factory=list, repr=False)
    _second: list[np.ndarray] = field(default_factory=list, repr=False)

    def apply(self, parameters: list[np.ndarray], gradients: list[np.ndarray]) -> None:
        """One step down `gradients` (the mean loss's, as `parameters` orders them)."""
        self.steps += 1
        if self.kind == "sgd":
            for p, g in zip(parameters, gradients, strict=True):
                p -= self.learning_rate * g
            return
        if not self._first:
            self._first = [np.zeros_like(p) for p in parameters]
            self._second = [np.zeros_like(p) for p in parameters]
        # The bias correction folded into the step size, as the paper's last form has it.
        t = self.steps
        size = self.learning_rate * np.sqrt(1 - BETA2**t) / (1 - BETA1**t)
        for p, g, m, v in zip(parameters, gradients, self._first, self._second, strict=True):
            m *= BETA1
            m += (1 - BETA1) * g
            v *= BETA2
            v += (1 - BETA2) * g * g
            p -= size * m / (np.sqrt(v) + EPSILON)
