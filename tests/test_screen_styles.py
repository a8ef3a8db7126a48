"""The other screens' styles are parsed once, after home's first frame, never again in the
opening of the first screen that uses them (issue 25 §2)."""

from __future__ import annotations

import textual.css.stylesheet as textual_stylesheet
from textual.css.stylesheet import Stylesheet

from tests.fakes import FakeRunSource, sample_runs, settle
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.help import HelpScreen
from tui_dl.ui.screens.app_screen import SCREENS_CSS


def _own_parse_rules():
    """Textual's own `Stylesheet._parse_rules`: the suite shares parsed styles between its
    apps (conftest), which would hide a stylesheet that keeps none of what it parsed."""
    method = Stylesheet._parse_rules
    for cell in method.__closure__ or ():
        if getattr(cell.cell_contents, "__qualname__", "") == "Stylesheet._parse_rules":
            return cell.cell_contents
    return method


async def test_help_opened_first_parses_no_style_read_after_the_first_frame(monkeypatch):
    monkeypatch.setattr(Stylesheet, "_parse_rules", _own_parse_rules())
    app = make_app(source=FakeRunSource(sample_runs()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.read_screens_css()  # as the preload does, 0.5 s after the first frame
        parsed: list[str] = []
        parse = textual_stylesheet.parse

        def counted(scope, css, read_from, *args, **kwargs):
            parsed.append(str(read_from[0]))
            return parse(scope, css, read_from, *args, **kwargs)

        monkeypatch.setattr(textual_stylesheet, "parse", counted)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert parsed, "help's own new widgets' styles are parsed (the check sees parsing)"
        assert SCREENS_CSS not in parsed  # screens.tcss was parsed once, and kept


async def test_a_screen_opened_at_the_start_is_styled_once_as_it_mounts(monkeypatch):
    """`tui-dl --screen lab`: the screens' styles are read before the lab is built, so Textual
    neither parses every style file again as it shows it nor restyles the whole lab after."""
    reparsed: list[bool] = []
    restyled: list[int] = []
    reparse, update_nodes = Stylesheet.reparse, Stylesheet.update_nodes

    def counted_reparse(self):
        reparsed.append(True)
        return reparse(self)

    def counted_update(self, nodes, animate=False):
        nodes = list(nodes)
        restyled.append(len(nodes))
        return update_nodes(self, nodes, animate)

    monkeypatch.setattr(Stylesheet, "reparse", counted_reparse)
    monkeypatch.setattr(Stylesheet, "update_nodes", counted_update)
    app = make_app(screen="lab", source=FakeRunSource([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lab = app.screen
        assert type(lab).__name__ == "LabScreen"
        assert not reparsed, "the lab's first show parsed every style file again"
        widgets = len(list(lab.walk_children(with_self=True)))
        assert max(restyled) < widgets / 2, (restyled, widgets)  # never the whole lab again
        # Its own rules (screens.tcss) reached it: the settings are 36 cells wide.
        settings = lab.query_one("#lab-settings")
        assert settings.outer_size.width == 36, settings.outer_size


async def test_the_labs_form_has_the_focus_from_the_start_and_the_settings_never_take_it(
    monkeypatch,
):
    """The lab focuses its form's first field directly: the settings' scroll (Textual's own
    pick, the first thing that takes focus) never takes the focus on the way, which restyled
    its 49 widgets as it took it and again as it gave it up."""
    from textual.widget import Widget

    focused: list[str] = []
    watch = Widget.watch_has_focus

    def noted(self, has_focus):
        if has_focus:
            focused.append(self.id or type(self).__name__)
        return watch(self, has_focus)

    monkeypatch.setattr(Widget, "watch_has_focus", noted)
    app = make_app(screen="lab", source=FakeRunSource([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "field-epochs"
        assert "lab-settings" not in focused, focused
        await pilot.press("shift+tab")  # still a stop on the way round, by the keys
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "lab-settings"


async def test_a_widget_is_styled_once_it_is_mounted_not_before():
    """An Input's value is validated in its constructor, which sets `-valid` or `-invalid`:
    Textual styled the widget there, unmounted, and again as it mounted. Styled only once it
    is in the app, it looks the same: an invalid value's field shows its error border."""
    from textual.validation import Integer
    from textual.widgets import Input

    applied: list[str] = []
    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        apply = app.stylesheet.apply

        def counted(node, *args, **kwargs):
            applied.append(getattr(node, "id", None) or "")
            return apply(node, *args, **kwargs)

        app.stylesheet.apply = counted  # type: ignore[method-assign]
        field = Input("x", validators=[Integer()], id="typed")
        assert field.has_class("-invalid")
        assert "typed" not in applied, "styled before it was mounted"
        await app.screen.mount(field)
        await settle(pilot)
        assert applied.count("typed") >= 1
        good = Input("7", validators=[Integer()], id="good")
        await app.screen.mount(good)
        await settle(pilot)
        assert field.styles.border_top != good.styles.border_top  # -invalid's own border


async def test_typing_in_a_field_lays_nothing_out_and_a_long_text_still_scrolls(monkeypatch):
    """Each character typed into Textual's Input changed its virtual size, which laid the
    whole screen out again (a quarter of a key's work in the lab). A TextField repaints
    itself only, and its text still scrolls within it when longer than the field."""
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Input, Static

    from tui_dl.ui.widgets.text_field import TextField

    class Form(App[None]):
        def compose(self):
            yield Static("a form")
            yield TextField(id="field")
            yield Input(id="plain")

    layouts = []
    lay_out = Screen._refresh_layout

    def counted(self, *args, **kwargs):
        layouts.append(self)
        return lay_out(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    app = Form()
    async with app.run_test(size=(20, 8)) as pilot:
        await settle(pilot)
        for which, most in (("#plain", None), ("#field", 0)):
            app.query_one(which).focus()
            await settle(pilot)
            layouts.clear()
            for key in "123":
                await pilot.press(key)
            await settle(pilot)
            if most is None:
                assert layouts  # Textual's Input: a layout for the typing
            else:
                assert len(layouts) == most, which
        field = app.query_one("#field", TextField)
        for key in "abcdefghijklmnopqrstuvwxyz":
            await pilot.press(key)
        await settle(pilot)
        assert field.value == "123abcdefghijklmnopqrstuvwxyz"
        assert field.scroll_x > 0
        shown = "\n".join(line.text for line in field.render_lines(field.region.reset_offset))
        assert "xyz" in shown and "123" not in shown


def test_every_text_field_of_the_app_is_a_text_field():
    """A field built as Textual's Input would lay its screen out for each character."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "tui_dl" / "ui"
    built = [
        f"{path.relative_to(root)}:{node.lineno}"
        for path in root.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name | ast.Attribute)
        and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "Input"
    ]
    assert not built, built
