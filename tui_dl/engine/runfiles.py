"""Every file a run folder holds, named once: the contract between trainers and screens.

A run folder (`runs/<id>/`) is the whole record of a run: whoever reads it — the app that
launched it, a later app, the CLI, a test — finds the same names here. The engine writes the
process files (spec, events, log, pid, cancel); the trainers and jobs write the artifacts,
and `tui_dl.analysis` reads each artifact through one loader. A sweep's folder and a job's
folder use the same process files, plus their own spec.

What spec.json holds is typed here too (`RunSpec`), and what a trainer is given
(`TrainerSpec`): the settings every process of a run reads.

Nothing here touches the disk or imports anything heavy.
"""

# No `from __future__ import annotations` here: RunSpec's NotRequired markers must be real
# objects for `__required_keys__` to see them (spec.json is held to it by `trust`).
from pathlib import Path
from typing import Any, NotRequired, TypedDict

# ----- the process files, in every run, sweep and job folder -------------------------------
SPEC = "spec.json"
"""The run's settings as launched: experiment, params, device, data folder, id, created."""
EVENTS = "events.jsonl"
"""Everything the run reported, one JSON object a line (see `tui_dl.engine.events`)."""
LOG = "log.txt"
"""The child's own stdout and stderr (TensorFlow's messages, a traceback)."""
PID = "pid"
"""The child's process id, to tell a live run from a lost one."""
CANCEL = "cancel"
"""Present once a cancel was asked for; the child polls for it."""


class RunSpec(TypedDict):
    """spec.json as a reader may believe it (the keys it does not name are not read)."""

    experiment: str
    params: NotRequired[dict[str, Any]]
    device: NotRequired[str]
    data_dir: NotRequired[str | None]
    owner: NotRequired[dict[str, str]]
    """Who launched it, as the launching process said (seat, user, name)."""
    cluster: NotRequired[str | None]
    gpu_share: NotRequired[float | None]
    run_id: NotRequired[str]
    created: NotRequired[float]


class TrainerSpec(RunSpec):
    """What a trainer is given: its run's spec, and what the process running it adds in
    memory (never read from spec.json)."""

    run_dir: NotRequired[str]
    """Where the trainer writes its artifacts: the run's folder (a scratch folder on Ray)."""
    gpu_memory_mb: NotRequired[int | None]
    """TensorFlow's memory limit on a GPU: the queue's per-run share, or the Ray task's."""


# ----- artifacts of a finished run ---------------------------------------------------------
MODEL = "model.keras"
"""The trained Keras model (the jobs load it: attention maps, the probe)."""
PREDICTIONS = "predictions.npz"
"""A classifier's test set: y_true, y_pred, probabilities, images, class_names."""
FEATURES = "features.npz"
"""my-images: the frozen base's features of every picture in the folder, with the files and
hashes and the base they came from (a later run on the same folder reuses them)."""
KFOLD_REPORT = "kfold.json"
"""A k-fold run's scores per fold and pooled (and, for the mammogram, its referees)."""
KFOLD_ARRAYS = "kfold.npz"
"""The mammogram's out-of-fold probabilities, labels, folds, BI-RADS and features."""
PROJECT_REPORT = "report.md"
"""The mammogram project's report in Markdown, with the ethics checklist."""
SAMPLES = "samples.npz"
"""A generative model's sample grid after every epoch (same noise each time), and the noise."""
LATENT = "latent.npz"
"""A VAE's latent space: test images' latent means and classes, the decoded latent plane."""
IMAGENET_RESULT = "imagenet.json"
"""The model zoo's top guesses about the learner's photo."""
IMAGENET_MAPS = "imagenet.npz"
"""The photo as the network saw it, and one Grad-CAM map per guess."""
REVIEWS = "reviews.json"
"""imdb-lstm: sample test reviews as indices, its verdicts and worst mistakes."""
WORDS = "words.json"
"""imdb-lstm: the vocabulary the model was trained with."""
SENTIMENT = "sentiment.npz"
"""imdb-lstm: the trained weights as plain arrays, to score a sentence in numpy."""
PLAYGROUND = "playground.npz"
"""playground: the Keras network's boundary over [−6, 6]², its losses and weights so far;
rewritten every few epochs while it trains, so a screen can watch the boundary form."""

TENSORBOARD = "tensorboard"
"""Keras's TensorBoard event files, as the run trains (`tensorboard --logdir` on the runs)."""
HISTORY_CSV = "history.csv"
"""Keras's CSVLogger: one row per epoch, every log (a run of parts: history-PART.csv)."""


def history_csv(part: str) -> str:
    return f"history-{part}.csv" if part else HISTORY_CSV


# ----- written by the jobs on a finished run -----------------------------------------------
ATTENTION = "attention.npz"
"""Grad-CAM or saliency maps for the most confident mistakes."""
ATTENTION_MORE = "attention-{index}.npz"
"""The maps of one more test image, asked for later."""
PROBE_REPORT = "probe.json"
"""The confidence probe's groups, notes and class names."""
PROBE_EXAMPLES = "probe.npz"
"""The probe's example images with the model's answer and confidence."""
PREDICTED_REPORT = "predict.json"
"""What a my-images run answered about pictures the learner named, and how sure it was."""
PREDICTED_PICTURES = "predict.npz"
"""Those pictures' colour thumbnails, in the report's order."""
MODEL_SUMMARY = "model-summary.json"
"""The model's layers as Keras counts them (name, type, output shape, trainable and frozen
parameters, nested models inside): written beside model.keras when it is saved, or later by
the model job into the viewer's notes folder for the run."""
ACTIVATIONS = "activations"
"""The folder of every layer's output for one input each (`test-INDEX.npz` for a test image,
`picture-KEY.npz` for a picture of the learner's), written by the activations job."""
JOBS = "jobs"
"""The folder holding one sub-folder per job (its own spec, events and log)."""
JOB_SPEC = "job.json"
"""A job's kind and arguments."""

# ----- a sweep's folder --------------------------------------------------------------------
SWEEP_SPEC = "sweep.json"
"""The grid, the base settings and each cell's run id once it starts."""


def partial(path: Path) -> Path:
    """Where a file is written before it is renamed into place: `x.npz` → `x.partial.npz`."""
    return path.with_name(f"{path.stem}.partial{path.suffix}")


def is_partial(path: Path) -> bool:
    return path.stem.endswith(".partial")


def attention_files(run_dir: Path) -> list[Path]:
    """Every finished attention file of a run, in name order."""
    found = sorted(Path(run_dir).glob(ATTENTION_MORE.replace("-{index}", "*")))
    return [p for p in found if not is_partial(p)]
