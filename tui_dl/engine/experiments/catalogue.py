"""The course's experiments as plain data: each one's settings, the figure the course
reported, and what a finished run leaves in its folder. A new experiment is an entry here and
a trainer in `tui_dl.engine.trainers`; nothing else needs to know its name."""

from __future__ import annotations

from tui_dl.engine import runfiles
from tui_dl.engine.experiments.cost import Cost
from tui_dl.engine.experiments.experiment import Experiment, Reference
from tui_dl.engine.experiments.my_images import MY_IMAGES
from tui_dl.engine.experiments.params import (
    SEED_MAX,
    TRAIN_LIMIT_MAX,
    ChoiceParam,
    FloatParam,
    IntParam,
    Param,
    PathParam,
    TextParam,
    layer_sizes,
    playground_state,
)

CLASSIFIER = (runfiles.MODEL, runfiles.MODEL_SUMMARY, runfiles.PREDICTIONS)
"""What an image classifier's run leaves: the model (and its layer table) and its test-set
predictions."""


def fit_params(examples: str, everything: str) -> tuple[Param, ...]:
    """Early stopping, a limit on the training examples, the seed: every `fit` experiment's."""
    return (
        IntParam(
            "patience",
            "Early stop",
            0,
            minimum=0,
            maximum=1000,
            help="stop after this many epochs without a better validation loss (0 = off)",
        ),
        IntParam(
            "train_limit",
            "Train limit",
            0,
            minimum=0,
            maximum=TRAIN_LIMIT_MAX,
            help=f"use only the first N training {examples} (0 = {everything})",
        ),
        IntParam("seed", "Seed", 42, minimum=0, maximum=SEED_MAX),
    )


OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam")
"""The optimizers lesson's five, in its order: plain SGD, SGD with momentum, Nesterov's
momentum (it looks ahead), RMSprop (a rate of its own per weight), Adam (momentum + RMSprop).
Runs from before momentum and nesterov were offered said sgd, rmsprop or adam, and still mean
the same: sgd is plain SGD, momentum 0."""
MOMENTUM = 0.9
"""The momentum setting's default, for the two optimizers that use it."""


def optimizer_params(default: str) -> tuple[Param, ...]:
    """The optimizer and its momentum: every Keras experiment with an optimizer setting's."""
    return (
        ChoiceParam(
            "optimizer",
            "Optimizer",
            default,
            choices=OPTIMIZERS,
            help="sgd plain; momentum and nesterov: SGD with momentum (Nesterov looks ahead); "
            "rmsprop and adam adapt each weight's rate",
        ),
        FloatParam(
            "momentum",
            "Momentum",
            MOMENTUM,
            minimum=0.0,
            maximum=0.999,
            help="used by momentum and nesterov only; sgd, rmsprop and adam ignore it",
        ),
    )


def image_params(
    epochs: int, batch_size: int, learning_rate: float, optimizer: str, *extra: Param
) -> tuple[Param, ...]:
    """The settings every image classifier has, around the ones its architecture adds."""
    return (
        IntParam("epochs", "Epochs", epochs, minimum=1, maximum=1000),
        IntParam("batch_size", "Batch size", batch_size, minimum=1, maximum=65536),
        FloatParam(
            "learning_rate",
            "Learning rate",
            learning_rate,
            minimum=1e-12,
            maximum=1e40,
            help=f"{optimizer}'s default is 0.001",
        ),
        *extra,
        *optimizer_params(optimizer),
        ChoiceParam("dataset", "Dataset", "mnist", choices=("mnist", "fashion-mnist")),
        *fit_params("images", "all"),
    )


def dropout_param(default: float) -> Param:
    return FloatParam(
        "dropout",
        "Dropout",
        default,
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
    writes=CLASSIFIER,
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
        IntParam("hidden_units", "Hidden units", 512, minimum=1, maximum=16384),
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
    writes=CLASSIFIER,
    reference=Reference(
        metric="test_accuracy",
        value=0.98,
        text="no figure of its own (an exercise); the plain MLP reached 98 % on full MNIST",
    ),
    params=image_params(10, 100, 0.001, "rmsprop", dropout_param(0.2)),
)

