"""Plot axes a learner can read values off: y labels at round values (1, 2, 2.5 or 5 × 10^k
apart), evenly spaced, one number format, each on the row of its value — read back from the
plots as they render, in the lab, the lessons, the sweep, the samples view and the project.
And legends that name only the series drawn."""

from __future__ import annotations

import math
import re

import pytest
from textual.app import App, ComposeResult

from tests.fakes import FakeRun, FakeRunSource, mnist_events, settle
from tui_dl.lessons.maths import curve_loss
from tui_dl.ui.app import make_app
from tui_dl.ui.render.axis import (
    NICE,
    covering_ticks,
    nice_steps,
    row_limits,
    tick_labels,
    tick_row,
    x_ticks,
    y_axis,
)
from tui_dl.ui.widgets.axis_plot import AxisPlot
from tui_dl.ui.widgets.lesson.activation_plot import ActivationPlot
from tui_dl.ui.widgets.lesson.descent_curve import DescentCurve
from tui_dl.ui.widgets.lesson.overfitting_curves import OverfittingCurves
from tui_dl.ui.widgets.run.metrics_plot import MetricsPlot
from tui_dl.ui.widgets.run.series_plot import Series, SeriesPlot
from tui_dl.ui.widgets.run.sweep_plot import SweepPlot

# ----- reading an axis back from a rendered plot ------------------------------------------------

Y_LABEL = re.compile(r"^\s*(-?[0-9.]+(?:e-?[0-9]+)?)\s*┤")


def y_labels(lines: list[str]) -> list[tuple[int, str]]:
    """(row counted from the top, label) for each labelled tick of the left y axis."""
    return [(row, m.group(1)) for row, line in enumerate(lines) if (m := Y_LABEL.match(line))]


def is_round(step: float) -> bool:
    mantissa = step / 10.0 ** math.floor(math.log10(step) + 1e-12)
    return any(math.isclose(mantissa, nice) for nice in (*NICE, 10.0))


def check_y_axis(lines: list[str], *, log: bool = False) -> list[tuple[int, float]]:
    """The y labels are round, evenly spaced in value and in rows, written alike; returns
    (row from the top, value)."""
    labels = y_labels(lines)
    assert len(labels) >= 2, "\n".join(lines)
    texts = [text for _, text in labels]
    values = [float(text) for text in texts]
    rows = [row for row, _ in labels]
    where = f"labels {texts} on rows {rows}\n" + "\n".join(lines)
    assert values == sorted(values, reverse=True), where
    steps = [
        math.log10(a) - math.log10(b) if log else a - b
        for a, b in zip(values, values[1:], strict=False)
    ]
    assert all(math.isclose(s, steps[0], rel_tol=1e-6) for s in steps), where
    assert is_round(steps[0]), where
    units = [math.log10(v) if log else v for v in values]
    assert all(math.isclose(u / steps[0], round(u / steps[0]), abs_tol=1e-6) for u in units), where
    if not log:  # one number format: as many decimals on every label
        assert len({len(t.partition(".")[2]) for t in texts}) == 1, where
    gaps = {b - a for a, b in zip(rows, rows[1:], strict=False)}
    assert len(gaps) == 1, where  # each value on its row: the same rows between each two
    return list(zip(rows, values, strict=True))


def lines_of(plot) -> list[str]:
    return plot.render().plain.splitlines()


