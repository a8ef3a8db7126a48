"""The optimizers lesson's five by name: the trainers make theirs with this
(`trainers.common.make_optimizer`), and the exported scripts hold this code (`# include:
optimizer`), so a run and its script step alike. Plain Keras: nothing of tui-dl."""

import keras


def optimizer(name, rate, momentum):
    """The optimizers lesson's five by name: sgd is plain SGD (momentum 0), momentum and
    nesterov are SGD with momentum; rmsprop and adam keep Keras's defaults."""
    if name in ("sgd", "momentum", "nesterov"):
        return keras.optimizers.SGD(
            learning_rate=rate,
            momentum=0.0 if name == "sgd" else momentum,
            nesterov=name == "nesterov",
        )
    adaptive = {"rmsprop": keras.optimizers.RMSprop, "adam": keras.optimizers.Adam}
    return adaptive[name](learning_rate=rate)
