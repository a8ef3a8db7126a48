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


def progress(epoch: int, epochs: int, samples: int, n: int, per_image: float) -> dict:
    """A progress event as the reporter writes it: its ETA from its own speed so far."""
    done = (epoch - 1) * n + samples
    elapsed = per_image * done
    return {
        "event": Event.PROGRESS,
        "epoch": epoch,
        "epochs": epochs,
        "samples": samples,
        "elapsed_s": elapsed,
        "eta_s": (epochs * n - done) * per_image,
    }


def finished_run(
    per_image: float, n: int = 4000, epochs: int = 2, device: str = "cpu", end=Event.FINISHED
):
    spec = {"experiment": "fashion-vae", "device": device, "params": {"epochs": epochs}}
    # Only the fields the rate is read from (the run views' fakes carry the whole vocabulary).
    events: list[dict] = [{"event": Event.STARTED, "n_train": n}]
    for i in range(1, epochs + 1):
        events.append(progress(i, epochs, n // 2, n, per_image))
        events.append(progress(i, epochs, n, n, per_image))
        events.append({"event": Event.EPOCH_END, "epoch": i})
    events.append({"event": end})
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


def test_this_machines_last_cpu_run_gives_the_rate():
    assert VAE.cost is not None
    spec, events = finished_run(0.004)
    assert measured_rate(VAE.cost, spec, events) == pytest.approx(0.004)
    gpu = finished_run(0.0001, device="gpu:0")
    assert measured_rate(VAE.cost, *gpu) is None  # a GPU's rate says nothing about the CPU
    short = finished_run(0.0001)  # 0.8 s of training: mostly tracing its first step
    assert measured_rate(VAE.cost, *short) is None
    guess = estimate(
        VAE.cost, {**VAE.defaults(), "train_limit": 1000, "epochs": 1}, [gpu, short, (spec, events)]
    )
    assert guess.per_image == pytest.approx(0.004) and guess.seconds == pytest.approx(4.0)
    assert "on this CPU" in guess.sentence() and "its last run here" in guess.sentence()


@pytest.mark.parametrize("end", [Event.CANCELLED, None])
def test_a_cancelled_or_running_run_measured_the_speed_too(end):
    assert VAE.cost is not None
    spec, events = finished_run(0.02, end=end)
    if end is None:
        events = events[:-3]  # still in its second epoch
    assert measured_rate(VAE.cost, spec, events) == pytest.approx(0.02)


@pytest.mark.parametrize("per_image", [0.0009, 0.021])
def test_the_offer_is_what_the_eta_then_says(per_image):
    """The smaller setup's offer and a run's ETA come from the same measured speed: a run that
    showed a speed (fast or slow) makes the offer one that its ETA, at that speed, repeats."""
    assert GAN.cost is not None
    spec, events = finished_run(per_image, n=70_000, epochs=1, end=Event.CANCELLED)
    spec["params"] = {**GAN.defaults(), "epochs": 1}
    events = events[:2]  # cancelled half-way through its first epoch
    shown = events[-1]
    full = estimate(GAN.cost, GAN.defaults(), [(spec, events)])
    assert full.per_image == pytest.approx(per_image)
    assert full.seconds / GAN.defaults()["epochs"] == pytest.approx(
        shown["elapsed_s"] + shown["eta_s"]
    )  # one epoch of 70,000 at that speed: what its ETA said
    smaller = full.smaller(GAN.cost, GAN.defaults())
    offer = estimate(GAN.cost, {**GAN.defaults(), **smaller}, [(spec, events)])
    eta_at_start = smaller["epochs"] * smaller["train_limit"] * per_image  # as the reporter counts
    assert offer.seconds == pytest.approx(eta_at_start)
    assert offer.seconds <= SMALLER_S


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
