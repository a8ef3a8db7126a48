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
