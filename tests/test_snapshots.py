"""Snapshot tests at 80×24 over pre-written events. Review changes with
`pytest --snapshot-update` and read the SVGs in tests/__snapshots__/."""

from __future__ import annotations

import pytest

from tests.fakes import FakeRunSource, sample_runs, settle
from tui_dl.ui.app import make_app

SIZE = (80, 24)


@pytest.fixture
def app_for():
    def build(**kwargs):
        return make_app(source=FakeRunSource(sample_runs()), **kwargs)

    return build


def test_home(snap_compare, app_for):
    assert snap_compare(app_for(), terminal_size=SIZE, run_before=settle)


def test_lab_idle(snap_compare):
    ended = [run for run in sample_runs() if not run.active]  # a live run would be shown
    app = make_app(source=FakeRunSource(ended), screen="lab")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_lab_training(snap_compare, app_for):
    app = app_for(screen="lab", run="20261122-110000-mnist-mlp-e5f6")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_lab_finished(snap_compare, app_for):
    app = app_for(screen="lab", run="20261122-101500-mnist-mlp-a1b2")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_lab_failed(snap_compare, app_for):
    app = app_for(screen="lab", run="20261122-103000-mnist-mlp-c3d4")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_runs(snap_compare, app_for):
    assert snap_compare(app_for(screen="runs"), terminal_size=SIZE, run_before=settle)


def test_help(snap_compare, app_for):
    assert snap_compare(app_for(screen="help"), terminal_size=SIZE, run_before=settle)
