"""What a long CPU run costs, said before it starts: from the catalogue's measured figure or
this machine's last run, and the smaller setup offered in the lab (ctrl+t) and by `tui-dl run`."""

from __future__ import annotations

import pytest

from tests.fakes import FakeRunSource, settle
from tui_dl.engine.events import Event
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.experiments.cost import SMALLER_S, duration, estimate, measured_rate
from tui_dl.ui.app import make_app
from tui_dl.ui.widgets.run.run_form import RunForm

VAE = get_experiment("fashion-vae")
GAN = get_experiment("fashion-gan")


def finished_run(per_image: float, n: int = 4000, epochs: int = 2, device: str = "cpu"):
    spec = {"experiment": "fashion-vae", "device": device, "params": {"epochs": epochs}}
    # Only the fields the rate is read from (the run views' fakes carry the whole vocabulary).
    events: list[dict] = [{"event": Event.STARTED, "n_train": n}]
    events += [{"event": Event.EPOCH_END, "epoch": i} for i in range(1, epochs + 1)]
    train_s = per_image * n * epochs + 3.0
    events.append({"event": Event.FINISHED, "train_s": train_s, "watch_s": 3.0})
    return spec, events


def test_the_full_course_setup_on_a_cpu_is_hours_and_the_smaller_one_minutes():
    assert VAE.cost is not None and GAN.cost is not None
    full = estimate(VAE.cost, VAE.defaults())
    assert full.images == 70_000 and full.epochs == 32 and full.long
    assert full.seconds == pytest.approx(VAE.cost.cpu_s_per_image * 70_000 * 32)
    assert "on a 2-core CPU" in full.sentence()
    smaller = full.smaller(VAE.cost, VAE.defaults())
    assert smaller["epochs"] == 5 and smaller["train_limit"] % 1000 == 0
    small = estimate(VAE.cost, {**VAE.defaults(), **smaller})
    assert 0.5 * SMALLER_S < small.seconds <= SMALLER_S and not small.long


def test_the_gans_discriminator_steps_multiply_its_cost():
    assert GAN.cost is not None
    one = estimate(GAN.cost, GAN.defaults())
    three = estimate(GAN.cost, {**GAN.defaults(), "d_steps": 3})
    assert three.seconds == pytest.approx(2 * one.seconds)


def test_this_machines_last_finished_cpu_run_gives_the_rate():
    assert VAE.cost is not None
    spec, events = finished_run(0.004)
    assert measured_rate(VAE.cost, spec, events) == pytest.approx(0.004)
    gpu = finished_run(0.0001, device="gpu:0")
    assert measured_rate(VAE.cost, *gpu) is None  # a GPU's rate says nothing about the CPU
    assert measured_rate(VAE.cost, spec, events[:-1]) is None  # not finished
    guess = estimate(
        VAE.cost, {**VAE.defaults(), "train_limit": 1000, "epochs": 1}, [gpu, (spec, events)]
    )
    assert guess.per_image == pytest.approx(0.004) and guess.seconds == pytest.approx(4.0)
    assert "on this CPU" in guess.sentence() and "its last run" in guess.sentence()


@pytest.mark.parametrize(
    "seconds, said",
    [
        (0.4, "a few seconds"),
        (40, "40 s"),
        (720, "12 min"),
        (3 * 3600 + 600, "3 h 10 min"),
        (7200, "2 h"),
    ],
)
def test_durations_read_as_people_say_them(seconds, said):
    assert duration(seconds) == said


async def test_the_lab_says_what_a_full_cpu_run_costs_and_ctrl_t_makes_it_smaller():
    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_lab("fashion-gan")
        await settle(pilot)
        screen = app.screen
        cost = str(screen.query_one("#cost").render())
        assert "A full run: about 2 h" in cost and "ctrl+t" in cost
        await pilot.press("ctrl+t")
        await settle(pilot)
        params, device = screen.query_one(RunForm).read()
        assert params["epochs"] == 5 and 1000 <= params["train_limit"] < 70_000
        assert device == "cpu"
        assert "This run: about" in str(screen.query_one("#cost").render())
        assert screen.cost_estimate is None  # nothing smaller to offer now
        form = screen.query_one(RunForm)
        form.field("epochs").value = "many"  # a bad value: no estimate, nothing breaks
        await settle(pilot)
        assert str(screen.query_one("#cost").render()) == ""


async def test_an_experiment_without_a_cost_says_nothing():
    app = make_app(source=FakeRunSource([]), screen="lab")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert str(app.screen.query_one("#cost").render()) == ""
