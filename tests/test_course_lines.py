"""The course's figure as a line on the lab's plots, labelled with what the course trained on
when the run's data is not that (fake runs, no TF)."""

from __future__ import annotations

import pytest

from tests.fakes import SOURCE, FakeRunSource, sample_runs, settle
from tui_dl.engine.experiments import EXPERIMENTS
from tui_dl.engine.experiments.course_lines import COURSE_LINES, course_line
from tui_dl.ui.app import make_app
from tui_dl.ui.widgets.run.metrics_plot import MetricsPlot

FULL = "MNIST — the full set: 60,000 train / 10,000 test"


def test_each_line_is_the_experiments_own_reference_figure_on_its_own_curve():
    for name, line in COURSE_LINES.items():
        reference = EXPERIMENTS[name].reference
        assert reference.value is not None and line.key in (reference.metric, "accuracy")
    assert course_line("mnist-mlp", "accuracy", FULL) == (0.98, "course 98 % test")
    vae = course_line("fashion-vae", "loss", None)
    assert vae is not None and vae[0] == 266.0 and "313→266 in 32 ep." in vae[1]
    gan = course_line("fashion-gan", "d_acc_real", None)
    assert gan is not None and gan[0] == 0.8
    assert course_line("mnist-mlp", "loss", FULL) is None  # the course gave no loss figure
    assert course_line("mnist-cnn", "accuracy", FULL) is None


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (SOURCE, True),  # the offline 5,000-digit sample: not what the course trained on
        (FULL, False),  # the full MNIST: the same, nothing to add
        (None, True),  # not known yet: say it
    ],
)
def test_the_label_says_what_the_course_trained_on_only_when_it_differs(data, said):
    line = course_line("mnist-mlp", "accuracy", data)
    assert line is not None
    assert (", on full MNIST 60k" in line[1]) is said


async def test_the_lab_draws_the_course_line_on_the_accuracy_plot_labelled():
    app = make_app(source=FakeRunSource(sample_runs()), screen="lab",
                   run="20261122-101500-mnist-mlp-a1b2")  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        accuracy = app.screen.query_one("#accuracy-plot", MetricsPlot)
        loss = app.screen.query_one("#loss-plot", MetricsPlot)
        assert accuracy.course == (0.98, "course 98 % test, on full MNIST 60k")
        assert loss.course is None
        monitor = accuracy.plt.monitor  # type: ignore[attr-defined]
        assert 0.98 in monitor.hcoord[0]
        assert " course 98 % test, on full MNIST 60k " in monitor.text[0]
        assert monitor.ty[0] == 0.98
        assert not loss.plt.monitor.hcoord[0]  # type: ignore[attr-defined]
