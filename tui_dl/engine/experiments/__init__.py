"""The experiments the lab can launch: defaults, the form's fields, and the course's result.

Pure data: the UI reads this to build its form and show the reference figure without
importing TensorFlow; the child imports `runner` (a "module:function" path) to train.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Param:
    """One setting a learner may change before launch."""

    name: str
    """Key in the run spec."""
    label: str
    """What the form calls it."""
    default: Any
    """The course's value."""
    kind: type = int
    """int, float or str: how the form and the CLI parse it."""
    choices: tuple[str, ...] = ()
    """For str settings: the allowed values."""
    minimum: float | None = None
    """Smallest sensible value (inclusive); checked before launch."""
    maximum: float | None = None
    """Largest sensible value (inclusive)."""
    help: str = ""
    """One line shown beside the field."""
    convert: Callable[[str], Any] | None = None
    """For str settings with a shape of their own (layer sizes): parse, or raise ValueError."""
    optional: bool = False
    """An empty value is allowed and means "none" (a file not given, say)."""
    path: bool = False
    """A file name: made absolute where it is typed (the run's process works elsewhere)."""
    must_exist: bool = False
    """For a path: the file must be there when the run is set up (checked before launch)."""

    def parse(self, text: str) -> Any:
        """Turn what was typed into a value, or raise ValueError with a message for the form."""
        text = str(text).strip()
        if not text:
            if self.optional:
                return ""
            if self.path:
                raise ValueError(f"{self.label}: empty — name a file")
            if self.default == "":
                raise ValueError(f"{self.label}: empty — enter a value")
            raise ValueError(f"{self.label}: empty — enter a value (default {self.default})")
        if self.kind is str:
            if self.choices and text not in self.choices:
                raise ValueError(f"{self.label}: choose one of {', '.join(self.choices)}")
            if self.path:
                return self._existing(text) if self.must_exist else _absolute(text)
            if self.convert is not None:
                try:
                    return self.convert(text)
                except ValueError as exc:
                    raise ValueError(f"{self.label}: {exc}") from None
            return text
        try:
            value = self.kind(float(text)) if self.kind is int else float(text)
        except ValueError:
            kind = "a whole number" if self.kind is int else "a number"
            raise ValueError(f"{self.label}: {text!r} is not {kind}") from None
        if self.kind is int and float(text) != int(float(text)):
            raise ValueError(f"{self.label}: {text!r} is not a whole number")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{self.label}: must be at least {self.minimum:g}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{self.label}: must be at most {self.maximum:g}")
        return value

    def _existing(self, text: str) -> str:
        path = Path(_absolute(text))
        if path.is_dir():
            raise ValueError(f"{self.label}: {text} is a folder — name a file inside it")
        if not path.is_file():
            raise ValueError(f"{self.label}: there is no file {text}")
        return str(path)


def _absolute(text: str) -> str:
    return str(Path(text).expanduser().resolve())


@dataclass(frozen=True)
class Reference:
    """What the course reported, to put beside the learner's own figure."""

    metric: str
    value: float | None
    """None where the course reported no figure of its own."""
    text: str