# ----- the tick helper ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "rows"),
    [
        (-4.5, 5.0, 14),
        (0.321, 0.739, 8),
        (0.0, 0.74, 5),
        (0.8, 0.914, 10),
        (403.5, 1200.0, 12),
        (0.5, 0.5, 10),
        (1e-7, 3e-7, 10),
        (2e6, 9e6, 20),
        (-0.031, 0.0, 7),
        (0.03, 2.3, 40),
    ],
)
def test_y_ticks_are_round_even_cover_the_data_and_land_on_rows(low, high, rows):
    axis = y_axis(low, high, rows)
    ticks = axis.ticks
    assert ticks[0] <= low and ticks[-1] >= high  # the data is inside the labelled range
    step = ticks[1] - ticks[0]
    assert is_round(step)
    assert all(
        math.isclose(b - a, step, rel_tol=1e-9) for a, b in zip(ticks, ticks[1:], strict=False)
    )
    assert all(math.isclose(t / step, round(t / step), abs_tol=1e-9) for t in ticks)
    assert 2 <= len(ticks) <= 7
    places = {len(label.partition(".")[2]) for label in axis.labels}
    assert len(places) == 1 and all(
        float(lb) == pytest.approx(t) for lb, t in zip(axis.labels, ticks, strict=True)
    )
    landed = [tick_row(t, axis.limits, rows) for t in ticks]
    gaps = {b - a for a, b in zip(landed, landed[1:], strict=False)}
    assert len(gaps) == 1
    assert 0 <= landed[0] and landed[-1] <= rows - 1
    # exactly on the row, not rounded onto it
    lower, upper = axis.limits
    exact = [(rows - 1) * (t - lower) / (upper - lower) for t in ticks]
    assert all(math.isclose(e, round(e), abs_tol=1e-6) for e in exact)


def test_the_labels_use_one_format():
    assert tick_labels([0.5, 0.75, 1.0], 0.25) == ("0.50", "0.75", "1.00")
    assert tick_labels([0.0, 5.0, 10.0], 5.0) == ("0", "5", "10")
    assert tick_labels([2e6, 4e6], 2e6) == ("2e6", "4e6")
    assert tick_labels([-2.0, 0.0], 2.0, log=True) == ("0.01", "1")
    assert covering_ticks(-0.3, 0.3, 0.1)[3] == 0.0  # no −0.0, no 0.30000000000000004
    assert covering_ticks(0.1, 0.3, 0.1) == [0.1, 0.2, 0.3]


def test_steps_grow_through_one_two_two_and_a_half_five():
    steps = nice_steps(0.5)
    assert [next(steps) for _ in range(6)] == [0.01, 0.02, 0.025, 0.05, 0.1, 0.2]
    assert [s for s, _ in zip(nice_steps(1.0, integer=True), range(5), strict=False)] == [
        1,
        2,
        5,
        10,
        20,
    ]


def test_row_limits_split_the_spare_rows():
    lower, upper = row_limits([0.0, 1.0, 2.0], 8)  # 7 intervals of rows: 3 each, 1 spare
    assert [tick_row(t, (lower, upper), 8) for t in (0.0, 1.0, 2.0)] == [0, 3, 6]


def test_x_ticks_are_round_and_fit_their_labels():
    ticks, labels = x_ticks(1, 40, 30, integer=True)
    assert ticks == [10, 20, 30, 40] and labels == ("10", "20", "30", "40")
    ticks, _ = x_ticks(1, 10, 60, integer=True)
    assert ticks == list(range(1, 11))
    ticks, labels = x_ticks(-3.5, 3.5, 40)
    assert labels == ("-3", "-2", "-1", "0", "1", "2", "3")


# ----- rendered plots -----------------------------------------------------------------------------


def lab_source(epochs: int = 10) -> FakeRunSource:
    return FakeRunSource(
        [FakeRun("20261122-100000-mnist-mlp-aaaa", mnist_events(epochs, end="finished"))]
    )


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_the_labs_loss_and_accuracy_axes(size):
    app = make_app(source=lab_source(), screen="lab", run="latest")
    async with app.run_test(size=size) as pilot:
        await settle(pilot, 0.3)
        for plot_id in ("#loss-plot", "#accuracy-plot"):
            plot = app.screen.query_one(plot_id, MetricsPlot)
            assert len(plot.history) == 10
            check_y_axis(lines_of(plot))


