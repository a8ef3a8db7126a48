"""The Playground's network in numpy: forward, backward and its own update rule, a batch at a
time.

The web Playground (src/nn.ts) walks one example at a time through node and link objects,
adds each example's derivatives up, and every `batchSize` examples moves each bias by
`lr × mean(dE/db)` and each weight by `lr / n × (sum of dE/dw + regRate × reg'(w))` — the
regularisation counted once per update and divided by the batch, as it does. Summing a
batch's derivatives with one matrix product gives the same numbers, at a fraction of the cost.
A batch cut short at the end of an epoch is not applied: its sums wait for the next epoch's
first batch, as there.

Weights start uniform in [−0.5, 0.5) drawn in the web's order (for each layer, each neuron,
each neuron of the layer before), biases at 0.1; `initZero` starts everything at 0.
Outputs: tanh and the square loss for two classes (targets −1 and +1), linear for regression,
softmax with cross-entropy for more classes (or when chosen). Dropout (ours) drops hidden
outputs in training only, scaling the kept ones up.

`backward` is the chain rule on its own, from any output derivative: it returns the
parameters' derivatives and the inputs' too, so that a loss computed past this network (a
GAN's generator judged by its discriminator) can flow back into the network before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tui_dl.engine.playground.rng import SeededRandom


def _activate(name: str, z: np.ndarray) -> np.ndarray:
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))
    return z


def _derivative(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """d activation / d z, from the input z and the output a."""
    if name == "tanh":
        return 1.0 - a * a
    if name == "relu":
        return (z > 0).astype(z.dtype)
    if name == "sigmoid":
        return a * (1.0 - a)
    return np.ones_like(z)


def softmax(z: np.ndarray) -> np.ndarray:
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


@dataclass
class Forward:
    """One pass: each layer's input sums and outputs (hidden layers, then the output)."""

    z: list[np.ndarray]
    a: list[np.ndarray]
    masks: list[np.ndarray | None]

    @property
    def output(self) -> np.ndarray:
        return self.a[-1]