MNIST_SIDE = 28
"""An MNIST picture's width and height."""


def cnn_sides(kernel: int, blocks: int) -> list[int]:
    """The picture's side after each of mnist-cnn's blocks (two unpadded k×k convolutions,
    each taking k − 1 pixels off, then a 2×2 pool halving what is left): 28 → 12 with the
    course's 3×3. A count of blocks that leaves less than 1×1 is refused, naming the setting,
    with the most blocks that fit this kernel."""
    sides = [MNIST_SIDE]
    for _ in range(blocks):
        side = (sides[-1] - 2 * (kernel - 1)) // 2
        if side < 1:
            fit = len(sides) - 1
            shrink = " → ".join(f"{s}×{s}" for s in sides)
            raise ValueError(
                f"Conv blocks: {blocks} blocks of {kernel}×{kernel} convolutions shrink the "
                f"28×28 picture below 1×1 ({shrink} → nothing in block {len(sides)}); with a "
                f"{kernel}×{kernel} kernel at most {fit} block{'s' if fit != 1 else ''} fit"
            )
        sides.append(side)
    return sides


MNIST_CNN = Experiment(
    name="mnist-cnn",
    title="MNIST digits — convolutional network",
    summary="Conv2D 32 → Conv2D 64 → MaxPool → Dropout 0.25 → Dense 128 → Dropout 0.5 → 10, "
    "Adam, batch 32.",
    dataset="mnist",
    runner=IMAGES,
    writes=CLASSIFIER,
    reference=Reference(
        metric="test_accuracy",
        value=0.99,
        text="over 99 % test accuracy on full MNIST, about 45 minutes on the author's CPU",
    ),
    params=image_params(
        10,
        32,
        0.001,
        "adam",
        IntParam(
            "filters",
            "Filters",
            32,
            minimum=1,
            maximum=256,
            help="of the first convolution; the second of a block has twice as many, and each "
            "block twice the one before (the course: 32, then 64)",
        ),
        IntParam(
            "kernel_size",
            "Kernel size",
            3,
            minimum=1,
            maximum=9,
            help="each convolution looks at a square this many pixels wide (the course: 3×3)",
        ),
        IntParam(
            "conv_blocks",
            "Conv blocks",
            1,
            minimum=1,
            maximum=4,
            help="Conv2D → Conv2D → MaxPool 2×2 → Dropout 0.25, repeated (the course: 1); each "
            "halves the picture, so a large kernel fits fewer",
        ),
        IntParam("dense_units", "Dense units", 128, minimum=1, maximum=4096),
    ),
    check=lambda p: cnn_sides(p["kernel_size"], p["conv_blocks"]),
)


def kfold_params(hidden: str, *extra: Param) -> tuple[Param, ...]:
    """The settings of a small k-fold network; `hidden` is its default layer widths."""
    return (
        TextParam(
            "hidden",
            "Hidden units",
            hidden,
            help="units per hidden layer, first to last: 6 is one layer of 6 units, 32,16 two "
            "layers",
            shape=layer_sizes,
        ),
        ChoiceParam(
            "activation",
            "Activation",
            "relu",
            choices=("relu", "tanh", "sigmoid", "elu", "leaky_relu"),
        ),
        *optimizer_params("adam"),
        FloatParam("learning_rate", "Learning rate", 0.001, minimum=1e-12, maximum=1e40),
        IntParam("epochs", "Epochs", 100, minimum=1, maximum=10000),
        IntParam("batch_size", "Batch size", 32, minimum=1, maximum=65536),
        IntParam("k", "Folds (k)", 10, minimum=2, maximum=50),
        IntParam("seed", "Seed", 42, minimum=0, maximum=SEED_MAX),
        *extra,
    )


