"""`tui-dl playground [STATE]`: the app on that setup, or, with --epochs/--json, the same
numpy engine trained headless (no TensorFlow) and its result."""

from __future__ import annotations

import argparse
import json
import sys
import time

from tui_dl.text import sentence

DEFAULT_EPOCHS = 500


def playground_command(args: argparse.Namespace) -> int:
    from tui_dl.engine.playground.datasets import DataError
    from tui_dl.engine.playground.session import Playground
    from tui_dl.engine.playground.state import StateError, parse_state
    from tui_dl.lessons.progress import note_visit

    try:
        state = parse_state(args.state)
        playground = Playground(state)
    except (StateError, DataError) as exc:
        print(f"tui-dl playground: {sentence(str(exc))}", file=sys.stderr)
        return 2
    if args.epochs is None and not args.json:
        from tui_dl.ui.app import make_app

        app = make_app(screen="playground", playground=state.to_string())
        app.run()
        return app.return_code or 0
    epochs = DEFAULT_EPOCHS if args.epochs is None else args.epochs  # 0 to its limit: parsed
    started = time.perf_counter()
    playground.train(epochs)
    seconds = time.perf_counter() - started
    note_visit("playground")  # the course's Playground step, done from the shell
    m = playground.metrics()
    report = {
        "epochs": playground.epoch,
        "train_loss": m.train_loss,
        "test_loss": m.test_loss,
        "train_accuracy": m.train_accuracy,
        "test_accuracy": m.test_accuracy,
        "confusion": None if m.confusion is None else m.confusion.tolist(),
        "stopped": playground.stopped or None,
        "state": state.to_string(),
        "url": state.web_url(),
        "seconds": round(seconds, 3),
    }
    if args.json:
        print(json.dumps(report))
    else:
        line = (
            f"epoch {playground.epoch}: train loss {m.train_loss:.3f}, test loss {m.test_loss:.3f}"
        )
        if m.test_accuracy is not None and m.train_accuracy is not None:
            line += f", accuracy {m.train_accuracy:.1%} train, {m.test_accuracy:.1%} test"
        print(line)
        if playground.stopped:
            print(sentence(playground.stopped))
        print(state.web_url())
    return 1 if playground.stopped.startswith("the loss blew up") else 0
