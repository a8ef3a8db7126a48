"""A Playground network in Keras: the same layers, the same first weights, the same loss and
the same steps as the Playground's own update rule, so Keras draws the same boundary.

How each part of the Playground becomes Keras:
- inputs: the Playground's features (x, y, x², y², xy, sin x, sin y) computed from x1, x2;
- layers: a Dense layer per Playground layer, with its activation; a Dropout layer after a
  hidden layer whose rate is above 0; the output tanh (two classes, targets -1 and +1),
  linear (regression) or softmax (more classes, one-hot targets);
- weights: the Playground's weights as they were when this was written (kernel then bias,
  layer by layer), so an export before training starts Keras where the Playground started;
- loss: the Playground's square loss, ½·Σ(output − target)² per point, averaged over the
  batch (Keras's mean squared error is the mean, not half the sum: twice this for one
  output), or categorical cross-entropy under softmax;
- optimizer: plain SGD at the Playground's learning rate, one step per batch of `batchSize`
  points, the points in the same order every epoch (shuffle=False);
- regularisation: the Playground moves a weight by lr/n·(Σ dE/dw + rate·w) for L2 or
  lr/n·(Σ dE/dw + rate·sign w) for L1, n the batch size. Keras adds l2·Σw² or l1·Σ|w| to the
  batch's mean loss, whose gradient is 2·l2·w or l1·sign w; so l2 = rate / (2n) and
  l1 = rate / n give the very same step.
- numbers: float64 throughout, as the Playground computes (`use_float64`, before building).

What still differs:
- the one known difference: when the training points do not fill the last batch, Keras
  takes a step on that short batch every epoch; the Playground does not, it carries those
  points into the next epoch's first step (so its first step of an epoch sees more points);
- dropout draws its own random masks (the Playground has none on the web; ours draws others);
- L1 at a weight of exactly 0: Keras's sign is 0, the Playground's 1 (only from initZero);
- Keras's `loss` in its logs includes the regularisation penalty and is averaged over the
  epoch as it trains; the losses measured here are the Playground's, after each epoch.

Needs only Keras (TensorFlow) and numpy.
"""

import keras
import numpy as np

FEATURES = {
    "x": lambda x, y: x,
    "y": lambda x, y: y,
    "xSquared": lambda x, y: x * x,
    "ySquared": lambda x, y: y * y,
    "xTimesY": lambda x, y: x * y,
    "sinX": lambda x, y: np.sin(x),
    "sinY": lambda x, y: np.sin(y),
}


def use_float64():
    """Keras computes in float32 unless told otherwise; the Playground (JavaScript's numbers)
    in float64. Every layer, loss and optimizer made after this uses float64."""
    keras.config.set_floatx("float64")
    # A process that built a model before has its global dtype policy fixed already, and
    # floatx alone no longer reaches new layers: set the policy too.
    keras.config.set_dtype_policy("float64")


def features(names, xy):
    """The network's inputs: each named feature of every point (x1, x2)."""
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    return np.stack([FEATURES[name](xy[:, 0], xy[:, 1]) for name in names], axis=1)


def targets(network, labels):
    """What the output should be: the value (regression), one-hot classes (softmax), or the
    Playground's −1 / +1 for two classes under tanh."""
    labels = np.asarray(labels, dtype=np.float64)
    if not network["classes"]:
        return labels.reshape(-1, 1)
    if network["loss"] == "xent":
        return np.eye(network["classes"])[labels.astype(int)]
    return (2 * labels - 1).reshape(-1, 1)


def regularizer(network):
    """The Playground's regularisation as Keras's: see the module's docstring for why."""
    rate, n = network["regularization_rate"], network["batch_size"]
    if network["regularization"] == "L2" and rate:
        return keras.regularizers.L2(rate / (2 * n))
    if network["regularization"] == "L1" and rate:
        return keras.regularizers.L1(rate / n)
    return None


def build_model(network, weights, biases):
    """Dense layers of the Playground's sizes and activations, Dropout where it drops, the
    given weights set."""
    layers = [keras.Input(shape=(len(network["features"]),))]
    hidden = len(network["layers"]) - 1
    for index, (units, activation) in enumerate(
        zip(network["layers"], network["activations"], strict=True)
    ):
        layers.append(
            keras.layers.Dense(
                units,
                activation=activation,
                kernel_regularizer=regularizer(network),
                name=f"output_{activation}" if index == hidden else f"hidden_{index + 1}",
            )
        )
        if index < hidden and network["dropout"][index] > 0:
            layers.append(keras.layers.Dropout(network["dropout"][index]))
    model = keras.Sequential(layers, name="playground")
    pairs = zip(weights, biases, strict=True)
    model.set_weights([np.asarray(p) for pair in pairs for p in pair])
    return model


