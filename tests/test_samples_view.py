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
from tui_dl.ui.screens.run_views.samples import SamplesScreen, collapse_note
from tui_dl.ui.widgets.run.series_plot import SeriesPlot

RUN = "20261202-040000-fashion-vae-5a5a"


def vae_run(tmp_path, samples: int = 16) -> FakeRunSource:
    epochs = 3
    write_grids(tmp_path, samples, epochs)
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


GAN_RUN = "20261202-040000-fashion-gan-6b6b"


def gan_run(tmp_path, classes: list[float]) -> FakeRunSource:
    """A GAN whose samples span `classes` classes' worth after each epoch."""
    write_grids(tmp_path, 4, len(classes))
    events = [
        make_event(
            Event.EPOCH_END,
            t=i,
            epoch=i,
            epochs=len(classes),
            logs={
                "loss": 2.0,
                "d_loss": 1.2,
                "g_loss": 0.8,
                "d_acc_real": 0.8,
                "d_acc_fake": 0.7,
                "classes": value,
                "spread": value / 10,
            },
        )
        for i, value in enumerate(classes, start=1)
    ]
    run = FakeRun(GAN_RUN, events, experiment="fashion-gan", run_dir=tmp_path, active=False)
    return FakeRunSource([run])


def write_grids(tmp_path, samples: int, epochs: int) -> None:
    grids = []
    for epoch in range(epochs + 1):  # flat shapes brightening: few colours, a small snapshot
        images = np.zeros((samples, 28, 28))
        for k in range(samples):
            images[k, 4 + k % 4 : 24, 6 : 22 - k % 5] = 60 + 60 * epoch
        grids.append(images)
    save_samples(
        tmp_path, GenerativeSamples(np.stack(grids).astype(np.uint8), np.zeros((samples, 2)))
    )


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


async def test_the_curves_stand_beside_the_grid_when_wide_and_swap_with_it_when_not(tmp_path):
    app = make_app(source=vae_run(tmp_path), screen="samples", run=RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        curves, grid = (
            app.screen.query_one("#samples-curves"),
            app.screen.query_one("#samples-grid"),
        )
        assert not curves.display and grid.region.width
        await pilot.press("c")
        await settle(pilot)
        assert curves.display and curves.region.width > 60 and not grid.region.width
        plots = list(app.screen.query(SeriesPlot))
        assert [len(p.history) for p in plots] == [3, 3]
        await pilot.press("c")
    async with make_app(source=vae_run(tmp_path), screen="samples", run=RUN).run_test(
        size=(200, 60)
    ) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.query_one("#samples-curves").region.width == 60
        assert screen.query_one("#samples-grid").region.width > 100


async def test_a_gan_that_lost_its_variety_hears_about_mode_collapse(tmp_path):
    app = make_app(source=gan_run(tmp_path, [6.0, 8.5, 3.1]), screen="samples", run=GAN_RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        info = str(screen.query_one("#samples-info").render())
        assert "Mode collapse?" in info and "3.1 classes' worth" in info and "epoch 2" in info
        assert [p.title for p in screen.query(SeriesPlot)] == ["Losses", "D right", "Variety"]
        await pilot.press("left")  # at epoch 2 it was at its best
        assert "Mode collapse" not in str(screen.query_one("#samples-info").render())


def test_no_collapse_is_announced_while_the_variety_holds():
    logs = [{"classes": v} for v in (5.0, 7.0, 6.5, 4.0)]
    assert collapse_note(logs, 3) == ""
    assert collapse_note(logs, 4).startswith("Mode collapse?")
    assert collapse_note([{"loss": 1.0}], 1) == ""  # a VAE's logs


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
def test_snapshot_gan(snap_compare, tmp_path, size):
    app = make_app(source=gan_run(tmp_path, [6.0, 8.5, 3.1]), screen="samples", run=GAN_RUN)
    assert snap_compare(app, terminal_size=size, run_before=snapshot_settle)