@dataclass
class Gradients:
    """One backward pass: the derivatives summed over the batch, per layer, and each
    example's derivative with respect to its input (batch, inputs)."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    inputs: np.ndarray

    def parameters(self) -> list[np.ndarray]:
        """As `Network.parameters()` orders them."""
        return [g for pair in zip(self.weights, self.biases, strict=True) for g in pair]


@dataclass
class Network:
    inputs: int
    shape: list[int]  # hidden layers
    activations: list[str]
    outputs: int  # 1, or the number of classes for softmax
    output_activation: str  # "tanh", "linear" or "softmax"
    regularization: str = "none"
    dropout: list[float] = field(default_factory=list)
    weights: list[np.ndarray] = field(default_factory=list)  # (fan_in, fan_out) per layer
    biases: list[np.ndarray] = field(default_factory=list)
    _acc_w: list[np.ndarray] = field(default_factory=list, repr=False)
    _acc_b: list[np.ndarray] = field(default_factory=list, repr=False)
    _acc_n: int = 0

    @classmethod
    def build(
        cls,
        inputs: int,
        shape: list[int],
        activations: list[str],
        outputs: int,
        output_activation: str,
        rng: SeededRandom,
        *,
        regularization: str = "none",
        dropout: list[float] | None = None,
        init_zero: bool = False,
    ) -> Network:
        net = cls(
            inputs,
            list(shape),
            list(activations),
            outputs,
            output_activation,
            regularization,
            list(dropout or [0.0] * len(shape)),
        )
        sizes = net.sizes
        for fan_in, fan_out in zip(sizes, sizes[1:], strict=False):
            if init_zero:
                w = np.zeros((fan_in, fan_out))
            else:  # the web's order: each neuron's incoming links, neuron by neuron
                drawn = [rng.random() - 0.5 for _ in range(fan_in * fan_out)]
                w = np.asarray(drawn).reshape(fan_out, fan_in).T.copy()
            net.weights.append(w)
            net.biases.append(np.full(fan_out, 0.0 if init_zero else 0.1))
        net.clear_gradients()
        return net

    @classmethod
    def scaled_normal(
        cls,
        inputs: int,
        shape: list[int],
        activations: list[str],
        outputs: int,
        output_activation: str,
        rng: np.random.Generator,
    ) -> Network:
        """Weights normal with a standard deviation of 1/√fan_in, biases 0: how a network
        trained by an optimiser of its own usually starts (GAN Lab starts its two so), each
        layer's sums then about as large as its inputs, whatever the layer's width."""
        net = cls(inputs, list(shape), list(activations), outputs, output_activation)
        net.dropout = [0.0] * len(shape)
        sizes = net.sizes
        for fan_in, fan_out in zip(sizes, sizes[1:], strict=False):
            net.weights.append(rng.normal(0.0, 1.0 / np.sqrt(fan_in), size=(fan_in, fan_out)))
            net.biases.append(np.zeros(fan_out))
        net.clear_gradients()
        return net

    @property
    def sizes(self) -> list[int]:
        return [self.inputs, *self.shape, self.outputs]

    def layer_activation(self, layer: int) -> str:
        return self.activations[layer] if layer < len(self.shape) else self.output_activation

    def clear_gradients(self) -> None:
        self._acc_w = [np.zeros_like(w) for w in self.weights]
        self._acc_b = [np.zeros_like(b) for b in self.biases]
        self._acc_n = 0

    # ----- passes -----------------------------------------------------------------------------
    def forward(self, x: np.ndarray, dropout_rng: np.random.Generator | None = None) -> Forward:
        """`dropout_rng`: training (dropout applied); None: every neuron, as for the loss."""
        zs, outs, masks = [], [x], []
        a = x
        last = len(self.weights) - 1
        for layer, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = a @ w + b
            name = self.layer_activation(layer)
            a = softmax(z) if layer == last and name == "softmax" else _activate(name, z)
            mask = None
            if layer < last and dropout_rng is not None and self.dropout[layer] > 0:
                keep = 1.0 - self.dropout[layer]
                mask = (dropout_rng.random(a.shape) < keep) / keep
                a = a * mask
            zs.append(z)
            outs.append(a)
            masks.append(mask)
        return Forward(zs, outs, masks)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x).output

    def output_delta(self, out: np.ndarray, z: np.ndarray, target: np.ndarray) -> np.ndarray:
        """dE/dz of the output layer for each example."""
        if self.output_activation == "softmax":  # cross-entropy: p − one-hot
            return out - target
        return (out - target) * _derivative(self.output_activation, z, out)

    def backward(self, fwd: Forward, delta: np.ndarray) -> Gradients:
        """The derivatives of a loss whose derivative with respect to the output layer's
        input sums is `delta` (batch, outputs), through the pass `fwd` (its dropout masks
        too)."""
        layers = len(self.weights)
        grad_w: list[np.ndarray] = [np.empty(0)] * layers
        grad_b: list[np.ndarray] = [np.empty(0)] * layers
        for layer in range(layers - 1, -1, -1):
            grad_w[layer] = fwd.a[layer].T @ delta
            grad_b[layer] = delta.sum(axis=0)
            back = delta @ self.weights[layer].T
            if layer:
                mask = fwd.masks[layer - 1]
                name, z, a = self.activations[layer - 1], fwd.z[layer - 1], fwd.a[layer]
                if mask is not None:  # the derivative is the activation's, before the mask
                    back = back * mask
                    a = _activate(name, z)
                delta = back * _derivative(name, z, a)
        return Gradients(grad_w, grad_b, back)

    def accumulate(self, x: np.ndarray, target: np.ndarray, rng: np.random.Generator) -> None:
        """Add one batch's summed derivatives to what waits for the next update."""
        fwd = self.forward(x, rng)
        grads = self.backward(fwd, self.output_delta(fwd.output, fwd.z[-1], target))
        for layer in range(len(self.weights)):
            self._acc_w[layer] += grads.weights[layer]
            self._acc_b[layer] += grads.biases[layer]
        self._acc_n += len(x)

    def update(self, learning_rate: float, regularization_rate: float) -> None:
        n = self._acc_n
        if not n:
            return
        for layer, w in enumerate(self.weights):
            self.biases[layer] -= learning_rate * self._acc_b[layer] / n
            reg: np.ndarray | float = 0.0
            if self.regularization == "L1":
                reg = np.where(w < 0, -1.0, 1.0)
            elif self.regularization == "L2":
                reg = w
            w -= (learning_rate / n) * (self._acc_w[layer] + regularization_rate * reg)
        self.clear_gradients()

    # ----- for tests and the Keras export --------------------------------------------------
    def parameters(self) -> list[np.ndarray]:
        return [p for pair in zip(self.weights, self.biases, strict=True) for p in pair]

    def gradients(self, x: np.ndarray, target: np.ndarray) -> list[np.ndarray]:
        """Summed derivatives of the batch (no dropout), as `parameters()` orders them."""
        saved = (self._acc_w, self._acc_b, self._acc_n)
        dropout, self.dropout = self.dropout, [0.0] * len(self.shape)
        self.clear_gradients()
        self.accumulate(x, target, np.random.default_rng(0))
        grads = [g for pair in zip(self._acc_w, self._acc_b, strict=True) for g in pair]
        self._acc_w, self._acc_b, self._acc_n = saved
        self.dropout = dropout
        return grads