MAMMOGRAM = Experiment(
    name="mammogram",
    title="Mammogram masses — k-fold MLP",
    summary="Age, shape, margin, density → Dense 6 relu → Dense 1 sigmoid, Adam, 10-fold CV.",
    dataset="mammographic-masses",
    runner="tui_dl.engine.trainers.mammogram:train",
    writes=(runfiles.KFOLD_REPORT, runfiles.KFOLD_ARRAYS),
    reference=Reference(
        metric="accuracy_mean",
        value=0.80,
        text="about 80 % accuracy with 10-fold cross-validation",
    ),
    params=kfold_params(
        "6",
        PathParam(
            "csv",
            "Your CSV",
            "",
            optional=True,
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
    writes=CLASSIFIER,
    reference=Reference(
        metric="test_accuracy",
        value=0.93,
        text="93 % test accuracy (about 92.8 % on a training batch) after 3,000 steps",
    ),
    params=(
        IntParam("steps", "Steps", 3000, minimum=1, maximum=1_000_000),
        IntParam(
            "display_every",
            "Show every",
            100,
            minimum=1,
            maximum=100_000,
            help="steps between points on the plot",
        ),
        IntParam("batch_size", "Batch size", 250, minimum=1, maximum=65536),
        FloatParam("learning_rate", "Learning rate", 0.1, minimum=1e-12, maximum=1e40),
        IntParam(
            "hidden_units",
            "Hidden units",
            512,
            minimum=1,
            maximum=16384,
            help="sigmoid units in each hidden layer (the course: 512)",
        ),
        IntParam(
            "hidden_layers",
            "Hidden layers",
            1,
            minimum=1,
            maximum=2,
            help="1 as the course; 2 adds a second sigmoid layer as wide (its exercise: beat 93 %)",
        ),
        ChoiceParam("dataset", "Dataset", "mnist", choices=("mnist", "fashion-mnist")),
        IntParam("seed", "Seed", 42, minimum=0, maximum=SEED_MAX),
    ),
    notes=(
        "Each step, by hand:\n"
        "  h = sigmoid(x · W1 + b1)\n"
        "  p = softmax(h · W2 + b2)\n"
        "  loss = mean(−Σ y · log clip(p, 1e-9, 1))\n"
        "  g = ∂loss/∂(W1, b1, W2, b2)  (GradientTape)\n"
        "  W ← W − rate · g  (SGD)\n"
        "With 2 hidden layers, h = sigmoid(h · W + b) once more."
    ),
)

VOTES_KFOLD = Experiment(
    name="votes-kfold",
    title="House votes 1984 — party from 16 votes",
    summary="16 yes/no votes → Dense 32 relu → 16 relu → 1 sigmoid, Adam, stratified "
    "10-fold cross-validation; rows with a missing vote dropped (a run says how many).",
    dataset="house-votes",
    runner="tui_dl.engine.trainers.votes:train",
    writes=(runfiles.KFOLD_REPORT,),
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
    writes=(
        runfiles.MODEL,
        runfiles.MODEL_SUMMARY,
        runfiles.REVIEWS,
        runfiles.WORDS,
        runfiles.SENTIMENT,
    ),
    reference=Reference(
        metric="test_accuracy",
        value=0.81,
        text="81 % test accuracy on the 25,000 test reviews, about an hour on the author's CPU",
    ),
    params=(
        IntParam("epochs", "Epochs", 15, minimum=1, maximum=1000),
        IntParam("batch_size", "Batch size", 32, minimum=1, maximum=65536),
        FloatParam("learning_rate", "Learning rate", 0.001, minimum=1e-12, maximum=1e40),
        IntParam(
            "vocabulary",
            "Vocabulary",
            20000,
            minimum=10,
            maximum=100_000,
            help="keep this many most frequent words; rarer ones become <unk>",
        ),
        IntParam(
            "maxlen",
            "Words kept",
            80,
            minimum=1,
            maximum=2500,
            help="reviews are cut or zero-padded to this many words",
        ),
        ChoiceParam(
            "truncate",
            "Cut from",
            "start",
            choices=("start", "end"),
            help="start: keep a long review's last words (Keras's default); end: its first",
        ),
        IntParam("embedding", "Embedding size", 128, minimum=1, maximum=4096),
        IntParam("units", "LSTM units", 128, minimum=1, maximum=4096),
        FloatParam("dropout", "Dropout", 0.2, minimum=0.0, maximum=0.95),
        FloatParam("recurrent_dropout", "Recur. dropout", 0.2, minimum=0.0, maximum=0.95),
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
    writes=(runfiles.IMAGENET_RESULT, runfiles.IMAGENET_MAPS, runfiles.MODEL_SUMMARY),
    reference=Reference(
        metric="top1_probability",
        value=0.91,
        text="VGG16 called the elephant photo an African elephant at about 91 % (tusker 8 %); "
        "ResNet50 named warplane, wood rabbit, fire engine, castle, radio telescope and "
        "suspension bridge photos correctly",
    ),
    params=(
        PathParam(
            "image",
            "Image file",
            "",
            must_exist=True,
            help="a JPEG or PNG of your own; it is resized to 224×224",
        ),
        ChoiceParam("model", "Model", "resnet50", choices=("resnet50", "vgg16", "mobilenetv2")),
        IntParam("top", "Top guesses", 5, minimum=1, maximum=20),
        ChoiceParam(
            "weights",
            "Weights",
            "imagenet",
            choices=("imagenet", "none"),
            help="none: the same network untrained, to see what learning bought",
        ),
    ),
)

FEW_EXAMPLES = 50
"""transfer-digits' default number of 5–9 examples: 50, where transfer led in 5 of 5 seeds
(BENCHMARKS §9); its summary says this figure."""

TRANSFER_DIGITS = Experiment(
    name="transfer-digits",
    title="Transfer learning — digits 0–4 to 5–9",
    summary="A CNN learns digits 0–4; its convolutional base is frozen and a new head learns "
    f"5–9 from {FEW_EXAMPLES} examples (the Examples setting), against the same network "
    "trained from scratch on them.",
    dataset="mnist",
    runner="tui_dl.engine.trainers.transfer_digits:train",
    writes=CLASSIFIER,
    reference=Reference(
        metric="test_accuracy",
        value=None,
        text="no figure of its own (the course's transfer-learning point, run offline): the "
        "borrowed features should beat learning from the few examples alone",
    ),
    params=(
        IntParam(
            "base_epochs",
            "Base epochs",
            5,
            minimum=1,
            maximum=1000,
            help="epochs on digits 0–4 for the base network",
        ),
        IntParam(
            "epochs",
            "Head epochs",
            20,
            minimum=1,
            maximum=1000,
            help="epochs on the few 5–9 examples, for both the transfer and from scratch",
        ),
        IntParam(
            "few",
            "Examples",
            FEW_EXAMPLES,
            minimum=5,
            maximum=30000,
            help="how many labelled 5–9 images the new head may learn from",
        ),
        IntParam("batch_size", "Batch size", 32, minimum=1, maximum=65536),
        FloatParam("learning_rate", "Learning rate", 0.001, minimum=1e-12, maximum=1e40),
        ChoiceParam(
            "freeze",
            "Freeze base",
            "yes",
            choices=("yes", "no"),
            help="no: fine-tune the borrowed layers too",
        ),
        ChoiceParam("dataset", "Dataset", "mnist", choices=("mnist", "fashion-mnist")),
        IntParam("seed", "Seed", 42, minimum=0, maximum=SEED_MAX),
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
        "worth: with 50, transfer led in 5 of 5 seeds (BENCHMARKS §9);\n"
        "with 300 the two end close. Then p: it still answers 5–9,\n"
        "and confidently, when shown a 0–4 it was never taught."
    ),
)

PLAYGROUND_DEFAULT = (
    "activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03"
    "&regularizationRate=0&noise=0&networkShape=4,2&seed=0.55534&showTestData=false"
    "&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false"
    "&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
    "&problem=classification&initZero=false&hideText=false"
)
"""The Playground's default state as its string (`PlaygroundState().to_string()`; written
out so the catalogue loads without numpy; a test keeps the two the same)."""

PLAYGROUND = Experiment(
    name="playground",
    title="TensorFlow Playground (and its network in Keras)",
    summary="A Playground network as Keras layers: the same points, features, first weights, "
    "loss and SGD steps as the numpy Playground, trained by model.fit; its boundary is "
    "redrawn every few epochs.",
    dataset="playground",
    runner="tui_dl.engine.trainers.playground:train",
    writes=(runfiles.PLAYGROUND,),
    reference=Reference(
        metric="test_accuracy",
        value=None,
        text="no figure of its own (the course reads the Playground off its web page): the "
        "numpy Playground, trained as long from the same state, is the figure to compare",
    ),
    params=(
        TextParam(
            "state",
            "State",
            PLAYGROUND_DEFAULT,
            help="a Playground state string or playground.tensorflow.org URL",
            example="networkShape=3&dataset=circle",
            shape=playground_state,
        ),
        IntParam("epochs", "Epochs", 300, minimum=1, maximum=100_000),
        IntParam(
            "every",
            "Redraw every",
            10,
            minimum=1,
            maximum=100_000,
            help="epochs between boundary pictures written to the run folder",
        ),
        IntParam("columns", "Columns", 60, minimum=2, maximum=400, help="of the boundary"),
        IntParam("rows", "Rows", 30, minimum=2, maximum=200, help="of the boundary"),
        IntParam(
            "seed",
            "Seed",
            42,
            minimum=0,
            maximum=SEED_MAX,
            help="Keras's dropout masks (the points and first weights come from the state)",
        ),
    ),
    notes=(
        "The numpy Playground, layer for layer in Keras:\n"
        "  Dense per layer, Dropout where a rate is above 0\n"
        "  loss ½·Σ(out − target)² (Keras's MSE is twice it), or cross-entropy\n"
        "  SGD, batch = batchSize, shuffle=False, float64\n"
        "  L2 → keras L2(rate / 2·batch), L1 → L1(rate / batch)\n"
        "One difference: Keras steps on a short last batch each epoch;\n"
        "the Playground carries those points into the next epoch."
    ),
)

FASHION_VAE = Experiment(
    name="fashion-vae",
    title="Fashion-MNIST — variational autoencoder",
    summary="Encoder Conv2D 128 → 64 → Dense 256 → (μ, log σ²) of a 2-D latent space, "
    "z = μ + σ·ε, decoder Dense 7·7·64 → Conv2DTranspose 128 → 64 → 1 sigmoid; loss = "
    "reconstruction (binary cross-entropy) + 3 × KL, Adam, on train + test (70,000 images).",
    dataset="fashion-mnist",
    runner="tui_dl.engine.trainers.vae:train",
    writes=(runfiles.SAMPLES, runfiles.LATENT),
    reference=Reference(
        metric="loss",
        value=266.0,
        text="total loss about 313 after the first epoch, 266 after 32 (about 10 minutes on "
        "a GPU); KL rising slowly while reconstruction falls",
    ),
    params=(
        IntParam("epochs", "Epochs", 32, minimum=1, maximum=1000),
        IntParam("batch_size", "Batch size", 128, minimum=1, maximum=65536),
        FloatParam(
            "learning_rate",
            "Learning rate",
            0.001,
            minimum=1e-12,
            maximum=10.0,
            help="Adam's default is 0.001",
        ),
        IntParam(
            "latent_dim",
            "Latent dims",
            2,
            minimum=1,
            maximum=64,
            help="the course's 2 can be drawn as a plane; more reconstruct better",
        ),
        FloatParam(
            "kl_weight",
            "KL weight",
            3.0,
            minimum=0.0,
            maximum=1000.0,
            help="the course found 3 by experiment (0: a plain autoencoder)",
        ),
        IntParam(
            "train_limit",
            "Train limit",
            0,
            minimum=0,
            maximum=TRAIN_LIMIT_MAX,
            help="use only the first N of the 70,000 images (0 = all)",
        ),
        IntParam("seed", "Seed", 42, minimum=0, maximum=SEED_MAX),
    ),
    notes=(
        "Each batch, by hand (its own train_step):\n"
        "  μ, log σ² = encoder(x);  z = μ + exp(½ log σ²)·ε\n"
        "  reconstruction = Σ pixels BCE(x, decoder(z))\n"
        "  KL = −½ Σ (1 + log σ² − μ² − σ²)\n"
        "  loss = reconstruction + weight × KL  (Adam)"
    ),
    plots=(("loss", "Loss"), ("kl_loss", "KL divergence")),
    cost=Cost(cpu_s_per_image=0.0009, images=70_000),
)

FASHION_GAN = Experiment(
    name="fashion-gan",
    title="Fashion-MNIST — generative adversarial network",
    summary="Noise of 150 → generator Dense 7·7·256 → three Conv2DTranspose (LeakyReLU) → "
    "28×28; discriminator Conv2D 256 → 128 → Dense 64 → dropout → 1 sigmoid; binary "
    "cross-entropy, two Adams; per batch the discriminator learns, then the generator.",
    dataset="fashion-mnist",
    runner="tui_dl.engine.trainers.gan:train",
    writes=(runfiles.SAMPLES,),
    reference=Reference(
        metric="d_acc_real",
        value=0.8,
        text="blobs at epoch 0, shirts and trousers by epoch 8–10 of 30 (about 30 minutes on "
        "a GPU); the discriminator still about 80 % accurate at the end",
    ),
    params=(
        IntParam("epochs", "Epochs", 30, minimum=1, maximum=1000),
        IntParam("batch_size", "Batch size", 64, minimum=1, maximum=65536),
        FloatParam(
            "learning_rate",
            "G rate",
            0.0002,
            minimum=1e-12,
            maximum=10.0,
            help="the generator's Adam learning rate",
        ),
        FloatParam(
            "d_learning_rate",
            "D rate",
            0.0002,
            minimum=1e-12,
            maximum=10.0,
            help="the discriminator's Adam learning rate",
        ),
        IntParam(
            "d_steps",
            "D steps",
            1,
            minimum=1,
            maximum=10,
            help="discriminator steps per generator step (the original paper used more)",
        ),
        IntParam("noise_dim", "Noise dims", 150, minimum=1, maximum=1024),
        IntParam(
            "train_limit",
            "Train limit",
            0,
            minimum=0,
            maximum=TRAIN_LIMIT_MAX,
            help="use only the first N of the 70,000 images (0 = all)",
        ),
        IntParam("seed", "Seed", 42, minimum=0, maximum=SEED_MAX),
    ),
    notes=(
        "Each batch:\n"
        "  D: real → 1, G(noise) → 0   (d_steps times)\n"
        "  G: make D say 1 on G(noise)\n"
        "Reported: D loss, D accuracy on real and on fake, G loss"
    ),
    plots=(("d_loss", "Discriminator loss"), ("g_loss", "Generator loss")),
    cost=Cost(cpu_s_per_image=0.0045, images=70_000, steps_param="d_steps"),
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
        PLAYGROUND,
        FASHION_VAE,
        FASHION_GAN,
        MY_IMAGES,
    )
}