class SquareLoss(keras.losses.Loss):
    """The Playground's square loss: ½·Σ(output − target)² over the outputs of a point (Keras
    then averages it over the batch)."""

    def call(self, y_true, y_pred):
        return 0.5 * keras.ops.sum(keras.ops.square(y_pred - y_true), axis=-1)


def accuracy(y_true, y_pred):
    """1 where a point is on the right side: the sign of a tanh output, the likeliest class of
    a softmax one."""
    if y_pred.shape[-1] == 1:
        hits = keras.ops.equal(y_pred[:, 0] > 0, y_true[:, 0] > 0)
    else:
        hits = keras.ops.equal(keras.ops.argmax(y_pred, axis=-1), keras.ops.argmax(y_true, axis=-1))
    return keras.ops.cast(hits, y_pred.dtype)


def compile_model(model, network, steps_per_execution=1):
    """SGD at the Playground's learning rate on the Playground's loss. `steps_per_execution`:
    how many batches Keras steps through in one call into TensorFlow. The script takes a whole
    epoch's at once (`main`): the very same steps, without Python between them, more than
    twice as fast in training on this tiny network. The lab's runs take one at a time, so each
    batch is watched and a cancel stops at the next."""
    if network["loss"] == "xent":
        loss = keras.losses.CategoricalCrossentropy()
    else:
        loss = SquareLoss()
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=network["learning_rate"]),
        loss=loss,
        metrics=[accuracy] if network["classes"] else [],
        steps_per_execution=steps_per_execution,
    )


def playground_loss(network, out, t):
    """The loss as the Playground reports it: the mean over the points of ½·Σ(out − t)², or of
    −log(the probability given to the right class)."""
    out, t = np.asarray(out, dtype=np.float64), np.asarray(t, dtype=np.float64)
    if network["loss"] == "xent":
        return float(-np.log(np.clip((out * t).sum(axis=1), 1e-12, 1.0)).mean())
    return float((0.5 * (out - t) ** 2).sum(axis=1).mean())


def playground_accuracy(network, out, t):
    """The share of points on the right side (NaN for regression)."""
    if not network["classes"]:
        return float("nan")
    return float(np.mean(keras.ops.convert_to_numpy(accuracy(t, out))))


class PlaygroundLosses(keras.callbacks.Callback):
    """Measures train and test loss and accuracy the Playground's way before training and after
    every epoch (`history`: one (train loss, test loss, train accuracy, test accuracy) each);
    stops training once the test loss reaches `stop_loss`, as the Playground does (0: never)."""

    def __init__(self, network, train, test):
        super().__init__()
        self.network = network
        self.train, self.test = train, test
        self.history = []

    def measure(self):
        scores = []
        for x, t in (self.train, self.test):
            out = keras.ops.convert_to_numpy(self.model(x))
            scores.append(
                (playground_loss(self.network, out, t), playground_accuracy(self.network, out, t))
            )
        (train_loss, train_accuracy), (test_loss, test_accuracy) = scores
        return train_loss, test_loss, train_accuracy, test_accuracy

    def on_train_begin(self, logs=None):
        if not self.history:
            self.history.append(self.measure())

    def on_epoch_end(self, epoch, logs=None):
        self.history.append(self.measure())
        stop = self.network.get("stop_loss", 0)
        if stop and self.history[-1][1] <= stop:
            self.model.stop_training = True


def main(network, weights, biases, train, test, epochs):
    """Train the network as the Playground would and say where it got to."""
    use_float64()
    keras.utils.set_random_seed(0)  # the dropout masks, if any
    train_x = features(network["features"], train["xy"])
    train_t = targets(network, train["labels"])
    test_x = features(network["features"], test["xy"])
    test_t = targets(network, test["labels"])
    model = build_model(network, weights, biases)
    batches = -(-len(train_x) // network["batch_size"])  # an epoch's, the last one short
    compile_model(model, network, steps_per_execution=batches)
    model.summary()
    measured = PlaygroundLosses(network, (train_x, train_t), (test_x, test_t))
    model.fit(
        train_x,
        train_t,
        batch_size=network["batch_size"],
        epochs=epochs,
        shuffle=False,
        validation_data=(test_x, test_t),
        callbacks=[measured],
        verbose=2,
    )
    train_loss, test_loss, train_accuracy, test_accuracy = measured.history[-1]
    print(
        f"After {len(measured.history) - 1} epochs, measured as the Playground does: "
        f"train loss {train_loss:.6f}, test loss {test_loss:.6f}"
    )
    if network["classes"]:
        print(f"train accuracy {train_accuracy:.1%}, test accuracy {test_accuracy:.1%}")
    return measured.history
