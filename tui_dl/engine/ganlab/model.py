"""The two players: a generator G from 2-D noise to a 2-D point (linear output) and a
discriminator D from a point to the probability that it is real (sigmoid output), each a
Playground network with its own optimiser.

Losses, on each batch's mean: D's binary cross-entropy, real points labelled 1 and fakes 0,
added (−mean log D(x) − mean log(1 − D(G(z))), as GAN Lab adds them: 2·ln 2 ≈ 1.39 when D
can no longer tell); G's non-saturating loss −mean log D(G(z)) (ln 2 ≈ 0.69 then), which
still pulls when D is sure a fake is fake, where log(1 − D(G(z))) would have gone flat.

The losses are computed from D's logit s (D = σ(s)): −log σ(s) = softplus(−s) never takes
the log of a rounded 0, and its derivative σ(s) − 1 is exact. G's gradient reaches G through
D: D's backward pass gives the loss's derivative at each fake point, G's backward pass takes
it from there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tui_dl.engine.ganlab.optimizers import Optimizer
from tui_dl.engine.playground.network import Network


def softplus(s: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, s)


def sigmoid(s: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(s, -500, 500)))


@dataclass
class Gan:
    generator: Network
    discriminator: Network
    g_optimizer: Optimizer
    d_optimizer: Optimizer
    farthest: float = 0.0
    """How far from the middle the last update's fakes reached (a coordinate's size)."""

    @classmethod
    def build(
        cls,
        g_hidden: list[int],
        d_hidden: list[int],
        activations: tuple[str, str],
        optimizer: str,
        rates: tuple[float, float],
        rng: np.random.Generator,
    ) -> Gan:
        """`activations` (the hidden layers') and `rates` (the learning rates): the
        generator's, then the discriminator's."""
        (g_act, d_act), (g_rate, d_rate) = activations, rates
        g = Network.scaled_normal(2, g_hidden, [g_act] * len(g_hidden), 2, "linear", rng)
        d = Network.scaled_normal(2, d_hidden, [d_act] * len(d_hidden), 1, "sigmoid", rng)
        return cls(g, d, Optimizer(optimizer, g_rate), Optimizer(optimizer, d_rate))

    # ----- what each player's loss is and where it points --------------------------------------
    def generate(self, noise: np.ndarray) -> np.ndarray:
        return self.generator.predict(noise)

    def verdict(self, xy: np.ndarray) -> np.ndarray:
        """D(x): the probability that each point is real, (n,)."""
        return self.discriminator.predict(xy)[:, 0]

    def d_loss(self, real: np.ndarray, fake: np.ndarray) -> float:
        on_real = self.discriminator.forward(real).z[-1]
        on_fake = self.discriminator.forward(fake).z[-1]
        return float(softplus(-on_real).mean() + softplus(on_fake).mean())

    def g_loss(self, fake: np.ndarray) -> float:
        return float(softplus(-self.discriminator.forward(fake).z[-1]).mean())

    def d_gradients(self, real: np.ndarray, fake: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """D's loss on this batch, and its derivatives as `discriminator.parameters()` orders
        them."""
        d = self.discriminator
        on_real, on_fake = d.forward(real), d.forward(fake)
        s_real, s_fake = on_real.z[-1], on_fake.z[-1]
        loss = float(softplus(-s_real).mean() + softplus(s_fake).mean())
        from_real = d.backward(on_real, (sigmoid(s_real) - 1.0) / len(real))
        from_fake = d.backward(on_fake, sigmoid(s_fake) / len(fake))
        pairs = zip(from_real.parameters(), from_fake.parameters(), strict=True)
        return loss, [a + b for a, b in pairs]

    def g_gradients(self, noise: np.ndarray) -> tuple[float, list[np.ndarray], np.ndarray]:
        """G's loss on this noise; its derivatives (as `generator.parameters()` orders them);
        and its derivative at each fake point G(z) (n, 2), the way D's verdict pushes it."""
        g_pass = self.generator.forward(noise)
        self.farthest = float(np.abs(g_pass.output).max(initial=0.0))
        d_pass = self.discriminator.forward(g_pass.output)
        s_fake = d_pass.z[-1]
        loss = float(softplus(-s_fake).mean())
        at_points = self.discriminator.backward(d_pass, (sigmoid(s_fake) - 1.0) / len(noise))
        gradients = self.generator.backward(g_pass, at_points.inputs).parameters()
        return loss, gradients, at_points.inputs

    # ----- the two moves --------------------------------------------------------------------
    def d_step(self, real: np.ndarray, noise: np.ndarray) -> float:
        """One discriminator update on a batch of real points and of fakes from `noise`; the
        batch's loss before it."""
        fake = self.generate(noise)
        self.farthest = float(np.abs(fake).max(initial=0.0))
        loss, gradients = self.d_gradients(real, fake)
        self.d_optimizer.apply(self.discriminator.parameters(), gradients)
        return loss

    def g_step(self, noise: np.ndarray) -> float:
        """One generator update (D unchanged); the batch's loss before it."""
        loss, gradients, _ = self.g_gradients(noise)
        self.g_optimizer.apply(self.generator.parameters(), gradients)
        return loss

    def finite(self) -> bool:
        networks = (self.generator, self.discriminator)
        return all(np.isfinite(p).all() for net in networks for p in net.parameters())