@dataclass(frozen=True)
class Experiment:
    name: str
    title: str
    summary: str
    dataset: str
    runner: str
    reference: Reference
    params: tuple[Param, ...] = field(default_factory=tuple)
    notes: str = ""
    """Shown beside the form: e.g. the maths each step of the hard way performs."""
    compare_stages: tuple[str, str] | None = None
    """A run in stages whose last two are plotted together (transfer against from scratch)."""

    def reference_fields(self) -> dict[str, Any]:
        """The course's figure, as the `started` event carries it to every screen and report."""
        ref = self.reference
        return {"metric": ref.metric, "value": ref.value, "text": ref.text}

    @property
    def views(self) -> tuple[str, ...]:
        """The screens about one of its runs: a classifier's test-set views, or the reviews."""
        if self.dataset in ("mnist", "fashion-mnist"):
            return ("confusion", "misclassified", "attention", "probe")
        if self.dataset == "imdb":
            return ("reviews",)
        return ()

    @property
    def data_needed(self) -> tuple[str, ...]:
        """The data registry entries a run reads."""
        return ("imdb", "imdb-word-index") if self.dataset == "imdb" else (self.dataset,)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def validate(self, values: dict[str, Any]) -> dict[str, Any]:
        """Full settings from partial ones; raises ValueError naming the first bad field."""
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise ValueError(f"unknown setting(s) for {self.name}: {', '.join(sorted(unknown))}")
        merged = self.defaults()
        for name, value in values.items():
            merged[name] = self.param(name).parse(str(value))
        for param in self.params:  # a setting with no default (a file) must be given
            if param.name not in values and param.default == "" and not param.optional:
                param.parse("")
        return merged


def fit_params(examples: str, everything: str) -> tuple[Param, ...]:
    """Early stopping, a limit on the training examples, the seed: every `fit` experiment's."""
    return (
        Param(
            "patience",
            "Early stop",
            0,
            int,
            minimum=0,
            maximum=1000,
            help="stop after this many epochs without a better validation loss (0 = off)",
        ),
        Param(
            "train_limit",
            "Train limit",
            0,
            int,
            minimum=0,
            help=f"use only the first N training {examples} (0 = {everything})",
        ),
        Param("seed", "Seed", 42, int, minimum=0),
    )


def image_params(
    epochs: int, batch_size: int, learning_rate: float, optimizer: str, *extra: Param
) -> tuple[Param, ...]:
    """The settings every image classifier has, around the ones its architecture adds."""
    return (
        Param("epochs", "Epochs", epochs, int, minimum=1, maximum=1000),
        Param("batch_size", "Batch size", batch_size, int, minimum=1, maximum=65536),
        Param(
            "learning_rate",
            "Learning rate",
            learning_rate,
            float,
            minimum=1e-12,
            maximum=1e40,
            help=f"{optimizer}'s default is 0.001",
        ),
        *extra,
        Param("optimizer", "Optimizer", optimizer, str, choices=("rmsprop", "adam", "sgd")),
        Param("dataset", "Dataset", "mnist", str, choices=("mnist", "fashion-mnist")),
        *fit_params("images", "all"),
    )


def dropout_param(default: float) -> Param:
    return Param(
        "dropout",
        "Dropout",
        default,
        float,
        minimum=0.0,
        maximum=0.95,
        help="fraction of hidden units ignored each step (0 = off)",
    )


IMAGES = "tui_dl.engine.trainers.images:train"

MNIST_MLP = Experiment(
    name="mnist-mlp",
    title="MNIST digits — Keras MLP",
    summary="Dense 512 relu → Dense 10 softmax, RMSprop, categorical cross-entropy.",
    dataset="mnist",
    runner=IMAGES,
    reference=Reference(
        metric="test_accuracy",
        value=0.98,
        text="98 % test accuracy (about 99 % on training) on the full 60,000/10,000 MNIST",
    ),
    params=image_params(
        10,
        100,
        0.001,
        "rmsprop",
        Param("hidden_units", "Hidden units", 512, int, minimum=1, maximum=16384),
        dropout_param(0.0),
    ),
)

MNIST_MLP_DROPOUT = Experiment(
    name="mnist-mlp-dropout",
    title="MNIST digits — MLP with dropout",
    summary="The Keras example: 512 relu → Dropout → 512 relu → Dropout → 10 softmax. Set "
    "dropout to 0 and compare: training accuracy runs away from validation (overfitting).",
    dataset="mnist",
    runner=IMAGES,
    reference=Reference(
        metric="test_accuracy",
        value=0.98,
        text="no figure of its own (an exercise); the plain MLP reached 98 % on full MNIST",
    ),
    params=image_params(10, 100, 0.001, "rmsprop", dropout_param(0.2)),
)

