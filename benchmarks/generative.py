"""The generative experiments' speed: the engine's fashion-vae and fashion-gan against the
course's notebook code as a plain script (`plain_generative.py`), in one run.

Each repeat runs the plain script and an engine run (`launch_run`: the child with its events,
sample grids, latent space and variety measure) as separate processes, alternating which goes
first, on the same first N images of Fashion-MNIST, on the CPU. The first epoch (tracing) is
left out of both. Reported per model:

* images per second in training: plain (epochs 2..E) against the engine's with the watching
  taken out (each epoch's `duration_s` less its share of `watch_s`), and their ratio, the
  median of each pair's (the issue's bar: at least 0.95); with the watching left in, too;
* the watching per epoch (sample grid, latent grid and encodings; for the GAN the grid and the
  variety of 1,000 samples) in seconds, and as a share of an epoch of the course's setup —
  70,000 images at the measured rate — which must stay under 5 %;
* seconds per image, the figure the lab's cost estimate for a CPU starts from.

    TUI_DL_DATA=/work/shared/datasets .venv/bin/python benchmarks/generative.py \
        [--models vae,gan] [--repeats 2] [--epochs 3] [--vae-images 6000] [--gan-images 2000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from engine_vs_keras import child_env  # noqa: E402 (the same environment for both sides)

COURSE_IMAGES = 70_000
EXPERIMENT = {"vae": "fashion-vae", "gan": "fashion-gan"}


def plain(model: str, images: int, epochs: int, log: Path) -> list[float]:
    command = [str(HERE / "plain_generative.py"), "--model", model]
    command += ["--images", str(images), "--epochs", str(epochs)]
    with log.open("ab") as stderr:
        out = subprocess.run(
            [sys.executable, *command],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=child_env(),
            check=True,
        ).stdout
    return json.loads(out.decode().strip().splitlines()[-1])["epoch_durations"]


def engine(model: str, images: int, epochs: int, store) -> tuple[list[float], float]:
    """Each epoch's duration and the watching's seconds per epoch."""
    import os

    from tui_dl.engine.events import EventLog
    from tui_dl.engine.jobs.launch import launch_run

    # The same CPU priority as the plain script: a run steps back behind the app by default
    # (TUI_DL_NICE), which on a busy machine would measure the priority, not the engine.
    os.environ.update(child_env(), TUI_DL_NICE="0")
    params = {"epochs": epochs, "train_limit": images}
    handle = launch_run(EXPERIMENT[model], params, device="cpu", store=store)
    handle.wait()
    events = EventLog(handle.run_dir).read_all()
    finished = [e for e in events if e["event"] == "finished"]
    if not finished:
        failed = [e for e in events if e["event"] == "failed"]
        sys.exit(f"engine run failed: {failed[-1].get('message') if failed else 'no end'}")
    durations = [e["duration_s"] for e in events if e["event"] == "epoch_end"]
    return durations, finished[0]["watch_s"] / len(durations)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="vae,gan")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--vae-images", type=int, default=6000)
    parser.add_argument("--gan-images", type=int, default=2000)
    args = parser.parse_args()
    from tui_dl.engine.store import RunStore

    log = Path(tempfile.mkdtemp(prefix="tui-dl-bench-")) / "children.log"
    store = RunStore(log.parent / "runs")
    print(f"children's stderr: {log}")
    for model in args.models.split(","):
        images = args.vae_images if model == "vae" else args.gan_images
        rows = []
        for rep in range(args.repeats):
            order = ("plain", "engine") if rep % 2 == 0 else ("engine", "plain")
            got: dict[str, tuple[list[float], float]] = {}
            for side in order:
                if side == "plain":
                    got["plain"] = (plain(model, images, args.epochs, log), 0.0)
                else:
                    got["engine"] = engine(model, images, args.epochs, store)
            plain_s = statistics.median(got["plain"][0][1:])
            engine_durations, watch = got["engine"]
            with_watch = statistics.median(engine_durations[1:])
            training = with_watch - watch
            rows.append((plain_s, training, with_watch, watch))
            print(
                f"{model} rep {rep + 1} ({' then '.join(order)}): plain {images / plain_s:,.0f} "
                f"img/s, engine {images / training:,.0f} img/s training "
                f"({images / with_watch:,.0f} with the watching), watching {watch:.2f} s/epoch"
            )
        columns = zip(*rows, strict=True)
        plain_s, training, with_watch, watch = (statistics.median(c) for c in columns)
        ratio = statistics.median(r[0] / r[1] for r in rows)  # per pair, as engine_vs_keras
        ratio_watching = statistics.median(r[0] / r[2] for r in rows)
        per_image = training / images
        course_epoch = per_image * COURSE_IMAGES
        print(
            f"{model}: {images:,} images, epochs 2..{args.epochs}, median of {args.repeats}: "
            f"plain {images / plain_s:,.0f} img/s, engine {images / training:,.0f} img/s "
            f"→ throughput ratio {ratio:.3f} (with the watching {ratio_watching:.3f}); "
            f"watching {watch:.2f} s per epoch = "
            f"{100 * watch / course_epoch:.1f} % of a course epoch ({COURSE_IMAGES:,} images, "
            f"{course_epoch:.0f} s here); {1000 * per_image:.2f} ms per image"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
