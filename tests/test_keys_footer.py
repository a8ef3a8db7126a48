"""The footer's keys follow the focus by taking the new keys' words in place: the key widgets
already mounted are reused, and what they show is what a footer built anew would show."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from tests.fakes import settle
from tui_dl.ui.widgets.keys_footer import KeysFooter


class Many(Widget, can_focus=True):
    BINDINGS = [
        Binding("a", "alpha", "Alpha"),
        Binding("b", "bravo", "Bravo"),
        Binding("e", "echo", "Echo"),
    ]

    def action_alpha(self) -> None:
        pass

    def action_bravo(self) -> None:
        pass

    def action_echo(self) -> None:
        pass


class Few(Widget, can_focus=True):
    BINDINGS = [Binding("c", "charlie", "Charlie"), Binding("d", "off", "Delta (off)")]

    def action_charlie(self) -> None:
        pass

    def action_off(self) -> None:
        pass

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "off" else True  # shown, disabled


class Two(App[None]):
    BINDINGS = [Binding("question_mark", "help", "Help")]

    def compose(self) -> ComposeResult:
        yield Many(id="many")
        yield Few(id="few")
        yield KeysFooter()

    def action_help(self) -> None:
        pass


def shown(app: App[None]) -> list[tuple[str, str, bool]]:
    return [
        (key.key, key.description, key.has_class("-disabled"))
        for key in app.query_one(KeysFooter).query(FooterKey)
    ]


async def built_anew(app: App[None], pilot) -> list[tuple[str, str, bool]]:
    """What a footer built from nothing shows for the same focus."""
    old = app.query_one(KeysFooter)
    await old.remove()
    await app.screen.mount(KeysFooter())
    app.screen.refresh_bindings()  # as a focus change does: the new footer builds its keys
    await settle(pilot)
    return shown(app)


async def test_the_keys_follow_the_focus_in_the_widgets_already_there():
    app = Two()
    async with app.run_test(size=(80, 10)) as pilot:
        app.query_one("#many").focus()
        await settle(pilot)
        before = {id(key) for key in app.query(FooterKey)}
        many = shown(app)
        assert [k for k, _, _ in many][:3] == ["a", "b", "e"]

        app.query_one("#few").focus()
        await settle(pilot)
        few = shown(app)
        assert ("c", "Charlie", False) in few and ("d", "Delta (off)", True) in few
        assert not any(k in ("a", "b", "e") for k, _, _ in few)
        kept = {id(key) for key in app.query(FooterKey)} & before
        assert len(kept) == len(few), "a key widget was made anew where one was there to reuse"
        assert few == await built_anew(app, pilot)

        app.query_one("#many").focus()  # back to more keys than there are widgets
        await settle(pilot)
        assert shown(app) == many
        assert shown(app) == await built_anew(app, pilot)
        assert app._exception is None


async def test_focus_moved_faster_than_the_footer_updates_ends_on_the_last_keys():
    """Changes that come while an update awaits its mounts wait their turn: two at once
    removed and mounted around each other (the palette key gone from under a mount)."""
    app = Two()
    async with app.run_test(size=(80, 10)) as pilot:
        await settle(pilot)
        for _ in range(6):
            for name in ("#many", "#few", "#many", "#few"):
                app.query_one(name).focus()
                await pilot.pause(0)
        await settle(pilot)
        assert app._exception is None
        last = shown(app)
        assert last == await built_anew(app, pilot)
        assert [k for k, _, _ in last][:2] == ["c", "d"]


class Switch(Widget, can_focus=True):
    BINDINGS = [Binding("c", "charlie", "Charlie"), Binding("s", "send", "Send")]
    ready = False

    def action_charlie(self) -> None:
        pass

    def action_send(self) -> None:
        pass

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True if action != "send" or self.ready else None  # shown, disabled till ready


class Switching(App[None]):
    def compose(self) -> ComposeResult:
        yield Switch(id="switch")
        yield KeysFooter()


async def test_a_key_enabled_in_place_is_repainted_without_laying_the_screen_out(monkeypatch):
    """Only a key's state changed: its widget takes it and is repainted; nothing on the
    screen moved, so the screen is not laid out again (it was, on every footer update)."""
    from textual.screen import Screen

    app = Switching()
    async with app.run_test(size=(80, 10)) as pilot:
        app.query_one("#switch").focus()
        await settle(pilot)
        assert ("s", "Send", True) in shown(app)
        before = [(key.key, key.region) for key in app.query(FooterKey)]
        layouts: list[Screen] = []
        refresh_layout = Screen._refresh_layout

        def counted(self, *args, **kwargs):
            layouts.append(self)
            return refresh_layout(self, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        app.query_one(Switch).ready = True
        app.screen.refresh_bindings()
        await settle(pilot)
        assert ("s", "Send", False) in shown(app)
        assert layouts == [], "the screen was laid out again for a key's state"
        assert [(key.key, key.region) for key in app.query(FooterKey)] == before
        monkeypatch.undo()
        assert shown(app) == await built_anew(app, pilot)