MNIST_CNN = Experiment(
    name="mnist-cnn",
    title="MNIST digits — convolutional network",
    summary="Conv2D 32 → Conv2D 64 → MaxPool → Dropout 0.25 → Dense 128 → Dropout 0.5 → 10, "
    "Adam, batch 32.",
    dataset="mnist",
    runner=IMAGES,
    reference=Reference(
        metric="test_accuracy",
        value=0.99,
        text="over 99 % test accuracy on full MNIST, about 45 minutes on the author's CPU",
    ),
    params=image_params(10, 32, 0.001, "adam"),
)


def layer_sizes(text: str) -> str:
    """'6' or '16, 8' → '16,8': hidden layer widths, first to last."""
    parts = [p.strip() for p in text.split(",")]
    if not all(p.isdigit() and 0 < int(p) <= 4096 for p in parts):
        raise ValueError(f"{text!r}: give hidden layer sizes as whole numbers, e.g. 6 or 16,8")
    return ",".join(str(int(p)) for p in parts)


def kfold_params(hidden: str, *extra: Param) -> tuple[Param, ...]:
    """The settings of a small k-fold network; `hidden` is its default layer widths."""
    return (
        Param(
            "hidden",
            "Hidden layers",
            hidden,
            str,
            convert=layer_sizes,
            help=f"units per hidden layer, e.g. {hidden}",
        ),
        Param(
            "activation",
            "Activation",
            "relu",
            str,
            choices=("relu", "tanh", "sigmoid", "elu", "leaky_relu"),
        ),
        Param("optimizer", "Optimizer", "adam", str, choices=("adam", "rmsprop", "sgd")),
        Param("learning_rate", "Learning rate", 0.001, float, minimum=1e-12, maximum=1e40),
        Param("epochs", "Epochs", 100, int, minimum=1, maximum=10000),
        Param("batch_size", "Batch size", 32, int, minimum=1, maximum=65536),
        Param("k", "Folds (k)", 10, int, minimum=2, maximum=50),
        Param("seed", "Seed", 42, int, minimum=0),
        *extra,
    )


MAMMOGRAM = Experiment(
    name="mammogram",
    title="Mammogram masses — k-fold MLP",
    summary="Age, shape, margin, density → Dense 6 relu → Dense 1 sigmoid, Adam, 10-fold CV.",
    dataset="mammographic-masses",
    runner="tui_dl.engine.trainers.mammogram:train",
    reference=Reference(
        metric="accuracy_mean",
        value=0.80,
        text="about 80 % accuracy with 10-fold cross-validation",
    ),
    params=kfold_params(
        "6",
        Param(
            "csv",
            "Your CSV",
            "",
            str,
            optional=True,
            path=True,
            help="a file with the same six columns; empty = the UCI data",
        ),
    ),
)

TF_LOWLEVEL = Experiment(
    name="tf-lowlevel",
    title="MNIST the hard way — raw TensorFlow",
    summary="No Keras layers: tf.Variable weights, matmul + add, sigmoid 512, softmax 10, "
    "cross-entropy with clipping, SGD through GradientTape, batches of 250.",
    dataset="mnist",
    runner="tui_dl.engine.trainers.tf_lowlevel:train",
    reference=Reference(
        metric="test_accuracy",
        value=0.93,
        text="93 % test accuracy (about 92.8 % on a training batch) after 3,000 steps",
    ),
    params=(
        Param("steps", "Steps", 3000, int, minimum=1, maximum=1_000_000),
        Param(
            "display_every",
            "Show every",
            100,
            int,
            minimum=1,
            maximum=100_000,
            help="steps between points on the plot",
        ),
        Param("batch_size", "Batch size", 250, int, minimum=1, maximum=65536),
        Param("learning_rate", "Learning rate", 0.1, float, minimum=1e-12, maximum=1e40),
        Param("dataset", "Dataset", "mnist", str, choices=("mnist", "fashion-mnist")),
        Param("seed", "Seed", 42, int, minimum=0),
    ),
    notes=(
        "Each step, by hand:\n"
        "  h = sigmoid(x · W1 + b1)\n"
        "  p = softmax(h · W2 + b2)\n"
        "  loss = mean(−Σ y · log clip(p, 1e-9, 1))\n"
        "  g = ∂loss/∂(W1, b1, W2, b2)  (GradientTape)\n"
        "  W ← W − rate · g  (SGD)"
    ),
)

