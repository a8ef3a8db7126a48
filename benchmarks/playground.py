"""How fast the Playground trains: the engine alone, and the screen while it draws.

    .venv/bin/python benchmarks/playground.py [--epochs 2000] [--seconds 5]

- engine: epochs per second of `Playground.step()` on the default circle network (4, 2, tanh,
  batch 10, 250 training points), no drawing — against the web Playground's pace of one
  epoch per animation frame (about 60 a second). Target ≥ 300.
- app: the screen playing for `--seconds` in a headless Textual app at 80×24 and 200×60:
  epochs per second while the boundary, the neurons' pictures and the losses are redrawn,
  and how often they were (frames per second). Target ≥ 60 epochs/s at ≥ 10 frames/s.
- keys: while it plays, in a real pseudo-terminal at 80×24 (`python -m tui_dl playground`, as
  benchmarks/interaction.py does), the time from a key — the learning rate changed with →
  and back with ← — to the moment its new value is painted; p95 over `--keys`. Target < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.fakes, for the app part

from tui_dl.engine.playground.session import Playground  # noqa: E402
from tui_dl.engine.playground.state import parse_state  # noqa: E402


def engine(epochs: int) -> float:
    playground = Playground(parse_state(""))
    playground.train(20)  # warm
    started = time.perf_counter()
    playground.train(epochs)
    return epochs / (time.perf_counter() - started)


RIGHT, LEFT, DOWN = b"\x1b[C", b"\x1b[D", b"\x1b[B"


def keys_while_playing(presses: int) -> tuple[float, float]:
    """Median and p95 ms from a key to its value painted."""
    import re
    import tempfile

    from interaction import App as Terminal

    with tempfile.TemporaryDirectory(prefix="tui-dl-pg-") as home:
        with Terminal(["playground"], home, timeout=10.0) as app:
            app.wait_for(b"Epoch", "the Playground")
            app.settle(0.5)
            for _ in range(5):  # down to the learning rate
                app.press(DOWN)
                app.settle(0.1)
            app.press(b" ")  # play
            app.settle(1.0)
            latencies = []
            for i in range(presses):
                value = rb"0\.1" if i % 2 == 0 else rb"0\.03"
                start = app.press(RIGHT if i % 2 == 0 else LEFT)
                arrived, _ = app.wait_for(re.compile(rb"Rate +\xe2\x80\xb9 *" + value), "rate")
                latencies.append((arrived - start) * 1000)
                app.settle(0.1)
    ranked = sorted(latencies)
    return statistics.median(ranked), ranked[max(0, round(0.95 * len(ranked)) - 1)]


async def app_run(size: tuple[int, int], seconds: float) -> dict[str, float]:
    from tests.fakes import FakeRunSource
    from tui_dl.ui.app import make_app

    app = make_app(source=FakeRunSource(), screen="playground")
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.5)
        screen = app.screen
        frames = 0
        show = screen.show

        def counted(snap):  # type: ignore[no-untyped-def]
            nonlocal frames
            frames += 1
            show(snap)

        screen.show = counted  # type: ignore[method-assign]
        await pilot.press("space")
        started, first, drawn = time.perf_counter(), screen.playground.epoch, frames
        await asyncio.sleep(seconds)
        elapsed = time.perf_counter() - started
        epochs, drawn = screen.playground.epoch - first, frames - drawn
        screen.playing = False
        return {"epochs_per_s": epochs / elapsed, "frames_per_s": drawn / elapsed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--keys", type=int, default=30)
    args = parser.parse_args()
    rates = [engine(args.epochs) for _ in range(3)]
    print(f"engine: {statistics.median(rates):.0f} epochs/s (median of 3; target ≥ 300)")
    for size in ((80, 24), (200, 60)):
        result = asyncio.run(app_run(size, args.seconds))
        print(
            f"app {size[0]}×{size[1]}: {result['epochs_per_s']:.0f} epochs/s at "
            f"{result['frames_per_s']:.1f} frames/s (target ≥ 60 at ≥ 10)",
            flush=True,
        )
    median, p95 = keys_while_playing(args.keys)
    print(
        f"keys while playing (pty, 80×24): median {median:.1f} ms, p95 {p95:.1f} ms (target < 50)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
