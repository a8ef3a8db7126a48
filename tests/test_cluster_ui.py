"""The lab's and the sweep's Cluster field: blank trains here, an address goes to Ray, a bad
one is said in the form (no Ray needed: the fake source records what was asked)."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.fakes import FakeRunSource, settle
from tui_dl.ui.app import make_app


async def test_the_labs_cluster_field_reaches_the_launch():
    source = FakeRunSource([])
    app = make_app(source=source, screen="lab")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#cluster", Input)
        field.value = "not an address"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert source.launched == []
        assert "use local" in str(app.screen.query_one("#form-error", Static).render())
        field.value = "ray://head:10001"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert source.clusters == ["ray://head:10001"]
        assert app.screen.query_one("#cluster", Input).disabled  # the run's, read-only


async def test_the_sweeps_cluster_field_reaches_the_sweep():
    source = FakeRunSource([])
    app = make_app(source=source, screen="sweep")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one("#sweep-cluster", Input).value = "local"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert source.clusters == ["local"] and len(source.sweeps_started) == 1
        blank = make_app(source=FakeRunSource([]), screen="sweep")
    async with blank.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert blank.source.clusters == [None]
