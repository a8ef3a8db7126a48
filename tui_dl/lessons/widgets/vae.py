"""A VAE's sampling step: z = μ + σ·ε, and the KL term that pulls q(z) = N(μ, σ²) to N(0, 1).

The encoder outputs μ and log σ² for each image; the decoder needs a sample z. Drawing z
directly would block the gradient, so the randomness is moved into ε ~ N(0, I), drawn once,
and z = μ + σ·ε is a smooth function of μ and σ: the reparameterisation trick. The widget
keeps the same ε while the learner moves μ and σ, so the cloud of samples is visibly the
standard normal's cloud shifted and stretched.

KL(N(μ, σ²) ‖ N(0, 1)) per dimension is −½(1 + log σ² − μ² − σ²), summed over the latent
dimensions; `monte_carlo_kl` estimates the same number from samples, which the tests compare.
"""

from __future__ import annotations

import numpy as np

SAMPLES = 400
MU_STEP = 0.25
MU_LIMIT = 3.0
SIGMAS = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.4, 2.0)
"""The σ values ←/→ step through (σ > 0 always; log σ² is what the encoder outputs)."""


def noise(count: int = SAMPLES, dims: int = 2, seed: int = 0) -> np.ndarray:
    """ε ~ N(0, I): (count, dims), seeded."""
    return np.random.default_rng(seed).standard_normal((count, dims))


def reparameterise(mu, sigma, epsilon) -> np.ndarray:
    """z = μ + σ·ε, row by row: the samples the decoder would see."""
    return np.asarray(mu, dtype=float) + np.asarray(sigma, dtype=float) * np.asarray(epsilon)


def kl_divergence(mu, sigma) -> float:
    """KL(N(μ, diag σ²) ‖ N(0, I)) in closed form: −½ Σ (1 + log σ² − μ² − σ²)."""
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    log_var = np.log(sigma**2)
    value = float(-0.5 * np.sum(1.0 + log_var - mu**2 - sigma**2))
    return value if value > 0 else 0.0  # never below 0; and no "-0.000" at the prior


def log_normal(z, mu, sigma) -> np.ndarray:
    """log N(z; μ, diag σ²), summed over the last axis."""
    z, mu, sigma = (np.asarray(a, dtype=float) for a in (z, mu, sigma))
    per_dim = -0.5 * (np.log(2 * np.pi * sigma**2) + ((z - mu) / sigma) ** 2)
    return per_dim.sum(axis=-1)


def monte_carlo_kl(mu, sigma, epsilon) -> float:
    """The KL as an average over samples z = μ + σ·ε of log q(z) − log p(z)."""
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    z = reparameterise(mu, sigma, epsilon)
    log_q = log_normal(z, mu, sigma)
    log_p = log_normal(z, np.zeros_like(mu), np.ones_like(sigma))
    return float(np.mean(log_q - log_p))


def kl_gradient(mu, sigma) -> tuple[np.ndarray, np.ndarray]:
    """∂KL/∂μ = μ and ∂KL/∂σ = σ − 1/σ: the pull towards μ = 0, σ = 1."""
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    return mu.copy(), sigma - 1.0 / sigma
