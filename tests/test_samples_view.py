"""The samples of a generative run, from a pre-written run folder: the latest epoch's grid,
the earlier ones with ←→, the epoch's separate losses; at 80×24 and 200×60."""

from __future__ import annotations

import numpy as np
import pytest

from tests.fakes import FakeRun, FakeRunSource, settle
from tests.test_snapshots import settle as snapshot_settle
from tui_dl.analysis.artifacts import GenerativeSamples, save_samples
from tui_dl.engine.events import Event, make_event
from tui_dl.ui.app import make_app
from tui_dl.ui.screens.run_views.samples import SamplesScreen

RUN = "20261202-040000-fashion-vae-5a5a"


def vae_run(tmp_path, samples: int = 16) -> FakeRunSource:
    epochs = 3
    grids = []
    for epoch in range(epochs + 1):  # flat shapes brightening: few colours, a small snapshot
        images = np.zeros((samples, 28, 28))
        for k in range(samples):
            images[k, 4 + k % 4 : 24, 6 : 22 - k % 5] = 60 + 60 * epoch
        grids.append(images)
    save_samples(
        tmp_path, GenerativeSamples(np.stack(grids).astype(np.uint8), np.zeros((samples, 2)))
    )
    events = [
        make_event(
            Event.EPOCH_END,
            t=i,
            epoch=i,
            epochs=epochs,
            logs={
                "loss": 300 - 10 * i,
                "reconstruction_loss": 290 - 10 * i,
                "kl_loss": 3.0 + i,
            },
        )
        for i in range(1, epochs + 1)
    ]
    run = FakeRun(RUN, events, experiment="fashion-vae", run_dir=tmp_path, active=False)
    return FakeRunSource([run])


async def test_the_latest_grid_then_earlier_epochs(tmp_path):
    app = make_app(source=vae_run(tmp_path), screen="samples", run=RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SamplesScreen)
        info = str(screen.query_one("#samples-info").render())
        assert "Epoch 3 of 3" in info and "reconstruction 260" in info and "KL 6" in info
        await pilot.press("left", "left")
        info = str(screen.query_one("#samples-info").render())
        assert "Epoch 1 of 3" in info and "total 290" in info
        await pilot.press("home")
        assert "Epoch 0 of 3" in str(screen.query_one("#samples-info").render())
        await pilot.press("end")
        assert screen.epoch is None and screen.shown_epoch() == 3


async def test_latest_samples_means_a_run_that_has_them(tmp_path):
    app = make_app(source=vae_run(tmp_path), screen="samples")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SamplesScreen) and app.screen.run_id == RUN


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
def test_snapshot(snap_compare, tmp_path, size):
    # Four samples: sixteen full-size ones made a 1.4 MB SVG at 200×60.
    app = make_app(source=vae_run(tmp_path, samples=4), screen="samples", run=RUN)
    assert snap_compare(app, terminal_size=size, run_before=snapshot_settle)