VOTES_KFOLD = Experiment(
    name="votes-kfold",
    title="House votes 1984 — party from 16 votes",
    summary="16 yes/no votes → Dense 32 relu → 16 relu → 1 sigmoid, Adam, stratified "
    "10-fold cross-validation; rows with a missing vote dropped (232 of 435).",
    dataset="house-votes",
    runner="tui_dl.engine.trainers.votes:train",
    reference=Reference(
        metric="accuracy_mean", value=0.939, text="93.9 % accuracy with 10-fold cross-validation"
    ),
    params=kfold_params("32,16"),
)

IMDB_LSTM = Experiment(
    name="imdb-lstm",
    title="IMDB reviews — LSTM sentiment",
    summary="Word indices → Embedding 128 → LSTM 128 (dropout 0.2, recurrent dropout 0.2) → "
    "Dense 1 sigmoid, Adam, binary cross-entropy, batch 32.",
    dataset="imdb",
    runner="tui_dl.engine.trainers.imdb:train",
    reference=Reference(
        metric="test_accuracy",
        value=0.81,
        text="81 % test accuracy on the 25,000 test reviews, about an hour on the author's CPU",
    ),
    params=(
        Param("epochs", "Epochs", 15, int, minimum=1, maximum=1000),
        Param("batch_size", "Batch size", 32, int, minimum=1, maximum=65536),
        Param("learning_rate", "Learning rate", 0.001, float, minimum=1e-12, maximum=1e40),
        Param(
            "vocabulary",
            "Vocabulary",
            20000,
            int,
            minimum=10,
            maximum=100_000,
            help="keep this many most frequent words; rarer ones become <unk>",
        ),
        Param(
            "maxlen",
            "Words kept",
            80,
            int,
            minimum=1,
            maximum=2500,
            help="reviews are cut or zero-padded to this many words",
        ),
        Param(
            "truncate",
            "Cut from",
            "start",
            str,
            choices=("start", "end"),
            help="start: keep a long review's last words (Keras's default); end: its first",
        ),
        Param("embedding", "Embedding size", 128, int, minimum=1, maximum=4096),
        Param("units", "LSTM units", 128, int, minimum=1, maximum=4096),
        Param("dropout", "Dropout", 0.2, float, minimum=0.0, maximum=0.95),
        Param("recurrent_dropout", "Recur. dropout", 0.2, float, minimum=0.0, maximum=0.95),
        *fit_params("reviews", "all 25,000"),
    ),
    notes=(
        "Each review is a list of word ranks (1 = the most frequent word), shifted by 3:\n"
        "  0 padding · 1 start · 2 <unk> (rare word) · 3 unused\n"
        "The LSTM reads one word vector at a time and keeps two states:\n"
        "  c (long-term memory) and h (what it says now);\n"
        "  gates decide what to forget, what to add and what to show.\n"
        "Recurrent dropout rules out the fast cuDNN kernel on a GPU."
    ),
)

