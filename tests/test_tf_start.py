"""While a child starts TensorFlow, the screens say how long that usually takes here: the
median gap between an earlier run's "starting TensorFlow" and its next event."""

from __future__ import annotations

from tests.fakes import T0, FakeRun, FakeRunSource, mnist_events, sample_runs, settle
from tui_dl.engine.events import Event, make_event
from tui_dl.engine.store import RunInfo
from tui_dl.engine.tf_start import UsualStart, start_gap, starting_words, usual_start
from tui_dl.ui.app import make_app


def info(events: list[dict]) -> RunInfo:
    return RunInfo("r", None, {}, "finished", T0, events)  # type: ignore[arg-type]


def starts(*gaps: float) -> list[RunInfo]:
    return [
        info(
            [
                make_event(Event.PHASE, phase="starting TensorFlow", t=T0),
                make_event(Event.PHASE, phase="loading data", t=T0 + gap),
            ]
        )
        for gap in gaps
    ]


def test_the_gap_is_from_the_start_to_the_next_event():
    assert start_gap(mnist_events(3)) == 5.0  # the fakes load data 5 s after
    failed = [
        make_event(Event.PHASE, phase="starting TensorFlow", t=T0),
        make_event(Event.FAILED, t=T0 + 2, error_type="ImportError", message="no TF"),
    ]
    assert start_gap(failed) is None  # it never started: no start to time
    assert start_gap([make_event(Event.PHASE, phase="loading data", t=T0)]) is None


def test_the_median_of_the_newest_starts_is_said():
    assert usual_start(starts(4, 30, 6)) == UsualStart(6.0, 3)
    assert usual_start(starts(30, 40, 6)) == UsualStart(30.0, 3)  # the verdict follows the data
    assert usual_start([]) is None
    assert starting_words(UsualStart(6.2, 3)) == (
        "Starting TensorFlow: about 6 s here (median of 3 starts)…"
    )
    assert "timed once" in starting_words(UsualStart(25, 1))
    assert "not timed yet" in starting_words(None)


async def test_the_lab_says_the_usual_start_while_it_waits():
    slow = [
        FakeRun(f"20261122-0{i}0000-mnist-mlp-aa0{i}", mnist_events(1, end="finished"))
        for i in range(3)
    ]
    for run in slow:  # TensorFlow took 17 s to start in each
        run.events[1] = {**run.events[1], "t": T0 + 17}
    source = FakeRunSource(slow, launch_delivered=1)
    app = make_app(source=source, screen="lab")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        phase = str(app.screen.query_one("#phase").content)
        assert phase == "Starting TensorFlow: about 17 s here (median of 3 starts)…", phase


async def test_the_first_start_here_says_it_is_not_timed():
    app = make_app(source=FakeRunSource(launch_delivered=1), screen="lab")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "not timed yet" in str(app.screen.query_one("#phase").content)


def test_sample_runs_time_their_starts():
    assert usual_start(FakeRunSource(sample_runs()).list_runs()) == UsualStart(5.0, 3)
