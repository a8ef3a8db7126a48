"""The shape of a healthy module (STYLE.md): none of the UI's over 400 lines. A screen that
outgrows it lifts a cohesive piece out (a widget, a helper module), not lines squeezed."""

from __future__ import annotations

from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "tui_dl" / "ui"
MAX_LINES = 400


def test_no_ui_module_is_over_400_lines():
    sizes = {path: len(path.read_text().splitlines()) for path in UI.rglob("*.py")}
    assert len(sizes) > 50  # the tree was read
    over = {str(path.relative_to(UI)): n for path, n in sizes.items() if n > MAX_LINES}
    assert over == {}