async def test_gradient_descent_axis_and_the_ball_on_the_row_of_its_loss():
    app = make_app(source=FakeRunSource(), screen="lesson:gradient-descent")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        curve = app.screen.query_one(DescentCurve)
        lines = lines_of(curve.query_one(AxisPlot))
        ticks = check_y_axis(lines)
        (top_row, top), (next_row, following) = ticks[0], ticks[1]
        per_row = (top - following) / (next_row - top_row)
        ball = [row for row, line in enumerate(lines) if "●" in line]
        loss = float(curve_loss(float(curve.run.position[0])))
        assert ball == [round(top_row + (top - loss) / per_row)], "\n".join(lines)


class One(App):
    def __init__(self, widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


@pytest.mark.parametrize("size", [(60, 20), (44, 11), (120, 40)])
async def test_a_metrics_plot_at_many_sizes(size):
    plot = MetricsPlot("loss", "loss")
    async with One(plot).run_test(size=size) as pilot:
        history = [
            {"loss": 0.739 - 0.04 * i, "val_loss": 0.60 - 0.03 * i, "accuracy": 0.8 + i / 100}
            for i in range(10)
        ]
        plot.set_history(history)
        await pilot.pause()
        check_y_axis(lines_of(plot))
        plot.set_history([{"loss": 0.5}])  # one epoch: still round labels
        await pilot.pause()
        check_y_axis(lines_of(plot))


async def test_the_lesson_plots_axes():
    activation = ActivationPlot()
    async with One(activation).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        check_y_axis(lines_of(activation.query_one(AxisPlot)))
    curves = OverfittingCurves()
    async with One(curves).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        curves.action_step()
        curves.action_step()
        await pilot.pause()
        check_y_axis(lines_of(curves.query_one("#overfit-fit", AxisPlot)))
        check_y_axis(lines_of(curves.query_one("#overfit-loss", AxisPlot)), log=True)


async def test_the_sweep_plot_axes_linear_and_log():
    from tui_dl.engine.sweeps.state import CellState

    def cell(losses, accuracies) -> CellState:
        history = [
            {"val_loss": loss, "val_accuracy": acc}
            for loss, acc in zip(losses, accuracies, strict=True)
        ]
        return CellState(learning_rate=0.01, batch_size=64, history=history)

    plot = SweepPlot()
    async with One(plot).run_test(size=(70, 18)) as pilot:
        calm = [
            cell([0.5, 0.4, 0.33], [0.85, 0.89, 0.914]),
            cell([0.6, 0.5, 0.45], [0.8, 0.84, 0.86]),
        ]
        plot.show(calm, best=0)
        await pilot.pause()
        check_y_axis(lines_of(plot))
        assert "log" not in plot.plt.monitor.title
        plot.show([*calm, cell([2.0, 300.0, 5e4], [0.1, 0.1, 0.1])], best=0)
        await pilot.pause()
        check_y_axis(lines_of(plot), log=True)
        assert "(log scale)" in plot.plt.monitor.title
        plot.toggle()
        await pilot.pause()
        check_y_axis(lines_of(plot))


async def test_the_samples_views_curves():
    plot = SeriesPlot("losses", (Series("loss", "total"), Series("kl_loss", "KL")))
    async with One(plot).run_test(size=(60, 16)) as pilot:
        plot.set_history([{"loss": 427.8 - 9 * i, "kl_loss": 3.1 + i / 7} for i in range(12)])
        await pilot.pause()
        check_y_axis(lines_of(plot))


# ----- legends ------------------------------------------------------------------------------------


async def test_a_legend_names_only_the_series_drawn():
    plot = MetricsPlot("loss", "Loss")
    async with One(plot).run_test(size=(60, 16)) as pilot:
        plot.set_history([{"loss": 400.0 - i} for i in range(5)])  # a VAE: no validation
        await pilot.pause()
        title = plot.plt.monitor.title
        assert "▚ train" in title and "validation" not in title and "⣿" not in title
        plot.set_history([{"loss": 1.0 - i / 10, "val_loss": 1.1 - i / 10} for i in range(5)])
        plot.set_overlay([{"loss": 0.9 - i / 10} for i in range(5)])  # the other: no validation
        await pilot.pause()
        assert plot.other_marks == ("×",)
        assert plot.plt.monitor.title.endswith("× the other")
