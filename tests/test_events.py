"""The event vocabulary: every event and field named once, and held to by fakes and trainers."""

from __future__ import annotations

import pytest

from tests.conftest import vocabulary_problems
from tui_dl.engine import runfiles
from tui_dl.engine.events import (
    JOB_EVENTS,
    RUN_EVENTS,
    SWEEP_EVENTS,
    TERMINAL_EVENTS,
    Event,
    Status,
    append_event,
    check_event,
    make_event,
)


def test_a_field_the_vocabulary_does_not_name_is_reported():
    record = {"event": "epoch_end", "t": 1.0, "epoch": 1, "epochs": 2, "logs": {}, "lr": 0.1}
    assert check_event(record) == ["epoch_end: 'lr' is not in the vocabulary"]
    assert check_event({"event": "epoch_end", "t": 1.0, "epoch": 1}) == [
        "epoch_end: no 'epochs'",
        "epoch_end: no 'logs'",
    ]
    assert check_event({"event": "cell_started", "t": 0}) == ["unknown event 'cell_started'"]


def test_fakes_cannot_invent_fields():
    with pytest.raises(ValueError, match="'colour' is not in the vocabulary"):
        make_event(Event.PHASE, phase="training", colour="red")
    assert make_event(Event.PHASE, JOB_EVENTS, phase="loading") == {
        "event": "phase",
        "t": 0.0,
        "phase": "loading",
    }


def test_each_folder_speaks_its_own_vocabulary():
    sweep_started = {"event": "started", "t": 0, "experiment": "mnist-mlp", "cells": 4}
    assert check_event(sweep_started, SWEEP_EVENTS) == []
    assert check_event(sweep_started, RUN_EVENTS) != []
    assert set(JOB_EVENTS) < set(RUN_EVENTS)
    for vocabulary in (RUN_EVENTS, SWEEP_EVENTS, JOB_EVENTS):
        assert TERMINAL_EVENTS <= set(vocabulary) | {Event.CANCELLED}


def test_ended_statuses_are_the_terminal_events():
    assert {Status.FINISHED, Status.FAILED, Status.CANCELLED} == TERMINAL_EVENTS
    assert Status.FINISHED == "finished" == Event.FINISHED


def test_the_check_after_every_test_finds_a_stray_field(isolated_home):
    run_dir = isolated_home / "home" / "runs" / "20261201-000000-mnist-mlp-0000"
    run_dir.mkdir(parents=True)
    append_event(run_dir, Event.PHASE, phase="training", epochs=1, steps=1, mood="good")
    problems = vocabulary_problems(isolated_home / "home")
    assert len(problems) == 1 and "'mood' is not in the vocabulary" in problems[0]
    (run_dir / runfiles.EVENTS).unlink()  # or this very test would fail afterwards
