"""The sweep form over any setting: the axes it offers are the engine's, a picked axis starts
from its own values, bad values are refused by name with nothing lost, seeds reach the source
and the table pools them; share codes carry axes and seeds, and old codes open as they did
(fake source, no TF)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select

from tests.fakes import FakeRunSource, sample_runs, settle
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.sweeps.grid import axis_params, starting_values, values_text
from tui_dl.lessons.share.codes import decode, encode
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.share_code import ShareCode
from tui_dl.ui.screens.sweep import SweepScreen
from tui_dl.ui.widgets.run.sweep_form import SweepForm

SIZE = (80, 24)
OLD_CODE = "TD1-61G8-CY2N-MW04-71XN-10W2-37NJ-R8G0-6AH"
"""A code made before axes: `sweep mnist-mlp learning_rates=0.1,0.01 batch_sizes=32,256
epochs=2`."""


def field(screen, id_: str) -> Input:
    return screen.query_one(f"#{id_}", Input)


async def pick(pilot, index: int, setting: str) -> None:
    """Axis `index` set to `setting` as a learner does: the list opened, moved to it, enter."""
    select = pilot.app.screen.query_one(f"#sweep-axis-{index}", Select)
    select.focus()
    await pilot.press("enter")
    options = [value for _, value in select._options]
    steps = options.index(setting) - options.index(select.value)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    await pilot.pause()
    assert select.value == setting


async def test_an_axis_is_any_setting_the_engine_sweeps_and_seeds_pool_the_table():
    source = FakeRunSource(sample_runs())
    app = make_app(screen="sweep", source=source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        mlp = get_experiment("mnist-mlp")
        offered = [value for _, value in screen.query_one("#sweep-axis-1", Select)._options]
        assert offered == [p.name for p in axis_params(mlp)]  # the CLI's list, not a copy
        assert "seed" not in offered and "dropout" in offered
        await pick(pilot, 2, "dropout")
        assert field(screen, "sweep-values-2").value == values_text(
            starting_values(mlp.param("dropout"))
        )
        await pick(pilot, 1, "optimizer")
        assert field(screen, "sweep-values-1").value == ", ".join(mlp.param("optimizer").choices)
        field(screen, "sweep-values-1").value = "sgd, adam"
        field(screen, "sweep-values-2").value = "0, 0.5"
        field(screen, "sweep-seeds").value = "2"
        await pilot.press("ctrl+r")
        await pilot.pause()
        axes = {"optimizer": ["sgd", "adam"], "dropout": [0.0, 0.5]}
        assert source.sweeps_started == [("mnist-mlp", {"epochs": 10}, axes, 2, "cpu")]
        table = screen.query_one(DataTable)
        labels = [str(c.label) for c in table.ordered_columns]
        assert labels == ["optimizer", "dropout", "", "runs", "mean ± sd", "lesson"]
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == [
            "sgd", "sgd", "adam", "adam",
        ]  # fmt: skip
        assert screen.query_one("#sweep-seeds", Input).disabled


async def test_bad_values_are_refused_by_setting_and_value_and_nothing_is_lost():
    source = FakeRunSource(sample_runs())
    app = make_app(screen="sweep", source=source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pick(pilot, 2, "dropout")
        typed = {"sweep-values-1": "0.1, 0.01", "sweep-values-2": "0, 1.5", "sweep-seeds": "0"}
        for id_, text in typed.items():
            field(screen, id_).value = text
        await pilot.press("ctrl+r")
        await pilot.pause()
        said = str(screen.query_one("#sweep-error").render())
        assert "Dropout list: must be at most 0.95 (got 1.5)" in said
        assert "Seeds 0: each cell needs at least one run" in said
        assert source.sweeps_started == []
        assert {id_: field(screen, id_).value for id_ in typed} == typed  # nothing lost
        assert field(screen, "sweep-values-2").has_class("-invalid")
        assert field(screen, "sweep-values-2").has_focus
        assert not field(screen, "sweep-values-1").has_class("-invalid")

        field(screen, "sweep-values-2").value = "0, 0.5"
        field(screen, "sweep-seeds").value = "1"
        await pick(pilot, 2, "learning_rate")  # the same setting twice
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Axis 2 is Learning rate again" in str(screen.query_one("#sweep-error").render())
        await pick(pilot, 2, "batch_size")
        field(screen, "sweep-values-1").value = "1, 0.1, 0.01, 0.001, 0.0001"
        field(screen, "sweep-values-2").value = "8, 16, 32, 64, 128, 256"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "= 30 runs; at most 25" in str(screen.query_one("#sweep-error").render())
        assert source.sweeps_started == []


async def test_one_axis_and_an_axis_of_the_run_length():
    source = FakeRunSource(sample_runs())
    app = make_app(screen="sweep", source=source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pick(pilot, 2, "-")  # none: one axis
        assert not screen.query_one("#sweep-values-2-row").display
        await pick(pilot, 1, "epochs")  # how long each cell trains is the axis
        assert not screen.query_one("#sweep-length-row").display
        field(screen, "sweep-values-1").value = "1, 3"
        form = screen.query_one(SweepForm)
        request = form.read()
        assert (request.axes, request.params) == ({"epochs": [1, 3]}, {})
        await pick(pilot, 2, "dropout")
        await pick(pilot, 1, "learning_rate")
        assert screen.query_one("#sweep-length-row").display
        assert screen.query_one("#sweep-values-2-row").display
        field(screen, "sweep-values-2").value = "0.3"  # one value: every cell shares it
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert source.sweeps_started[0][2] == {
            "learning_rate": [0.1, 0.01, 0.001],
            "dropout": [0.3],
        }
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.ordered_columns][:2] == ["rate", ""]
        await pilot.press("n")  # a new sweep from this one: the shared dropout is still there
        await pilot.pause()
        assert form.read().axes == {"learning_rate": [0.1, 0.01, 0.001], "dropout": [0.3]}


async def test_a_share_code_carries_axes_and_seeds_and_an_old_code_opens_as_it_did():
    app = make_app(screen="sweep", source=FakeRunSource(sample_runs()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        form = app.screen.query_one(SweepForm)
        spec = {"experiment": "mnist-mlp", "seeds": 3, "params": {"epochs": 2},
                "axes": [{"name": "hidden_units", "values": [32, 256]},
                         {"name": "optimizer", "values": ["sgd", "adam"]}]}  # fmt: skip
        form.fill(spec)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ShareCode)
        code = app.screen.code
        assert decode(code).text == (
            "sweep mnist-mlp hidden_units=32,256 optimizer=sgd,adam seeds=3 epochs=2"
        )
    for shared, axes, seeds, epochs in [
        (code, {"hidden_units": [32, 256], "optimizer": ["sgd", "adam"]}, 3, 2),
        (OLD_CODE, {"learning_rate": [0.1, 0.01], "batch_size": [32, 256]}, 1, 2),
    ]:
        opened = make_app(source=FakeRunSource(sample_runs()), share=decode(shared))
        async with opened.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert isinstance(opened.screen, SweepScreen)
            request = opened.screen.query_one(SweepForm).read()
            assert (request.axes, request.seeds, request.params) == (
                axes,
                seeds,
                {"epochs": epochs},
            )
            assert encode(decode(shared)) == shared.replace(" ", "")


def test_the_app_source_writes_the_axes_and_seeds_it_was_given(monkeypatch):
    """The form's request, through the app's own run source, is the sweep.json the CLI's
    `tui-dl sweep --optimizer sgd,adam --dropout 0.3 --seeds 2` writes (no driver starts)."""
    from types import SimpleNamespace

    import tui_dl.engine.sweeps.launch as launch
    from tui_dl.engine.sweeps.state import read_sweep
    from tui_dl.ui.sources import LocalRunSource

    def spawned(_module, _args, folder, _env):
        return SimpleNamespace(run_id=folder.name)

    monkeypatch.setattr(launch, "spawn_child", spawned)
    axes = {"optimizer": ["sgd", "adam"], "dropout": [0.3]}
    sweep_id = LocalRunSource().start_sweep("mnist-mlp", {"epochs": 1}, axes, "cpu", seeds=2)
    spec = launch.read_spec(launch.list_sweeps()[0])
    assert spec["sweep_id"] == sweep_id and spec["seeds"] == 2
    assert spec["axes"] == [{"name": "optimizer", "values": ["sgd", "adam"]}]
    assert spec["params"]["dropout"] == 0.3 and spec["params"]["epochs"] == 1
    assert [(c["settings"], c["seed"]) for c in spec["cells"]][:2] == [
        ({"optimizer": "sgd"}, 42), ({"optimizer": "sgd"}, 43),
    ]  # fmt: skip
    assert read_sweep(launch.list_sweeps()[0]).seeds == 2


def filled(pilot):
    """The form as a lesson's grid of two settings other than rate and batch fills it."""
    spec = {"experiment": "mnist-mlp", "seeds": 3, "params": {"epochs": 2},
            "axes": [{"name": "dropout", "values": [0.0, 0.2, 0.5]},
                     {"name": "optimizer", "values": ["sgd", "adam"]}]}  # fmt: skip

    async def run(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.query_one(SweepForm).fill(spec)
        await settle(pilot)

    return run(pilot)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_sweep_form_snapshot(snap_compare, size):
    app = make_app(screen="sweep", source=FakeRunSource(sample_runs()))
    assert snap_compare(app, terminal_size=size, run_before=filled)
