"""A browser seat has no instructor powers, even though its app runs as the server's user
(often the instructor's own): in the class view, b (a code on every seat) and c (cancel
someone's run) refuse at a seat and say why."""

from __future__ import annotations

import pytest

from tests.fakes import FakeRun, FakeRunSource, mnist_events, settle
from tui_dl.engine.workshop import seats
from tui_dl.engine.workshop.board import pushed
from tui_dl.engine.workshop.folder import open_workshop
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.share_code import OpenCode

BO = {"user": "class", "name": "Bo", "seat": "bbbbbb02"}
EVE = "eeeeee05"


def bos_live_run() -> FakeRunSource:
    return FakeRunSource([FakeRun("20261202-101000-mnist-mlp-b002", mnist_events(3), owner=BO)])


@pytest.fixture(params=["workshop", "alone"])
def at_a_seat(request, tmp_path, monkeypatch):
    """This Unix user (the server's, who may be the instructor) at a browser seat; with a
    workshop folder, and without one (every seat then shares the server user's home)."""
    if request.param == "workshop":
        monkeypatch.setenv("TUI_DL_WORKSHOP", str(tmp_path / "ws"))
        open_workshop(tmp_path / "ws")
    seats.set_seat_name("Bo", seat=BO["seat"])
    monkeypatch.setenv("TUI_DL_SEAT", EVE)
    seats.set_seat_name("Eve")  # named already: the app opens without asking
    return request.param


async def test_a_seat_cannot_put_a_code_on_every_seat(at_a_seat):
    app = make_app(source=bos_live_run(), screen="class")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        offered = {active.binding.action for active in app.screen.active_bindings.values()}
        assert "push" not in offered  # not in the footer, and b does nothing at a seat
        await pilot.press("b")
        await settle(pilot)
        assert not isinstance(app.screen, OpenCode)
        app.screen.action_push()  # asked for all the same: refused, and said why
        await settle(pilot)
        assert not isinstance(app.screen, OpenCode)
        notes = [n.message for n in app._notifications]
        assert any("Only the instructor puts a code on every seat" in m for m in notes), notes
    assert pushed() is None


async def test_a_seat_cannot_cancel_another_seats_run_from_the_class_view(at_a_seat):
    source = bos_live_run()
    app = make_app(source=source, screen="class")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")  # Bo's running run is the first row
        await settle(pilot)
        assert source.cancelled == []
        notes = [n.message for n in app._notifications]
        assert any("only they or the instructor can cancel it" in m for m in notes), notes
