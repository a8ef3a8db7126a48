"""The lab's progress lines say the training's speed and ETA only while it trains: a finished,
failed or cancelled run, or one past training (evaluating), shows no ETA and no 'so far'."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from tui_dl.engine.events import Event
from tui_dl.ui.widgets.run.run_progress import RunProgress

PROGRESS = {
    "event": Event.PROGRESS,
    "epoch": 2,
    "epochs": 5,
    "batch": 10,
    "steps": 40,
    "samples_per_s": 1234.0,
    "eta_s": 1410.0,
    "elapsed_s": 40.0,
}


class ProgressApp(App[None]):
    def compose(self) -> ComposeResult:
        yield RunProgress()


def lines(app: App[None]) -> str:
    progress = app.query_one(RunProgress)
    return " / ".join(str(s.render()) for s in progress.query(Static))


@pytest.mark.parametrize(
    "end, said",
    [
        ({"event": Event.FINISHED, "duration_s": 95.0}, "Finished in 1 min 35 s."),
        ({"event": Event.CANCELLED}, "Cancelled."),
        ({"event": Event.FAILED, "message": "boom"}, "Failed."),
        ({"event": Event.PHASE, "phase": "evaluating"}, "Evaluating…"),
    ],
)
async def test_no_eta_after_training(end, said):
    app = ProgressApp()
    async with app.run_test(size=(80, 6)) as pilot:
        app.query_one(RunProgress).apply(
            {"event": Event.PHASE, "phase": "training", "epochs": 5, "steps": 40}
        )
        app.query_one(RunProgress).apply(PROGRESS)
        await pilot.pause()
        assert "ETA 23 min 30 s" in lines(app) and "40 s so far" in lines(app)
        app.query_one(RunProgress).apply(end)
        await pilot.pause()
        shown = lines(app)
        assert said in shown
        assert "ETA" not in shown and "so far" not in shown and "samples/s" not in shown