TRANSFER_IMAGENET = Experiment(
    name="transfer-imagenet",
    title="Someone else's model — ImageNet classifier",
    summary="A pretrained keras.applications network (ResNet50, VGG16 or MobileNetV2) names "
    "what is in your photo: top-5 of 1,000 ImageNet classes, and where it looked.",
    dataset="imagenet",
    runner="tui_dl.engine.trainers.imagenet:train",
    reference=Reference(
        metric="top1_probability",
        value=0.91,
        text="VGG16 called the elephant photo an African elephant at about 91 % (tusker 8 %); "
        "ResNet50 named warplane, wood rabbit, fire engine, castle, radio telescope and "
        "suspension bridge photos correctly",
    ),
    params=(
        Param(
            "image",
            "Image file",
            "",
            str,
            path=True,
            must_exist=True,
            help="a JPEG or PNG of your own; it is resized to 224×224",
        ),
        Param("model", "Model", "resnet50", str, choices=("resnet50", "vgg16", "mobilenetv2")),
        Param("top", "Top guesses", 5, int, minimum=1, maximum=20),
        Param(
            "weights",
            "Weights",
            "imagenet",
            str,
            choices=("imagenet", "none"),
            help="none: the same network untrained, to see what learning bought",
        ),
    ),
)

TRANSFER_DIGITS = Experiment(
    name="transfer-digits",
    title="Transfer learning — digits 0–4 to 5–9",
    summary="A CNN learns digits 0–4; its convolutional base is frozen and a new head learns "
    "5–9 from a few hundred examples, against the same network trained from scratch on them.",
    dataset="mnist",
    runner="tui_dl.engine.trainers.transfer_digits:train",
    reference=Reference(
        metric="test_accuracy",
        value=None,
        text="no figure of its own (the course's transfer-learning point, run offline): the "
        "borrowed features should beat learning from the few examples alone",
    ),
    params=(
        Param(
            "base_epochs",
            "Base epochs",
            5,
            int,
            minimum=1,
            maximum=1000,
            help="epochs on digits 0–4 for the base network",
        ),
        Param(
            "epochs",
            "Head epochs",
            20,
            int,
            minimum=1,
            maximum=1000,
            help="epochs on the few 5–9 examples, for both the transfer and from scratch",
        ),
        Param(
            "few",
            "Examples",
            300,
            int,
            minimum=5,
            maximum=30000,
            help="how many labelled 5–9 images the new head may learn from",
        ),
        Param("batch_size", "Batch size", 32, int, minimum=1, maximum=65536),
        Param("learning_rate", "Learning rate", 0.001, float, minimum=1e-12, maximum=1e40),
        Param(
            "freeze",
            "Freeze base",
            "yes",
            str,
            choices=("yes", "no"),
            help="no: fine-tune the borrowed layers too",
        ),
        Param("dataset", "Dataset", "mnist", str, choices=("mnist", "fashion-mnist")),
        Param("seed", "Seed", 42, int, minimum=0),
    ),
    compare_stages=("transfer", "scratch"),
    notes=(
        "Three stages, one after the other:\n"
        "  1 base: the CNN learns 0–4 from all their images\n"
        "  2 transfer: its conv layers, frozen, under a new head that\n"
        "    learns 5–9 from the few examples\n"
        "  3 scratch: the same network, fresh, on the same few\n"
        "The plots show 2 (▚ train, ⣿ test) against 3 (• train, ○ test).\n"
        "The fewer the examples, the more the borrowed features are\n"
        "worth: try 25. Then p: it still answers 5–9, and confidently,\n"
        "when shown a 0–4 it was never taught."
    ),
)

EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in (
        MNIST_MLP,
        MNIST_MLP_DROPOUT,
        MNIST_CNN,
        TF_LOWLEVEL,
        VOTES_KFOLD,
        MAMMOGRAM,
        IMDB_LSTM,
        TRANSFER_DIGITS,
        TRANSFER_IMAGENET,
    )
}


def get_experiment(name: str) -> Experiment:
    try:
        return EXPERIMENTS[name]
    except KeyError:
        known = ", ".join(sorted(EXPERIMENTS))
        raise ValueError(f"unknown experiment {name!r}; known: {known}") from None
